"""negodrill's performance harness: every figure of docs/PERFORMANCE.md's budget table, in one run.

    python -m benchmarks [--cards N] [--reviews M] [--json FILE] [--runs R] [--keep DIR]

Builds a fresh data dir of N cards and M review rows through the project's own storage code
(10 decks of drills, basic and choice cards; history over a year with coach labels and flaws;
about 20% of the cards due today), then prints each figure with its budget. Medians unless
named p95. `import_*`, `export_*` and `startup_ms` are whole processes; `startup_ms` and
`qt_floor_ms` (an empty QMainWindow, same platform) are measured alternately. Pieces whose
feature is not built yet print "n/a". The budgets hold at 100,000 cards and 1,000,000 reviews
on a 2-core machine; at other sizes they are shown for reference.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import measures, processes
from benchmarks.bench_import import make_native, make_tsv
from benchmarks.bench_stats import build
from negodrill import paths

# name -> (budget, how it is read). A callable budget takes the whole result (ratios).
BUDGETS: dict[str, tuple[Callable[[dict[str, Any]], float | None], str]] = {
    "open_ms": (lambda r: 100.0, "<= 100"),
    "answer_ms_p50": (lambda r: min(1.0, 3 * r["commit_floor_ms_p50"])
                      if r.get("commit_floor_ms_p50") else 1.0, "<= 3 x commit floor, <= 1.0"),
    "stats_ms": (lambda r: 500.0, "<= 500"),
    "progress_page_ms": (lambda r: 1000.0, "<= 1,000"),
    "report_html_ms": (lambda r: 1000.0, "<= 1,000"),
    "check_ms": (lambda r: 1000.0, "<= 1,000"),
    "backup_ms": (lambda r: 3000.0, "<= 3,000"),
    "backup_block_ms": (lambda r: 50.0, "<= 50"),
    "quick_check_ms": (lambda r: None, "after the first paint, off the UI thread"),
    "import_tsv_10k_ms": (lambda r: 1000.0, "<= 1,000"),
    "coach_us_p50": (lambda r: 300.0, "<= 300"),
    "startup_ms_profile": (lambda r: 2 * r["qt_floor_ms"] if r.get("qt_floor_ms") else None,
                           "<= 2 x qt_floor_ms"),
    "peak_rss_mb": (lambda r: 150.0, "<= 150"),
    "db_mb": (lambda r: 250.0, "<= 250 (at 1,000,000 reviews)"),
}


def _alternate(data_dir: Path, empty_dir: Path, runs: int) -> dict[str, float]:
    """Start-up on the empty and the N-card profile and Qt's floor, taken in turns, so that
    the machine's mood affects all three alike."""
    empty, profile, floor = [], [], []
    # A first start installs (or updates) the built-in course: not a normal start.
    processes.startup_ms(empty_dir)
    processes.startup_ms(data_dir)
    for _ in range(runs):
        floor.append(processes.qt_floor_ms())
        empty.append(processes.startup_ms(empty_dir))
        profile.append(processes.startup_ms(data_dir))
    return {"qt_floor_ms": statistics.median(floor),
            "startup_ms_empty": statistics.median(empty),
            "startup_ms_profile": statistics.median(profile)}


def _imports(work: Path, notes: int, runs: int) -> dict[str, float]:
    """Whole `negodrill import` / `export` processes on a data dir with the course installed."""
    template = work / "template"
    processes._run(processes.negodrill(template, "decks"))
    tsv, native, apkg = work / "notes.txt", work / "deck.negodeck.json", work / "deck.apkg"
    make_tsv(tsv, notes)
    make_native(native, notes)
    out: dict[str, list[float]] = {}
    for _ in range(runs):
        data = processes.fresh_copy(template, work, "native")
        out.setdefault("import_negodeck_10k_ms", []).append(
            processes.timed_ms(processes.negodrill(data, "import", str(native))))
        apkg.unlink(missing_ok=True)
        out.setdefault("export_apkg_10k_ms", []).append(processes.timed_ms(
            processes.negodrill(data, "export", "Benchmark deck", str(apkg))))
        for name, file in (("import_apkg_10k_ms", apkg), ("import_tsv_10k_ms", tsv)):
            data = processes.fresh_copy(template, work, name)
            out.setdefault(name, []).append(
                processes.timed_ms(processes.negodrill(data, "import", str(file))))
    return {name: statistics.median(times) for name, times in out.items()}


