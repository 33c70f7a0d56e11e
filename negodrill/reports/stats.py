"""Study figures computed from plain numbers (no SQL, no Qt): streaks and retention."""

from __future__ import annotations

from collections.abc import Sequence


def streak_days(days: Sequence[int], today: int) -> int:
    """Consecutive study days ending today (or yesterday, when today has no review yet)."""
    studied = set(days)
    day = today if today in studied else today - 1
    count = 0
    while day in studied:
        count += 1
        day -= 1
    return count


def retention(passed: int, total: int) -> float | None:
    """Share of answers on review cards that were remembered; None before the first review."""
    return round(passed / total, 4) if total else None
