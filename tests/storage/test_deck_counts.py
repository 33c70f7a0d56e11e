"""The deck list's card counts are kept by triggers (schema 12): every way cards come, go,
retire and move keeps them equal to a fresh count, and `check` notices when they are not."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from negodrill.deckio import deck_admin
from negodrill.deckio.importing import import_file
from negodrill.reports.figures import deck_summaries
from negodrill.storage import health
from negodrill.storage.store import Store

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
ALPHA, BETA = "0b6a1f52-4c1e-4d8e-9a0e-6f3b2d1c4a01", "0b6a1f52-4c1e-4d8e-9a0e-6f3b2d1c4a02"


def deck_file(path: Path, uuid: str, title: str, keys: list[str], revision: int = 1) -> Path:
    cards = [{"id": key, "type": "basic", "front": f"Front {key}", "back": "Back"}
             for key in keys]
    path.write_text(json.dumps({
        "format": "negodrill-deck", "format_version": 2,
        "deck": {"id": uuid, "title": title, "revision": revision},
        "cards": cards}), encoding="utf-8")
    return path


def shown(store: Store) -> dict[str, int]:
    """Each deck's card count as the deck list shows it."""
    return {d.title: d.cards for d in deck_summaries(store)}


def counted(store: Store) -> dict[str, int]:
    rows = store._db.execute(
        "SELECT title, (SELECT count(*) FROM card WHERE card.deck_id = deck.id "
        "AND retired = 0) FROM deck").fetchall()
    return {str(title): int(n) for title, n in rows}


def agree(store: Store) -> dict[str, int]:
    assert shown(store) == counted(store)
    assert health.problems(store, full=True) == []
    return shown(store)


def test_the_counts_follow_imports_retirements_moves_deletes_and_undo(tmp_path: Path) -> None:
    store = Store.memory()
    import_file(store, deck_file(tmp_path / "a.negodeck.json", ALPHA, "Alpha",
                                 ["a1", "a2", "a3", "a4"]))
    import_file(store, deck_file(tmp_path / "b.negodeck.json", BETA, "Beta", ["b1"]))
    assert agree(store) == {"Alpha": 4, "Beta": 1}

    # A new revision without a2 and a3 retires them; the next one brings a3 back.
    import_file(store, deck_file(tmp_path / "a2.negodeck.json", ALPHA, "Alpha",
                                 ["a1", "a4", "a5"], revision=2))
    assert agree(store) == {"Alpha": 3, "Beta": 1}
    import_file(store, deck_file(tmp_path / "a3.negodeck.json", ALPHA, "Alpha",
                                 ["a1", "a3", "a4", "a5"], revision=3))
    assert agree(store) == {"Alpha": 4, "Beta": 1}

    alpha, beta = store.find_deck("Alpha"), store.find_deck("Beta")
    keys = store.card_keys(alpha)
    # Moving a live and a retired card: only the live one counts where it goes.
    deck_admin.move_cards(store, [keys["a1"]["id"], keys["a2"]["id"]], beta)
    assert agree(store) == {"Alpha": 3, "Beta": 2}
    deck_admin.delete_cards(store, [keys["a4"]["id"]])
    assert agree(store) == {"Alpha": 2, "Beta": 2}

    rows = deck_admin.delete_deck(store, beta)
    assert agree(store) == {"Alpha": 2}
    deck_admin.restore_deck(store, rows)  # Ctrl+Z on the deck list
    assert agree(store) == {"Alpha": 2, "Beta": 2}

    new = deck_admin.create_deck(store, "Gamma")
    with store.atomic():
        store.insert_card(new, {"id": "g1", "type": "basic", "front": "F", "back": "B"},
                          position=0, now=NOW)
    assert agree(store) == {"Alpha": 2, "Beta": 2, "Gamma": 1}
    store.close()


def test_check_tells_a_count_that_went_wrong(tmp_path: Path) -> None:
    store = Store.memory()
    import_file(store, deck_file(tmp_path / "a.negodeck.json", ALPHA, "Alpha", ["a1", "a2"]))
    deck_id = store.find_deck("Alpha")
    store._db.execute("UPDATE deck SET live_cards = 7 WHERE id = ?", [deck_id])
    assert health.problems(store) == []  # the quick `check` leaves kept counts to --full
    assert health.problems(store, full=True) == [
        f"deck {deck_id} keeps a count of 7 cards but has 2"]
    store.close()
