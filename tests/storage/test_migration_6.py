"""Schema 6 rebuilds the card table (SQLite's documented procedure, foreign keys off): a
collection full of reviews keeps every one of them, and conversation cards fit afterwards."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from negodrill.core.models import CardState, Grade, Review, Schedule
from negodrill.storage.database import MIGRATIONS, _run_script, migrate, open_database
from negodrill.storage.store import Store
from negodrill.storage.tally import tally_problems

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _schema_5(path: Path) -> Database:
    db = Database(sqlite3.connect(str(path), isolation_level=None), execute_plugins=False)
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
    for k, card_id in enumerate(ids):
        card = store.card(card_id)
        for n in range(1 + k % 4):
            moment = T0 + timedelta(days=n)
            after = Schedule(state=CardState.REVIEW, step=None, stability=2.0, difficulty=5.0,
                             due=moment + timedelta(days=2), last_review=moment)
            with store.atomic():
                card = store.write_review(card, Review(card_id=card_id, time=moment,
                                                       grade=Grade.GOOD), after)
    before = db.execute("SELECT * FROM review ORDER BY id").fetchall()
    cards_before = db.execute("SELECT * FROM card ORDER BY id").fetchall()
    assert len(before) == 100
    db.conn.close()

    opened, created = open_database(path)
    assert not created
    assert opened.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert opened.execute("SELECT * FROM review ORDER BY id").fetchall() == before
    # Every column the card had, unchanged (later migrations only add columns at the end).
    after = opened.execute("SELECT * FROM card ORDER BY id").fetchall()
    assert [row[: len(cards_before[0])] for row in after] == cards_before
    assert opened.execute("PRAGMA foreign_key_check").fetchall() == []
    assert opened.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert tally_problems(opened) == []
    # The rebuilt table still cascades a deleted card's reviews, through the tally triggers.
    opened.execute("DELETE FROM card WHERE id = ?", [ids[3]])
    assert opened.execute("SELECT count(*) FROM review").fetchone()[0] == 96
    assert tally_problems(opened) == []
    # And it takes the new card type; the old ones are still checked.
    opened.execute("UPDATE card SET type = 'conversation' WHERE id = ?", [ids[0]])
    with pytest.raises(sqlite3.IntegrityError):
        opened.execute("UPDATE card SET type = 'poem' WHERE id = ?", [ids[1]])
    names = {r[0] for r in opened.execute(
        "SELECT name FROM sqlite_master WHERE tbl_name = 'card'")}
    assert {"card_queue", "card_deck_position", "card_headline", "card_lapses", "card_type",
            "card_tally_move", "card_reviews_delete", "card_turn_tally_move"} <= names
    opened.conn.close()


def test_an_in_memory_collection_migrates_too() -> None:
    db = Database(sqlite3.connect(":memory:", isolation_level=None), execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")
    migrate(db)
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert "review_turn" in db.table_names()
