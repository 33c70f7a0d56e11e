"""One door for every export: the format follows the file's suffix unless it is given.

The command line and the window both come here, so `negodrill export DECK x.apkg` and File >
Export choose formats by one rule. Only the chosen writer is imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from negodrill.core.errors import DeckError
from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.deckio.package import CardProgress, IncomingDeck, IncomingReview

if TYPE_CHECKING:
    from negodrill.storage.store import Store

# The formats in the words `--format` takes, with what a file dialog shows for each.
EXPORT_FORMATS = ("negodeck", "negodeck.json", "apkg", "tsv")
FORMAT_NAMES = {
    "negodeck": "negodrill deck package (*.negodeck)",
    "negodeck.json": "negodrill deck, plain JSON (*.negodeck.json)",
    "apkg": "Anki package (*.apkg)",
    "tsv": "Anki text file (*.tsv)",
}
_SUFFIXES = ((".negodeck.json", "negodeck.json"), (".negodeck", "negodeck"),
             (".json", "negodeck.json"), (".apkg", "apkg"), (".tsv", "tsv"), (".txt", "tsv"))


def format_for(path: Path, given: str | None = None) -> str:
    """The export format: the one given, else the one the file's name ends in."""
    if given:
        if given not in EXPORT_FORMATS:
            raise DeckError(f'"{given}" is not an export format; use one of '
                            f"{', '.join(EXPORT_FORMATS)}")
        return given
    name = Path(path).name.lower()
    for suffix, kind in _SUFFIXES:
        if name.endswith(suffix):
            return kind
    raise DeckError(f"{path}: the name does not say which format to write; end it in "
                    ".negodeck, .negodeck.json, .apkg or .tsv, or choose a format")


@dataclass(frozen=True)
class ExportDone:
    title: str
    cards: int
    path: Path
    format: str
    reviews: int = 0

    def describe(self) -> str:
        extra = (f", {self.reviews} review{'' if self.reviews == 1 else 's'}"
                 if self.reviews else "")
        kind = FORMAT_NAMES[self.format].split(" (")[0]
        return f'exported "{self.title}" ({self.cards} cards{extra}) to {self.path} as {kind}'


def export_deck_file(
    store: Store,
    deck_id: int,
    path: Path,
    *,
    format: str | None = None,
    with_history: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ExportDone:
    """Write one deck to `path` in the chosen format, whole or not at all.

    :param with_history: include the learner's reviews (a deck handed to a class has none).
    """
    path = Path(path)
    kind = format_for(path, format)
    _not_the_collection(store, path)
    title = store.deck(deck_id)["title"]
    if kind in ("negodeck", "negodeck.json"):
        from negodrill.deckio.native import export_deck

        count = export_deck(store, deck_id, path, zipped=kind == "negodeck",
                            with_history=with_history, progress=progress, cancel=cancel)
        reviews = store.review_count(deck_id) if with_history else 0
        return ExportDone(title, count, path, kind, reviews)
    deck, schedules = outgoing_deck(store, deck_id, with_history=with_history)
    reviews = sum(len(r) for r in deck.history.values())
    if kind == "apkg":
        from negodrill.deckio.anki_export import write_apkg

        count = write_apkg(deck, path, progress_by_card=schedules if with_history else None,
                           progress=progress, cancel=cancel)
    else:
        from negodrill.deckio.text_export import write_anki_text

        count = write_anki_text(deck, path, progress=progress, cancel=cancel)
        reviews = 0  # a text file has no place for history
    return ExportDone(title, count, path, kind, reviews)


def _not_the_collection(store: Store, path: Path) -> None:
    """Writing a deck over the learner's own database (or its journal) would destroy it."""
    if store.path is None:
        return
    target = os.path.realpath(path)
    database = os.path.realpath(store.path)
    if target in {database + suffix for suffix in ("", "-wal", "-shm", "-journal")}:
        raise DeckError(f"{path}: this is your collection's own database; choose another file")


def outgoing_deck(
    store: Store, deck_id: int, *, with_history: bool
) -> tuple[IncomingDeck, dict[str, CardProgress]]:
    """A deck of the collection in the shape the writers take, with its history if asked."""
    from negodrill.deckio.native import deck_document
    from negodrill.storage.store import to_ms

    doc = deck_document(store, deck_id)
    meta = doc["deck"]
    deck = IncomingDeck(
        uuid=meta["id"], title=meta["title"], cards=doc["cards"], revision=meta["revision"],
        description=meta.get("description", ""), meta=meta,
        techniques=doc.get("techniques", []),
    )
    if not with_history:
        return deck, {}
    for key, review in store.deck_reviews(deck_id):
        deck.history.setdefault(key, []).append(IncomingReview(
            time_ms=to_ms(review.time) or 0, grade=int(review.grade),
            duration_ms=review.duration_ms, answer=review.answer, correct=review.correct,
            coach_label=review.coach_label, coach_flaws=review.coach_flaws,
        ))
    schedules = {key: CardProgress(*row) for key, row in store.deck_card_schedules(deck_id).items()}
    return deck, schedules
