""""The coach is wrong" in the window: Ctrl+D on the Review and Practice pages keeps the
learner's correction in the collection, where `coach disagreements` finds it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from negodrill.storage.disagreements import disagreements


def _answer_dialog(qtbot: Any, label: str, clean: bool, comment: str) -> list[str]:
    """Fill in the dialog as soon as it opens; returns what it showed."""
    seen: list[str] = []

    def fill() -> None:
        from negodrill.ui.disagree_dialog import DisagreeDialog

        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DisagreeDialog):
            QTimer.singleShot(20, fill)
            return
        seen.append(dialog.windowTitle())
        dialog.label_combo.setCurrentIndex(dialog.label_combo.findData(label))
        dialog.clean_box.setChecked(clean)
        qtbot.keyClicks(dialog.comment_edit, comment)
        dialog.accept()

    QTimer.singleShot(0, fill)
    return seen


def test_ctrl_d_on_the_review_page_keeps_the_correction(window: Any, qtbot: Any,
                                                        store: Any) -> None:
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Return)
    page = window.review_page
    card = page.current_card
    qtbot.keyClicks(page.rewrite_edit, "Would talking now be a bit bleurgh for you?")
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Return)
    assert page.disagree_button.isVisible()
    seen = _answer_dialog(qtbot, "no_oriented", True, "bleurgh means a burden")
    qtbot.keyClick(page, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["The coach is wrong"]
    (kept,) = disagreements(store)
    assert kept.text == "Would talking now be a bit bleurgh for you?"
    assert kept.ask == card.content.prompt
    assert kept.situation == card.content.situation
    assert kept.card_id == card.id
    assert kept.coach_label == page.verdict.assessment.label
    assert (kept.learner_label, kept.learner_clean) == ("no_oriented", True)
    assert kept.comment == "bleurgh means a burden"
    assert "correction is kept" in window.statusBar().currentMessage()
    # The grade is the learner's to give, as before: nothing was graded.
    assert page.verdict is not None


def test_cancel_keeps_nothing(window: Any, qtbot: Any, store: Any) -> None:
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Return)
    page = window.review_page
    qtbot.keyClicks(page.rewrite_edit, "Is now a bad time?")

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, cancel)
            return
        dialog.reject()

    QTimer.singleShot(0, cancel)
    page.disagree_button.click()
    assert disagreements(store) == []


def test_nothing_to_disagree_with_before_typing(window: Any, qtbot: Any, store: Any) -> None:
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Return)
    page = window.review_page
    with qtbot.assertNotEmitted(page.disagree_requested):
        page.disagree()
    assert disagreements(store) == []


@pytest.mark.parametrize("via_button", [False, True])
def test_the_practice_page_disagrees_too(window: Any, qtbot: Any, store: Any,
                                         via_button: bool) -> None:
    window.show_page("practice")
    page = window.page("practice")
    page.ask_edit.setText("Can we extend the lease?")
    qtbot.keyClicks(page.sentence_edit, "It sounds like the lease is a done deal.")
    _answer_dialog(qtbot, "mislabel", False, "")
    if via_button:
        page.disagree_button.click()
    else:
        qtbot.keyClick(page.sentence_edit, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    (kept,) = disagreements(store)
    assert kept.ask == "Can we extend the lease?"
    assert kept.card_id is None
    assert (kept.learner_label, kept.learner_clean, kept.comment) == ("mislabel", False, "")
