"""What a card shows: drills, basic and choice cards, conversations, as the deck format has them.

Frozen dataclasses only, apart from `models` (schedules, reviews), so that opening the collection
for the deck list does not build them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from negodrill.core.models import DEFAULT_ACCEPTS, CardType, Technique


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
    kind: ClassVar[CardType] = CardType.DRILL

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

    @property
    def headline(self) -> str:
        return self.prompt


@dataclass(frozen=True)
class Basic:
    kind: ClassVar[CardType] = CardType.BASIC

    front: str
    back: str

    @property
    def headline(self) -> str:
        return self.front


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool = False
    why: str = ""


@dataclass(frozen=True)
class Choice:
    kind: ClassVar[CardType] = CardType.CHOICE

    question: str
    options: tuple[Option, ...]
    shuffle: bool = True  # the deck's author may keep the options in their written order

    @property
    def multiple(self) -> bool:
        """Pick all that apply: more than one option is right, and the answer is a set."""
        return sum(o.correct for o in self.options) > 1

    @property
    def headline(self) -> str:
        return self.question


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
    kind: ClassVar[CardType] = CardType.CONVERSATION

    title: str
    situation: str
    counterpart: str
    ask: str  # the yes-seeking question the learner wants a yes to: the coach's context
    turns: tuple[Turn, ...]

    @property
    def headline(self) -> str:
        return self.title


Content = Drill | Basic | Choice | Conversation
