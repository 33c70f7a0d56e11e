"""Start-up time and memory of the window: `python benchmarks/bench_startup.py [RUNS]`.

Runs `python -m negodrill --check-startup` on a fresh data dir (first run: built-in decks are
installed) and then on the same dir again (a normal start), RUNS times each, and prints the
median `startup_ms` the app reports (process start -> deck list painted) and the peak resident
memory of the process (ru_maxrss from wait4).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def one_run(data_dir: Path) -> tuple[int, int]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "negodrill", "--data-dir", str(data_dir), "--check-startup"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"negodrill exited {proc.returncode}: {out}")
    ms = next(int(x.split("=")[1]) for x in out.splitlines() if x.startswith("startup_ms="))
    return ms, usage.ru_maxrss // 1024


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    # Bytecode as an installed copy has it (PYTHONDONTWRITEBYTECODE would leave none).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "negodrill")],
                   check=True)
    with tempfile.TemporaryDirectory() as tmp:
        first_ms, first_mb = one_run(Path(tmp) / "fresh")
        warm = [one_run(Path(tmp) / "fresh") for _ in range(runs)]
    times = [w[0] for w in warm]
    mems = [w[1] for w in warm]
    print(f"first start (installs built-in decks): {first_ms} ms, {first_mb} MB peak RSS")
    print(f"normal start, {runs} runs: median {statistics.median(times):.0f} ms "
          f"(min {min(times)}, max {max(times)}), peak RSS median {statistics.median(mems):.0f} MB")


if __name__ == "__main__":
    main()
