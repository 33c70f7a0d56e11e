"""Collections as older negodrills wrote them: the schema of version N (MIGRATIONS[:N], run the
way `migrate` runs them) filled with the data that version could hold, for upgrade tests.

`build_database(path, version)` writes two decks, cards in every state (new, learning, review,
relearning, suspended; a conversation card from schema 6), a review log that agrees with them,
the default preset and a second one, a few settings; from schema 5 a coach disagreement, from 8
a flagged card, from 9 a deck with a preset of its own. Reviews are inserted with the columns of
their time: the schedule before each as JSON in `before` until schema 10 (the keys the old
`_schedule_json` wrote and review_log.migrate_to_10 reads), `day_ms` from schema 4 (the tally
triggers of that time then keep the tally), typed `*_before` columns from schema 10.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from negodrill import paths
from negodrill.core.cards import content_hash, headline
from negodrill.core.models import Preset
from negodrill.storage.connection import Database
from negodrill.storage.database import MIGRATIONS, SCHEMA_VERSION, _run_script

DAY_MS = 86_400_000
MINUTE_MS = 60_000
HOUR_MS = 3_600_000
DAY0 = int(datetime(2026, 3, 2, tzinfo=UTC).timestamp() * 1000)  # a study day's start (UTC)
CREATED = DAY0 - 3 * DAY_MS

# Versions at which a feature first exists in the schema.
TALLY, DISAGREEMENT, CONVERSATION, FLAG, DECK_PRESET, TYPED_BEFORE = 4, 5, 6, 8, 9, 10


def build_schema(db: Database, version: int) -> None:
    """Take an empty database to `version` exactly as `database.migrate` does, one step (and its
    version bump) per transaction, function steps called as `step(db, n + 1)`."""
    for number in range(version):
        step = MIGRATIONS[number]
        if callable(step):
            step(db, number + 1)
            continue
        with db.atomic():
            _run_script(db, step)
            db.execute(f"PRAGMA user_version = {number + 1}")


# -- the cards ------------------------------------------------------------------------------

def _basic(key: str, n: int) -> dict[str, Any]:
    return {"id": key, "type": "basic", "rev": 1, "front": f"What does a label sound like? {n}",
            "back": f"It sounds like you... {n}", "tags": ["labels", f"set{n % 2}"]}


def _drill(key: str, n: int) -> dict[str, Any]:
    return {"id": key, "type": "drill", "rev": 1, "situation": f"Your landlord, visit {n}.",
            "prompt": "Can we move the meeting to Friday?", "technique": "no-question",
            "rewrites": ["Would it be a bad idea to move the meeting to Friday?"]}


def _choice(key: str, n: int) -> dict[str, Any]:
    return {"id": key, "type": "choice", "rev": 1, "question": f"Which one invites a no? {n}",
            "options": [{"id": "a", "text": "Is now a bad time?", "correct": True,
                         "why": "a safe no"},
                        {"id": "b", "text": "Do you have a minute?", "why": "asks for a yes"}]}


def _conversation() -> dict[str, Any]:
    """A real conversation card, from the shipped conversations deck."""
    for path in sorted(paths.builtin_decks_dir().glob("*.negodeck.json")):
        for card in json.loads(path.read_text(encoding="utf-8"))["cards"]:
            if card.get("type") == "conversation":
                return dict(card, id="talk-clinic")
    raise AssertionError("no conversation card ships with negodrill")


@dataclass
class Answer:
    """One review: on day `day` at `hour`, `rating`, and the schedule it led to."""

    day: int
    hour: float
    rating: int
    state: int  # after
    step: int | None
    stability: float
    difficulty: float
    due_ms: int  # after
    correct: int | None = None
    coach_label: str | None = None
    coach_flaws: tuple[str, ...] = ()
    answer: str = ""
    turns: tuple[tuple[str, str | None, tuple[str, ...], int, int], ...] = ()


@dataclass
class CardSpec:
    deck: int  # index into DECKS
    key: str
    content: dict[str, Any]
    answers: list[Answer] = field(default_factory=list)
    suspended: int = 0
    flag: int = 0
    since: int = 0  # the first schema version that can hold the card


def _at(day: int, hour: float = 0) -> int:
    return DAY0 + day * DAY_MS + int(hour * HOUR_MS)


DECKS = (
    {"uuid": "7b1f9a52-5a0c-4c55-9d7e-0c4a1f7e2a11", "title": "No-oriented questions",
     "source": "local", "description": "My own drills"},
    {"uuid": "3c2e8d44-91b7-4f0e-8a3b-6f5d2c1e9b22", "title": "Labels (imported)",
     "source": "import", "description": "From a friend's file"},
)


def _cards() -> list[CardSpec]:
    def drill_ok(day: int, hour: float, rating: int, state: int, step: int | None,
                 stability: float, difficulty: float, due_ms: int) -> Answer:
        return Answer(day, hour, rating, state, step, stability, difficulty, due_ms, correct=1,
                      coach_label="no_oriented", answer="Is Friday a bad idea?")

    return [
        CardSpec(0, "a-new-1", _basic("a-new-1", 1)),
        CardSpec(0, "a-new-2", _drill("a-new-2", 2)),
        # learning: one Good on day 0, back in 10 minutes
        CardSpec(0, "a-learning", _drill("a-learning", 3), [
            drill_ok(0, 9, 3, 1, 1, 2.31, 5.1, _at(0, 9) + 10 * MINUTE_MS),
        ]),
        # review: learnt on day 0 (twice that day), then a review on day 3
        CardSpec(0, "a-review", _basic("a-review", 4), [
            Answer(0, 9.5, 3, 1, 1, 2.31, 5.1, _at(0, 9.5) + 10 * MINUTE_MS),
            Answer(0, 9.8, 3, 2, None, 2.9, 5.0, _at(2)),
            Answer(3, 10, 3, 2, None, 8.4, 4.9, _at(11)),
        ]),
        # relearning: Easy straight to review, then forgotten on day 4 (a lapse)
        CardSpec(0, "a-relearning", _choice("a-relearning", 5), [
            Answer(0, 10, 4, 2, None, 8.3, 3.2, _at(8), correct=1, answer="a"),
            Answer(4, 11, 1, 3, 0, 1.2, 6.6, _at(4, 11) + 10 * MINUTE_MS, correct=0,
                   answer="b"),
        ], flag=1),
        # suspended after reaching review
        CardSpec(0, "a-suspended", _basic("a-suspended", 6), [
            Answer(0, 10.5, 3, 1, 1, 2.31, 5.1, _at(0, 10.5) + 10 * MINUTE_MS),
            Answer(1, 9, 3, 2, None, 3.5, 5.0, _at(4)),
        ], suspended=1),
        # deck 2: a drill in review (a flawed answer on day 6), a new choice, a suspended new one
        CardSpec(1, "b-review", _drill("b-review", 7), [
            drill_ok(1, 20, 4, 2, None, 9.1, 3.0, _at(10)),
            Answer(6, 8, 2, 2, None, 12.5, 5.9, _at(18), correct=0, coach_label="yes_question",
                   coach_flaws=("yes_question", "too_long"), answer="Can we do Friday?"),
        ]),
        CardSpec(1, "b-new", _choice("b-new", 8)),
        CardSpec(1, "b-suspended-new", _basic("b-suspended-new", 9), suspended=1),
        # a conversation card (schema 6): one review of two turns
        CardSpec(1, "talk-clinic", _conversation(), [
            Answer(2, 19, 3, 1, 1, 2.31, 5.1, _at(2, 19) + 10 * MINUTE_MS, turns=(
                ("Have you given up on the pilot?", "no_oriented", (), 1, 0),
                ("It seems like the last rollout hurt.", "label", ("too_long",), 1, 1),
            )),
        ], since=CONVERSATION),
    ]


# -- writing --------------------------------------------------------------------------------

def _columns(db: Database, table: str) -> set[str]:
    return {str(r[1]) for r in db.execute(f"PRAGMA table_info({table})").fetchall()}


def _insert(db: Database, table: str, row: dict[str, Any]) -> int:
    """Insert only the columns this schema has; a missing one it must have fails loudly."""
    have = _columns(db, table)
    unknown = set(row) - have
    if unknown:
        raise AssertionError(f"{table} has no {sorted(unknown)} at this schema")
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cursor = db.conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))
    return int(cursor.lastrowid or 0)


def _fill(db: Database, version: int) -> dict[str, Any]:
    with db.atomic():
        # Presets and settings (schema 1 has both tables).
        default_id = _insert(db, "preset", {"name": "Default",
                                            "config": json.dumps(Preset().to_dict())})
        light_id = _insert(db, "preset", {"name": "Light", "config": json.dumps(
            Preset(new_per_day=5, reviews_per_day=50, desired_retention=0.85).to_dict())})
        for key, value in (("theme", "dark"), ("last_deck", DECKS[0]["uuid"])):
            _insert(db, "setting", {"key": key, "value": json.dumps(value)})

        deck_ids = []
        for n, deck in enumerate(DECKS):
            deck_row = {**deck, "revision": 1 + n, "meta": json.dumps({"id": deck["uuid"]}),
                        "techniques": "[]", "created_ms": CREATED, "modified_ms": CREATED}
            if version >= DECK_PRESET and n == 1:
                deck_row["preset_id"] = light_id
            deck_ids.append(_insert(db, "deck", deck_row))

        cards = [c for c in _cards() if version >= c.since]
        card_ids: dict[str, int] = {}
        expected_cards: dict[str, dict[str, Any]] = {}
        reviews: list[tuple[int, Answer, dict[str, Any]]] = []
        for position, spec in enumerate(cards):
            data = spec.content
            tags = data.get("tags") or []
            last = spec.answers[-1] if spec.answers else None
            lapses = sum(1 for a, b in zip([None, *spec.answers], spec.answers, strict=False)
                         if a is not None and a.state == 2 and b.rating == 1)
            row: dict[str, Any] = {
                "deck_id": deck_ids[spec.deck], "key": spec.key, "position": position,
                "type": data["type"], "content": json.dumps(data, ensure_ascii=False),
                "content_hash": content_hash(data), "upstream_hash": content_hash(data),
                "upstream_rev": data.get("rev", 1), "headline": headline(data),
                "technique": data.get("technique"),
                "tags": f" {' '.join(tags)} " if tags else "",
                "state": last.state if last else 0, "step": last.step if last else None,
                "stability": last.stability if last else None,
                "difficulty": last.difficulty if last else None,
                "due_ms": last.due_ms if last else None,
                "last_review_ms": _at(last.day) if last else None,
                "reps": len(spec.answers), "lapses": lapses, "suspended": spec.suspended,
                "modified_ms": CREATED,
            }
            if version >= FLAG:
                row["flag"] = spec.flag
            card_ids[spec.key] = _insert(db, "card", row)
            expected_cards[spec.key] = {
                "deck": DECKS[spec.deck]["title"], "type": data["type"],
                "state": row["state"], "reps": row["reps"], "lapses": lapses,
                "suspended": spec.suspended, "due_ms": row["due_ms"],
                "flag": spec.flag if version >= FLAG else 0,
            }
            # The schedule before each answer, as the card stood.
            before: dict[str, Any] = {"state": 0, "step": None, "stability": None,
                                      "difficulty": None, "due_ms": None,
                                      "last_review_ms": None, "reps": 0, "lapses": 0}
            for answer in spec.answers:
                reviews.append((card_ids[spec.key], answer, dict(before)))
                lapse = before["state"] == 2 and answer.rating == 1
                before = {"state": answer.state, "step": answer.step,
                          "stability": answer.stability, "difficulty": answer.difficulty,
                          "due_ms": answer.due_ms, "last_review_ms": _at(answer.day),
                          "reps": before["reps"] + 1, "lapses": before["lapses"] + int(lapse)}

        reviews.sort(key=lambda r: _at(r[1].day, r[1].hour))
        turns = 0
        for card_id, answer, before in reviews:
            review: dict[str, Any] = {
                "card_id": card_id, "time_ms": _at(answer.day, answer.hour),
                "rating": answer.rating, "duration_ms": 4000 + 1000 * answer.rating,
                "answer": answer.answer, "correct": answer.correct,
                "coach_label": answer.coach_label,
                "coach_flaws": json.dumps(list(answer.coach_flaws)),
                "state_before": before["state"], "state_after": answer.state,
            }
            if version >= TALLY:
                review["day_ms"] = _at(answer.day)  # the scheduler's `last_review`: a day start
            if version >= TYPED_BEFORE:
                review.update(step_before=before["step"], stability_before=before["stability"],
                              difficulty_before=before["difficulty"],
                              due_before_ms=before["due_ms"],
                              last_before_ms=before["last_review_ms"],
                              reps_before=before["reps"], lapses_before=before["lapses"])
            else:
                review["before"] = json.dumps(before)
            review_id = _insert(db, "review", review)
            first = before["state"] in (0, 2) or before["last_review_ms"] is None or (
                before["last_review_ms"] < _at(answer.day))
            for n, (text, label, flaws, fits, shown) in enumerate(answer.turns):
                _insert(db, "review_turn", {
                    "review_id": review_id, "card_id": card_id, "day_ms": _at(answer.day),
                    "first_showing": int(first), "turn": n, "answer": text,
                    "coach_label": label, "coach_flaws": json.dumps(list(flaws)),
                    "fits": fits, "shown_model": shown})
                turns += 1

        disagreements = 0
        if version >= DISAGREEMENT:
            _insert(db, "disagreement", {
                "time_ms": _at(6, 8.1), "card_id": card_ids["b-review"],
                "text": "Can we do Friday?", "ask": "Can we move the meeting to Friday?",
                "situation": "Your landlord, visit 7.", "coach_label": "yes_question",
                "coach_flaws": '["yes_question"]', "learner_label": "no_oriented",
                "learner_clean": 1, "comment": "I meant it as a no question"})
            disagreements = 1

    return {
        "version": version,
        "decks": {d["title"]: {"source": d["source"],
                               "preset": ("Light" if version >= DECK_PRESET and n == 1
                                          else None)}
                  for n, d in enumerate(DECKS)},
        "deck_count": len(DECKS),
        "card_count": len(cards),
        "review_count": len(reviews),
        "turn_count": turns,
        "disagreement_count": disagreements,
        "preset_count": 2,
        "default_preset_id": default_id,
        "cards": expected_cards,
        "new_keys": sorted(k for k, c in expected_cards.items()
                           if c["state"] == 0 and not c["suspended"]),
        "reviews_by_key": {key: [(_at(a.day, a.hour), a.rating, a.state)
                                 for a in spec.answers]
                           for spec in cards for key in [spec.key]},
    }


def build_database(path: Path, version: int) -> dict[str, Any]:
    """Write at `path` the collection a negodrill of schema `version` would have written (WAL,
    user_version = version) and return the facts an upgrade must keep: deck, card and review
    counts, each card's state, reps, lapses, suspension and due date, each card's reviews."""
    if not 1 <= version < SCHEMA_VERSION:
        raise ValueError(f"version must be 1..{SCHEMA_VERSION - 1}, not {version}")
    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        db = Database(conn)
        build_schema(db, version)
        facts = _fill(db, version)
        stored = conn.execute("PRAGMA user_version").fetchone()[0]
        if stored != version:
            raise AssertionError(f"schema {version} was asked for, {stored} was written")
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            raise AssertionError("the old collection breaks its own foreign keys")
    finally:
        conn.close()
    return facts
