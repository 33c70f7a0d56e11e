"""Import (drop, Ctrl+I path, errors), export, settings that persist, pages, geometry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from negodrill.core.models import Preset
from negodrill.ui import theme


def _deck_titles(window: Any) -> list[str]:
    tree = window.decks_page.deck_list
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def _preview(window: Any, qtbot: Any) -> Any:
    qtbot.waitUntil(lambda: window.import_preview is not None
                    and window.import_preview.isVisible(), timeout=5000)
    return window.import_preview


def _drop(window: Any, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert event.isAccepted()


def test_drop_imports_off_the_ui_thread_and_refreshes(window: Any, qtbot: Any,
                                                      mixed_deck_file: Path) -> None:
    assert "Three kinds" not in _deck_titles(window)
    _drop(window, [mixed_deck_file])
    preview = _preview(window, qtbot)
    assert "Three kinds (new deck)" in preview.table.topLevelItem(0).text(0)
    assert preview.table.topLevelItem(0).text(1) == "3"
    assert "Three kinds" not in _deck_titles(window), "the preview writes nothing"
    preview.import_button.click()
    qtbot.waitUntil(lambda: "Three kinds" in _deck_titles(window), timeout=5000)
    qtbot.waitUntil(lambda: window.message_box is not None, timeout=5000)
    assert "3 added" in window.message_box.text()
    window.message_box.close()


def test_import_of_a_bad_file_shows_a_readable_message(window: Any, qtbot: Any,
                                                       tmp_path: Path) -> None:
    bad = tmp_path / "broken.negodeck.json"
    bad.write_text("{not json", encoding="utf-8")
    window.import_files([bad])
    qtbot.waitUntil(lambda: window.message_box is not None, timeout=5000)
    box = window.message_box
    assert box.icon() == QMessageBox.Icon.Warning
    assert "broken.negodeck.json" in box.text()
    assert "Traceback" not in box.text()
    box.close()


def test_ctrl_i_uses_the_file_dialog_patterns(window: Any, qtbot: Any, monkeypatch: Any,
                                              mixed_deck_file: Path) -> None:
    from negodrill.deckio.importing import IMPORT_PATTERNS

    assert all(p in window.import_patterns() for p in IMPORT_PATTERNS)
    monkeypatch.setattr(window, "ask_import_paths", lambda: [mixed_deck_file])
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    _preview(window, qtbot).import_button.click()
    qtbot.waitUntil(lambda: "Three kinds" in _deck_titles(window), timeout=5000)


def test_export_selected_deck(window: Any, qtbot: Any, monkeypatch: Any, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "starter.negodeck.json"
    monkeypatch.setattr(window, "ask_export_path", lambda title: (target, "negodeck.json"))
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    task = window._export_task
    assert task is not None
    with qtbot.waitSignal(task.signals.finished, timeout=5000):
        pass
    doc = json.loads(target.read_text("utf-8"))
    assert doc["deck"]["title"] == "Starter course"
    assert len(doc["cards"]) == 42


def test_settings_persist_and_invalid_values_are_explained(window: Any, qtbot: Any,
                                                          store: Any) -> None:
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Comma,
                   Qt.KeyboardModifier.ControlModifier)
    page = window.page("settings")
    assert window.stack.currentWidget() is page
    page.retention_edit.setText("1.5")
    page.save_button.click()
    assert "retention" in page.message_label.text().lower()
    assert store.preset().desired_retention == Preset().desired_retention
    page.retention_edit.setText("85%")
    page.new_edit.setText("7")
    page.reviews_edit.setText("99")
    page.rollover_edit.setText("3")
    page.steps_edit.setText("2 15 60")
    page.theme_combo.setCurrentIndex(page.theme_combo.findData("dark"))
    page.save_button.click()
    assert page.message_label.text() == "Saved."
    preset = store.preset()
    assert (preset.desired_retention, preset.new_per_day, preset.reviews_per_day,
            preset.rollover_hour, preset.learning_steps_min) == (0.85, 7, 99, 3, (2, 15, 60))
    assert store.setting("theme") == "dark"
    assert theme.is_dark()
    page.steps_edit.setText("soon")
    page.save_button.click()
    assert "minutes" in page.message_label.text()
    app = QApplication.instance()
    theme.apply_theme(app, "light")


def test_progress_page_shows_the_figures(window: Any, qtbot: Any) -> None:
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    page = window.page("progress")
    assert window.stack.currentWidget() is page
    decks = window.decks_page.deck_list.topLevelItemCount()
    assert page.deck_combo.count() == decks + 1  # All decks, then each deck
    assert page.values["reviews"].text() == "0"
    assert page.values["retention"].text() == "no review cards yet"
    qtbot.waitUntil(lambda: page.charts_drawn, timeout=30_000)


def test_geometry_is_remembered(window: Any, store: Any, qtbot: Any) -> None:
    from negodrill.ui.main_window import MainWindow

    window.resize(700, 520)
    window.save_window_geometry()
    assert isinstance(store.setting("window_geometry"), str)
    again = MainWindow(store)
    qtbot.addWidget(again)
    assert again.size().width() == 700


def test_shortcuts_dialog_lists_the_menu_shortcuts(window: Any, qtbot: Any) -> None:
    from negodrill.ui.help_dialog import shortcut_rows

    rows = dict(shortcut_rows(window.all_actions()))
    assert rows["Import deck"] == "Ctrl+I"
    assert rows["Quit"] == "Ctrl+Q"
    assert "Ctrl+B" in rows.values()


def test_every_control_has_an_accessible_name(window: Any) -> None:
    from PySide6.QtWidgets import QAbstractButton, QLineEdit, QTreeWidget

    window.show_page("settings")
    window.ensure_review_page()
    controls = [w for kind in (QAbstractButton, QLineEdit, QTreeWidget)
                for w in window.findChildren(kind)]
    missing = [
        f"{type(w).__name__}:{getattr(w, 'text', lambda: '')()}" for w in controls
        if not w.accessibleName() and w.isVisibleTo(window)
    ]
    assert not missing


@pytest.mark.parametrize("name", ["browse", "practice"])
def test_other_pages_open_lazily(window: Any, qtbot: Any, name: str) -> None:
    window.show_page(name)
    assert window.current_page_name() == name
    assert "negodrill" in window.windowTitle()


def test_f1_opens_the_shortcuts_dialog(window: Any, qtbot: Any) -> None:
    from negodrill.ui.help_dialog import ShortcutsDialog

    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.table.rowCount() > 15
    dialog.close()


def test_d_goes_back_to_decks_from_progress(window: Any, qtbot: Any) -> None:
    window.show_page("progress")
    qtbot.keyClick(window.page("progress"), Qt.Key.Key_D)
    assert window.current_page_name() == "decks"


def test_a_cancelled_preview_changes_nothing_and_an_anki_package_imports(
    window: Any, qtbot: Any, tmp_path: Path
) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deckio"))
    from anki_builders import Note, legacy_apkg  # type: ignore[import-not-found]

    package = legacy_apkg(tmp_path / "colleague.apkg", [
        Note(["Opening a <b>cold call</b>", "Is now a bad time?"], deck="Sales::Calls"),
        Note(["Stalled deal", "Have you given up?"], deck="Sales::Calls"),
    ])
    db = window.store.path
    before = db.read_bytes()
    window.import_files([package])
    preview = _preview(window, qtbot)
    assert "Anki package" in preview.heading.text()
    assert preview.table.topLevelItem(0).text(0) == "Sales::Calls (new deck)"
    preview.cancel_button.click()
    qtbot.waitUntil(lambda: not window._importing, timeout=5000)
    assert "cancelled" in window.statusBar().currentMessage()
    assert "Sales::Calls" not in _deck_titles(window)
    assert db.read_bytes() == before
    window.import_files([package])
    _preview(window, qtbot).import_button.click()
    qtbot.waitUntil(lambda: "Sales::Calls" in _deck_titles(window), timeout=5000)


@pytest.mark.parametrize(("kind", "check"), [
    ("apkg", lambda p: "collection.anki2" in __import__("zipfile").ZipFile(p).namelist()),
    ("tsv", lambda p: p.read_text("utf-8").startswith("#separator:tab")),
])
def test_export_offers_anki_formats(window: Any, qtbot: Any, monkeypatch: Any, tmp_path: Path,
                                   kind: str, check: Any) -> None:
    target = tmp_path / f"starter.{kind}"
    monkeypatch.setattr(window, "ask_export_path", lambda title: (target, kind))
    window.export_action.trigger()
    task = window._export_task
    with qtbot.waitSignal(task.signals.finished, timeout=10000):
        pass
    assert check(target)
    assert "Starter course" in window.statusBar().currentMessage()
