"""The Progress charts: every chart draws for an empty and a realistic report, as SVG and PNG."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest
from matplotlib.text import Text

from negodrill.reports import charts
from negodrill.reports.progress import (
    CalibrationBucket,
    DayCount,
    FlawSummary,
    ForecastDay,
    HabitWeek,
    ProgressReport,
    Retention,
)

TODAY = date(2026, 3, 20)


def realistic_report() -> ProgressReport:
    """Ten weeks of study with first answers improving and the top flaw fading."""
    days = tuple(DayCount(TODAY - timedelta(days=69 - i), (i * 7) % 23 if i % 6 else 0,
                          60_000 * (i % 9)) for i in range(70))
    monday = TODAY - timedelta(days=TODAY.weekday())
    weeks = tuple(
        HabitWeek(monday - timedelta(weeks=9 - i), 30, 8 + 2 * i,
                  {"still_yes_seeking": max(0, 14 - i), "starts_with_I": 5 - i // 2})
        for i in range(10))
    flaws = (FlawSummary("still_yes_seeking", "Still yes-seeking", 80, 0.27, weeks[0].week,
                         TODAY, monday),
             FlawSummary("starts_with_I", "Starts with “I”", 35, 0.12, weeks[0].week, TODAY,
                         monday))
    buckets = tuple(CalibrationBucket(i / 10, (i + 1) / 10, 0 if i < 4 else 20 * i,
                                      None if i < 4 else i / 10 + 0.05,
                                      None if i < 4 else min(1.0, i / 10 + 0.02))
                    for i in range(10))
    return ProgressReport(
        today=TODAY, since=TODAY - timedelta(days=69), deck_ids=None, days=days,
        total_reviews=sum(d.reviews for d in days), duration_ms=3_600_000, study_days=58,
        current_streak=4, best_streak=12, retention=Retention("all", 400, 352),
        retention_by_kind=(Retention("no-question", 250, 225), Retention("mislabel", 100, 80),
                           Retention("basic", 40, 39), Retention("choice", 10, 8)),
        habit_weeks=weeks, top_flaws=flaws,
        forecast=tuple(ForecastDay(TODAY + timedelta(days=i), (i * 5) % 17) for i in range(30)),
        calibration=buckets, calibration_reviews=sum(b.reviews for b in buckets))


REPORTS = {"empty": charts.empty_report(TODAY), "realistic": realistic_report()}


@pytest.mark.parametrize("which", sorted(REPORTS))
@pytest.mark.parametrize("name", charts.CHARTS)
def test_every_chart_draws(name: str, which: str) -> None:
    report = REPORTS[which]
    for dark in (False, True):
        fig = charts.figure(name, report, dark=dark)
        texts = [t.get_text() for t in fig.findobj(Text)]
        assert (charts.NO_REVIEWS in texts) == (which == "empty")
        assert charts.TITLES[name] in texts
    text = charts.svg(name, report)
    assert text.startswith("<svg")
    assert text.rstrip().endswith("</svg>")
    assert "<script" not in text
    assert "<?xml" not in text
    assert "<!DOCTYPE" not in text
    assert "<style" not in text
    assert png_ok(charts.png(name, report, dpi=60))


def png_ok(data: bytes) -> bool:
    return data.startswith(b"\x89PNG\r\n\x1a\n")


def test_unknown_chart_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown chart"):
        charts.figure("pie", REPORTS["empty"])


def test_svg_does_not_change_the_global_settings() -> None:
    import matplotlib

    before = matplotlib.rcParams["svg.fonttype"], matplotlib.rcParams["svg.hashsalt"]
    charts.svg("reviews", REPORTS["realistic"], dark=True)
    assert (matplotlib.rcParams["svg.fonttype"], matplotlib.rcParams["svg.hashsalt"]) == before


def test_svg_is_stable_and_shows_the_words() -> None:
    one = charts.svg("habit", REPORTS["realistic"])
    assert one == charts.svg("habit", REPORTS["realistic"])
    assert 'aria-label="First answers the coach accepted, per week"' in one


def test_importing_the_module_does_not_load_matplotlib() -> None:
    code = "import sys, negodrill.reports.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    assert out.strip() == "False"


def test_kind_titles_are_in_the_learners_words() -> None:
    assert charts.kind_title("no-question") == "No-oriented questions"
    assert charts.kind_title("calibrated-question") == "Calibrated question"
