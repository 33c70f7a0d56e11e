"""The review tally stays equal to the review log on every write path, and migration 4 builds it
for a collection that already has reviews."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from progress_history import History

from negodrill.storage.connection import Database
from negodrill.storage.database import MIGRATIONS, _run_script, migrate
from negodrill.storage.store import Store
from negodrill.storage.tally import tally_problems

ZONE = ZoneInfo("Asia/Kolkata")  # +5:30: study days start on a half hour
D = datetime


def small_history(path: Path | None = None) -> History:
    h = History(ZONE, path)
    h.deck("Work")
    h.deck("Home")
    h.card("Work", "a", "drill", "no-question")
    h.card("Work", "b", "drill", "mislabel")
    h.card("Home", "c", "basic")
    h.review("a", D(2026, 3, 2, 9, 0), 1, 1, correct=False, flaws=("still_yes_seeking",))
    h.review("a", D(2026, 3, 2, 9, 10), 3, 1, correct=True)  # same day: not a first showing
    h.review("a", D(2026, 3, 3, 9, 0), 3, 2, correct=False, flaws=("pushy", "pushy"))
    h.review("b", D(2026, 3, 3, 3, 59), 3, 1, correct=True)  # before the 4:00 rollover
    h.review("b", D(2026, 3, 3, 4, 1), 1, 3, correct=False, flaws=("starts_with_I",))
    h.review("c", D(2026, 3, 4, 10, 0), 3, 2)
    return h


def day(year: int, month: int, date: int) -> int:
    """Epoch ms of a study day's start: 4:00 in ZONE."""
    return int(datetime(year, month, date, 4, tzinfo=ZONE).timestamp() * 1000)


def days(store: Store) -> list[int]:
    return [r[0] for r in store._db.execute("SELECT day_ms FROM review ORDER BY id")]


def firsts(store: Store) -> list[int]:
    """Drill answers on their card's first showing of the day, as the tally counts them."""
    return [r[0] for r in store._db.execute(
        "SELECT coach_label IS NOT NULL AND (state_before IN (0, 2) OR "
        "coalesce(last_before_ms, -1) < day_ms) FROM review "
        "ORDER BY id")]


def tally(store: Store) -> list[tuple[object, ...]]:
    return sorted(store._db.execute("SELECT * FROM review_tally").fetchall())


def flaw_tally(store: Store) -> list[tuple[object, ...]]:
    return sorted(store._db.execute("SELECT * FROM flaw_tally").fetchall())


def test_written_reviews_are_tallied_with_their_first_showings() -> None:
    h = small_history()
    store = h.store
    assert tally_problems(store._db) == []
    assert days(store) == [day(2026, 3, 2)] * 2 + [day(2026, 3, 3), day(2026, 3, 2),
                                                    day(2026, 3, 3), day(2026, 3, 4)]
    assert firsts(store) == [1, 0, 1, 1, 1, 0]  # 4:01 is a new study day for card b
    assert sum(r[3] for r in tally(store)) == 6
    codes = {r[2]: r[3] for r in flaw_tally(store)}
    assert codes == {"still_yes_seeking": 1, "pushy": 1, "starts_with_I": 1}


def test_undo_delete_edit_and_move_keep_the_tally_equal_to_the_log() -> None:
    h = small_history()
    store, db = h.store, h.store._db
    last = db.execute("SELECT max(id) FROM review").fetchone()[0]
    db.execute("DELETE FROM review WHERE id = ?", [last])  # what undo does
    assert tally_problems(db) == []
    db.execute("UPDATE review SET duration_ms = 99, coach_flaws = '[\"accusatory\"]' WHERE id = 1")
    assert tally_problems(db) == []
    db.execute("UPDATE card SET technique = 'mislabel' WHERE id = ?", [h.ids["a"]])
    db.execute("UPDATE card SET deck_id = ? WHERE id = ?", [h.decks["Home"], h.ids["b"]])
    assert tally_problems(db) == []
    with store.atomic():
        store._db.execute("DELETE FROM card WHERE id = ?", [h.ids["a"]])  # its reviews stay
    assert tally_problems(db) == []
    # Left: card b's two answers, moved to Home (c's answer was undone), and deleted card a's,
    # still counted where they were (the review log outlives its cards, as Anki's does).
    assert {(r[1], r[2]) for r in tally(store)} == {(h.decks["Home"], "mislabel"),
                                                    (h.decks["Work"], "mislabel")}
    assert sum(r[3] for r in tally(store) if r[1] == h.decks["Home"]) == 2
    assert all(r[3] > 0 for r in tally(store))
    assert all(r[3] > 0 for r in flaw_tally(store))


