"""A collection written by any older negodrill (schema 1 .. SCHEMA_VERSION - 1) opens through
the normal path, is brought to the current schema, keeps every deck, card and review as they
were, passes `check --full`, and takes new reviews; the CLI's `stats` and `check` work on it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from old_schemas import DAY0, DECK_PRESET, FLAG, build_database

from negodrill import paths
from negodrill.cli import main
from negodrill.core.models import CardState, Grade
from negodrill.core.session import ReviewSession
from negodrill.storage.database import SCHEMA_VERSION
from negodrill.storage.store import Store, open_store

OLD_VERSIONS = list(range(1, SCHEMA_VERSION))
LATER = datetime.fromtimestamp(DAY0 / 1000, tz=UTC) + timedelta(days=12, hours=9)


def raw(store: Store) -> Any:
    """The store's connection (being renamed from `db` to `_db`)."""
    return getattr(store, "_db", None) or getattr(store, "db", None)


@pytest.fixture(params=OLD_VERSIONS, ids=[f"schema{v}" for v in OLD_VERSIONS])
def old(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    path = tmp_path / "old.sqlite3"
    return path, build_database(path, request.param)


@pytest.fixture
def upgraded(old: tuple[Path, dict[str, Any]]) -> Iterator[tuple[Store, dict[str, Any]]]:
    path, facts = old
    store = Store.open(path)
    yield store, facts
    store.close()


def test_the_old_file_is_what_that_version_wrote(old: tuple[Path, dict[str, Any]]) -> None:
    path, facts = old
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == facts["version"]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        columns = {r[1] for r in conn.execute("PRAGMA table_info(review)")}
        assert ("before" in columns) is (facts["version"] < 10)
        assert ("day_ms" in columns) is (facts["version"] >= 4)
        assert ("flag" in {r[1] for r in conn.execute("PRAGMA table_info(card)")}) is (
            facts["version"] >= FLAG)
        assert conn.execute("SELECT count(*) FROM review").fetchone()[0] == facts["review_count"]
    finally:
        conn.close()


def test_opening_upgrades_and_keeps_everything(
        upgraded: tuple[Store, dict[str, Any]]) -> None:
    store, facts = upgraded
    db = raw(store)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert not store.created

    decks = {r[0]: (r[1], r[2]) for r in db.execute(
        "SELECT deck.title, deck.source, preset.name FROM deck "
        "LEFT JOIN preset ON preset.id = deck.preset_id")}
    assert decks == {t: (d["source"], d["preset"]) for t, d in facts["decks"].items()}
    assert len(decks) == facts["deck_count"]

    cards = {r[0]: {"deck": r[1], "type": r[2], "state": r[3], "reps": r[4], "lapses": r[5],
                    "suspended": r[6], "due_ms": r[7], "flag": r[8]}
             for r in db.execute(
                 "SELECT card.key, deck.title, card.type, card.state, card.reps, card.lapses, "
                 "card.suspended, card.due_ms, card.flag FROM card JOIN deck "
                 "ON deck.id = card.deck_id")}
    assert cards == facts["cards"]
    assert len(cards) == facts["card_count"]
    assert {CardState(c["state"]) for c in cards.values()} == set(CardState)
    assert any(c["suspended"] for c in cards.values())

    assert db.execute("SELECT count(*) FROM review").fetchone()[0] == facts["review_count"]
    for key, expected in facts["reviews_by_key"].items():
        got = db.execute(
            "SELECT review.time_ms, rating, state_after FROM review JOIN card "
            "ON card.id = review.card_id WHERE card.key = ? ORDER BY time_ms", [key]).fetchall()
        assert [tuple(r) for r in got] == expected, key
    # Every review has its study day and, from the second on, the schedule it came from.
    assert db.execute("SELECT count(*) FROM review WHERE day_ms = 0 OR unscheduled != 0 "
                      "OR (reps_before > 0 AND (last_before_ms IS NULL "
                      "OR stability_before IS NULL))").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM review_turn").fetchone()[0] == facts["turn_count"]
    assert db.execute("SELECT count(*) FROM disagreement").fetchone()[0] == (
        facts["disagreement_count"])
    assert db.execute("SELECT count(*) FROM preset").fetchone()[0] == facts["preset_count"]
    assert json.loads(db.execute("SELECT value FROM setting WHERE key = 'theme'")
                      .fetchone()[0]) == "dark"

    assert store.integrity_problems(full=True) == []
    assert store.integrity_problems() == []


def test_the_store_reads_the_upgraded_cards(upgraded: tuple[Store, dict[str, Any]]) -> None:
    store, facts = upgraded
    db = raw(store)
    for key, expected in facts["cards"].items():
        (card_id,) = db.execute("SELECT id FROM card WHERE key = ?", [key]).fetchone()
        card = store.card(card_id)
        assert (int(card.schedule.state), card.reps, card.lapses, card.suspended) == (
            expected["state"], expected["reps"], expected["lapses"], bool(expected["suspended"]))
    new = store.new_cards(None, limit=100)
    assert sorted(c.key for c in new) == facts["new_keys"]
    light = store.preset_for_deck(db.execute(
        "SELECT id FROM deck WHERE source = 'import'").fetchone()[0])
    assert light.new_per_day == (5 if facts["version"] >= DECK_PRESET else 20)


def test_undo_restores_a_review_written_before_the_upgrade(
        upgraded: tuple[Store, dict[str, Any]]) -> None:
    store, _facts = upgraded
    db = raw(store)
    (card_id,) = db.execute("SELECT id FROM card WHERE key = 'a-relearning'").fetchone()
    card = store.undo_review(card_id)  # the lapse of day 4, back to review state
    assert card.schedule.state is CardState.REVIEW
    assert (card.reps, card.lapses, card.schedule.stability) == (1, 0, 8.3)
    assert card.schedule.due == datetime.fromtimestamp(DAY0 / 1000, tz=UTC) + timedelta(days=8)
    assert store.integrity_problems(full=True) == []


def test_a_review_can_be_written_after_the_upgrade(
        upgraded: tuple[Store, dict[str, Any]]) -> None:
    store, facts = upgraded
    db = raw(store)
    session = ReviewSession(store, clock=lambda: LATER, fuzz=False, local=UTC)
    graded = []
    for _ in range(3):
        card = session.current()
        assert card is not None
        if facts["cards"][card.key]["type"] != "conversation":  # played turn by turn
            session.check("Is it a bad idea to move the meeting?")
        session.grade(Grade.GOOD)
        graded.append(card.key)
    assert len(set(graded)) == 3
    assert db.execute("SELECT count(*) FROM review").fetchone()[0] == facts["review_count"] + 3
    for key in graded:
        assert db.execute("SELECT reps FROM card WHERE key = ?", [key]).fetchone()[0] == (
            facts["cards"][key]["reps"] + 1)
    assert store.integrity_problems(full=True) == []
    session.undo()
    assert store.integrity_problems(full=True) == []


def test_reopening_an_upgraded_collection_changes_nothing(
        old: tuple[Path, dict[str, Any]]) -> None:
    path, facts = old
    open_store(path).close()
    store = open_store(path)
    try:
        db = raw(store)
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("SELECT count(*) FROM review").fetchone()[0] == facts["review_count"]
        assert store.integrity_problems(full=True) == []
    finally:
        store.close()


@pytest.mark.parametrize("version", OLD_VERSIONS, ids=[f"schema{v}" for v in OLD_VERSIONS])
def test_the_cli_stats_and_check_work_on_an_old_collection(
        version: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    facts = build_database(paths.database_path(data), version)
    assert main(["--data-dir", str(data), "check", "--full"]) == 0
    assert "ok:" in capsys.readouterr().out
    assert main(["--data-dir", str(data), "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    # The built-in decks were installed on this first open by a new negodrill; ours are kept.
    assert stats["decks"] >= facts["deck_count"]
    assert stats["reviews"] == facts["review_count"]
    assert main(["--data-dir", str(data), "stats"]) == 0
    assert "reviews (all time)" in capsys.readouterr().out
    assert main(["--data-dir", str(data), "check"]) == 0
    captured = capsys.readouterr()
    assert "ok:" in captured.out
    assert captured.err == ""
    conn = sqlite3.connect(paths.database_path(data))
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        titles = {r[0] for r in conn.execute("SELECT title FROM deck")}
        assert set(facts["decks"]) <= titles
    finally:
        conn.close()


def test_a_review_before_a_progress_reset_keeps_its_study_day(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    build_database(path, 3)
    conn = sqlite3.connect(path)
    (card_id,) = conn.execute("SELECT id FROM card WHERE key = 'b-new'").fetchone()
    day = 86_400_000
    blank = {"state": 0, "step": None, "stability": None, "difficulty": None, "due_ms": None,
             "last_review_ms": None, "reps": 0, "lapses": 0}
    insert = ("INSERT INTO review (card_id, time_ms, rating, state_before, state_after, before) "
              "VALUES (?, ?, 4, 0, 2, ?)")
    with conn:
        # Easy on day 1; a deck update with `reset_progress` (store.reset_card) clears the
        # schedule but keeps reps; studied again, Easy, on day 7.
        conn.execute(insert, (card_id, DAY0 + day + 9 * 3_600_000, json.dumps(blank)))
        conn.execute(insert, (card_id, DAY0 + 7 * day + 9 * 3_600_000,
                              json.dumps({**blank, "step": 0, "reps": 1})))
        conn.execute("UPDATE card SET state = 2, stability = 8.0, difficulty = 3.0, due_ms = ?, "
                     "last_review_ms = ?, reps = 2 WHERE id = ?",
                     (DAY0 + 15 * day, DAY0 + 7 * day, card_id))
    conn.close()
    store = Store.open(path)
    try:
        days = [r[0] for r in raw(store).execute(
            "SELECT day_ms FROM review WHERE card_id = ? ORDER BY time_ms", [card_id])]
        assert store.integrity_problems(full=True) == []
        assert days == [DAY0 + day, DAY0 + 7 * day]
    finally:
        store.close()
