"""Time the card browser's queries on a 100,000-card collection.

    .venv/bin/python benchmarks/bench_browse.py [--cards 100000]

Builds the collection in a temporary directory (one bulk transaction), then times what the
browser does: count the matches, fetch the first page, search, sort, and a deep page.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from negodrill.core.cards import content_hash, headline
from negodrill.storage import browse
from negodrill.storage.browse import BrowseQuery, SortColumn, StateFilter
from negodrill.storage.store import Store

PAGE = 200
ASKS = [
    "Do you have a few minutes to talk about {}?",
    "Can we agree on {} today?",
    "Would you be open to {}?",
    "Is it okay if we discuss {}?",
]
TOPICS = [
    "the cleaning contract", "a raise", "the delivery date", "the rent", "a discount",
    "the budget", "your roadmap", "the renewal", "a trial period", "the invoice",
]  # fmt: skip


def _card(i: int, rng: random.Random) -> dict[str, Any]:
    topic = f"{rng.choice(TOPICS)} #{i}"
    kind = ("drill", "drill", "basic", "choice")[i % 4]
    card: dict[str, Any] = {"id": f"bench-{i}", "type": kind, "rev": 1, "tags": ["bench"]}
    if kind == "drill":
        card |= {
            "situation": f"You call a supplier about {topic}; they sound busy.",
            "prompt": rng.choice(ASKS).format(topic),
            "technique": rng.choice(("no-question", "mislabel")),
            "rewrites": [f"Is now a bad time to talk about {topic}?"],
            "pitfalls": [{"text": f"Is this a good time for {topic}?", "why": "Still a yes."}],
        }
    elif kind == "basic":
        card |= {"front": f"What does a 'no' about {topic} give them?", "back": "Control."}
    else:
        card |= {
            "question": f"Which question about {topic} is no-oriented?",
            "options": [
                {"id": "a", "text": f"Can we talk about {topic}?"},
                {"id": "b", "text": f"Would it be a bad idea to talk about {topic}?",
                 "correct": True},
            ],
        }
    return card


def build(store: Store, cards: int) -> None:
    rng = random.Random(7)
    now_ms = int(time.time() * 1000)
    day = 86_400_000
    with store.atomic():
        deck_ids = [
            store.insert_deck(uuid=f"00000000-0000-4000-8000-{d:012d}", title=f"Bench deck {d}",
                              revision=1, source="local", now=datetime.now(UTC))
            for d in range(10)
        ]
        rows = []
        for i in range(cards):
            data = _card(i, rng)
            state = rng.choice((0, 0, 1, 2, 2, 2, 3))
            due = None if state == 0 else now_ms + rng.randint(-30, 60) * day
            rows.append((
                deck_ids[i % 10], data["id"], i // 10, data["type"],
                json.dumps(data, ensure_ascii=False), content_hash(data), headline(data),
                data.get("technique"), " bench ", state, due, rng.randint(0, 5),
                int(rng.random() < 0.03), now_ms,
            ))  # fmt: skip
        store._db.conn.executemany(
            "INSERT INTO card (deck_id, key, position, type, content, content_hash, headline, "
            "technique, tags, state, due_ms, lapses, suspended, modified_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def timed(label: str, fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = fn()
    ms = (time.perf_counter() - start) * 1000
    size = result if isinstance(result, int) else len(result)
    print(f"{label:<44} {ms:8.1f} ms   ({size} rows)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.sqlite3")
        start = time.perf_counter()
        build(store, args.cards)
        print(f"built {args.cards} cards in {(time.perf_counter() - start):.1f} s\n")
        q = BrowseQuery()
        total = timed("count(), all cards", lambda: browse.count(store, q))
        timed("first page, deck order", lambda: browse.page(store, q, 0, PAGE))
        timed("last page, deck order", lambda: browse.page(store, q, total - PAGE, PAGE))
        s = BrowseQuery(search="renewal #4")
        timed("count(), search 'renewal #4'", lambda: browse.count(store, s))
        timed("first page, search 'renewal #4'", lambda: browse.page(store, s, 0, PAGE))
        s2 = BrowseQuery(search="supplier")  # only in the situation text: the json_tree path
        timed("count(), search 'supplier' (body text)", lambda: browse.count(store, s2))
        timed("first page, search 'supplier'", lambda: browse.page(store, s2, 0, PAGE))
        none = BrowseQuery(search="zzz-no-such-text")
        timed("count(), search with no match", lambda: browse.count(store, none))
        srt = BrowseQuery(sort_column=SortColumn.HEADLINE, descending=True)
        timed("first page, sort by prompt desc", lambda: browse.page(store, srt, 0, PAGE))
        timed("page at 50,000, sort by prompt", lambda: browse.page(store, srt, 50_000, PAGE))
        due = BrowseQuery(sort_column=SortColumn.DUE)
        timed("first page, sort by due", lambda: browse.page(store, due, 0, PAGE))
        deck = BrowseQuery(sort_column=SortColumn.DECK)
        timed("first page, sort by deck title", lambda: browse.page(store, deck, 0, PAGE))
        flt = BrowseQuery(deck_id=3, card_type="drill", state=StateFilter.DUE)
        timed("count(), deck + drill + due filter", lambda: browse.count(store, flt))
        timed("first page, deck + drill + due filter", lambda: browse.page(store, flt, 0, PAGE))
        store.close()


if __name__ == "__main__":
    main()
