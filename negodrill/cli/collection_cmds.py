"""The collection commands: decks, stats, import, export, check."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from negodrill.core.errors import NegodrillError

if TYPE_CHECKING:
    from negodrill.storage.store import Store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("decks", help="list the decks with new and due counts")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_decks)

    p = subparsers.add_parser("stats", help="figures about your study")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_stats)

    p = subparsers.add_parser("import", help="import deck files (.negodeck, .negodeck.json)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=run_import)

    p = subparsers.add_parser("export", help="export a deck to a .negodeck.json or .negodeck file")
    p.add_argument("deck", metavar="DECK", help="deck title, number (see `decks`) or UUID")
    p.add_argument("file", metavar="FILE", help="where to write; .negodeck makes a zip package")
    p.set_defaults(func=run_export)

    p = subparsers.add_parser("check", help="check the database and card states")
    p.set_defaults(func=run_check)


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Store]:
    from negodrill.cli import data_dir
    from negodrill.deckio.library import open_library

    store = open_library(data_dir(args))
    try:
        yield store
    finally:
        store.close()


def run_decks(args: argparse.Namespace) -> int:
    from negodrill.reports.figures import deck_rows

    with opened(args) as store:
        rows = deck_rows(store)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print("No decks yet: import one with `negodrill import FILE`.")
        return 0
    width = max(len(r["title"]) for r in rows)
    print(f"{'#':>3}  {'deck':<{width}}  {'new':>5}  {'due':>5}  {'cards':>6}")
    for r in rows:
        print(f"{r['id']:>3}  {r['title']:<{width}}  {r['new']:>5}  {r['due']:>5}  {r['cards']:>6}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from negodrill.reports.figures import collect_stats

    with opened(args) as store:
        stats = collect_stats(store)
    if args.json:
        print(json.dumps(stats))
        return 0
    retention = stats["retention"]
    lines = [
        ("decks", stats["decks"]),
        ("cards", stats["cards"]),
        ("new (not yet studied)", stats["new"]),
        ("due today", stats["due"]),
        ("reviews (all time)", stats["reviews"]),
        ("reviews today", stats["reviews_today"]),
        ("streak", f"{stats['streak_days']} day(s)"),
        ("retention", "no reviews yet" if retention is None else f"{retention:.0%}"),
    ]
    for name, value in lines:
        print(f"{name:<24}{value}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from negodrill.deckio.importing import import_file

    paths = [Path(f) for f in args.files]
    for path in paths:  # checked before anything is written
        if not path.is_file():
            raise NegodrillError(f"{path}: no such file" if not path.exists() else
                                 f"{path}: is not a file")
    failed = False
    with opened(args) as store:
        for path in paths:
            try:
                result = import_file(store, path)
            except NegodrillError as exc:
                failed = True
                print(f"error: {exc}", file=sys.stderr)
                continue
            print(f"imported {path.name}: {result.describe()}")
    return 1 if failed else 0


def run_export(args: argparse.Namespace) -> int:
    from negodrill.deckio.native import export_deck

    with opened(args) as store:
        deck_id = store.find_deck(args.deck)
        count = export_deck(store, deck_id, Path(args.file))
        title = store.deck(deck_id)["title"]
    print(f'exported "{title}" ({count} cards) to {args.file}')
    return 0


def run_check(args: argparse.Namespace) -> int:
    with opened(args) as store:
        problems = store.integrity_problems()
    if problems:
        for line in problems[:-1]:
            print(line, file=sys.stderr)
        raise NegodrillError(f"{len(problems)} problem(s) found: {problems[-1]}")
    print("ok: the database is healthy and every card agrees with its review log")
    return 0
