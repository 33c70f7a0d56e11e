"""Focus goes where typing goes, and the window always fits the screen it opens on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect


def test_practice_and_browse_take_the_typing(window: Any, qtbot: Any) -> None:
    window.show_page("practice")
    practice = window.page("practice")
    qtbot.waitUntil(practice.sentence_edit.hasFocus)
    qtbot.keyClicks(practice.sentence_edit, "Is now a bad time?")
    assert practice.sentence_edit.toPlainText() == "Is now a bad time?"
    window.show_page("browse")
    browse = window.page("browse")
    qtbot.waitUntil(browse.search_edit.hasFocus)
    qtbot.keyClicks(browse.search_edit, "deadline")
    assert browse.search_edit.text() == "deadline"
    assert window.current_page_name() == "browse"  # "d" typed into the box, not a jump


def test_a_big_saved_geometry_is_fitted_to_a_small_screen(window: Any, qtbot: Any) -> None:
    window.resize(3000, 2000)
    window.move(400, 300)
    small = QRect(0, 0, 1280, 800)  # a 1600x1000 laptop at 125 %
    window.fit_into(small)
    frame = window.frameGeometry()
    assert small.contains(frame)
    assert window.minimumWidth() <= small.width()
    tiny = QRect(0, 0, 500, 380)  # smaller than the usual minimum: the screen wins
    window.fit_into(tiny)
    assert window.width() <= 500
    assert window.height() <= 380


def test_the_window_has_a_sensible_minimum(window: Any) -> None:
    assert window.minimumWidth() >= 500
    assert window.minimumHeight() >= 380


def test_coming_back_to_the_window_shows_what_the_terminal_changed(
        window: Any, store: Any, monkeypatch: Any) -> None:
    from PySide6.QtCore import QEvent

    from negodrill.deckio.importing import import_file
    from negodrill.storage.store import Store

    sample = Path(__file__).resolve().parents[1] / "data" / "conversation_sample.negodeck.json"
    rows = window.decks_page.deck_list.model().rowCount()
    other = Store.open(Path(store.path))  # as `negodrill import` in a terminal would
    import_file(other, sample)
    other.close()
    assert window.decks_page.deck_list.model().rowCount() == rows
    monkeypatch.setattr(window, "isActiveWindow", lambda: True)
    window.changeEvent(QEvent(QEvent.Type.ActivationChange))  # a moment after the start
    assert window.decks_page.deck_list.model().rowCount() == rows  # it was just filled
    window._decks_refreshed_at -= 60  # coming back a minute later
    window.changeEvent(QEvent(QEvent.Type.ActivationChange))
    assert window.decks_page.deck_list.model().rowCount() == rows + 1


def test_file_dialogs_open_where_the_last_one_was(window: Any, tmp_path: Path,
                                                  monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QFileDialog

    opened: list[str] = []
    chosen = tmp_path / "decks" / "mine.negodeck.json"
    chosen.parent.mkdir()

    def fake(_parent: Any, _title: str, folder: str, _filters: str) -> tuple[list[str], str]:
        opened.append(folder)
        return [str(chosen)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", fake)
    window.ask_import_paths()
    window.ask_import_paths()
    assert opened == [str(Path.home()), str(chosen.parent)]


def test_about_names_the_data_dir(window: Any, store: Any) -> None:
    assert window.data_dir() == str(Path(store.path).parent)
