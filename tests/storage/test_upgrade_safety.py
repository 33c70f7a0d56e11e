"""An upgrade is backed up first, and a failing one leaves the old database as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from old_schemas import build_database

from negodrill.core.errors import DatabaseError
from negodrill.storage import database
from negodrill.storage.backups import list_backups
from negodrill.storage.database import SCHEMA_VERSION, open_database


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _dump(path: Path) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return [f"user_version {conn.execute('PRAGMA user_version').fetchone()[0]}",
                *conn.iterdump()]
    finally:
        conn.close()


def test_an_upgrade_is_backed_up_first(tmp_path: Path) -> None:
    path = tmp_path / "negodrill.sqlite3"
    facts = build_database(path, SCHEMA_VERSION - 2)
    db, created = open_database(path)
    db.close()
    assert not created
    [backup] = list_backups(tmp_path)
    assert backup.reason == "before upgrade"
    assert (backup.schema, backup.reviews) == (SCHEMA_VERSION - 2, facts["review_count"])


@pytest.mark.parametrize("failing_step", [SCHEMA_VERSION - 2, SCHEMA_VERSION - 1])
def test_a_failing_upgrade_leaves_the_database_untouched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_step: int) -> None:
    path = tmp_path / "negodrill.sqlite3"
    build_database(path, SCHEMA_VERSION - 2)
    before, dump = digest(path), _dump(path)
    steps = list(database.MIGRATIONS)
    steps[failing_step] = "CREATE TABLE card (id INTEGER)"  # a step that fails half-way
    monkeypatch.setattr(database, "MIGRATIONS", steps)

    with pytest.raises(DatabaseError, match="could not be upgraded .* it is unchanged"):
        open_database(path)
    assert digest(path) == before  # the file itself; its WAL holds nothing committed
    assert _dump(path) == dump
    assert [b.reason for b in list_backups(tmp_path)] == ["before upgrade"]

    monkeypatch.undo()  # the next start, with a working upgrade, succeeds from the same file
    db, _ = open_database(path)
    assert database.schema_version(db) == SCHEMA_VERSION
    db.close()


def test_an_upgrade_that_cannot_be_backed_up_is_not_started(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from negodrill.storage import backups

    path = tmp_path / "negodrill.sqlite3"
    build_database(path, SCHEMA_VERSION - 1)
    before = digest(path)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "_compress", full)
    with pytest.raises(DatabaseError, match="is full, so the backup was not made"):
        open_database(path)
    assert digest(path) == before


def test_an_older_window_still_open_keeps_its_writes(tmp_path: Path) -> None:
    """The upgrade happens in the file itself: a connection opened before it (an older
    negodrill's window) writes into the same file, never into one that was swapped out."""
    import sqlite3

    path = tmp_path / "negodrill.sqlite3"
    build_database(path, SCHEMA_VERSION - 1)
    older = sqlite3.connect(path, isolation_level=None)
    try:
        db, _ = open_database(path)
        db.close()
        older.execute("INSERT INTO setting (key, value) VALUES ('from_the_old_window', '1')")
    finally:
        older.close()
    db, _ = open_database(path)
    try:
        row = db.execute("SELECT value FROM setting WHERE key = 'from_the_old_window'").fetchone()
        assert row == ("1",)
    finally:
        db.close()
