"""The review tally: per study day, deck and kind of card, the sums the Progress figures need.

Reading a million reviews to draw the Progress page costs about a second however the queries are
shaped; summing a few tens of thousands of tally rows costs milliseconds. SQLite triggers keep
the tally equal to the review log on every write path (a review written, undone, edited, a card
deleted with its reviews, a card moved to another deck or technique), so no caller can forget
it, and `negodrill check` compares the two.

Each review stores the start of the study day it was answered on (`review.day_ms`), which the
scheduler computes anyway (it sets `last_review` to it), so the tally never needs the time zone
and days of 23 or 25 hours are exact. The habit counts a drill answer when it was the card's
first showing of that day: the card's previous review was on an earlier day (its `before`
schedule's `last_review_ms`, itself a day start, is earlier), or the card was new or in review
(FSRS gives review cards whole days).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from negodrill.storage.connection import Database

# A card's "kind" for per-technique figures: its drill technique, else its card type.
KIND = "CASE {c}.type WHEN 'drill' THEN coalesce({c}.technique, 'drill') ELSE {c}.type END"

_SUMS = ("reviews", "duration_ms", "review_answers", "remembered", "first_answers", "accepted")


# Until schema 10 a review kept the card's schedule before it as JSON in `before`; since then
# in typed columns (`last_before_ms`...). Migration 4's triggers and first tally read the JSON.
_LAST_BEFORE = "{r}.last_before_ms"
_LAST_BEFORE_JSON = "json_extract({r}.before, '$.last_review_ms')"
_legacy = False  # set only while migration 4's statements are built

# Every card a review may belong to: the cards there are and (since schema 10) the deleted ones,
# whose reviews stay in the log as Anki keeps them, so Progress keeps counting them.
CARDS_EVER = ("(SELECT id, deck_id, type, technique FROM card UNION ALL "
              "SELECT id, deck_id, type, technique FROM card_gone)")


def _cards() -> str:
    return "card" if _legacy else f"{CARDS_EVER} AS card"


def _first_drill(r: str) -> str:
    """Is review `r` a drill answer on the card's first showing of its study day?"""
    last = (_LAST_BEFORE_JSON if _legacy else _LAST_BEFORE).format(r=r)
    return (f"({r}.coach_label IS NOT NULL AND ({r}.state_before IN (0, 2) OR "
            f"coalesce({last}, -1) < {r}.day_ms))")


def _flaw_list(r: str) -> str:
    """The review's flaw codes as a JSON array; '[]' for anything that is not one."""
    return (f"CASE WHEN json_valid({r}.coach_flaws) THEN CASE WHEN "
            f"json_type({r}.coach_flaws) = 'array' THEN {r}.coach_flaws ELSE '[]' END "
            "ELSE '[]' END")


def _review_upsert(r: str, sign: str) -> str:
    """Add (sign '+') or take away (sign '-') the review row `r` (NEW or OLD) from the tally."""
    first = _first_drill(r)
    return (
        f"INSERT INTO review_tally (day_ms, deck_id, kind, {', '.join(_SUMS)}) "
        f"SELECT {r}.day_ms, card.deck_id, {KIND.format(c='card')}, "
        f"{sign}1, {sign}{r}.duration_ms, {sign}({r}.state_before = 2), "
        f"{sign}({r}.state_before = 2 AND {r}.rating > 1), {sign}{first}, "
        f"{sign}({first} AND coalesce({r}.correct, 0) = 1) "
        f"FROM card WHERE card.id = {r}.card_id "
        "ON CONFLICT DO UPDATE SET "
        + ", ".join(f"{s} = {s} + excluded.{s}" for s in _SUMS)
        + "; "
        f"INSERT INTO flaw_tally (day_ms, deck_id, code, answers) "
        f"SELECT DISTINCT {r}.day_ms, card.deck_id, flaw.value, {sign}1 "
        f"FROM card, json_each({_flaw_list(r)}) AS flaw "
        f"WHERE card.id = {r}.card_id AND {first} AND flaw.type = 'text' "
        "ON CONFLICT DO UPDATE SET answers = answers + excluded.answers; "
    )


def _card_move(c: str, sign: str) -> str:
    """Add or take away every review of card `c` (NEW or OLD), grouped by day."""
    first = _first_drill("r")
    return (
        f"INSERT INTO review_tally (day_ms, deck_id, kind, {', '.join(_SUMS)}) "
        f"SELECT r.day_ms, {c}.deck_id, {KIND.format(c=c)}, "
        f"{sign}count(*), {sign}total(r.duration_ms), {sign}total(r.state_before = 2), "
        f"{sign}total(r.state_before = 2 AND r.rating > 1), {sign}total({first}), "
        f"{sign}total({first} AND coalesce(r.correct, 0) = 1) "
        f"FROM review AS r WHERE r.card_id = {c}.id GROUP BY 1 "
        "ON CONFLICT DO UPDATE SET "
        + ", ".join(f"{s} = {s} + excluded.{s}" for s in _SUMS)
        + "; "
    )


