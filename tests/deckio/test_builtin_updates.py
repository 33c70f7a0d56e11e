"""A collection made with an earlier edition of the course gets the new one on start: newer
revisions imported over the old (history kept), new decks added, deleted decks left deleted."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from negodrill import paths
from negodrill.core.cards import content_from_json
from negodrill.core.models import CardState, Grade, Review, Schedule
from negodrill.deckio import library
from negodrill.deckio.library import FINGERPRINT_KEY, KNOWN_KEY, open_library
from negodrill.storage.store import Store

DECKS = Path(__file__).resolve().parents[2] / "decks"
FIRST_EDITION = Path(__file__).resolve().parents[1] / "data" / "first_edition"


def _ship(folder: Path, source: Path) -> None:
    """Make `folder` hold exactly the deck files of `source`, as an installed app would."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(source, folder)


def _review(store: Store, card_id: int) -> None:
    card = store.card(card_id)
    with store.atomic():
        store.write_review(card, Review(card_id=card.id, time=datetime(2026, 3, 2, tzinfo=UTC),
                                        grade=Grade.GOOD),
                           Schedule(state=CardState.REVIEW, step=None, stability=3.0,
                                    difficulty=5.0, due=datetime(2026, 3, 5, tzinfo=UTC),
                                    last_review=datetime(2026, 3, 2, tzinfo=UTC)))


def test_a_first_edition_collection_gets_the_second_edition(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = tmp_path / "shipped"
    monkeypatch.setattr(paths, "builtin_decks_dir", lambda: shipped)
    _ship(shipped, FIRST_EDITION)
    data = tmp_path / "data"
    store = open_library(data)
    decks = {r[0]: r[1] for r in store._db.execute("SELECT title, id FROM deck")}
    reviewed = {
        key: store._db.execute("SELECT id FROM card WHERE key = ?", [key]).fetchone()[0]
        for key in ("start-cold-call-cleaning", "noq-support-blender-refund",
                    "mis-family-summer-job", "theory-forcing-no")
    }
    for card_id in reviewed.values():
        _review(store, card_id)
    store.delete_deck(decks["Mixed practice"])
    # A first-edition collection never wrote the two settings below.
    store._db.execute("DELETE FROM setting WHERE key IN (?, ?)", [KNOWN_KEY, FINGERPRINT_KEY])
    store.close()

    _ship(shipped, DECKS)  # the app is updated: the second edition ships
    store = open_library(data)
    titles = {r[0] for r in store._db.execute("SELECT title FROM deck")}
    assert {"Labels", "Calibrated questions", "After the unwelcome answer"} <= titles
    assert "Mixed practice" not in titles  # deleted by the learner: stays deleted
    assert store._db.execute("SELECT count(*) FROM review").fetchone()[0] == len(reviewed)
    for key, card_id in reviewed.items():
        card = store.card(card_id)
        assert card.reps == 1, key
        shipped_card = next(
            c for f in DECKS.glob("*.json")
            for c in json.loads(f.read_text(encoding="utf-8"))["cards"] if c["id"] == key)
        assert card.content == content_from_json(shipped_card), key  # the new text
    for title in ("Starter course", "No-oriented questions", "Mislabels"):
        assert store.deck(decks[title])["revision"] == 2
    store.close()
    # Nothing changed since: the next start reads no deck file.
    monkeypatch.setattr(library, "_header", lambda _path: pytest.fail("read a deck file"))
    open_library(data).close()


def test_a_new_collection_knows_its_decks(tmp_path: Path) -> None:
    store = open_library(tmp_path)
    assert len(store.setting(KNOWN_KEY)) == len(list(DECKS.glob("*.negodeck.json")))
    store.close()
