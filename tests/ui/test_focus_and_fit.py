"""Focus goes where typing goes, and the window always fits the screen it opens on."""

from __future__ import annotations

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
