"""The learner's collection in SQLite: decks, cards, the review log, presets and settings.

All SQL of negodrill lives in this package. Counts are SQL aggregates, never Python loops over
rows, so the deck list stays instant with a hundred thousand cards.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negodrill.core.errors import DatabaseError, NegodrillError
from negodrill.core.models import (
    Card,
    CardState,
    DeckSummary,
    Grade,
    Preset,
    Review,
    Schedule,
)
from negodrill.core.studyday import Today
from negodrill.storage.conditions import LEARNING_DUE_BY, LIVE, NEW, REVIEW_DUE_BEFORE
from negodrill.storage.database import open_database, open_memory

if TYPE_CHECKING:
    from negodrill.storage.connection import Database

BURIED_ON_KEY = "buried_on"  # the study day (its start) cards were last buried on

CARD_COLUMNS = (
    "id, deck_id, key, content, tags, state, step, stability, difficulty, due_ms, "
    "last_review_ms, reps, lapses, suspended"
)


def to_ms(moment: datetime | None) -> int | None:
    if moment is None:
        return None
    return int(moment.timestamp() * 1000)


def from_ms(value: int | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def _schedule_before(card: Card) -> tuple[Any, ...]:
    """The card's schedule before a review, as the review row keeps it (for undo, the
    tally's first showings and the report's intervals): step, stability, difficulty, due,
    last review, reps, lapses (the state is `state_before`)."""
    s = card.schedule
    return (s.step, s.stability, s.difficulty, to_ms(s.due), to_ms(s.last_review), card.reps,
            card.lapses)


# The review row as written, in this order (`write_reviews`, the benchmarks).
REVIEW_COLUMNS = ("card_id, time_ms, rating, duration_ms, answer, correct, coach_label, "
                  "coach_flaws, state_before, state_after, day_ms, step_before, "
                  "stability_before, difficulty_before, due_before_ms, last_before_ms, "
                  "reps_before, lapses_before, unscheduled")


def _deck_filter(deck_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    if deck_ids is None:
        return "", []
    marks = ", ".join("?" for _ in deck_ids) or "NULL"
    return f" AND card.deck_id IN ({marks})", list(deck_ids)


class Store:
    """The one gateway to the database. Open with `Store.open(path)`; close when done.

    The `Database` connection is private to negodrill/storage: other packages call methods
    and functions of this package, never SQL.
    """

    def __init__(self, db: Database, *, path: Path | None = None, created: bool = False) -> None:
        self._db = db
        self.path = path
        self.created = created
        self.read_only = False  # the data dir cannot be written: reads work, writes refused
        self.read_only_why = ""  # "folder" (a read-only folder or disk) or "disk full"

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Store:
        db, created = open_database(path, read_only=read_only)
        store = cls(db, path=path, created=created)
        store.read_only = read_only
        store.read_only_why = "folder" if read_only else ""
        return store

    @classmethod
    def memory(cls) -> Store:
        return cls(open_memory(), created=True)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction (a savepoint when nested): everything in the block commits together
        or, on an exception, not at all."""
        with self._writing(), self._db.atomic():
            yield

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A write that meets a full disk, a read-only folder or damage says so in the
        learner's words (storage/datadir.py); the transaction has rolled back by then."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            from negodrill.storage import datadir

            if self.read_only and self.path is not None:
                raise datadir.cannot_save(self.path.parent, self.read_only_why) from None
            raise datadir.from_sqlite_error(exc, self.path) from None

    @contextmanager
    def immediate(self) -> Iterator[None]:
        """A write transaction that takes the write lock before it reads (BEGIN IMMEDIATE):
        another process's writer waits for it (busy timeout) instead of both reading the same
        state and one failing to write. COMMIT on success, ROLLBACK on an exception; nested
        in a transaction already open, a savepoint of it."""
        conn = self._db.conn
        if conn.in_transaction:
            with self._writing(), self._db.atomic():
                yield
            return
        with self._writing():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._db.execute(sql, list(params)).fetchone()
        return row[0] if row else None

    # -- settings and presets -------------------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        raw = self._one("SELECT value FROM setting WHERE key = ?", [key])
        return default if raw is None else json.loads(raw)

    def set_setting(self, key: str, value: Any) -> None:
        with self.atomic():
            self._db.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value)],
            )

    def preset(self) -> Preset:
        raw = self._one("SELECT config FROM preset ORDER BY id LIMIT 1")
        return Preset.from_dict(json.loads(raw)) if raw else Preset()

    def save_preset(self, preset: Preset) -> None:
        config = json.dumps(preset.to_dict())
        with self.atomic():
            if self._one("SELECT id FROM preset ORDER BY id LIMIT 1") is None:
                self._db.execute(
                    "INSERT INTO preset (name, config) VALUES ('Default', ?)", [config]
                )
            else:
                self._db.execute(
                    "UPDATE preset SET config = ? WHERE id = (SELECT min(id) FROM preset)",
                    [config],
                )

    # -- cards ---------------------------------------------------------------------------
    @staticmethod
    def card_from_row(row: Sequence[Any]) -> Card:
        # The card contents' classes load with the first card, not with the deck list.
        from negodrill.core.cards import content_from_json

        (cid, deck_id, key, content, tags, state, step, stability, difficulty, due_ms,
         last_ms, reps, lapses, suspended) = row
        data = json.loads(content)
        return Card(
            id=cid,
            deck_id=deck_id,
            key=key,
            content=content_from_json(data),
            schedule=Schedule(
                state=CardState(state),
                step=step,
                stability=stability,
                difficulty=difficulty,
                due=from_ms(due_ms),
                last_review=from_ms(last_ms),
            ),
            tags=tuple(tags.split()),
            notes=str(data.get("notes", "")),
            reps=reps,
            lapses=lapses,
            suspended=bool(suspended),
        )

    def card(self, card_id: int) -> Card:
        row = self._db.execute(
            f"SELECT {CARD_COLUMNS} FROM card WHERE id = ?", [card_id]
        ).fetchone()
        if row is None:
            raise NegodrillError(f"card {card_id} no longer exists")
        return self.card_from_row(row)

    def card_json(self, card_id: int) -> dict[str, Any]:
        raw = self._one("SELECT content FROM card WHERE id = ?", [card_id])
        if raw is None:
            raise NegodrillError(f"card {card_id} no longer exists")
        data: dict[str, Any] = json.loads(raw)
        return data

    def due_cards(
        self, deck_ids: Sequence[int] | None, *, learning_until: datetime, review_until: datetime,
        review_limit: int | None = None,
    ) -> list[Card]:
        """Learning cards due by `learning_until` (all of them), then review cards due before
        `review_until`, most overdue first, at most `review_limit`: a session never loads the
        thousands of due cards its daily limit will not show."""
        where, params = _deck_filter(deck_ids)
        learning = self._db.execute(
            f"SELECT {CARD_COLUMNS} FROM card WHERE {LIVE} AND "
            f"{LEARNING_DUE_BY}{where} ORDER BY due_ms, id",
            [to_ms(learning_until), *params],
        ).fetchall()
        reviews = self._db.execute(
            f"SELECT {CARD_COLUMNS} FROM card WHERE {LIVE} AND "
            f"{REVIEW_DUE_BEFORE}{where} ORDER BY due_ms, id LIMIT ?",
            [to_ms(review_until), *params, -1 if review_limit is None else review_limit],
        ).fetchall()
        return [self.card_from_row(r) for r in (*learning, *reviews)]

    def new_cards(self, deck_ids: Sequence[int] | None, *, limit: int) -> list[Card]:
        where, params = _deck_filter(deck_ids)
        if deck_ids:
            # Deck-list order: the order the decks were given (the learner's study order).
            order = " ".join(f"WHEN {int(d)} THEN {i}" for i, d in enumerate(deck_ids))
            deck_order = f"CASE card.deck_id {order} END"
        else:
            deck_order = "card.deck_id"
        rows = self._db.execute(
            f"SELECT {CARD_COLUMNS} FROM card WHERE {NEW} AND {LIVE}"
            f"{where} ORDER BY {deck_order}, position, id LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [self.card_from_row(r) for r in rows]

    def studied_today(self, since: datetime, until: datetime | None = None) -> tuple[int, int]:
        """(new cards introduced, review-card answers) in [since, until): what the daily
        limits count."""
        row = self._db.execute(
            f"SELECT coalesce(sum(state_before = {int(CardState.NEW)}), 0), "
            f"coalesce(sum(state_before = {int(CardState.REVIEW)}), 0) "
            "FROM review WHERE time_ms >= ? AND time_ms < ? AND unscheduled = 0",
            [to_ms(since), to_ms(until) if until is not None else 2**62],
        ).fetchone()
        return int(row[0]), int(row[1])

    def studied_today_by_deck(self, since: datetime,
                              until: datetime | None = None) -> dict[int, tuple[int, int]]:
        """`studied_today` per deck (absent: none), what each deck's own limits count."""
        from negodrill.storage.presets import studied_today_by_deck

        return studied_today_by_deck(self, since, until)

    def preset_for_deck(self, deck_id: int) -> Preset:
        """A deck's settings: its preset's limits and retention, the rest the default's."""
        from negodrill.storage.presets import preset_for_deck

        return preset_for_deck(self, deck_id)

    # -- reviews ---------------------------------------------------------------------------
    def save_review(self, card: Card, review: Review, after: Schedule) -> Card:
        """The review row and the card's new state commit together or not at all; `CardChanged`
        (nothing written) when the card was graded elsewhere since `card` was read."""
        with self.immediate():
            if self._one("SELECT id FROM card WHERE id = ?", [card.id]) is None:
                raise NegodrillError("the card was deleted while it was being reviewed")
            return self.write_review(card, review, after)

    def save_practice(self, card: Card, review: Review, day_start_ms: int) -> None:
        """A practice answer: logged unscheduled, the card left as it was (storage/practice)."""
        from negodrill.storage.practice import save_practice

        save_practice(self, card, review, day_start_ms)

    def practice_cards(self, deck_ids: Sequence[int] | None, *, due_until_ms: int | None = None,
                       tag: str | None = None, flaw: str | None = None,
                       limit: int = 100) -> list[Card]:
        """The cards of a practice session (storage/practice)."""
        from negodrill.storage.practice import practice_cards

        return practice_cards(self, deck_ids, due_until_ms=due_until_ms, tag=tag, flaw=flaw,
                              limit=limit)

    def write_review(self, card: Card, review: Review, after: Schedule) -> Card:
        """Append a review and move the card on, inside the caller's transaction."""
        return self.write_reviews(card, [(review, after)])

    def write_reviews(self, card: Card, steps: Sequence[tuple[Review, Schedule]]) -> Card:
        """Append reviews in order, each with the schedule it led to, in the caller's
        transaction; the card ends in the last schedule (an imported history in one go).
        A conversation review's turns go to `review_turn`, with the review's study day.

        `card` must be the card as stored: the card's row is moved on only if its schedule is
        still the one `card` holds (its reps, last review and state), else `CardChanged` is
        raised before anything is written. So a grade given on a stale read (another window or
        terminal graded the card since) never silently replaces the other grade."""
        from negodrill.storage.review_writes import write_reviews

        return write_reviews(self, card, steps)

    def last_review_times(self, deck_id: int) -> dict[int, int]:
        """Each reviewed card of a deck with the time of its latest review (epoch ms)."""
        rows = self._db.execute(
            "SELECT review.card_id, max(review.time_ms) FROM review JOIN card "
            "ON card.id = review.card_id WHERE card.deck_id = ? GROUP BY review.card_id",
            [deck_id],
        ).fetchall()
        return {int(r[0]): int(r[1]) for r in rows}

    def deck_reviews(self, deck_id: int) -> list[tuple[str, Review]]:
        """Every review of a deck's cards, oldest first, with the card's stable key (export)."""
        rows = self._db.execute(
            "SELECT card.key, review.card_id, review.time_ms, review.rating, review.duration_ms, "
            "review.answer, review.correct, review.coach_label, review.coach_flaws "
            "FROM review JOIN card ON card.id = review.card_id "
            "WHERE card.deck_id = ? AND card.retired = 0 ORDER BY review.time_ms, review.id",
            [deck_id],
        ).fetchall()
        return [
            (key, Review(card_id=cid, time=from_ms(t) or datetime.now(UTC), grade=Grade(rating),
                         duration_ms=duration, answer=answer,
                         correct=None if correct is None else bool(correct),
                         coach_label=label, coach_flaws=tuple(json.loads(flaws))))
            for key, cid, t, rating, duration, answer, correct, label, flaws in rows
        ]

    def undo_review(self, card_id: int, *, expected: Card | None = None) -> Card:
        """Restore the card exactly as it was before its last review and delete that review.

        `expected`: the card as the grade being taken back left it; when another window or
        terminal has graded the card since, `CardChanged` and nothing is undone (their grade
        is not the learner's to take back)."""
        with self.immediate():
            if expected is not None:
                from negodrill.storage.review_writes import check_unchanged

                check_unchanged(self._db, expected)
            row = self._db.execute(
                "SELECT id, state_before, step_before, stability_before, difficulty_before, "
                "due_before_ms, last_before_ms, reps_before, lapses_before FROM review "
                "WHERE card_id = ? ORDER BY id DESC LIMIT 1",
                [card_id],
            ).fetchone()
            if row is None:
                raise NegodrillError("this card has no review to undo")
            review_id = row[0]
            self._db.execute(
                "UPDATE card SET state = ?, step = ?, stability = ?, difficulty = ?, due_ms = ?, "
                "last_review_ms = ?, reps = ?, lapses = ? WHERE id = ?",
                [*row[1:], card_id],
            )
            self._db.execute("DELETE FROM review WHERE id = ?", [review_id])
        return self.card(card_id)

    # -- decks ----------------------------------------------------------------------------
    def deck_ids(self) -> list[int]:
        """Deck-list order: the order decks were added."""
        return [int(r[0]) for r in self._db.execute("SELECT id FROM deck ORDER BY id").fetchall()]

    def deck_summaries(self, today: Today) -> list[DeckSummary]:
        """Each deck with its card count and what is on for `today` (capped by the daily limits,
        as a session over that deck alone would be)."""
        from negodrill.storage.deck_rows import summaries

        return summaries(self, today)

    def deck_by_uuid(self, uuid: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT id, uuid, title, revision, source, description, meta, techniques "
            "FROM deck WHERE uuid = ?",
            [uuid],
        ).fetchone()
        return self._deck_dict(row)

    def deck(self, deck_id: int) -> dict[str, Any]:
        row = self._db.execute(
            "SELECT id, uuid, title, revision, source, description, meta, techniques "
            "FROM deck WHERE id = ?",
            [deck_id],
        ).fetchone()
        deck = self._deck_dict(row)
        if deck is None:
            raise NegodrillError(f"deck {deck_id} no longer exists")
        return deck

    @staticmethod
    def _deck_dict(row: Sequence[Any] | None) -> dict[str, Any] | None:
        if row is None:
            return None
        keys = ("id", "uuid", "title", "revision", "source", "description", "meta", "techniques")
        deck = dict(zip(keys, row, strict=True))
        deck["meta"] = json.loads(deck["meta"])
        deck["techniques"] = json.loads(deck["techniques"])
        return deck

    def find_deck(self, name: str) -> int:
        """A deck by id number, UUID, or title (case-insensitive)."""
        name = name.strip()
        if name.isdigit() and self._one("SELECT id FROM deck WHERE id = ?", [int(name)]):
            return int(name)
        found = self._one(
            "SELECT id FROM deck WHERE uuid = ? OR lower(title) = lower(?) ORDER BY id LIMIT 1",
            [name, name],
        )
        if found is None:
            raise NegodrillError(f'there is no deck called "{name}"')
        return int(found)

    def insert_deck(
        self, *, uuid: str, title: str, revision: int, source: str, description: str = "",
        meta: dict[str, Any] | None = None, techniques: list[Any] | None = None, now: datetime,
    ) -> int:
        cursor = self._db.execute(
            "INSERT INTO deck (uuid, title, description, revision, source, meta, techniques, "
            "created_ms, modified_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [uuid, title, description, revision, source, json.dumps(meta or {}),
             json.dumps(techniques or []), to_ms(now), to_ms(now)],
        )
        assert cursor.lastrowid is not None
        return int(cursor.lastrowid)

    def update_deck(
        self, deck_id: int, *, title: str, revision: int, description: str,
        meta: dict[str, Any], techniques: list[Any], now: datetime,
    ) -> None:
        self._db.execute(
            "UPDATE deck SET title = ?, revision = ?, description = ?, meta = ?, techniques = ?, "
            "modified_ms = ? WHERE id = ?",
            [title, revision, description, json.dumps(meta), json.dumps(techniques),
             to_ms(now), deck_id],
        )

    def delete_deck(self, deck_id: int) -> None:
        with self.atomic():
            self._db.execute("DELETE FROM deck WHERE id = ?", [deck_id])

    # -- card writes (used inside the caller's transaction) ------------------------------------
    _INSERT_CARD = (
        "INSERT INTO card (deck_id, key, position, type, content, content_hash, "
        "upstream_hash, upstream_rev, headline, technique, tags, modified_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )

    @staticmethod
    def _card_row(deck_id: int, data: dict[str, Any], position: int, now_ms: int | None,
                  upstream: bool) -> tuple[Any, ...]:
        from negodrill.core.cards import content_hash, headline

        digest = content_hash(data)
        tags = data.get("tags") or []
        return (
            deck_id, data["id"], position, data["type"], json.dumps(data, ensure_ascii=False),
            digest, digest if upstream else None, data.get("rev", 1) if upstream else None,
            headline(data), data.get("technique"), f" {' '.join(tags)} " if tags else "",
            now_ms,
        )

    def insert_card(
        self, deck_id: int, data: dict[str, Any], *, position: int, now: datetime,
        upstream: bool = True,
    ) -> int:
        row = self._card_row(deck_id, data, position, to_ms(now), upstream)
        cursor = self._db.conn.execute(self._INSERT_CARD, row)
        assert cursor.lastrowid is not None
        return int(cursor.lastrowid)

    def insert_cards(
        self, deck_id: int, cards: Sequence[tuple[int, dict[str, Any]]], *, now: datetime
    ) -> None:
        """Many (position, card) pairs of a deck file at once: a new deck in one statement."""
        now_ms = to_ms(now)
        self._db.conn.executemany(
            self._INSERT_CARD,
            (self._card_row(deck_id, data, position, now_ms, True) for position, data in cards),
        )

    def card_keys(self, deck_id: int) -> dict[str, dict[str, Any]]:
        """Each card of a deck by its stable key, with what a re-import needs to compare."""
        rows = self._db.execute(
            "SELECT key, id, content_hash, upstream_hash, upstream_rev, retired, position "
            "FROM card WHERE deck_id = ?",
            [deck_id],
        ).fetchall()
        return {
            r[0]: {"id": r[1], "hash": r[2], "upstream_hash": r[3], "upstream_rev": r[4],
                   "retired": bool(r[5]), "position": r[6]}
            for r in rows
        }

    def update_card_content(
        self, card_id: int, data: dict[str, Any], *, now: datetime, upstream: bool,
        position: int | None = None,
    ) -> None:
        """Replace a card's content; `upstream` marks it as the deck author's text."""
        from negodrill.core.cards import content_hash, headline

        digest = content_hash(data)
        tags = data.get("tags") or []
        sets = ("content = ?, content_hash = ?, headline = ?, technique = ?, tags = ?, "
                "modified_ms = ?, retired = 0")
        params: list[Any] = [
            json.dumps(data, ensure_ascii=False), digest, headline(data), data.get("technique"),
            f" {' '.join(tags)} " if tags else "", to_ms(now),
        ]
        if upstream:
            sets += ", upstream_hash = ?, upstream_rev = ?"
            params += [digest, data.get("rev", 1)]
        if position is not None:
            sets += ", position = ?"
            params.append(position)
        self._db.execute(f"UPDATE card SET {sets} WHERE id = ?", [*params, card_id])

    def move_card(self, card_id: int, *, position: int) -> None:
        """A card back in its deck file at `position`, studied again if it was retired."""
        self._db.execute(
            "UPDATE card SET position = ?, retired = 0 WHERE id = ?", [position, card_id]
        )

    def reset_card(self, card_id: int) -> None:
        self._db.execute(
            "UPDATE card SET state = 0, step = 0, stability = NULL, difficulty = NULL, "
            "due_ms = NULL, last_review_ms = NULL WHERE id = ?",
            [card_id],
        )

    def retire_cards(self, card_ids: Sequence[int]) -> None:
        self._db.conn.executemany(
            "UPDATE card SET retired = 1 WHERE id = ?", [(cid,) for cid in card_ids]
        )

    def next_position(self, deck_id: int) -> int:
        value = self._one("SELECT coalesce(max(position), -1) + 1 FROM card WHERE deck_id = ?",
                          [deck_id])
        return int(value)

    def set_suspended(self, card_ids: Sequence[int], suspended: bool) -> None:
        with self.atomic():
            self._db.conn.executemany(
                "UPDATE card SET suspended = ? WHERE id = ?",
                [(int(suspended), cid) for cid in card_ids],
            )

    def bury(self, card_ids: Sequence[int], today_start_ms: int) -> None:
        """Hide cards until the next study day (Anki's bury): `suspended = 2`, which every
        queue and count already leaves out; `unbury_before` brings them back."""
        with self.atomic():
            self._db.conn.executemany("UPDATE card SET suspended = 2 WHERE id = ? AND "
                                     "suspended = 0", [(cid,) for cid in card_ids])
            self.set_setting(BURIED_ON_KEY, today_start_ms)

    def unbury_before(self, today_start_ms: int) -> None:
        """A new study day: cards buried on an earlier day come back (one cheap read when
        nothing is buried)."""
        buried_on = self.setting(BURIED_ON_KEY)
        if buried_on is None or int(buried_on) >= today_start_ms or self.read_only:
            return  # read-only: yesterday's buried cards stay hidden rather than fail a read
        with self.atomic():
            self._db.execute("UPDATE card SET suspended = 0 WHERE suspended = 2")
            self._db.execute("DELETE FROM setting WHERE key = ?", [BURIED_ON_KEY])

    def toggle_flag(self, card_id: int) -> int:
        """Flag a card, or unflag a flagged one; the new flag (1 or 0)."""
        with self.atomic():
            self._db.execute("UPDATE card SET flag = CASE flag WHEN 0 THEN 1 ELSE 0 END "
                            "WHERE id = ?", [card_id])
        return int(self._one("SELECT flag FROM card WHERE id = ?", [card_id]) or 0)

    def card_key(self, card_id: int) -> str:
        return str(self._one("SELECT key FROM card WHERE id = ?", [card_id]) or "")

    def suspend_keys(self, deck_id: int, keys: Sequence[str]) -> None:
        """Suspend cards of a deck by their stable keys, in the caller's transaction."""
        self._db.conn.executemany(
            "UPDATE card SET suspended = 1 WHERE deck_id = ? AND key = ?",
            [(deck_id, key) for key in keys],
        )

    def delete_cards(self, card_ids: Sequence[int]) -> None:
        with self.atomic():
            self._db.conn.executemany(
                "DELETE FROM card WHERE id = ?", [(cid,) for cid in card_ids]
            )

    def deck_cards_json(self, deck_id: int) -> list[dict[str, Any]]:
        """A deck's cards as deck-file objects, in file order (for export)."""
        rows = self._db.execute(
            "SELECT content FROM card WHERE deck_id = ? AND retired = 0 ORDER BY position, id",
            [deck_id],
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def review_count(self, deck_id: int) -> int:
        """How many reviews the deck's current (not retired) cards have."""
        return int(self._one(
            "SELECT count(*) FROM review JOIN card ON card.id = review.card_id "
            "WHERE card.deck_id = ? AND card.retired = 0", [deck_id]))

    def deck_card_schedules(self, deck_id: int) -> dict[str, tuple[Any, ...]]:
        """Each studied card of a deck by key: state, due, stability, difficulty, last review,
        reps, lapses and step (for an export with history)."""
        rows = self._db.execute(
            "SELECT key, state, due_ms, stability, difficulty, last_review_ms, reps, lapses, "
            "step FROM card WHERE deck_id = ? AND retired = 0 AND state > 0",
            [deck_id],
        ).fetchall()
        return {r[0]: tuple(r[1:]) for r in rows}

    # -- health ---------------------------------------------------------------------------
    def integrity_problems(self, *, full: bool = False) -> list[str]:
        """SQLite's quick check and card states that disagree with the review log; `full` adds
        the whole integrity check, the foreign keys and the tally (see storage/health.py)."""
        from negodrill.storage.health import problems

        return problems(self, full=full)


def open_store(path: Path, *, read_only: bool = False) -> Store:
    try:
        return Store.open(path, read_only=read_only)
    except DatabaseError:
        raise
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot be opened ({exc.strerror or exc})") from None
