"""The data dir as it really is: writable, read-only, a file, on a full disk, or damaged.

Each case gets its own true sentence. A learner told "is not a negodrill database or is
damaged" when their folder is merely read-only believes their progress is gone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from pathlib import Path

from negodrill.core.errors import (
    DamagedDatabase,
    DatabaseError,
    DiskFullError,
    ReadOnlyError,
)

READ_ONLY_ERRNOS = (errno.EROFS, errno.EACCES, errno.EPERM)
FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
PROBE_NAME = ".negodrill-write-test"


def read_only_message(folder: Path) -> str:
    return (f"{folder} is read-only, so nothing can be saved there: your decks, stats and "
            "exports still work; to study, make the folder writable or choose another with "
            "--data-dir")


def cannot_save_message(folder: Path, why: str) -> str:
    """Why a collection opened for reading only cannot take a grade, and what to do."""
    if why == "disk full":
        return (f"the disk holding {folder} is full, so nothing can be saved: your decks, "
                "stats and exports still work; free some space, then start again to study")
    return read_only_message(folder)


def cannot_save(folder: Path, why: str) -> DatabaseError:
    message = cannot_save_message(folder, why)
    return DiskFullError(message) if why == "disk full" else ReadOnlyError(message)


def disk_full_message(folder: Path) -> str:
    return (f"the disk holding {folder} is full, so nothing was saved (and nothing was "
            "half-written): free some space and try again")


def prepare(folder: Path) -> str:
    """Create the data dir if needed and say whether it can be written: "" when it can,
    "folder" when it is read-only, "disk full" when its disk has no room for a new file.

    Raises a DatabaseError with the true reason when it cannot be used at all: the path is
    a file, or it is missing and cannot be created.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise DatabaseError(f"{folder} is a file, not a folder: negodrill keeps your "
                            "collection in a folder; move the file away or choose another "
                            "folder with --data-dir")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise DatabaseError(f"{folder} cannot be created: part of its path is a file") from None
    except OSError as exc:
        raise from_os_error(exc, folder) from None
    probe = folder / f"{PROBE_NAME}-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    except OSError as exc:
        if exc.errno in READ_ONLY_ERRNOS:
            return "folder"
        if exc.errno in FULL_ERRNOS:
            return "disk full"
        raise from_os_error(exc, folder) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        probe.unlink()
    return ""


def from_os_error(exc: OSError, folder: Path) -> DatabaseError:
    if exc.errno in READ_ONLY_ERRNOS:
        return ReadOnlyError(read_only_message(folder))
    if exc.errno in FULL_ERRNOS:
        return DiskFullError(disk_full_message(folder))
    return DatabaseError(f"{folder}: cannot be used ({exc.strerror or exc})")


def from_sqlite_error(exc: sqlite3.Error, path: Path | None) -> DatabaseError:
    """A SQLite error met while reading or writing the database at `path`, in true words."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if path is None:
        path = Path("your collection")
    folder = Path(path).parent if path.parent != Path() else Path("your data folder")
    text = str(exc).lower()
    if name.startswith("SQLITE_FULL") or "disk is full" in text or (
            name.startswith("SQLITE_IOERR") and _no_space_left(folder)):
        # SQLite says "disk I/O error" when the WAL's shared memory cannot grow on a full disk.
        return DiskFullError(disk_full_message(folder))
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return ReadOnlyError(read_only_message(folder))
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text \
            or "not a database" in text:
        return damaged(path, str(exc))
    if name.startswith("SQLITE_BUSY") or "locked" in text:
        return DatabaseError(f"{path} is busy: another negodrill kept it locked for too long; "
                             "try again")
    return DatabaseError(f"{path}: cannot be read or written ({exc})")


def _no_space_left(folder: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False


def damaged(path: Path, detail: str = "") -> DamagedDatabase:
    """The message for a damaged database, with the newest good backup to restore."""
    from negodrill.storage.backups import list_backups

    newest = next(iter(list_backups(Path(path).parent)), None) if Path(path).is_absolute() \
        else None
    message = (f"{path} is not a negodrill database or is damaged"
               + (f" ({detail})" if detail else "") + ": negodrill has not changed it")
    if newest is None:
        return DamagedDatabase(message + ", and there is no backup to restore")
    when = newest.created.astimezone().strftime("%d %b %Y %H:%M")
    return DamagedDatabase(
        f"{message}; the newest backup is from {when} ({newest.cards} cards, "
        f"{newest.reviews} reviews): restore it with `negodrill restore {newest.path}`",
        backup=str(newest.path))


def quick_check(path: Path) -> list[str]:
    """SQLite's quick check through a read-only connection of its own (for a pool thread);
    the problems it finds, none when the database is sound or cannot be checked now (a
    read-only folder without SQLite's shared-memory file, a busy lock): only damage counts."""
    from negodrill.storage.database import connect_read_only

    try:
        conn = connect_read_only(Path(path))
        try:
            lines = [str(row[0]) for row in conn.execute("PRAGMA quick_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        name = getattr(exc, "sqlite_errorname", "") or ""
        damage = name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or (
            not isinstance(exc, sqlite3.OperationalError))
        return [str(exc)] if damage else []
    return [part for line in lines if line != "ok" for part in line.splitlines()
            if part.strip() and not part.startswith("*** in database")]
