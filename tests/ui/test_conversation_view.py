"""A conversation card in the window, played with keys only: typed moves, Return, Tab, 1-4."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def conversation_deck(store: Any) -> int:
    from negodrill.deckio.importing import import_file

    import_file(store, DATA / "conversation_sample.negodeck.json")
    return next(d for d in store.deck_ids() if store.deck(d)["title"] == "Conversation sample")


def _type_and_send(qtbot: Any, box: Any, text: str) -> None:
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_a_whole_conversation_by_keyboard(window: Any, qtbot: Any, store: Any,
                                          conversation_deck: int) -> None:
    window.study_deck(conversation_deck)
    page = window.review_page
    view = page.conversation_view
    assert view.isVisible()
    assert page.kind_label.text().startswith("Conversation")
    box = view.move_edit
    qtbot.waitUntil(box.hasFocus)
    # Turn 1: the learner's opening is shown; a live verdict follows typing.
    assert "about to ask" in view.bubbles()[0].who.text()
    qtbot.keyClicks(box, "Is now a bad time to talk about the rent?")
    qtbot.waitUntil(lambda: view.verdict_view.chip.label == "no_oriented", timeout=2000)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert view.play.index == 1
    said = [b.text.text() for b in view.bubbles()]
    # Then: the move, the counterpart's reply to it, and the next turn's line.
    assert said[-3] == "Is now a bad time to talk about the rent?"
    assert said[-2] == "No, it's fine, I have a minute. What is it?"
    assert said[-1].startswith("The 1st is when all my tenants pay.")
    assert "✓" in view.bubbles()[-3].note.text()
    # Turn 2: a label gets the label's own reply.
    _type_and_send(qtbot, box, "It sounds like late rent has cost you before.")
    assert "burned once" in [b.text.text() for b in view.bubbles()][-2]
    # Turn 3: Tab shows the model answer, which counts the turn as missed.
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert box.hasFocus()
    assert any(b.kind == "model" for b in view.bubbles())
    _type_and_send(qtbot, box, "How could we make a later date safe for you?")
    # Turn 4: a threat after a good question gets the counterpart's defence.
    _type_and_send(qtbot, box, "Would a standing order be a problem? Otherwise I'm moving out.")
    assert view.bubbles()[-1].text.text() == "Then we leave it as it is."
    assert view.play.finished
    assert not box.isVisible()
    assert "Suggested grade: <b>Hard</b>" in view.summary.text()
    assert page.verdict is not None
    assert page.grade_buttons[page.verdict.suggested].property("suggested") is True
    qtbot.keyClick(page, Qt.Key.Key_3)
    rows = store._db.execute("SELECT id, rating, coach_label FROM review").fetchall()
    assert len(rows) == 1
    review_id, rating, label = rows[0]
    assert (rating, label) == (3, None)
    turns = store._db.execute(
        "SELECT turn, answer, coach_label, coach_flaws, fits, shown_model FROM review_turn "
        "WHERE review_id = ? ORDER BY turn", [review_id]).fetchall()
    assert [t[0] for t in turns] == [0, 1, 2, 3]
    assert turns[1][2] == "label"
    assert turns[2][5] == 1  # the model was shown on turn 3
    assert json.loads(turns[3][3]) == ["pushy"]
    # Ctrl+Z takes the grade back, turns and all.
    qtbot.keyClick(page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store._db.execute("SELECT count(*) FROM review_turn").fetchone()[0] == 0
    assert view.isVisible()
    assert view.play.index == 0


def test_escape_leaves_an_unfinished_conversation_ungraded(window: Any, qtbot: Any, store: Any,
                                                           conversation_deck: int) -> None:
    window.study_deck(conversation_deck)
    view = window.review_page.conversation_view
    _type_and_send(qtbot, view.move_edit, "Is now a bad time?")
    qtbot.keyClick(view.move_edit, Qt.Key.Key_Escape)
    assert window.current_page_name() == "decks"
    assert store._db.execute("SELECT count(*) FROM review").fetchone()[0] == 0
