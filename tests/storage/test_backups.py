"""Backups: written and checked, listed, thinned, capped, and restored whole or not at all."""

from __future__ import annotations

import errno
import hashlib
import json
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from negodrill import paths
from negodrill.core.models import Grade
from negodrill.core.session import ReviewSession
from negodrill.deckio.library import open_library
from negodrill.storage import backups
from negodrill.storage.backups import (
    BackupError,
    BackupInfo,
    backups_to_keep,
    changed_since_last_backup,
    create_backup,
    list_backups,
    thin_backups,
)
from negodrill.storage.health import problems
from negodrill.storage.restore import restore_backup
from negodrill.storage.store import Store


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def grade_some(store: Store, count: int) -> None:
    session = ReviewSession(store)
    for _ in range(count):
        if session.current() is None:
            break
        session.grade(Grade.GOOD, answer="Is now a bad time to talk?")


def counts(db_path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db_path)
    try:
        cards, reviews = conn.execute(
            "SELECT (SELECT count(*) FROM card), (SELECT count(*) FROM review)").fetchone()
    finally:
        conn.close()
    return int(cards), int(reviews)


def test_a_backup_holds_the_whole_collection_and_says_what_is_in_it(data_dir: Path) -> None:
    store = open_library(data_dir)
    grade_some(store, 5)
    cards, reviews = counts(store.path)
    store.close()
    info = create_backup(paths.database_path(data_dir))
    assert info.path.parent == data_dir / "backups"
    assert (info.cards, info.reviews) == (cards, reviews)
    assert reviews == 5
    assert info.path.stat().st_size < info.size  # compressed
    assert list_backups(data_dir) == [info]
    out = data_dir / "unpacked.sqlite3"
    backups.unpack(info, out)
    assert counts(out) == (cards, reviews)
    assert not list((data_dir / "backups").glob("*.partial"))


def test_restore_round_trip_keeps_a_safety_copy_of_what_it_replaced(data_dir: Path) -> None:
    store = open_library(data_dir)
    grade_some(store, 3)
    store.close()
    database = paths.database_path(data_dir)
    saved = create_backup(database)
    store = open_library(data_dir)
    grade_some(store, 4)
    store.close()
    assert counts(database)[1] == 7

    done = restore_backup(database, saved.path)
    assert counts(database)[1] == 3
    assert done.safety_copy is not None
    safety = backups.read_backup_info(done.safety_copy)
    assert safety.reviews == 7
    assert safety.reason == "before restore"
    store = open_library(data_dir)
    assert problems(store, full=True) == []
    store.close()
    # ...and the safety copy undoes the restore.
    restore_backup(database, done.safety_copy)
    assert counts(database)[1] == 7


