"""The learner's disagreements with the coach, kept in the collection (schema 5)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the coach is never loaded at start-up, where the migrations run
    from negodrill.core.coach.disagreement import Disagreement
    from negodrill.storage.store import Store

SCHEMA_5 = """
CREATE TABLE disagreement (
    id INTEGER PRIMARY KEY,
    time_ms INTEGER NOT NULL,
    card_id INTEGER REFERENCES card(id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    ask TEXT,
    situation TEXT,
    coach_label TEXT NOT NULL,
    coach_flaws TEXT NOT NULL DEFAULT '[]',        -- JSON list of flaw codes
    learner_label TEXT NOT NULL,
    learner_clean INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
)
"""


def add_disagreement(store: Store, item: Disagreement) -> int:
    """Store one disagreement in its own transaction; returns its id."""
    from negodrill.core.coach.disagreement import MAX_COMMENT, MAX_TEXT

    moment = item.time or datetime.now(UTC)
    with store.atomic():
        cursor = store._db.execute(
            "INSERT INTO disagreement (time_ms, card_id, text, ask, situation, coach_label, "
            "coach_flaws, learner_label, learner_clean, comment) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [int(moment.timestamp() * 1000), item.card_id, item.text[:MAX_TEXT], item.ask,
             item.situation, item.coach_label, json.dumps(list(item.coach_flaws)),
             item.learner_label, int(item.learner_clean), item.comment[:MAX_COMMENT]],
        )
    return int(cursor.lastrowid or 0)


def disagreements(store: Store) -> list[Disagreement]:
    """Every disagreement, oldest first."""
    from negodrill.core.coach.disagreement import Disagreement

    rows = store._db.execute(
        "SELECT id, time_ms, card_id, text, ask, situation, coach_label, coach_flaws, "
        "learner_label, learner_clean, comment FROM disagreement ORDER BY time_ms, id"
    ).fetchall()
    out = []
    for r in rows:
        try:
            flaws = tuple(str(c) for c in json.loads(r[7]))
        except (ValueError, TypeError):
            flaws = ()
        out.append(Disagreement(
            text=r[3], ask=r[4], situation=r[5], coach_label=r[6], coach_flaws=flaws,
            learner_label=r[8], learner_clean=bool(r[9]), comment=r[10], card_id=r[2],
            time=datetime.fromtimestamp(r[1] / 1000, tz=UTC), id=int(r[0])))
    return out
