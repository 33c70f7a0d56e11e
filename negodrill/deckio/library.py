"""Opening the learner's collection, with the built-in course on first use.

Every entry point (the window, every CLI command that needs data) opens the collection here,
so a data dir without a database gets the built-in decks before the first window or output.
"""

from __future__ import annotations

from pathlib import Path

from negodrill import paths
from negodrill.core.errors import DatabaseError, DeckError
from negodrill.deckio.native import import_deck
from negodrill.storage.store import Store, open_store


def builtin_deck_files() -> list[Path]:
    """The shipped decks in file-name order, which is the deck-list order of a new learner."""
    folder = paths.builtin_decks_dir()
    return sorted(folder.glob("*.negodeck.json")) if folder.is_dir() else []


def install_builtin_decks(store: Store) -> int:
    """Import every built-in deck; returns how many were installed."""
    files = builtin_deck_files()
    for path in files:
        import_deck(store, path, source="builtin")
    return len(files)


INSTALLED_KEY = "builtin_decks_installed"


def _install_once(store: Store) -> None:
    """Install the built-in decks unless done before, safely against a second process.

    BEGIN IMMEDIATE takes the write lock before looking, so a CLI command started while the
    window is installing waits for it (busy timeout) instead of seeing half a collection or
    installing twice; a crash half-way leaves the flag unset and the next start installs again.
    """
    if store.setting(INSTALLED_KEY):
        return
    store.db.execute("BEGIN IMMEDIATE")
    try:
        if not store.setting(INSTALLED_KEY):
            install_builtin_decks(store)
            store.db.execute(
                "INSERT INTO setting (key, value) VALUES (?, 'true') "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [INSTALLED_KEY],
            )
    except BaseException:
        store.db.execute("ROLLBACK")
        raise
    store.db.execute("COMMIT")


def open_library(data_dir: Path) -> Store:
    """Open (and on first use create and fill) the collection in `data_dir`."""
    store = open_store(paths.database_path(data_dir))
    try:
        _install_once(store)
    except DeckError as exc:
        store.close()
        raise DatabaseError(f"the built-in decks could not be installed: {exc}") from None
    except BaseException:
        store.close()
        raise
    return store
