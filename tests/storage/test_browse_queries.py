"""The browser's SQL: filters, search, sort whitelist and paging over the card table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from negodrill.storage import browse
from negodrill.storage.browse import BrowseQuery, SortColumn, StateFilter
from negodrill.storage.store import Store

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)
DAY = 86_400_000


def _drill(key: str, prompt: str, situation: str = "A call.", **extra: Any) -> dict[str, Any]:
    return {"id": key, "type": "drill", "situation": situation, "prompt": prompt,
            "technique": "no-question", "rewrites": ["Is now a bad time?"], **extra}


@pytest.fixture
def store() -> Store:
    store = Store.memory()
    with store.atomic():
        a = store.insert_deck(uuid="a", title="alpha", revision=1, source="local", now=NOW)
        b = store.insert_deck(uuid="b", title="Beta", revision=1, source="local", now=NOW)
        cards = [
            (a, _drill("d1", "Can we talk about a raise?", "Your annual review.")),
            (a, _drill("d2", "Do you have a minute?", 'He said "no" twice.')),
            (a, {"id": "b1", "type": "basic", "front": "What does NO give?", "back": "Control"}),
            (b, {"id": "c1", "type": "choice", "question": "Which is 100% no-oriented?",
                 "options": [{"id": "a", "text": "Is it a bad idea?", "correct": True},
                             {"id": "b", "text": "Can we?"}]}),
            (b, _drill("d3", "Would you sign today?", "A_b test with 50% off.")),
        ]
        for deck, data in cards:
            store.insert_card(deck, data, position=store.next_position(deck), now=NOW)
        # d1 due yesterday (review), d2 learning due in an hour, c1 suspended, d3 review later.
        store._db.execute("UPDATE card SET state = 2, due_ms = ?, lapses = 3 WHERE key = 'd1'",
                         [NOW_MS - DAY])
        store._db.execute("UPDATE card SET state = 1, due_ms = ?, lapses = 1 WHERE key = 'd2'",
                         [NOW_MS + 3_600_000])
        store._db.execute("UPDATE card SET suspended = 1 WHERE key = 'c1'")
        store._db.execute("UPDATE card SET state = 2, due_ms = ? WHERE key = 'd3'",
                         [NOW_MS + 10 * DAY])
    return store


def _keys(store: Store, query: BrowseQuery) -> list[str]:
    rows = browse.page(store, query, 0, 100)
    assert browse.count(store, query) == len(rows)
    return [store.card(r.id).key for r in rows]


def test_all_cards_in_deck_order(store: Store) -> None:
    assert _keys(store, BrowseQuery()) == ["d1", "d2", "b1", "c1", "d3"]
    row = browse.page(store, BrowseQuery(), 0, 1)[0]
    assert (row.deck_title, row.type, row.headline, row.lapses) == (
        "alpha", "drill", "Can we talk about a raise?", 3)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("RAISE", ["d1"]),                 # headline, any case
        ("annual review", ["d1"]),         # situation text
        ('"no"', ["d2"]),                  # quotes are escaped inside the stored JSON
        ("100%", ["c1"]),                  # % is literal, not a wildcard
        ("a_b", ["d3"]),                   # _ is literal too
        ("bad idea", ["c1"]),              # option text
        ("situation", []),                 # a key of the JSON, not text
        ("drill", []),                     # the type value is bookkeeping
        ("  minute  ", ["d2"]),            # surrounding spaces ignored
        ("'; DROP TABLE card; --", []),
    ],
)  # fmt: skip
def test_search(store: Store, search: str, expected: list[str]) -> None:
    assert _keys(store, BrowseQuery(search=search)) == expected
    assert browse.count(store, BrowseQuery()) == 5


def test_filters(store: Store) -> None:
    beta = browse.decks(store)[1][0]
    assert _keys(store, BrowseQuery(deck_id=beta)) == ["c1", "d3"]
    assert _keys(store, BrowseQuery(card_type="drill")) == ["d1", "d2", "d3"]
    assert _keys(store, BrowseQuery(state=StateFilter.NEW)) == ["b1"]
    assert _keys(store, BrowseQuery(state=StateFilter.LEARNING)) == ["d2"]
    assert _keys(store, BrowseQuery(state=StateFilter.SUSPENDED)) == ["c1"]
    due = BrowseQuery(state=StateFilter.DUE, due_until=NOW + timedelta(hours=2))
    assert _keys(store, due) == ["d1", "d2"]
    both = BrowseQuery(deck_id=beta, card_type="drill", state=StateFilter.DUE,
                       due_until=NOW + timedelta(days=11))
    assert _keys(store, both) == ["d3"]


def test_sorting(store: Store) -> None:
    by = SortColumn
    assert _keys(store, BrowseQuery(sort_column=by.HEADLINE)) == ["d1", "d2", "b1", "c1", "d3"]
    assert _keys(store, BrowseQuery(sort_column=by.LAPSES, descending=True))[:2] == ["d1", "d2"]
    assert _keys(store, BrowseQuery(sort_column=by.DECK, descending=True))[:2] == ["d3", "c1"]
    # Scheduled by due date, then new, then the suspended card.
    assert _keys(store, BrowseQuery(sort_column=by.DUE)) == ["d1", "d2", "d3", "b1", "c1"]
    assert _keys(store, BrowseQuery(sort_column=by.TYPE))[0] == "b1"
    with pytest.raises(ValueError, match="not a valid SortColumn"):
        browse.page(store, BrowseQuery(sort_column="headline; DROP TABLE card"), 0, 10)  # type: ignore[arg-type]


def test_paging_is_complete_and_stable() -> None:
    store = Store.memory()
    with store.atomic():
        deck = store.insert_deck(uuid="p", title="paged", revision=1, source="local", now=NOW)
        for i in range(1, 1001):
            # Few distinct prompts: the id tie-break must keep pages disjoint.
            data = _drill(f"k{i}", f"Prompt {i % 7}")
            store.insert_card(deck, data, position=i, now=NOW)
    for column in SortColumn:
        for descending in (False, True):
            query = BrowseQuery(sort_column=column, descending=descending)
            ids = [r.id for off in range(0, 1000, 64) for r in browse.page(store, query, off, 64)]
            assert len(ids) == len(set(ids)) == browse.count(store, query) == 1000
    assert browse.page(store, BrowseQuery(), 2000, 10) == []


def test_ids_and_suspended_share(store: Store) -> None:
    query = BrowseQuery(sort_column=SortColumn.HEADLINE, descending=True)
    assert browse.ids(store, query, 1, 3) == [r.id for r in browse.page(store, query, 1, 3)]
    every = browse.ids(store, BrowseQuery(), 0, 100)
    assert browse.suspended_share(store, every) == (1, 5)
    assert browse.suspended_share(store, []) == (0, 0)


def test_key_exists(store: Store) -> None:
    alpha = browse.decks(store)[0][0]
    assert browse.key_exists(store, alpha, "d1")
    assert not browse.key_exists(store, alpha, "c1")
