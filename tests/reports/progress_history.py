"""Hand-made review histories for the Progress tests: every row as the app would write it.

Reviews go through `Store.write_reviews`, so `state_before`, `before` (with `last_review` at the
start of the study day, as the scheduler stores it), reps and lapses are the real thing; only
the schedule after each answer is chosen by the test instead of by FSRS.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from negodrill.core.content import Drill
from negodrill.core.models import Card, CardState, Grade, Review, Schedule
from negodrill.core.studyday import day_start
from negodrill.storage.store import Store

ROLLOVER = 4
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def content(key: str, kind: str, technique: str | None) -> dict[str, Any]:
    if kind == "drill":
        return {"id": key, "type": "drill", "situation": f"Situation {key}",
                "prompt": f"Can we talk about {key}?", "technique": technique or "no-question",
                "rewrites": [f"Is it a bad time to talk about {key}?"]}
    if kind == "basic":
        return {"id": key, "type": "basic", "front": f"Front {key}", "back": "Back"}
    return {"id": key, "type": "choice", "question": f"Question {key}",
            "options": [{"id": "a", "text": "Right", "correct": True},
                        {"id": "b", "text": "Wrong"}]}


class History:
    def __init__(self, zone: tzinfo, path: Path | None = None) -> None:
        self.zone = zone
        self.store = Store.open(path) if path is not None else Store.memory()
        self.decks: dict[str, int] = {}
        self.cards: dict[str, Card] = {}
        self.ids: dict[str, int] = {}

    def utc(self, local: datetime) -> datetime:
        """A naive wall time in the history's zone, as UTC."""
        return local.replace(tzinfo=self.zone).astimezone(UTC)

    def deck(self, title: str) -> int:
        with self.store.atomic():
            deck_id = self.store.insert_deck(uuid=f"uuid-{title}", title=title, revision=1,
                                             source="local", now=T0)
        self.decks[title] = deck_id
        return deck_id

    def card(self, deck: str, key: str, kind: str, technique: str | None = None) -> int:
        with self.store.atomic():
            card_id = self.store.insert_card(self.decks[deck], content(key, kind, technique),
                                             position=len(self.ids), now=T0)
        self.ids[key] = card_id
        self.cards[key] = self.store.card(card_id)
        return card_id

    def review(
        self, key: str, local: datetime, rating: int, after: int, *,
        correct: bool | None = None, flaws: tuple[str, ...] = (), label: str | None = None,
        stability: float | None = None, due: datetime | None = None, duration_ms: int = 10_000,
    ) -> None:
        """One answer at wall time `local`; the card moves to state `after`. Drill answers get
        a coach label (accepted -> no_oriented, else yes_seeking) unless `label` says."""
        card = self.cards[key]
        moment = self.utc(local)
        is_drill = isinstance(card.content, Drill)
        if is_drill and label is None:
            label = "no_oriented" if correct else "yes_seeking"
        previous = card.schedule.stability
        schedule = Schedule(
            state=CardState(after),
            step=0 if after in (1, 3) else None,
            stability=stability if stability is not None else (previous or 1.0),
            difficulty=5.0,
            due=self.utc(due) if due is not None else moment + timedelta(days=1),
            last_review=day_start(moment, ROLLOVER, self.zone),
        )
        review = Review(card_id=card.id, time=moment, grade=Grade(rating),
                        duration_ms=duration_ms, answer="typed" if is_drill else "",
                        correct=correct, coach_label=label if is_drill else None,
                        coach_flaws=flaws)
        with self.store.atomic():
            self.cards[key] = self.store.write_reviews(card, [(review, schedule)])
