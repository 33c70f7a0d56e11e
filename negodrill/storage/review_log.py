"""Schema 10: each review keeps the card's schedule before it in typed columns.

Until schema 9 a review row carried that schedule as JSON (`before`, about 166 of a row's 260
bytes): a million reviews made a 360 MB file. As numbers SQLite stores it in about 30 bytes.
The table is rebuilt in one transaction (foreign keys off around it, as SQLite's documented
procedure asks); its indexes come back as they were, its tally triggers, and the card table's
triggers that read reviews, are made again for the new columns. The tally itself does not
change: the same reviews, the same first showings.

The review log also outlives its cards from here on, as Anki's does: deleting a card (or a
deck) leaves its reviews, so streaks, activity and habit keep counting them; `card_gone` keeps
the deck and kind a deleted card's reviews were tallied under, for `check --full`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from negodrill.core.errors import DatabaseError
from negodrill.storage import tally

if TYPE_CHECKING:
    from negodrill.storage.connection import Database

_TABLE = """
CREATE TABLE review_new (
    id INTEGER PRIMARY KEY,
    card_id INTEGER NOT NULL,                      -- outlives its card: see card_gone
    time_ms INTEGER NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    duration_ms INTEGER NOT NULL DEFAULT 0,
    answer TEXT NOT NULL DEFAULT '',               -- what the learner typed or picked
    correct INTEGER,                               -- 1/0 when the answer was judged, else NULL
    coach_label TEXT,
    coach_flaws TEXT NOT NULL DEFAULT '[]',        -- JSON list of flaw codes
    state_before INTEGER NOT NULL,
    state_after INTEGER NOT NULL,
    day_ms INTEGER NOT NULL DEFAULT 0,             -- the study day's start
    -- the card's schedule before the review: for undo, first showings, the report's intervals
    step_before INTEGER,
    stability_before REAL,
    difficulty_before REAL,
    due_before_ms INTEGER,
    last_before_ms INTEGER,
    reps_before INTEGER NOT NULL DEFAULT 0,
    lapses_before INTEGER NOT NULL DEFAULT 0,
    -- 1: a practice answer ("study more"): counts for the streak and the habit, never for the
    -- card's schedule, the daily limits or the optimizer
    unscheduled INTEGER NOT NULL DEFAULT 0
)
"""

_COPY = (
    "INSERT INTO review_new SELECT id, card_id, time_ms, rating, duration_ms, answer, correct, "
    "coach_label, coach_flaws, state_before, state_after, day_ms, "
    "json_extract(before, '$.step'), json_extract(before, '$.stability'), "
    "json_extract(before, '$.difficulty'), json_extract(before, '$.due_ms'), "
    "json_extract(before, '$.last_review_ms'), coalesce(json_extract(before, '$.reps'), 0), "
    "coalesce(json_extract(before, '$.lapses'), 0), 0 FROM review"
)


def migrate_to_10(db: Database, version: int) -> None:
    conn = db.conn
    conn.execute("PRAGMA foreign_keys = OFF")  # has no effect inside a transaction: before it
    try:
        with db.atomic():
            indexes = conn.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = 'review' AND type = 'index' "
                "AND sql IS NOT NULL ORDER BY name").fetchall()
            count = conn.execute("SELECT count(*) FROM review").fetchone()[0]
            for name in tally.TRIGGER_NAMES_10:
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            conn.execute(_TABLE)
            conn.execute(_COPY)
            # Other tables' foreign keys and triggers name `review`: keep the names as written.
            conn.execute("PRAGMA legacy_alter_table = ON")
            conn.execute("DROP TABLE review")
            conn.execute("ALTER TABLE review_new RENAME TO review")
            conn.execute("PRAGMA legacy_alter_table = OFF")
            for (sql,) in indexes:
                conn.execute(sql)
            conn.execute(tally.CARD_GONE)
            for trigger in tally.triggers_10():
                conn.execute(trigger)
            if conn.execute("SELECT count(*) FROM review").fetchone()[0] != count:
                raise DatabaseError("the rebuilt review table lost rows")
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise DatabaseError(f"the rebuilt review table breaks {len(broken)} references")
            conn.execute(f"PRAGMA user_version = {version}")
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
