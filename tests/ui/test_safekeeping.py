"""The window keeps the collection safe: backups while studying, File > Restore from backup,
the health check after the first paint, a read-only banner, and a grade kept on a full disk."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from negodrill import paths
from negodrill.core.models import Grade
from negodrill.storage.backups import create_backup, list_backups
from negodrill.ui import app as app_module
from negodrill.ui.restore_dialog import RestoreDialog


def _reviews(database: Path) -> int:
    conn = sqlite3.connect(database)
    try:
        return int(conn.execute("SELECT count(*) FROM review").fetchone()[0])
    finally:
        conn.close()


def _wait_for(task: Any, qtbot: Any) -> Any:
    results: list[Any] = []
    task.signals.succeeded.connect(results.append)
    task.signals.failed.connect(results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=20000)
    return results[0]


def test_backups_run_every_half_hour_only_when_something_changed(
        window: Any, store: Any, qtbot: Any) -> None:
    keeper = window.safekeeping
    assert keeper.timer.isActive()
    assert keeper.timer.interval() == 30 * 60 * 1000
    data_dir = Path(store.path).parent

    first = _wait_for(keeper.backup_now(), qtbot)
    assert first is not None
    assert list_backups(data_dir) == [first]
    qtbot.waitUntil(lambda: keeper._running is None)
    assert _wait_for(keeper.backup_now(), qtbot) is None  # nothing changed since
    qtbot.waitUntil(lambda: keeper._running is None)

    window.study_deck(store.deck_ids()[0])
    session = window.review_page.session
    session.grade(Grade.GOOD)
    second = _wait_for(keeper.backup_now(), qtbot)
    assert second is not None
    assert second.reviews == 1
    assert "Backed up" in window.statusBar().currentMessage()


def test_a_manual_backup_from_the_file_menu(window: Any, store: Any, qtbot: Any) -> None:
    data_dir = Path(store.path).parent
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: len(list_backups(data_dir)) == 1, timeout=20000)
    qtbot.waitUntil(lambda: window.safekeeping._running is None)
    window.backup_action.trigger()  # manual: even when nothing changed
    qtbot.waitUntil(lambda: len(list_backups(data_dir)) == 2, timeout=20000)
    qtbot.waitUntil(lambda: window.safekeeping._running is None)


def test_restore_from_backup_lists_them_and_the_app_restores_on_close(
        window: Any, store: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = Path(store.path).parent
    database = paths.database_path(data_dir)
    saved = create_backup(database)
    window.study_deck(store.deck_ids()[0])
    window.review_page.session.grade(Grade.GOOD)
    assert _reviews(database) == 1

    dialog = RestoreDialog(data_dir, window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == f"{saved.cards:,}"
    assert dialog.table.item(0, 2).text() == "0"
    chosen: list[Any] = []
    dialog.chosen.connect(chosen.append)
    dialog.accept_selected()
    assert chosen == [saved]

    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.safekeeping.confirm_restore(saved)
    qtbot.waitUntil(lambda: window.pending_restore is not None, timeout=20000)
    assert window.pending_restore.backup == saved
    qtbot.waitUntil(lambda: not window.isVisible())
    assert _reviews(database) == 1  # nothing swapped while the window is open

    store.close()  # as run_app does once the window is closed
    reopened = app_module._open_collection(data_dir, True, window.pending_restore)
    assert reopened is not None
    try:
        assert _reviews(database) == 0
    finally:
        reopened.close()
    kinds = [info.reason for info in list_backups(data_dir)]
    assert "before restore" in kinds  # the collection with its grade is kept


def test_a_file_that_is_not_a_backup_is_refused_in_the_dialog(
        window: Any, store: Any, qtbot: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: said.append(text))
    dialog = RestoreDialog(Path(store.path).parent, window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    assert not dialog.restore_button.isEnabled()
    stranger = tmp_path / "notes.txt"
    stranger.write_text("hello")
    dialog.choose_path(stranger)
    assert said
    assert "is not a negodrill backup" in said[0]


def test_damage_found_after_the_first_paint_offers_the_newest_backup(
        window: Any, store: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    newest = create_backup(Path(store.path))
    asked: list[str] = []

    def answer(parent: Any, title: str, text: str, *args: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "warning", answer)
    window.safekeeping._health_checked(["*** in database main *** Page 7: btreeInitPage()"])
    assert asked
    assert "Restore the newest backup" in asked[0]
    qtbot.waitUntil(lambda: window.pending_restore is not None, timeout=20000)
    assert window.pending_restore.backup == newest


def test_the_health_check_finds_a_sound_database_sound(window: Any, qtbot: Any) -> None:
    assert _wait_for(window.safekeeping.check_health(), qtbot) == []


@pytest.fixture
def read_only_window(qtbot: Any, store: Any) -> Iterator[Any]:
    from negodrill.storage.store import open_store
    from negodrill.ui.main_window import MainWindow

    path = store.path
    store.close()
    viewer = open_store(path, read_only=True)
    win = MainWindow(viewer)
    win.save_geometry_on_close = False
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    viewer.close()


def test_a_read_only_window_says_so_and_keeps_the_grade(read_only_window: Any,
                                                       qtbot: Any) -> None:
    win = read_only_window
    banner = win.safekeeping.banner
    assert banner is not None
    assert banner.isVisible()
    assert "Read-only" in banner.text()
    assert not win.safekeeping.timer.isActive()
    assert not win.backup_action.isEnabled()
    assert not win.restore_action.isEnabled()
    failures: list[str] = []
    win.study_deck(win.store.deck_ids()[0])
    page = win.review_page
    page.failed.connect(failures.append)
    card = page.current_card
    page.rewrite_edit.setText("Is now a bad time to talk?")
    page.check_or_accept()
    page.grade(Grade.GOOD)
    assert failures
    assert "read-only" in failures[0]
    assert page.current_card == card  # still on screen with the answer, to grade later
    assert page.rewrite_edit.text() == "Is now a bad time to talk?"


def test_the_backups_size_cap_is_a_setting(window: Any, store: Any) -> None:
    from negodrill.storage.backups import CAP_SETTING, configured_cap_bytes

    window.show_page("settings")
    page = window.page("settings")
    assert page.backup_cap_edit.text() == "2"
    page.backup_cap_edit.setText("lots")
    assert not page.save()
    assert "gigabytes" in page.message_label.text()
    page.backup_cap_edit.setText("0.5")
    assert page.save()
    assert store.setting(CAP_SETTING) == 512
    assert configured_cap_bytes(Path(store.path)) == 512 * 1024 * 1024
