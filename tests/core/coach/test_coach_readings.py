"""General rules behind the label reading, double negatives, typos and open 'what about'."""

from __future__ import annotations

import pytest

from negodrill.core.coach import analyse

RENEW = "Would you renew our support contract?"
TOOL = "Would you try our inventory tool?"


@pytest.mark.parametrize(
    ("text", "ask", "label"),
    [
        # Each negation flips the reading: "a mistake NOT to sign" wants a yes.
        ("Would it be a mistake not to sign the renewal?", RENEW, "yes_seeking"),
        ("Would you regret not renewing the contract?", RENEW, "yes_seeking"),
        ("Is it not a bad idea to not renew?", None, "no_oriented"),
        ("Is now not a good time to talk?", None, "no_oriented"),
    ],
)
def test_double_negatives_are_flagged_and_read_by_parity(
    text: str, ask: str | None, label: str
) -> None:
    result = analyse(text, ask)
    assert result.label == label
    assert "double_negative" in result.flaws


@pytest.mark.parametrize(
    ("text", "ask", "label"),
    [
        ("It seems like your spreadsheets are handling stock perfectly well.", TOOL, "mislabel"),
        ("You seem comfortable working with the firm down the road.", TOOL, "mislabel"),
        ("You seem settled with your current supplier.", TOOL, "mislabel"),
        ("It sounds like you've outgrown our support contract.", RENEW, "mislabel"),
        ("It looks like our contract is way down your list.", RENEW, "mislabel"),
        ("It sounds like you're not bothered about support.", RENEW, "mislabel"),
        ("It sounds like renewing is no problem for you.", RENEW, "label"),
        ("It seems like you don't mind renewing.", RENEW, "label"),
        ("It seems like you're happy with our support.", RENEW, "label"),
        ("It sounds like you're ready to renew.", RENEW, "label"),
    ],
)
def test_label_is_read_against_the_ask(text: str, ask: str, label: str) -> None:
    result = analyse(text, ask)
    assert result.label == label
    if label == "label":
        assert "labels_wanted_outcome" in result.flaws


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("What about the new schedule doesn't work for you?", "calibrated"),
        ("What about this proposal worries you?", "calibrated"),
        ("What about Tuesday?", "yes_seeking"),
        ("What about the venue?", "yes_seeking"),
        ("woud it be crazy to push the kickoff", "no_oriented"),
        ("coud it be a problem to start at 7 a.m.?", "no_oriented"),
        ("Well you know the rules.", "other"),
        ("Do you want the launch to slip?", "no_oriented"),
        ("Is it wishful thinking to expect the permit by May?", "no_oriented"),
    ],
)
def test_question_forms(text: str, label: str) -> None:
    assert analyse(text).label == label


def test_a_question_after_a_label_is_a_flaw_not_the_verdict() -> None:
    result = analyse(
        "It seems like you're swamped. Can you look at my CV anyway?", "Will you read my CV?"
    )
    assert result.label == "mislabel"
    assert "label_plus_question" in result.flaws
    assert not result.accepted
