"""Writes only the demonstration collection needs (ui/screenshots.py builds it by studying
with a simulated clock): things a real learner's collection never has done to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from negodrill.storage.store import Store


def spread_durations(store: Store) -> None:
    """Give every review a learner's pace, 6 to 36 seconds, varied by its id: a simulated
    session answers in milliseconds of wall time."""
    with store.atomic():
        store._db.execute("UPDATE review SET duration_ms = 6000 + (id * 7919) % 30000")
