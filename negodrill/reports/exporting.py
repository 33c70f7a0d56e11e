"""One door for the progress report: HTML, PDF or CSV, the format from the file's suffix unless
it is given. `negodrill report FILE` and File > Export progress report… both come here.

Every format is written beside the target and renamed into place, so a failure or a cancel
leaves no half-written file (a small copy of deckio's helper: reports cannot import deckio).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from negodrill.core.errors import NegodrillError
from negodrill.core.files import write_atomically
from negodrill.core.progress import CancelToken, Progress, no_progress

if TYPE_CHECKING:
    from negodrill.core.studyday import Today
    from negodrill.storage.store import Store

REPORT_FORMATS = ("html", "pdf", "csv")
FORMAT_NAMES = {
    "html": "Web page (*.html *.htm)",
    "pdf": "PDF document (*.pdf)",
    "csv": "CSV spreadsheet, one row per review (*.csv)",
}
_SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf", ".csv": "csv"}


class ReportError(NegodrillError):
    """A report that cannot be written: a bad name, format, or place."""


def report_format(path: Path, given: str | None = None) -> str:
    """The report format: the one given, else the one the file's name ends in."""
    if given:
        if given not in REPORT_FORMATS:
            raise ReportError(f'"{given}" is not a report format; use one of '
                              f"{', '.join(REPORT_FORMATS)}")
        return given
    kind = _SUFFIXES.get(Path(path).suffix.lower())
    if kind is None:
        raise ReportError(f"{path}: the name does not say which format to write; end it in "
                          ".html, .pdf or .csv, or choose a format")
    return kind


@dataclass(frozen=True)
class ReportDone:
    path: Path
    format: str
    size: int  # bytes written
    reviews: int  # reviews in the report (CSV: rows)

    def describe(self) -> str:
        kind = {"html": "HTML", "pdf": "PDF", "csv": "CSV"}[self.format]
        unit = "row" if self.format == "csv" else "review"
        return (f"wrote the progress report ({kind}, {self.reviews:,} {unit}"
                f"{'' if self.reviews == 1 else 's'}, {_size(self.size)}) to {self.path}")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


@dataclass(frozen=True)
class ReportMeta:
    """What the report says about itself: whose, which decks, which period."""

    learner: str
    decks: tuple[str, ...]  # titles; empty: every deck
    since: date | None


def report_meta(store: Store, deck_ids: Sequence[int] | None, since: date | None) -> ReportMeta:
    name = store.setting("learner_name", "")
    titles = tuple(str(store.deck(d)["title"]) for d in deck_ids) if deck_ids else ()
    return ReportMeta(learner=str(name).strip() if isinstance(name, str) else "",
                      decks=titles, since=since)


def export_report(
    store: Store, path: Path, *, format: str | None = None,
    deck_ids: Sequence[int] | None = None, since: date | None = None,
    today: Today | None = None, progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ReportDone:
    """Write the progress report of `deck_ids` (None: all) since `since` (None: all time)."""
    kind = report_format(path, format)
    cancel = cancel or CancelToken()
    decks = list(deck_ids) if deck_ids is not None else None
    meta = report_meta(store, decks, since)
    if kind == "csv":
        from negodrill.reports import csv_report
        from negodrill.reports.progress import today_for

        day = today or today_for(store)
        rows = [0]

        def write_csv(out: BinaryIO) -> None:
            rows[0] = csv_report.write_csv(store, out, today=day, deck_ids=decks, since=since,
                                           progress=progress, cancel=cancel)

        size = write_atomically(path, write_csv, error=ReportError)
        return ReportDone(Path(path), kind, size, rows[0])
    from negodrill.reports.progress import collect_progress

    progress(0, 0, "collecting the figures")
    report = collect_progress(store, today=today, deck_ids=decks, since=since)
    cancel.check()
    if kind == "html":
        from negodrill.reports.html_report import render_html

        data = render_html(report, meta).encode("utf-8")
    else:
        from negodrill.reports.pdf import render_pdf

        progress(0, 0, "drawing the pages")
        data = render_pdf(report, meta)
    cancel.check()
    def write_bytes(out: BinaryIO) -> None:
        out.write(data)

    size = write_atomically(path, write_bytes, error=ReportError)
    return ReportDone(Path(path), kind, size, report.total_reviews)
