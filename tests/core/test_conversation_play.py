"""Playing a conversation: which reply each kind of move gets, and the grade of the whole."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from negodrill.core.cards import content_from_json, content_to_json
from negodrill.core.content import Conversation
from negodrill.core.conversation import ConversationPlay, judge_turn, suggested_grade
from negodrill.core.models import Grade
from negodrill.deckio.validate import coach_problems, schema_problems

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "conversation_sample.negodeck.json"


def sample_doc() -> dict[str, Any]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def sample() -> Conversation:
    content = content_from_json(sample_doc()["cards"][0])
    assert isinstance(content, Conversation)
    return content


@pytest.mark.parametrize(
    ("turn", "text", "kind", "fits"),
    [
        (0, "Would it be a bad time to talk about my rent?", "fit", True),
        (0, "Can you move my rent date?", "yes", False),
        (0, "Is now a bad time, or are you too busy counting your money?", "defend", True),
        (0, "Move my rent date or I'm leaving.", "defend", False),
        (0, "Purple.", "other", False),
        (0, "¿Es un mal momento para hablar?", "other", False),
        (1, "It sounds like you've been let down by tenants before.", "label", True),
        (1, "What happens on your side if the rent comes late?", "fit", True),
        (1, "Why do you care so much about the 1st?", "other", False),
        (3, "Would it be a problem if the standing order went out on the 5th?", "fit", True),
    ],
)
def test_each_kind_of_move_gets_its_reply(turn: int, text: str, kind: str, fits: bool) -> None:
    result = judge_turn(sample(), turn, text)
    assert (result.reply_kind, result.fits) == (kind, fits)
    assert result.reply == sample().turns[turn].reply(kind)


def test_a_fitting_move_with_a_threat_gets_the_defence() -> None:
    result = judge_turn(sample(), 3, "Would a standing order be a problem? If not, I'm "
                        "reporting you to the council.")
    assert result.fits
    assert result.reply_kind == "defend"
    assert "pushy" in result.flaws


def test_the_grade_of_a_whole_conversation() -> None:
    play = ConversationPlay(sample())
    for text in ("Is now a bad time to talk about the rent?",
                 "It sounds like late rent has cost you before.",
                 "How could we make a later date safe for you?",
                 "Would a standing order be a problem?"):
        play.send(text)
    assert play.finished
    assert play.grade is Grade.GOOD
    with pytest.raises(RuntimeError):
        play.send("one more")
    shown = ConversationPlay(sample())
    shown.send("Is now a bad time to talk about the rent?")
    model, why = shown.show_model()
    assert model == sample().turns[1].model
    assert why
    shown.send(model)  # the model itself, after looking: still a missed turn
    assert shown.results[-1].missed
    shown.send("Can I just pay later?")
    shown.send("Would a standing order be a problem?")
    assert shown.grade is Grade.AGAIN  # two of four missed: half
    assert suggested_grade(shown.results[:1], 4) is Grade.AGAIN  # three never played


def test_content_round_trips_through_the_deck_format() -> None:
    card = sample_doc()["cards"][0]
    back = content_to_json(content_from_json(card))
    assert back == {k: v for k, v in card.items() if k not in ("id", "rev")}


def test_validate_checks_conversations() -> None:
    doc = sample_doc()
    assert schema_problems(doc) == []
    assert coach_problems(doc) == []
    broken = copy.deepcopy(doc)
    turns = broken["cards"][0]["turns"]
    del turns[1]["replies"]["defend"]
    turns[2]["opening"] = turns[2].pop("line")
    problems = [p.message for p in schema_problems(broken)]
    assert any("defend" in m for m in problems)
    wrong = copy.deepcopy(doc)
    wrong["cards"][0]["turns"][2]["model"] = "Can you please move it?"
    (problem,) = coach_problems(wrong)
    assert problem.message.startswith("turn 3: the coach reads the model answer")
    assert "yes_seeking" in problem.message or "Yes-seeking" in problem.message
    short = copy.deepcopy(doc)
    short["cards"][0]["turns"] = short["cards"][0]["turns"][:3]
    assert schema_problems(short)
