"""Practice ("study more"): the cards of a practice session, and its answers, logged as
unscheduled reviews that leave every card's schedule as it was."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from negodrill.core.models import Card, Review
from negodrill.storage.conditions import LIVE, REVIEW_DUE_BEFORE
from negodrill.storage.store import (
    CARD_COLUMNS,
    REVIEW_COLUMNS,
    Store,
    _deck_filter,
    _schedule_before,
    to_ms,
)


def save_practice(store: Store, card: Card, review: Review, day_start_ms: int) -> None:
    """A practice answer ("study more"): logged for the streak and the habit, marked
    unscheduled, and the card left exactly as it was (undo removes just the row)."""
    with store.atomic():
        store._db.execute(
            f"INSERT INTO review ({REVIEW_COLUMNS}) "
            f"VALUES ({', '.join('?' for _ in REVIEW_COLUMNS.split(','))})",
            [card.id, to_ms(review.time), int(review.grade), review.duration_ms,
             review.answer, None if review.correct is None else int(review.correct),
             review.coach_label, json.dumps(list(review.coach_flaws)),
             int(card.schedule.state), int(card.schedule.state), day_start_ms,
             *_schedule_before(card), 1])


def practice_cards(store: Store, deck_ids: Sequence[int] | None, *,
                   due_until_ms: int | None = None, tag: str | None = None,
                   flaw: str | None = None, limit: int = 100) -> list[Card]:
    """Cards for a practice session, never conversations or suspended ones: review cards
    due before `due_until_ms` (review ahead, soonest first), cards with `tag`, or cards
    whose answers had the coach's `flaw` (those two in the deck's order)."""
    where, deck_params = _deck_filter(deck_ids)
    clauses = [LIVE, "type <> 'conversation'"]
    params: list[Any] = []
    order = "position, id"
    if due_until_ms is not None:
        clauses.append(REVIEW_DUE_BEFORE)
        params.append(due_until_ms)
        order = "due_ms, id"
    if tag is not None:
        clauses.append("instr(tags, ?) > 0")  # tags are stored " a b " with spaces round
        params.append(f" {tag} ")
    if flaw is not None:
        clauses.append("id IN (SELECT r.card_id FROM review AS r, json_each(CASE WHEN "
                       "json_valid(r.coach_flaws) THEN r.coach_flaws ELSE '[]' END) AS f "
                       "WHERE f.value = ?)")
        params.append(flaw)
    params += deck_params
    rows = store._db.execute(
        f"SELECT {CARD_COLUMNS} FROM card WHERE {' AND '.join(clauses)}{where} "
        f"ORDER BY {order} LIMIT ?", [*params, limit]).fetchall()
    return [store.card_from_row(r) for r in rows]
