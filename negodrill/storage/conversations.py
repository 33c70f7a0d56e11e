"""Schema 6: conversation cards, and the moves of each conversation review.

The card table's CHECK on `type` must learn 'conversation', which SQLite can only do by
rebuilding the table. SQLite's documented procedure (https://sqlite.org/lang_altertable.html,
"Making Other Kinds Of Table Schema Changes") is followed to the letter, because rebuilding with
foreign keys on would cascade the DROP and delete every review: foreign keys off outside the
transaction, the new table filled from the old, the old dropped, the new renamed, its indexes
and triggers created again, `foreign_key_check` before the commit, foreign keys on again.

Each turn of a conversation review is a row of `review_turn`: its move, the coach's label and
flaws, whether it fitted the turn and whether the model answer was shown first. For the habit
figures every turn counts as one drill answer, so triggers add the turns to the review tally
(storage/tally.py) the way the review triggers add drill answers; `first_showing` is stored with
each turn because a turn may outlive its review row only inside a cascade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from negodrill.core.errors import DatabaseError
from negodrill.storage.tally import CARDS_EVER, KIND

if TYPE_CHECKING:
    from negodrill.storage.connection import Database

_OLD_CHECK = "CHECK (type IN ('drill', 'basic', 'choice'))"
_NEW_CHECK = "CHECK (type IN ('drill', 'basic', 'choice', 'conversation'))"

_TURN_TABLE = """
CREATE TABLE review_turn (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES review(id) ON DELETE CASCADE,
    card_id INTEGER NOT NULL,                      -- the review's: kept for the tally triggers
    day_ms INTEGER NOT NULL,                       -- the review's study day
    first_showing INTEGER NOT NULL,                -- the review was the card's first of the day
    turn INTEGER NOT NULL,                         -- 0-based
    answer TEXT NOT NULL DEFAULT '',
    coach_label TEXT,
    coach_flaws TEXT NOT NULL DEFAULT '[]',        -- JSON list of flaw codes
    fits INTEGER NOT NULL,                         -- the move was one the turn wanted
    shown_model INTEGER NOT NULL DEFAULT 0         -- the model answer was shown before it
)
"""

# A turn counts like a drill answer on a first showing: answered, and accepted when it fitted
# with no flaw and without the model answer shown first.
_ACCEPTED = "({t}.fits AND {t}.coach_flaws = '[]' AND NOT {t}.shown_model)"


def _flaws(t: str) -> str:
    return (f"CASE WHEN json_valid({t}.coach_flaws) THEN CASE WHEN json_type({t}.coach_flaws) = "
            f"'array' THEN {t}.coach_flaws ELSE '[]' END ELSE '[]' END")


def _turn_upsert(t: str, sign: str) -> str:
    return (
        "INSERT INTO review_tally (day_ms, deck_id, kind, reviews, duration_ms, review_answers, "
        "remembered, first_answers, accepted) "
        f"SELECT {t}.day_ms, card.deck_id, {KIND.format(c='card')}, 0, 0, 0, 0, "
        f"{sign}{t}.first_showing, {sign}({t}.first_showing AND {_ACCEPTED.format(t=t)}) "
        f"FROM card WHERE card.id = {t}.card_id "
        "ON CONFLICT DO UPDATE SET first_answers = first_answers + excluded.first_answers, "
        "accepted = accepted + excluded.accepted; "
        "INSERT INTO flaw_tally (day_ms, deck_id, code, answers) "
        f"SELECT DISTINCT {t}.day_ms, card.deck_id, flaw.value, {sign}1 "
        f"FROM card, json_each({_flaws(t)}) AS flaw "
        f"WHERE card.id = {t}.card_id AND {t}.first_showing AND flaw.type = 'text' "
        "ON CONFLICT DO UPDATE SET answers = answers + excluded.answers; "
    )


def _card_turns_move(c: str, sign: str) -> str:
    """Add or take away every turn of card `c` (OLD or NEW) from the tally, by day."""
    return (
        "INSERT INTO review_tally (day_ms, deck_id, kind, reviews, duration_ms, review_answers, "
        "remembered, first_answers, accepted) "
        f"SELECT t.day_ms, {c}.deck_id, {KIND.format(c=c)}, 0, 0, 0, 0, "
        f"{sign}total(t.first_showing), {sign}total(t.first_showing AND "
        f"{_ACCEPTED.format(t='t')}) FROM review_turn AS t WHERE t.card_id = {c}.id GROUP BY 1 "
        "ON CONFLICT DO UPDATE SET first_answers = first_answers + excluded.first_answers, "
        "accepted = accepted + excluded.accepted; "
    )


def _card_turn_flaws_move(c: str, sign: str) -> str:
    return (
        "INSERT INTO flaw_tally (day_ms, deck_id, code, answers) "
        f"SELECT day, {c}.deck_id, code, {sign}count(*) FROM (SELECT DISTINCT t.id, "
        f"t.day_ms AS day, flaw.value AS code FROM review_turn AS t, json_each({_flaws('t')}) "
        f"AS flaw WHERE t.card_id = {c}.id AND t.first_showing AND flaw.type = 'text') "
        "WHERE true GROUP BY day, code "
        "ON CONFLICT DO UPDATE SET answers = answers + excluded.answers; "
    )


def _prune(days: str) -> str:
    return (f"DELETE FROM review_tally WHERE day_ms IN ({days}) AND reviews = 0 "
            "AND first_answers = 0; "
            f"DELETE FROM flaw_tally WHERE day_ms IN ({days}) AND answers = 0; ")


_TURN_TRIGGERS = (
    f"CREATE TRIGGER review_turn_tally_insert AFTER INSERT ON review_turn BEGIN "
    f"{_turn_upsert('NEW', '+')}END",
    f"CREATE TRIGGER review_turn_tally_delete AFTER DELETE ON review_turn BEGIN "
    f"{_turn_upsert('OLD', '-')}{_prune('OLD.day_ms')}END",
    "CREATE TRIGGER card_turn_tally_move AFTER UPDATE OF deck_id, type, technique ON card "
    f"WHEN OLD.deck_id IS NOT NEW.deck_id OR {KIND.format(c='OLD')} IS NOT "
    f"{KIND.format(c='NEW')} BEGIN {_card_turns_move('OLD', '-')}{_card_turns_move('NEW', '+')}"
    f"{_prune('SELECT day_ms FROM review_turn WHERE card_id = OLD.id')}END",
    "CREATE TRIGGER card_turn_flaw_tally_move AFTER UPDATE OF deck_id ON card "
    f"WHEN OLD.deck_id IS NOT NEW.deck_id BEGIN {_card_turn_flaws_move('OLD', '-')}"
    f"{_card_turn_flaws_move('NEW', '+')}"
    f"{_prune('SELECT day_ms FROM review_turn WHERE card_id = OLD.id')}END",
)

# The turns' share of the tally, summed afresh (negodrill check).
FRESH_TURN_TALLY = (
    f"SELECT t.day_ms, card.deck_id, {KIND.format(c='card')}, 0, 0, 0, 0, "
    f"total(t.first_showing), total(t.first_showing AND {_ACCEPTED.format(t='t')}) "
    f"FROM review_turn AS t JOIN {CARDS_EVER} AS card ON card.id = t.card_id GROUP BY 1, 2, 3"
)
FRESH_TURN_FLAW_TALLY = (
    "SELECT day, deck_id, code, count(*) FROM (SELECT DISTINCT t.id, t.day_ms AS day, "
    f"card.deck_id AS deck_id, flaw.value AS code FROM review_turn AS t JOIN {CARDS_EVER} "
    f"AS card ON card.id = t.card_id, json_each({_flaws('t')}) AS flaw WHERE t.first_showing AND "
    "flaw.type = 'text') GROUP BY 1, 2, 3"
)


def migrate_to_6(db: Database, version: int) -> None:
    """Rebuild the card table to allow conversation cards, add the turns table; one
    transaction, foreign keys off around it (see the module's notes)."""
    conn = db.conn
    conn.execute("PRAGMA foreign_keys = OFF")  # has no effect inside a transaction: before it
    try:
        with db.atomic():
            table = conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'card'"
            ).fetchone()[0]
            if _OLD_CHECK not in table:
                raise DatabaseError("the card table is not the one this migration expects")
            others = conn.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = 'card' AND type IN "
                "('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name"
            ).fetchall()
            conn.execute(table.replace(_OLD_CHECK, _NEW_CHECK).replace(
                "CREATE TABLE card", "CREATE TABLE card_new", 1))
            conn.execute("INSERT INTO card_new SELECT * FROM card")
            # Triggers of other tables name `card`: the legacy rename does not re-check them.
            conn.execute("PRAGMA legacy_alter_table = ON")
            conn.execute("DROP TABLE card")
            conn.execute("ALTER TABLE card_new RENAME TO card")
            conn.execute("PRAGMA legacy_alter_table = OFF")
            for (sql,) in others:
                conn.execute(sql)
            conn.execute(_TURN_TABLE)
            conn.execute("CREATE INDEX review_turn_review ON review_turn (review_id)")
            conn.execute("CREATE INDEX review_turn_card ON review_turn (card_id)")
            for trigger in _TURN_TRIGGERS:
                conn.execute(trigger)
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise DatabaseError(f"the rebuilt card table breaks {len(broken)} references")
            conn.execute(f"PRAGMA user_version = {version}")
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
