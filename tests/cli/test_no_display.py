"""Without a display the app never starts an invisible window: it says so in one line and does
the same job in the terminal (study, or import the files given)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "tests" / "data" / "conversation_sample.negodeck.json"


def headless(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "negodrill", *args], input=stdin, env=env,
                          capture_output=True, text=True, cwd=REPO, timeout=120)


def test_no_command_studies_in_the_terminal(tmp_path: Path) -> None:
    done = headless("--data-dir", str(tmp_path), stdin="Is now a bad time to talk?\n3\n")
    assert done.returncode == 0
    assert done.stderr.strip().splitlines() == [
        "negodrill: no display found, so studying in the terminal (Ctrl+D ends)"]
    assert "graded Good" in done.stdout
    assert "PySide6" not in done.stderr


def test_files_are_imported_with_a_summary(tmp_path: Path) -> None:
    done = headless("--data-dir", str(tmp_path), str(SAMPLE))
    assert done.returncode == 0
    assert "1 added" in done.stdout
    assert "imported in the terminal" in done.stderr


def test_check_startup_says_why_it_cannot(tmp_path: Path) -> None:
    done = headless("--data-dir", str(tmp_path), "--check-startup")
    assert done.returncode == 1
    assert done.stderr.startswith("error: no display")
    assert len(done.stderr.strip().splitlines()) == 1


def test_help_and_bad_options_say_nothing_about_displays(tmp_path: Path) -> None:
    helped = headless("--help")
    assert helped.returncode == 0
    assert "display" not in helped.stderr
    bad = headless("--bogus")
    assert bad.returncode == 2
    assert "display" not in bad.stderr
