"""Study figures computed from plain numbers (no SQL, no Qt): streaks, retention, shares."""

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


def streaks(reviews_per_day: Sequence[int]) -> tuple[int, int]:
    """(current, best) runs of days with reviews, given one count per consecutive day ending
    today. The current run may end yesterday: today is not lost before its day is over."""
    best = run = 0
    for count in reviews_per_day:
        run = run + 1 if count else 0
        best = max(best, run)
    current = 0
    tail = list(reviews_per_day)
    if tail and not tail[-1]:
        tail.pop()
    for count in reversed(tail):
        if not count:
            break
        current += 1
    return current, best


def retention(passed: int, total: int) -> float | None:
    """Share of answers on review cards that were remembered; None before the first review."""
    return round(passed / total, 4) if total else None


def share(part: int, whole: int) -> float | None:
    """part / whole rounded to 4 places, None when there is no whole."""
    return round(part / whole, 4) if whole else None


def percent(value: float) -> str:
    """A share as the page writes it: '40 %'."""
    return f"{round(value * 100)} %"
