"""File > Export progress report… (Ctrl+Shift+E) writes the report off the UI thread; the
learner's name for reports is a setting."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from negodrill.core.studyday import utc_now

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
from test_report_formats import make_history  # noqa: E402 - the shared history


def _export(window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, target: Path,
            kind: str) -> None:
    monkeypatch.setattr(window, "ask_report_path", lambda: (target, kind))
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    # charts load on the UI thread first, then the file is written by a worker
    qtbot.waitUntil(lambda: window._export_task is None and (
        "wrote" in window.statusBar().currentMessage().lower()
        or window.message_box is not None), timeout=20000)


def test_the_menu_action_is_there(window: Any) -> None:
    action = window.export_report_action
    assert action.text() == "Export progress &report…"
    assert action.shortcut().toString() == "Ctrl+Shift+E"
    assert action in window.menuBar().actions()[0].menu().actions()


@pytest.mark.parametrize("kind", ["html", "pdf", "csv"])
def test_export_progress_report(window: Any, store: Any, qtbot: Any,
                                monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                kind: str) -> None:
    # Reviews at 9:00 and later each day: ending yesterday keeps them all in the past, whatever
    # the hour the test runs at.
    count = make_history(store, utc_now() - timedelta(days=1), days=5)
    store.set_setting("learner_name", "Grace")
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / f"progress.{kind}"
    _export(window, qtbot, monkeypatch, target, kind)
    data = target.read_bytes()
    if kind == "html":
        assert b"<svg" in data
        assert b"Progress report \xe2\x80\x94 Grace" in data
    elif kind == "pdf":
        assert data.startswith(b"%PDF-")
    else:
        assert data.decode("utf-8-sig").count("\r\n") == count + 1
    assert "wrote the progress report" in window.statusBar().currentMessage().lower()


def test_a_failed_export_says_why(window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                  tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    _export(window, qtbot, monkeypatch, blocker / "progress.html", "html")
    qtbot.waitUntil(lambda: window.message_box is not None, timeout=5000)
    assert "no such folder" in window.message_box.text()
    window.message_box.close()


def test_the_name_for_reports_is_saved(window: Any, store: Any) -> None:
    page = window.page("settings")
    page.name_edit.setText("  Ada   Lovelace ")
    page.save_button.click()
    assert page.message_label.text() == "Saved."
    assert store.setting("learner_name") == "Ada Lovelace"
    page.refresh()
    assert page.name_edit.text() == "Ada Lovelace"
