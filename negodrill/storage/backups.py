"""Backups of the learner's database: written, checked, listed, thinned and restored.

A backup is a snapshot taken through SQLite's online backup API (one read transaction, so a
backup taken while the learner grades is consistent and never blocks a grade in WAL mode),
checked with `quick_check`, compressed with zstandard and read back before it counts.

The file is one header line, one JSON line of facts (schema, date, cards, reviews, the
snapshot's SHA-256) and the compressed database, so listing backups reads a few hundred bytes
of each and restore knows a negodrill backup from any other file before touching anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from negodrill.core.errors import DatabaseError
from negodrill.core.progress import CancelToken

MAGIC = b"NEGODRILL-BACKUP 1\n"
SUFFIX = ".negodrill-backup"
PARTIAL = ".partial"
STALE_PARTIAL_S = 3600  # a scratch file older than this is a crashed backup's
SAFETY_COPIES = ("before restore", "before upgrade")
SAFETY_COPY_KEPT = timedelta(days=7)
FOLDER = "backups"
CHUNK = 1 << 20
DEFAULT_CAP_BYTES = 2 * 1024**3
CAP_SETTING = "backup_cap_mb"  # the size cap in Settings, in megabytes
# Thinning, as Anki keeps its own: everything of the last 2 days, then the newest backup of
# each of 12 days, 10 weeks and 9 months.
KEEP_WITHIN = timedelta(days=2)
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 12, 10, 9


class BackupError(DatabaseError):
    """A backup that cannot be written, read or restored; the database is as it was."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime  # UTC
    schema: int
    cards: int
    reviews: int
    decks: int
    size: int  # of the uncompressed database, bytes
    sha256: str
    source_change: str  # the database's files as they were (`source_change`) when taken
    reason: str  # "automatic", "manual", "before upgrade", "before restore"
    data_offset: int  # where the compressed database starts in the file
    file_bytes: int  # the backup file's own size when it was read


