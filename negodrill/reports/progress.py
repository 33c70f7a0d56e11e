"""The Progress figures of a collection, as one frozen `ProgressReport` (no Qt).

`collect_progress` reads the collection once per figure group (see storage/progress_queries for
how that stays fast on a million reviews) and computes everything else from plain numbers. The
Progress page, the progress report (HTML/PDF/CSV) and `stats --json` all read this report.

Definitions, in one place:

* Study days are local days from the rollover hour (`core.studyday.Today`); weeks are ISO weeks,
  keyed by their Monday.
* True retention: answers on cards in review state (state_before = 2) not graded Again.
* The habit: drill answers on a card's first showing of a study day (later showings that day
  come after the learner saw the references, so they say little), the share the coach accepted,
  and the flaws it found in them.
* Mastery: new; learning (learning or relearning); young (review state, FSRS stability under
  21 days); mature (stability 21 days or more). Stability, not Anki's interval >= 21 d: the
  interval also depends on the desired retention, stability only on the memory. Retired cards
  are left out, suspended ones kept.
* Calibration: FSRS-6 retrievability at each answer on a review card (stability and last review
  before the answer, the scheduler's decay) against whether it was remembered, over the latest
  CALIBRATION_LIMIT such answers of the period.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any

from negodrill.core.studyday import Today, iso_week, utc_now
from negodrill.reports.stats import percent, streaks
from negodrill.reports.stats import share as ratio
from negodrill.storage import progress_queries as q
from negodrill.storage import review_days
from negodrill.storage.store import Store

GROUPS = ("activity", "habit", "retention", "hardest", "mastery", "forecast", "calibration")
PERIODS: dict[str, int | None] = {"30d": 30, "1y": 365, "all": None}  # the page's choices
MATURE_STABILITY_DAYS = 21.0
FORECAST_DAYS = 30
HARDEST_LIMIT = 20
CALIBRATION_LIMIT = 20_000
MIN_WEEK_ANSWERS = 5  # a week with fewer first answers is too thin for a trend sentence
TOP_FLAWS = 5


# -- the report -------------------------------------------------------------------------------
@dataclass(frozen=True)
class DayCount:
    """One study day of the period (days without reviews too)."""

    day: date
    reviews: int
    duration_ms: int


@dataclass(frozen=True)
class Retention:
    """True retention of a group: answers on cards in review state, and those not Again."""

    name: str  # deck title or kind ("no-question", "mislabel", ..., "basic", "choice")
    review_answers: int
    remembered: int
    deck_id: int | None = None  # set on per-deck rows

    @property
    def share(self) -> float | None:
        return ratio(self.remembered, self.review_answers)


@dataclass(frozen=True)
class Mastery:
    """Cards of one kind by how well they are known (not retired; suspended ones too)."""

    kind: str
    new: int
    learning: int
    young: int
    mature: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.young + self.mature


@dataclass(frozen=True)
class HabitWeek:
    """The habit in one ISO week: drill answers on a card's first showing of its study day.
    The period's first week may be cut short by its start (only its days in the period)."""

    week: date  # the Monday
    first_answers: int
    accepted: int
    flaws: dict[str, int] = field(default_factory=dict)  # code -> first answers with it

    @property
    def share(self) -> float | None:
        return ratio(self.accepted, self.first_answers)

    def flaw_share(self, code: str) -> float | None:
        return ratio(self.flaws.get(code, 0), self.first_answers)


@dataclass(frozen=True)
class FlawSummary:
    """One of the period's most frequent flaws in first answers."""

    code: str
    title: str
    count: int  # first answers with this flaw in the period
    share: float | None  # of all first answers in the period
    first_seen: date
    last_seen: date  # the last study day it was found
    last_seen_week: date  # the Monday of that day's week


@dataclass(frozen=True)
class HardCard:
    """A card among the period's hardest: most lapses, then most Again grades (not retired)."""

    card_id: int
    deck_id: int
    deck: str
    headline: str
    kind: str
    lapses: int  # in the period
    again: int  # Again grades in the period, in any state


