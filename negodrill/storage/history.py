"""The review log as the FSRS optimizer reads it: every review's card, time, grade and state."""

from __future__ import annotations

from negodrill.core.optimizer import LoggedReview
from negodrill.storage.store import Store


def logged_reviews(store: Store) -> list[LoggedReview]:
    """Every scheduled review, card by card, oldest first (the index `review_card` serves the
    order); practice answers left the schedule alone and say nothing to the optimizer."""
    rows = store._db.execute(
        "SELECT card_id, time_ms, rating, state_before FROM review WHERE unscheduled = 0 "
        "ORDER BY card_id, time_ms, id"
    ).fetchall()
    return [LoggedReview(int(c), int(t), int(r), int(s)) for c, t, r, s in rows]
