"""The figures the deck list, `decks`, `stats` and the Progress page show, from one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from negodrill.core import studyday
from negodrill.core.models import DeckSummary
from negodrill.reports.stats import retention, streak_days
from negodrill.storage.statistics import study_day_numbers, totals
from negodrill.storage.store import Store


@dataclass(frozen=True)
class Today:
    """The moments that bound "today" for counts: now, the study day's start and end."""

    now: datetime
    since: datetime
    until: datetime
    learning_until: datetime

    @classmethod
    def of(cls, store: Store) -> Today:
        now = studyday.utc_now()
        hour = store.preset().rollover_hour
        return cls(
            now=now,
            since=studyday.day_start(now, hour),
            until=studyday.next_day_start(now, hour),
            learning_until=now + studyday.LEARN_AHEAD,
        )


def deck_summaries(store: Store) -> list[DeckSummary]:
    """Each deck with what is on for today, in deck-list order."""
    today = Today.of(store)
    return store.deck_summaries(
        learning_until=today.learning_until, review_until=today.until, since=today.since
    )


def deck_row(deck: DeckSummary) -> dict[str, Any]:
    """The fields of `negodrill decks --json`."""
    return {"id": deck.id, "title": deck.title, "cards": deck.cards, "new": deck.new,
            "due": deck.due}


def deck_rows(store: Store) -> list[dict[str, Any]]:
    return [deck_row(d) for d in deck_summaries(store)]


def collect_stats(store: Store) -> dict[str, Any]:
    today = Today.of(store)
    t = totals(
        store, learning_until=today.learning_until, review_until=today.until, since=today.since
    )
    offset = today.now.astimezone().utcoffset()
    offset_ms = int(offset.total_seconds() * 1000) if offset else 0
    offset_ms -= store.preset().rollover_hour * 3_600_000
    days = study_day_numbers(store, offset_ms=offset_ms)
    today_number = (int(today.now.timestamp() * 1000) + offset_ms) // 86_400_000
    return {
        "decks": t.decks,
        "cards": t.cards,
        "reviews": t.reviews,
        "due": t.due,
        "new": t.new,
        "streak_days": streak_days(days, today_number),
        "retention": retention(t.mature_passed, t.mature_reviews),
        "reviews_today": t.reviews_today,
        "suspended": t.suspended,
        "study_days": len(days),
    }
