"""The learner's study day: when "today" starts and ends, in UTC, given the rollover hour.

Kept apart from scheduling so the deck list can count what is due without importing fsrs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

LEARN_AHEAD = timedelta(minutes=20)


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """fsrs refuses anything but `timezone.utc`: convert aware datetimes, refuse naive ones."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime cannot be scheduled; pass a timezone-aware one")
    return moment.astimezone(UTC)


def _local_tz(local: tzinfo | None) -> tzinfo:
    if local is not None:
        return local
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def study_day(now: datetime, rollover_hour: int, local: tzinfo | None = None) -> date:
    """The study day `now` belongs to: before the rollover hour it is still yesterday."""
    here = as_utc(now).astimezone(_local_tz(local))
    return (here - timedelta(hours=rollover_hour)).date()


def day_start(now: datetime, rollover_hour: int, local: tzinfo | None = None) -> datetime:
    """The UTC moment the current study day began (the local rollover hour)."""
    zone = _local_tz(local)
    day = study_day(now, rollover_hour, zone)
    start = datetime(day.year, day.month, day.day, rollover_hour, tzinfo=zone)
    return start.astimezone(UTC)


def next_day_start(now: datetime, rollover_hour: int, local: tzinfo | None = None) -> datetime:
    zone = _local_tz(local)
    day = study_day(now, rollover_hour, zone) + timedelta(days=1)
    return datetime(day.year, day.month, day.day, rollover_hour, tzinfo=zone).astimezone(UTC)
