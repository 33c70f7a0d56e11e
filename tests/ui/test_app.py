"""Starting and quitting: --check-startup, Ctrl+Q, one instance per data dir, bad databases."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parents[2]


def _negodrill(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "negodrill", *args], cwd=REPO, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_check_startup_prints_startup_ms(tmp_path: Path) -> None:
    proc = _negodrill("--data-dir", str(tmp_path / "d"), "--check-startup")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    match = re.search(r"^startup_ms=(\d+)$", out, re.MULTILINE)
    assert match, out
    assert 0 < int(match.group(1)) < 30_000


def test_ctrl_q_quits_at_once_with_status_0(qapp: Any, tmp_path: Path) -> None:
    from negodrill.deckio.library import open_library
    from negodrill.ui.app import run_app
    from negodrill.ui.main_window import MainWindow

    def press_ctrl_q() -> None:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

    QTimer.singleShot(0, press_ctrl_q)
    assert run_app(data_dir=tmp_path / "d", files=[], check_startup=False) == 0
    store = open_library(tmp_path / "d")
    try:
        assert isinstance(store.setting("window_geometry"), str)
    finally:
        store.close()


def test_second_launch_hands_files_over(qtbot: Any, tmp_path: Path,
                                        mixed_deck_file: Path) -> None:
    from negodrill.ui.instance import InstanceServer, acquire_lock

    data = tmp_path / "d"
    data.mkdir()
    lock = acquire_lock(data)
    assert lock is not None
    server = InstanceServer(data)
    try:
        with qtbot.waitSignal(server.files_received, timeout=20_000) as got:
            proc = _negodrill("--data-dir", str(data), str(mixed_deck_file))
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20_000)
        _, err = proc.communicate()
        assert proc.returncode == 0, err
        assert f"negodrill is already running for {data}" in err
        assert got.args[0] == [mixed_deck_file.resolve()]
        assert not (data / "negodrill.sqlite3").exists()  # the second launch did not open it
    finally:
        server.close()
        lock.unlock()


def test_second_launch_that_cannot_hand_over_fails_clearly(tmp_path: Path,
                                                           mixed_deck_file: Path) -> None:
    from negodrill.ui.instance import acquire_lock

    data = tmp_path / "d"
    data.mkdir()
    lock = acquire_lock(data)  # held, but nobody listens
    assert lock is not None
    try:
        proc = _negodrill("--data-dir", str(data), str(mixed_deck_file))
        _, err = proc.communicate(timeout=60)
    finally:
        lock.unlock()
    assert proc.returncode == 1
    assert "already running" in err
    assert re.search(r"^error: ", err, re.MULTILINE)
    assert not (data / "negodrill.sqlite3").exists()


def test_a_database_from_a_newer_negodrill_is_one_error_line(tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    conn = sqlite3.connect(data / "negodrill.sqlite3")
    conn.execute("CREATE TABLE future (x)")
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    proc = _negodrill("--data-dir", str(data))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.startswith("error: ") and "newer negodrill" in err
    assert "Traceback" not in err
    assert not (data / "negodrill.lock").exists()


def test_process_age_is_measured_from_process_start() -> None:
    from negodrill.ui.app import process_age_ms

    assert process_age_ms() > 0
