"""A deck as an Anki text file: tab-separated notes under Anki's `#key:value` header lines.

The header tells Anki's importer everything (separator, HTML, note type, deck, which columns
hold the GUID and the tags), so File > Import needs no choices. Front and Back are the same
HTML and the GUIDs the same as in the `.apkg` export, so either file updates the same notes.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from negodrill.core.errors import DeckError
from negodrill.core.files import write_atomically
from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.deckio.anki_export import (
    STEP,
    card_tags,
    check_exportable,
    note_fields,
    note_guids,
    report,
)
from negodrill.deckio.package import IncomingDeck

COLUMNS = ("guid", "Front", "Back", "tags")


def _cell(value: str) -> str:
    """A field as Anki's CSV reader takes it back unchanged.

    Fields are escaped HTML, so only a GUID or a tag can hold a quote; and a line starting
    with "#" would be read as a comment, so such a first field is quoted too.
    """
    value = value.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    if '"' in value or value.startswith("#"):
        return '"' + value.replace('"', '""') + '"'
    return value


def _header_value(text: str) -> str:
    return " ".join(text.split())


def write_anki_text(
    deck: IncomingDeck,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write `deck` as an Anki text file at `path`; returns the number of notes written."""
    path = Path(path)
    check_exportable(deck)
    total = len(deck.cards)
    lines = [
        "#separator:tab",
        "#html:true",
        "#notetype:Basic",
        f"#deck:{_header_value(deck.title)}",
        f"#tags column:{COLUMNS.index('tags') + 1}",
        f"#guid column:{COLUMNS.index('guid') + 1}",
        # Anki skips header keys it does not know; negodrill's reader explains the file.
        f"#negodrill deck:{deck.uuid}",
    ]
    for position, (card, guid) in enumerate(zip(deck.cards, note_guids(deck), strict=True)):
        if position % STEP == 0:
            report(progress, cancel, position, total)
        front, back = note_fields(card)
        row = (guid, front, back, " ".join(card_tags(card)))
        lines.append("\t".join(_cell(value) for value in row))
    report(progress, cancel, total, total)
    data = ("\n".join(lines) + "\n").encode("utf-8")

    def fill(out: BinaryIO) -> None:
        out.write(data)

    write_atomically(path, fill, error=DeckError)
    progress(1, 1, "written")
    return total
