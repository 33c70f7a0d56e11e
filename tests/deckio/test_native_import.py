"""Importing and exporting native deck files: updates keep history, bad files change nothing."""

from __future__ import annotations

import copy
import hashlib
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from negodrill.core.errors import DeckError
from negodrill.core.models import Grade, Review, Schedule
from negodrill.core.progress import CancelToken
from negodrill.deckio.native import export_deck, import_deck, load_deck
from negodrill.storage.store import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UUID = "0f0e0d0c-0b0a-4908-8706-050403020100"


def deck(revision: int = 1, cards: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "format": "negodrill-deck",
        "format_version": 1,
        "deck": {"id": UUID, "title": "Shared drills", "revision": revision},
        "cards": cards
        if cards is not None
        else [
            {"id": "one", "type": "basic", "front": "What is a label?", "back": "A named feeling."},
            {"id": "two", "type": "basic", "front": "What is a mirror?", "back": "Last words."},
            {"id": "three", "type": "basic", "front": "Why no?", "back": "Safety and control."},
        ],
    }


def write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def dump(store: Store) -> str:
    """Everything in the collection, to prove a failed import changed nothing."""
    return "\n".join(store._db.conn.iterdump())


def review_first_card(store: Store) -> int:
    cid = store._db.execute("SELECT id FROM card WHERE key = 'one'").fetchone()[0]
    card = store.card(cid)
    after = Schedule(state=card.schedule.state.REVIEW, step=None, stability=3.0, difficulty=5.0,
                     due=T0, last_review=T0)
    store.save_review(card, Review(card_id=cid, time=T0, grade=Grade.GOOD), after)
    return int(cid)


def test_import_adds_a_deck_with_its_cards_in_file_order(tmp_path: Path) -> None:
    store = Store.memory()
    result = import_deck(store, write(tmp_path / "d.negodeck.json", deck()))
    assert result.added == 3
    assert result.new_deck
    keys = [r[0] for r in store._db.execute("SELECT key FROM card ORDER BY position").fetchall()]
    assert keys == ["one", "two", "three"]


def test_a_newer_revision_updates_text_keeps_history_and_retires_missing(tmp_path: Path) -> None:
    store = Store.memory()
    import_deck(store, write(tmp_path / "v1.json", deck(1)))
    cid = review_first_card(store)
    v2 = deck(2)
    v2["cards"][0]["back"] = "Words for what they feel."
    del v2["cards"][2]
    v2["cards"].append({"id": "four", "type": "basic", "front": "New?", "back": "Yes."})
    result = import_deck(store, write(tmp_path / "v2.json", v2))
    assert (result.added, result.updated, result.unchanged, result.retired) == (1, 1, 1, 1)
    assert store.card_json(cid)["back"] == "Words for what they feel."
    assert store.card(cid).reps == 1
    assert store._db.execute("SELECT count(*) FROM review").fetchone()[0] == 1
    assert store._db.execute("SELECT retired FROM card WHERE key = 'three'").fetchone()[0] == 1


def test_an_older_revision_is_refused(tmp_path: Path) -> None:
    store = Store.memory()
    import_deck(store, write(tmp_path / "v3.json", deck(3)))
    before = dump(store)
    with pytest.raises(DeckError, match="older"):
        import_deck(store, write(tmp_path / "v2.json", deck(2)))
    assert dump(store) == before


