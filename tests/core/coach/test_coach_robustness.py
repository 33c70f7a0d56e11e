"""Learners type fast: typos, no '?', smart quotes, capitals, blanks and very long input."""

from __future__ import annotations

import time

import pytest

from negodrill.core.coach import analyse
from negodrill.core.models import Grade

TALK = "Do you have a few minutes to talk?"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("is now a bad tiem to talk", "no_oriented"),
        ("IS NOW A BAD TIME TO TALK", "no_oriented"),
        ("  is   now a    bad time  to talk  ", "no_oriented"),
        ("\u201cIs now a bad time to talk?\u201d", "no_oriented"),
        ("would u be oppossed to a quick chat", "no_oriented"),
        ("It seems like it\u2019s the wrong time to talk", "mislabel"),
        ("it seams like its the wrong time 2 talk", "mislabel"),
        ("Isnt now a bad time", "yes_seeking"),
        ("r u free for a chat", "yes_seeking"),
        ("Hey Sam, quick question: is now a bad time to talk?", "no_oriented"),
        ("I know you're busy, so would it be a terrible imposition to talk?", "no_oriented"),
        ("Can't wait to talk!", "other"),
    ],
)
def test_sloppy_typing_is_understood(text: str, label: str) -> None:
    assert analyse(text, TALK).label == label


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "?!", "...", "\u201c\u201d"])
def test_empty_input_gets_a_helpful_verdict(text: str) -> None:
    result = analyse(text, TALK)
    assert result.label == "other"
    assert result.suggested_grade is Grade.AGAIN
    assert result.spans == ()
    assert len(result.feedback) == 1
    assert "rewrite" in result.feedback[0].lower()
    assert not result.accepted


@pytest.mark.parametrize(
    "text",
    [
        "is it a bad time " * 600,
        "?" * 10_000,
        "a," * 5_000,
        "It seems like " * 700,
        "don't " * 1_700,
        "Would it be crazy " + "not " * 2_450 + "?",
        "a" * 10_000,
        ("x'" * 5_000),
        ("-a" * 5_000),
        "too " * 2_500,
    ],
)
def test_ten_thousand_characters_in_bounded_time(text: str) -> None:
    text = text[:10_000]
    started = time.perf_counter()
    result = analyse(text, TALK)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0
    assert 1 <= len(result.feedback) <= 3
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(text)


def test_non_ascii_text_does_not_break() -> None:
    result = analyse("¿Es un mal momento? Ça va? 今は都合が悪いですか？ \U0001f600", TALK)
    assert result.label in ("yes_seeking", "other", "no_oriented")
    assert result.feedback
