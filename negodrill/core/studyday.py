"""The learner's study day: when "today" starts and ends, what is due, and the daily limits.

One policy for every place that counts: the review session, the deck list, `stats`, Browse and
the Progress figures all build one `Today` and ask it. Kept apart from scheduling so the deck
list can count what is due without importing fsrs.

Study days are local: a day runs from the rollover hour (4:00 by default) to the next day's
rollover hour in the learner's time zone. Across a DST change a study day is 23 or 25 hours
long, so day boundaries are always computed through the zone, never by adding a fixed UTC offset
to a whole history. The default zone is the system's, with its DST rules (`SystemZone`); a
`datetime.now().astimezone()` offset would be frozen at today's offset.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from negodrill.core.models import Preset

LEARN_AHEAD = timedelta(minutes=20)


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """fsrs refuses anything but `timezone.utc`: convert aware datetimes, refuse naive ones."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime cannot be scheduled; pass a timezone-aware one")
    return moment.astimezone(UTC)


class SystemZone(tzinfo):
    """The operating system's local time zone with its DST rules, through the C library.

    UTC -> local (`fromutc`) asks `localtime()` for the offset at that instant. A wall time
    (`utcoffset`) follows PEP 495 as `zoneinfo` does: in a repeated hour `fold` picks the first
    or second occurrence, in a skipped hour fold=0 takes the offset from before the change.
    """

    def fromutc(self, dt: datetime) -> datetime:
        stamp = _wall_seconds(dt)
        offset = _gmtoff(stamp)
        local = (dt + timedelta(seconds=offset)).replace(tzinfo=self)
        # The second pass through a repeated hour is fold=1, so utcoffset() maps it back.
        return local.replace(fold=1) if _offset(local, 0) != offset else local

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return timedelta(seconds=time.localtime().tm_gmtoff)
        return timedelta(seconds=_offset(dt, dt.fold))

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str:
        return time.strftime("%Z")

    def __repr__(self) -> str:
        return "SystemZone()"


_WALL_EPOCH = datetime(1970, 1, 1)
_SECOND = timedelta(seconds=1)


def _wall_seconds(moment: datetime) -> int:
    """Whole seconds from 1970-01-01 00:00 to `moment`'s wall time (`calendar.timegm` of its
    time tuple, without the tuple: `timetuple()` imports `time` through `__import__` at every
    call, which PySide's import hook makes slow in the window)."""
    return (moment.replace(tzinfo=None) - _WALL_EPOCH) // _SECOND


def _gmtoff(stamp: float) -> int:
    return time.localtime(stamp).tm_gmtoff


def _offset(wall: datetime, fold: int) -> int:
    """Seconds east of UTC for a local wall time: the offsets a day before and after are the
    candidates; one that maps back to this wall time is valid (both are in a repeated hour,
    neither in a skipped one)."""
    as_utc_stamp = _wall_seconds(wall)
    before, after = _gmtoff(as_utc_stamp - 86_400), _gmtoff(as_utc_stamp + 86_400)
    if before == after:
        return before
    valid = [o for o in (before, after) if _gmtoff(as_utc_stamp - o) == o]
    if len(valid) == 1:
        return valid[0]
    return after if fold else before


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SYSTEM_ZONE = SystemZone()


def _zone(local: tzinfo | None) -> tzinfo:
    return SYSTEM_ZONE if local is None else local


def study_day(now: datetime, rollover_hour: int, local: tzinfo | None = None) -> date:
    """The study day `now` belongs to: before the rollover hour it is still yesterday."""
    here = as_utc(now).astimezone(_zone(local))
    return (here.replace(tzinfo=None) - timedelta(hours=rollover_hour)).date()


def study_day_start(day: date, rollover_hour: int, local: tzinfo | None = None) -> datetime:
    """The UTC moment study day `day` begins: its local rollover hour."""
    start = datetime(day.year, day.month, day.day, rollover_hour, tzinfo=_zone(local))
    return start.astimezone(UTC)


def day_start(now: datetime, rollover_hour: int, local: tzinfo | None = None) -> datetime:
    """The UTC moment the current study day began (the local rollover hour)."""
    return study_day_start(study_day(now, rollover_hour, local), rollover_hour, local)


def next_day_start(now: datetime, rollover_hour: int, local: tzinfo | None = None) -> datetime:
    day = study_day(now, rollover_hour, local) + timedelta(days=1)
    return study_day_start(day, rollover_hour, local)


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


