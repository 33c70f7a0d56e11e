"""A collection made with an earlier edition of the course gets the new one on start: newer
revisions imported over the old (history kept), new decks added, deleted decks left deleted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from negodrill import paths
from negodrill.deckio import library
from negodrill.deckio.library import FINGERPRINT_KEY, KNOWN_KEY, open_library

DECKS = Path(__file__).resolve().parents[2] / "decks"
FIRST = ["01-starter", "02-no-oriented-questions", "03-mislabels", "04-theory",
         "05-mixed-practice"]


def _ship(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):
        old.unlink()
    for name in names:
        shutil.copy(DECKS / f"{name}.negodeck.json", folder / f"{name}.negodeck.json")


def test_a_first_edition_collection_is_upgraded(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = tmp_path / "shipped"
    monkeypatch.setattr(paths, "builtin_decks_dir", lambda: shipped)
    _ship(shipped, FIRST)
    data = tmp_path / "data"
    store = open_library(data)
    starter = store.db.execute("SELECT id FROM deck WHERE title = 'Starter course'").fetchone()[0]
    mixed = store.db.execute("SELECT id FROM deck WHERE title = 'Mixed practice'").fetchone()[0]
    first_card = store.db.execute(
        "SELECT id, key FROM card WHERE deck_id = ? ORDER BY position LIMIT 1",
        [starter]).fetchone()
    from datetime import UTC, datetime

    from negodrill.core.models import CardState, Grade, Review, Schedule

    card = store.card(first_card[0])
    with store.atomic():
        store.write_review(card, Review(card_id=card.id, time=datetime(2026, 3, 2, tzinfo=UTC),
                                        grade=Grade.GOOD),
                           Schedule(state=CardState.REVIEW, step=None, stability=3.0,
                                    difficulty=5.0, due=datetime(2026, 3, 5, tzinfo=UTC),
                                    last_review=datetime(2026, 3, 2, tzinfo=UTC)))
    store.delete_deck(mixed)
    # A first-edition collection never wrote the two settings below.
    store.db.execute("DELETE FROM setting WHERE key IN (?, ?)", [KNOWN_KEY, FINGERPRINT_KEY])
    store.close()

    # The second edition: the starter course revised (a card's text changed, one card gone),
    # and a new deck.
    _ship(shipped, [*FIRST, "06-conversations"])
    doc = json.loads((shipped / "01-starter.negodeck.json").read_text(encoding="utf-8"))
    doc["deck"]["revision"] += 1
    doc["cards"][0]["situation"] = "A revised situation for the second edition."
    removed = doc["cards"].pop()["id"]
    (shipped / "01-starter.negodeck.json").write_text(json.dumps(doc), encoding="utf-8")

    store = open_library(data)
    titles = {r[0] for r in store.db.execute("SELECT title FROM deck")}
    assert "Conversations" in titles
    assert "Mixed practice" not in titles  # deleted by the learner: stays deleted
    assert store.db.execute("SELECT count(*) FROM review").fetchone()[0] == 1
    card = store.card(first_card[0])
    assert card.content.situation == "A revised situation for the second edition."  # type: ignore[union-attr]
    assert card.reps == 1
    assert store.db.execute("SELECT retired FROM card WHERE deck_id = ? AND key = ?",
                            [starter, removed]).fetchone()[0] == 1
    assert store.deck(starter)["revision"] == doc["deck"]["revision"]
    store.close()
    # Nothing changed since: the next start reads no deck file.
    monkeypatch.setattr(library, "_header", lambda _path: pytest.fail("read a deck file"))
    open_library(data).close()


def test_a_new_collection_knows_its_decks(tmp_path: Path) -> None:
    store = open_library(tmp_path)
    assert len(store.setting(KNOWN_KEY)) == len(list(DECKS.glob("*.negodeck.json")))
    store.close()
