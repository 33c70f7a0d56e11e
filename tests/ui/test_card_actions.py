"""Acting on the card being studied: bury it until tomorrow, flag it, open it in Browse."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from negodrill.storage import browse


def _study_starter(window: Any, qtbot: Any) -> Any:
    window.decks_page.select_deck(window.store.find_deck("Starter course"))
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Return)
    return window.review_page


def _check(page: Any, qtbot: Any, text: str = "Is now a bad time to talk about it?") -> None:
    qtbot.keyClicks(page.rewrite_edit, text)
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Return)


def test_minus_buries_the_checked_card_until_the_next_study_day(window: Any, qtbot: Any) -> None:
    page = _study_starter(window, qtbot)
    first = page.current_card
    qtbot.keyClicks(page.rewrite_edit, "-")  # before Check, "-" is typing
    assert page.rewrite_edit.text() == "-"
    assert page.current_card.id == first.id
    page.rewrite_edit.clear()
    _check(page, qtbot)
    qtbot.keyClick(page, Qt.Key.Key_Minus)
    assert page.current_card.id != first.id
    assert "buried until tomorrow" in window.statusBar().currentMessage()
    store = window.store
    assert store._db.execute("SELECT suspended FROM card WHERE id = ?",
                            [first.id]).fetchone()[0] == 2
    assert store._db.execute("SELECT count(*) FROM review").fetchone()[0] == 0  # no grade
    # The next study day: back in the queue.
    today = page.session.today
    store.unbury_before(today.start_ms)  # the same day: still buried
    assert store._db.execute("SELECT suspended FROM card WHERE id = ?",
                            [first.id]).fetchone()[0] == 2
    store.unbury_before(today.end_ms)
    assert store._db.execute("SELECT suspended FROM card WHERE id = ?",
                            [first.id]).fetchone()[0] == 0


def test_ctrl_1_flags_and_b_opens_the_card_in_browse(window: Any, qtbot: Any) -> None:
    page = _study_starter(window, qtbot)
    card = page.current_card
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert "flagged" in window.statusBar().currentMessage().lower()
    flagged = browse.page(window.store, browse.BrowseQuery(state=browse.StateFilter.FLAGGED),
                          0, 10)
    assert [row.id for row in flagged] == [card.id]
    assert flagged[0].flag == 1
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_B)  # before Check: typing
    assert page.rewrite_edit.text() == "b"
    page.rewrite_edit.clear()
    _check(page, qtbot)
    qtbot.keyClick(page, Qt.Key.Key_B)
    browse_page = window.page("browse")
    assert window.stack.currentWidget() is browse_page
    assert browse_page.search_edit.text() == f"id:{window.store.card_key(card.id)}"
    assert browse_page.model.rowCount() == 1
    assert browse_page.model.index(0, 2).data().startswith("⚑ ")
    assert browse_page.table.selectionModel().selectedRows()[0].row() == 0
