"""negodrill's benchmarks: `python -m benchmarks` runs the whole harness (see __main__.py);
the bench_*.py scripts measure one thing each in more detail. Not part of the test run."""
