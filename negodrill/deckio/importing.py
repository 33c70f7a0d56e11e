"""One door for every deck file: pick the reader by the file's name and contents."""

from __future__ import annotations

from pathlib import Path

from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.deckio.native import ImportResult, import_deck
from negodrill.storage.store import Store

# File dialogs and drops offer these; later formats (Anki, CSV) add theirs here.
IMPORT_PATTERNS = ("*.negodeck", "*.negodeck.json", "*.json")


def import_file(
    store: Store,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ImportResult:
    """Import any supported deck file into the collection, all or nothing."""
    return import_deck(store, Path(path), progress=progress, cancel=cancel)
