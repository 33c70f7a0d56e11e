"""The things a learner works with: cards, their schedule, grades and reviews.

Frozen dataclasses and enums only: no SQL, no Qt, no scheduling maths.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Grade(enum.IntEnum):
    """The four answer buttons, numbered as the keys that press them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def title(self) -> str:
        return self.name.capitalize()


class CardState(enum.IntEnum):
    """Where a card is in its life. NEW is ours: fsrs has no state before the first review."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class CardType(enum.StrEnum):
    DRILL = "drill"
    BASIC = "basic"
    CHOICE = "choice"
    CONVERSATION = "conversation"


class Technique(enum.StrEnum):
    """The moves a drill can ask for, in the deck format's spelling (`accepts`)."""

    NO_QUESTION = "no-question"
    MISLABEL = "mislabel"
    LABEL = "label"
    CALIBRATED = "calibrated"

    @property
    def coach_label(self) -> str:
        """The coach's name for the move (`no_oriented`, `mislabel`, `label`, `calibrated`)."""
        return "no_oriented" if self is Technique.NO_QUESTION else self.value


# What a drill accepts when its deck does not say (format version 1 and learners' own drills).
DEFAULT_ACCEPTS = (Technique.NO_QUESTION, Technique.MISLABEL)


@dataclass(frozen=True)
class Reference:
    """A model answer: its text, the counterpart's likely reply, and for a mislabel which
    reading it deliberately gets wrong (emotion, position or fact)."""

    text: str
    reply: str = ""
    reading: str = ""


@dataclass(frozen=True)
class Pitfall:
    text: str
    why: str
    reply: str = ""
    situational: bool = False  # wrong only in this situation: the coach cannot see it


@dataclass(frozen=True)
class Drill:
    situation: str
    prompt: str
    technique: str
    references: tuple[Reference, ...]
    pitfalls: tuple[Pitfall, ...] = ()
    prompt_reply: str = ""
    accepts: tuple[Technique, ...] = DEFAULT_ACCEPTS
    hint: str = ""
    level: int = 0  # 0: the deck does not say

    @property
    def coach_accepts(self) -> tuple[str, ...]:
        """The accepted moves as the coach names them."""
        return tuple(m.coach_label for m in self.accepts)

    @property
    def rewrites(self) -> tuple[str, ...]:
        """The reference texts alone."""
        return tuple(r.text for r in self.references)

    def hint_text(self) -> str:
        """The hint a learner can reveal: the author's, else the first words of a reference."""
        if self.hint:
            return self.hint
        if not self.references:
            return ""
        words = self.references[0].text.split()
        return "Try starting with: " + " ".join(words[:3]) + "…"


@dataclass(frozen=True)
class Basic:
    front: str
    back: str


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool = False
    why: str = ""


@dataclass(frozen=True)
class Choice:
    question: str
    options: tuple[Option, ...]
    shuffle: bool = True  # the deck's author may keep the options in their written order

    @property
    def multiple(self) -> bool:
        """Pick all that apply: more than one option is right, and the answer is a set."""
        return sum(o.correct for o in self.options) > 1


# The moves a conversation turn may want, as the coach labels them.
MOVES = ("no_oriented", "mislabel", "label", "calibrated")
# The counterpart's replies a turn must have: to a fitting move, a yes-seeking one, a pushy or
# accusatory one, and anything else; a fitting move may also have its own (keyed by the move).
REPLY_KINDS = ("fit", "yes", "defend", "other")


@dataclass(frozen=True)
class Turn:
    """One exchange: the counterpart's line (or, first, the learner's own opening), the moves
    that fit it, the counterpart's reply to each kind of move, and a model answer."""

    line: str  # what the counterpart says; "" when the learner opens
    opening: str  # the yes-seeking question the learner was about to ask; "" otherwise
    moves: tuple[str, ...]
    replies: tuple[tuple[str, str], ...]  # (kind or move, reply), in file order
    model: str
    why: str

    def reply(self, kind: str) -> str:
        """The reply for a kind of move ("fit", a move name, "yes", "defend", "other")."""
        table = dict(self.replies)
        if kind in table:
            return table[kind]
        return table["fit"] if kind in MOVES else table.get("other", "")


