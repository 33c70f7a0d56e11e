"""`negodrill backup [FILE]`, `negodrill backup --list` and `negodrill restore FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path

from negodrill.core.errors import DatabaseError, NegodrillError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "backup", help="back your collection up (into the data dir's backups/ or FILE)",
        description="Writes a checked, compressed backup. Without FILE it goes into the data "
        "dir's backups/ folder, where the window also keeps its automatic backups.")
    p.add_argument("file", nargs="?", metavar="FILE", help="where to write the backup")
    p.add_argument("--list", action="store_true", help="list the backups in backups/")
    p.set_defaults(func=run_backup)

    p = subparsers.add_parser(
        "restore", help="replace your collection with a backup (a safety copy is kept first)",
        description="Refuses while a negodrill window has the data dir open, and refuses a file "
        "that is not a negodrill backup, is from a newer negodrill, or fails the integrity "
        "check. The collection as it was is backed up into backups/ first.")
    p.add_argument("file", metavar="FILE", help="a backup (see `negodrill backup --list`)")
    p.set_defaults(func=run_restore)


def describe(info: object) -> str:
    from negodrill.storage.backups import BackupInfo

    assert isinstance(info, BackupInfo)
    when = info.created.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{when}  {_count(info.cards, 'card')}, {_count(info.reviews, 'review')}"


def _count(number: int, what: str) -> str:
    return f"{number:,} {what}{'' if number == 1 else 's'}"


def run_backup(args: argparse.Namespace) -> int:
    from negodrill import paths
    from negodrill.cli import data_dir
    from negodrill.storage.backups import (
        configured_cap_bytes,
        create_backup,
        list_backups,
        thin_backups,
    )

    folder = data_dir(args)
    if args.list:
        for info in list_backups(folder):
            print(f"{describe(info)}  {info.path}")
        return 0
    database = paths.database_path(folder)
    if not database.is_file():
        raise NegodrillError(f"{folder} holds no negodrill collection to back up")
    target = Path(args.file) if args.file else None
    if target is not None and target.exists():
        raise NegodrillError(f"{target} already exists: choose a new file name")
    info = create_backup(database, target=target, reason="manual")
    if target is None:
        thin_backups(folder, cap_bytes=configured_cap_bytes(database))
    print(f"backed up {_count(info.cards, 'card')} and {_count(info.reviews, 'review')} to "
          f"{info.path}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from negodrill import paths
    from negodrill.cli import data_dir
    from negodrill.storage import datadir
    from negodrill.storage.restore import check_backup, restore_backup

    folder = data_dir(args)
    backup = Path(args.file)
    if not backup.is_file():
        raise NegodrillError(f"{backup}: no such file")
    check_backup(backup)
    if datadir.prepare(folder):
        raise DatabaseError(f"{folder} cannot be written (read-only, or its disk is full), so "
                            "a backup cannot be restored into it")
    lock = _lock(folder)
    try:
        restored = restore_backup(paths.database_path(folder), backup)
        print(f"restored the backup of {describe(restored.backup)}")
        if restored.safety_copy is not None:
            print(f"your collection as it was is kept in {restored.safety_copy}", flush=True)
        from negodrill.deckio.library import open_library

        open_library(folder).close()  # an older backup is upgraded now, not at next start
    finally:
        lock.unlock()
    return 0


def _lock(folder: Path):  # type: ignore[no-untyped-def]
    """The window's lock, held for the restore: none can start meanwhile."""
    from negodrill.ui.instance import acquire_lock

    lock = acquire_lock(folder)
    if lock is None:
        raise NegodrillError(f"negodrill is open on {folder}: close negodrill first, then "
                             "restore")
    return lock
