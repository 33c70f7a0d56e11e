"""Putting a backup back: check it whole first, keep a safety copy, then swap the files.

The caller holds the data dir's lock (no window has the database open). Nothing of the
current database changes until the backup has been unpacked beside it, its hash matched and
SQLite's full integrity check passed; the swap itself is one rename.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from negodrill.storage.backups import (
    BackupError,
    BackupInfo,
    backup_dir,
    create_backup,
    read_backup_info,
    unpack,
)


@dataclass(frozen=True)
class Restored:
    backup: BackupInfo
    safety_copy: Path | None  # the database as it was before, when there was one


@dataclass(frozen=True)
class Prepared:
    """A restore checked and ready: the backup's database unpacked beside the collection,
    and the collection kept aside; only the swap is left (`finish_restore`)."""

    backup: BackupInfo
    incoming: Path
    safety_copy: Path | None


def check_backup(path: Path) -> BackupInfo:
    """The backup's facts if negodrill can restore it; BackupError saying why not."""
    from negodrill.storage.database import SCHEMA_VERSION

    info = read_backup_info(path)
    if info.schema > SCHEMA_VERSION:
        raise BackupError(f"{path} is from a newer negodrill (schema {info.schema}, this version "
                          f"knows {SCHEMA_VERSION}): update negodrill to restore it")
    return info


def restore_backup(db_path: Path, backup: Path) -> Restored:
    """Replace the database at `db_path` with the backup's; returns what was done.

    A backup of an older schema is restored as it is: opening the database then upgrades it
    (after its own backup), as any old database.
    """
    return finish_restore(db_path, prepare_restore(db_path, backup))


def prepare_restore(db_path: Path, backup: Path) -> Prepared:
    """The slow part, which the window runs while it is still open: unpack the backup beside
    the collection, check it whole, and back the collection up. Nothing is replaced yet."""
    db_path = Path(db_path).resolve()  # a symlinked collection stays a symlink
    info = check_backup(backup)
    incoming = db_path.with_name(db_path.name + ".restoring")
    _remove(incoming)
    try:
        try:
            unpack(info, incoming)
            _integrity(incoming, backup)
        except OSError as exc:
            raise BackupError(f"{backup} could not be unpacked beside the database "
                              f"({exc.strerror or exc}); nothing was changed") from None
        safety = _safety_copy(db_path) if db_path.exists() else None
    except BaseException:
        _remove(incoming)
        raise
    return Prepared(backup=info, incoming=incoming, safety_copy=safety)


def finish_restore(db_path: Path, prepared: Prepared) -> Restored:
    """Swap the prepared database in, once nothing else has the collection open."""
    db_path = Path(db_path).resolve()
    try:
        guard = _exclusive(db_path) if db_path.exists() else None
        try:
            for journal in ("-wal", "-shm"):
                Path(str(db_path) + journal).unlink(missing_ok=True)
            os.replace(prepared.incoming, db_path)
        except OSError as exc:
            raise BackupError(f"the backup could not be put in place ({exc.strerror or exc}); "
                              "your collection is as it was") from None
        finally:
            if guard is not None:
                guard.close()
    finally:
        _remove(prepared.incoming)
    return Restored(backup=prepared.backup, safety_copy=prepared.safety_copy)


def _exclusive(db_path: Path) -> sqlite3.Connection | None:
    """The collection to itself: its WAL folded in and gone, and an exclusive lock held while
    the file is swapped. Another connection (a terminal's `study`, a window) makes that
    impossible: refused, rather than its later grades going into a file that is gone."""
    try:
        conn = sqlite3.connect(db_path, timeout=1.0, isolation_level=None)
    except sqlite3.Error:
        return None  # a damaged file: nothing can be writing to it either
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise sqlite3.OperationalError("database is locked")
        conn.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise BackupError(f"{db_path} is open in another negodrill (a window or a terminal "
                              "command): close it first, then restore; nothing was "
                              "changed") from None
        return None  # damaged: it is kept aside whole, and replaced
    except sqlite3.DatabaseError:
        conn.close()
        return None
    return conn


def _integrity(path: Path, backup: Path) -> None:
    try:
        conn = sqlite3.connect(path)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{backup} fails the integrity check ({exc}); nothing was "
                          "changed") from None
    if result != ["ok"]:
        raise BackupError(f"{backup} fails the integrity check ({result[0]}); nothing was "
                          "changed")


def _safety_copy(db_path: Path) -> Path:
    """A backup of the database about to be replaced. A database too damaged to back up is
    copied as it is, files and all, so nothing the learner had is thrown away."""
    try:
        return create_backup(db_path, reason="before restore").path
    except BackupError:
        folder = backup_dir(db_path.parent)
        stamp = datetime.now(UTC).strftime("%Y-%m-%d-%H%M%S")
        target = folder / f"damaged-{stamp}-{db_path.name}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal"):
                source = Path(str(db_path) + suffix)
                if source.exists():
                    shutil.copy2(source, str(target) + suffix)
        except OSError as exc:
            raise BackupError(f"the current database could not be kept aside before the restore "
                              f"({exc.strerror or exc}); nothing was changed") from None
        return target


def _remove(path: Path) -> None:
    for name in (str(path), str(path) + "-journal"):
        with contextlib.suppress(OSError):
            Path(name).unlink()