def _step(result: dict[str, Any], name: str, fn: Callable[[], Any]) -> None:
    """Run one measurement; a failure is reported, not fatal (the others still count)."""
    started = time.perf_counter()
    try:
        found = fn()
    except Exception as exc:  # noqa: BLE001 - a benchmark reports what broke and goes on
        result.setdefault("errors", {})[name] = f"{type(exc).__name__}: {exc}"[:500]
        print(f"  {name}: failed: {exc}", file=sys.stderr)
        return
    result.update(found if isinstance(found, dict) else {name: found})
    print(f"  {name} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    data_dir = args.keep or work / "profile"
    result: dict[str, Any] = {
        "cards": args.cards, "reviews": args.reviews, "date": datetime.now(UTC).isoformat(),
        "machine": f"{platform.platform()}, {os.cpu_count()} CPUs, Python "
                   f"{platform.python_version()}",
        "command": " ".join(["python -m benchmarks", *sys.argv[1:]]),
    }
    if not paths.database_path(data_dir).exists():
        started = time.perf_counter()
        build(data_dir, args.cards, args.reviews, datetime.now(UTC), span_days=365,
              due_share=0.2)
        result["build_s"] = round(time.perf_counter() - started, 1)
        print(f"built {args.cards:,} cards, {args.reviews:,} reviews in {result['build_s']} s",
              file=sys.stderr)
    _step(result, "db_mb", lambda: measures.db_mb(data_dir))
    _step(result, "open_ms", lambda: measures.open_ms(data_dir, args.runs))
    # Start-up is the noisiest figure (tens of ms on a shared machine): at least 7 turns.
    _step(result, "startup", lambda: _alternate(data_dir, work / "empty", max(7, args.runs)))
    _step(result, "rss", lambda: dict(zip(("peak_rss_mb", "progress_rss_mb"),
                                          processes.window_rss_mb(data_dir), strict=True)))
    _step(result, "progress", lambda: measures.progress_figures(data_dir, args.runs))
    _step(result, "check_ms", lambda: measures.check_ms(data_dir, args.runs))
    _step(result, "coach", lambda: dict(zip(("coach_us_p50", "coach_us_p95"),
                                            measures.coach_us(args.coach_rounds), strict=True)))
    _step(result, "commit_floor_ms_p50",
          lambda: measures.commit_floor_ms(data_dir, args.answers))
    _step(result, "answers", lambda: dict(zip(("answer_ms_p50", "answer_ms_p95"),
                                              measures.answers(data_dir, args.answers),
                                              strict=True)))
    _step(result, "imports", lambda: _imports(work, args.import_notes, args.runs))
    if not args.skip_optimize:
        _step(result, "optimize_ms", lambda: measures.optimize_ms(data_dir))
    _step(result, "backups", lambda: measures.backup_figures(data_dir, args.runs))
    return result


def show(result: dict[str, Any]) -> None:
    full = result["cards"] >= 100_000 and result["reviews"] >= 1_000_000
    print(f"{result['cards']:,} cards, {result['reviews']:,} reviews; {result['machine']}")
    print(f"{'figure':<24} {'value':>10}  {'budget':<32} verdict")
    names = [k for k in result if k.endswith(("_ms", "_mb", "_us_p50", "_us_p95", "_p50",
                                              "_p95", "_profile", "_empty"))]
    for name in names:
        value = result[name]
        shown = "n/a" if value is None else f"{value:,.3g}" if value < 10 else f"{value:,.0f}"
        budget, words = BUDGETS.get(name, (lambda r: None, ""))
        limit = budget(result)
        verdict = ""
        if limit is not None and value is not None:
            verdict = "met" if value <= limit else "MISSED"
            if not full:
                verdict += " (budgets are for 100k cards / 1M reviews)"
        elif limit is not None:
            verdict = "not built yet"
        print(f"{name:<24} {shown:>10}  {words:<32} {verdict}")
    for name, error in result.get("errors", {}).items():
        print(f"{name}: failed: {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument("--runs", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--answers", type=int, default=1_000, help="answers timed (1,000)")
    parser.add_argument("--import-notes", type=int, default=10_000,
                        help="size of the import/export files (10,000)")
    parser.add_argument("--coach-rounds", type=int, default=20)
    parser.add_argument("--skip-optimize", action="store_true",
                        help="leave out the optimizer (minutes at 1M reviews)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the profile into DIR (or reuse it when it exists)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="negodrill-bench-") as tmp:
        result = run(args, Path(tmp))
    show(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if result.get("errors") else 0


if __name__ == "__main__":
    raise SystemExit(main())
