"""The coach on any text a learner can type or paste: a well-formed verdict, quickly, every time.

Whatever the text (control characters, right-to-left marks, emoji, combining marks, 5,000
characters of one word repeated, English words in odd order), `analyse`, `judge_drill` and
`negodrill coach --json` never raise, return an Assessment whose parts are in range, give the
same verdict twice, and take less than MAX_SECONDS for each call.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import time
from typing import Any

import pytest
from fuzz_support import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from negodrill.core.cards import content_from_json
from negodrill.core.coach import LABELS, Assessment, analyse, flaw_descriptions
from negodrill.core.content import Drill
from negodrill.core.drill_check import judge_drill
from negodrill.core.models import Grade

MAX_SECONDS = float(os.environ.get("FUZZ_COACH_MAX_SECONDS", "0.5"))
MAX_CHARS = 5_000
ASKS = [None, "Can we talk?", "Do you have a few minutes to talk?",
        "Will you lower the price?", "Can you send me the report by Friday?"]
SITUATIONS = [None, "Your boss is busy.", "The landlord raises the rent.", ""]
MOVES = ["no_oriented", "mislabel", "label", "calibrated"]

# Words the coach's rules look for, so random sentences reach past "other" into every rule.
WORDS = ["is", "now", "a", "bad", "time", "to", "talk", "would", "it", "be", "ridiculous",
    "crazy", "terrible", "idea", "if", "we", "you", "I", "they", "seems", "like", "sounds",
    "looks", "feels", "it's", "its", "isn't", "don't", "not", "no", "yes", "never", "ever",
    "how", "what", "why", "when", "can", "could", "will", "should", "do", "does", "did", "are",
    "am", "opposed", "against", "lower", "price", "rent", "report", "Friday", "boss", "landlord",
    "busy", "angry", "upset", "happy", "want", "need", "afraid", "worried", "just", "quick",
    "chat", "meeting", "move", "the", "of", "and", "but", "so", "because", "that", "this",
    "there", "here", "maybe", "perhaps", "really", "totally", "completely", "impossible",
    "unreasonable", "unfair", "fair", "deal", "offer"]
ODD = ["\u200f", "\u202e", "\u200b", "\u0301", "\u0645\u0631\u062d\u0628\u0627",
       "\u05e9\u05dc\u05d5\u05dd", "\U0001f600", "\U0001f1fa\U0001f1f8", "\u4eca\u306f", "\x00",
       "\x07", "\x1b[31m", "\t",
       "\n", "\r", "\u2028", "\ufeff", "\u00a0", "?", "!", ".", ",", "'", "\u2019", '"',
       "\u201c", "\u201d", "...", "--", "-", "(", ")", "*", "\\", "{{c1::", "}}", "<b>", "&amp;"]

englishish = st.lists(
    st.sampled_from(WORDS) | st.sampled_from(ODD) | st.text(max_size=6),
    max_size=150,
).flatmap(lambda parts: st.sampled_from([" ", "", "  ", "\u00a0", "\n"]).map(
    lambda sep: sep.join(parts)))
repeated = st.tuples(st.text(min_size=1, max_size=40) | st.sampled_from(WORDS + ODD),
                     st.integers(1, MAX_CHARS)).map(
    lambda t: (t[0] * (t[1] // len(t[0]) + 1))[: t[1]])


def _long_english(seed: int, size: int, odd_share: float) -> str:
    """Up to 5,000 characters of the coach's own words (and a few odd pieces), drawn by seed:
    long input that keeps every rule busy, cheap for hypothesis to make and shrink."""
    rng = random.Random(seed)
    parts: list[str] = []
    while sum(map(len, parts)) + len(parts) < size:
        parts.append(rng.choice(ODD) if rng.random() < odd_share else rng.choice(WORDS))
    return " ".join(parts)[:size]


long_english = st.builds(_long_english, st.integers(0, 2**32), st.integers(1000, MAX_CHARS),
                         st.sampled_from([0.0, 0.05, 0.3]))
texts = st.one_of(st.text(max_size=300), englishish, repeated, long_english,
                  st.text(max_size=MAX_CHARS, min_size=1000))


def assert_well_formed(result: Assessment, text: str) -> None:
    assert isinstance(result, Assessment)
    assert result.label in LABELS
    assert isinstance(result.flaws, tuple)
    assert len(set(result.flaws)) == len(result.flaws), result.flaws
    assert set(result.flaws) <= set(flaw_descriptions()), result.flaws
    assert isinstance(result.suggested_grade, Grade)
    assert 0.0 <= result.confidence <= 1.0
    assert isinstance(result.accepted, bool)
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(text), (span, len(text))
        assert isinstance(span.reason, str)
        assert span.reason
    assert 1 <= len(result.feedback) <= 3, result.feedback
    assert all(isinstance(line, str) and line.strip() for line in result.feedback)
    json.dumps(result.to_dict(), ensure_ascii=False)


def timed(call: Any, *args: Any, **kwargs: Any) -> Any:
    """The call's result, after checking it took less than MAX_SECONDS; a slow call is timed
    once more and the faster run counts, so a busy machine's one hiccup is not a failure."""
    elapsed = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        result = call(*args, **kwargs)
        elapsed = min(elapsed, time.perf_counter() - started)
        if elapsed < MAX_SECONDS:
            break
    assert elapsed < MAX_SECONDS, f"{elapsed:.2f} s for {args[0]!r:.200}"
    return result


