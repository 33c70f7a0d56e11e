"""analyse(): labels, flaws, spans, feedback and grades on hand-picked sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negodrill.core.coach import LABELS, Assessment, Span, analyse, flaw_descriptions
from negodrill.core.models import Grade

FLAW_CODES = (
    "still_yes_seeking",
    "leading_question",
    "double_negative",
    "starts_with_I",
    "labels_wanted_outcome",
    "qualified_label",
    "label_plus_question",
    "changes_the_ask",
    "accusatory",
    "pushy",
    "why_question",
    "calibrated_not_target",
    "statement_not_question",
    "too_long",
    "not_english",
)
TALK = "Do you have a few minutes to talk?"
RENT = "Can you lower the rent by $100?"


def test_flaw_descriptions_have_the_fifteen_codes_in_order() -> None:
    descriptions = flaw_descriptions()
    assert tuple(descriptions) == FLAW_CODES
    assert all(len(text) > 20 for text in descriptions.values())


@pytest.mark.parametrize(
    ("text", "ask"),
    [
        ("Is now a bad time to talk?", TALK),
        ("It seems like it's the wrong time to talk.", TALK),
        ("Would it be crazy to take $100 off the rent?", RENT),
        ("It sounds like a lower rent is out of the question.", RENT),
        ("Have you given up on this?", "Are you still interested in the project?"),
        ("Bad time?", TALK),
        ("Would you mind if I shared the deck with my team?", "Can I share the deck?"),
    ],
)
def test_valid_rewrites_are_accepted_and_graded_good(text: str, ask: str) -> None:
    result = analyse(text, ask)
    assert result.label in ("no_oriented", "mislabel")
    assert result.flaws == ()
    assert result.accepted
    assert result.suggested_grade is Grade.GOOD


@pytest.mark.parametrize(
    ("text", "ask", "label", "flaw"),
    [
        ("Is now a good time to talk?", TALK, "yes_seeking", "still_yes_seeking"),
        ("Don't you have a few minutes?", TALK, "yes_seeking", "leading_question"),
        ("You have a minute, right?", TALK, "yes_seeking", "leading_question"),
        ("Isn't now a bad time to talk?", TALK, "yes_seeking", "double_negative"),
        ("Is it not a bad idea to not renew?", None, "no_oriented", "double_negative"),
        ("I feel like you're too busy to talk.", TALK, "mislabel", "starts_with_I"),
        ("It seems like you're ready to talk.", TALK, "label", "labels_wanted_outcome"),
        (
            "It seems like now is a bad time, but we should talk.",
            TALK,
            "mislabel",
            "qualified_label",
        ),
        ("It sounds like you're busy. Can we talk?", TALK, "mislabel", "label_plus_question"),
        (
            "Is now a bad time to talk about the garden party?",
            RENT,
            "no_oriented",
            "changes_the_ask",
        ),
        ("It seems like you don't care about your tenants.", RENT, "mislabel", "accusatory"),
        (
            "Would it be crazy to lower the rent? I need you to decide today.",
            RENT,
            "no_oriented",
            "pushy",
        ),
        ("Why won't you lower the rent?", RENT, "other", "why_question"),
        ("What would it take to lower the rent?", RENT, "calibrated", "calibrated_not_target"),
        ("Lower the rent by $100.", RENT, "other", "statement_not_question"),
    ],
)
def test_flawed_rewrites_name_the_flaw(text: str, ask: str | None, label: str, flaw: str) -> None:
    result = analyse(text, ask)
    assert result.label == label
    assert flaw in result.flaws
    assert not result.accepted


def test_grades() -> None:
    assert analyse("Is now a bad time?", TALK).suggested_grade is Grade.GOOD
    assert analyse("I sense it's the wrong time to talk.", TALK).suggested_grade is Grade.HARD
    assert analyse("Is now a good time?", TALK).suggested_grade is Grade.AGAIN
    assert analyse("It seems like you're proud of the team.").suggested_grade is Grade.AGAIN
    assert analyse("").suggested_grade is Grade.AGAIN
    samples = [
        json.loads(line)
        for line in (Path(__file__).parents[2] / "data" / "coach_cases.jsonl")
        .read_text()
        .splitlines()
    ]
    assert all(analyse(s["text"], s["context"]).suggested_grade is not Grade.EASY for s in samples)


def test_label_without_ask_is_a_label_and_mislabel_needs_the_ask() -> None:
    text = "It sounds like a day off next week is impossible."
    assert analyse(text).label == "label"
    assert analyse(text, "Can I take a day off next week?").label == "mislabel"


def test_spans_point_into_the_original_text() -> None:
    text = "  Hey Sam,  don\u2019t you think it\u2019s a GREAT deal, right?"
    result = analyse(text)
    assert result.spans
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end].strip() == text[span.start : span.end]
    cues = {text[s.start : s.end] for s in result.spans}
    assert "right" in cues

    text = "would it be rediculous to ask for a refund"
    cues = {text[s.start : s.end] for s in analyse(text).spans}
    assert "rediculous" in cues

    text = "It seems like it's the wrong time to talk."
    cues = {text[s.start : s.end]: s.reason for s in analyse(text, TALK).spans}
    assert "It seems like" in cues
    assert "wrong" in cues


def test_to_dict_is_json_ready() -> None:
    result = analyse("Is now a bad time to talk?", TALK)
    data = result.to_dict()
    assert set(data) == {"label", "flaws", "spans", "feedback", "suggested_grade", "confidence"}
    assert 0 <= data["confidence"] <= 1
    assert data["suggested_grade"] == "good"
    assert data["spans"][0].keys() == {"start", "end", "reason"}
    assert json.loads(json.dumps(data)) == data


def test_assessment_is_frozen_and_labels_are_known() -> None:
    result = analyse("Deal?")
    assert isinstance(result, Assessment)
    assert result.label in LABELS
    assert all(isinstance(s, Span) for s in result.spans)
    with pytest.raises(AttributeError):
        result.label = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "ask"),
    [
        ("", None),
        ("Is now a bad time?", TALK),
        ("Is now a good time?", TALK),
        ("It seems like you're ready.", TALK),
        ("Why?", None),
        ("We'll send it Monday.", None),
        ("I feel like you don't want to talk, but I'd like to. Can we talk now? " * 3, TALK),
    ],
)
def test_feedback_is_one_to_three_sentences(text: str, ask: str | None) -> None:
    feedback = analyse(text, ask).feedback
    assert 1 <= len(feedback) <= 3
    for line in feedback:  # each entry is one sentence a learner can act on
        assert line[0].isupper() or line[0] in "'“"  # a sentence, or a quote of the learner
        assert line.rstrip(".?!").count(". ") == 0
        assert len(line.split()) <= 40


def test_feedback_leads_with_the_main_point() -> None:
    assert "yes" in analyse("Is now a good time?", TALK).feedback[0]
    assert "'It seems like…'" in analyse("I sense it's the wrong time to talk.", TALK).feedback[0]
    long = (
        "Would it be a ridiculous idea, given everything going on with the budget and the "
        "team and the holidays coming up, to talk for a few minutes?"
    )
    assert any("short" in line for line in analyse(long, TALK).feedback)
    assert analyse(long, TALK).accepted  # a long rewrite gets a hint, not a flaw


def test_analyse_is_deterministic() -> None:
    text = "It seems like your current bank is meeting all your needs."
    ask = "Would you open an account with us?"
    assert analyse(text, ask) == analyse(text, ask)


@pytest.mark.parametrize(
    ("text", "ask", "label"),
    [
        ("You must be exhausted.", None, "other"),
        ("It's as if the whole team has checked out.", None, "label"),
        ("So, have you decided to go another way?", "Are you still considering us?", "no_oriented"),
        (
            "Is there any reason you couldn't sign this week?",
            "Can you sign this week?",
            "no_oriented",
        ),
        (
            "Have you decided the tutoring isn't worth it?",
            "Will you keep the tutoring?",
            "no_oriented",
        ),
        ("Do you have another minute?", None, "yes_seeking"),
        ("What's stopping you from signing this week?", "Can you sign this week?", "calibrated"),
    ],
)
def test_regressions_found_after_the_cases_were_written(
    text: str, ask: str | None, label: str
) -> None:
    result = analyse(text, ask)
    assert result.label == label
    assert "pushy" not in result.flaws
