from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from negodrill.core.models import CardState, Grade, Preset, Schedule
from negodrill.core.scheduling import (
    Scheduler,
    as_utc,
    day_start,
    format_interval,
    study_day,
)

T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def scheduler(**preset: object) -> Scheduler:
    return Scheduler(Preset(**preset), fuzz=False, local=UTC)  # type: ignore[arg-type]


def test_good_five_times_gives_the_fsrs6_golden_intervals() -> None:
    s = scheduler()
    schedule, now = Schedule(), T0
    intervals = []
    for _ in range(5):
        outcome = s.outcome(1, schedule, Grade.GOOD, now)
        intervals.append(outcome.interval)
        schedule, now = outcome.schedule, outcome.schedule.due
        assert now is not None
    assert intervals == [
        timedelta(minutes=10),
        timedelta(days=2),
        timedelta(days=11),
        timedelta(days=46),
        timedelta(days=163),
    ]
    assert schedule.state is CardState.REVIEW


def test_preview_of_a_new_card_gives_four_growing_intervals() -> None:
    preview = scheduler().preview(7, Schedule(), T0)
    shown = {g: format_interval(o.interval) for g, o in preview.items()}
    assert shown == {Grade.AGAIN: "1m", Grade.HARD: "6m", Grade.GOOD: "10m", Grade.EASY: "8d"}
    assert preview[Grade.AGAIN].schedule.state is CardState.LEARNING
    assert preview[Grade.EASY].schedule.state is CardState.REVIEW


def test_last_review_is_the_start_of_the_local_study_day() -> None:
    outcome = scheduler().outcome(1, Schedule(), Grade.GOOD, T0)
    assert outcome.schedule.last_review == datetime(2026, 1, 5, 4, 0, tzinfo=UTC)


def test_study_day_rolls_over_at_the_configured_hour() -> None:
    late_evening = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)
    early_morning = datetime(2026, 1, 6, 3, 59, tzinfo=UTC)
    after_rollover = datetime(2026, 1, 6, 4, 0, tzinfo=UTC)
    assert study_day(late_evening, 4, UTC) == date(2026, 1, 5)
    assert study_day(early_morning, 4, UTC) == date(2026, 1, 5)
    assert study_day(after_rollover, 4, UTC) == date(2026, 1, 6)
    assert study_day(early_morning, 0, UTC) == date(2026, 1, 6)


def test_day_start_respects_the_local_zone() -> None:
    berlin_winter = timezone(timedelta(hours=1))
    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    assert day_start(now, 4, berlin_winter) == datetime(2026, 1, 5, 3, 0, tzinfo=UTC)


def test_evening_then_morning_counts_as_a_day() -> None:
    """Reviewed at 22:00, seen again at 08:00: fsrs must see one elapsed day, as Anki does."""
    s = scheduler()
    evening = datetime(2026, 1, 5, 22, 0, tzinfo=UTC)
    first = s.outcome(1, Schedule(), Grade.EASY, evening).schedule
    morning = datetime(2026, 1, 6, 8, 0, tzinfo=UTC)
    assert first.last_review is not None
    assert (morning - first.last_review).days == 1


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        as_utc(datetime(2026, 1, 1))


def test_desired_retention_changes_intervals() -> None:
    graduated = scheduler().outcome(1, Schedule(), Grade.EASY, T0).schedule
    when = graduated.due
    assert when is not None
    strict = scheduler(desired_retention=0.97).outcome(1, graduated, Grade.GOOD, when)
    relaxed = scheduler(desired_retention=0.8).outcome(1, graduated, Grade.GOOD, when)
    assert strict.interval < relaxed.interval


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=3), "3d"),
        (timedelta(days=90), "3mo"),
        (timedelta(days=547), "1.5y"),
    ],
)
def test_intervals_read_short(delta: timedelta, text: str) -> None:
    assert format_interval(delta) == text
