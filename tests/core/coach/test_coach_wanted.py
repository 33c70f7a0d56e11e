"""Mislabel versus sincere label when the body names no cue word (TECHNIQUES.md §1 rules 3-4).

A label body that states the wanted reading (willingness, approval, the ask restated) is a
sincere label; a neutral account of the counterpart's situation is, in this drill, the obstacle
behind a "no", so it reads as a mislabel.
"""

from __future__ import annotations

import pytest

from negodrill.core.coach import analyse

NEUTRAL_OBSTACLES = [
    ("It looks like Sundays are your busiest service of the week.", "Can we shoot on Sunday?"),
    ("It sounds like the house band has the stage until six.", "Can we get a soundcheck at 5?"),
    ("It seems like editing always takes you six weeks.", "Can you send the photos this month?"),
    (
        "It seems like the co-op wants to keep the baler on site.",
        "Can the co-op lend us the baler?",
    ),
    ("It seems like you're planning to sell the house.", "Can we renew the lease for two years?"),
]

WANTED_READINGS = [
    ("It seems like you're planning to renew.", "Can we renew the lease for two years?"),
    ("It looks like the contract is basically signed.", "Will you sign the venue contract?"),
    ("It sounds like you can't wait to start the install.", "Will you go ahead with the install?"),
    (
        "Seems like you're fine with a bit of colour on the walls.",
        "Will you let me paint the hall?",
    ),
    ("It seems like you'd jump at the chance to sponsor us.", "Will you sponsor our marathon?"),
]


@pytest.mark.parametrize(("text", "ask"), NEUTRAL_OBSTACLES)
def test_neutral_situation_is_an_accepted_mislabel(text: str, ask: str) -> None:
    result = analyse(text, ask)
    assert result.label == "mislabel"
    assert result.accepted, result.flaws


@pytest.mark.parametrize(("text", "ask"), WANTED_READINGS)
def test_wanted_reading_is_a_sincere_label(text: str, ask: str) -> None:
    result = analyse(text, ask)
    assert result.label == "label"
    assert "labels_wanted_outcome" in result.flaws


def test_without_an_ask_a_label_stays_a_label() -> None:
    assert analyse("It looks like Sundays are your busiest service.").label == "label"


@pytest.mark.parametrize(
    ("text", "ask", "pushy"),
    [
        ("Would you be against signing the venue contract right now?", "Will you sign it?", True),
        ("Would it be ridiculous to just have the car finished today?", "Can you fix it?", True),
        ("Is restarting the router a bad idea right now?", "Can you restart the router?", False),
        ("Would a private room for Mum be off the table right now?", "Can Mum have a room?", False),
        ("Is today a bad day for a review of my PR?", "Can you review my PR today?", False),
    ],
)
def test_deadline_pressure(text: str, ask: str, pushy: bool) -> None:
    assert ("pushy" in analyse(text, ask).flaws) is pushy


def test_gerund_subject_question_without_question_mark() -> None:
    result = analyse(
        "would lending us the baler next week be too much to ask", "Can you lend us the baler?"
    )
    assert result.label == "no_oriented"
    assert result.accepted
