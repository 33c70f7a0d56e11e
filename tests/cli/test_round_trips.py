"""Round trips a learner makes: to Anki and back, from Anki and back, with their history."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]
STARTER_CARDS = len(json.loads(
    (Path(__file__).resolve().parents[2] / "decks" / "01-starter.negodeck.json").read_text(
        encoding="utf-8"))["cards"])
STUDY = "\n".join([
    "Is now a bad time to talk about the renewal?", "3",
    "Do you have a minute?", "1",
    "Would it be a bad idea to look at the numbers?", "4",
]) + "\n"


def _cards(data_dir: Path, title: str) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(data_dir / "negodrill.sqlite3")
    try:
        rows = conn.execute(
            "SELECT card.key, card.type, card.content FROM card JOIN deck ON deck.id = "
            "card.deck_id WHERE deck.title = ? ORDER BY card.position", [title]).fetchall()
    finally:
        conn.close()
    return [(key, kind, json.dumps(json.loads(content), sort_keys=True))
            for key, kind, content in rows]


def _reviews(data_dir: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(data_dir / "negodrill.sqlite3")
    try:
        return conn.execute(
            "SELECT card.key, review.time_ms, review.rating, review.state_after FROM review "
            "JOIN card ON card.id = review.card_id ORDER BY review.time_ms").fetchall()
    finally:
        conn.close()


def _due_dates(data_dir: Path) -> dict[str, tuple[Any, ...]]:
    conn = sqlite3.connect(data_dir / "negodrill.sqlite3")
    try:
        rows = conn.execute("SELECT key, state, due_ms, stability, reps, lapses FROM card "
                            "WHERE state > 0").fetchall()
    finally:
        conn.close()
    return {r[0]: tuple(r[1:]) for r in rows}


@pytest.mark.parametrize("suffix", ["apkg", "negodeck"])
def test_export_with_history_then_import_elsewhere_gives_the_same_deck(
    cli: Cli, data_dir: Path, tmp_path: Path, suffix: str
) -> None:
    studied = cli("study", "--deck", "Starter course", "--limit", "3", data_dir=data_dir,
                  stdin=STUDY)
    assert studied.code == 0, studied
    out = tmp_path / f"starter.{suffix}"
    exported = cli("export", "Starter course", str(out), "--with-history", data_dir=data_dir)
    assert exported.code == 0, exported
    assert "3 reviews" in exported.out

    other = tmp_path / "laptop"
    cli("decks", data_dir=other)  # the built-in course, unstudied, is there already
    conn = sqlite3.connect(other / "negodrill.sqlite3")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM deck")  # a machine without the course: every card comes in
    conn.commit()
    conn.close()
    imported = cli("import", str(out), data_dir=other)
    assert imported.code == 0, imported
    assert f"{STARTER_CARDS} added" in imported.out
    assert imported.out.strip().endswith("3 reviews")
    assert _cards(other, "Starter course") == _cards(data_dir, "Starter course")
    mine, theirs = _reviews(data_dir), _reviews(other)
    assert [r[:3] for r in theirs] == [r[:3] for r in mine]
    assert [r[3] for r in theirs] == [r[3] for r in mine]
    if suffix == "negodeck":  # the native file keeps each due date, fuzz and all
        assert _due_dates(other) == _due_dates(data_dir)
    assert cli("check", data_dir=other).code == 0
    again = cli("import", str(out), data_dir=other)
    assert f"{STARTER_CARDS} unchanged" in again.out
    assert "reviews" not in again.out, "the same history is not brought in twice"


def test_a_deck_exported_to_anki_text_comes_back_as_basic_cards(
    cli: Cli, data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mislabels.tsv"
    assert cli("export", "Mislabels", str(out), data_dir=data_dir).code == 0
    first = out.read_text("utf-8").splitlines()
    assert first[0] == "#separator:tab"
    other = tmp_path / "other"
    result = cli("import", str(out), data_dir=other)
    assert result.code == 0, result
    assert "Anki text file, 1 deck, 45 added" in result.out
    assert "to update the original deck, import its .negodeck or .apkg" in result.out
    again = cli("import", str(out), data_dir=other)
    assert "0 added, 0 updated, 45 unchanged" in again.out


def test_an_anki_package_made_by_anki_imports_with_history_and_updates(
    cli: Cli, data_dir: Path, tmp_path: Path
) -> None:
    anki_collection = pytest.importorskip("anki.collection")
    from anki.import_export_pb2 import ExportAnkiPackageOptions

    folder = tmp_path / "anki"
    folder.mkdir()
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    try:
        basic = col.models.by_name("Basic")
        deck = col.decks.id("Negotiation::Openers")
        for front, back in [("Cold call <b>opener</b>", "Is now a bad time?"),
                            ("Stalled deal", "Have you given up on this project?"),
                            ("<img src='x.png'>", "image only")]:
            note = col.new_note(basic)
            note["Front"], note["Back"] = front, back
            col.add_note(note, deck)
        col.decks.select(deck)
        for _ in range(2):
            card = col.sched.getCard()
            col.sched.answerCard(card, 3)
        package = tmp_path / "openers.apkg"
        options = ExportAnkiPackageOptions(with_scheduling=True, with_media=True, legacy=False,
                                           with_deck_configs=False)
        col.export_anki_package(out_path=str(package), options=options, limit=None)
        result = cli("import", str(package), data_dir=data_dir)
        assert result.code == 0, result
        assert result.out.splitlines() == [
            "openers.apkg: Anki package, 1 deck, 2 added, 0 updated, 0 unchanged, 0 retired, "
            "1 skipped, 0 conflicts, 2 reviews",
            "  note: 1 card was image or audio only and skipped"]
        cards = _cards(data_dir, "Negotiation::Openers")
        assert [json.loads(c[2])["front"] for c in cards] == ["Cold call opener", "Stalled deal"]

        note = col.get_note(col.find_notes("Stalled")[0])
        note["Back"] = "Have you given up on fixing this?"
        col.update_note(note)
        # Notes are dated in whole seconds; date this edit clearly after the first export.
        col.db.execute("UPDATE notes SET mod = mod + 60 WHERE id = ?", note.id)
        col.export_anki_package(out_path=str(package), options=options, limit=None)
    finally:
        col.close()
    updated = cli("import", str(package), data_dir=data_dir)
    assert "0 added, 1 updated, 1 unchanged" in updated.out
    backs = [json.loads(c[2])["back"] for c in _cards(data_dir, "Negotiation::Openers")]
    assert "Have you given up on fixing this?" in backs


def test_cards_suspended_in_anki_come_in_suspended(cli: Cli, data_dir: Path,
                                                   tmp_path: Path) -> None:
    anki_collection = pytest.importorskip("anki.collection")
    from anki.import_export_pb2 import ExportAnkiPackageOptions

    folder = tmp_path / "anki"
    folder.mkdir()
    col = anki_collection.Collection(str(folder / "collection.anki2"))
    try:
        basic = col.models.by_name("Basic")
        deck = col.decks.id("Parked")
        for front in ("Keep studying this", "Parked for now"):
            note = col.new_note(basic)
            note["Front"], note["Back"] = front, "back"
            col.add_note(note, deck)
        col.sched.suspend_cards(col.find_cards("Parked"))
        package = tmp_path / "parked.apkg"
        col.export_anki_package(out_path=str(package), options=ExportAnkiPackageOptions(
            with_scheduling=True, with_media=False, legacy=False, with_deck_configs=False),
            limit=None)
    finally:
        col.close()
    assert cli("import", str(package), data_dir=data_dir).code == 0
    conn = sqlite3.connect(data_dir / "negodrill.sqlite3")
    try:
        rows = dict(conn.execute("SELECT headline, suspended FROM card JOIN deck ON deck.id = "
                                 "card.deck_id WHERE deck.title = 'Parked'").fetchall())
    finally:
        conn.close()
    assert rows == {"Keep studying this": 0, "Parked for now": 1}