def test_local_edits_win_over_upstream_edits_and_are_reported(tmp_path: Path) -> None:
    store = Store.memory()
    import_deck(store, write(tmp_path / "v1.json", deck(1)))
    cid = store._db.execute("SELECT id FROM card WHERE key = 'two'").fetchone()[0]
    mine = store.card_json(cid) | {"back": "My own wording."}
    with store.atomic():
        store.update_card_content(cid, mine, now=T0, upstream=False)
    v2 = deck(2)
    v2["cards"][1]["back"] = "The author's new wording."
    result = import_deck(store, write(tmp_path / "v2.json", v2))
    assert result.conflicts == ["two"]
    assert store.card_json(cid)["back"] == "My own wording."
    assert "own edits kept" in result.describe()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"format": "negodrill-deck", "format": "x"}', "appears twice"),
        (b'{"a": NaN}', "NaN"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2, 3]", "JSON object"),
        (b"[" * 100000 + b"]" * 100000, "nested"),
        (b'{"format": "something-else"}', "not a negodrill deck"),
    ],
)
def test_broken_files_give_one_readable_error_and_change_nothing(
    tmp_path: Path, content: bytes, message: str
) -> None:
    store = Store.memory()
    import_deck(store, write(tmp_path / "ok.json", deck()))
    before = dump(store)
    path = tmp_path / "bad.negodeck.json"
    path.write_bytes(content)
    with pytest.raises(DeckError, match=message):
        import_deck(store, path)
    assert dump(store) == before


def test_schema_errors_name_the_card(tmp_path: Path) -> None:
    doc = deck()
    del doc["cards"][1]["back"]
    with pytest.raises(DeckError, match="two"):
        load_deck(write(tmp_path / "d.json", doc))


def test_zip_packages_with_path_tricks_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.negodeck"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("deck.json", json.dumps(deck()))
        archive.writestr("../../outside.txt", "x")
    with pytest.raises(DeckError, match="unsafe path"):
        load_deck(path)
    assert not (tmp_path.parent / "outside.txt").exists()


def test_a_zip_without_deck_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.negodeck"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(DeckError, match="no deck.json"):
        load_deck(path)


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.negodeck"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("deck.json", b" " * (20 * 1024 * 1024))
    with pytest.raises(DeckError, match="compressed suspiciously"):
        load_deck(path)


def test_cancel_rolls_the_whole_import_back(tmp_path: Path) -> None:
    store = Store.memory()
    before = dump(store)
    token = CancelToken()
    token.cancel()
    many = deck(cards=[{"id": f"c{i}", "type": "basic", "front": "f", "back": "b"}
                       for i in range(1200)])
    from negodrill.core.errors import Cancelled

    with pytest.raises(Cancelled):
        import_deck(store, write(tmp_path / "big.json", many), cancel=token)
    assert dump(store) == before


@pytest.mark.parametrize("name", ["out.negodeck.json", "out.negodeck"])
def test_export_round_trips(tmp_path: Path, name: str) -> None:
    store = Store.memory()
    original = deck()
    original["cards"][0]["tags"] = ["theory"]
    original["cards"][0]["notes"] = "A note."
    import_deck(store, write(tmp_path / "in.json", original))
    deck_id = store.deck_ids()[0]
    count = export_deck(store, deck_id, tmp_path / name)
    assert count == 3
    again = load_deck(tmp_path / name)
    assert again["cards"] == original["cards"]
    assert again["deck"]["id"] == UUID
    other = Store.memory()
    assert import_deck(other, tmp_path / name).added == 3


def test_export_does_not_leave_half_files_on_failure(tmp_path: Path) -> None:
    store = Store.memory()
    import_deck(store, write(tmp_path / "in.json", deck()))
    target = tmp_path / "no-such-dir-file"
    target.write_text("i am a file, not a folder")
    with pytest.raises(DeckError, match="no such folder"):
        export_deck(store, store.deck_ids()[0], target / "x.negodeck.json")


def test_the_file_on_disk_is_never_modified_by_import(tmp_path: Path) -> None:
    path = write(tmp_path / "d.json", deck())
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    import_deck(Store.memory(), path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_deck_documents_are_not_mutated_by_import(tmp_path: Path) -> None:
    from negodrill.deckio.native import import_document

    doc = deck()
    snapshot = copy.deepcopy(doc)
    import_document(Store.memory(), doc)
    assert doc == snapshot