@dataclass(frozen=True)
class ForecastDay:
    """Cards falling due on a day; the first day (today) also holds every overdue card."""

    day: date
    due: int


@dataclass(frozen=True)
class CalibrationBucket:
    """Answers on review cards whose predicted recall fell in [low, high)."""

    low: float  # predicted recall from (inclusive) ...
    high: float  # ... to (exclusive; the last bucket includes 1.0)
    reviews: int
    predicted: float | None  # mean predicted recall of its answers
    actual: float | None  # share remembered


@dataclass(frozen=True)
class ProgressReport:
    """Every Progress figure of some decks over a period. Groups not asked for stay empty."""

    today: date
    since: date | None  # first day of the period; None for all time
    deck_ids: tuple[int, ...] | None
    # activity
    days: tuple[DayCount, ...] = ()  # every study day of the period, days off included
    total_reviews: int = 0
    duration_ms: int = 0
    study_days: int = 0  # days with reviews in the period
    current_streak: int = 0  # all time: a streak does not restart where the period starts
    best_streak: int = 0  # all time
    retention: Retention | None = None  # overall, name "all"
    # retention per deck and per kind
    retention_by_deck: tuple[Retention, ...] = ()
    retention_by_kind: tuple[Retention, ...] = ()
    # the habit
    habit_weeks: tuple[HabitWeek, ...] = ()
    top_flaws: tuple[FlawSummary, ...] = ()
    headline: tuple[str, ...] = ()
    # the rest
    mastery: tuple[Mastery, ...] = ()
    hardest: tuple[HardCard, ...] = ()
    forecast: tuple[ForecastDay, ...] = ()
    calibration: tuple[CalibrationBucket, ...] = ()
    calibration_reviews: int = 0  # answers the calibration is computed from

    @property
    def first_answers(self) -> int:
        return sum(w.first_answers for w in self.habit_weeks)

    @property
    def this_week(self) -> HabitWeek | None:
        week = iso_week(self.today)
        return next((w for w in reversed(self.habit_weeks) if w.week == week), None)


# -- helpers the page and the report share ------------------------------------------------------
def period_since(today: Today, period: str) -> date | None:
    """The first day of a named period ("30d", "1y", "all") ending today."""
    days = PERIODS[period]
    return None if days is None else today.day - timedelta(days=days - 1)


def today_for(store: Store) -> Today:
    return Today.at(utc_now(), store.preset().rollover_hour)


