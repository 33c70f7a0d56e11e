"""The progress report's formats on a real history: HTML (safe, standalone), PDF, CSV."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from negodrill.core.errors import NegodrillError
from negodrill.core.models import Grade, Review
from negodrill.core.scheduling import Scheduler
from negodrill.core.studyday import Today
from negodrill.reports import csv_report
from negodrill.reports.exporting import export_report, report_format
from negodrill.storage.store import Store

HOSTILE = "<script>alert(1)</script>"
CSP = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
       "style-src 'unsafe-inline'; img-src data:\">")
DAYS = 21
NOW = datetime(2026, 3, 20, 18, 0, tzinfo=UTC)


def make_history(store: Store, now: datetime, *, days: int = DAYS) -> int:
    """A deck with a hostile title and a hostile card, and `days` days of reviews on it and on
    six built-in cards, graded through the scheduler and saved with `save_review`. Returns the
    number of reviews."""
    hostile = store.insert_deck(uuid="00000000-0000-4000-8000-0000000000aa", title=HOSTILE,
                                revision=1, source="local", now=now)
    store.insert_card(hostile, {
        "id": "hostile-1", "type": "drill", "rev": 1, "technique": "no-question",
        "situation": "A supplier call.", "prompt": "<img src=x onerror=alert(2)> Can we talk?",
        "rewrites": ["Is now a bad time to talk?"]}, position=0, now=now)
    ids = [int(r[0]) for r in store._db.execute(
        "SELECT id FROM card WHERE type = 'drill' ORDER BY deck_id DESC, id LIMIT 4")]
    ids += [int(r[0]) for r in store._db.execute(
        "SELECT id FROM card WHERE type <> 'drill' ORDER BY id LIMIT 3")]
    scheduler = Scheduler(store.preset(), fuzz=False, local=UTC)
    start = now - timedelta(days=days - 1)
    count = 0
    for n, card_id in enumerate(ids):
        card = store.card(card_id)
        for day in range(0, days, 1 + n % 3):
            moment = start.replace(hour=9) + timedelta(days=day, minutes=3 * n)
            grade = (Grade.AGAIN, Grade.GOOD, Grade.GOOD, Grade.HARD, Grade.EASY)[(day + n) % 5]
            drill = n < 4
            flawed = drill and (day + n) % 3 == 0 and day < days // 2
            outcome = scheduler.outcome(card.id, card.schedule, grade, moment)
            review = Review(
                card_id=card.id, time=moment, grade=grade, duration_ms=4000 + 100 * day,
                answer=f"=Is it a bad idea, {HOSTILE}?" if drill else "b",
                correct=(not flawed) if drill else grade > Grade.AGAIN,
                coach_label=("yes_seeking" if flawed else "no_oriented") if drill else None,
                coach_flaws=("still_yes_seeking", "starts_with_I") if flawed else ())
            card = store.save_review(card, review, outcome.schedule)
            count += 1
    return count


@pytest.fixture
def history(tmp_path: Path) -> Iterator[tuple[Store, int]]:
    from negodrill.deckio.library import open_library

    store = open_library(tmp_path / "collection")
    count = make_history(store, NOW)
    store.set_setting("learner_name", "Ada <Lovelace>")
    yield store, count
    store.close()


def today() -> Today:
    return Today.at(NOW + timedelta(hours=2), 4, UTC)


def test_format_follows_the_suffix_unless_given(tmp_path: Path) -> None:
    assert report_format(tmp_path / "a.HTML") == "html"
    assert report_format(tmp_path / "a.htm") == "html"
    assert report_format(tmp_path / "a.pdf") == "pdf"
    assert report_format(tmp_path / "a.csv") == "csv"
    assert report_format(tmp_path / "a.txt", "csv") == "csv"
    with pytest.raises(NegodrillError, match="does not say which format"):
        report_format(tmp_path / "a.doc")
    with pytest.raises(NegodrillError, match="not a report format"):
        report_format(tmp_path / "a.html", "docx")


def test_html_is_standalone_safe_and_complete(history: tuple[Store, int],
                                              tmp_path: Path) -> None:
    store, count = history
    target = tmp_path / "report.html"
    done = export_report(store, target, today=today())
    assert done.format == "html"
    assert done.reviews == count
    text = target.read_text("utf-8")
    assert CSP in text
    assert "<svg" in text
    assert "<script" not in text.lower()
    assert "<img src=x" not in text  # the card headline stays text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(2)&gt;" in text
    assert "Ada &lt;Lovelace&gt;" in text
    assert not re.search(r"<(link|iframe|object|embed)\b", text)
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:|//)", text)
    for heading in ("Summary", "The habit", "Reviews per day", "Retention", "Mastery",
                    "Hardest cards", "Forecast", "Calibration"):
        assert f">{heading}" in text
    assert "@media print" in text
    assert f"<td align=\"right\">{count}</td>" in text  # the reviews in the summary
    assert "Still yes-seeking" in text


def test_html_of_an_empty_collection(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "empty.sqlite")
    try:
        export_report(store, tmp_path / "empty.html", today=today())
    finally:
        store.close()
    text = (tmp_path / "empty.html").read_text("utf-8")
    assert "No drill answers in this period yet." in text
    assert "<script" not in text


def test_pdf_opens_with_pages_and_figures(history: tuple[Store, int], tmp_path: Path,
                                          qapp: Any) -> None:
    from pypdf import PdfReader

    store, count = history
    target = tmp_path / "report.pdf"
    done = export_report(store, target, today=today())
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    assert done.format == "pdf"
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert pages >= 5
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    texts = [_plain(p.extract_text()) for p in reader.pages]
    first = texts[0]
    assert "Progress report — Ada <Lovelace>" in first
    assert f"Page 1 of {pages}" in first
    assert f"Reviews {count}" in first
    everything = "\n".join(texts)
    assert HOSTILE in everything  # shown as text
    assert f"Page {pages} of {pages}" in everything
    for heading in ("The habit", "Retention", "Hardest cards", "Calibration"):
        assert heading in everything
    images = sum(len(p.images) for p in reader.pages)
    assert images == 5


def _plain(text: str) -> str:
    """PDF text with ligatures undone and runs of spaces and tabs as one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_has_one_row_per_review(history: tuple[Store, int], tmp_path: Path) -> None:
    store, count = history
    target = tmp_path / "reviews.csv"
    done = export_report(store, target, today=today())
    rows = _rows(target)
    assert rows[0] == list(csv_report.HEADER)
    assert len(rows) - 1 == count == done.reviews
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [r["Time"] for r in body] == sorted(r["Time"] for r in body)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", body[0]["Time"])
    assert {r["Grade"] for r in body} == {"Again", "Hard", "Good", "Easy"}
    hostile = [r for r in body if r["Deck"] == HOSTILE]
    assert hostile
    assert hostile[0]["Card ID"] == "hostile-1"
    assert hostile[0]["Card type"] == "drill"
    assert hostile[0]["Technique"] == "no-question"
    assert hostile[0]["Answer"] == f"'=Is it a bad idea, {HOSTILE}?"  # no formula in Excel
    assert any(r["Coach flaws"] == "still_yes_seeking starts_with_I" for r in body)
    assert {r["Coach label"] for r in body} >= {"yes_seeking", "no_oriented", ""}
    assert all(float(r["Duration (s)"]) >= 4.0 for r in body)
    # Intervals chain: the "after" of a review is the "before" of the card's next one.
    by_card: dict[tuple[str, str], list[dict[str, str]]] = {}
    for r in body:
        by_card.setdefault((r["Deck"], r["Card ID"]), []).append(r)
    for reviews in by_card.values():
        assert reviews[0]["Interval before (days)"] == ""  # a new card
        for a, b in zip(reviews, reviews[1:], strict=False):
            assert a["Interval after (days)"] == b["Interval before (days)"] != ""
        assert float(reviews[-1]["Interval after (days)"]) > 0


def test_csv_filters_by_deck_and_since(history: tuple[Store, int], tmp_path: Path) -> None:
    store, count = history
    deck = store.find_deck(HOSTILE)
    target = tmp_path / "one.csv"
    since = (NOW - timedelta(days=6)).date()
    export_report(store, target, deck_ids=[deck], since=since, today=today())
    rows = _rows(target)[1:]
    assert rows
    assert {r[1] for r in rows} == {HOSTILE}
    assert all(r[0][:10] >= since.isoformat() for r in rows)
    assert len(rows) < count


def test_a_failed_write_leaves_nothing(history: tuple[Store, int], tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = history
    target = tmp_path / "keep.csv"
    target.write_text("old", encoding="utf-8")

    def broken(*args: Any, **kwargs: Any) -> int:
        raise NegodrillError("the disk is full")

    monkeypatch.setattr(csv_report, "write_csv", broken)
    with pytest.raises(NegodrillError, match="disk is full"):
        export_report(store, target, today=today())
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".negodrill-")] == []
