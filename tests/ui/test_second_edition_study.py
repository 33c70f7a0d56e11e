"""Studying second-edition cards: the counterpart's replies after Check, the hint of a level-2
drill, pick-all-that-apply choice cards, drills that want a label or a calibrated question, and
a card's own pitfalls — in the window, the terminal and the session they share."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from negodrill.cli.study_cmd import TerminalStudy
from negodrill.core.models import CardType, Grade
from negodrill.core.session import ReviewSession
from negodrill.deckio.importing import import_file

DECK: dict[str, Any] = {
    "format": "negodrill-deck",
    "format_version": 2,
    "deck": {"id": "7e6d5c4b-3a29-4187-9654-3210fedcba98", "title": "Second edition",
             "revision": 1, "order": "as-written"},
    "techniques": [{"id": "no-question", "name": "No-oriented question"},
                   {"id": "label", "name": "Label"}],
    "cards": [
        {
            "id": "hint-drill", "type": "drill", "level": 2,
            "situation": "You phone a clinic manager who downloaded your brochure.",
            "prompt": "Do you have ten minutes for a demo?",
            "prompt_reply": "Sure, just email me something.",
            "technique": "no-question", "hint": "Name a bad moment for them.",
            "rewrites": [{"text": "Is this a bad moment for a quick demo?",
                          "reply": "No, go on, I have ten minutes."},
                         {"text": "Would a demo this week be a hassle to fit in?",
                          "reply": "Not if it's short."}],
            "pitfalls": [{"text": "Could you spare ten minutes for a demo?",
                          "why": "Only the wording changed.",
                          "reply": "Maybe later, send it by email."},
                         {"text": "It sounds like you are too busy for anything this week.",
                          "why": "She really is swamped: this hands her the way out.",
                          "reply": "Yes, exactly, call me next month.",
                          "situational": True}],
            "notes": "Either answer is honest.",
        },
        {
            "id": "pick-all", "type": "choice", "level": 1,
            "question": "Which lines invite an honest no? Pick all that apply.",
            "options": [
                {"id": "a", "text": "Is now a bad time?", "correct": True, "why": "No helps."},
                {"id": "b", "text": "Have you given up on this?", "correct": True,
                 "why": "No re-opens it."},
                {"id": "c", "text": "Is now a good time?", "why": "It asks for a yes."},
            ],
        },
        {
            "id": "label-drill", "type": "drill", "level": 3,
            "situation": "Your neighbour stands at your door, furious about your dog barking.",
            "prompt": "Calm down, it's only a dog.",
            "prompt_reply": "Don't tell me to calm down.",
            "technique": "label", "accepts": ["label"],
            "rewrites": [{"text": "It sounds like the barking has been wearing you down.",
                          "reply": "It has. I work nights."},
                         {"text": "You seem exhausted by all of this.",
                          "reply": "I am."}],
            "pitfalls": [{"text": "Why are you so upset about a dog?",
                          "why": "A why question asks them to defend being upset.",
                          "reply": "Because I can't sleep!"}],
            "notes": "Let the silence work.",
        },
    ],
}


def _import(store: Any, tmp_path: Path) -> None:
    path = tmp_path / "second.negodeck.json"
    path.write_text(json.dumps(DECK), encoding="utf-8")
    import_file(store, path)


def _study(window: Any, qtbot: Any, title: str) -> Any:
    window.refresh_decks()
    tree = window.decks_page.deck_list
    for i in range(tree.topLevelItemCount()):
        if tree.topLevelItem(i).text(0) == title:
            tree.setCurrentItem(tree.topLevelItem(i))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    return window.review_page


def test_the_study_page_shows_hint_replies_and_takes_a_set_of_picks(
        window: Any, qtbot: Any, store: Any, tmp_path: Path) -> None:
    _import(store, tmp_path)
    page = _study(window, qtbot, "Second edition")
    # A level-2 drill: the page names the moves, Ctrl+H shows the hint before checking.
    assert page.current_card.type is CardType.DRILL
    assert "a no-oriented question or a mislabel" in page.kind_label.text()
    assert "Ctrl+H" in page.hint_label.text()
    assert not page.drill_hint_label.isVisible()
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert page.drill_hint_label.isVisible()
    assert page.drill_hint_label.text() == "Hint: Name a bad moment for them."
    # A pitfall that only the situation makes wrong is not accepted, and says why.
    qtbot.keyClicks(page.rewrite_edit,
                    "It sounds like you are too busy for anything this week.")
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Return)
    assert page.verdict.correct is False
    assert page.verdict.suggested is Grade.AGAIN
    assert "pitfalls" in page.verdict_view.feedback.text()
    details = page.details_label.text()
    assert "Sure, just email me something." in details  # what the prompt would have got
    assert "No, go on, I have ten minutes." in details  # each reference's reply
    assert "Maybe later, send it by email." in details  # each pitfall's reply
    assert not page.drill_hint_label.isVisible()
    qtbot.keyClick(page, Qt.Key.Key_3)

    # Pick all that apply: number keys toggle, Return checks the set.
    card = page.current_card
    assert card.type is CardType.CHOICE
    assert page.kind_label.text() == "Pick all that apply"
    order = page.session.option_order(card)
    right = [i for i, o in enumerate(order, start=1) if o.correct]
    qtbot.keyClick(page, getattr(Qt.Key, f"Key_{right[0]}"))
    assert page.verdict is None  # one pick is not an answer yet
    assert page._option_rows[right[0] - 1].selected
    qtbot.keyClick(page, Qt.Key.Key_Return)
    assert page.verdict.correct is False  # a partly right answer is wrong
    assert all(row.why.isVisible() for row in page._option_rows)
    qtbot.keyClick(page, Qt.Key.Key_1)
    # The label drill: a good label is accepted, a no-oriented question is the wrong move.
    assert page.current_card.type is CardType.DRILL
    assert "a label" in page.kind_label.text()
    assert "Ctrl+H" not in page.hint_label.text()  # level 3: no hint
    qtbot.keyClicks(page.rewrite_edit, "Sounds like the barking is keeping you up at night.")
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Return)
    assert page.verdict.correct is True
    assert page.verdict.suggested is Grade.GOOD


def test_every_right_option_and_no_other_is_right(store: Any, tmp_path: Path) -> None:
    _import(store, tmp_path)
    deck = next(d for d in store.deck_ids() if store.deck(d)["title"] == "Second edition")
    session = ReviewSession(store, deck_ids=[deck], fuzz=False)
    session.grade(Grade.GOOD)  # past the drill
    card = session.current()
    assert card is not None
    order = session.option_order(card)
    right = [str(i) for i, o in enumerate(order, start=1) if o.correct]
    wrong = next(str(i) for i, o in enumerate(order, start=1) if not o.correct)
    assert session.check(",".join(right)).correct is True
    assert session.check(" ".join(reversed(right))).correct is True
    assert session.check(",".join([*right, wrong])).correct is False
    assert session.check(right[0]).correct is False
    verdict = session.check(",".join(right))
    session.grade(verdict.suggested)
    answer = store._db.execute("SELECT answer FROM review ORDER BY id DESC").fetchone()[0]
    assert sorted(answer.split(",")) == ["a", "b"]  # option ids, not shuffled numbers


def test_the_terminal_shows_the_hint_replies_and_takes_numbers_for_a_set(
        store: Any, tmp_path: Path) -> None:
    _import(store, tmp_path)
    deck = next(d for d in store.deck_ids() if store.deck(d)["title"] == "Second edition")
    session = ReviewSession(store, deck_ids=[deck], fuzz=False)
    picks = ",".join(str(i) for i, o in enumerate(session.option_order(
        store.card(store._db.execute("SELECT id FROM card WHERE key = 'pick-all'")
                   .fetchone()[0])), start=1) if o.correct)
    typed = "\n".join(["?", "Is this a bad moment for a quick demo?", "3",
                       picks, "", "You seem worn out by the noise.", ""]) + "\n"
    out = io.StringIO()
    TerminalStudy(session, out=out, inp=io.StringIO(typed)).run()
    text = out.getvalue()
    assert "Rewrite it as a no-oriented question or a mislabel. (A line with just ? shows" in text
    assert "Hint: Name a bad moment for them." in text
    assert '"Do you have ten minutes for a demo?" would likely get: "Sure, just email me' in text
    assert 'They: "No, go on, I have ten minutes."' in text
    assert "Pick all that apply: type their numbers, like 1,3." in text
    assert "Right: every right option and no other." in text
    assert "Rewrite it as a label." in text
    assert store._db.execute("SELECT count(*) FROM review").fetchone()[0] == 3
