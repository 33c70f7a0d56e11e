"""A deck's rows, taken out whole and put back whole: what makes deleting a deck undoable.

`take_out` deletes a deck and returns the rows that went with it (the deck, its cards, and
which disagreements pointed at its cards); the cards' reviews stay in the log (schema 10), so
`put_back` only writes the deck and cards again with the same ids, and the reviews are theirs
again. Both run in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from negodrill.core.models import DeckSummary
from negodrill.core.studyday import DailyRoom, Today, daily_room
from negodrill.storage.conditions import LEARNING_DUE_BY, LIVE, NEW, REVIEW_DUE_BEFORE
from negodrill.storage.store import Store


@dataclass(frozen=True)
class DeckRows:
    """What deleting a deck removed: the deck and its cards (their reviews stay in the log)."""

    title: str
    deck: tuple[Any, ...]
    cards: list[tuple[Any, ...]]
    disagreements: list[tuple[int, int]]  # (disagreement id, card id)


def _card_ids(store: Store, deck_id: int) -> str:
    return f"(SELECT id FROM card WHERE deck_id = {int(deck_id)})"


def take_out(store: Store, deck_id: int) -> DeckRows:
    """Delete the deck and its cards; the rows they had, to put back."""
    with store.atomic():
        deck = store._db.execute("SELECT * FROM deck WHERE id = ?", [deck_id]).fetchone()
        if deck is None:
            raise LookupError(f"deck {deck_id} no longer exists")
        cards = _card_ids(store, deck_id)
        title = store._db.execute("SELECT title FROM deck WHERE id = ?", [deck_id]).fetchone()[0]
        rows = DeckRows(
            title=str(title),
            deck=tuple(deck),
            cards=[tuple(r) for r in store._db.execute(
                "SELECT * FROM card WHERE deck_id = ? ORDER BY id", [deck_id]).fetchall()],
            disagreements=[(int(r[0]), int(r[1])) for r in store._db.execute(
                f"SELECT id, card_id FROM disagreement WHERE card_id IN {cards}").fetchall()],
        )
        store._db.execute("DELETE FROM deck WHERE id = ?", [deck_id])
    return rows


def put_back(store: Store, rows: DeckRows) -> int:
    """Write a taken-out deck again, ids and all (its reviews never left); returns its id."""
    with store.atomic():
        for table, values in (("deck", [rows.deck]), ("card", rows.cards)):
            if values:
                marks = ", ".join("?" for _ in values[0])
                store._db.conn.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
            if table == "deck":  # the cards' own triggers count them in again
                store._db.execute("UPDATE deck SET live_cards = 0 WHERE id = ?", [rows.deck[0]])
        store._db.conn.executemany("UPDATE disagreement SET card_id = ? WHERE id = ?",
                                  [(card, one) for one, card in rows.disagreements])
    return int(rows.deck[0])


def rename(store: Store, deck_id: int, title: str, now_ms: int) -> None:
    with store.atomic():
        store._db.execute("UPDATE deck SET title = ?, modified_ms = ? WHERE id = ?",
                         [title, now_ms, deck_id])


def title_taken(store: Store, title: str, but: int | None = None) -> bool:
    """Another deck already has this title (case-insensitive)."""
    return store._db.execute(
        "SELECT 1 FROM deck WHERE lower(title) = lower(?) AND id IS NOT ?", [title, but]
    ).fetchone() is not None


def move_cards(store: Store, card_ids: list[int], deck_id: int,
               fresh_key: Callable[[str], str]) -> int:
    """Move cards to `deck_id`, at the end of its new-card order, history and schedule kept
    (the tally triggers move their reviews' figures too); a card whose stable id the target
    deck already uses gets `fresh_key(key)`. Returns how many moved."""
    moved = 0
    with store.atomic():
        position = int(store._db.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM card WHERE deck_id = ?",
            [deck_id]).fetchone()[0])
        for card_id in card_ids:
            row = store._db.execute("SELECT key, deck_id FROM card WHERE id = ?",
                                   [card_id]).fetchone()
            if row is None or row[1] == deck_id:
                continue
            key = str(row[0])
            if store._db.execute("SELECT 1 FROM card WHERE deck_id = ? AND key = ?",
                                [deck_id, key]).fetchone():
                key = fresh_key(key)
            store._db.execute("UPDATE card SET deck_id = ?, key = ?, position = ? WHERE id = ?",
                             [deck_id, key, position, card_id])
            position += 1
            moved += 1
    return moved


def card_count(store: Store, deck_id: int) -> int:
    return int(store._db.execute("SELECT count(*) FROM card WHERE deck_id = ?",
                                [deck_id]).fetchone()[0])


def shrink(store: Store) -> None:
    """Give the pages of deleted rows back to the file system (VACUUM): seconds on a large
    collection, so callers do it after large deletes only."""
    store._db.execute("VACUUM")
    # In WAL mode the vacuumed pages sit in the WAL: the checkpoint writes them back and the
    # database file shrinks.
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _deck_room(store: Store, deck_id: int, studied: dict[int, tuple[int, int]]) -> DailyRoom:
    """A deck's own room today: its preset's limits minus what its cards had today
    (`studied`: `Store.studied_today_by_deck`)."""
    return daily_room(store.preset_for_deck(deck_id), *studied.get(deck_id, (0, 0)))


def _on_today(store: Store, deck_id: int, today: Today, *, new_cap: int,
              review_cap: int) -> tuple[int, int, int]:
    """(learning due, reviews due up to `review_cap`, new cards up to `new_cap`) of one deck,
    each a range of the card_deck_queue index that stops at its cap: never a pass over the
    card table."""
    queries = (
        (f"SELECT count(*) FROM card WHERE deck_id = ? AND {LEARNING_DUE_BY} AND {LIVE}",
         [deck_id, today.learning_until_ms]),
        (f"SELECT count(*) FROM (SELECT 1 FROM card WHERE deck_id = ? AND {REVIEW_DUE_BEFORE} "
         f"AND {LIVE} LIMIT ?)", [deck_id, today.end_ms, max(0, review_cap)]),
        (f"SELECT count(*) FROM (SELECT 1 FROM card WHERE deck_id = ? AND {NEW} "
         f"AND {LIVE} LIMIT ?)", [deck_id, max(0, new_cap)]),
    )
    learning, reviews, new = (store._db.execute(sql, params).fetchone()[0]
                              for sql, params in queries)
    return int(learning), int(reviews), int(new)


def summaries(store: Store, today: Today) -> list[DeckSummary]:
    """Each deck with its card count and what is on for `today` (capped by its own daily
    limits, as a session over that deck alone would be)."""
    store.unbury_before(today.start_ms)
    studied = store.studied_today_by_deck(today.start, today.end)
    out = []
    for deck_id, uuid, title, description, cards in store._db.execute(
            "SELECT id, uuid, title, description, live_cards FROM deck ORDER BY id").fetchall():
        room = _deck_room(store, deck_id, studied)
        learning, reviews, new = _on_today(store, deck_id, today, new_cap=room.new_room,
                                           review_cap=room.review_room)
        out.append(DeckSummary(id=deck_id, uuid=uuid, title=title, description=description,
                               cards=cards, new=new, due=learning + reviews))
    return out


def all_decks_counts(store: Store, today: Today) -> tuple[int, int]:
    """(due, new) of a session over every deck, counted as `ReviewSession` builds it: each
    deck gives at most its own room, the default preset caps the whole."""
    store.unbury_before(today.start_ms)
    overall = daily_room(store.preset(), *store.studied_today(today.start, today.end))
    new_left, review_left = overall.new_room, overall.review_room
    studied = store.studied_today_by_deck(today.start, today.end)
    due = new = 0
    for (deck_id,) in store._db.execute("SELECT id FROM deck ORDER BY id").fetchall():
        room = _deck_room(store, deck_id, studied)
        learning, reviews, fresh = _on_today(
            store, deck_id, today, new_cap=min(room.new_room, new_left),
            review_cap=min(room.review_room, review_left))
        due += learning + reviews
        new += fresh
        review_left -= reviews
        new_left -= fresh
    return due, new


def deck_revisions(store: Store, *, source: str) -> dict[str, int]:
    """Each deck from `source` ("builtin", "file", ...) by its UUID, with its revision."""
    rows = store._db.execute("SELECT uuid, revision FROM deck WHERE source = ?",
                             [source]).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


def deck_tags(store: Store, deck_id: int) -> list[str]:
    """Every tag on a deck's current (not retired) cards, sorted."""
    found: set[str] = set()
    for (tags,) in store._db.execute("SELECT DISTINCT tags FROM card WHERE deck_id = ? AND "
                                     "retired = 0", [deck_id]).fetchall():
        found.update(str(tags).split())
    return sorted(found)
