"""The things a learner works with: cards, their schedule, grades and reviews.

Frozen dataclasses and enums only: no SQL, no Qt, no scheduling maths.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any


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


if TYPE_CHECKING:
    from negodrill.core.content import Content

# What a drill accepts when its deck does not say (format version 1 and learners' own drills).
DEFAULT_ACCEPTS = (Technique.NO_QUESTION, Technique.MISLABEL)


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
        return self.content.kind

    @property
    def headline(self) -> str:
        """The text a list shows for the card: the prompt, front or question."""
        return self.content.headline


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
