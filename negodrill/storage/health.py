"""`negodrill check`: is the database sound, and does every card agree with its review log?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from negodrill.storage.tally import tally_problems

if TYPE_CHECKING:
    from negodrill.storage.store import Store


def problems(store: Store, *, full: bool = False) -> list[str]:
    """SQLite's quick check and card states that disagree with the review log; `full` adds
    SQLite's whole integrity check (indexes against tables), the foreign keys, the review
    tally summed afresh (seconds on a million reviews) and each deck's kept card count."""
    found: list[str] = []
    for (line,) in store._db.execute(
            "PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall():
        if line != "ok":  # SQLite's own lines may hold several problems, one a line
            found += [f"integrity: {part}" for part in str(line).splitlines() if part.strip()]
    if full:
        for row in store._db.execute("PRAGMA foreign_key_check").fetchall():
            found.append(f"a row of {row[0]} points at a missing {row[2]}")
    checks = [
        # A card whose progress its author reset (storage.store.reset_card) is new again with
        # its reviews kept: new, no last review, no stability. Only that shape is allowed.
        ("SELECT id FROM card WHERE state = 0 AND reps > 0 AND (last_review_ms IS NOT NULL "
         "OR stability IS NOT NULL) AND EXISTS "
         "(SELECT 1 FROM review WHERE review.card_id = card.id)",
         "is new but has reviews"),
        ("SELECT id FROM card WHERE state > 0 AND (due_ms IS NULL OR stability IS NULL)",
         "has a study state without a due date or stability"),
        ("SELECT card.id FROM card JOIN review ON review.id = (SELECT r.id FROM review r "
         "WHERE r.card_id = card.id AND r.unscheduled = 0 ORDER BY r.time_ms DESC, r.id DESC "
         "LIMIT 1) "
         "WHERE review.state_after != card.state AND NOT (card.state = 0 AND "
         "card.last_review_ms IS NULL AND card.stability IS NULL)",
         "has a state that disagrees with its last review"),
        ("SELECT id FROM card WHERE state NOT IN (0, 1, 2, 3)", "has an unknown state"),
    ]
    for sql, what in checks:
        for (cid,) in store._db.execute(sql).fetchall():
            found.append(f"card {cid} {what}")
    # Each card's scheduled reviews, counted once for two rules: all its reviews from the
    # covering `review_card` index, less its rare practice answers (`review_unscheduled`).
    for cid, state, reps, scheduled in store._db.execute(
            "SELECT id, state, reps, scheduled FROM (SELECT id, state, reps, "
            "(SELECT count(*) FROM review WHERE review.card_id = card.id) - "
            "(SELECT count(*) FROM review WHERE review.card_id = card.id "
            "AND review.unscheduled = 1) AS scheduled FROM card) "
            "WHERE (state > 0 AND scheduled = 0) OR reps != scheduled").fetchall():
        if state > 0 and scheduled == 0:
            found.append(f"card {cid} has a study state but no review")
        if reps != scheduled:
            found.append(f"card {cid} has a review count that disagrees with the review log")
    return found + (kept_count_problems(store) if full else [])


def kept_count_problems(store: Store) -> list[str]:
    """The counts triggers keep (the review tally, each deck's cards) against a fresh count."""
    found = tally_problems(store._db)
    for deck_id, kept, counted in store._db.execute(
            "SELECT id, live_cards, counted FROM (SELECT id, live_cards, (SELECT count(*) FROM "
            "card WHERE card.deck_id = deck.id AND card.retired = 0) AS counted FROM deck) "
            "WHERE live_cards != counted").fetchall():
        found.append(f"deck {deck_id} keeps a count of {kept} cards but has {counted}")
    return found
