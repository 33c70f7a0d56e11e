"""The SQL behind the Progress figures: a few aggregates that return plain numbers.

Speed on a million reviews decides the shape of these queries (benchmarks/bench_stats.py):

* Figures per day, deck and kind (activity, time, retention, the habit and its flaws) are sums
  over the tally (storage/tally.py), which triggers keep equal to the review log: a few thousand
  rows instead of a million. The day bounds come from the caller, computed through the time
  zone, so 23- and 25-hour days are exact.
* The hardest cards group only the Again answers by card, from their own partial index.
* JSON in `before` is parsed only for the calibration rows, which are capped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negodrill.core.models import CardState
from negodrill.storage.conditions import IN_LEARNING, LIVE, NEW, SCHEDULED
from negodrill.storage.review_days import (
    DAYS_CTE,
    days_json,
    in_list,
    review_deck_filter,
    tally_deck_filter,
)
from negodrill.storage.tally import KIND

if TYPE_CHECKING:
    from negodrill.storage.store import Store

KIND_SQL = KIND.format(c="card")

_NEVER = -(2**62)  # an epoch ms before any review


def _card_deck_filter(deck_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    if deck_ids is None:
        return "", []
    return f" AND {in_list('card.deck_id', deck_ids)}", [*deck_ids]


def open_reader(store: Store) -> Store | None:
    """Another, read-only connection to the store's file, for reading in parallel (SQLite lets
    the GIL go while it runs a statement); None for an in-memory store or when it fails."""
    if store.path is None:
        return None
    import sqlite3

    from negodrill.storage.connection import Database
    from negodrill.storage.database import BUSY_TIMEOUT_MS
    from negodrill.storage.store import Store

    try:
        conn = sqlite3.connect(Path(store.path).resolve().as_uri() + "?mode=ro", uri=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlite3.Error:
        return None
    return Store(Database(conn), path=store.path)


# -- the review log, per study day, from the tally -------------------------------------------------
@dataclass
class DayFigures:
    """One study day's aggregates over the review log."""

    reviews: int = 0
    duration_ms: int = 0
    review_answers: int = 0  # answers on cards in review state (state_before = 2)
    remembered: int = 0  # ... of which not graded Again
    first_answers: int = 0  # drill answers on a card's first showing that day
    accepted: int = 0  # ... of which the coach accepted
    flaws: dict[str, int] = field(default_factory=dict)  # flaw code -> such first answers


def review_log(
    store: Store, bounds: Sequence[int], deck_ids: Sequence[int] | None, *, habit: bool
) -> list[DayFigures]:
    """Figures for each study day [bounds[i], bounds[i + 1]), summed from the tally."""
    if len(bounds) < 2:
        return []
    where, params = tally_deck_filter(deck_ids)
    rows = store._db.execute(
        f"{DAYS_CTE}SELECT (SELECT json_array(total(reviews), total(duration_ms), "
        "total(review_answers), total(remembered), total(first_answers), total(accepted)) "
        f"FROM review_tally WHERE day_ms >= d.s AND day_ms < d.e{where}) FROM d ORDER BY i",
        [days_json(bounds), *params],
    ).fetchall()
    days = []
    for (raw,) in rows:
        reviews, duration, answers, remembered, first, accepted = (int(v) for v in json.loads(raw))
        day = DayFigures(reviews, duration, answers, remembered)
        if habit:
            day.first_answers, day.accepted = first, accepted
        days.append(day)
    if habit:
        flaws = store._db.execute(
            f"{DAYS_CTE}SELECT d.i, code, total(answers) FROM d JOIN flaw_tally "
            f"ON day_ms >= d.s AND day_ms < d.e{where} GROUP BY d.i, code",
            [days_json(bounds), *params],
        ).fetchall()
        for i, code, answers in flaws:
            if answers:
                days[int(i)].flaws[str(code)] = int(answers)
    return days


def latest_review_id(store: Store) -> int:
    """The id of the newest review, 0 when there is none: a cheap upper bound on how many
    reviews there are (ids only grow), to choose between counting now and on a pool thread."""
    row = store._db.execute("SELECT max(id) FROM review").fetchone()
    return int(row[0] or 0)


# -- cards: mastery, retention per deck and kind, the hardest cards -------------------------------
@dataclass(frozen=True)
class GroupRow:
    """Cards of one deck and kind (and mastery bucket), with their answers on review cards."""

    deck_id: int
    kind: str
    bucket: int | None  # 0 new, 1 learning/relearning, 2 young, 3 mature, 4 retired; None:
    cards: int  # a row of answers only
    review_answers: int  # in the period
    remembered: int


@dataclass(frozen=True)
class HardRow:
    card_id: int
    deck_id: int
    headline: str
    kind: str
    lapses: int
    again: int


