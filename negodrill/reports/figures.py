"""The figures the deck list, `decks`, `stats` and the Progress page show, from one place.

Every count here is taken for one `Today` (core.studyday), the same value the review session
uses, so the deck list, `stats` and a session started at that moment agree on what is due.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from negodrill.core.models import DeckSummary
from negodrill.core.studyday import Today
from negodrill.storage.review_days import first_review_ms, review_counts
from negodrill.storage.store import Store

STREAK_WINDOW_DAYS = 31  # the deck list's streak reads the tally back this far first


def today_for(store: Store) -> Today:
    """Today's study day by the learner's rollover hour (the scheduler is not needed)."""
    return Today.at(datetime.now(UTC), store.preset().rollover_hour)


def deck_summaries(store: Store, today: Today | None = None) -> list[DeckSummary]:
    """Each deck with what is on for today, in deck-list order."""
    return store.deck_summaries(today or today_for(store))


def deck_row(deck: DeckSummary) -> dict[str, Any]:
    """The fields of `negodrill decks --json`."""
    return {"id": deck.id, "title": deck.title, "cards": deck.cards, "new": deck.new,
            "due": deck.due}


def deck_rows(store: Store, today: Today | None = None) -> list[dict[str, Any]]:
    return [deck_row(d) for d in deck_summaries(store, today)]


def collect_stats(
    store: Store, today: Today | None = None, *, habit: bool = True
) -> dict[str, Any]:
    """The figures of `negodrill stats --json`.

    `due` and `new` are what a session over every deck would hold now (the daily limits
    applied), `new_unseen` every new card not yet studied. `habit=False` leaves out the habit
    keys and their reading of the coach's verdicts (the deck list needs none of them).
    """
    # The whole Progress machinery is for `stats`, not for the deck list at start-up.
    from negodrill.reports.progress import collect_progress, habit_json
    from negodrill.storage.deck_rows import all_decks_counts
    from negodrill.storage.statistics import totals

    today = today or today_for(store)
    t = totals(store, today)
    due, new = all_decks_counts(store, today)
    groups = ("activity", "habit") if habit else ("activity",)
    report = collect_progress(store, today=today, only=groups)
    return {
        "decks": t.decks,
        "cards": t.cards,
        "reviews": t.reviews,
        "due": due,
        "new": new,
        "streak_days": report.current_streak,
        "retention": report.retention.share if report.retention else None,
        "reviews_today": report.days[-1].reviews if report.days else 0,
        "suspended": t.suspended,
        "study_days": report.study_days,
        "best_streak_days": report.best_streak,
        "new_unseen": t.new,
        "time_ms": report.duration_ms,
        **(habit_json(report) if habit else {}),
    }


def today_stats(store: Store, today: Today | None = None) -> dict[str, Any]:
    """`reviews_today` and `streak_days` (the deck list's line) from the tally alone, read
    back a month, then two, four... only as far as the current run of study days goes: a few
    milliseconds where `collect_stats` reads every review."""
    today = today or today_for(store)
    first = first_review_ms(store, None)
    if first is None:
        return {"reviews_today": 0, "streak_days": 0}
    first_day = min(today.day_of(first), today.day)
    reviews_today, streak = 0, 0
    last, window = today.day, STREAK_WINDOW_DAYS
    while last >= first_day:
        start = max(first_day, last - timedelta(days=window - 1))
        window *= 2  # a long streak is read in a few windows, not one a month
        counts = review_counts(store, today.bounds(start, last), None)
        for count in reversed(counts):
            if last == today.day:
                reviews_today = count  # a day without reviews yet does not end the run
            elif not count:
                return {"reviews_today": reviews_today, "streak_days": streak}
            streak += 1 if count else 0
            last -= timedelta(days=1)
    return {"reviews_today": reviews_today, "streak_days": streak}