# -- collecting ---------------------------------------------------------------------------------
def collect_progress(
    store: Store,
    *,
    today: Today | None = None,
    deck_ids: Sequence[int] | None = None,
    since: date | None = None,
    only: Collection[str] | None = None,
    workers: int | None = None,
) -> ProgressReport:
    """The figures of `deck_ids` (None: every deck) over the study days since `since` (None:
    all time) up to today. `only` limits the work to some of GROUPS; the rest stay empty.

    The reads are independent, so with a database file they run on up to `workers` read-only
    connections at once (default: the CPU count, at most 4); `workers=1` reads one by one.
    """
    today = today or today_for(store)
    groups = set(GROUPS if only is None else only)
    unknown = groups - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown figure groups: {', '.join(sorted(unknown))}")
    decks = tuple(deck_ids) if deck_ids is not None else None
    since = min(since, today.day) if since is not None else None
    workers = max(1, min(os.cpu_count() or 1, 4) if workers is None else workers)
    first_ms = review_days.first_review_ms(store, decks)
    if since is not None:
        first_day: date | None = since
    else:
        first_day = min(today.day_of(first_ms), today.day) if first_ms is not None else None
    bounds = today.bounds(first_day, today.day) if first_day is not None else []
    since_ms = None if since is None else bounds[0]

    # Each task is one read; the biggest go first so that parallel reads end together.
    tasks: dict[str, Callable[[Store], Any]] = {}
    if "hardest" in groups:
        tasks["hardest"] = lambda s: q.hardest(s, since_ms, today.end_ms, decks,
                                               limit=HARDEST_LIMIT)
    if "mastery" in groups:
        tasks["mastery"] = lambda s: q.mastery(s, decks, MATURE_STABILITY_DAYS)
    if "retention" in groups:
        tasks["retention"] = lambda s: q.retention(s, since_ms, today.end_ms, decks)
    chunks = _chunks(bounds, 2 * workers if workers > 1 else 1)
    if groups & {"activity", "habit"}:
        for i, chunk in enumerate(chunks):
            tasks[f"log{i}"] = partial(_read_log, bounds=chunk, decks=decks,
                                       habit="habit" in groups)
    if "activity" in groups and since is not None and first_ms is not None:
        start = today.day_of(first_ms)
        if start < since:  # streaks look at all time: count the days before the period too
            earlier = today.bounds(start, since - timedelta(days=1))
            tasks["earlier"] = lambda s: review_days.review_counts(s, earlier, decks)
    if "calibration" in groups:
        tasks["calibration"] = lambda s: q.calibration_rows(
            s, since_ms, today.end_ms, decks, limit=CALIBRATION_LIMIT)
    if "forecast" in groups:
        ahead = today.bounds(today.day, today.day + timedelta(days=FORECAST_DAYS - 1))
        tasks["forecast"] = lambda s: q.due_per_day(s, ahead, decks)
    read = _run(store, tasks, workers)

    figures: dict[str, Any] = {}
    if groups & {"activity", "habit"}:
        per_day = [day for i in range(len(chunks)) for day in read[f"log{i}"]]
        origin = first_day or today.day  # per_day is empty when there is no first day
        days = [origin + timedelta(days=i) for i in range(len(per_day))]
        if "activity" in groups:
            figures |= _activity(read.get("earlier", []), days, per_day)
        if "habit" in groups:
            figures |= _habit(today, days, per_day)
    titles = q.deck_titles(store) if groups & {"retention", "hardest"} else {}
    if "retention" in groups:
        figures |= _retention(read["retention"], titles)
    if "hardest" in groups:
        figures["hardest"] = tuple(
            HardCard(card_id=h.card_id, deck_id=h.deck_id, deck=titles.get(h.deck_id, ""),
                     headline=h.headline, kind=h.kind, lapses=h.lapses, again=h.again)
            for h in read["hardest"])
    if "mastery" in groups:
        figures["mastery"] = _mastery(read["mastery"])
    if "forecast" in groups:
        figures["forecast"] = tuple(ForecastDay(today.day + timedelta(days=i), n)
                                    for i, n in enumerate(read["forecast"]))
    if "calibration" in groups:
        figures |= _calibration(store, read["calibration"])
    return ProgressReport(today=today.day, since=since, deck_ids=decks, **figures)


def _read_log(
    store: Store, *, bounds: list[int], decks: tuple[int, ...] | None, habit: bool
) -> list[q.DayFigures]:
    return q.review_log(store, bounds, decks, habit=habit)


