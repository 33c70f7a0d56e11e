"""Study days across daylight saving changes: each review lands on its local study day.

Europe/Berlin, rollover 4:00. On 2026-03-29 clocks jump from 2:00 to 3:00, so the study day of
Mar 28 lasts 23 hours; on 2026-10-25 they go back from 3:00 to 2:00, so Oct 24's lasts 25. A
fixed UTC offset would put the 02:30 UTC reviews on the wrong day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from progress_history import ROLLOVER, History

from negodrill.core.studyday import Today
from negodrill.reports.progress import HabitWeek, collect_progress

BERLIN = ZoneInfo("Europe/Berlin")
D = datetime


def test_day_numbers_stay_right_across_both_changes() -> None:
    h = History(BERLIN)
    h.deck("D")
    h.card("D", "x", "drill")
    h.card("D", "y", "drill")
    h.review("x", D(2026, 3, 28, 23, 30), 3, 1, correct=False)  # Mar 28
    h.review("x", D(2026, 3, 29, 3, 30), 3, 1, correct=False)  # 01:30 UTC: still Mar 28
    h.review("x", D(2026, 3, 29, 4, 30), 3, 2, correct=True)  # 02:30 UTC: Mar 29, first
    h.review("y", D(2026, 10, 24, 3, 30), 3, 2, correct=True)  # 01:30 UTC: Oct 23
    h.review("y", D(2026, 10, 25, 3, 30), 3, 2, correct=True)  # CET, 02:30 UTC: Oct 24
    h.review("y", D(2026, 10, 25, 4, 30), 3, 2, correct=True)  # 03:30 UTC: Oct 25
    today = Today.at(datetime(2026, 11, 2, 12, tzinfo=BERLIN), ROLLOVER, BERLIN)

    report = collect_progress(h.store, today=today)
    studied = {d.day: d.reviews for d in report.days if d.reviews}
    assert studied == {date(2026, 3, 28): 2, date(2026, 3, 29): 1, date(2026, 10, 23): 1,
                       date(2026, 10, 24): 1, date(2026, 10, 25): 1}
    assert len(report.days) == (date(2026, 11, 2) - date(2026, 3, 28)).days + 1
    assert (report.current_streak, report.best_streak) == (0, 3)
    weeks = {w.week: w for w in report.habit_weeks if w.first_answers}
    # Mar 29 is a Sunday: its first showing (a learning card from the day before) counts.
    assert weeks == {date(2026, 3, 23): HabitWeek(date(2026, 3, 23), 2, 1, {}),
                     date(2026, 10, 19): HabitWeek(date(2026, 10, 19), 3, 3, {})}
    h.store.close()


def test_today_day_of_and_bounds_across_the_changes() -> None:
    today = Today.at(datetime(2026, 11, 2, 12, tzinfo=BERLIN), ROLLOVER, BERLIN)

    def ms(y: int, m: int, d: int, hour: int, minute: int = 0) -> int:
        return int(datetime(y, m, d, hour, minute, tzinfo=UTC).timestamp() * 1000)

    assert today.day_of(ms(2026, 3, 29, 1, 30)) == date(2026, 3, 28)
    assert today.day_of(ms(2026, 3, 29, 2, 30)) == date(2026, 3, 29)
    assert today.day_of(ms(2026, 10, 25, 2, 30)) == date(2026, 10, 24)
    assert today.day_of(ms(2026, 10, 25, 3, 30)) == date(2026, 10, 25)
    spring = today.bounds(date(2026, 3, 28), date(2026, 3, 29))
    autumn = today.bounds(date(2026, 10, 24), date(2026, 10, 25))
    hour = 3_600_000
    assert [b - a for a, b in zip(spring, spring[1:], strict=False)] == [23 * hour, 24 * hour]
    assert [b - a for a, b in zip(autumn, autumn[1:], strict=False)] == [25 * hour, 24 * hour]
    assert today.start_of(date(2026, 3, 29)) == ms(2026, 3, 29, 2)
    assert today.end - today.start == timedelta(hours=24)
