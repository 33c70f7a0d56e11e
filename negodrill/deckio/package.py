"""What every reader makes of a file: decks of native card objects, ready to plan an import.

Readers (native, Anki packages, Anki text and CSV) only parse and check; they never touch the
collection. `deckio.plan` compares a Package with the collection and `deckio.importing` writes it
in one transaction. Card objects are the JSON objects of the native format, already valid
against its schema, so every later step has one shape to deal with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class IncomingReview:
    """One graded answer from a file's review history (Anki's revlog or a native export)."""

    time_ms: int  # UTC epoch milliseconds
    grade: int  # 1 Again, 2 Hard, 3 Good, 4 Easy
    duration_ms: int = 0
    answer: str = ""
    correct: bool | None = None
    coach_label: str | None = None
    coach_flaws: tuple[str, ...] = ()


@dataclass
class IncomingDeck:
    """One deck of a file, identified so that importing the file again updates it."""

    uuid: str
    title: str
    cards: list[dict[str, Any]]
    # Native decks carry a revision and an older one is refused; Anki and text have none.
    revision: int | None = None
    description: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    techniques: list[dict[str, Any]] = field(default_factory=list)
    # Card id -> its reviews, oldest first; only cards with history appear.
    history: dict[str, list[IncomingReview]] = field(default_factory=dict)
    # Anki: a card's "rev" is its note's modification time, and only a newer one updates.
    newer_only: bool = False
    # Card ids the source had suspended: cards the import adds come in suspended too.
    suspended: set[str] = field(default_factory=set)
    # Where each studied card stood when the file was written (native exports with history):
    # after its history is replayed the card takes exactly this schedule, due dates included.
    schedules: dict[str, CardProgress] = field(default_factory=dict)


@dataclass
class Package:
    """A whole file as read: its format in words, its decks, and what could not be used."""

    name: str  # the file's name, for messages
    format: str  # e.g. "negodrill deck", "Anki package", "Anki text file", "CSV file"
    decks: list[IncomingDeck]
    skipped: int = 0  # cards left out (front empty once HTML is removed: image or audio only)
    notes: list[str] = field(default_factory=list)  # one line each, shown after the summary

    @property
    def card_count(self) -> int:
        return sum(len(deck.cards) for deck in self.decks)


@dataclass(frozen=True)
class CardProgress:
    """Where a card stands in its schedule, for an export with history."""

    state: int  # 0 new, 1 learning, 2 review, 3 relearning
    due_ms: int | None
    stability: float | None
    difficulty: float | None
    last_review_ms: int | None
    reps: int
    lapses: int
    step: int | None = None  # the learning step, for learning and relearning cards
