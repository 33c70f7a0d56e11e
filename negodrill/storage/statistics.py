"""SQL aggregates behind the stats and progress figures (one query each, no row loops)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from negodrill.storage.store import Store, to_ms


@dataclass(frozen=True)
class Totals:
    decks: int
    cards: int
    suspended: int
    reviews: int
    new: int
    due: int
    reviews_today: int
    mature_reviews: int
    mature_passed: int


def totals(
    store: Store, *, learning_until: datetime, review_until: datetime, since: datetime
) -> Totals:
    """Counts over the whole collection; `due` is what is due by the end of the study day."""
    row = store.db.execute(
        "SELECT "
        "(SELECT count(*) FROM deck), "
        "(SELECT count(*) FROM card WHERE retired = 0), "
        "(SELECT count(*) FROM card WHERE retired = 0 AND suspended = 1), "
        "(SELECT count(*) FROM review), "
        "(SELECT count(*) FROM card WHERE retired = 0 AND suspended = 0 AND state = 0), "
        "(SELECT count(*) FROM card WHERE retired = 0 AND suspended = 0 AND "
        "  ((state IN (1, 3) AND due_ms <= ?) OR (state = 2 AND due_ms < ?))), "
        "(SELECT count(*) FROM review WHERE time_ms >= ?), "
        "(SELECT count(*) FROM review WHERE state_before = 2), "
        "(SELECT count(*) FROM review WHERE state_before = 2 AND rating > 1)",
        [to_ms(learning_until), to_ms(review_until), to_ms(since)],
    ).fetchone()
    return Totals(*(int(v) for v in row))


def study_day_numbers(store: Store, *, offset_ms: int) -> list[int]:
    """The distinct study days with reviews, as day numbers (local, shifted by the rollover)."""
    rows = store.db.execute(
        "SELECT DISTINCT (time_ms + ?) / 86400000 AS day FROM review ORDER BY day",
        [offset_ms],
    ).fetchall()
    return [int(r[0]) for r in rows]