@pytest.fixture(scope="module", autouse=True)
def _warm_coach() -> None:
    """Load the lexicons and the language model before anything is timed."""
    for text in ("Is now a bad time to talk?", "Est-ce un mauvais moment pour parler ?",
                 "It seems like you are busy"):
        analyse(text, "Can we talk?", "Your boss is busy.")


@fuzz_settings(150)
@given(text=texts, ask=st.sampled_from(ASKS) | st.text(max_size=80),
       situation=st.sampled_from(SITUATIONS) | st.text(max_size=80),
       accepts=st.lists(st.sampled_from(MOVES), min_size=1, unique=True))
def test_analyse_any_text(text: str, ask: str | None, situation: str | None,
                          accepts: list[str]) -> None:
    result = timed(analyse, text, ask, situation, accepts)
    assert_well_formed(result, text)
    assert timed(analyse, text, ask, situation, accepts) == result  # deterministic


@fuzz_settings(40)
@given(text=texts)
def test_analyse_with_only_the_text(text: str) -> None:
    assert_well_formed(timed(analyse, text), text)


def _drill(pitfall: str, accepts: list[str]) -> Drill:
    content = content_from_json({
        "id": "d", "type": "drill", "situation": "Your boss is busy.", "prompt": "Can we talk?",
        "technique": "no-question", "rewrites": ["Is now a bad time to talk?"],
        "pitfalls": [{"text": pitfall, "why": "It asks for a yes."},
                     {"text": "Is now a good time to talk?", "why": "A yes-question."}],
        "accepts": accepts,
    })
    assert isinstance(content, Drill)
    return content


@fuzz_settings(60)
@given(text=texts, pitfall=st.text(min_size=1, max_size=80) | st.sampled_from(WORDS),
       accepts=st.lists(st.sampled_from(["no-question", "mislabel", "label", "calibrated"]),
                        min_size=1, unique=True))
def test_judge_drill_any_text(text: str, pitfall: str, accepts: list[str]) -> None:
    drill = _drill(pitfall, accepts)
    result = timed(judge_drill, text, drill)
    assert_well_formed(result, text)
    # The pitfall itself, typed back, is never accepted.
    assert not timed(judge_drill, "Is now a good time to talk?", drill).accepted


@fuzz_settings(30)
@given(text=texts.filter(lambda t: t.strip() not in ("disagreements", "")),
       ask=st.sampled_from(ASKS), as_json=st.booleans())
def test_coach_command_prints_one_verdict(text: str, ask: str | None, as_json: bool) -> None:
    """`negodrill coach TEXT [--ask ASK] [--json]`, in-process: exit 0 and well-formed output."""
    from negodrill.cli import coach_cmd

    args = argparse.Namespace(words=[text], ask=ask, situation=None, json=as_json, output=None)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert timed(coach_cmd.run, args) == 0
    if as_json:
        doc = json.loads(out.getvalue())
        assert doc["label"] in LABELS
        assert doc["suggested_grade"] in {g.name.lower() for g in Grade}
    else:
        assert out.getvalue().strip()


@pytest.mark.parametrize(("text", "accepts"), [
    ("Is now a bad time to talk?", ["mislabel", "calibrated"]),  # 28 built-in drills
    ("Is now a bad time to talk?", ["mislabel"]),
    ("It seems like now is a bad time", ["no_oriented"]),
    ("SEMS+0", ["no_oriented"]),  # as hypothesis found it
])
def test_a_move_the_drill_does_not_take_is_told_why(text: str, accepts: list[str]) -> None:
    """Graded Again, the learner must be told why: never a verdict with no sentence at all."""
    result = analyse(text, "Can we talk?", None, accepts)
    assert not result.accepted
    assert_well_formed(result, text)