def _bucket_sql() -> str:
    return (
        f"CASE WHEN retired THEN 4 WHEN {NEW} THEN 0 "
        f"WHEN {IN_LEARNING} THEN 1 WHEN coalesce(stability, 0) < ? THEN 2 ELSE 3 END"
    )


def retention(
    store: Store, since_ms: int | None, until_ms: int, deck_ids: Sequence[int] | None
) -> list[GroupRow]:
    """Answers on review cards in the period and how many were remembered, per deck and kind."""
    where, params = tally_deck_filter(deck_ids)
    rows = store._db.execute(
        "SELECT deck_id, kind, total(review_answers), total(remembered) FROM review_tally "
        f"WHERE day_ms >= ? AND day_ms < ?{where} GROUP BY 1, 2",
        [_NEVER if since_ms is None else since_ms, until_ms, *params],
    ).fetchall()
    return [GroupRow(int(r[0]), str(r[1]), None, 0, int(r[2]), int(r[3])) for r in rows]


def hardest(
    store: Store, since_ms: int | None, until_ms: int, deck_ids: Sequence[int] | None, *,
    limit: int,
) -> list[HardRow]:
    """The `limit` cards with the most lapses in the period, then the most Again grades; cards
    never graded Again and retired cards are left out. Reads only the Again answers."""
    where, params = review_deck_filter(deck_ids)
    rows = store._db.execute(
        "WITH b AS MATERIALIZED (SELECT card_id, count(*) FILTER (WHERE state_before = "
        f"{int(CardState.REVIEW)}) "
        "AS lapses, count(*) AS again FROM review INDEXED BY review_again "
        f"WHERE rating = 1 AND time_ms >= ? AND time_ms < ?{where} GROUP BY card_id) "
        f"SELECT b.card_id, card.deck_id, card.headline, {KIND_SQL}, b.lapses, b.again "
        "FROM b JOIN card ON card.id = b.card_id WHERE card.retired = 0 "
        "ORDER BY b.lapses DESC, b.again DESC, b.card_id LIMIT ?",
        [_NEVER if since_ms is None else since_ms, until_ms, *params, limit],
    ).fetchall()
    return [HardRow(card_id=int(r[0]), deck_id=int(r[1]), headline=str(r[2]), kind=str(r[3]),
                    lapses=int(r[4]), again=int(r[5])) for r in rows]


def mastery(store: Store, deck_ids: Sequence[int] | None, mature_days: float) -> list[GroupRow]:
    """Cards per (deck, kind, mastery bucket) alone, when no answers are wanted."""
    card_where, card_params = _card_deck_filter(deck_ids)
    rows = store._db.execute(
        f"SELECT card.deck_id, {KIND_SQL}, {_bucket_sql()}, count(*) "
        f"FROM card NOT INDEXED WHERE 1{card_where} GROUP BY 1, 2, 3",
        [mature_days, *card_params],
    ).fetchall()
    return [GroupRow(int(r[0]), str(r[1]), int(r[2]), int(r[3]), 0, 0) for r in rows]


def deck_titles(store: Store) -> dict[int, str]:
    return {int(r[0]): str(r[1]) for r in store._db.execute("SELECT id, title FROM deck")}


# -- the future and the model ------------------------------------------------------------------
def due_per_day(store: Store, bounds: Sequence[int], deck_ids: Sequence[int] | None) -> list[int]:
    """Cards falling due on each day [bounds[i], bounds[i + 1]); the first day also takes
    everything overdue. Suspended and retired cards never come due. Each day is a range on the
    card_queue index."""
    if len(bounds) < 2:
        return []
    where, params = _card_deck_filter(deck_ids)
    rows = store._db.execute(
        f"{DAYS_CTE}SELECT (SELECT count(*) FROM card WHERE {LIVE} "
        f"AND {SCHEDULED} AND due_ms >= d.s AND due_ms < d.e{where}) FROM d ORDER BY i",
        [days_json([_NEVER, *bounds[1:]]), *params],
    ).fetchall()
    return [int(r[0]) for r in rows]


def calibration_rows(
    store: Store, since_ms: int | None, until_ms: int, deck_ids: Sequence[int] | None,
    *, limit: int,
) -> list[tuple[int, int, float | None, int | None]]:
    """The latest `limit` answers on review cards in the period, newest first: (remembered,
    time_ms, stability before, last review before)."""
    where, params = review_deck_filter(deck_ids)
    rows = store._db.execute(
        "SELECT rating > 1, time_ms, stability_before, last_before_ms "
        "FROM review INDEXED BY review_time "
        f"WHERE time_ms >= ? AND time_ms < ? AND state_before = {int(CardState.REVIEW)}{where} "
        "ORDER BY time_ms DESC LIMIT ?",
        [_NEVER if since_ms is None else since_ms, until_ms, *params, limit],
    ).fetchall()
    return [(int(r[0]), int(r[1]), r[2], r[3]) for r in rows]
