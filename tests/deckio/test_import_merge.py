"""One merge for every reader: previews that match imports, history that replays, Anki's rule.

Also the door: the reader is chosen by what a file holds, not by its name.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from negodrill.core.errors import DeckError
from negodrill.core.models import Grade, Review
from negodrill.core.scheduling import Scheduler
from negodrill.deckio.exporting import export_deck_file, format_for
from negodrill.deckio.importing import import_file, read_file
from negodrill.deckio.merge import import_package
from negodrill.deckio.package import IncomingDeck, IncomingReview, Package
from negodrill.storage.store import Store

UUID = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"
T0 = datetime(2026, 2, 2, 9, 30, tzinfo=UTC)


def _doc(cards: list[dict[str, Any]] | None = None, revision: int = 1) -> dict[str, Any]:
    return {
        "format": "negodrill-deck", "format_version": 1,
        "deck": {"id": UUID, "title": "Phone openers", "revision": revision},
        "cards": cards or [
            {"id": "open", "type": "basic", "front": "Opening a cold call?",
             "back": "Is this a bad time?"},
            {"id": "close", "type": "basic", "front": "Closing a meeting?",
             "back": "Have you given up on this?"},
        ],
    }


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _dump(store: Store) -> list[str]:
    return list(store._db.conn.iterdump())


def _study(store: Store, key: str, grades: list[Grade], start: datetime = T0) -> None:
    """Review a card the way a session does: a scheduler outcome saved with its review."""
    card_id = store._db.execute("SELECT id FROM card WHERE key = ?", [key]).fetchone()[0]
    scheduler = Scheduler(store.preset(), fuzz=False)
    moment = start
    for grade in grades:
        card = store.card(card_id)
        after = scheduler.outcome(card_id, card.schedule, grade, moment).schedule
        store.save_review(card, Review(card_id=card_id, time=moment, grade=grade,
                                       duration_ms=4200, answer="Is now a bad time?",
                                       correct=True, coach_label="no_oriented"), after)
        moment = (after.due or moment) + timedelta(hours=1)


def test_a_dry_run_writes_nothing_and_counts_what_the_import_then_does(tmp_path: Path) -> None:
    store = Store.memory()
    import_file(store, _write(tmp_path / "v1.json", _doc()))
    v2 = _doc(revision=2)
    v2["cards"][0]["back"] = "Is now a bad time to talk?"
    v2["cards"].pop(1)
    v2["cards"].append({"id": "new", "type": "basic", "front": "F", "back": "B"})
    path = _write(tmp_path / "v2.json", v2)
    before = _dump(store)
    preview = import_file(store, path, dry_run=True)
    assert _dump(store) == before
    assert preview.dry_run
    done = import_file(store, path)
    counts = [(d.added, d.updated, d.unchanged, d.retired) for d in (preview.decks[0],
                                                                     done.decks[0])]
    assert counts[0] == counts[1] == (1, 1, 0, 1)
    assert "(dry run" in preview.summary_line()
    assert done.summary_line().startswith("v2.json: negodrill deck, 1 deck, 1 added, 1 updated")


def test_history_travels_with_a_native_export_and_rebuilds_the_schedule(tmp_path: Path) -> None:
    store = Store.memory()
    import_file(store, _write(tmp_path / "d.json", _doc()))
    _study(store, "open", [Grade.GOOD, Grade.GOOD, Grade.AGAIN, Grade.GOOD])
    deck_id = store.find_deck("Phone openers")
    shared = export_deck_file(store, deck_id, tmp_path / "class.negodeck")
    assert shared.reviews == 0
    assert "x-negodrill-reviews" not in zipfile.ZipFile(tmp_path / "class.negodeck").read(
        "deck.json").decode()
    mine = export_deck_file(store, deck_id, tmp_path / "mine.negodeck.json", with_history=True)
    assert mine.reviews == 4

    fresh = Store.memory()
    report = import_file(fresh, tmp_path / "mine.negodeck.json")
    assert report.decks[0].reviews == 4
    rows = [tuple(r) for r in fresh._db.execute(
        "SELECT rating, duration_ms, answer, correct, coach_label FROM review ORDER BY time_ms")]
    assert [r[0] for r in rows] == [3, 3, 1, 3]
    assert rows[0][1:] == (4200, "Is now a bad time?", 1, "no_oriented")
    old = store.card(store._db.execute("SELECT id FROM card WHERE key='open'").fetchone()[0])
    new = fresh.card(fresh._db.execute("SELECT id FROM card WHERE key='open'").fetchone()[0])
    assert (new.schedule.state, new.reps, new.lapses) == (old.schedule.state, 4, 1)
    assert new.schedule.stability == pytest.approx(old.schedule.stability)
    assert new.schedule.due == old.schedule.due
    assert fresh.integrity_problems() == []

    again = import_file(fresh, tmp_path / "mine.negodeck.json")
    assert again.decks[0].reviews == 0, "the same history is never brought in twice"
    assert fresh._db.execute("SELECT count(*) FROM review").fetchone()[0] == 4
    without = Store.memory()
    import_file(without, tmp_path / "mine.negodeck.json", with_history=False)
    assert without._db.execute("SELECT count(*) FROM review").fetchone()[0] == 0


@pytest.mark.parametrize(("entry", "words"), [
    ({"card": "open", "time": 1_770_000_000_000, "grade": 5}, '"grade"'),
    ({"card": "gone", "time": 1_770_000_000_000, "grade": 3}, "a card the deck does not have"),
    ({"card": "open", "time": "yesterday", "grade": 3}, '"time"'),
    ({"card": "open", "time": 1_770_000_000_000, "grade": 3, "extra": 1}, "unknown field"),
    ("three", "not an object"),
])
def test_a_bad_history_entry_refuses_the_file(tmp_path: Path, entry: Any, words: str) -> None:
    doc = _doc()
    doc["extensions"] = {"x-negodrill-reviews": [entry]}
    store = Store.memory()
    before = _dump(store)
    with pytest.raises(DeckError, match="review 1 of the history") as caught:
        import_file(store, _write(tmp_path / "h.json", doc))
    assert words in str(caught.value)
    assert _dump(store) == before


def _anki_like(rev: int, back: str) -> Package:
    card = {"id": "anki-0123456789abcdef", "type": "basic", "front": "Front", "back": back,
            "rev": rev}
    deck = IncomingDeck(uuid=UUID, title="From Anki", cards=[card], newer_only=True,
                        history={card["id"]: [IncomingReview(time_ms=1_770_000_000_000 + rev,
                                                             grade=3)]})
    return Package(name="x.apkg", format="Anki package", decks=[deck])


def test_an_anki_note_updates_only_when_its_modification_time_is_newer() -> None:
    store = Store.memory()
    assert import_package(store, _anki_like(100, "Old")).decks[0].added == 1
    same_time = import_package(store, _anki_like(100, "Other text, same time")).decks[0]
    assert (same_time.updated, same_time.unchanged) == (0, 1)
    newer = import_package(store, _anki_like(200, "New")).decks[0]
    assert newer.updated == 1
    assert newer.reviews == 1, "a later review is appended to the history"
    key = "anki-0123456789abcdef"
    card_id = store._db.execute("SELECT id FROM card WHERE key = ?", [key]).fetchone()[0]
    assert store.card_json(card_id)["back"] == "New"
    assert store.card(card_id).reps == 2


def test_a_cancel_in_the_middle_rolls_everything_back(tmp_path: Path) -> None:
    from negodrill.core.errors import Cancelled
    from negodrill.core.progress import CancelToken

    store = Store.memory()
    before = _dump(store)
    token = CancelToken()
    cards = [{"id": f"c{i}", "type": "basic", "front": f"F{i}", "back": "B"} for i in range(1200)]

    def cancel_after_first_step(done: int, total: int, what: str) -> None:
        if done >= 500:
            token.cancel()

    with pytest.raises(Cancelled):
        import_file(store, _write(tmp_path / "big.json", _doc(cards)),
                    progress=cancel_after_first_step, cancel=token)
    assert _dump(store) == before


# -- the door: by content, not by name ---------------------------------------------------------


def test_a_native_deck_is_read_whatever_its_name(tmp_path: Path) -> None:
    package = read_file(_write(tmp_path / "deck-from-a-colleague.txt", _doc()))
    assert package.format == "negodrill deck"
    assert package.decks[0].title == "Phone openers"


@pytest.mark.parametrize(("make", "words"), [
    (lambda p: p.write_bytes(b""), "the file is empty"),
    (lambda p: p.write_bytes(bytes(range(256)) * 8), "negodrill decks (.negodeck"),
    (lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"), "damaged zip"),
])
def test_unknown_files_say_which_formats_are_read(tmp_path: Path, make: Any, words: str) -> None:
    path = tmp_path / "mystery.apkg"
    make(path)
    with pytest.raises(DeckError, match="mystery.apkg") as caught:
        read_file(path)
    assert words in str(caught.value)


def test_a_zip_of_something_else_and_a_bare_database_are_explained(tmp_path: Path) -> None:
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("holiday.txt", "sun")
    with pytest.raises(DeckError, match="neither a negodrill deck nor an Anki package"):
        read_file(other)
    database = tmp_path / "collection.anki2"
    sqlite3.connect(database).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(DeckError, match=r"export it from Anki as a package \(.apkg\)"):
        read_file(database)


def test_the_export_format_follows_the_name_unless_given(tmp_path: Path) -> None:
    assert format_for(Path("a.negodeck")) == "negodeck"
    assert format_for(Path("a.NEGODECK.JSON")) == "negodeck.json"
    assert format_for(Path("a.apkg")) == "apkg"
    assert format_for(Path("a.tsv")) == "tsv"
    assert format_for(Path("a.bin"), "apkg") == "apkg"
    with pytest.raises(DeckError, match="end it in"):
        format_for(Path("a.docx"))
    with pytest.raises(DeckError, match="not an export format"):
        format_for(Path("a.apkg"), "pdf")


def test_an_export_is_readable_by_others_like_any_new_file(tmp_path: Path) -> None:
    import os

    store = Store.memory()
    import_file(store, _write(tmp_path / "d.json", _doc()))
    done = export_deck_file(store, store.find_deck("Phone openers"), tmp_path / "out.tsv")
    mask = os.umask(0o022)
    os.umask(mask)
    assert (done.path.stat().st_mode & 0o777) == 0o666 & ~mask


@pytest.mark.parametrize(("schedules", "words"), [
    ({"gone": {}}, "must map the deck's card ids"),
    ({"open": {"state": 2}}, "must hold exactly"),
    ({"open": {"state": 7, "step": None, "stability": 3.0, "difficulty": 5.0,
               "due": 1_770_000_000_000, "last_review": 1_770_000_000_000}}, '"state"'),
    ({"open": {"state": 2, "step": None, "stability": "high", "difficulty": 5.0,
               "due": 1_770_000_000_000, "last_review": 1_770_000_000_000}}, '"stability"'),
])
def test_a_bad_schedule_refuses_the_file(tmp_path: Path, schedules: Any, words: str) -> None:
    doc = _doc()
    doc["extensions"] = {"x-negodrill-schedules": schedules}
    with pytest.raises(DeckError) as caught:
        import_file(Store.memory(), _write(tmp_path / "s.json", doc))
    assert words in str(caught.value)


def test_an_author_s_progress_reset_makes_the_card_new_and_keeps_check_clean(
        tmp_path: Path) -> None:
    """A card whose new revision says `reset_progress` starts again as new; its reviews stay
    in the log (Progress and the streak keep them) and `check` finds nothing wrong, before
    and after the card is studied again."""
    store = Store.memory()
    import_file(store, _write(tmp_path / "v1.negodeck.json", _doc()))
    _study(store, "open", [Grade.GOOD, Grade.GOOD])
    cards = _doc()["cards"]
    cards[0] = {**cards[0], "rev": 2, "reset_progress": True, "back": "Is now a bad time?"}
    import_file(store, _write(tmp_path / "v2.negodeck.json", _doc(cards, revision=2)))
    card_id = store._db.execute("SELECT id FROM card WHERE key = 'open'").fetchone()[0]
    card = store.card(card_id)
    assert card.schedule.state == 0
    assert store.review_count(card.deck_id) == 2
    assert store.integrity_problems(full=True) == []
    _study(store, "open", [Grade.GOOD], start=T0 + timedelta(days=30))
    assert store.card(card_id).reps == 3
    assert store.integrity_problems(full=True) == []
