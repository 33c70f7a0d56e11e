"""Saving a learner's card: the schema's problems come back, a saved card is a local edit."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from negodrill.deckio.editing import save_card
from negodrill.deckio.native import import_deck
from negodrill.storage.store import Store

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
UUID = "3c1f7a52-8e0d-4b6a-9c24-1e5f6a7b8c9d"


def _deck_file(path: Path, back: str, revision: int) -> Path:
    doc = {"format": "negodrill-deck", "format_version": 1,
           "deck": {"id": UUID, "title": "Edits", "revision": revision},
           "cards": [{"id": "one", "type": "basic", "front": "Front", "back": back}]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_new_card_gets_a_fresh_local_id_at_the_end_of_its_deck(tmp_path: Path) -> None:
    store = Store.memory()
    deck_id = import_deck(store, _deck_file(tmp_path / "d.json", "Back", 1)).deck_id
    saved = save_card(store, {"id": "", "type": "basic", "front": "Mine", "back": "Too"},
                      now=NOW, deck_id=deck_id)
    assert saved.problems == []
    assert saved.card_id is not None
    key, position = store._db.execute(
        "SELECT key, position FROM card WHERE id = ?", [saved.card_id]).fetchone()
    assert key.startswith("local-")
    assert position == 1


def test_an_invalid_card_comes_back_with_readable_problems_and_nothing_is_written() -> None:
    store = Store.memory()
    before = list(store._db.conn.iterdump())
    saved = save_card(store, {"id": "", "type": "choice", "question": "Which?",
                              "options": [{"id": "a", "text": "A"}]}, now=NOW, deck_id=None)
    assert saved.card_id is None
    assert saved.problems[0].startswith("Create or import a deck first")
    assert any("at least 2" in p or "correct" in p for p in saved.problems[1:])
    assert list(store._db.conn.iterdump()) == before


def test_an_edit_is_kept_over_a_newer_upstream_text_and_reported(tmp_path: Path) -> None:
    store = Store.memory()
    import_deck(store, _deck_file(tmp_path / "v1.json", "Back", 1))
    card_id = store._db.execute("SELECT id FROM card WHERE key = 'one'").fetchone()[0]
    edited = store.card_json(card_id) | {"back": "My own back"}
    assert save_card(store, edited, now=NOW, card_id=card_id).card_id == card_id
    outcome = import_deck(store, _deck_file(tmp_path / "v2.json", "Author's new back", 2))
    assert outcome.conflicts == ["one"]
    assert store.card_json(card_id)["back"] == "My own back"
