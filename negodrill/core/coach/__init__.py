"""The coach: judges the technique of a learner's rewrite, offline and deterministically.

`analyse(text, ask)` says which technique the text uses (one of LABELS), which mistakes it makes
(flaw codes from resources/coach/flaw_codes.json), which words triggered that, what to do next,
and the grade a drill answer deserves. Rules and word lists follow TECHNIQUES.md §3; the lists
live in resources/coach/ so they can be tuned without code changes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Any

from negodrill.core.coach.feedback import compose, quotes
from negodrill.core.coach.lexicon import lexicon, load_json
from negodrill.core.coach.rules import judge
from negodrill.core.coach.shape import FINE, SALAD, foreign
from negodrill.core.models import Grade

__all__ = ["LABELS", "TARGET_LABELS", "Assessment", "Span", "analyse", "flaw_descriptions"]

LABELS = ("yes_seeking", "no_oriented", "mislabel", "label", "calibrated", "other")
UNSURE = 0.65
TARGET_LABELS = ("no_oriented", "mislabel")
# Drill flaws that only make sense when the drill wants a no-oriented question or a mislabel:
# a label is a statement by design, and a how/what question is the move, not a detour.
_ONLY_FOR_NO = frozenset({"calibrated_not_target", "statement_not_question", "changes_the_ask",
                          "labels_wanted_outcome"})


@dataclass(frozen=True)
class Span:
    """text[start:end] of the ORIGINAL text is the cue; reason says what it signalled."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Assessment:
    label: str
    flaws: tuple[str, ...]
    spans: tuple[Span, ...]
    feedback: tuple[str, ...]
    suggested_grade: Grade
    confidence: float = 1.0  # below UNSURE the feedback says so and the grade is never Again
    accepts: tuple[str, ...] = TARGET_LABELS  # the moves this drill takes as right

    @property
    def accepted(self) -> bool:
        """A drill answer is accepted when it uses a move the drill wants, with no flaw."""
        return self.label in self.accepts and not self.flaws

    @property
    def unsure(self) -> bool:
        return self.confidence < UNSURE

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "flaws": list(self.flaws),
            "spans": [{"start": s.start, "end": s.end, "reason": s.reason} for s in self.spans],
            "feedback": list(self.feedback),
            "suggested_grade": self.suggested_grade.name.lower(),
            "confidence": self.confidence,
        }


@cache
def _flaw_codes() -> tuple[tuple[str, str], ...]:
    data = load_json("flaw_codes.json")
    return tuple((str(k), str(v)) for k, v in data.items() if not k.startswith("_"))


def flaw_descriptions() -> dict[str, str]:
    """Flaw code -> what it means, in the order the coach reports flaws (a fresh copy)."""
    return dict(_flaw_codes())


@cache
def _flaw_rank() -> dict[str, int]:
    return {code: rank for rank, (code, _) in enumerate(_flaw_codes())}


def _grade(label: str, flaws: tuple[str, ...], empty: bool, confidence: float,
           accepts: Collection[str]) -> Grade:
    if empty:
        return Grade.AGAIN
    if confidence < UNSURE:
        return Grade.HARD  # the learner decides; an unsure coach never fails an answer
    if label not in accepts:
        return Grade.AGAIN
    return Grade.HARD if flaws else Grade.GOOD


def analyse(text: str, ask: str | None = None, situation: str | None = None,
            accepts: Collection[str] = TARGET_LABELS) -> Assessment:
    """Judge `text`; `ask` is the drill's original yes-seeking question, if there is one.

    :param text: the learner's rewrite, as typed (any case, typos, smart quotes, no '?').
    :param ask: decides mislabel versus sincere label and powers the `changes_the_ask` check.
    :param situation: the drill's situation, which tells the topic check what the ask is about.
    :param accepts: the moves the drill takes as right, as the coach labels them. A drill that
        wants only labels or calibrated questions is judged without its ask: a label names
        *their* feeling or situation, which read against the asker's goal looks like a mislabel.
    """
    accepts = tuple(m for m in LABELS if m in accepts)
    aimed_at_no = bool(set(accepts) & set(TARGET_LABELS))
    if not aimed_at_no:
        ask = None
    language = foreign(text, lexicon()) if text.strip() else FINE
    if language.code:
        # The coach reads English only: it judges nothing and leaves the grade to the learner.
        codes = frozenset({language.code})
        return Assessment("other", tuple(codes), (), compose("other", codes, "foreign", 0),
                          Grade.HARD, confidence=round(1 - language.confidence, 2))
    verdict = judge(text, ask, situation)
    rank = _flaw_rank()
    if verdict.label == "mislabel" and "label" in accepts and "mislabel" not in accepts:
        # Read against the ask, a label of their feeling looks like a mislabel; where the drill
        # wants a label, a statement in label form is one.
        verdict.label = "label"
    found = set(verdict.flaws) if aimed_at_no else verdict.flaws - _ONLY_FOR_NO
    if verdict.label == "label" and "label" in accepts:
        found -= {"statement_not_question", "changes_the_ask"}
    if "calibrated" in accepts:
        found.discard("calibrated_not_target")
    flaws = tuple(sorted(found, key=lambda code: rank[code]))
    spans = tuple(Span(a, b, reason) for a, b, reason in sorted(set(verdict.spans)))
    empty = verdict.kind == "empty"
    confidence = 1.0 if empty else verdict.confidence
    feedback = compose(verdict.label, frozenset(flaws), verdict.kind, verdict.word_count,
                       unsure=confidence < UNSURE, salad=verdict.shape == SALAD,
                       quoted=quotes(text, sorted(set(verdict.spans))), accepts=accepts)
    return Assessment(verdict.label, flaws, spans, feedback,
                      _grade(verdict.label, flaws, empty, confidence, accepts), confidence,
                      accepts)
