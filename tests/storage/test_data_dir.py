"""An honest data dir: each way it can be unusable gets its true message, and nothing is lost.

Tests run as root, so file permissions prove nothing: the OS errors (EROFS, ENOSPC, a full
SQLite) are injected where negodrill opens and writes, and where the machine lets a test
mount a read-only bind mount or a tiny tmpfs, the real thing is tried as well.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from negodrill import paths
from negodrill.cli import main
from negodrill.core.errors import DamagedDatabase, DiskFullError, ReadOnlyError
from negodrill.core.models import Grade
from negodrill.core.session import ReviewSession
from negodrill.deckio.library import open_library
from negodrill.storage import datadir
from negodrill.storage.backups import create_backup


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def made(data_dir: Path) -> Path:
    open_library(data_dir).close()
    return paths.database_path(data_dir)


def injected_read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The data dir's write probe meets EROFS, as on a read-only mount."""
    real_open = os.open

    def read_only_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if datadir.PROBE_NAME in str(path):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(datadir.os, "open", read_only_open)


# -- the data dir path is a file ----------------------------------------------------------------
def test_a_data_dir_that_is_a_file_is_named_as_such(tmp_path: Path, capsys: Any) -> None:
    target = tmp_path / "negodrill-data"
    target.write_text("my notes\n")
    assert main(["--data-dir", str(target), "decks"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "is a file, not a folder" in err
    assert target.read_text() == "my notes\n"


# -- a read-only data dir -------------------------------------------------------------------
def test_a_read_only_data_dir_still_reads(data_dir: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    database = made(data_dir)
    before = digest(database)
    injected_read_only(monkeypatch)

    assert main(["--data-dir", str(data_dir), "decks"]) == 0
    assert main(["--data-dir", str(data_dir), "stats", "--json"]) == 0
    out_file = tmp_path / "export.negodeck.json"
    assert main(["--data-dir", str(data_dir), "export", "1", str(out_file)]) == 0
    assert out_file.is_file()
    capsys.readouterr()

    assert main(["--data-dir", str(data_dir), "deck", "create", "Mine"]) == 1
    err = capsys.readouterr().err
    assert "is read-only" in err
    assert "damaged" not in err
    assert "Traceback" not in err
    assert digest(database) == before


def test_a_read_only_store_refuses_a_grade_and_keeps_it(data_dir: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_library(data_dir)
    session = ReviewSession(store)
    session.bury_current()  # buried "yesterday": a new day would bring it back by writing
    store.set_setting("buried_on", 0)
    store.close()
    injected_read_only(monkeypatch)
    store = open_library(data_dir)
    try:
        assert store.read_only
        session = ReviewSession(store)
        card = session.current()
        assert card is not None
        with pytest.raises(ReadOnlyError, match="read-only"):
            session.grade(Grade.GOOD)
        assert session.current() == card  # the grade in hand: the card is still there
    finally:
        store.close()


def test_a_read_only_data_dir_without_a_collection_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    injected_read_only(monkeypatch)
    assert main(["--data-dir", str(empty), "decks"]) == 1
    err = capsys.readouterr().err
    assert "is read-only and holds no negodrill collection yet" in err
    assert list(empty.iterdir()) == []


def _unmount(point: Path) -> None:
    """Unmount; lazily when a process that just ended still holds it for a moment."""
    if subprocess.run(["umount", str(point)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


@pytest.fixture
def read_only_mount(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(writable source, read-only bind mount of it), or a skip with the reason."""
    source, view = tmp_path / "source", tmp_path / "view"
    source.mkdir()
    view.mkdir()
    steps = [["mount", "--bind", str(source), str(view)],
             ["mount", "-o", "remount,bind,ro", str(view)]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            subprocess.run(["umount", str(view)], capture_output=True)
            pytest.skip(f"cannot make a read-only bind mount here: {done.stderr.strip()}")
    try:
        yield source, view
    finally:
        _unmount(view)


def test_a_real_read_only_mount(read_only_mount: tuple[Path, Path], cli: Any) -> None:
    source, view = read_only_mount
    made(source)
    before = digest(paths.database_path(source))
    decks = cli("decks", data_dir=view)
    assert decks.code == 0, decks
    assert cli("stats", data_dir=view).code == 0
    study = cli("study", data_dir=view, stdin="Is now a bad time?\n3\n")
    assert study.code == 1, study
    assert "is read-only" in study.err
    assert "damaged" not in study.err
    assert "already running" not in study.err
    assert datadir.quick_check(paths.database_path(view)) == []  # read-only is not damage
    window = cli("--check-startup", data_dir=view)
    assert window.code == 0, window
    assert "startup_ms=" in window.out
    assert digest(paths.database_path(source)) == before


# -- a full disk ----------------------------------------------------------------------------
class _FullDisk:
    """Wraps the store's connection: writes of a review meet SQLITE_FULL, as on a full disk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def _check(self, sql: str) -> None:
        if "INSERT INTO review" in sql or "UPDATE card" in sql:
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
            raise error

    def execute(self, sql: str, *args: Any) -> Any:
        self._check(sql)
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        self._check(sql)
        return self._conn.executemany(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def __enter__(self) -> Any:
        return self._conn.__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self._conn.__exit__(*exc)


def _review_count(database: Path) -> int:
    conn = sqlite3.connect(database)
    try:
        return int(conn.execute("SELECT count(*) FROM review").fetchone()[0])
    finally:
        conn.close()


def test_a_full_disk_keeps_the_grade_in_hand(data_dir: Path) -> None:
    store = open_library(data_dir)
    try:
        session = ReviewSession(store)
        card = session.current()
        assert card is not None
        real = store._db.conn
        store._db.conn = _FullDisk(real)
        with pytest.raises(DiskFullError, match="is full, so nothing was saved"):
            session.grade(Grade.GOOD)
        assert session.current() == card
        assert _review_count(store.path) == 0
        store._db.conn = real  # space freed: the same grade now lands
        session.grade(Grade.GOOD)
        assert _review_count(store.path) == 1
        assert store.integrity_problems(full=True) == []
    finally:
        store.close()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tiny tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        _unmount(mount)


def _fill(filler: Path) -> None:
    """Write zeros until the disk is full."""
    with open(filler, "wb", buffering=0) as fill:
        while True:
            try:
                fill.write(b"\0" * 65536)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                return


def test_a_really_full_disk(tiny_disk: Path) -> None:
    store = open_library(tiny_disk)
    try:
        session = ReviewSession(store)
        card = session.current()
        session.grade(Grade.GOOD)
        card = session.current()
        filler = tiny_disk / "filler"
        _fill(filler)
        refused: DiskFullError | None = None
        for _ in range(200):  # the WAL grows into the full disk within a few grades
            card = session.current()
            try:
                session.grade(Grade.AGAIN)
            except DiskFullError as exc:
                refused = exc
                break
        assert refused is not None
        assert session.current() == card
        filler.unlink()
        session.grade(Grade.GOOD)
        assert store.integrity_problems(full=True) == []
    finally:
        store.close()


# -- a damaged database ---------------------------------------------------------------------
def _damage(database: Path) -> None:
    raw = bytearray(database.read_bytes())
    raw[:16] = b"not sqlite here\0"
    database.write_bytes(bytes(raw))
    for journal in ("-wal", "-shm"):
        Path(str(database) + journal).unlink(missing_ok=True)


def test_a_damaged_database_is_never_written_and_the_newest_backup_offered(
        data_dir: Path, capsys: Any) -> None:
    database = made(data_dir)
    backup = create_backup(database)
    _damage(database)
    before = digest(database)
    assert main(["--data-dir", str(data_dir), "decks"]) == 1
    err = capsys.readouterr().err
    assert "is damaged" in err
    assert str(backup.path) in err
    assert "negodrill restore" in err
    assert digest(database) == before
    with pytest.raises(DamagedDatabase) as caught:
        open_library(data_dir)
    assert caught.value.backup == str(backup.path)
    assert digest(database) == before

    assert main(["--data-dir", str(data_dir), "restore", str(backup.path)]) == 0
    assert main(["--data-dir", str(data_dir), "check"]) == 0
    kept = [p for p in (data_dir / "backups").iterdir() if p.name.startswith("damaged-")]
    assert kept
    assert digest(kept[0]) == before


def test_a_disk_full_at_start_still_reads(data_dir: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    """SQLite cannot even grow its WAL index on a full disk: the collection opens for reading
    (decks, stats, exports), and a write says the disk is full, not that it is read-only."""
    from negodrill.storage import database as database_module

    made(data_dir)

    def full(path: Path) -> sqlite3.Connection:
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(database_module, "_connect", full)
    store = open_library(data_dir)
    try:
        assert store.read_only
        assert store.read_only_why == "disk full"
    finally:
        store.close()
    assert main(["--data-dir", str(data_dir), "stats"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "deck", "create", "Mine"]) == 1
    err = capsys.readouterr().err
    assert "is full, so nothing can be saved" in err
    assert "read-only" not in err
    assert main(["--data-dir", str(data_dir), "study"]) == 1
    assert "is full" in capsys.readouterr().err


def test_a_lock_file_that_cannot_be_written_is_not_another_negodrill(tiny_disk: Path) -> None:
    """On a full disk the lock file cannot be written: the lock goes to the runtime dir
    instead of telling the learner that negodrill is already running."""
    from negodrill.ui.instance import acquire_lock

    made(tiny_disk)
    _fill(tiny_disk / "filler")
    lock = acquire_lock(tiny_disk)
    assert lock is not None
    try:  # and it still keeps a second window (another process) out
        second = subprocess.run(
            [sys.executable, "-c", "import sys; from pathlib import Path; "
             "from negodrill.ui.instance import acquire_lock; "
             f"print(acquire_lock(Path({str(tiny_disk)!r})) is None)"],
            capture_output=True, text=True, timeout=60)
        assert second.stdout.strip() == "True", second.stderr
    finally:
        lock.unlock()


def test_a_database_damaged_inside_is_not_written_by_the_terminal(data_dir: Path,
                                                                  capsys: Any) -> None:
    """SQLite opens it (its header is sound) but its pages are not: commands that read still
    say what they can, and a command that would write refuses and names the backup."""
    database = made(data_dir)
    backup = create_backup(database)
    conn = sqlite3.connect(database)
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    raw = bytearray(database.read_bytes())
    raw[page * 4: page * 6] = b"\x0d" * (2 * page)
    database.write_bytes(bytes(raw))
    before = digest(database)
    assert main(["--data-dir", str(data_dir), "study"]) == 1
    err = capsys.readouterr().err
    assert "is not a negodrill database or is damaged" in err
    assert str(backup.path) in err
    assert main(["--data-dir", str(data_dir), "deck", "create", "Mine"]) == 1
    assert digest(database) == before
    assert main(["--data-dir", str(data_dir), "check"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert all("?" not in line[:12] for line in lines)  # SQLite's lines are lines, not "?"
