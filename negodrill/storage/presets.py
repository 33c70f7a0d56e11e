"""Deck options shared through named presets, as Anki does.

A preset holds a deck's daily limits (new cards, reviews) and its desired retention. The first
preset is the collection's own ("Default"): its limits cap a session over every deck, its other
settings (the hour a study day starts, the learning steps, the scheduler's fitted parameters)
hold for every deck. A deck without a preset of its own uses the default one.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from negodrill.core.models import CardState, Preset
from negodrill.storage.store import Store, to_ms

# What a preset of its own sets for a deck; everything else comes from the default preset.
PER_DECK = ("new_per_day", "reviews_per_day", "desired_retention")


# The default preset's id before anything wrote it (a new collection has no preset row yet):
# reading deck options never writes.
UNWRITTEN = 0


def default_id(store: Store) -> int:
    """The default preset's id, or UNWRITTEN while the collection has none stored."""
    found = store._db.execute("SELECT min(id) FROM preset").fetchone()[0]
    return UNWRITTEN if found is None else int(found)


def presets(store: Store) -> list[tuple[int, str, Preset]]:
    """Every preset as (id, name, settings), the default first."""
    rows = [(int(r[0]), str(r[1]), Preset.from_dict(json.loads(r[2]))) for r in
            store._db.execute("SELECT id, name, config FROM preset ORDER BY id").fetchall()]
    return rows or [(UNWRITTEN, "Default", store.preset())]


def merged(default: Preset, own: Preset) -> Preset:
    """A deck's settings: its preset's limits and retention, the rest from the default."""
    return replace(default, **{name: getattr(own, name) for name in PER_DECK})


def deck_preset_id(store: Store, deck_id: int) -> int:
    found = store._db.execute("SELECT preset_id FROM deck WHERE id = ?", [deck_id]).fetchone()
    return int(found[0]) if found and found[0] is not None else default_id(store)


def preset_for_deck(store: Store, deck_id: int) -> Preset:
    """The settings a session over this deck alone uses."""
    default = store.preset()
    own = deck_preset_id(store, deck_id)
    if own == default_id(store):
        return default
    raw = store._db.execute("SELECT config FROM preset WHERE id = ?", [own]).fetchone()
    return merged(default, Preset.from_dict(json.loads(raw[0]))) if raw else default


def save(store: Store, preset_id: int | None, name: str, settings: Preset) -> int:
    """Write a named preset (a new one when `preset_id` is None); its id. The default
    preset's other settings are kept as they are (Settings changes those)."""
    name = " ".join(name.split()) or "Preset"
    with store.atomic():
        if preset_id == UNWRITTEN:
            store.save_preset(merged(store.preset(), settings))
            preset_id = default_id(store)
            store._db.execute("UPDATE preset SET name = ? WHERE id = ?", [name, preset_id])
            return preset_id
        if preset_id is None:
            if default_id(store) == UNWRITTEN:
                store.save_preset(store.preset())  # the default keeps the lowest id
            config = json.dumps(merged(Preset(), settings).to_dict())
            cursor = store._db.execute("INSERT INTO preset (name, config) VALUES (?, ?)",
                                      [name, config])
            assert cursor.lastrowid is not None
            return int(cursor.lastrowid)
        raw = store._db.execute("SELECT config FROM preset WHERE id = ?", [preset_id]).fetchone()
        current = Preset.from_dict(json.loads(raw[0])) if raw else Preset()
        store._db.execute("UPDATE preset SET name = ?, config = ? WHERE id = ?",
                         [name, json.dumps(merged(current, settings).to_dict()), preset_id])
        return preset_id


def use(store: Store, deck_id: int, preset_id: int) -> None:
    """Give a deck this preset (the default one is stored as none of its own)."""
    own = None if preset_id == default_id(store) else preset_id
    with store.atomic():
        store._db.execute("UPDATE deck SET preset_id = ? WHERE id = ?", [own, deck_id])


def decks_using(store: Store, preset_id: int) -> int:
    if preset_id in (default_id(store), UNWRITTEN):
        return int(store._db.execute("SELECT count(*) FROM deck WHERE preset_id IS NULL OR "
                                    "preset_id = ?", [preset_id]).fetchone()[0])
    return int(store._db.execute("SELECT count(*) FROM deck WHERE preset_id = ?",
                                [preset_id]).fetchone()[0])


def studied_today_by_deck(store: Store, since: datetime,
                          until: datetime | None = None) -> dict[int, tuple[int, int]]:
    """(new cards introduced, review-card answers) in [since, until) per deck, for the decks
    that had any: what each deck's own daily limits count. One pass over the day's reviews."""
    rows = store._db.execute(
        f"SELECT card.deck_id, coalesce(sum(r.state_before = {int(CardState.NEW)}), 0), "
        f"coalesce(sum(r.state_before = {int(CardState.REVIEW)}), 0) "
        # Today's reviews first (the review_time range), then their cards: CROSS JOIN keeps
        # SQLite from walking every review of each deck's cards instead.
        "FROM review AS r CROSS JOIN card ON card.id = r.card_id "
        "WHERE r.time_ms >= ? AND r.time_ms < ? AND r.unscheduled = 0 GROUP BY card.deck_id",
        [to_ms(since), to_ms(until) if until is not None else 2**62]).fetchall()
    return {int(deck): (int(new), int(reviewed)) for deck, new, reviewed in rows}

