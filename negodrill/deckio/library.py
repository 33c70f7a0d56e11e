"""Opening the learner's collection, with the built-in course on first use and kept current.

Every entry point (the window, every CLI command that needs data) opens the collection here,
so a data dir without a database gets the built-in decks before the first window or output.

On later starts the shipped decks are compared with what was installed, cheaply: a fingerprint
of the shipped files (names, sizes, modification times) is kept, and only when it changes are
the files read. A shipped deck whose revision is newer than the installed one is imported over
it (text updated, history kept, removed cards retired, the learner's own edits kept); a new
built-in deck is added; a built-in deck the learner deleted stays deleted, because the ids of
every built-in deck ever installed are remembered.
"""

from __future__ import annotations

import json
from pathlib import Path

from negodrill import paths
from negodrill.core.errors import DatabaseError, DeckError, DiskFullError
from negodrill.storage.deck_rows import deck_revisions
from negodrill.storage.store import Store, open_store


def builtin_deck_files() -> list[Path]:
    """The shipped decks in file-name order, which is the deck-list order of a new learner."""
    folder = paths.builtin_decks_dir()
    return sorted(folder.glob("*.negodeck.json")) if folder.is_dir() else []


def install_builtin_decks(store: Store) -> int:
    """Import every built-in deck; returns how many were installed."""
    from negodrill.deckio.native import import_deck

    files = builtin_deck_files()
    for path in files:
        import_deck(store, path, source="builtin")
    return len(files)


INSTALLED_KEY = "builtin_decks_installed"
KNOWN_KEY = "builtin_decks_known"  # every built-in deck id ever installed here
FINGERPRINT_KEY = "builtin_decks_fingerprint"
# The decks of the first edition: a collection from before KNOWN_KEY existed had them all.
FIRST_EDITION = (
    "a6a04e96-bcac-4a2b-af4a-d0b0e2d3c902", "dfb21fc4-b305-42d6-b705-4a032838e954",
    "e1be9c9e-bce6-4550-8e47-9d52cde1b411", "c2627bbe-0afb-4031-b1ad-41fe31233a39",
    "167dc85e-c6d1-4a05-b279-f09d70583cb8",
)


def _fingerprint(files: list[Path]) -> str:
    parts = []
    for path in files:
        stat = path.stat()
        parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def _header(path: Path) -> tuple[str, int]:
    """(deck id, revision) of a shipped deck file."""
    deck = json.loads(path.read_text(encoding="utf-8"))["deck"]
    return str(deck["id"]), int(deck["revision"])


def _remember(store: Store, known: set[str], fingerprint: str) -> None:
    """Keep the built-in deck ids and the shipped files' fingerprint (caller's transaction)."""
    store.set_setting(KNOWN_KEY, sorted(known))
    store.set_setting(FINGERPRINT_KEY, fingerprint)


def update_builtin_decks(store: Store) -> list[str]:
    """Bring the built-in decks up to the shipped edition (see the module's notes); returns the
    titles of the decks added or updated. Runs in one write transaction."""
    files = builtin_deck_files()
    fingerprint = _fingerprint(files)
    if store.setting(FINGERPRINT_KEY) == fingerprint:
        return []
    changed: list[str] = []
    with store.immediate():
        from negodrill.deckio.native import import_deck

        known = set(store.setting(KNOWN_KEY) or FIRST_EDITION)
        installed = deck_revisions(store, source="builtin")
        for path in files:
            uuid, revision = _header(path)
            if uuid in installed:
                if revision <= installed[uuid]:
                    continue
            elif uuid in known:
                continue  # the learner deleted it
            outcome = import_deck(store, path, source="builtin")
            known.add(uuid)
            changed.append(outcome.title)
        _remember(store, known, fingerprint)
    return changed


def _install_once(store: Store) -> None:
    """Install the built-in decks unless done before, safely against a second process.

    BEGIN IMMEDIATE takes the write lock before looking, so a CLI command started while the
    window is installing waits for it (busy timeout) instead of seeing half a collection or
    installing twice; a crash half-way leaves the flag unset and the next start installs again.
    """
    if store.setting(INSTALLED_KEY):
        return
    with store.immediate():
        if not store.setting(INSTALLED_KEY):
            install_builtin_decks(store)
            store.set_setting(INSTALLED_KEY, True)
            files = builtin_deck_files()
            _remember(store, {_header(f)[0] for f in files}, _fingerprint(files))


def open_library(data_dir: Path, *, read_only: bool | None = None) -> Store:
    """Open (and on first use create and fill) the collection in `data_dir`.

    A data dir that cannot be written (`read_only`, found out when None) is opened for
    reading only, as it is: no built-in deck is installed or updated.
    """
    from negodrill.storage import datadir

    database = paths.database_path(data_dir)
    why = ""
    if read_only is None:
        why = datadir.prepare(data_dir)
        read_only = bool(why)
    try:
        store = open_store(database, read_only=read_only)
    except DiskFullError:
        if read_only or not database.exists():
            raise
        # A full disk still lets the learner read: decks, stats, exports, the window.
        store = open_store(database, read_only=True)
        why = "disk full"
    if store.read_only:
        store.read_only_why = why or store.read_only_why
        return store
    try:
        _install_once(store)
        update_builtin_decks(store)
    except DeckError as exc:
        store.close()
        raise DatabaseError(f"the built-in decks could not be installed: {exc}") from None
    except BaseException:
        store.close()
        raise
    return store
