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


def open_library(data_dir: Path) -> Store:
    """Open (and on first use create and fill) the collection in `data_dir`."""
    db_path = paths.database_path(data_dir)
    fresh = not db_path.exists()
    store = open_store(db_path)
    if fresh or store.created:
        try:
            with store.atomic():
                install_builtin_decks(store)
        except DeckError as exc:
            store.close()
            raise DatabaseError(f"the built-in decks could not be installed: {exc}") from None
    return store
