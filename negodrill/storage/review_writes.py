"""Grading writes: reviews appended to the log and the card moved on, in one go, checked
against the card as the grader read it so that two grades never overwrite each other."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from negodrill.core.errors import CardChanged
from negodrill.core.models import Card, CardState, Grade, Review, Schedule
from negodrill.storage.store import REVIEW_COLUMNS, _schedule_before, to_ms

if TYPE_CHECKING:
    from negodrill.storage.connection import Database
    from negodrill.storage.store import Store


def _first_showing(before: Schedule, after: Schedule) -> bool:
    """The card's first showing of its study day (as storage/tally.py counts drill answers):
    new or in review, or last seen on an earlier day (`last_review` is a day's start)."""
    if before.state in (CardState.NEW, CardState.REVIEW) or before.last_review is None:
        return True
    return after.last_review is None or before.last_review < after.last_review


def write_reviews(store: Store, card: Card, steps: Sequence[tuple[Review, Schedule]]) -> Card:
    """`Store.write_reviews`: see there for the contract."""
    read = card
    rows = []
    turned: list[tuple[tuple[Any, ...], Review, bool]] = []
    for review, after in steps:
        lapse = card.schedule.state is CardState.REVIEW and review.grade is Grade.AGAIN
        day = to_ms(after.last_review) or to_ms(review.time)  # the study day's start
        row = (
            card.id, to_ms(review.time), int(review.grade), review.duration_ms,
            review.answer, None if review.correct is None else int(review.correct),
            review.coach_label, json.dumps(list(review.coach_flaws)),
            int(card.schedule.state), int(after.state), day, *_schedule_before(card),
            int(review.unscheduled),
        )
        if review.turns:
            turned.append((row, review, _first_showing(card.schedule, after)))
        else:
            rows.append(row)
        card = replace(card, schedule=after, reps=card.reps + 1,
                       lapses=card.lapses + int(lapse))
    s = card.schedule
    moved = store._db.execute(
        "UPDATE card SET state = ?, step = ?, stability = ?, difficulty = ?, due_ms = ?, "
        "last_review_ms = ?, reps = ?, lapses = ? "
        "WHERE id = ? AND reps = ? AND last_review_ms IS ? AND state = ?",
        [int(s.state), s.step, s.stability, s.difficulty, to_ms(s.due),
         to_ms(s.last_review), card.reps, card.lapses, card.id,
         read.reps, to_ms(read.schedule.last_review), int(read.schedule.state)],
    )
    if moved.rowcount != 1:
        raise CardChanged(f"card {card.id} was graded or changed elsewhere (another "
                          "window or terminal) after it was read; read it again")
    insert = (f"INSERT INTO review ({REVIEW_COLUMNS}) "
              f"VALUES ({', '.join('?' for _ in REVIEW_COLUMNS.split(','))})")
    store._db.conn.executemany(insert, rows)
    for row, review, first in turned:
        review_id = store._db.conn.execute(insert, row).lastrowid
        store._db.conn.executemany(
            "INSERT INTO review_turn (review_id, card_id, day_ms, first_showing, turn, "
            "answer, coach_label, coach_flaws, fits, shown_model) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(review_id, row[0], row[10], int(first), m.turn, m.answer, m.coach_label,
              json.dumps(list(m.coach_flaws)), int(m.fits), int(m.shown_model))
             for m in review.turns])
    return card


def check_unchanged(db: Database, card: Card) -> None:
    """`CardChanged` unless the stored card is still as `card` holds it (reps, last review,
    state): the undo of a grade that another window or terminal has since built on."""
    row = db.execute(
        "SELECT 1 FROM card WHERE id = ? AND reps = ? AND last_review_ms IS ? AND state = ?",
        [card.id, card.reps, to_ms(card.schedule.last_review), int(card.schedule.state)],
    ).fetchone()
    if row is None:
        raise CardChanged("this card was graded again elsewhere (another window or terminal) "
                          "since, so its grades stay as they are; nothing was undone")
