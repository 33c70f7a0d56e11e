"""The collection's connection: what commits, what rolls back, and nested blocks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from negodrill.storage.connection import Database


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(sqlite3.connect(tmp_path / "t.sqlite3"))
    database.execute("CREATE TABLE t (x INTEGER PRIMARY KEY, y TEXT)")
    return database


def rows(path: Path) -> list[tuple[int, str]]:
    """What another connection sees: only what was committed."""
    other = sqlite3.connect(path)
    try:
        return other.execute("SELECT x, y FROM t ORDER BY x").fetchall()
    finally:
        other.close()


def test_a_statement_outside_a_block_is_committed_at_once(db: Database, tmp_path: Path) -> None:
    db.execute("INSERT INTO t VALUES (1, 'a')")
    assert not db.conn.in_transaction
    assert rows(tmp_path / "t.sqlite3") == [(1, "a")]


def test_a_block_commits_whole_or_not_at_all(db: Database, tmp_path: Path) -> None:
    with db.atomic():
        db.execute("INSERT INTO t VALUES (1, 'a')")
        db.executemany("INSERT INTO t VALUES (?, ?)", [(2, "b"), (3, "c")])
        assert rows(tmp_path / "t.sqlite3") == []  # not before the block ends
    assert rows(tmp_path / "t.sqlite3") == [(1, "a"), (2, "b"), (3, "c")]
    def duplicate() -> None:
        with db.atomic():
            db.execute("INSERT INTO t VALUES (4, 'd')")
            db.execute("INSERT INTO t VALUES (1, 'again')")

    with pytest.raises(sqlite3.IntegrityError):
        duplicate()
    assert not db.conn.in_transaction
    assert rows(tmp_path / "t.sqlite3") == [(1, "a"), (2, "b"), (3, "c")]


class StepFailed(Exception):
    pass


def test_a_failing_inner_block_undoes_only_itself(db: Database, tmp_path: Path) -> None:
    def failing_inner() -> None:
        with db.atomic():
            db.execute("INSERT INTO t VALUES (2, 'inner')")
            raise StepFailed

    def failing_outer() -> None:
        with db.atomic():
            with db.atomic():
                db.execute("INSERT INTO t VALUES (4, 'inner kept')")
            raise StepFailed  # after its inner block succeeded

    with db.atomic():
        db.execute("INSERT INTO t VALUES (1, 'outer')")
        with pytest.raises(StepFailed):
            failing_inner()
        with db.atomic():
            db.execute("INSERT INTO t VALUES (3, 'second inner')")
    assert rows(tmp_path / "t.sqlite3") == [(1, "outer"), (3, "second inner")]
    with pytest.raises(StepFailed):
        failing_outer()
    assert rows(tmp_path / "t.sqlite3") == [(1, "outer"), (3, "second inner")]


def test_a_replaced_row_fires_its_delete_trigger(db: Database) -> None:
    # Kept counters (the tally, the deck list's card counts) rely on it.
    db.execute("CREATE TABLE gone (x INTEGER)")
    db.execute("CREATE TRIGGER t_gone AFTER DELETE ON t BEGIN "
               "INSERT INTO gone VALUES (OLD.x); END")
    db.execute("INSERT INTO t VALUES (1, 'a')")
    db.execute("INSERT OR REPLACE INTO t VALUES (1, 'b')")
    assert db.execute("SELECT x FROM gone").fetchall() == [(1,)]
