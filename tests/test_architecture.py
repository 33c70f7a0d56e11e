"""The layering rules of DESIGN.md, checked by import-linter inside the test run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Only the UI uses Qt KEPT" in done.stdout
    assert "Layers KEPT" in done.stdout


def test_the_core_layers_import_no_qt_at_run_time() -> None:
    """Importing the whole non-UI side must not load Qt (a lazy import could hide one)."""
    code = (
        "import sys, negodrill.cli, negodrill.core.session, negodrill.storage.store, "
        "negodrill.deckio.native, negodrill.deckio.library, negodrill.reports.figures; "
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