@dataclass(frozen=True)
class Today:
    """"Today" for one reading of the clock: everything that counts asks this one value.

    `start`/`end` bound the study day in UTC. A card is due today when it is a review card due
    before `end`, or a learning card due by `learning_until` (now plus the learn-ahead margin).
    """

    now: datetime
    day: date
    start: datetime
    end: datetime
    learning_until: datetime
    rollover_hour: int
    zone: tzinfo

    @classmethod
    def at(cls, now: datetime, rollover_hour: int, local: tzinfo | None = None) -> Today:
        now = as_utc(now)
        zone = _zone(local)
        day = study_day(now, rollover_hour, zone)
        return cls(
            now=now,
            day=day,
            start=study_day_start(day, rollover_hour, zone),
            end=study_day_start(day + timedelta(days=1), rollover_hour, zone),
            learning_until=now + LEARN_AHEAD,
            rollover_hour=rollover_hour,
            zone=zone,
        )

    # -- the same moments in epoch milliseconds, as the database stores them -------------------
    @property
    def now_ms(self) -> int:
        return to_ms(self.now)

    @property
    def start_ms(self) -> int:
        return to_ms(self.start)

    @property
    def end_ms(self) -> int:
        return to_ms(self.end)

    @property
    def learning_until_ms(self) -> int:
        return to_ms(self.learning_until)

    # -- any study day ---------------------------------------------------------------------------
    def day_of(self, time_ms: int) -> date:
        """The local study day of any moment (a review time, a due date), exact across DST."""
        moment = datetime.fromtimestamp(time_ms / 1000, tz=UTC)
        return study_day(moment, self.rollover_hour, self.zone)

    def start_of(self, day: date) -> int:
        """Epoch ms at which study day `day` begins."""
        return to_ms(study_day_start(day, self.rollover_hour, self.zone))

    def bounds(self, first: date, last: date) -> list[int]:
        """Epoch ms starts of the study days first..last, then the end of `last`: day i is
        [bounds[i], bounds[i + 1]). Each boundary goes through the zone, so 23- and 25-hour
        days come out right."""
        count = max(0, (last - first).days + 1)
        if self.zone is not SYSTEM_ZONE:
            return [self.start_of(first + timedelta(days=i)) for i in range(count + 1)]
        # In the system zone a day mostly starts 24 hours after the one before: that moment is
        # taken when its local time is the day's rollover hour with the offset it had (one
        # localtime() instead of the whole conversion, for a year's streak on the deck list
        # at every start); otherwise the day's start is computed on its own.
        out = [self.start_of(first)]
        wall = _wall_seconds(datetime(first.year, first.month, first.day, self.rollover_hour))
        offset = _gmtoff(out[0] // 1000)
        for i in range(1, count + 1):
            wall += 86_400
            moment = out[-1] // 1000 + 86_400
            if moment + offset != wall or _gmtoff(moment) != offset:
                start = self.start_of(first + timedelta(days=i))
                out.append(start)
                offset = _gmtoff(start // 1000)
            else:
                out.append(moment * 1000)
        return out

    def days_ago(self, day: date) -> int:
        return (self.day - day).days


@dataclass(frozen=True)
class DailyRoom:
    """How many new cards and review cards today's limits still allow."""

    new_room: int
    review_room: int


def daily_room(preset: Preset, introduced: int, reviewed: int) -> DailyRoom:
    """The daily limits minus what was studied today (new cards introduced, review cards
    answered); never negative, so lowering a limit mid-day just stops the flow."""
    return DailyRoom(
        new_room=max(0, preset.new_per_day - introduced),
        review_room=max(0, preset.reviews_per_day - reviewed),
    )


def iso_week(day: date) -> date:
    """The Monday of the ISO week holding `day`: the key of weekly figures."""
    return day - timedelta(days=day.weekday())


def day_number(day: date) -> int:
    """Days since 1970-01-01, for plain-integer day arithmetic (streaks)."""
    return (day - _EPOCH.date()).days


__all__ = [
    "LEARN_AHEAD", "SYSTEM_ZONE", "DailyRoom", "SystemZone", "Today", "as_utc", "daily_room",
    "day_number", "day_start", "iso_week", "next_day_start", "study_day",
    "study_day_start", "to_ms", "utc_now",
]