def _card_flaws_move(c: str, sign: str) -> str:
    """Add or take away the flaws of card `c`'s first showings, grouped by day."""
    return (
        f"INSERT INTO flaw_tally (day_ms, deck_id, code, answers) "
        f"SELECT day, {c}.deck_id, code, {sign}count(*) FROM (SELECT DISTINCT r.id, "
        f"r.day_ms AS day, flaw.value AS code FROM review AS r, "
        f"json_each({_flaw_list('r')}) AS flaw WHERE r.card_id = {c}.id "
        f"AND {_first_drill('r')} AND flaw.type = 'text') WHERE true GROUP BY day, code "
        "ON CONFLICT DO UPDATE SET answers = answers + excluded.answers; "
    )


def _fresh_tally() -> str:
    """The tally computed from the review log, as the triggers keep it."""
    return (
        f"SELECT r.day_ms, card.deck_id, {KIND.format(c='card')}, count(*), "
        "total(r.duration_ms), total(r.state_before = 2), "
        "total(r.state_before = 2 AND r.rating > 1), "
        f"total({_first_drill('r')}), total({_first_drill('r')} AND coalesce(r.correct, 0) = 1) "
        f"FROM review AS r JOIN {_cards()} ON card.id = r.card_id GROUP BY 1, 2, 3"
    )


def _fresh_flaw_tally() -> str:
    return (
        f"SELECT day, deck_id, code, count(*) FROM (SELECT DISTINCT r.id, "
        f"r.day_ms AS day, card.deck_id AS deck_id, flaw.value AS code FROM review AS r "
        f"JOIN {_cards()} ON card.id = r.card_id, json_each({_flaw_list('r')}) AS flaw "
        f"WHERE {_first_drill('r')} AND r.coach_flaws <> '[]' AND flaw.type = 'text') "
        "GROUP BY 1, 2, 3"
    )


FRESH_TALLY = _fresh_tally()
FRESH_FLAW_TALLY = _fresh_flaw_tally()


def _prune(days: str) -> str:
    """Drop the emptied rows of these days (an SQL list), through the primary key."""
    return (f"DELETE FROM review_tally WHERE day_ms IN ({days}) AND reviews = 0 "
            "AND first_answers = 0; "  # a conversation's turns may still count there
            f"DELETE FROM flaw_tally WHERE day_ms IN ({days}) AND answers = 0; ")


def _card_days(c: str) -> str:
    return f"SELECT day_ms FROM review WHERE card_id = {c}.id"


# Migration 4: the column, the tables, the triggers and the tally of the reviews already there.
# Reviews written before it have no stored day start: they count as a first showing when the
# card was last seen at least 24 hours earlier (exact but for daylight-saving days).
def _schema_4() -> tuple[str, ...]:
    return (
        # The hardest cards read the Again answers alone; nothing reads the wider index any more.
        "DROP INDEX review_rare",
        "CREATE INDEX review_again ON review (card_id, state_before, time_ms) WHERE rating = 1",
        "ALTER TABLE review ADD COLUMN day_ms INTEGER NOT NULL DEFAULT 0",
        # A review's day start is the next review's `before.last_review_ms`, or for a card's latest
        # review the card's own `last_review_ms`: what the scheduler computed at the time.
        # A study day starts at most a day before the answer: a "day" outside that (the
        # card's progress was reset between two answers) is not this answer's, and an answer
        # with no day known falls back to its UTC date.
        "UPDATE review SET day_ms = CASE "
        "WHEN next.day_ms > review.time_ms - 86400000 AND next.day_ms <= review.time_ms "
        "THEN next.day_ms "
        "WHEN next.day_ms IS NULL AND card.last_review_ms > review.time_ms - 86400000 "
        "AND card.last_review_ms <= review.time_ms THEN card.last_review_ms "
        "ELSE review.time_ms - review.time_ms % 86400000 END "
        "FROM (SELECT id, lead(json_extract(before, '$.last_review_ms')) OVER "
        "(PARTITION BY card_id ORDER BY time_ms, id) AS day_ms FROM review) AS next, card "
        "WHERE next.id = review.id AND card.id = review.card_id",
        "CREATE TABLE review_tally (day_ms INTEGER NOT NULL, deck_id INTEGER NOT NULL, "
        "kind TEXT NOT NULL, reviews INTEGER NOT NULL, duration_ms INTEGER NOT NULL, "
        "review_answers INTEGER NOT NULL, remembered INTEGER NOT NULL, "
        "first_answers INTEGER NOT NULL, accepted INTEGER NOT NULL, "
        "PRIMARY KEY (day_ms, deck_id, kind)) WITHOUT ROWID",
        "CREATE TABLE flaw_tally (day_ms INTEGER NOT NULL, deck_id INTEGER NOT NULL, "
        "code TEXT NOT NULL, answers INTEGER NOT NULL, PRIMARY KEY (day_ms, deck_id, code)) "
        "WITHOUT ROWID",
        f"CREATE TRIGGER review_tally_insert AFTER INSERT ON review BEGIN "
        f"{_review_upsert('NEW', '+')}END",
        f"CREATE TRIGGER review_tally_delete AFTER DELETE ON review BEGIN "
        f"{_review_upsert('OLD', '-')}{_prune('OLD.day_ms')}END",
        "CREATE TRIGGER review_tally_update AFTER UPDATE OF card_id, time_ms, rating, duration_ms, "
        f"correct, coach_label, coach_flaws, state_before, "
        f"{'before' if _legacy else 'last_before_ms'}, day_ms ON review BEGIN "
        f"{_review_upsert('OLD', '-')}{_review_upsert('NEW', '+')}"
        f"{_prune('OLD.day_ms')}END",
        "CREATE TRIGGER card_tally_move AFTER UPDATE OF deck_id, type, technique ON card "
        f"WHEN OLD.deck_id IS NOT NEW.deck_id OR {KIND.format(c='OLD')} IS NOT "
        f"{KIND.format(c='NEW')} BEGIN "
        f"{_card_move('OLD', '-')}{_card_move('NEW', '+')}{_prune(_card_days('OLD'))}END",
        "CREATE TRIGGER card_flaw_tally_move AFTER UPDATE OF deck_id ON card "
        "WHEN OLD.deck_id IS NOT NEW.deck_id BEGIN "
        f"{_card_flaws_move('OLD', '-')}{_card_flaws_move('NEW', '+')}"
        f"{_prune(_card_days('OLD'))}END",
        # A deleted card's reviews go first, while the card still says where they were tallied
        # (the foreign key's cascade would delete them after it, leaving the tally behind).
        "CREATE TRIGGER card_reviews_delete BEFORE DELETE ON card BEGIN "
        "DELETE FROM review WHERE card_id = OLD.id; END",
        # The reviews already written.
        f"INSERT INTO review_tally (day_ms, deck_id, kind, {', '.join(_SUMS)}) {_fresh_tally()}",
        f"INSERT INTO flaw_tally (day_ms, deck_id, code, answers) {_fresh_flaw_tally()}",
    )


