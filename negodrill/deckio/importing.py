"""One door for every deck file: pick the reader by the file's contents, then merge.

The name of a file is a hint at best (a `.txt` from a colleague may be a CSV, a renamed `.zip`
may be an Anki package), so the reader is chosen by what the first bytes say: a zip holding
`deck.json` is native, one holding `collection.anki2*` is Anki, JSON is native, text is text.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from negodrill.core.errors import DeckError
from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.deckio.merge import ImportReport, import_package
from negodrill.deckio.package import Package
from negodrill.deckio.reader import readable
from negodrill.storage.store import Store

# File dialogs and drops offer these.
IMPORT_PATTERNS = ("*.negodeck", "*.negodeck.json", "*.json", "*.apkg", "*.colpkg", "*.txt",
                   "*.tsv", "*.csv")
FORMATS_READ = ("negodrill decks (.negodeck, .negodeck.json), Anki packages (.apkg, .colpkg) "
                "and text files (.txt, .tsv, .csv)")
_HEAD_BYTES = 8192


def _zip_names(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError,
            ValueError):
        raise DeckError(f"{path.name}: the file is a damaged zip archive") from None


def read_file(
    path: Path,
    *,
    with_history: bool = True,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> Package:
    """Read and check any supported deck file; nothing is written anywhere."""
    path = Path(path)
    with readable(path), path.open("rb") as stream:
        head = stream.read(_HEAD_BYTES)
    progress(0, 0, "reading")
    if head.startswith(b"PK"):
        names = _zip_names(path)
        if "deck.json" in names:
            return _native(path)
        from negodrill.deckio.anki_package import is_anki_package, read_anki_package

        if is_anki_package(names):
            return read_anki_package(path, with_history=with_history, progress=progress,
                                     cancel=cancel)
        raise DeckError(f"{path.name}: a zip archive that is neither a negodrill deck nor an "
                        f"Anki package; negodrill reads {FORMATS_READ}")
    if head.startswith(b"SQLite format 3\x00"):
        raise DeckError(f"{path.name}: this is a database, not a deck file; to bring an Anki "
                        "collection over, export it from Anki as a package (.apkg) and import "
                        "that")
    # JSON, or a file named as a negodrill deck: the native reader says what is wrong with it,
    # rather than the text reader turning a broken deck into a deck of one odd card.
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")) or path.name.lower(
    ).endswith((".json", ".negodeck")):
        return _native(path)
    from negodrill.deckio.text_import import looks_like_text, read_text_file

    if head and looks_like_text(head):
        return read_text_file(path, progress=progress, cancel=cancel)
    if not head:
        raise DeckError(f"{path.name}: the file is empty")
    raise DeckError(f"{path.name}: not a deck file negodrill can read; it reads {FORMATS_READ}")


def _native(path: Path) -> Package:
    from negodrill.deckio.native import load_deck, native_package

    return native_package(load_deck(path), name=path.name)


def import_file(
    store: Store,
    path: Path,
    *,
    dry_run: bool = False,
    with_history: bool = True,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """Import any supported deck file into the collection, all or nothing."""
    package = read_file(path, with_history=with_history, progress=progress, cancel=cancel)
    if cancel is not None:
        cancel.check()
    return import_package(store, package, dry_run=dry_run, with_history=with_history,
                          progress=progress, cancel=cancel)
