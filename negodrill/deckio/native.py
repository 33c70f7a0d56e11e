"""The native deck format: `.negodeck.json` (bare) and `.negodeck` (a zip with deck.json).

Import is plan-then-write: the whole file is read and checked first, then written in one
transaction, so a bad file or a cancel leaves the collection exactly as it was. A deck is known
by its UUID and each card by its stable id, so re-importing a newer revision updates text and
keeps every review.
"""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from negodrill.core.errors import DeckError
from negodrill.core.files import write_atomically
from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.deckio.history import KEY as HISTORY_KEY
from negodrill.deckio.history import (
    SCHEDULES_KEY,
    read_history,
    read_schedules,
    write_history,
    write_schedules,
)
from negodrill.deckio.merge import DeckOutcome, import_package
from negodrill.deckio.package import CardProgress, IncomingDeck, Package
from negodrill.deckio.reader import read_deck_json
from negodrill.storage.store import Store

FORMAT = "negodrill-deck"
FORMAT_VERSION = 2  # version 1 files still import: version 2 only adds fields
SUFFIXES = (".negodeck.json", ".negodeck", ".json")


def check_document(doc: dict[str, Any], *, name: str) -> None:
    """Schema and structural rules; raises one DeckError naming the first problems."""
    from negodrill.deckio.validate import schema_problems

    problems = schema_problems(doc)
    if problems:
        shown = "; ".join(
            (f"card {p.card_id}: " if p.card_id else "") + p.message for p in problems[:3]
        )
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise DeckError(f"{name}: not a valid negodrill deck: {shown}{more}")


def load_deck(path: Path) -> dict[str, Any]:
    """Read and check a native deck file; the result is safe to import."""
    doc = read_deck_json(path)
    if doc.get("format") != FORMAT:
        raise DeckError(f"{Path(path).name}: not a negodrill deck (no \"format\": \"{FORMAT}\")")
    check_document(doc, name=Path(path).name)
    return doc


def study_order(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The cards in the order new ones are introduced: level by level, file order within a
    level, unless the deck says it is ordered by hand (`"order": "as-written"`)."""
    cards: list[dict[str, Any]] = doc["cards"]
    if doc["deck"].get("order") == "as-written":
        return cards
    return sorted(cards, key=lambda card: int(card.get("level", 0)))


def native_package(doc: dict[str, Any], *, name: str) -> Package:
    """A checked native document as the one-deck Package every import goes through."""
    meta = dict(doc["deck"])
    deck = IncomingDeck(
        uuid=meta["id"], title=meta["title"], cards=study_order(doc),
        revision=int(meta["revision"]), description=meta.get("description", ""), meta=meta,
        techniques=doc.get("techniques", []),
        history=read_history(doc, name=name), schedules=read_schedules(doc, name=name),
    )
    return Package(name=name, format="negodrill deck", decks=[deck])


def import_document(
    store: Store,
    doc: dict[str, Any],
    *,
    source: str = "import",
    now: datetime | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> DeckOutcome:
    """Write a checked deck document into the collection in one transaction."""
    package = native_package(doc, name=str(doc["deck"]["title"]))
    report = import_package(store, package, source=source, now=now, progress=progress,
                            cancel=cancel)
    return report.decks[0]


def import_deck(
    store: Store,
    path: Path,
    *,
    source: str = "import",
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> DeckOutcome:
    """Import a native deck file (bare JSON or zipped package)."""
    progress(0, 0, "reading")
    doc = load_deck(Path(path))
    if cancel is not None:
        cancel.check()
    return import_document(store, doc, source=source, progress=progress, cancel=cancel)


def deck_document(store: Store, deck_id: int) -> dict[str, Any]:
    """The deck as a native document, exactly as imported plus the learner's own cards/edits."""
    deck = store.deck(deck_id)
    meta = dict(deck["meta"]) or {}
    meta.update({"id": deck["uuid"], "title": deck["title"], "revision": deck["revision"]})
    if deck["description"]:
        meta["description"] = deck["description"]
    doc: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION, "deck": meta}
    if deck["techniques"]:
        doc["techniques"] = deck["techniques"]
    doc["cards"] = store.deck_cards_json(deck_id)
    return doc


def export_deck(
    store: Store,
    deck_id: int,
    path: Path,
    *,
    zipped: bool | None = None,
    with_history: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write a deck to `path` (.negodeck.json, or a zipped .negodeck); returns the card count.

    :param zipped: a .negodeck zip package; by default when the name ends in .negodeck.
    :param with_history: carry the learner's reviews (never in decks handed to a class).
    The file appears whole or not at all: it is written beside the target and renamed.
    """
    path = Path(path)
    progress(0, 0, "collecting")
    doc = deck_document(store, deck_id)
    if not doc["cards"]:
        raise DeckError(f'"{doc["deck"]["title"]}" has no cards to export')
    if with_history:
        reviews = write_history(store.deck_reviews(deck_id))
        if reviews:
            schedules = {key: CardProgress(*row)
                         for key, row in store.deck_card_schedules(deck_id).items()}
            doc["extensions"] = {**doc.get("extensions", {}), HISTORY_KEY: reviews,
                                 SCHEDULES_KEY: write_schedules(schedules)}
    if cancel is not None:
        cancel.check()
    data = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    if zipped is None:
        zipped = path.name.endswith(".negodeck")

    def write(out: BinaryIO) -> None:
        if zipped:
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("deck.json", data)
        else:
            out.write(data)

    write_atomically(path, write, error=DeckError)
    progress(1, 1, "written")
    return len(doc["cards"])
