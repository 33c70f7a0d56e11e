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
from negodrill.deckio.exporting import EXPORT_FORMATS

if TYPE_CHECKING:
    from negodrill.storage.store import Store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("decks", help="list the decks with new and due counts")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_decks)

    p = subparsers.add_parser("stats", help="figures about your study")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_stats)

    p = subparsers.add_parser(
        "import", help="import deck files: negodrill decks, Anki packages (.apkg, .colpkg), "
        "Anki text files and CSV/TSV")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--no-history", action="store_true",
                   help="leave out the review history a file carries")
    p.add_argument("--dry-run", action="store_true",
                   help="say what the import would do, and write nothing")
    p.set_defaults(func=run_import)

    p = subparsers.add_parser("export", help="export a deck: .negodeck, .negodeck.json, "
                              "Anki .apkg or Anki text .tsv")
    p.add_argument("deck", metavar="DECK", help="deck title, number (see `decks`) or UUID")
    p.add_argument("file", metavar="FILE", help="where to write; the format follows the suffix")
    p.add_argument("--format", choices=EXPORT_FORMATS, help="the format, whatever the suffix")
    p.add_argument("--with-history", action="store_true",
                   help="include your review history (leave it out for decks you share)")
    p.set_defaults(func=run_export)

    p = subparsers.add_parser(
        "check", help="check the database and card states",
        description="SQLite's quick check and every card's state against its review log "
        "(about a second on a million reviews); --full adds SQLite's whole integrity check, "
        "the foreign keys, the review tally summed afresh (seconds) and each deck's card count.")
    p.add_argument("--full", action="store_true",
                   help="also the whole integrity check, foreign keys, the review tally and "
                   "the decks' card counts")
    p.set_defaults(func=run_check)


@contextmanager
def opened(args: argparse.Namespace, *, writes: bool = False) -> Iterator[Store]:
    """The collection for one command. One that `writes` checks the database first (SQLite's
    quick check, about 0.4 s on 100,000 cards): a damaged one is never written to, and the
    newest backup is named instead."""
    from negodrill import paths
    from negodrill.cli import data_dir
    from negodrill.deckio.library import open_library

    folder = data_dir(args)
    database = paths.database_path(folder)
    if writes and database.is_file():
        from negodrill.storage import datadir

        problems = datadir.quick_check(database)
        if problems:
            raise datadir.damaged(database, problems[0])
    store = open_library(folder)
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
    habit = stats["habit_accepted_share_this_week"]
    lines = [
        ("decks", stats["decks"]),
        ("cards", stats["cards"]),
        ("new (not yet studied)", stats["new_unseen"]),
        ("new today", stats["new"]),
        ("due today", stats["due"]),
        ("reviews (all time)", stats["reviews"]),
        ("reviews today", stats["reviews_today"]),
        ("streak", f"{stats['streak_days']} day(s), best {stats['best_streak_days']}"),
        # True retention counts answers on cards in review state only: say so, not "no reviews".
        ("retention (review cards)", "no answers on review cards yet" if retention is None
         else f"{retention:.0%}"),
        ("accepted this week", "no drill answers yet" if habit is None else
         f"{habit:.0%} of {stats['habit_first_answers_this_week']} first answers"),
    ]
    width = max(len(name) for name, _ in lines) + 2
    for name, value in lines:
        print(f"{name:<{width}}{value}")
    for sentence in stats["habit_headline"]:
        print(sentence)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from negodrill.cli import error_line, printable
    from negodrill.deckio.importing import import_file

    failed = False
    with opened(args, writes=not args.dry_run) as store:
        for name in args.files:
            path = Path(name)
            try:
                report = import_file(store, path, dry_run=args.dry_run,
                                     with_history=not args.no_history)
            except NegodrillError as exc:
                failed = True
                message = str(exc)
                if not message.startswith((path.name, str(path))):
                    message = f"{path.name}: {message}"
                print(error_line(message), file=sys.stderr)
                continue
            print(printable(report.summary_line()))
            for line in [*report.conflict_lines(), *(f"note: {n}" for n in report.notes)]:
                print(f"  {printable(line)}")
    return 1 if failed else 0


def run_export(args: argparse.Namespace) -> int:
    from negodrill.deckio.exporting import export_deck_file

    with opened(args) as store:
        deck_id = store.find_deck(args.deck)
        done = export_deck_file(store, deck_id, Path(args.file), format=args.format,
                                with_history=args.with_history)
    print(done.describe())
    return 0


def run_check(args: argparse.Namespace) -> int:
    with opened(args) as store:
        problems = store.integrity_problems(full=args.full)
    if problems:
        for line in problems[:-1]:
            print(line, file=sys.stderr)
        raise NegodrillError(f"{len(problems)} problem(s) found: {problems[-1]}")
    print("ok: the database is healthy and every card agrees with its review log")
    return 0
