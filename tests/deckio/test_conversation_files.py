"""Conversation cards leave and come back: .negodeck exactly, .apkg and .tsv as Basic notes
that a person can read (and that negodrill reads back as the conversation)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from negodrill.deckio.exporting import export_deck_file
from negodrill.deckio.importing import import_file
from negodrill.storage.store import Store

DECK = Path(__file__).resolve().parents[2] / "decks" / "08-conversations.negodeck.json"


def _cards(store: Store) -> dict[str, dict[str, object]]:
    rows = store._db.execute("SELECT key, content FROM card WHERE type = 'conversation'")
    return {key: json.loads(content) for key, content in rows}


@pytest.mark.parametrize("suffix", [".negodeck", ".negodeck.json", ".apkg"])
def test_a_conversation_deck_round_trips(tmp_path: Path, suffix: str) -> None:
    source = Store.memory()
    import_file(source, DECK)
    deck = source.deck_ids()[0]
    out = tmp_path / f"conversations{suffix}"
    export_deck_file(source, deck, out)
    again = Store.memory()
    import_file(again, out)
    assert _cards(again) == _cards(source)
    assert len(_cards(again)) == 24


def test_anki_and_text_get_readable_basic_notes(tmp_path: Path) -> None:
    source = Store.memory()
    import_file(source, DECK)
    deck = source.deck_ids()[0]
    tsv = tmp_path / "conversations.tsv"
    export_deck_file(source, deck, tsv)
    text = tsv.read_text(encoding="utf-8")
    first = next(iter(_cards(source).values()))
    assert "#notetype:Basic" in text
    assert "A model conversation" in text
    assert str(first["title"]) in text
    apkg = tmp_path / "conversations.apkg"
    export_deck_file(source, deck, apkg)
    assert zipfile.is_zipfile(apkg)
