"""Saving a card the learner wrote or edited: the deck schema's check, a fresh id, one write.

The card editor collects what the learner typed and shows the problems it gets back; the rules
(what a valid card is, how a new card is named, the transaction) live here, below the UI, so an
edited deck always exports as a valid file.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from negodrill.core.errors import DatabaseError
from negodrill.storage import browse
from negodrill.storage.store import Store

_CHECK_DECK = {"id": "00000000-0000-4000-8000-000000000000", "title": "check", "revision": 1}


@dataclass(frozen=True)
class SavedCard:
    """The card's database id once saved, or the problems that kept it from being saved."""

    card_id: int | None
    problems: list[str] = field(default_factory=list)


def card_problems(data: dict[str, Any]) -> list[str]:
    """What the deck schema says is wrong with one card object (empty when it is valid)."""
    from negodrill.deckio.validate import schema_problems

    card = data | {"id": data.get("id") or "local-check"}
    doc = {"format": "negodrill-deck", "format_version": 2, "deck": _CHECK_DECK,
           "cards": [card]}
    return [p.message for p in schema_problems(doc)]


def _new_key(store: Store, deck_id: int) -> str:
    while True:
        key = f"local-{secrets.token_hex(4)}"
        if not browse.key_exists(store, deck_id, key):
            return key


def save_card(
    store: Store, data: dict[str, Any], *, now: datetime, card_id: int | None = None,
    deck_id: int | None = None,
) -> SavedCard:
    """Save an edited card (`card_id`) or add a new one to `deck_id`, in one transaction.

    A learner's text is a local edit (`upstream=False`), so a later re-import of the deck
    keeps it and reports a conflict instead of overwriting it.
    """
    problems = card_problems(data)
    if card_id is None and deck_id is None:
        problems.insert(0, "Create or import a deck first: a card belongs to a deck.")
    if problems:
        return SavedCard(None, problems)
    data = dict(data)
    try:
        with store.atomic():
            if card_id is None:
                assert deck_id is not None
                data["id"] = _new_key(store, deck_id)
                card_id = store.insert_card(deck_id, data, position=store.next_position(deck_id),
                                            now=now, upstream=False)
            else:
                store.update_card_content(card_id, data, now=now, upstream=False)
    except sqlite3.Error as exc:
        raise DatabaseError(f"the card could not be saved ({exc})") from None
    return SavedCard(card_id)
