"""SQL aggregates behind `stats` and the deck list's totals (one statement, no row loops)."""

from __future__ import annotations

from dataclasses import dataclass

from negodrill.core.studyday import Today
from negodrill.storage.conditions import LEARNING_DUE_BY, LIVE, NEW, REVIEW_DUE_BEFORE
from negodrill.storage.store import Store


@dataclass(frozen=True)
class Totals:
    decks: int
    cards: int  # not retired
    suspended: int
    reviews: int  # every review stored
    new: int  # new cards not suspended: not yet studied, before the daily limit
    learning_due: int  # learning and relearning cards due by today.learning_until
    review_due: int  # review cards due before the study day ends, before the daily limit
    introduced_today: int  # new cards studied for the first time today
    reviewed_today: int  # answers on review cards today


def totals(store: Store, today: Today) -> Totals:
    """Counts over the whole collection for one `Today`; each is a range or an index count."""
    row = store._db.execute(
        "SELECT "
        "(SELECT count(*) FROM deck), "
        "(SELECT count(*) FROM card WHERE retired = 0), "
        "(SELECT count(*) FROM card WHERE retired = 0 AND suspended = 1), "
        "(SELECT count(*) FROM review), "
        f"(SELECT count(*) FROM card WHERE {LIVE} AND {NEW}), "
        f"(SELECT count(*) FROM card WHERE {LIVE} AND {LEARNING_DUE_BY}), "
        f"(SELECT count(*) FROM card WHERE {LIVE} AND {REVIEW_DUE_BEFORE})",
        [today.learning_until_ms, today.end_ms],
    ).fetchone()
    decks, cards, suspended, reviews, new, learning_due, review_due = (int(v) for v in row)
    introduced, reviewed = store.studied_today(today.start, today.end)
    return Totals(decks, cards, suspended, reviews, new, learning_due, review_due, introduced,
                  reviewed)