@dataclass(frozen=True)
class Conversation:
    title: str
    situation: str
    counterpart: str
    ask: str  # the yes-seeking question the learner wants a yes to: the coach's context
    turns: tuple[Turn, ...]


Content = Drill | Basic | Choice | Conversation


@dataclass(frozen=True)
class Schedule:
    """A card's FSRS memory state. Times are timezone-aware UTC datetimes."""

    state: CardState = CardState.NEW
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None


@dataclass(frozen=True)
class Card:
    """One card as stored: identity, content, and schedule."""

    id: int
    deck_id: int
    key: str
    content: Content
    schedule: Schedule = field(default_factory=Schedule)
    tags: tuple[str, ...] = ()
    notes: str = ""
    lapses: int = 0
    reps: int = 0
    suspended: bool = False

    @property
    def type(self) -> CardType:
        if isinstance(self.content, Drill):
            return CardType.DRILL
        if isinstance(self.content, Basic):
            return CardType.BASIC
        if isinstance(self.content, Conversation):
            return CardType.CONVERSATION
        return CardType.CHOICE

    @property
    def headline(self) -> str:
        """The text a list shows for the card: the prompt, front or question."""
        c = self.content
        if isinstance(c, Drill):
            return c.prompt
        if isinstance(c, Basic):
            return c.front
        if isinstance(c, Conversation):
            return c.title
        return c.question


@dataclass(frozen=True)
class Review:
    """One graded answer, as stored in the append-only review log."""

    card_id: int
    time: datetime
    grade: Grade
    duration_ms: int = 0
    answer: str = ""
    correct: bool | None = None  # judged right (coach accepted, right option); None: not judged
    coach_label: str | None = None
    coach_flaws: tuple[str, ...] = ()
    turns: tuple[TurnMove, ...] = ()  # a conversation's moves, one per turn
    unscheduled: bool = False  # a practice answer: the card's schedule was left as it was


@dataclass(frozen=True)
class TurnMove:
    """What the learner did on one turn of a conversation, as stored with the review."""

    turn: int
    answer: str
    coach_label: str | None
    coach_flaws: tuple[str, ...]
    fits: bool
    shown_model: bool = False


@dataclass(frozen=True)
class DeckSummary:
    id: int
    uuid: str
    title: str
    cards: int
    new: int
    due: int
    description: str = ""


@dataclass(frozen=True)
class Preset:
    """Scheduling settings the learner can change."""

    desired_retention: float = 0.9
    new_per_day: int = 20
    reviews_per_day: int = 200
    rollover_hour: int = 4
    learning_steps_min: tuple[float, ...] = (1.0, 10.0)
    relearning_steps_min: tuple[float, ...] = (10.0,)
    maximum_interval_days: int = 36500
    parameters: tuple[float, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "desired_retention": self.desired_retention,
            "new_per_day": self.new_per_day,
            "reviews_per_day": self.reviews_per_day,
            "rollover_hour": self.rollover_hour,
            "learning_steps_min": list(self.learning_steps_min),
            "relearning_steps_min": list(self.relearning_steps_min),
            "maximum_interval_days": self.maximum_interval_days,
            "parameters": list(self.parameters) if self.parameters else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Preset:
        default = cls()
        params = data.get("parameters")
        return cls(
            desired_retention=float(data.get("desired_retention", default.desired_retention)),
            new_per_day=int(data.get("new_per_day", default.new_per_day)),
            reviews_per_day=int(data.get("reviews_per_day", default.reviews_per_day)),
            rollover_hour=int(data.get("rollover_hour", default.rollover_hour)),
            learning_steps_min=tuple(
                float(x) for x in data.get("learning_steps_min", default.learning_steps_min)
            ),
            relearning_steps_min=tuple(
                float(x) for x in data.get("relearning_steps_min", default.relearning_steps_min)
            ),
            maximum_interval_days=int(
                data.get("maximum_interval_days", default.maximum_interval_days)
            ),
            parameters=tuple(float(x) for x in params) if params else None,
        )