def test_restore_refuses_what_is_not_a_good_backup_and_changes_nothing(
        data_dir: Path, tmp_path: Path) -> None:
    open_library(data_dir).close()
    database = paths.database_path(data_dir)
    before = digest(database)

    not_backup = tmp_path / "holiday.jpg"
    not_backup.write_bytes(b"\xff\xd8\xff\xe0 not a backup at all")
    with pytest.raises(BackupError, match="is not a negodrill backup"):
        restore_backup(database, not_backup)

    good = create_backup(database, target=tmp_path / "good.negodrill-backup")
    damaged = tmp_path / "damaged.negodrill-backup"
    data = bytearray(good.path.read_bytes())
    for offset in range(good.data_offset + 200, len(data), 97):
        data[offset] ^= 0x5A
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="damaged"):
        restore_backup(database, damaged)

    newer_db = tmp_path / "newer.sqlite3"
    conn = sqlite3.connect(newer_db)
    conn.executescript("CREATE TABLE deck (id); CREATE TABLE card (id); "
                       "CREATE TABLE review (id); PRAGMA user_version = 99;")
    conn.close()
    newer = create_backup(newer_db, target=tmp_path / "newer.negodrill-backup")
    with pytest.raises(BackupError, match="newer negodrill"):
        restore_backup(database, newer.path)

    # A backup whose database fails SQLite's integrity check (hash and header intact).
    broken_db = tmp_path / "broken.sqlite3"
    broken_db.write_bytes(database.read_bytes())
    conn = sqlite3.connect(broken_db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    raw = bytearray(broken_db.read_bytes())
    raw[page_size * 3: page_size * 3 + 64] = b"\x0d" * 64  # scramble a b-tree page header
    broken_db.write_bytes(bytes(raw))
    header = {**json.loads(good.path.read_bytes()[len(backups.MAGIC):good.data_offset]),
              "size": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}
    failing = tmp_path / "failing.negodrill-backup"
    backups._compress(broken_db, failing, header)
    with pytest.raises(BackupError, match="integrity check"):
        restore_backup(database, failing)

    assert digest(database) == before
    assert not list(data_dir.glob("*.restoring*"))
    assert not (data_dir / "backups").exists() or not list_backups(data_dir)


def test_a_backup_from_an_older_schema_restores_and_upgrades(
        data_dir: Path, tmp_path: Path) -> None:
    from old_schemas import build_database

    from negodrill.storage.database import SCHEMA_VERSION

    old = tmp_path / "old" / "negodrill.sqlite3"
    old.parent.mkdir()
    facts = build_database(old, 5)
    old_backup = create_backup(old, target=tmp_path / "old.negodrill-backup")
    assert old_backup.schema == 5
    open_library(data_dir).close()
    restore_backup(paths.database_path(data_dir), old_backup.path)
    store = open_library(data_dir)
    try:
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store._db.execute("SELECT count(*) FROM review").fetchone()[0] \
            == facts["review_count"]
        assert problems(store, full=True) == []
    finally:
        store.close()
    # The upgrade kept its own backup of the restored, older database first.
    assert any(info.reason == "before upgrade" and info.schema == 5
               for info in list_backups(data_dir))


def test_a_backup_only_when_something_changed(data_dir: Path) -> None:
    store = open_library(data_dir)
    store.close()
    database = paths.database_path(data_dir)
    assert changed_since_last_backup(database)
    create_backup(database)
    assert not changed_since_last_backup(database)
    store = open_library(data_dir)
    grade_some(store, 1)
    store.close()
    assert changed_since_last_backup(database)


def test_a_full_disk_leaves_no_half_backup(data_dir: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    open_library(data_dir).close()
    database = paths.database_path(data_dir)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "_compress", full)
    with pytest.raises(BackupError, match="is full, so the backup was not made"):
        create_backup(database)
    assert list((data_dir / "backups").iterdir()) == []  # no half backup, no scratch file


def test_a_backup_taken_while_studying_is_consistent(data_dir: Path) -> None:
    store = open_library(data_dir)
    store.close()
    database = paths.database_path(data_dir)
    stop = threading.Event()
    errors: list[BaseException] = []

    def study() -> None:
        grader = Store.open(database)
        try:
            session = ReviewSession(grader)
            while not stop.is_set() and session.current() is not None:
                session.grade(Grade.AGAIN, answer="x")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            grader.close()

    thread = threading.Thread(target=study)
    thread.start()
    taken: list[BackupInfo] = []
    try:
        for _ in range(4):
            taken.append(create_backup(database))
    finally:
        stop.set()
        thread.join()
    assert not errors
    for number, info in enumerate(taken):
        copy = data_dir / f"copy{number}.sqlite3"
        backups.unpack(info, copy)
        snapshot = Store.open(copy)
        try:
            assert problems(snapshot, full=True) == []
        finally:
            snapshot.close()


def _fake(path: str, created: datetime) -> BackupInfo:
    return BackupInfo(path=Path(path), created=created, schema=10, cards=1, reviews=1, decks=1,
                      size=1, sha256="", source_change="", reason="automatic", data_offset=0,
                      file_bytes=1)


def test_thinning_keeps_two_days_then_12_daily_10_weekly_9_monthly() -> None:
    now = datetime(2026, 12, 5, 12, tzinfo=UTC)
    every_six_hours = [_fake(f"b{i}", now - timedelta(hours=6 * i)) for i in range(4 * 400)]
    keep = backups_to_keep(every_six_hours, now)
    kept = sorted((b for b in every_six_hours if b.path in keep), key=lambda b: b.created)
    recent = [b for b in every_six_hours if now - b.created <= timedelta(days=2)]
    assert {b.path for b in recent} <= keep
    older = [b for b in kept if now - b.created > timedelta(days=2)]
    local_days = {b.created.astimezone().date() for b in older}
    # Days, weeks and months overlap: at least the 12 daily, never more than all three.
    assert 12 <= len(local_days) <= 12 + 10 + 9
    oldest = min(b.created for b in kept).astimezone()
    months_back = (now.year * 12 + now.month) - (oldest.year * 12 + oldest.month)
    assert months_back == 8  # the 9th month counting this one: its newest backup
    assert len(keep) < 9 + 12 + 10 + 9 + 1


def test_thinning_deletes_files_and_the_cap_keeps_the_newest(data_dir: Path) -> None:
    open_library(data_dir).close()
    database = paths.database_path(data_dir)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    made = [create_backup(database, now=start + timedelta(days=day)) for day in range(0, 60, 3)]
    deleted = thin_backups(data_dir, now=start + timedelta(days=58))
    left = list_backups(data_dir)
    assert len(left) + len(deleted) == len(made)
    assert left[0].path == made[-1].path
    assert deleted
    thin_backups(data_dir, cap_bytes=1, now=start + timedelta(days=58))
    assert [info.path for info in list_backups(data_dir)] == [made[-1].path]


def test_the_cap_keeps_a_recent_safety_copy(data_dir: Path) -> None:
    """A restore's safety copy is how the restore is undone: the size cap spares it."""
    open_library(data_dir).close()
    database = paths.database_path(data_dir)
    now = datetime.now(UTC)
    create_backup(database, now=now - timedelta(hours=3))
    safety = create_backup(database, reason="before restore", now=now - timedelta(hours=2))
    newest = create_backup(database, now=now - timedelta(hours=1))
    thin_backups(data_dir, cap_bytes=1, now=now)
    assert {info.path for info in list_backups(data_dir)} == {safety.path, newest.path}


def test_two_backups_in_one_second_keep_both(data_dir: Path) -> None:
    open_library(data_dir).close()
    database = paths.database_path(data_dir)
    moment = datetime(2026, 12, 5, 10, 0, 0, tzinfo=UTC)
    made: list[BackupInfo] = []
    threads = [threading.Thread(target=lambda: made.append(create_backup(database, now=moment)))
               for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({info.path for info in made}) == 3
    assert len(list_backups(data_dir)) == 3


def test_a_backup_to_a_missing_folder_says_so(data_dir: Path, tmp_path: Path) -> None:
    open_library(data_dir).close()
    database = paths.database_path(data_dir)
    with pytest.raises(BackupError, match="no such folder") as caught:
        create_backup(database, target=tmp_path / "unplugged" / "b.negodrill-backup")
    assert str(database) not in str(caught.value)  # not the collection's fault


def test_restore_refuses_while_another_connection_has_the_collection(data_dir: Path) -> None:
    """A terminal's `study` still open: its later grades would go into a file that is gone."""
    open_library(data_dir).close()
    database = paths.database_path(data_dir)
    saved = create_backup(database)
    other = Store.open(database)
    try:
        grade_some(other, 1)
        with pytest.raises(BackupError, match="is open in another negodrill"):
            restore_backup(database, saved.path)
        grade_some(other, 1)
    finally:
        other.close()
    assert counts(database)[1] == 2  # both grades, in the one file
    restore_backup(database, saved.path)  # nothing else has it now
    assert counts(database)[1] == 0
