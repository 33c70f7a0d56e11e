"""Keyboard-driven study in the main window: deck list, the three card types, undo, summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from negodrill.core.models import CardType
from negodrill.deckio.importing import import_file


def _review_count(store: Any) -> int:
    return int(store._db.execute("SELECT count(*) FROM review").fetchone()[0])


def _select_deck(window: Any, title: str) -> None:
    tree = window.decks_page.deck_list
    for i in range(tree.topLevelItemCount()):
        if tree.topLevelItem(i).text(0) == title:
            tree.setCurrentItem(tree.topLevelItem(i))
            return
    raise AssertionError(f"no deck {title!r}")


def test_window_title_first_deck_selected_and_focused(window: Any, qtbot: Any) -> None:
    assert "negodrill" in window.windowTitle()
    tree = window.decks_page.deck_list
    qtbot.waitUntil(tree.hasFocus)
    assert tree.currentItem().text(0) == "Starter course"
    assert tree.topLevelItemCount() >= 2
    new, due, total = (int(tree.currentItem().text(c)) for c in (1, 2, 3))
    assert total >= new > 0
    assert due == 0
    assert "Streak" in window.decks_page.today_label.text()


def test_return_studies_the_selected_deck(window: Any, qtbot: Any) -> None:
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Return)
    page = window.review_page
    assert window.stack.currentWidget() is page
    assert page.current_card.type is CardType.DRILL
    qtbot.waitUntil(page.rewrite_edit.hasFocus)
    assert page.position_label.text() == "New 20 · Learning 0 · Review 0"  # today's new limit


def test_keypad_enter_and_s_study(window: Any, qtbot: Any) -> None:
    keypad = Qt.KeyboardModifier.KeypadModifier
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Enter, keypad)
    assert window.stack.currentWidget() is window.review_page
    qtbot.keyClick(window.review_page.rewrite_edit, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.decks_page
    qtbot.waitUntil(window.decks_page.deck_list.hasFocus)
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_S)
    assert window.stack.currentWidget() is window.review_page


def test_drill_live_verdict_check_and_grade(window: Any, qtbot: Any, store: Any) -> None:
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Return)
    page = window.review_page
    box = page.rewrite_edit
    qtbot.keyClicks(box, "Is now a bad time to talk about your cleaning contract?")
    qtbot.waitUntil(lambda: page.verdict_view.chip.label == "no_oriented", timeout=2000)
    assert page.verdict_view.feedback.text()
    assert "background-color" in page.verdict_view.answer.text()  # cue words highlighted
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert page.verdict is not None
    assert page.verdict.correct
    assert not box.hasFocus()
    assert "Reference rewrites" in page.details_label.text()
    assert "Pitfalls" in page.details_label.text()
    good = page.grade_buttons[page.verdict.suggested]
    assert good.property("suggested") is True
    assert all("\n" in b.text() for b in page.grade_buttons.values())  # next intervals shown
    qtbot.keyClick(page, Qt.Key.Key_3)
    assert _review_count(store) == 1
    # The answered new card went to learning: counts move, they never grow.
    assert page.position_label.text() == "New 19 · Learning 1 · Review 0"


def test_undo_from_the_empty_rewrite_box(window: Any, qtbot: Any, store: Any) -> None:
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Return)
    page = window.review_page
    first = page.current_card.id
    qtbot.keyClicks(page.rewrite_edit, "Is now a bad time?")
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Return)
    qtbot.keyClick(page, Qt.Key.Key_1)
    assert _review_count(store) == 1
    assert page.current_card.id != first
    qtbot.waitUntil(page.rewrite_edit.hasFocus)
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _review_count(store) == 0
    assert page.current_card.id == first
    # With text typed, Ctrl+Z undoes the typing, not a grade.
    qtbot.keyClicks(page.rewrite_edit, "Is it")
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.current_card.id == first


def test_three_card_types_by_keyboard(window: Any, qtbot: Any, store: Any,
                                      mixed_deck_file: Path) -> None:
    import_file(store, mixed_deck_file)
    window.refresh_decks()
    _select_deck(window, "Three kinds")
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Return)
    page = window.review_page
    # drill
    assert page.current_card.type is CardType.DRILL
    qtbot.keyClicks(page.rewrite_edit, "Can we talk?")
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Return)
    assert page.verdict is not None
    assert page.verdict.correct is False
    qtbot.keyClick(page, Qt.Key.Key_1)
    # basic: Space reveals, then 3
    assert page.current_card.type is CardType.BASIC
    assert not page.back_label.isVisible()
    qtbot.keyClick(page, Qt.Key.Key_Space)
    assert page.back_label.isVisible()
    qtbot.keyClick(page, Qt.Key.Key_3)
    # choice: a number picks, then 3 grades
    card = page.current_card
    assert card.type is CardType.CHOICE
    options = page.session.option_order(card)
    right = next(i for i, o in enumerate(options, start=1) if o.correct)
    qtbot.keyClick(page, getattr(Qt.Key, f"Key_{right}"))
    assert page.verdict.correct is True
    # Every option explains itself after the pick, not only the picked and the right one.
    assert all(row.why.isVisible() and ("Right" in row.why.text() or "Wrong" in row.why.text())
               for row in page._option_rows)
    assert all(row.isEnabled() for row in page._option_rows)
    qtbot.keyClick(page, Qt.Key.Key_3)
    # the drill graded Again comes back within the session; grade it Good
    while page.current_card is not None:
        if page.current_card.type is CardType.DRILL:
            qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Return)
        else:
            qtbot.keyClick(page, Qt.Key.Key_Space)
        qtbot.keyClick(page, Qt.Key.Key_4)
    assert page.views.currentWidget() is page.summary_view
    text = page.summary_label.text()
    assert "Reviewed" in text
    assert "Correct" in text
    assert "Mistakes" in text
    qtbot.keyClick(page, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.decks_page


def test_escape_returns_in_one_press_from_a_checked_card(window: Any, qtbot: Any) -> None:
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Return)
    page = window.review_page
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Return)
    qtbot.keyClick(page.focusWidget() or page, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.decks_page


def test_undo_from_the_decks_page_brings_back_the_card_and_its_answer(
        window: Any, qtbot: Any, store: Any) -> None:
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Return)
    page = window.review_page
    first = page.current_card.id
    qtbot.keyClicks(page.rewrite_edit, "Is now a bad time to talk?")
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Return)
    qtbot.keyClick(page, Qt.Key.Key_3)
    assert _review_count(store) == 1
    qtbot.keyClick(page, Qt.Key.Key_Escape)
    assert window.current_page_name() == "decks"
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _review_count(store) == 0
    assert window.current_page_name() == "review"
    assert page.current_card.id == first
    assert page.rewrite_edit.text() == "Is now a bad time to talk?"  # typed again for you


def test_suspend_and_edit_the_answered_card(window: Any, qtbot: Any, store: Any,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from negodrill.ui.card_editor import CardEditor

    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Return)
    page = window.review_page
    first = page.current_card.id
    qtbot.keyClicks(page.rewrite_edit, "E@")  # typed into the answer: no action fires
    assert page.rewrite_edit.text() == "E@"
    assert page.current_card.id == first
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Return)
    qtbot.keyClick(page, Qt.Key.Key_At)
    assert store.card(first).suspended
    assert page.current_card.id != first
    assert _review_count(store) == 0  # suspending grades nothing
    second = page.current_card.id

    def edit_and_save(editor: CardEditor) -> int:
        editor.form.prompt.setText("Do you have five minutes to talk about the contract?")
        editor.save()
        return 1

    monkeypatch.setattr(CardEditor, "exec", edit_and_save)
    qtbot.keyClicks(page.rewrite_edit, "Is now a bad time?")
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Return)
    qtbot.keyClick(page, Qt.Key.Key_E)
    assert page.current_card.id == second
    assert page.prompt_label.text() == "“Do you have five minutes to talk about the contract?”"
    assert page.verdict is None  # shown afresh, to answer again
