"""The study-day policy: Today, day numbers across DST, the system zone, the daily limits."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from negodrill.core.models import Preset
from negodrill.core.studyday import (
    LEARN_AHEAD,
    SYSTEM_ZONE,
    DailyRoom,
    Today,
    daily_room,
    day_number,
    day_start,
    iso_week,
    next_day_start,
    study_day,
)

PLUS_ONE = timezone(timedelta(hours=1))


def test_today_holds_the_study_day_and_its_bounds() -> None:
    now = datetime(2026, 3, 18, 2, 30, tzinfo=PLUS_ONE)  # before 4:00: still the 17th
    today = Today.at(now, 4, PLUS_ONE)
    assert today.day == date(2026, 3, 17)
    assert today.start == datetime(2026, 3, 17, 3, 0, tzinfo=UTC)
    assert today.end == datetime(2026, 3, 18, 3, 0, tzinfo=UTC)
    assert today.learning_until == now + LEARN_AHEAD
    assert today.now == now.astimezone(UTC)
    assert today.start_ms == int(today.start.timestamp() * 1000)
    assert today.day_of(today.start_ms) == date(2026, 3, 17)
    assert today.day_of(today.start_ms - 1) == date(2026, 3, 16)
    assert today.day_of(today.end_ms) == date(2026, 3, 18)
    assert today.bounds(date(2026, 3, 16), date(2026, 3, 17))[-1] == today.end_ms
    assert today.days_ago(date(2026, 3, 10)) == 7
    with pytest.raises(ValueError, match="naive"):
        Today.at(datetime(2026, 3, 18), 4)


def test_the_old_helpers_follow_the_same_rule() -> None:
    now = datetime(2026, 3, 18, 2, 30, tzinfo=PLUS_ONE)
    today = Today.at(now, 4, PLUS_ONE)
    assert study_day(now, 4, PLUS_ONE) == today.day
    assert day_start(now, 4, PLUS_ONE) == today.start
    assert next_day_start(now, 4, PLUS_ONE) == today.end


def test_day_of_is_exact_across_dst() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    today = Today.at(datetime(2026, 12, 1, tzinfo=UTC), 4, berlin)
    # 02:30 UTC is 03:30 CET on Mar 28 (the 27th's study day) but 04:30 CEST on Mar 29.
    assert today.day_of(int(datetime(2026, 3, 28, 2, 30, tzinfo=UTC).timestamp() * 1000)) == \
        date(2026, 3, 27)
    assert today.day_of(int(datetime(2026, 3, 29, 2, 30, tzinfo=UTC).timestamp() * 1000)) == \
        date(2026, 3, 29)


def test_daily_room_never_goes_negative() -> None:
    preset = Preset(new_per_day=20, reviews_per_day=200)
    assert daily_room(preset, 5, 150) == DailyRoom(new_room=15, review_room=50)
    assert daily_room(preset, 30, 250) == DailyRoom(new_room=0, review_room=0)


def test_weeks_and_day_numbers() -> None:
    assert iso_week(date(2026, 3, 22)) == date(2026, 3, 16)  # a Sunday
    assert iso_week(date(2026, 3, 16)) == date(2026, 3, 16)
    assert day_number(date(1970, 1, 2)) == 1


@pytest.fixture
def tz_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is Unix only")
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.skipif(sys.platform == "win32", reason="TZ names need the Unix tz database")
@pytest.mark.parametrize("name", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                                  "Asia/Kolkata"])
def test_the_system_zone_matches_zoneinfo(
    name: str, monkeypatch: pytest.MonkeyPatch, tz_env: None
) -> None:
    """The default zone follows DST like zoneinfo does: every half hour of a year, and the
    study-day boundaries (a skipped or repeated rollover hour too)."""
    monkeypatch.setenv("TZ", name)
    time.tzset()
    zone = ZoneInfo(name)
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    while moment.year == 2026:
        local = moment.astimezone(SYSTEM_ZONE)
        expected = moment.astimezone(zone)
        assert (local.replace(tzinfo=None), local.fold) == (expected.replace(tzinfo=None),
                                                             expected.fold)
        assert local.astimezone(UTC) == moment
        if moment.minute == 0:
            hour = moment.hour % 5
            assert day_start(moment, hour) == day_start(moment, hour, zone)
        moment += timedelta(minutes=30)


@pytest.mark.skipif(sys.platform == "win32", reason="TZ names need the Unix tz database")
@pytest.mark.parametrize("name", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                                  "Africa/Casablanca", "Asia/Kolkata"])
@pytest.mark.parametrize("rollover", [0, 2, 4])
def test_day_bounds_in_the_system_zone_are_each_days_own_start(
    name: str, rollover: int, monkeypatch: pytest.MonkeyPatch, tz_env: None
) -> None:
    """Bounds over three years (every change of offset, skipped and repeated rollover hours,
    Casablanca's month-long changes) equal each day's start computed on its own."""
    monkeypatch.setenv("TZ", name)
    time.tzset()
    today = Today.at(datetime(2027, 6, 1, 12, tzinfo=UTC), rollover)
    first, last = date(2025, 1, 1), date(2027, 12, 31)
    expected = [today.start_of(first + timedelta(days=i))
                for i in range((last - first).days + 2)]
    assert today.bounds(first, last) == expected
    assert today.bounds(last, first) == [today.start_of(last)]  # an empty range