def backup_dir(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def source_change(db_path: Path) -> str:
    """A mark of the database's last change: the modification time and size of its file and
    of its WAL (a grade lands in the WAL first; reading changes neither, and a reader's empty
    WAL counts as none). Sizes as well as times, since a file's time moves in steps of a few
    milliseconds."""
    parts = []
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        try:
            stat = path.stat()
        except OSError:
            parts.append("0:0")
            continue
        parts.append(f"{stat.st_mtime_ns}:{stat.st_size}" if stat.st_size else "0:0")
    return "/".join(parts)


def _snapshot_facts(conn: sqlite3.Connection) -> dict[str, int]:
    """Schema and counts of a database; raises BackupError when it is not negodrill's."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise BackupError(f"the database fails SQLite's check ({problems[0]})")
        schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if not {"deck", "card", "review"} <= tables or schema < 1:
            raise BackupError("it holds no negodrill collection")
        cards, reviews, decks = conn.execute(
            "SELECT (SELECT count(*) FROM card), (SELECT count(*) FROM review), "
            "(SELECT count(*) FROM deck)").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"it is not a readable database ({exc})") from None
    return {"schema": schema, "cards": int(cards), "reviews": int(reviews), "decks": int(decks)}


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _unused_name(folder: Path, when: datetime, reason: str, number: int) -> Path:
    tail = "" if reason in ("automatic", "manual") else "-" + reason.replace(" ", "-")
    stem = f"negodrill-{when:%Y-%m-%d-%H%M%S}{tail}" + (f"-{number}" if number > 1 else "")
    return folder / f"{stem}{SUFFIX}"


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _scratch(folder: Path, kind: str) -> Path:
    """A temporary file of this backup's own beside the target (never another's)."""
    fd, name = tempfile.mkstemp(prefix=f".negodrill-{kind}-", suffix=PARTIAL, dir=folder)
    os.close(fd)
    return Path(name)


def _claim(partial: Path, target: Path | None, folder: Path, when: datetime,
           reason: str) -> Path:
    """Give the finished backup its name without ever replacing another file: a hard link
    fails when the name is taken (two backups in one second); where links are not supported
    (a FAT memory stick), a rename to a name that does not exist yet."""
    candidates = [target] if target is not None else [
        _unused_name(folder, when, reason, n) for n in range(1, 100)]
    for name in candidates:
        try:
            os.link(partial, name)
        except FileExistsError:
            continue
        except OSError:
            if name.exists():
                continue
            os.replace(partial, name)
            return name
        partial.unlink()
        return name
    raise BackupError(f"{candidates[0]} already exists: choose a new file name")


def _write_failure(folder: Path, exc: OSError | sqlite3.Error) -> BackupError:
    """Why the backup could not be written into `folder` (not the database's fault)."""
    from negodrill.storage import datadir

    if isinstance(exc, OSError):
        if exc.errno in datadir.READ_ONLY_ERRNOS:
            return BackupError(f"{folder} cannot be written (read-only), so the backup was not "
                               "made; back up to a file elsewhere (negodrill backup FILE)")
        if exc.errno in datadir.FULL_ERRNOS:
            return BackupError(f"the disk holding {folder} is full, so the backup was not made")
        return BackupError(f"the backup could not be written to {folder} "
                           f"({exc.strerror or exc})")
    return BackupError(f"the backup could not be written to {folder} ({exc})")


def create_backup(db_path: Path, *, target: Path | None = None, data_dir: Path | None = None,
                  reason: str = "automatic", now: datetime | None = None,
                  cancel: CancelToken | None = None) -> BackupInfo:
    """Back the database up into `target`, or a new file in `data_dir`'s backups folder.

    The snapshot and the compressed file are written beside the target under temporary
    names of their own, and the backup takes its name only once it has been read back and
    its hash matches: a crash or a full disk leaves no half backup behind.
    """
    db_path = Path(db_path)
    when = (now or datetime.now(UTC)).astimezone(UTC)
    if not db_path.is_file():
        raise BackupError(f"{db_path}: there is no database to back up")
    folder = Path(target).parent if target is not None else backup_dir(
        data_dir if data_dir is not None else db_path.parent)
    try:
        if target is None:
            folder.mkdir(parents=True, exist_ok=True)
        elif not folder.is_dir():
            raise BackupError(f"{folder}: no such folder, so the backup cannot be written "
                              "there")
        snapshot, partial = _scratch(folder, "snapshot"), _scratch(folder, "backup")
    except OSError as exc:
        raise _write_failure(folder, exc) from None
    change = source_change(db_path)
    try:
        facts = _snapshot(db_path, snapshot, folder)
        if cancel is not None:
            cancel.check()
        header = {"app": "negodrill", "created": when.isoformat(), "reason": reason,
                  "size": snapshot.stat().st_size, "sha256": _hash_file(snapshot),
                  "source_change": change, **facts}
        _compress(snapshot, partial, header)
        info = read_backup_info(partial)
        if _decompressed_hash(info) != info.sha256:
            raise BackupError(f"{folder}: the backup did not read back as written")
        final = _claim(partial, Path(target) if target is not None else None, folder, when,
                       reason)
        _fsync_dir(folder)
    except OSError as exc:
        raise _write_failure(folder, exc) from None
    finally:
        for leftover in (snapshot, partial):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return read_backup_info(final)


def _snapshot(db_path: Path, snapshot: Path, folder: Path) -> dict[str, int]:
    """Copy every page in one step (one consistent read, which never blocks a writer in WAL
    mode) into `snapshot`; its schema and counts."""
    from negodrill.storage.database import connect_read_only

    try:
        source = connect_read_only(db_path)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{db_path}: cannot be read for a backup ({exc})") from None
    try:
        copy = sqlite3.connect(snapshot)
        try:
            # Scratch until compressed and read back: no syncing, which would compete with
            # the learner's own commits for the disk.
            copy.execute("PRAGMA synchronous = OFF")
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            return _snapshot_facts(copy)
        finally:
            copy.close()
    except sqlite3.OperationalError as exc:
        name = getattr(exc, "sqlite_errorname", "") or ""
        if name.startswith(("SQLITE_FULL", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_READONLY")):
            raise _write_failure(folder, exc) from None
        raise BackupError(f"{db_path}: cannot be read for a backup ({exc})") from None
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{db_path}: cannot be read for a backup ({exc})") from None
    finally:
        source.close()


def _compress(snapshot: Path, out: Path, header: dict[str, Any]) -> None:
    import zstandard

    with open(out, "wb") as sink:
        sink.write(MAGIC)
        sink.write(json.dumps(header, sort_keys=True).encode("utf-8") + b"\n")
        with open(snapshot, "rb") as source:
            zstandard.ZstdCompressor(level=3).copy_stream(source, sink, read_size=CHUNK,
                                                         write_size=CHUNK)
        sink.flush()
        os.fsync(sink.fileno())


def read_backup_info(path: Path) -> BackupInfo:
    """The facts of a backup file; BackupError when it is not a negodrill backup."""
    path = Path(path)
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            magic = file.read(len(MAGIC))
            line = file.readline(64 * 1024) if magic == MAGIC else b""
    except OSError as exc:
        raise BackupError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if magic != MAGIC:
        raise BackupError(f"{path}: is not a negodrill backup")
    try:
        facts = json.loads(line.decode("utf-8"))
        return BackupInfo(
            path=path, created=datetime.fromisoformat(facts["created"]).astimezone(UTC),
            schema=int(facts["schema"]), cards=int(facts["cards"]),
            reviews=int(facts["reviews"]), decks=int(facts["decks"]), size=int(facts["size"]),
            sha256=str(facts["sha256"]), source_change=str(facts["source_change"]),
            reason=str(facts.get("reason", "automatic")), data_offset=len(MAGIC) + len(line),
            file_bytes=size)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise BackupError(f"{path}: is not a negodrill backup (its header is damaged)") from None


def _decompressed_chunks(info: BackupInfo) -> Iterator[bytes]:
    import zstandard

    with open(info.path, "rb") as file:
        file.seek(info.data_offset)
        reader = zstandard.ZstdDecompressor().stream_reader(file, read_size=CHUNK)
        try:
            while chunk := reader.read(CHUNK):
                yield chunk
        except zstandard.ZstdError as exc:
            raise BackupError(f"{info.path}: the backup is damaged ({exc})") from None


def _decompressed_hash(info: BackupInfo) -> str:
    digest = hashlib.sha256()
    for chunk in _decompressed_chunks(info):
        digest.update(chunk)
    return digest.hexdigest()


def unpack(info: BackupInfo, out: Path) -> None:
    """Write the backup's database to `out`, checking its hash; BackupError if it differs."""
    digest = hashlib.sha256()
    with open(out, "wb") as sink:
        for chunk in _decompressed_chunks(info):
            digest.update(chunk)
            sink.write(chunk)
        sink.flush()
        os.fsync(sink.fileno())
    if digest.hexdigest() != info.sha256:
        raise BackupError(f"{info.path}: the backup is damaged (its contents changed since it "
                          "was written)")


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """The data dir's backups, newest first; files that are not backups are left out."""
    folder = backup_dir(data_dir)
    found: list[BackupInfo] = []
    try:
        paths = [p for p in folder.iterdir() if p.name.endswith(SUFFIX)]
    except OSError:
        return []
    for path in paths:
        with contextlib.suppress(BackupError, OSError):
            found.append(read_backup_info(path))
    return sorted(found, key=lambda info: (info.created, info.path.name), reverse=True)


def changed_since_last_backup(db_path: Path, data_dir: Path | None = None) -> bool:
    """Has the database changed since the newest backup was taken (or is there none)?"""
    if not Path(db_path).is_file():
        return False
    newest = list_backups(data_dir if data_dir is not None else Path(db_path).parent)
    return not newest or source_change(Path(db_path)) != newest[0].source_change


def backups_to_keep(backups: Sequence[BackupInfo], now: datetime) -> set[Path]:
    """Which backups thinning keeps: all of the last 2 days, and the newest of each of the
    last 12 days, 10 weeks (ISO) and 9 months that have backups."""
    ordered = sorted(backups, key=lambda info: info.created, reverse=True)
    keep = {info.path for info in ordered if now - info.created <= KEEP_WITHIN}
    policies: list[tuple[int, Callable[[datetime], object]]] = [
        (KEEP_DAILY, lambda d: (d.year, d.month, d.day)),
        (KEEP_WEEKLY, lambda d: tuple(d.isocalendar())[:2]),
        (KEEP_MONTHLY, lambda d: (d.year, d.month)),
    ]
    for count, bucket_of in policies:
        seen: list[object] = []
        for info in ordered:
            bucket = bucket_of(info.created.astimezone())
            if bucket in seen:
                continue
            if len(seen) == count:
                break
            seen.append(bucket)
            keep.add(info.path)
    return keep


def thin_backups(data_dir: Path, *, cap_bytes: int = DEFAULT_CAP_BYTES,
                 now: datetime | None = None) -> list[Path]:
    """Delete the backups thinning does not keep, then the oldest while the folder is over
    `cap_bytes`; the newest backup stays whatever its size, and so does a safety copy made
    before a restore or an upgrade in the last week (it is how that step is undone).
    Returns the files deleted."""
    now = now or datetime.now(UTC)
    backups = list_backups(data_dir)
    keep = backups_to_keep(backups, now)
    deleted = [info.path for info in backups if info.path not in keep]
    kept = [info for info in backups if info.path in keep]
    protected = {kept[0].path} if kept else set()
    protected |= {info.path for info in kept if info.reason in SAFETY_COPIES
                  and now - info.created <= SAFETY_COPY_KEPT}
    total = sum(info.file_bytes for info in kept)
    for info in reversed(kept):  # oldest first
        if total <= cap_bytes:
            break
        if info.path not in protected:
            total -= info.file_bytes
            deleted.append(info.path)
    for path in deleted:
        with contextlib.suppress(OSError):
            path.unlink()
    # Scratch files a crashed backup left (another backup's, still running, are younger).
    for stale in backup_dir(data_dir).glob(f".negodrill-*{PARTIAL}"):
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > STALE_PARTIAL_S:
                stale.unlink()
    return deleted


def cap_from_setting(setting: Any) -> int:
    """The size cap from its setting (megabytes, Settings > Backups up to); the default when
    unset or unreadable."""
    try:
        megabytes = float(setting)
    except (TypeError, ValueError):
        return DEFAULT_CAP_BYTES
    return int(megabytes * 1024 * 1024) if megabytes > 0 else DEFAULT_CAP_BYTES


def configured_cap_bytes(db_path: Path) -> int:
    """The size cap the learner set, read without opening the collection for writing (the
    close-time backup and `negodrill backup` run beside it)."""
    from negodrill.storage.database import connect_read_only

    try:
        conn = connect_read_only(Path(db_path))
        try:
            row = conn.execute("SELECT value FROM setting WHERE key = ?",
                               [CAP_SETTING]).fetchone()
        finally:
            conn.close()
        return cap_from_setting(json.loads(row[0]) if row else None)
    except (sqlite3.Error, ValueError):
        return DEFAULT_CAP_BYTES
