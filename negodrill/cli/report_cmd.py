"""`negodrill report FILE`: the progress report as HTML, PDF or CSV (format from the suffix)."""

from __future__ import annotations

import argparse
from datetime import date

from negodrill.reports.exporting import REPORT_FORMATS  # light: no Qt, no matplotlib, no SQL


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "report", help="write a progress report: HTML, PDF, or CSV with one row per review",
        description="Write a progress report: reviews per day, streaks, retention, mastery, the "
        "habit (first answers the coach accepted, week by week, and the flaws it found), the "
        "hardest cards, the next 30 days and calibration. HTML and PDF hold the figures and "
        "charts; CSV holds one row per review for a spreadsheet.",
    )
    p.add_argument("file", metavar="FILE",
                   help="where to write; the format follows the suffix (.html, .pdf, .csv)")
    p.add_argument("--format", choices=REPORT_FORMATS, help="the format, whatever the suffix")
    p.add_argument("--deck", metavar="DECK",
                   help="only this deck: title, number (see `decks`) or UUID")
    p.add_argument("--since", metavar="YYYY-MM-DD", type=_day,
                   help="only study days from this date on (default: all time)")
    p.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from negodrill.cli import printable
    from negodrill.cli.collection_cmds import opened
    from negodrill.reports.exporting import export_report, report_format

    path = Path(args.file)
    kind = report_format(path, args.format)  # a bad name fails before the database opens
    with opened(args) as store:
        deck_ids = [store.find_deck(args.deck)] if args.deck else None
        done = export_report(store, path, format=kind, deck_ids=deck_ids, since=args.since)
    print(printable(done.describe()))
    return 0
