"""Schema 6 rebuilds the card table and schema 10 the review table (SQLite's documented
procedure, foreign keys off): a collection full of reviews keeps every one of them, with the
same values, conversation cards fit afterwards, and undo still restores a card exactly."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from negodrill.storage.connection import Database
from negodrill.storage.database import MIGRATIONS, _run_script, migrate, open_database
from negodrill.storage.store import Store
from negodrill.storage.tally import tally_problems

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _schema_5(path: Path) -> Database:
    db = Database(sqlite3.connect(str(path), isolation_level=None))
    db.execute("PRAGMA foreign_keys = ON")
    for number, script in enumerate(MIGRATIONS[:5], 1):
        with db.atomic():
            _run_script(db, script)  # type: ignore[arg-type]
            db.execute(f"PRAGMA user_version = {number}")
    return db


def test_every_review_survives_the_card_table_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = _schema_5(path)
    store = Store(db, path=path)
    with store.atomic():
        deck = store.insert_deck(uuid="u-1", title="Old deck", revision=1, source="local",
                                 now=T0)
    ids = []
    for k in range(40):
        with store.atomic():
            ids.append(store.insert_card(deck, {"id": f"c{k}", "type": "basic",
                                                "front": f"Front {k}", "back": "Back"},
                                         position=k, now=T0))
    # Reviews as schema 5 wrote them: the schedule before each one as JSON in `before`.
    rows, finals = [], []
    for k, card_id in enumerate(ids):
        state, due, last, reps = 0, None, None, 0
        for n in range(1 + k % 4):
            moment = T0 + timedelta(days=n)
            day = int(moment.timestamp() * 1000)
            before = json.dumps({"state": state, "step": 0 if state == 0 else None,
                                 "stability": None if state == 0 else 2.0 + n,
                                 "difficulty": None if state == 0 else 5.0, "due_ms": due,
                                 "last_review_ms": last, "reps": reps, "lapses": 0})
            rows.append((card_id, day, 3, 4000, "", None, None, "[]", state, 2, before, day))
            state, due, last, reps = 2, day + 2 * 86_400_000, day, reps + 1
        finals.append((2, 3.0, 5.0, due, last, reps, card_id))
    with store.atomic():
        db.conn.executemany(
            "INSERT INTO review (card_id, time_ms, rating, duration_ms, answer, correct, "
            "coach_label, coach_flaws, state_before, state_after, before, day_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.conn.executemany("UPDATE card SET state = ?, stability = ?, difficulty = ?, "
                            "due_ms = ?, last_review_ms = ?, reps = ? WHERE id = ?", finals)
    before = db.execute(
        "SELECT id, card_id, time_ms, rating, duration_ms, answer, correct, coach_label, "
        "coach_flaws, state_before, state_after, day_ms, json_extract(before, '$.step'), "
        "json_extract(before, '$.stability'), json_extract(before, '$.difficulty'), "
        "json_extract(before, '$.due_ms'), json_extract(before, '$.last_review_ms'), "
        "json_extract(before, '$.reps'), json_extract(before, '$.lapses') "
        "FROM review ORDER BY id").fetchall()
    tally_before = db.execute("SELECT * FROM review_tally ORDER BY 1, 2, 3").fetchall()
    cards_before = db.execute("SELECT * FROM card ORDER BY id").fetchall()
    assert len(before) == 100
    db.conn.close()

    opened, created = open_database(path)
    assert not created
    assert opened.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    migrated_rows = opened.execute("SELECT * FROM review ORDER BY id").fetchall()
    assert [row[:-1] for row in migrated_rows] == before
    assert {row[-1] for row in migrated_rows} == {0}  # none of them a practice answer
    assert opened.execute("SELECT * FROM review_tally ORDER BY 1, 2, 3").fetchall() == (
        tally_before)
    # Every column the card had, unchanged (later migrations only add columns at the end).
    after = opened.execute("SELECT * FROM card ORDER BY id").fetchall()
    assert [row[: len(cards_before[0])] for row in after] == cards_before
    assert opened.execute("PRAGMA foreign_key_check").fetchall() == []
    assert opened.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert tally_problems(opened) == []
    # Undo reads the typed columns: the card is back as it was before its last review.
    migrated = Store(opened, path=path)
    last = before[[r[1] for r in before].index(ids[7]) + (1 + 7 % 4) - 1]
    card = migrated.undo_review(ids[7])
    assert (card.schedule.stability, card.reps) == (last[13], last[17])
    assert tally_problems(opened) == []
    # A deleted card's reviews stay in the log (and the tally), with a tombstone for check.
    opened.execute("DELETE FROM card WHERE id = ?", [ids[3]])
    assert opened.execute("SELECT count(*) FROM review").fetchone()[0] == 99
    assert opened.execute("SELECT count(*) FROM card_gone").fetchone()[0] == 1
    assert tally_problems(opened) == []
    # And it takes the new card type; the old ones are still checked.
    opened.execute("UPDATE card SET type = 'conversation' WHERE id = ?", [ids[0]])
    with pytest.raises(sqlite3.IntegrityError):
        opened.execute("UPDATE card SET type = 'poem' WHERE id = ?", [ids[1]])
    names = {r[0] for r in opened.execute(
        "SELECT name FROM sqlite_master WHERE tbl_name = 'card'")}
    assert {"card_queue", "card_deck_position", "card_headline", "card_lapses", "card_type",
            "card_tally_move", "card_gone_insert", "card_gone_back", "card_turn_tally_move",
            "card_flaw_tally_move"} <= names
    assert "card_reviews_delete" not in names
    review = {r[0] for r in opened.execute(
        "SELECT name FROM sqlite_master WHERE tbl_name = 'review'")}
    assert {"review_card", "review_time", "review_again", "review_tally_insert",
            "review_tally_delete", "review_tally_update"} <= review
    opened.conn.close()


def test_an_in_memory_collection_migrates_too() -> None:
    db = Database(sqlite3.connect(":memory:", isolation_level=None))
    db.execute("PRAGMA foreign_keys = ON")
    migrate(db)
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "review_turn" in tables
