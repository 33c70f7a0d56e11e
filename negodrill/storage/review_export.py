"""The review log as the progress CSV reads it: every review with its card, deck and intervals,
streamed oldest first from one cursor, so a million reviews are never held in memory.

A review of a deleted card is read through the card's tombstone (`card_gone`): the review log
outlives its cards. Intervals are a schedule's due date minus its last review, in ms, as the
scheduler stores them; see reports/csv_report.py for what each one means to the learner.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from negodrill.storage.store import Store

_NEVER = -(2**62)  # an epoch ms before any review

# A review's card, or for a deleted card its tombstone.
_CARD = ("LEFT JOIN card ON card.id = r.card_id "
         "LEFT JOIN card_gone AS gone ON gone.id = r.card_id AND card.id IS NULL")

# The next review's schedule interval, -1 when it has none (a reset came between); NULL when
# there is no next review (then the card's current schedule tells).
_NEXT = (
    "(SELECT coalesce(nx.due_before_ms - nx.last_before_ms, -1) FROM review nx "
    "  WHERE nx.card_id = r.card_id AND (nx.time_ms > r.time_ms "
    "  OR (nx.time_ms = r.time_ms AND nx.id > r.id)) ORDER BY nx.time_ms, nx.id LIMIT 1)"
)


class LoggedReview(NamedTuple):
    """One review as the CSV writes it."""

    id: int
    time_ms: int  # UTC epoch ms
    deck_title: str  # "a deleted deck" when its deck is gone
    card_key: str  # "" when the card was deleted
    kind: str  # the card type
    technique: str | None
    rating: int
    answer: str
    coach_label: str | None
    coach_flaws: tuple[str, ...]
    interval_before_ms: int | None  # None for a new card
    interval_after_ms: int | None  # None or negative when unknown (a reset came between)
    duration_ms: int | None


class LoggedTurn(NamedTuple):
    """One turn of a conversation review."""

    turn: int  # from 0
    answer: str
    coach_label: str | None
    coach_flaws: tuple[str, ...]


def _flaws(raw: str | None) -> tuple[str, ...]:
    """The stored JSON list of flaw codes; () when empty or not a list of codes."""
    if not raw or raw == "[]":
        return ()
    try:
        codes = json.loads(raw)
    except ValueError:
        return ()
    return tuple(str(c) for c in codes) if isinstance(codes, list) else ()


def _filters(since_ms: int | None, until_ms: int,
             deck_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    where = "r.time_ms >= ? AND r.time_ms < ?"
    params: list[Any] = [_NEVER if since_ms is None else since_ms, until_ms]
    if deck_ids is not None:
        where += (f" AND coalesce(card.deck_id, gone.deck_id) IN "
                  f"({', '.join('?' for _ in deck_ids) or 'NULL'})")
        params += list(deck_ids)
    return where, params


def review_log_count(store: Store, *, since_ms: int | None, until_ms: int,
                     deck_ids: Sequence[int] | None = None) -> int:
    """How many reviews `review_log` yields for the same arguments."""
    where, params = _filters(since_ms, until_ms, deck_ids)
    row = store._db.execute(f"SELECT count(*) FROM review r {_CARD} WHERE {where}",
                            params).fetchone()
    return int(row[0])


def review_log(store: Store, *, since_ms: int | None, until_ms: int,
               deck_ids: Sequence[int] | None = None) -> Generator[LoggedReview, None, None]:
    """Reviews in [since_ms, until_ms) (since_ms None: from the first) of these decks (None:
    all, deleted ones too), oldest first, read one row at a time. Close the iterator to stop
    early: the cursor is closed with it."""
    where, params = _filters(since_ms, until_ms, deck_ids)
    cursor = store._db.conn.execute(
        "SELECT r.id, r.time_ms, coalesce(deck.title, 'a deleted deck'), "
        "coalesce(card.key, ''), coalesce(card.type, gone.type), "
        "coalesce(card.technique, gone.technique), r.rating, r.answer, "
        "r.coach_label, r.coach_flaws, r.due_before_ms - r.last_before_ms, "
        f"{_NEXT}, card.due_ms - card.last_review_ms, r.duration_ms "
        f"FROM review r INDEXED BY review_time {_CARD} "
        "LEFT JOIN deck ON deck.id = coalesce(card.deck_id, gone.deck_id) "
        f"WHERE {where} ORDER BY r.time_ms, r.id",
        params,
    )
    try:
        for (review_id, time_ms, deck, key, kind, technique, rating, answer, label, flaws,
             before, after, current, duration) in cursor:
            yield LoggedReview(review_id, time_ms, deck, key, kind, technique, rating, answer,
                               label, _flaws(flaws), before,
                               current if after is None else after, duration)
    finally:
        cursor.close()


def review_turns(store: Store, review_id: int) -> list[LoggedTurn]:
    """A conversation review's turns in order; [] for any other review."""
    rows = store._db.conn.execute(
        "SELECT turn, answer, coach_label, coach_flaws FROM review_turn "
        "WHERE review_id = ? ORDER BY turn", [review_id]).fetchall()
    return [LoggedTurn(int(t), a, label, _flaws(f)) for t, a, label, f in rows]
