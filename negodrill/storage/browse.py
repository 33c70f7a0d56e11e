"""The card browser's queries: one filtered, sorted view of every card, read a page at a time.

The browser never loads the whole collection: `count` sizes the table and `page` fills the rows
the learner scrolls to. User input only ever reaches SQL as bound parameters; sort columns come
from a fixed whitelist.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from negodrill.core.models import CardState
from negodrill.storage.conditions import IN_LEARNING, LIVE, NEW, SCHEDULED_DUE_BEFORE

if TYPE_CHECKING:
    from negodrill.storage.store import Store


class StateFilter(enum.StrEnum):
    """What the state filter offers; "due" means due before `BrowseQuery.due_until`."""

    NEW = "new"
    LEARNING = "learning"
    DUE = "due"
    SUSPENDED = "suspended"
    FLAGGED = "flagged"


class SortColumn(enum.StrEnum):
    DECK = "deck"
    TYPE = "type"
    HEADLINE = "headline"
    TECHNIQUE = "technique"
    DUE = "due"
    LAPSES = "lapses"
    POSITION = "position"  # deck order, then file order: how a deck reads


# The whitelist: each sort column as an ORDER BY expression. `card.id` is appended to every
# order so that equal keys page in a stable order and no row is shown twice or skipped.
_ORDER: dict[SortColumn, tuple[str, ...]] = {
    SortColumn.DECK: (
        "(SELECT title FROM deck WHERE deck.id = card.deck_id) COLLATE NOCASE",
        "card.deck_id",
        "card.position",
    ),
    SortColumn.TYPE: ("card.type",),
    SortColumn.HEADLINE: ("card.headline COLLATE NOCASE",),
    SortColumn.TECHNIQUE: ("coalesce(card.technique, '')",),
    # Scheduled cards by due date, then new cards in study order, then cards that never come up.
    SortColumn.DUE: (
        "(card.suspended OR card.retired)",
        f"(card.state = {int(CardState.NEW)})",
        "card.due_ms",
        "card.deck_id",
        "card.position",
    ),
    SortColumn.LAPSES: ("card.lapses",),
    SortColumn.POSITION: ("card.deck_id", "card.position"),
}

_CHUNK = 10_000  # ids per IN (...) list: well under SQLite's bound-parameter limit

# Keys of a card object whose values are bookkeeping, not text the learner wrote.
_NOT_TEXT = ("id", "type")


@dataclass(frozen=True)
class BrowseQuery:
    """What the browser shows.

    :param search: a substring of the headline or of any text of the card, any case.
    :param deck_id: one deck, or None for all.
    :param card_type: "drill", "basic", "choice", or None for all.
    :param state: a StateFilter value, or None for all cards.
    :param due_until: the end of "due" (the next study day's start); None means now.
    """

    search: str = ""
    deck_id: int | None = None
    card_type: str | None = None
    state: StateFilter | None = None
    sort_column: SortColumn = SortColumn.POSITION
    descending: bool = False
    due_until: datetime | None = None


@dataclass(frozen=True)
class BrowseRow:
    """One line of the browser: what the table shows, without the card's full content."""

    id: int
    deck_id: int
    deck_title: str
    type: str
    headline: str
    technique: str | None
    state: CardState
    due: datetime | None  # UTC; None for a new card
    suspended: bool
    retired: bool
    lapses: int
    buried: bool = False  # until the next study day
    flag: int = 0


def _like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with LIKE's wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(query: BrowseQuery) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query.deck_id is not None:
        clauses.append("card.deck_id = ?")
        params.append(query.deck_id)
    if query.card_type:
        clauses.append("card.type = ?")
        params.append(query.card_type)
    state = StateFilter(query.state) if query.state else None
    # The shared conditions name card's columns unqualified: `card` is the only table here
    # with those names (json_tree's below has none of them).
    if state is StateFilter.NEW:
        clauses.append(f"{NEW} AND {LIVE}")
    elif state is StateFilter.LEARNING:
        clauses.append(f"{IN_LEARNING} AND {LIVE}")
    elif state is StateFilter.DUE:
        clauses.append(f"{SCHEDULED_DUE_BEFORE} AND {LIVE}")
        due_until = query.due_until if query.due_until is not None else datetime.now(UTC)
        params.append(int(due_until.timestamp() * 1000))
    elif state is StateFilter.SUSPENDED:
        clauses.append("card.suspended = 1")
    elif state is StateFilter.FLAGGED:
        clauses.append("card.flag <> 0")
    needle = query.search.strip()
    if needle.startswith("id:") and " " not in needle:
        # One card by its stable id, as Review's "Open in Browse" asks for it.
        clauses.append("card.key = ?")
        params.append(needle[3:])
        needle = ""
    if needle:
        # The stored content is JSON (written with ensure_ascii=False), so a quote or backslash
        # in the search appears escaped there. A cheap LIKE on the raw JSON rules out most cards;
        # json_tree then checks that the match is in a text value, not in a key such as
        # "situation" or a bookkeeping value such as the type "drill".
        in_json = json.dumps(needle, ensure_ascii=False)[1:-1]
        not_text = ", ".join("?" for _ in _NOT_TEXT)
        clauses.append(
            "(card.headline LIKE ? ESCAPE '\\' OR (card.content LIKE ? ESCAPE '\\' AND EXISTS ("
            "SELECT 1 FROM json_tree(card.content) AS j WHERE j.type = 'text' "
            f"AND coalesce(j.key, '') NOT IN ({not_text}) AND j.value LIKE ? ESCAPE '\\')))"
        )
        pattern = _like_pattern(needle)
        params += [pattern, _like_pattern(in_json), *_NOT_TEXT, pattern]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count(store: Store, query: BrowseQuery) -> int:
    """How many cards the query matches."""
    where, params = _where(query)
    row = store._db.execute(f"SELECT count(*) FROM card{where}", params).fetchone()
    return int(row[0])


def ids(store: Store, query: BrowseQuery, offset: int, limit: int) -> list[int]:
    """The card ids on rows `offset` .. `offset + limit - 1`, in the query's sort order.

    Bulk actions on a selection read its row ranges here instead of page by page.
    """
    where, params = _where(query)
    direction = " DESC" if query.descending else ""
    order = ", ".join(f"{expr}{direction}" for expr in _ORDER[SortColumn(query.sort_column)])
    rows = store._db.execute(
        f"SELECT card.id FROM card{where} ORDER BY {order}, card.id{direction} LIMIT ? OFFSET ?",
        [*params, max(0, limit), max(0, offset)],
    ).fetchall()
    return [int(r[0]) for r in rows]


def page(store: Store, query: BrowseQuery, offset: int, limit: int) -> list[BrowseRow]:
    """The rows `offset` .. `offset + limit - 1` of the query, in its sort order."""
    # Sort the narrow id list first and read full rows only for the page: a sort over wide
    # rows (or over a join, which makes SQLite walk the table in index order) is several
    # times slower on a large collection.
    row_ids = ids(store, query, offset, limit)
    if not row_ids:
        return []
    marks = ", ".join("?" for _ in row_ids)
    rows = store._db.execute(
        "SELECT card.id, card.deck_id, deck.title, card.type, card.headline, card.technique, "
        "card.state, card.due_ms, card.suspended, card.retired, card.lapses, card.flag "
        f"FROM card JOIN deck ON deck.id = card.deck_id WHERE card.id IN ({marks})",
        row_ids,
    ).fetchall()
    by_id = {
        int(r[0]): BrowseRow(
            id=int(r[0]),
            deck_id=int(r[1]),
            deck_title=str(r[2]),
            type=str(r[3]),
            headline=str(r[4]),
            technique=r[5],
            state=CardState(r[6]),
            due=None if r[7] is None else datetime.fromtimestamp(r[7] / 1000, tz=UTC),
            suspended=r[8] == 1,
            retired=bool(r[9]),
            lapses=int(r[10]),
            buried=r[8] == 2,
            flag=int(r[11]),
        )
        for r in rows
    }
    return [by_id[i] for i in row_ids if i in by_id]


def decks(store: Store) -> list[tuple[int, str]]:
    """Every deck as (id, title), in deck-list order, for the deck filter and the editor."""
    rows = store._db.execute("SELECT id, title FROM deck ORDER BY id").fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


def suspended_share(store: Store, card_ids: Sequence[int]) -> tuple[int, int]:
    """(how many of these cards are suspended, how many of them exist)."""
    suspended = total = 0
    for start in range(0, len(card_ids), _CHUNK):
        chunk = list(card_ids[start : start + _CHUNK])
        marks = ", ".join("?" for _ in chunk)
        row = store._db.execute(
            f"SELECT coalesce(sum(suspended = 1), 0), count(*) FROM card WHERE id IN ({marks})",
            chunk
        ).fetchone()
        suspended, total = suspended + int(row[0]), total + int(row[1])
    return suspended, total


def key_exists(store: Store, deck_id: int, key: str) -> bool:
    """Whether a deck already has a card with this stable key (keys are unique per deck)."""
    row = store._db.execute(
        "SELECT 1 FROM card WHERE deck_id = ? AND key = ?", [deck_id, key]
    ).fetchone()
    return row is not None
