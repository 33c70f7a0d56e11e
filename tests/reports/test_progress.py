"""The Progress figures over a hand-made history whose every answer is known.

Clock: Wednesday 2026-03-18 12:00 in a fixed UTC+1 zone, study days roll over at 4:00.
Weeks (ISO, by Monday): 2026-03-02, 03-09, 03-16.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from progress_history import ROLLOVER, History

from negodrill.core.studyday import Today
from negodrill.reports import progress
from negodrill.reports.progress import (
    CalibrationBucket,
    HabitWeek,
    Mastery,
    ProgressReport,
    Retention,
    collect_progress,
)
from negodrill.storage.store import Store

ZONE = timezone(timedelta(hours=1))
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=ZONE)
TODAY = Today.at(NOW, ROLLOVER, ZONE)
D = datetime  # naive wall times in ZONE
SYS, SWI, PUSHY = ("still_yes_seeking",), ("starts_with_I",), ("pushy",)


def build(path: Path | None = None) -> History:
    h = History(ZONE, path)
    h.deck("Alpha")
    h.card("Alpha", "dA1", "drill", "no-question")
    h.card("Alpha", "dA2", "drill", "mislabel")
    h.card("Alpha", "bA", "basic")
    h.card("Alpha", "cA", "choice")
    h.card("Alpha", "dA3", "drill", "no-question")  # stays new
    dA4 = h.card("Alpha", "dA4", "drill", "no-question")  # new, suspended
    h.deck("Beta")
    h.card("Beta", "dB1", "drill", "no-question")
    h.card("Beta", "dB2", "drill", "mislabel")
    bB = h.card("Beta", "bB", "basic")  # retired
    h.store.set_suspended([dA4], True)
    with h.store.atomic():
        h.store.retire_cards([bB])
    r = h.review
    # Week of 2026-03-02
    r("dA1", D(2026, 3, 2, 9, 0), 3, 1, correct=False, flaws=SYS)  # 1 first
    r("dA2", D(2026, 3, 2, 9, 5), 1, 1, correct=False, flaws=SWI)  # 2 first
    r("dA1", D(2026, 3, 2, 9, 10), 3, 2, correct=True)  # 3 again that day: not first
    r("dA2", D(2026, 3, 2, 9, 20), 3, 2, correct=True)  # 4 not first
    r("dB1", D(2026, 3, 3, 3, 0), 3, 1, correct=False, flaws=SYS)  # 5 before 4:00: Mar 2
    r("dB1", D(2026, 3, 3, 10, 0), 3, 2, correct=True)  # 6 learning, first on Mar 3
    r("bA", D(2026, 3, 4, 10, 0), 3, 2)  # 7
    r("cA", D(2026, 3, 4, 10, 1), 1, 1, correct=False)  # 8
    r("cA", D(2026, 3, 4, 10, 15), 3, 2, correct=True)  # 9
    r("dA1", D(2026, 3, 7, 10, 0), 3, 2, correct=False, flaws=SYS)  # 10 review, remembered
    r("dA2", D(2026, 3, 7, 10, 2), 1, 3, correct=False, flaws=SWI)  # 11 review, lapse
    r("dA2", D(2026, 3, 7, 10, 12), 3, 2, correct=True)  # 12 not first
    # Week of 2026-03-09
    r("dB1", D(2026, 3, 9, 10, 0), 3, 2, correct=True)  # 13 review
    r("bA", D(2026, 3, 10, 10, 0), 1, 3)  # 14 review, lapse
    r("bA", D(2026, 3, 10, 10, 10), 3, 2, stability=30, due=D(2026, 3, 12, 10))  # 15 overdue
    r("dA1", D(2026, 3, 11, 10, 0), 3, 2, correct=True)  # 16 review
    r("cA", D(2026, 3, 12, 10, 0), 3, 2, correct=True, stability=22,
      due=D(2026, 4, 30, 10))  # 17 review; due after the forecast
    r("dA2", D(2026, 3, 14, 10, 0), 3, 2, correct=False, flaws=SYS)  # 18 review
    # Week of 2026-03-16
    r("dA1", D(2026, 3, 16, 10, 0), 3, 2, correct=True, stability=25,
      due=D(2026, 3, 19, 3, 30))  # 19 review; due before tomorrow's 4:00: today
    r("dB1", D(2026, 3, 17, 10, 0), 1, 3, correct=False, flaws=PUSHY)  # 20 review, lapse
    r("dB1", D(2026, 3, 17, 10, 10), 3, 2, correct=True, stability=3,
      due=D(2026, 3, 20, 10))  # 21 not first
    r("dA2", D(2026, 3, 18, 9, 0), 3, 2, correct=True, stability=5,
      due=D(2026, 3, 25, 10))  # 22 review
    r("dB2", D(2026, 3, 18, 8, 0), 3, 1, correct=True, due=D(2026, 3, 18, 8, 10))  # 23 new
    return h


@pytest.fixture
def history() -> Iterator[History]:
    h = build()
    yield h
    h.store.close()


@pytest.fixture
def report(history: History) -> ProgressReport:
    return collect_progress(history.store, today=TODAY)


def counts(report: ProgressReport) -> dict[date, int]:
    return {d.day: d.reviews for d in report.days}


def test_reviews_per_study_day_include_the_days_off(report: ProgressReport) -> None:
    per_day = counts(report)
    assert list(per_day) == [date(2026, 3, 2) + timedelta(days=i) for i in range(17)]
    assert per_day[date(2026, 3, 2)] == 5  # 3:00 on the 3rd still belongs to the 2nd
    assert per_day[date(2026, 3, 3)] == 1
    assert [per_day[date(2026, 3, d)] for d in (5, 6, 8, 13, 15)] == [0] * 5
    assert per_day[date(2026, 3, 18)] == 2
    assert report.total_reviews == 23
    assert report.study_days == 12
    assert report.duration_ms == 230_000
    assert report.today == date(2026, 3, 18)
    assert report.since is None


def test_streaks(report: ProgressReport) -> None:
    assert report.current_streak == 3  # Mar 16, 17, 18
    assert report.best_streak == 4  # Mar 9 to 12


def test_true_retention_overall_per_deck_and_per_kind(report: ProgressReport) -> None:
    assert report.retention == Retention("all", 10, 7)
    assert report.retention is not None
    assert report.retention.share == 0.7
    assert report.retention_by_deck == (Retention("Alpha", 8, 6, deck_id=1),
                                        Retention("Beta", 2, 1, deck_id=2))
    assert report.retention_by_kind == (
        Retention("mislabel", 3, 2), Retention("no-question", 5, 4),
        Retention("basic", 1, 0), Retention("choice", 1, 1),
    )


def test_mastery_per_kind(report: ProgressReport) -> None:
    assert report.mastery == (
        Mastery("mislabel", new=0, learning=1, young=1, mature=0),
        Mastery("no-question", new=2, learning=0, young=1, mature=1),  # a suspended card too
        Mastery("basic", new=0, learning=0, young=0, mature=1),  # the retired one is out
        Mastery("choice", new=0, learning=0, young=0, mature=1),
    )


def test_habit_counts_only_the_first_showing_of_each_day(report: ProgressReport) -> None:
    assert report.habit_weeks == (
        HabitWeek(date(2026, 3, 2), 6, 1, {"still_yes_seeking": 3, "starts_with_I": 2}),
        HabitWeek(date(2026, 3, 9), 3, 2, {"still_yes_seeking": 1}),
        HabitWeek(date(2026, 3, 16), 4, 3, {"pushy": 1}),
    )
    assert report.first_answers == 13
    assert report.this_week is not None
    assert report.this_week.share == 0.75
    assert report.habit_weeks[0].flaw_share("still_yes_seeking") == 0.5


def test_top_flaws_say_when_each_was_last_seen(report: ProgressReport) -> None:
    top = {f.code: f for f in report.top_flaws}
    assert [f.code for f in report.top_flaws] == ["still_yes_seeking", "starts_with_I", "pushy"]
    assert top["still_yes_seeking"].count == 4
    assert top["still_yes_seeking"].share == round(4 / 13, 4)
    assert top["still_yes_seeking"].first_seen == date(2026, 3, 2)
    assert top["still_yes_seeking"].last_seen == date(2026, 3, 14)
    assert top["still_yes_seeking"].last_seen_week == date(2026, 3, 9)
    assert top["starts_with_I"].title == "Starts with “I”"
    assert top["starts_with_I"].last_seen == date(2026, 3, 7)
    assert top["pushy"].last_seen_week == date(2026, 3, 16)


def test_the_headline_sentences(history: History, monkeypatch: pytest.MonkeyPatch) -> None:
    thin = collect_progress(history.store, today=TODAY, only=("habit",))
    # No week has 5 first answers but the first: no trend yet.
    assert thin.headline == (
        "Starts with “I”: none since 2026-03-07.",
        "This week the coach accepted 3 of 4 first answers (75 %).",
    )
    monkeypatch.setattr(progress, "MIN_WEEK_ANSWERS", 3)
    full = collect_progress(history.store, today=TODAY, only=("habit",))
    assert full.headline == (
        "“Still yes-seeking” fell from 50 % of first answers to 0 % over 3 weeks.",
        "Starts with “I”: none since 2026-03-07.",
        "This week the coach accepted 3 of 4 first answers (75 %).",
    )


def test_headline_without_drill_answers() -> None:
    assert progress.habit_sentences([], [], date(2026, 3, 18)) == (
        "No drill answers in this period yet.",)
    weeks = [HabitWeek(date(2026, 1, 5), 10, 4, {"pushy": 4}),
             HabitWeek(date(2026, 1, 12), 20, 18, {"pushy": 1})]
    top = [progress.FlawSummary("pushy", "Pushy", 5, 5 / 30, date(2026, 1, 5),
                                date(2026, 1, 13), date(2026, 1, 12))]
    assert progress.habit_sentences(weeks, top, date(2026, 1, 14)) == (
        "“Pushy” fell from 40 % of first answers to 5 % over 2 weeks.",
        "This week the coach accepted 18 of 20 first answers (90 %).",
    )


def test_hardest_cards(report: ProgressReport, history: History) -> None:
    hard = [(c.card_id, c.deck, c.headline, c.lapses, c.again) for c in report.hardest]
    assert hard == [
        (history.ids["dA2"], "Alpha", "Can we talk about dA2?", 1, 2),
        (history.ids["bA"], "Alpha", "Front bA", 1, 1),
        (history.ids["dB1"], "Beta", "Can we talk about dB1?", 1, 1),
        (history.ids["cA"], "Alpha", "Question cA", 0, 1),
    ]


def test_forecast_puts_overdue_cards_today(report: ProgressReport) -> None:
    due = {f.day: f.due for f in report.forecast if f.due}
    assert len(report.forecast) == 30
    assert report.forecast[0].day == date(2026, 3, 18)
    # Today: bA (overdue since Mar 12), dB2 (learning, due 8:10), dA1 (due 3:30 tomorrow, before
    # the rollover); cA (Apr 30) is past the 30 days; suspended and retired cards never come.
    assert due == {date(2026, 3, 18): 3, date(2026, 3, 20): 1, date(2026, 3, 25): 1}


def test_a_period_keeps_its_days_and_all_time_streaks(history: History) -> None:
    since = date(2026, 3, 9)
    report = collect_progress(history.store, today=TODAY, since=since)
    assert [d.day for d in report.days] == [since + timedelta(days=i) for i in range(10)]
    assert report.total_reviews == 11
    assert (report.current_streak, report.best_streak) == (3, 4)
    assert report.retention == Retention("all", 8, 6)
    assert report.retention_by_deck == (Retention("Alpha", 6, 5, deck_id=1),
                                        Retention("Beta", 2, 1, deck_id=2))
    assert report.retention_by_kind == (
        Retention("mislabel", 2, 2), Retention("no-question", 4, 3),
        Retention("basic", 1, 0), Retention("choice", 1, 1),
    )
    assert [(c.card_id, c.lapses, c.again) for c in report.hardest] == [
        (history.ids["bA"], 1, 1), (history.ids["dB1"], 1, 1)]
    assert [w.week for w in report.habit_weeks] == [date(2026, 3, 9), date(2026, 3, 16)]
    assert progress.period_since(TODAY, "30d") == date(2026, 2, 17)
    assert progress.period_since(TODAY, "1y") == date(2025, 3, 19)
    assert progress.period_since(TODAY, "all") is None


def test_a_deck_filter(history: History) -> None:
    report = collect_progress(history.store, today=TODAY, deck_ids=[history.decks["Beta"]])
    assert report.total_reviews == 6
    assert report.days[0].day == date(2026, 3, 2)
    assert (report.current_streak, report.best_streak) == (2, 2)
    assert report.retention == Retention("all", 2, 1)
    assert [(w.first_answers, w.accepted) for w in report.habit_weeks] == [(2, 1), (1, 1), (2, 1)]
    assert [c.card_id for c in report.hardest] == [history.ids["dB1"]]
    assert report.mastery == (Mastery("mislabel", 0, 1, 0, 0), Mastery("no-question", 0, 0, 1, 0))
    assert sum(f.due for f in report.forecast) == 2
    assert report.deck_ids == (history.decks["Beta"],)


def test_only_some_groups_and_an_empty_collection() -> None:
    store = Store.memory()
    today = Today.at(NOW, ROLLOVER, ZONE)
    empty = collect_progress(store, today=today)
    assert empty.days == ()
    assert empty.total_reviews == 0
    assert empty.retention == Retention(
        "all", 0, 0)
    assert empty.headline == ("No drill answers in this period yet.",)
    assert empty.calibration_reviews == 0
    assert len(empty.calibration) == 10
    month = collect_progress(store, today=today, since=date(2026, 3, 1), only=("activity",))
    assert len(month.days) == 18
    assert month.habit_weeks == ()
    assert month.mastery == ()
    with pytest.raises(ValueError, match="unknown"):
        collect_progress(store, today=today, only=("nonsense",))
    store.close()


# -- calibration ---------------------------------------------------------------------------------
def fsrs_recall(stability: float, last: datetime, now: datetime) -> float:
    """What the installed fsrs says, to check that the report uses the same curve."""
    import fsrs

    card = fsrs.Card(card_id=1, state=fsrs.State.Review, step=None, stability=stability,
                     difficulty=5.0, due=now, last_review=last)
    return float(fsrs.Scheduler().get_card_retrievability(card, now))


def test_calibration_buckets_use_the_fsrs_forgetting_curve() -> None:
    h = History(ZONE)
    h.deck("Cal")
    for key in ("x", "y", "z"):
        h.card("Cal", key, "basic")
    h.review("x", D(2026, 1, 5, 10), 3, 2, stability=10.5)
    h.review("x", D(2026, 1, 15, 10), 3, 2)  # 10 whole days after the 5th's start: R > 0.9
    h.review("y", D(2026, 1, 1, 10), 3, 2, stability=1.0)
    h.review("y", D(2026, 1, 21, 10), 1, 3)  # 20 days on stability 1: R about 0.63, forgotten
    h.review("z", D(2026, 1, 1, 10), 3, 2, stability=1.0)
    h.review("z", D(2026, 1, 21, 10), 3, 2)  # the same, remembered
    today = Today.at(datetime(2026, 2, 1, 12, tzinfo=ZONE), ROLLOVER, ZONE)
    report = collect_progress(h.store, today=today, only=("calibration",))
    start_5th = datetime(2026, 1, 5, 4, tzinfo=ZONE).astimezone(UTC)
    start_1st = datetime(2026, 1, 1, 4, tzinfo=ZONE).astimezone(UTC)
    high = fsrs_recall(10.5, start_5th, h.utc(D(2026, 1, 15, 10)))
    middle = fsrs_recall(1.0, start_1st, h.utc(D(2026, 1, 21, 10)))
    assert 0.9 < high < 1.0
    assert 0.6 < middle < 0.7
    buckets = {b.low: b for b in report.calibration}
    assert report.calibration_reviews == 3
    assert buckets[0.9] == CalibrationBucket(0.9, 1.0, 1, round(high, 4), 1.0)
    assert buckets[0.6] == CalibrationBucket(0.6, 0.7, 2, round(middle, 4), 0.5)
    assert sum(b.reviews for b in report.calibration) == 3
    assert [b.low for b in report.calibration] == [i / 10 for i in range(10)]
    h.store.close()


def test_parallel_reads_on_a_file_give_the_same_report(tmp_path: Path) -> None:
    h = build(tmp_path / "c.sqlite3")
    serial = collect_progress(h.store, today=TODAY, workers=1)
    assert collect_progress(h.store, today=TODAY, workers=3) == serial
    since = date(2026, 3, 9)
    assert collect_progress(h.store, today=TODAY, since=since, workers=4) == collect_progress(
        h.store, today=TODAY, since=since, workers=1)
    memory = build()
    assert collect_progress(memory.store, today=TODAY) == serial
    memory.store.close()
    h.store.close()


def test_an_error_in_a_parallel_read_reaches_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = build(tmp_path / "c.sqlite3")

    def broken(*args: object, **kwargs: object) -> list[int]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(progress.q, "due_per_day", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        collect_progress(h.store, today=TODAY, workers=2)
    h.store.close()
