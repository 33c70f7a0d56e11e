"""Making, renaming and deleting decks, undoing a delete exactly, and the review log that
outlives deleted cards (Progress keeps counting them)."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from negodrill.core.errors import DeckError
from negodrill.core.session import ReviewSession
from negodrill.deckio.deck_admin import (
    cards_in,
    create_deck,
    delete_deck,
    rename_deck,
    restore_deck,
)
from negodrill.deckio.library import open_library
from negodrill.storage.store import Store


def _dump(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {table: [tuple(r) for r in store._db.execute(f"SELECT * FROM {table} ORDER BY 1")]
            for table in ("deck", "card", "review", "review_tally", "flaw_tally", "disagreement")}


def test_create_and_rename_check_the_title(tmp_path: Path) -> None:
    with closing(open_library(tmp_path)) as store:
        deck = create_deck(store, "  Pay   talks ")
        assert store.deck(deck)["title"] == "Pay talks"
        assert cards_in(store, deck) == 0
        with pytest.raises(DeckError, match='already a deck called "pay talks"'):
            create_deck(store, "pay talks")
        with pytest.raises(DeckError, match="needs a title"):
            create_deck(store, "   ")
        with pytest.raises(DeckError, match='already a deck called "Starter course"'):
            rename_deck(store, deck, "Starter course")
        assert rename_deck(store, deck, "Salary talks") == "Salary talks"
        assert rename_deck(store, deck, "salary TALKS") == "salary TALKS"  # its own title
        assert store.find_deck("salary talks") == deck


def test_delete_then_restore_gives_back_everything(tmp_path: Path) -> None:
    with closing(open_library(tmp_path)) as store:
        starter = store.find_deck("Starter course")
        session = ReviewSession(store, deck_ids=[starter], fuzz=False)
        for answer in ("Is now a bad time to talk about it?", "Can we talk?"):
            verdict = session.check(answer)
            session.grade(verdict.suggested, answer=answer)
        before = _dump(store)
        rows = delete_deck(store, starter)
        assert rows.title == "Starter course"
        assert "Starter course" not in [store.deck(d)["title"] for d in store.deck_ids()]
        # The reviews stay in the log and in the progress figures, as Anki keeps its revlog.
        after = _dump(store)
        assert after["review"] == before["review"]
        assert after["review_tally"] == before["review_tally"]
        assert store._db.execute("SELECT count(*) FROM card_gone").fetchone()[0] == 42
        assert store.integrity_problems(full=True) == []
        assert restore_deck(store, rows) == starter
        assert _dump(store) == before  # ids, schedules, reviews and the tally, exactly
        assert store._db.execute("SELECT count(*) FROM card_gone").fetchone()[0] == 0
        assert store.integrity_problems(full=True) == []


def test_a_large_delete_gives_the_space_back(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from negodrill import paths
    from negodrill.deckio import deck_admin
    from negodrill.deckio.deck_admin import delete_cards

    with closing(open_library(tmp_path)) as store:
        deck = create_deck(store, "Big import")
        with store.atomic():
            for i in range(3000):
                store.insert_card(deck, {"id": f"c{i}", "type": "basic", "front": "x" * 400,
                                         "back": f"Back {i}"}, position=i,
                                  now=__import__("datetime").datetime.now())
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        path = paths.database_path(tmp_path)
        full = path.stat().st_size
        monkeypatch.setattr(deck_admin, "SHRINK_AFTER_CARDS", 1000)
        ids = [r[0] for r in store._db.execute("SELECT id FROM card WHERE deck_id = ?", [deck])]
        delete_cards(store, ids)
        assert path.stat().st_size < full / 2
        assert store.integrity_problems(full=True) == []


def test_deleted_cards_keep_counting_in_progress(tmp_path: Path) -> None:
    from negodrill.reports.figures import collect_stats

    with closing(open_library(tmp_path)) as store:
        starter = store.find_deck("Starter course")
        session = ReviewSession(store, deck_ids=[starter], fuzz=False)
        for _ in range(3):
            verdict = session.check("Is now a bad time to talk about it?")
            session.grade(verdict.suggested)
        stats = collect_stats(store)
        ids = [r[0] for r in store._db.execute("SELECT card_id FROM review")]
        store.delete_cards(ids)
        after = collect_stats(store)
        assert after["reviews"] == stats["reviews"] == 3
        assert after["reviews_today"] == 3
        assert after["streak_days"] == stats["streak_days"] == 1
        assert store.integrity_problems(full=True) == []
        # The progress CSV lists them too, under a deck it names as deleted.
        import io

        from negodrill.reports.csv_report import write_csv
        from negodrill.reports.figures import today_for

        out = io.BytesIO()
        assert write_csv(store, out, today=today_for(store)) == 3
        assert out.getvalue().decode("utf-8-sig").count("a deleted deck") == 0  # deck is there
        delete_deck(store, starter)
        out = io.BytesIO()
        assert write_csv(store, out, today=today_for(store)) == 3
        assert out.getvalue().decode("utf-8-sig").count("a deleted deck") == 3
