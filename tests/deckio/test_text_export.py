"""Writing a deck as an Anki text file: Anki's header lines, one escaped row per card, read
back unchanged by Anki's own importer and by Python's csv module."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from negodrill.core.errors import Cancelled, DeckError
from negodrill.core.progress import CancelToken
from negodrill.deckio.anki_export import guid_for, note_fields, note_guids
from negodrill.deckio.package import IncomingDeck
from negodrill.deckio.text_export import write_anki_text

UUID = "1a2b3c4d-0b0a-4908-8706-050403020100"
TITLE = "Negotiation::Text drills"
HEADER = ["#separator:tab", "#html:true", "#notetype:Basic", f"#deck:{TITLE}",
          "#tags column:4", "#guid column:1", f"#negodrill deck:{UUID}"]


def cards() -> list[dict[str, Any]]:
    return [
        {"id": "rent", "type": "drill", "technique": "mislabel",
         "situation": "Rent goes up\t8% & more.\nYou <like> the flat.",
         "prompt": 'Can we keep it at "$1,450"?', "rewrites": ["It seems like $1,450 is out."],
         "pitfalls": [{"text": "Okay?", "why": "A yes-question."}], "tags": ["housing"]},
        {"id": "label", "type": "basic", "front": "What is a label?", "back": "A named feeling.",
         "notes": "Line one\nline two", "tags": ["theory", "tag\"quoted"]},
        {"id": "quiz", "type": "choice", "question": "No-oriented?",
         "options": [{"id": "a", "text": "Bad time?", "correct": True},
                     {"id": "b", "text": "A minute?", "why": "Seeks a yes."}]},
        # An Anki GUID starting with "#" must not turn its row into a comment.
        {"id": "hash", "type": "basic", "front": "Mirror", "back": "Last words.",
         "extensions": {"x-anki": {"guid": "#startsWithHash"}}},
    ]


def make_deck(card_list: list[dict[str, Any]] | None = None) -> IncomingDeck:
    return IncomingDeck(uuid=UUID, title=TITLE, cards=cards() if card_list is None else card_list)


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    header = lines[:7]
    return header, list(csv.reader(lines[7:-1], delimiter="\t"))


def test_header_and_rows_read_back_with_the_csv_module(tmp_path: Path) -> None:
    path = tmp_path / "deck.tsv"
    assert write_anki_text(make_deck(), path) == 4
    header, rows = read_rows(path)
    assert header == HEADER
    deck = make_deck()
    expected = [[guid, *note_fields(card), " ".join(card.get("tags", []))]
                for card, guid in zip(deck.cards, note_guids(deck), strict=True)]
    assert rows == expected
    assert [row[0] for row in rows][::3] == [guid_for(UUID, "rent"), "#startsWithHash"]
    assert "Rent goes up 8% &amp; more.<br>You &lt;like&gt; the flat." in rows[0][1]
    assert "Line one<br>line two" in rows[1][2]
    raw = path.read_text(encoding="utf-8")
    assert (raw.count("\n"), raw.count("\r")) == (11, 0)
    assert all(line.count("\t") == 3 for line in raw.splitlines()[7:])


def test_the_same_guids_and_wording_as_the_package() -> None:
    deck = make_deck()
    assert note_guids(deck) == note_guids(make_deck())
    assert note_guids(deck)[1] == guid_for(UUID, "label")


def test_errors_leave_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="no cards"):
        write_anki_text(make_deck([]), tmp_path / "empty.tsv")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DeckError, match="no such folder"):
        write_anki_text(make_deck(), blocker / "deck.tsv")
    target = tmp_path / "deck.tsv"
    target.write_text("old")
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        write_anki_text(make_deck(), target, cancel=token)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.tsv", "file"]


def test_progress_is_reported(tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    many = [{"id": f"c{i}", "type": "basic", "front": f"Q{i}", "back": "A"} for i in range(600)]
    write_anki_text(make_deck(many), tmp_path / "deck.tsv",
                    progress=lambda d, t, w: seen.append((d, t, w)))
    assert [s for s in seen if s[2] == "cards"] == [
        (0, 600, "cards"), (250, 600, "cards"), (500, 600, "cards"), (600, 600, "cards")]
    assert seen[-1] == (1, 1, "written")


# -- Anki's own reader ------------------------------------------------------------------------

@pytest.fixture
def anki_col(tmp_path: Path) -> Any:
    collection = pytest.importorskip("anki.collection")
    (tmp_path / "anki").mkdir()
    col = collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield col
    col.close()


def import_text(col: Any, path: Path) -> Any:
    from anki.collection import ImportCsvRequest

    metadata = col.get_csv_metadata(str(path), delimiter=None)
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))


def test_anki_reads_the_file_with_its_own_importer(anki_col: Any, tmp_path: Path) -> None:
    path = tmp_path / "deck.tsv"
    write_anki_text(make_deck(), path)
    metadata = anki_col.get_csv_metadata(str(path), delimiter=None)
    assert (metadata.is_html, metadata.guid_column, metadata.tags_column) == (True, 1, 4)
    assert metadata.deck_name == TITLE
    result = import_text(anki_col, path)
    assert len(result.log.new) == 4
    deck = make_deck()
    notes = {anki_col.get_note(n).guid: anki_col.get_note(n) for n in anki_col.find_notes("")}
    assert set(notes) == set(note_guids(deck))
    for card, guid in zip(deck.cards, note_guids(deck), strict=True):
        note = notes[guid]
        assert note.note_type()["name"] == "Basic"
        assert (note["Front"], note["Back"]) == note_fields(card)
        assert sorted(note.tags) == sorted(card.get("tags", []))
        assert {anki_col.decks.name(c.did) for c in note.cards()} == {TITLE}

    # A corrected export updates the same notes: the GUID column identifies them.
    changed = cards()
    changed[1]["back"] = "A feeling, named out loud."
    write_anki_text(make_deck(changed), path)
    import_text(anki_col, path)
    assert anki_col.note_count() == 4
    label = notes[guid_for(UUID, "label")]
    assert anki_col.get_note(label.id)["Back"].startswith("A feeling, named out loud.")
