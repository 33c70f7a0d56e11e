from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from negodrill.core.errors import DatabaseError, NegodrillError
from negodrill.core.models import Grade, Review, Schedule
from negodrill.storage.database import SCHEMA_VERSION, open_database
from negodrill.storage.store import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_database_gets_the_current_schema_and_pragmas(tmp_path: Path) -> None:
    db, created = open_database(tmp_path / "c.sqlite3")
    assert created
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"deck", "card", "review", "preset", "setting"} <= tables
    db.close()
    db, created = open_database(tmp_path / "c.sqlite3")
    assert not created
    db.close()


def test_migrating_from_an_empty_version_zero_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE leftover (x)").connection.close()
    db, _ = open_database(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_a_failed_migration_leaves_the_version_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "clash.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE deck (x)")  # the first migration cannot create its deck table
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError):
        open_database(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'card'").fetchone()[0] == 0
    conn.close()


def test_a_database_from_a_newer_negodrill_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE card (id INTEGER)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseError, match="newer negodrill"):
        open_database(path)
    assert digest(path) == before
    assert not (tmp_path / "future.sqlite3-wal").exists()


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("shopping list: milk, eggs\n" * 100)
    before = digest(path)
    with pytest.raises(DatabaseError, match="not a negodrill database"):
        open_database(path)
    assert digest(path) == before


def _one_card_store(tmp_path: Path) -> tuple[Store, int]:
    store = Store.open(tmp_path / "c.sqlite3")
    with store.atomic():
        deck = store.insert_deck(uuid="u", title="T", revision=1, source="local", now=T0)
        cid = store.insert_card(
            deck, {"id": "b", "type": "basic", "front": "F", "back": "B"}, position=0, now=T0
        )
    return store, cid


def test_a_grade_is_one_transaction(tmp_path: Path) -> None:
    """If the card update fails, the review row must not be there either."""
    store, cid = _one_card_store(tmp_path)
    card = store.card(cid)
    store._db.execute(
        "CREATE TRIGGER boom BEFORE UPDATE ON card BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    after = Schedule(state=card.schedule.state.LEARNING, step=1, stability=1.0, difficulty=5.0,
                     due=T0, last_review=T0)
    with pytest.raises(sqlite3.IntegrityError):
        store.save_review(card, Review(card_id=cid, time=T0, grade=Grade.GOOD), after)
    assert store._db.execute("SELECT count(*) FROM review").fetchone()[0] == 0
    assert store.card(cid) == card
    store.close()


def test_an_acknowledged_review_survives_a_reopen(tmp_path: Path) -> None:
    store, cid = _one_card_store(tmp_path)
    card = store.card(cid)
    after = Schedule(state=card.schedule.state.LEARNING, step=1, stability=1.0, difficulty=5.0,
                     due=T0, last_review=T0)
    store.save_review(card, Review(card_id=cid, time=T0, grade=Grade.GOOD, answer="x"), after)
    # Another connection sees it at once: it was committed, not left in an open transaction.
    other = sqlite3.connect(tmp_path / "c.sqlite3")
    assert other.execute("SELECT answer FROM review").fetchone()[0] == "x"
    other.close()
    store.close()


def test_reviewing_a_deleted_card_fails_cleanly(tmp_path: Path) -> None:
    store, cid = _one_card_store(tmp_path)
    card = store.card(cid)
    store.delete_cards([cid])
    with pytest.raises(NegodrillError):
        store.save_review(card, Review(card_id=cid, time=T0, grade=Grade.GOOD), Schedule())
    assert store._db.execute("SELECT count(*) FROM review").fetchone()[0] == 0
    store.close()


def test_settings_and_presets_persist(tmp_path: Path) -> None:
    from negodrill.core.models import Preset

    store = Store.open(tmp_path / "c.sqlite3")
    store.set_setting("theme", "dark")
    store.save_preset(Preset(new_per_day=7, desired_retention=0.85))
    store.close()
    store = Store.open(tmp_path / "c.sqlite3")
    assert store.setting("theme") == "dark"
    assert store.setting("missing", "default") == "default"
    assert store.preset().new_per_day == 7
    assert store.preset().desired_retention == 0.85
    store.close()


def test_version_1_databases_are_migrated_keeping_their_data(tmp_path: Path) -> None:
    from negodrill.storage.database import MIGRATIONS, _run_script

    path = tmp_path / "v1.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    from negodrill.storage.connection import Database

    db = Database(conn)
    _run_script(db, MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO deck (uuid, title, created_ms, modified_ms) VALUES ('u', 'Old', 0, 0)"
    )
    conn.close()
    db, created = open_database(path)
    assert not created
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT title FROM deck").fetchone()[0] == "Old"
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "card_headline" in indexes
    db.close()
