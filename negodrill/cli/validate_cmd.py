"""`negodrill validate FILE [FILE ...]`: the deck author's check before sharing a deck.

One line per problem, `FILE: card ID: message`, or `FILE: ok (N cards)` for a clean deck. Schema
problems are errors. What the coach disagrees with (a reference it rejects, a pitfall it
accepts, a conversation turn's model it does not read as a wanted move) is a warning for a
learner's own deck and an error with `--strict`, which the built-in decks use; `--strict` also
asks for what a built-in deck has (levels, the counterpart's replies, notes, mislabel readings).
The exit status is 1 when any file has an error or cannot be read, else 0, so it fits in CI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from negodrill.core.errors import DeckError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `validate` subcommand to the CLI's subparsers."""
    parser = subparsers.add_parser(
        "validate",
        help="check deck files against the schema and the coach",
        description=(
            "Check .negodeck / .negodeck.json files: the deck schema, unique ids, and that the "
            "coach accepts every reference rewrite and rejects every pitfall."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path, help="a deck file")
    parser.add_argument("--strict", action="store_true",
                        help="what the coach disagrees with is an error, not a warning, and "
                        "every card needs what a built-in deck has (levels, replies, notes)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate each file in turn; an unreadable file is reported and the next one checked."""
    from negodrill.deckio.reader import read_deck_json
    from negodrill.deckio.validate import coach_problems, course_problems, schema_problems

    failed = False
    for path in args.files:
        try:
            doc = read_deck_json(path)
        except DeckError as exc:
            sys.stdout.flush()  # keep the error in order with the lines already printed
            print(f"error: {exc}", file=sys.stderr)
            failed = True
            continue
        errors = schema_problems(doc)
        warnings = [] if errors else coach_problems(doc)
        if args.strict:
            errors, warnings = errors + warnings + (course_problems(doc) if not errors else []), []
        for problem in errors:
            where = f"card {problem.card_id}: " if problem.card_id else ""
            print(f"{path}: {where}{problem.message}")
        for problem in warnings:
            where = f"card {problem.card_id}: " if problem.card_id else ""
            print(f"{path}: warning: {where}{problem.message}")
        if errors:
            failed = True
        else:
            note = f", {len(warnings)} warning{'s' * (len(warnings) != 1)}" if warnings else ""
            print(f"{path}: ok ({len(doc['cards'])} cards{note})")
    return 1 if failed else 0