def _built_legacy() -> tuple[str, ...]:
    """Migration 4's statements, built against the review table of its time (JSON `before`)."""
    global _legacy
    _legacy = True
    try:
        return _schema_4()
    finally:
        _legacy = False


SCHEMA_4 = _built_legacy()


# Schema 10 rebuilds the review table with typed columns: the triggers that read a review's
# schedule before it are made again for them (the card table's triggers read reviews too). A
# deleted card no longer takes its reviews along: a tombstone says which deck and kind they
# were tallied under, and the tally keeps them.
def triggers_10() -> tuple[str, ...]:
    kept = tuple(t for t in _schema_4()
                 if t.startswith("CREATE TRIGGER") and "card_reviews_delete" not in t)
    return (*kept,
            "CREATE TRIGGER card_gone_insert BEFORE DELETE ON card BEGIN "
            "INSERT OR REPLACE INTO card_gone (id, deck_id, type, technique) "
            "VALUES (OLD.id, OLD.deck_id, OLD.type, OLD.technique); END",
            # A deleted deck put back by undo: its cards are there again.
            "CREATE TRIGGER card_gone_back AFTER INSERT ON card BEGIN "
            "DELETE FROM card_gone WHERE id = NEW.id; END")


CARD_GONE = ("CREATE TABLE card_gone (id INTEGER PRIMARY KEY, deck_id INTEGER NOT NULL, "
             "type TEXT NOT NULL, technique TEXT)")
TRIGGER_NAMES_10 = ("review_tally_insert", "review_tally_delete", "review_tally_update",
                    "card_tally_move", "card_flaw_tally_move", "card_reviews_delete")


def tally_problems(db: Database) -> list[str]:
    """How the stored tally differs from one summed afresh from the review log and the turns
    of conversation reviews (`check`)."""
    from negodrill.storage.conversations import FRESH_TURN_FLAW_TALLY, FRESH_TURN_TALLY

    sums = ("WITH x(d, deck, kind, a, b, c, e, f, g) AS "
            f"({FRESH_TALLY} UNION ALL {FRESH_TURN_TALLY}) ",
            "SELECT d, deck, kind, total(a), total(b), total(c), total(e), total(f), total(g) "
            "FROM x GROUP BY 1, 2, 3")
    flaws = (f"WITH x(d, deck, code, n) AS ({FRESH_FLAW_TALLY} UNION ALL "
             f"{FRESH_TURN_FLAW_TALLY}) ", "SELECT d, deck, code, total(n) FROM x GROUP BY 1, 2, 3")
    problems = []
    for table, (with_, fresh) in (("review_tally", sums), ("flaw_tally", flaws)):
        stored = f"SELECT * FROM {table}"
        (missing,) = db.execute(
            f"SELECT count(*) FROM ({with_}{fresh} EXCEPT {stored})").fetchone()
        (extra,) = db.execute(f"SELECT count(*) FROM ({with_}{stored} EXCEPT {fresh})").fetchone()
        if missing or extra:
            problems.append(f"the {table.replace('_', ' ')} disagrees with the review log "
                            f"in {missing + extra} rows")
    return problems
