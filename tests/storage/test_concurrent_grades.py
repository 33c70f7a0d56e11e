"""Two grades of the same card from two places (two windows, two terminals) never overwrite
each other: the second one is scheduled on top of the first."""

from __future__ import annotations

import json
import os
import selectors
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from negodrill.core.errors import CardChanged
from negodrill.core.models import Grade, Review
from negodrill.core.scheduling import Scheduler
from negodrill.core.session import ReviewSession
from negodrill.storage.store import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SCHEDULE = "state, step, stability, difficulty, due_ms, last_review_ms, reps, lapses"
BEFORE = ("state_before, step_before, stability_before, difficulty_before, due_before_ms, "
          "last_before_ms, reps_before, lapses_before")


def _basic(i: int) -> dict[str, object]:
    return {"id": f"b{i}", "type": "basic", "front": f"Front {i}", "back": f"Back {i}"}


@pytest.fixture
def two_stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    """Two Stores on one file, as two processes would hold it."""
    path = tmp_path / "negodrill.sqlite3"
    first = Store.open(path)
    with first.atomic():
        deck = first.insert_deck(uuid="u1", title="Test", revision=1, source="local", now=T0)
        for i in range(3):
            first.insert_card(deck, _basic(i), position=i, now=T0)
    second = Store.open(path)
    yield first, second
    first.close()
    second.close()


def _session(store: Store, at: datetime) -> ReviewSession:
    return ReviewSession(store, clock=lambda: at, fuzz=False, local=UTC)


def _rows(store: Store, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in store._db.execute(sql, params).fetchall()]


def test_a_grade_on_a_stale_card_lands_on_top_of_the_first(
    two_stores: tuple[Store, Store],
) -> None:
    first, second = two_stores
    here, there = _session(first, T0), _session(second, T0 + timedelta(minutes=1))
    card = here.current()
    assert card is not None
    stale = there.current()
    assert stale is not None
    assert stale.id == card.id  # both showing the same new card, read before either grade

    here.grade(Grade.GOOD)
    (after_first,) = _rows(first, f"SELECT {SCHEDULE} FROM card WHERE id = ?", [card.id])
    saved = there.grade(Grade.GOOD)

    assert saved.reps == 2
    assert second.card(card.id).reps == 2
    reviews = _rows(first, f"SELECT time_ms, {BEFORE}, state_after FROM review "
                    "WHERE card_id = ? ORDER BY id", [card.id])
    assert len(reviews) == 2
    # The second review saw the first: its "before" is the schedule the first one left.
    assert reviews[1][1:-1] == after_first
    assert reviews[0][-1] == reviews[1][1]  # first's state after == second's state before
    assert first.integrity_problems(full=True) == []


def test_a_stale_write_is_refused_with_nothing_written(two_stores: tuple[Store, Store]) -> None:
    first, second = two_stores
    card = first.new_cards(None, limit=1)[0]
    stale = second.card(card.id)
    scheduler = Scheduler(first.preset(), fuzz=False)

    def review(at: datetime) -> Review:
        return Review(card_id=card.id, time=at, grade=Grade.GOOD, duration_ms=1000)

    first.save_review(card, review(T0),
                      scheduler.outcome(card.id, card.schedule, Grade.GOOD, T0).schedule)
    before = _rows(first, f"SELECT {SCHEDULE} FROM card WHERE id = ?", [card.id])
    later = T0 + timedelta(minutes=1)
    with pytest.raises(CardChanged):
        second.save_review(stale, review(later),
                           scheduler.outcome(card.id, stale.schedule, Grade.EASY, later).schedule)
    assert _rows(first, f"SELECT {SCHEDULE} FROM card WHERE id = ?", [card.id]) == before
    assert _rows(first, "SELECT count(*) FROM review", []) == [(1,)]
    # Nothing left half-open: the stale store can write again at once.
    fresh = second.card(card.id)
    second.save_review(fresh, review(later),
                       scheduler.outcome(card.id, fresh.schedule, Grade.EASY, later).schedule)
    assert second.card(card.id).reps == 2


