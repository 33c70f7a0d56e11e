"""The SQL behind the Progress figures: a few aggregates that return plain numbers.

Speed on a million reviews decides the shape of these queries (benchmarks/bench_stats.py):

* No GROUP BY over the whole review log by day. SQLite groups by sorting, and sorting a million
  rows costs more than reading them. `review_log` reads the log once: one aggregate per study
  day over the `review_time` index, all inside a single statement. The day boundaries come from
  the caller, computed through the time zone, so 23- and 25-hour days are exact.
* Figures per card (retention per deck and technique, the hardest cards) group only the rare
  rows by card: answers not on review cards, and Again grades (`cards_and_answers`). A card's
  answers on review cards follow by subtraction from its review count.
* JSON in `before` is parsed only for learning answers (first showing of the day?) and for the
  calibration rows, which are capped.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from negodrill.storage.store import Store

# A card's "kind" for per-technique figures: its drill technique, else its card type.
KIND_SQL = "CASE card.type WHEN 'drill' THEN coalesce(card.technique, 'drill') ELSE card.type END"

_DAYS_CTE = (
    "WITH d(i, s, e) AS (SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]') "
    "FROM json_each(?)) "
)
_NEVER = -(2**62)  # an epoch ms before any review
_SHORT_PERIOD_MS = 92 * 86_400_000


def _in_list(column: str, values: Sequence[int]) -> str:
    return f"{column} IN ({', '.join('?' for _ in values) or 'NULL'})"


def _review_deck_filter(deck_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    """` AND card_id IN (cards of these decks)`; SQLite builds the list once per statement."""
    if deck_ids is None:
        return "", []
    return f" AND card_id IN (SELECT id FROM card WHERE {_in_list('deck_id', deck_ids)})", [
        *deck_ids]


def _card_deck_filter(deck_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    if deck_ids is None:
        return "", []
    return f" AND {_in_list('card.deck_id', deck_ids)}", [*deck_ids]


def _days_json(bounds: Sequence[int]) -> str:
    return json.dumps([[bounds[i], bounds[i + 1]] for i in range(len(bounds) - 1)])


def open_reader(store: Store) -> Store | None:
    """Another, read-only connection to the store's file, for reading in parallel (SQLite lets
    the GIL go while it runs a statement); None for an in-memory store or when it fails."""
    if store.path is None:
        return None
    import sqlite3

    from sqlite_utils import Database

    from negodrill.storage.database import BUSY_TIMEOUT_MS
    from negodrill.storage.store import Store

    try:
        conn = sqlite3.connect(Path(store.path).resolve().as_uri() + "?mode=ro", uri=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlite3.Error:
        return None
    return Store(Database(conn, execute_plugins=False), path=store.path)


# -- the review log, per study day ---------------------------------------------------------------
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


# The first showing of a card on a study day. A new card (state 0) is always first; a card in
# review state (2) is too, because FSRS never schedules a review card twice in one study day
# (intervals are whole days). A learning or relearning answer is first only when the card was
# last reviewed on an earlier day: the scheduler stores that day's start as `last_review`.
_LEARNING_FIRST = (
    "coach_label IS NOT NULL AND state_before IN (1, 3) "
    "AND coalesce(json_extract(before, '$.last_review_ms'), 0) < d.s"
)
_ACTIVITY = (
    "count(*), total(duration_ms), count(*) FILTER (WHERE state_before = 2), "
    "count(*) FILTER (WHERE state_before = 2 AND rating > 1)"
)
# The habit (drill answers carry a coach label): sums for the common case; group_concat for
# flaw lists ('|'-joined JSON lists: a few distinct texts, parsed once each) and for learning
# answers, so their JSON is read once per row.
_HABIT = (
    ", count(*) FILTER (WHERE coach_label IS NOT NULL AND state_before IN (0, 2)), "
    "count(*) FILTER (WHERE coach_label IS NOT NULL AND state_before IN (0, 2) AND correct = 1), "
    "group_concat(coach_flaws, '|') FILTER (WHERE coach_label IS NOT NULL "
    "  AND state_before IN (0, 2) AND coach_flaws <> '[]'), "
    f"group_concat(coalesce(correct, 0) || coach_flaws, '|') FILTER (WHERE {_LEARNING_FIRST})"
)


def review_log(
    store: Store, bounds: Sequence[int], deck_ids: Sequence[int] | None, *, habit: bool
) -> list[DayFigures]:
    """One read of the review log: figures for each study day [bounds[i], bounds[i + 1])."""
    if len(bounds) < 2:
        return []
    where, params = _review_deck_filter(deck_ids)
    columns = _ACTIVITY + (_HABIT if habit else "")
    rows = store.db.execute(
        f"{_DAYS_CTE}SELECT (SELECT json_array({columns}) FROM review INDEXED BY review_time "
        f"WHERE time_ms >= d.s AND time_ms < d.e{where}) FROM d ORDER BY i",
        [_days_json(bounds), *params],
    ).fetchall()
    days: list[DayFigures] = []
    for (raw,) in rows:
        values = json.loads(raw)
        reviews, duration, answers, remembered = (int(v or 0) for v in values[:4])
        day = DayFigures(reviews, duration, answers, remembered)
        if habit:
            _add_habit(day, values[4:8])
        days.append(day)
    return days


def _add_habit(day: DayFigures, values: list[Any]) -> None:
    day.first_answers, day.accepted = int(values[0] or 0), int(values[1] or 0)
    if values[2]:
        for text, count in Counter(values[2].split("|")).items():
            _add_flaws(day.flaws, text, count)
    if values[3]:
        for text, count in Counter(values[3].split("|")).items():
            day.first_answers += count
            day.accepted += count if text.startswith("1") else 0
            _add_flaws(day.flaws, text[1:], count)


def _add_flaws(flaws: dict[str, int], text: str, count: int) -> None:
    try:
        codes = json.loads(text)
    except ValueError:
        return
    if isinstance(codes, list):
        for code in dict.fromkeys(str(c) for c in codes):  # a code listed twice counts once
            flaws[code] = flaws.get(code, 0) + count


def review_counts(store: Store, bounds: Sequence[int], deck_ids: Sequence[int] | None) -> list[int]:
    """Reviews per study day, read from the review_time index alone (without a deck filter)."""
    if len(bounds) < 2:
        return []
    where, params = _review_deck_filter(deck_ids)
    rows = store.db.execute(
        f"{_DAYS_CTE}SELECT (SELECT count(*) FROM review INDEXED BY review_time "
        f"WHERE time_ms >= d.s AND time_ms < d.e{where}) FROM d ORDER BY i",
        [_days_json(bounds), *params],
    ).fetchall()
    return [int(r[0]) for r in rows]


def first_review_ms(store: Store, deck_ids: Sequence[int] | None) -> int | None:
    where, params = _review_deck_filter(deck_ids)
    row = store.db.execute(f"SELECT min(time_ms) FROM review WHERE 1{where}", params).fetchone()
    return None if row[0] is None else int(row[0])


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
        "CASE WHEN card.retired THEN 4 WHEN card.state = 0 THEN 0 "
        "WHEN card.state IN (1, 3) THEN 1 WHEN coalesce(card.stability, 0) < ? THEN 2 ELSE 3 END"
    )


def cards_and_answers(
    store: Store, since_ms: int | None, until_ms: int, deck_ids: Sequence[int] | None, *,
    mature_days: float, hardest: int,
) -> tuple[list[GroupRow], list[HardRow]]:
    """Cards per deck, kind and mastery bucket; their answers on review cards in the period and
    how many were remembered; and the `hardest` cards (lapses, then Again grades). One statement.

    Only the rare answers are grouped by card (`b`: answers not on review cards, Again grades).
    A card's answers on review cards are its reviews minus those, remembered ones minus lapses
    too. Its reviews are `card.reps` over all time (the store keeps it equal to the log, and
    `negodrill check` verifies it), so one scan of the card table gives mastery and answers.
    For a period they are counted per card (`a`), and only the cards reviewed in it are joined.
    """
    review_where, review_params = _review_deck_filter(deck_ids)
    card_where, card_params = _card_deck_filter(deck_ids)
    by_card = (
        "SELECT card_id, count(*) FILTER (WHERE state_before <> 2) AS other, "
        "count(*) FILTER (WHERE state_before = 2 AND rating = 1) AS lapses, "
        "count(*) FILTER (WHERE rating = 1) AS again FROM review "
    )
    if since_ms is None:  # the whole log: the rare rows' own index, already in card order
        answers = "(card.reps - coalesce(b.other, 0))"
        head = (
            f"WITH b AS MATERIALIZED ({by_card} INDEXED BY review_rare WHERE +time_ms < ? "
            f"AND (state_before <> 2 OR rating = 1){review_where} GROUP BY card_id) "
            f"SELECT 0, card.deck_id, {KIND_SQL}, {_bucket_sql()}, count(*), "
            f"sum(max(0, {answers})), sum(max(0, {answers} - coalesce(b.lapses, 0))), NULL "
            f"FROM card NOT INDEXED LEFT JOIN b ON b.card_id = card.id WHERE 1{card_where} "
            "GROUP BY 2, 3, 4 "
        )
        params = [until_ms, *review_params, mature_days, *card_params]
    else:
        # A short period reads its few rows by time; a long one the whole covering index.
        index = "review_time" if until_ms - since_ms <= _SHORT_PERIOD_MS else "review_card"
        answers = "(a.n - coalesce(b.other, 0))"
        head = (
            f"WITH b AS MATERIALIZED ({by_card} WHERE time_ms >= ? AND time_ms < ? "
            f"AND (state_before <> 2 OR rating = 1){review_where} GROUP BY card_id), "
            f"a AS MATERIALIZED (SELECT card_id, count(*) AS n FROM review INDEXED BY {index} "
            f"WHERE time_ms >= ? AND time_ms < ?{review_where} GROUP BY card_id) "
            f"SELECT 0, card.deck_id, {KIND_SQL}, {_bucket_sql()}, count(*), 0, 0, NULL "
            f"FROM card NOT INDEXED WHERE 1{card_where} GROUP BY 2, 3, 4 "
            f"UNION ALL SELECT 0, card.deck_id, {KIND_SQL}, NULL, 0, sum(max(0, {answers})), "
            f"sum(max(0, {answers} - coalesce(b.lapses, 0))), NULL FROM a "
            "JOIN card ON card.id = a.card_id LEFT JOIN b ON b.card_id = a.card_id GROUP BY 2, 3 "
        )
        params = [since_ms, until_ms, *review_params, since_ms, until_ms, *review_params,
                  mature_days, *card_params]
    rows = store.db.execute(
        head + "UNION ALL SELECT * FROM (SELECT 1, b.card_id, card.deck_id, NULL, b.lapses, "
        f"b.again, {KIND_SQL}, card.headline FROM b JOIN card ON card.id = b.card_id "
        "WHERE card.retired = 0 AND b.again > 0 "
        "ORDER BY b.lapses DESC, b.again DESC, b.card_id LIMIT ?)",
        [*params, hardest],
    ).fetchall()
    groups = [GroupRow(int(r[1]), str(r[2]), None if r[3] is None else int(r[3]), int(r[4]),
                       int(r[5] or 0), int(r[6] or 0)) for r in rows if r[0] == 0]
    hard = [HardRow(card_id=int(r[1]), deck_id=int(r[2]), headline=str(r[7]), kind=str(r[6]),
                    lapses=int(r[4]), again=int(r[5])) for r in rows if r[0] == 1]
    return groups, hard


def mastery(store: Store, deck_ids: Sequence[int] | None, mature_days: float) -> list[GroupRow]:
    """Cards per (deck, kind, mastery bucket) alone, when no answers are wanted."""
    card_where, card_params = _card_deck_filter(deck_ids)
    rows = store.db.execute(
        f"SELECT card.deck_id, {KIND_SQL}, {_bucket_sql()}, count(*) "
        f"FROM card NOT INDEXED WHERE 1{card_where} GROUP BY 1, 2, 3",
        [mature_days, *card_params],
    ).fetchall()
    return [GroupRow(int(r[0]), str(r[1]), int(r[2]), int(r[3]), 0, 0) for r in rows]


def deck_titles(store: Store) -> dict[int, str]:
    return {int(r[0]): str(r[1]) for r in store.db.execute("SELECT id, title FROM deck")}


# -- the future and the model ------------------------------------------------------------------
def due_per_day(store: Store, bounds: Sequence[int], deck_ids: Sequence[int] | None) -> list[int]:
    """Cards falling due on each day [bounds[i], bounds[i + 1]); the first day also takes
    everything overdue. Suspended and retired cards never come due. Each day is a range on the
    card_queue index."""
    if len(bounds) < 2:
        return []
    where, params = _card_deck_filter(deck_ids)
    rows = store.db.execute(
        f"{_DAYS_CTE}SELECT (SELECT count(*) FROM card WHERE suspended = 0 AND retired = 0 "
        f"AND state IN (1, 2, 3) AND due_ms >= d.s AND due_ms < d.e{where}) FROM d ORDER BY i",
        [_days_json([_NEVER, *bounds[1:]]), *params],
    ).fetchall()
    return [int(r[0]) for r in rows]


def calibration_rows(
    store: Store, since_ms: int | None, until_ms: int, deck_ids: Sequence[int] | None,
    *, limit: int,
) -> list[tuple[int, int, float | None, int | None]]:
    """The latest `limit` answers on review cards in the period, newest first: (remembered,
    time_ms, stability before, last review before)."""
    where, params = _review_deck_filter(deck_ids)
    rows = store.db.execute(
        "SELECT rating > 1, time_ms, json_extract(before, '$.stability'), "
        "json_extract(before, '$.last_review_ms') FROM review INDEXED BY review_time "
        f"WHERE time_ms >= ? AND time_ms < ? AND state_before = 2{where} "
        "ORDER BY time_ms DESC LIMIT ?",
        [_NEVER if since_ms is None else since_ms, until_ms, *params, limit],
    ).fetchall()
    return [(int(r[0]), int(r[1]), r[2], r[3]) for r in rows]
