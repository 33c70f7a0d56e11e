"""`negodrill deck create TITLE`, `deck rename DECK TITLE`, `deck delete DECK [--yes]`."""

from __future__ import annotations

import argparse
import sys

from negodrill.core.errors import NegodrillError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("deck", help="create, rename or delete a deck",
                              description="Make a deck of your own, rename one, or delete one "
                              "with its cards; their reviews stay in your progress, as Anki "
                              "keeps them.")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="a new empty deck")
    create.add_argument("title", metavar="TITLE")
    create.set_defaults(func=run_create)
    rename = actions.add_parser("rename", help="give a deck a new title")
    rename.add_argument("deck", metavar="DECK", help="deck title, number (see `decks`) or UUID")
    rename.add_argument("title", metavar="TITLE")
    rename.set_defaults(func=run_rename)
    delete = actions.add_parser(
        "delete", help="delete a deck and its cards (their reviews stay in your progress)",
        description="Asks first on a terminal; without a terminal it needs --yes.")
    delete.add_argument("deck", metavar="DECK", help="deck title, number (see `decks`) or UUID")
    delete.add_argument("--yes", action="store_true", help="do not ask")
    delete.set_defaults(func=run_delete)


def run_create(args: argparse.Namespace) -> int:
    from negodrill.cli.collection_cmds import opened
    from negodrill.deckio.deck_admin import create_deck

    with opened(args, writes=True) as store:
        deck_id = create_deck(store, args.title)
        print(f'created deck {deck_id}: "{store.deck(deck_id)["title"]}"')
    return 0


def run_rename(args: argparse.Namespace) -> int:
    from negodrill.cli.collection_cmds import opened
    from negodrill.deckio.deck_admin import rename_deck

    with opened(args, writes=True) as store:
        deck_id = store.find_deck(args.deck)
        old = store.deck(deck_id)["title"]
        new = rename_deck(store, deck_id, args.title)
    print(f'renamed "{old}" to "{new}"')
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from negodrill.cli.collection_cmds import opened
    from negodrill.deckio.deck_admin import cards_in, delete_deck

    with opened(args, writes=True) as store:
        deck_id = store.find_deck(args.deck)
        title, cards = store.deck(deck_id)["title"], cards_in(store, deck_id)
        what = f'"{title}" and its {cards} card{"s" * (cards != 1)}'
        if not args.yes:
            if not sys.stdin.isatty():
                raise NegodrillError(f"deleting {what} needs --yes when there is no terminal "
                                     "to ask on")
            answer = input(f"Delete {what}? [y/N] ").strip().lower()
            if answer not in ("y", "yes"):
                print("nothing deleted")
                return 0
        delete_deck(store, deck_id)
    print(f"deleted {what} (their reviews stay in your progress)")
    return 0
