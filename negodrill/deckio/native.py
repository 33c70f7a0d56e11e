"""The native deck format: `.negodeck.json` (bare) and `.negodeck` (a zip with deck.json).

Import is plan-then-write: the whole file is read and checked first, then written in one
transaction, so a bad file or a cancel leaves the collection exactly as it was. A deck is known
by its UUID and each card by its stable id, so re-importing a newer revision updates text and
keeps every review.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from negodrill.core.cards import content_hash
from negodrill.core.errors import DeckError
from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.core.studyday import utc_now
from negodrill.deckio.reader import read_deck_json
from negodrill.storage.store import Store

FORMAT = "negodrill-deck"
FORMAT_VERSION = 1
SUFFIXES = (".negodeck.json", ".negodeck", ".json")


@dataclass
class ImportResult:
    """What an import did, in the learner's words."""

    deck_id: int
    title: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    conflicts: list[str] = field(default_factory=list)
    new_deck: bool = False

    def describe(self) -> str:
        parts = [f"{self.added} added"]
        if not self.new_deck:
            parts += [f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.retired:
            parts.append(f"{self.retired} retired")
        text = f'"{self.title}": ' + ", ".join(parts)
        if self.conflicts:
            text += (f"; {len(self.conflicts)} of your own edits kept over the author's "
                     f"({', '.join(self.conflicts[:5])})")
        return text


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


def import_document(
    store: Store,
    doc: dict[str, Any],
    *,
    source: str = "import",
    now: datetime | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ImportResult:
    """Write a checked deck document into the collection in one transaction."""
    now = now or utc_now()
    meta = dict(doc["deck"])
    uuid, title, revision = meta["id"], meta["title"], int(meta["revision"])
    cards: list[dict[str, Any]] = doc["cards"]
    techniques = doc.get("techniques", [])
    total = len(cards)
    with store.atomic():
        existing = store.deck_by_uuid(uuid)
        if existing is None:
            deck_id = store.insert_deck(
                uuid=uuid, title=title, revision=revision, source=source,
                description=meta.get("description", ""), meta=meta, techniques=techniques,
                now=now,
            )
            result = ImportResult(deck_id=deck_id, title=title, new_deck=True)
            for position, card in enumerate(cards):
                store.insert_card(deck_id, card, position=position, now=now)
                result.added += 1
                if position % 500 == 0:
                    _step(progress, cancel, position, total)
            return result
        if revision < existing["revision"]:
            raise DeckError(
                f'"{title}" revision {revision} is older than the one you have '
                f"(revision {existing['revision']}); nothing was changed"
            )
        deck_id = existing["id"]
        store.update_deck(
            deck_id, title=title, revision=revision, description=meta.get("description", ""),
            meta=meta, techniques=techniques, now=now,
        )
        result = ImportResult(deck_id=deck_id, title=title)
        known = store.card_keys(deck_id)
        seen: set[str] = set()
        for position, card in enumerate(cards):
            seen.add(card["id"])
            _merge_card(store, deck_id, card, known.get(card["id"]), position, now, result)
            if position % 500 == 0:
                _step(progress, cancel, position, total)
        gone = [v["id"] for k, v in known.items() if k not in seen and not v["retired"]]
        store.retire_cards(gone)
        result.retired = len(gone)
        _step(progress, cancel, total, total)
    return result


def _merge_card(
    store: Store, deck_id: int, card: dict[str, Any], old: dict[str, Any] | None,
    position: int, now: datetime, result: ImportResult,
) -> None:
    if old is None:
        store.insert_card(deck_id, card, position=position, now=now)
        result.added += 1
        return
    new_hash = content_hash(card)
    locally_edited = old["upstream_hash"] is not None and old["hash"] != old["upstream_hash"]
    if new_hash == old["upstream_hash"] or new_hash == old["hash"]:
        if old["retired"] or old["position"] != position:
            store.update_card_content(old["id"], card, now=now, upstream=True, position=position)
        result.unchanged += 1
    elif locally_edited:
        result.conflicts.append(card["id"])
    else:
        store.update_card_content(old["id"], card, now=now, upstream=True, position=position)
        if card.get("reset_progress") and card.get("rev", 1) != old["upstream_rev"]:
            store.reset_card(old["id"])
        result.updated += 1


def _step(progress: Progress, cancel: CancelToken | None, done: int, total: int) -> None:
    if cancel is not None:
        cancel.check()
    progress(done, total, "cards")


def import_deck(
    store: Store,
    path: Path,
    *,
    source: str = "import",
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ImportResult:
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
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write a deck to `path` (.negodeck.json, or a zipped .negodeck); returns the card count.

    The file appears whole or not at all: it is written beside the target and renamed.
    """
    path = Path(path)
    progress(0, 0, "collecting")
    doc = deck_document(store, deck_id)
    if not doc["cards"]:
        raise DeckError(f'"{doc["deck"]["title"]}" has no cards to export')
    if cancel is not None:
        cancel.check()
    data = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".negodrill-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                if path.name.endswith(".negodeck"):
                    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                        archive.writestr("deck.json", data)
                else:
                    out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise DeckError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    progress(1, 1, "written")
    return len(doc["cards"])
