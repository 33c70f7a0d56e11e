"""Reviews per study day and the first review: what the deck list's "Today" line reads (and
the Progress figures build on), without the Progress machinery's imports."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from negodrill.storage.store import Store

DAYS_CTE = (
    "WITH d(i, s, e) AS (SELECT key, json_extract(value, '$[0]'), json_extract(value, '$[1]') "
    "FROM json_each(?)) "
)


def in_list(column: str, values: Sequence[int]) -> str:
    return f"{column} IN ({', '.join('?' for _ in values) or 'NULL'})"


def review_deck_filter(deck_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    """` AND card_id IN (cards of these decks)`; SQLite builds the list once per statement."""
    if deck_ids is None:
        return "", []
    return f" AND card_id IN (SELECT id FROM card WHERE {in_list('deck_id', deck_ids)})", [
        *deck_ids]


def days_json(bounds: Sequence[int]) -> str:
    return json.dumps([[bounds[i], bounds[i + 1]] for i in range(len(bounds) - 1)])


def tally_deck_filter(deck_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    if deck_ids is None:
        return "", []
    return f" AND {in_list('deck_id', deck_ids)}", [*deck_ids]


def review_counts(store: Store, bounds: Sequence[int], deck_ids: Sequence[int] | None) -> list[int]:
    """Reviews per study day [bounds[i], bounds[i + 1]), summed from the tally."""
    if len(bounds) < 2:
        return []
    where, params = tally_deck_filter(deck_ids)
    rows = store._db.execute(
        f"{DAYS_CTE}SELECT (SELECT total(reviews) FROM review_tally "
        f"WHERE day_ms >= d.s AND day_ms < d.e{where}) FROM d ORDER BY i",
        [days_json(bounds), *params],
    ).fetchall()
    return [int(r[0]) for r in rows]


def first_review_ms(store: Store, deck_ids: Sequence[int] | None) -> int | None:
    where, params = review_deck_filter(deck_ids)
    row = store._db.execute(f"SELECT min(time_ms) FROM review WHERE 1{where}", params).fetchone()
    return None if row[0] is None else int(row[0])