def test_a_stale_card_in_an_imported_history_is_refused(two_stores: tuple[Store, Store]) -> None:
    """`write_reviews` in the caller's transaction checks too, and raises before writing."""
    first, second = two_stores
    card = first.new_cards(None, limit=1)[0]
    moved_on = replace(card, reps=card.reps + 5)  # not what is stored
    scheduler = Scheduler(first.preset(), fuzz=False)
    step = (Review(card_id=card.id, time=T0, grade=Grade.GOOD, duration_ms=1),
            scheduler.outcome(card.id, card.schedule, Grade.GOOD, T0).schedule)
    with pytest.raises(CardChanged), first.atomic():
        first.write_reviews(moved_on, [step])
    assert _rows(second, "SELECT count(*) FROM review", []) == [(0,)]


# -- two terminals --------------------------------------------------------------------------
def _read_until(proc: subprocess.Popen[bytes], marker: bytes, seen: bytearray) -> None:
    """Read a study process's output until `marker` (a prompt, which it flushes)."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while marker not in seen:
            if not selector.select(timeout=60):
                raise AssertionError(f"no {marker!r} from study: {bytes(seen)!r}")
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                raise AssertionError(f"study ended before {marker!r}: {bytes(seen)!r}")
            seen += chunk


def test_two_terminals_grading_the_same_card_both_count(
    cli: Callable[..., Any], data_dir: Path,
) -> None:
    assert cli("decks", "--json", data_dir=data_dir).code == 0  # the collection, installed
    argv = [sys.executable, "-m", "negodrill", "--data-dir", str(data_dir), "study",
            "--limit", "1"]
    procs = [subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env={**os.environ}) for _ in range(2)]
    try:
        outputs = [bytearray(), bytearray()]
        for proc, seen in zip(procs, outputs, strict=True):
            assert proc.stdin is not None
            proc.stdin.write(b"Would it be crazy to ask for a short call?\n")
            proc.stdin.flush()
            # Both wait at the grade prompt: each has read the card before either grades.
            _read_until(proc, b"Grade 1-4", seen)
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write(b"3\n")
            proc.stdin.close()
        for proc, seen in zip(procs, outputs, strict=True):
            assert proc.stdout is not None
            seen += proc.stdout.read()
            assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
            assert b"graded Good" in seen
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()

    db = sqlite3.connect(data_dir / "negodrill.sqlite3")
    try:
        per_card = db.execute("SELECT card_id, count(*) FROM review GROUP BY card_id").fetchall()
        assert len(per_card) == 1, "both terminals showed the same first card"
        card_id, reviews = per_card[0]
        assert reviews == 2
        assert db.execute("SELECT reps FROM card WHERE id = ?", [card_id]).fetchone()[0] == 2
    finally:
        db.close()
    stats = json.loads(cli("stats", "--json", data_dir=data_dir).out)
    assert stats["reviews"] == 2
    check = cli("check", data_dir=data_dir)
    assert check.code == 0, check


def test_undo_never_takes_back_a_grade_given_elsewhere(
    two_stores: tuple[Store, Store],
) -> None:
    """A window undoes its grade only while the card is as that grade left it: once a
    terminal has graded the card again, undo refuses and both grades stay."""
    first, second = two_stores
    window = _session(first, T0)
    card = window.current()
    assert card is not None
    window.grade(Grade.GOOD)
    terminal = _session(second, T0 + timedelta(minutes=20))
    while (shown := terminal.current()) is not None and shown.id != card.id:
        terminal.bury_current()
    assert shown is not None
    terminal.grade(Grade.GOOD)
    with pytest.raises(CardChanged, match="nothing was undone"):
        window.undo()
    assert first.card(card.id).reps == 2
    assert _rows(first, "SELECT count(*) FROM review WHERE card_id = ?", [card.id]) == [(2,)]
    assert window.can_undo  # the window's grade is still its own to take back later