def _chunks(bounds: list[int], parts: int) -> list[list[int]]:
    """Split day boundaries into `parts` runs of consecutive days (sharing their edges)."""
    days = len(bounds) - 1
    if days <= 0:
        return []
    size = -(-days // max(1, min(parts, days)))
    return [bounds[i:i + size + 1] for i in range(0, days, size)]


def _run(store: Store, tasks: dict[str, Callable[[Store], Any]], workers: int) -> dict[str, Any]:
    """Run the reads: on this thread alone, or also on helper threads with connections of
    their own (SQLite statements run without the GIL). Any error is raised here."""
    queue = list(tasks.items())
    if workers <= 1 or len(queue) <= 1 or store.path is None:
        return {key: task(store) for key, task in queue}
    results: dict[str, Any] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def drain(target: Store) -> None:
        while True:
            with lock:
                if not queue or errors:
                    return
                key, task = queue.pop(0)
            try:
                results[key] = task(target)
            except BaseException as exc:  # re-raised on the calling thread
                with lock:
                    errors.append(exc)
                return

    def helper() -> None:
        reader = q.open_reader(store)
        if reader is not None:
            try:
                drain(reader)
            finally:
                reader.close()

    threads = [threading.Thread(target=helper, name="progress-read", daemon=True)
               for _ in range(min(workers, len(queue)) - 1)]
    for thread in threads:
        thread.start()
    drain(store)
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def _activity(
    earlier: list[int], days: list[date], per_day: list[q.DayFigures]
) -> dict[str, Any]:
    counts = [d.reviews for d in per_day]
    current, best = streaks(earlier + counts)
    answers = sum(d.review_answers for d in per_day)
    remembered = sum(d.remembered for d in per_day)
    return {
        "days": tuple(DayCount(day, d.reviews, d.duration_ms) for day, d in zip(days, per_day,
                                                                               strict=True)),
        "total_reviews": sum(counts),
        "duration_ms": sum(d.duration_ms for d in per_day),
        "study_days": sum(1 for c in counts if c),
        "current_streak": current,
        "best_streak": best,
        "retention": Retention("all", answers, remembered),
    }


def _habit(today: Today, days: list[date], per_day: list[q.DayFigures]) -> dict[str, Any]:
    from negodrill.core.coach.words import flaw_title  # the coach stays off the start-up path

    # Every week the period touches, weeks without drill answers too (charts need the gaps).
    weeks: dict[date, list[Any]] = {iso_week(day): [0, 0, {}] for day in days}
    seen: dict[str, list[Any]] = {}  # code -> [count, first day, last day]
    for day, figures in zip(days, per_day, strict=True):
        week = weeks[iso_week(day)]
        week[0] += figures.first_answers
        week[1] += figures.accepted
        for code, count in figures.flaws.items():
            week[2][code] = week[2].get(code, 0) + count
            entry = seen.setdefault(code, [0, day, day])
            entry[0] += count
            entry[2] = day
    habit_weeks = tuple(HabitWeek(w, v[0], v[1], dict(sorted(v[2].items(),
                                                              key=lambda kv: (-kv[1], kv[0]))))
                        for w, v in sorted(weeks.items()))
    total = sum(w.first_answers for w in habit_weeks)
    top = tuple(
        FlawSummary(code, flaw_title(code), v[0], ratio(v[0], total), v[1], v[2], iso_week(v[2]))
        for code, v in sorted(seen.items(), key=lambda kv: (-kv[1][0], kv[0]))[:TOP_FLAWS]
    )
    return {"habit_weeks": habit_weeks, "top_flaws": top,
            "headline": habit_sentences(habit_weeks, top, today.day)}


def habit_sentences(
    weeks: Sequence[HabitWeek], top_flaws: Sequence[FlawSummary], today: date
) -> tuple[str, ...]:
    """One to three plain sentences about the habit, the most telling first."""
    total = sum(w.first_answers for w in weeks)
    if not total:
        return ("No drill answers in this period yet.",)
    sentences: list[str] = []
    solid = [w for w in weeks if w.first_answers >= MIN_WEEK_ANSWERS]
    if top_flaws and len(solid) >= 2:
        flaw, first, last = top_flaws[0], solid[0], solid[-1]
        before, after = first.flaw_share(flaw.code) or 0.0, last.flaw_share(flaw.code) or 0.0
        span = (last.week - first.week).days // 7 + 1
        if percent(before) == percent(after):
            trend = f"held at {percent(after)} of first answers"
        else:
            verb = "fell" if after < before else "rose"
            trend = f"{verb} from {percent(before)} of first answers to {percent(after)}"
        sentences.append(f"“{flaw.title}” {trend} over {span} weeks.")
    # Gone: not seen this week or last week.
    gone = [f for f in top_flaws if f.last_seen_week < iso_week(today) - timedelta(days=7)]
    if gone:
        sentences.append(f"{gone[0].title}: none since {gone[0].last_seen.isoformat()}.")
    this_week = next((w for w in weeks if w.week == iso_week(today)), None)
    if this_week is not None and this_week.first_answers:
        sentences.append(
            f"This week the coach accepted {this_week.accepted} of {this_week.first_answers} "
            f"first answers ({percent(this_week.accepted / this_week.first_answers)}).")
    elif not sentences:
        accepted = sum(w.accepted for w in weeks)
        sentences.append(f"The coach accepted {accepted} of {total} first answers "
                         f"({percent(accepted / total)}).")
    return tuple(sentences[:3])


def _retention(cards: list[q.GroupRow], titles: dict[int, str]) -> dict[str, Any]:
    by_deck: dict[int, list[int]] = {}
    by_kind: dict[str, list[int]] = {}
    for row in cards:
        if not row.review_answers:
            continue
        for sums in (by_deck.setdefault(row.deck_id, [0, 0]), by_kind.setdefault(row.kind, [0, 0])):
            sums[0] += row.review_answers
            sums[1] += row.remembered
    return {
        "retention_by_deck": tuple(Retention(titles.get(d, "a deleted deck"), n, ok, deck_id=d)
                                   for d, (n, ok) in sorted(by_deck.items())),
        "retention_by_kind": tuple(Retention(k, n, ok)
                                   for k, (n, ok) in sorted(by_kind.items(), key=_kind_order)),
    }


def _kind_order(item: tuple[str, Any]) -> tuple[int, str]:
    """Drill techniques first (by name), then basic, then choice cards."""
    kind = item[0]
    return ({"basic": 1, "choice": 2}.get(kind, 0), kind)


def _mastery(cards: list[q.GroupRow]) -> tuple[Mastery, ...]:
    table: dict[str, list[int]] = {}
    for row in cards:
        if row.bucket is not None and row.bucket < 4:  # retired cards are out of the course
            table.setdefault(row.kind, [0, 0, 0, 0])[row.bucket] += row.cards
    return tuple(Mastery(kind, *counts) for kind, counts in sorted(table.items(), key=_kind_order))


def _calibration(
    store: Store, rows: list[tuple[int, int, float | None, int | None]]
) -> dict[str, Any]:
    from negodrill.core.scheduling import forgetting_curve

    decay, factor = forgetting_curve(store.preset())
    counts, predicted, remembered = [0] * 10, [0.0] * 10, [0] * 10
    used = 0
    for ok, time_ms, stability, last_ms in rows:
        if not stability or stability <= 0 or last_ms is None:
            continue
        elapsed = max(0, (time_ms - int(last_ms)) // 86_400_000)  # whole days, as fsrs counts
        recall = (1 + factor * elapsed / float(stability)) ** decay
        bucket = min(9, int(recall * 10))
        counts[bucket] += 1
        predicted[bucket] += recall
        remembered[bucket] += ok
        used += 1
    buckets = tuple(
        CalibrationBucket(low=i / 10, high=(i + 1) / 10, reviews=counts[i],
                          predicted=round(predicted[i] / counts[i], 4) if counts[i] else None,
                          actual=ratio(remembered[i], counts[i]))
        for i in range(10)
    )
    return {"calibration": buckets, "calibration_reviews": used}


# -- stats --json ---------------------------------------------------------------------------
def habit_json(report: ProgressReport) -> dict[str, Any]:
    """The habit figures `stats --json` adds."""
    week = report.this_week
    return {
        "habit_accepted_share_this_week": week.share if week else None,
        "habit_first_answers_this_week": week.first_answers if week else 0,
        "habit_weeks": [
            {"week": w.week.isoformat(), "first_answers": w.first_answers,
             "accepted": w.accepted, "share": w.share, "flaws": w.flaws}
            for w in report.habit_weeks
        ],
        "top_flaws": [
            {"code": f.code, "title": f.title, "count": f.count, "share": f.share,
             "last_seen": f.last_seen.isoformat(), "last_seen_week": f.last_seen_week.isoformat()}
            for f in report.top_flaws
        ],
        "habit_headline": list(report.headline),
    }