def test_a_damaged_flaw_list_is_tallied_as_no_flaws() -> None:
    h = small_history()
    h.store._db.execute("UPDATE review SET coach_flaws = 'not json' WHERE id = 1")
    h.store._db.execute("UPDATE review SET coach_flaws = '{\"a\": 1}' WHERE id = 3")
    assert tally_problems(h.store._db) == []
    assert flaw_tally(h.store) == [r for r in flaw_tally(h.store) if r[2] == "starts_with_I"]


def test_check_reports_a_tally_that_disagrees(tmp_path: Path) -> None:
    h = small_history(tmp_path / "c.sqlite3")
    h.store._db.execute("UPDATE review_tally SET reviews = reviews + 1")
    problems = h.store.integrity_problems(full=True)
    assert any("review tally disagrees with the review log" in p for p in problems)


def test_migration_4_tallies_the_reviews_already_written() -> None:
    h = small_history()
    reviews = h.store._db.execute(
        "SELECT id, card_id, time_ms, rating, duration_ms, answer, correct, coach_label, "
        "coach_flaws, state_before, state_after, json_object('state', state_before, 'step', "
        "step_before, 'stability', stability_before, 'difficulty', difficulty_before, "
        "'due_ms', due_before_ms, 'last_review_ms', last_before_ms, 'reps', reps_before, "
        "'lapses', lapses_before) FROM review ORDER BY id").fetchall()  # as schema 3 kept it
    cards = h.store._db.execute("SELECT * FROM card").fetchall()
    decks = h.store._db.execute("SELECT * FROM deck").fetchall()
    expected, expected_flaws = tally(h.store), flaw_tally(h.store)

    old = Database(sqlite3.connect(":memory:", isolation_level=None))
    for script in MIGRATIONS[:3]:
        _run_script(old, script)
    old.execute("PRAGMA user_version = 3")
    deck_columns = [str(r[1]) for r in old.execute("PRAGMA table_info(deck)").fetchall()]
    decks = h.store._db.execute(f"SELECT {', '.join(deck_columns)} FROM deck").fetchall()
    marks = ", ".join("?" for _ in deck_columns)
    old.conn.executemany(f"INSERT INTO deck VALUES ({marks})", decks)
    # The card table as schema 3 had it: the columns later migrations added are left out.
    columns = [str(r[1]) for r in old.execute("PRAGMA table_info(card)").fetchall()]
    cards = h.store._db.execute(f"SELECT {', '.join(columns)} FROM card").fetchall()
    old.conn.executemany(f"INSERT INTO card VALUES ({', '.join('?' for _ in columns)})", cards)
    old.conn.executemany(
        "INSERT INTO review (id, card_id, time_ms, rating, duration_ms, answer, correct, "
        "coach_label, coach_flaws, state_before, state_after, before) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", reviews)
    migrate(old)
    assert tally_problems(old) == []
    assert sorted(old.execute("SELECT * FROM review_tally").fetchall()) == expected
    assert sorted(old.execute("SELECT * FROM flaw_tally").fetchall()) == expected_flaws
    # Each old review's study day comes from the next review's `before` (or the card).
    migrated = Store(old)
    assert days(migrated) == days(h.store)
    assert firsts(migrated) == firsts(h.store)
