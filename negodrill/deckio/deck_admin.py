"""Making, renaming and deleting decks: the one controller behind `negodrill deck ...` and the
window's Decks menu.

A deleted deck takes its cards with it; their reviews stay in the log, so Progress keeps
counting them (as Anki's revlog does). The window keeps the rows (`DeckRows`) so Ctrl+Z puts
the deck back exactly, ids and schedules included, and the reviews are its cards' again. After
a large delete the database file is shrunk (VACUUM), so deleting a 50,000-card import gives the
space back.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from negodrill.core.errors import DeckError
from negodrill.storage import deck_rows
from negodrill.storage.deck_rows import DeckRows
from negodrill.storage.store import Store

# Deleting at least this many cards shrinks the file afterwards (a VACUUM: about a second per
# 100 MB; smaller deletes leave their free pages for the next import to reuse).
SHRINK_AFTER_CARDS = 5_000
MAX_TITLE = 300


def _clean(store: Store, title: str, but: int | None = None) -> str:
    title = " ".join(title.split())
    if not title:
        raise DeckError("a deck needs a title")
    if len(title) > MAX_TITLE:
        raise DeckError(f"a deck title is at most {MAX_TITLE} characters")
    if deck_rows.title_taken(store, title, but):
        raise DeckError(f'there is already a deck called "{title}"')
    return title


def create_deck(store: Store, title: str) -> int:
    """A new empty deck of the learner's own; its id."""
    title = _clean(store, title)
    with store.atomic():
        return store.insert_deck(uuid=str(uuid.uuid4()), title=title, revision=1,
                                 source="local", now=datetime.now(UTC))


def rename_deck(store: Store, deck_id: int, title: str) -> str:
    """Give a deck a new title; the title as saved. (A newer edition of a shared or built-in
    deck brings its author's title back, as it brings the author's text.)"""
    store.deck(deck_id)  # a clear error for a deck that is gone
    title = _clean(store, title, but=deck_id)
    deck_rows.rename(store, deck_id, title, int(datetime.now(UTC).timestamp() * 1000))
    return title


def delete_deck(store: Store, deck_id: int, *, shrink: bool = True) -> DeckRows:
    """Delete a deck and its cards (their reviews stay); what it held, for `restore_deck`.

    :param shrink: shrink the file after a large delete here; the window passes False and
        shrinks on a worker thread (`needs_shrink`, `shrink_file`)."""
    store.deck(deck_id)
    rows = deck_rows.take_out(store, deck_id)
    if shrink and needs_shrink(rows):
        deck_rows.shrink(store)
    return rows


def needs_shrink(rows: DeckRows) -> bool:
    return len(rows.cards) >= SHRINK_AFTER_CARDS


def shrink_file(store: Store) -> None:
    """VACUUM and give the space back (on a connection of the caller's thread)."""
    deck_rows.shrink(store)


def delete_cards(store: Store, card_ids: list[int]) -> None:
    """Delete cards (their reviews stay); a large delete shrinks the file afterwards."""
    store.delete_cards(card_ids)
    if len(card_ids) >= SHRINK_AFTER_CARDS:
        deck_rows.shrink(store)


def restore_deck(store: Store, rows: DeckRows) -> int:
    """Undo a delete: the deck back with the same ids, schedules and history."""
    return deck_rows.put_back(store, rows)


def move_cards(store: Store, card_ids: list[int], deck_id: int) -> int:
    """Move cards to another deck with their history and schedule; how many moved. A card
    whose id the target deck already has is given a new local id. (A card moved out of a
    shared deck is new to that deck's next revision, which adds it again.)"""
    import secrets

    store.deck(deck_id)
    return deck_rows.move_cards(store, card_ids, deck_id,
                                lambda key: f"local-{secrets.token_hex(4)}")


def cards_in(store: Store, deck_id: int) -> int:
    return deck_rows.card_count(store, deck_id)
