"""The performance harness runs end to end at a tiny size (its figures are not asserted:
timings belong in docs/PERFORMANCE.md, not in tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIGURES = ("open_ms", "answer_ms_p50", "answer_ms_p95", "commit_floor_ms_p50",
           "import_tsv_10k_ms", "import_apkg_10k_ms", "import_negodeck_10k_ms",
           "export_apkg_10k_ms", "stats_ms", "progress_page_ms", "report_html_ms",
           "report_pdf_ms", "check_ms", "db_mb", "coach_us_p50", "coach_us_p95",
           "startup_ms_empty", "startup_ms_profile", "qt_floor_ms", "peak_rss_mb",
           "progress_rss_mb", "backup_ms", "backup_file_mb", "quick_check_ms")


def test_the_harness_measures_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--cards", "200", "--reviews", "1000",
         "--runs", "1", "--answers", "10", "--import-notes", "20", "--coach-rounds", "1",
         "--skip-optimize", "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["cards"] == 200
    assert figures["reviews"] == 1000
    missing = [name for name in FIGURES if not isinstance(figures.get(name), (int, float))]
    assert not missing, missing
    assert all(figures[name] > 0 for name in FIGURES)
    assert figures["answers_during_backup"] > 0  # the backup's cost to grading was measured
    assert figures["backup_block_ms"] >= 0
    assert "backup_block_ms" in done.stdout
