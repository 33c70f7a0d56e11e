"""Time the Progress figures and `stats --json` on a large synthetic collection.

    .venv/bin/python benchmarks/bench_stats.py [--cards 100000] [--reviews 1000000] [--runs 5]
    .venv/bin/python benchmarks/bench_stats.py --keep DIR   # build once into DIR, reuse it later

Builds a data dir in a temporary directory (or DIR): 10 decks of drills (no-question and
mislabel), basic and choice cards, and a review log written with executemany, oldest first, as
the app writes it: learning steps on the first day, reviews at growing intervals, lapses and
relearning, coach labels and flaws on drills (fewer flaws as the weeks go by), the card's
schedule before each review as JSON. Then prints the median of --runs calls of
`collect_progress` per figure group (one connection) and overall (one connection, and with
parallel reads), for all time, the last 30 days and the last year; then the wall time of
`negodrill stats --json` as a separate process, on this collection and on a fresh one (the
start-up alone). Results in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from negodrill import paths
from negodrill.core.studyday import Today
from negodrill.deckio.library import INSTALLED_KEY
from negodrill.reports import progress
from negodrill.storage.store import REVIEW_COLUMNS, Store

DAY_MS = 86_400_000
MINUTE_MS = 60_000
ROLLOVER_MS = 4 * 3_600_000  # 4:00, in UTC: the benchmark's study days
FLAWS = ("still_yes_seeking", "leading_question", "starts_with_I", "pushy", "changes_the_ask",
         "label_plus_question", "double_negative")
ANSWERS = ("Is now a bad time to talk about the renewal?", "Can we talk about the renewal?",
           "It seems like the renewal is off the table.", "I think you want to renew, right?")


def _card(i: int) -> dict[str, Any]:
    kind = ("drill",) * 8 + ("basic", "choice")
    data: dict[str, Any] = {"id": f"bench-{i}", "type": kind[i % 10], "rev": 1}
    if data["type"] == "drill":
        data |= {"situation": f"A supplier call #{i}.", "prompt": f"Can we talk about #{i}?",
                 "technique": ("no-question", "mislabel")[i % 3 == 0],
                 "rewrites": [f"Is now a bad time to talk about #{i}?"]}
    elif data["type"] == "basic":
        data |= {"front": f"What does a 'no' give them (#{i})?", "back": "Control."}
    else:
        data |= {"question": f"Which one is no-oriented (#{i})?",
                 "options": [{"id": "a", "text": "Can we?"},
                             {"id": "b", "text": "Would it be a bad idea?", "correct": True}]}
    return data


def _history(
    rng: random.Random, card_id: int, kind: str, start_ms: int, now_ms: int, count: int
) -> tuple[list[tuple[Any, ...]], tuple[Any, ...]]:
    """One card's reviews, oldest first, and its schedule after the last one."""
    rows: list[tuple[Any, ...]] = []
    state, step, stability, difficulty = 0, 0, None, None
    due, last, reps, lapses = None, None, 0, 0
    t = start_ms
    span = now_ms - start_ms
    # A learner finishes the learning steps the same day: a history does not stop on a failed
    # card unless it is recent (up to three extra answers, the last ones passing).
    for i in range(count + 3):
        if t > now_ms or (i >= count and (state == 2 or now_ms - t < DAY_MS)):
            break
        before = (step, stability, difficulty, due, last, reps, lapses)
        again = i < count and rng.random() < (0.25 if state in (0, 1, 3) else 0.1)
        rating = 1 if again else rng.choice((2, 3, 3, 3, 3, 4))
        correct: int | None = None
        label: str | None = None
        flaws: list[str] = []
        if kind == "drill":
            # The habit improves: fewer flaws later in the history.
            progress_share = (t - start_ms) / span if span else 1.0
            if rng.random() < 0.5 - 0.35 * progress_share:
                flaws = rng.sample(FLAWS[: 2 + int(5 * rng.random())], 1)
                label = "yes_seeking" if flaws[0] == "still_yes_seeking" else "no_oriented"
                correct = 0
            else:
                label, correct = "no_oriented", 1
        elif kind == "choice":
            correct = int(not again)
        state_before = state
        if state in (0, 1, 3):
            if again:
                state, step, wait = (1 if state != 3 else 3), 0, MINUTE_MS
            else:
                state, step = 2, None
                stability = (stability or 1.0) * (1.5 if state_before == 3 else 1.0) + 1
                wait = int(stability * DAY_MS)
        else:
            if again:
                state, step, wait = 3, 0, 10 * MINUTE_MS
                lapses += 1
                stability = max(0.5, (stability or 1.0) * 0.4)
            else:
                stability = (stability or 1.0) * rng.uniform(1.2, 1.9)
                wait = int(stability * DAY_MS)
        difficulty = rng.uniform(3, 8)
        day_start = t - (t - ROLLOVER_MS) % DAY_MS  # as the scheduler stores `last_review`
        last = day_start
        due = t + wait
        reps += 1
        rows.append((card_id, t, rating, rng.randint(2_000, 40_000),
                     ANSWERS[rng.randrange(4)] if kind == "drill" else "",
                     correct, label, json.dumps(flaws), state_before, state, day_start,
                     *before, 0))
        # Late now and then: the next review is a few days after it fell due.
        t = due + (rng.randint(0, 3) * DAY_MS if state == 2 else 0) + rng.randint(0, 3_600_000)
    return rows, (state, step, stability, difficulty, due, last, reps, lapses)


def build(data_dir: Path, cards: int, reviews: int, now: datetime, *, span_days: int = 730,
          due_share: float | None = None) -> None:
    """A data dir holding the synthetic collection (no built-in decks: marked installed).

    :param span_days: how far back the history goes.
    :param due_share: when given, that share of all cards is made due today (cards in review
        whose due date is moved to an hour ago), as a collection studied every day has it.
    """
    rng = random.Random(11)
    store = Store.open(paths.database_path(data_dir))
    now_ms = int(now.timestamp() * 1000)
    first_ms = now_ms - span_days * DAY_MS
    # The history ends before today's study day: the learner is about to start today's session
    # (the daily limits are not used up yet).
    history_end = now_ms - (now_ms - ROLLOVER_MS) % DAY_MS - 1
    per_card = max(1, round(reviews / cards * 1.6))
    log: list[tuple[Any, ...]] = []
    with store.atomic():
        store.set_setting(INSTALLED_KEY, True)
        decks = [store.insert_deck(uuid=f"00000000-0000-4000-8000-{d:012d}",
                                   title=f"Bench deck {d}", revision=1, source="local", now=now)
                 for d in range(10)]
        for i in range(cards):
            store.insert_card(decks[i % 10], _card(i), position=i // 10, now=now)
        finals = []
        for card_id in range(1, cards + 1):
            if len(log) >= reviews:
                break
            kind = ("drill",) * 8 + ("basic", "choice")
            start = first_ms + rng.randrange(0, max(1, span_days - 30) * DAY_MS)
            rows, final = _history(rng, card_id, kind[(card_id - 1) % 10], start, history_end,
                                   min(rng.randint(1, 2 * per_card), reviews - len(log)))
            log += rows
            finals.append((*final, card_id))
        log.sort(key=lambda r: r[1])
        marks = ", ".join("?" for _ in REVIEW_COLUMNS.split(","))
        store._db.conn.executemany(f"INSERT INTO review ({REVIEW_COLUMNS}) VALUES ({marks})", log)
        store._db.conn.executemany(
            "UPDATE card SET state = ?, step = ?, stability = ?, difficulty = ?, due_ms = ?, "
            "last_review_ms = ?, reps = ?, lapses = ? WHERE id = ?", finals)
        if due_share is not None:
            store._db.execute("UPDATE card SET due_ms = ? WHERE state = 2 AND id IN (SELECT id "
                             "FROM card WHERE state = 2 ORDER BY random() LIMIT ?)",
                             [now_ms - 3_600_000, int(cards * due_share)])
    store._db.execute("ANALYZE")
    store.close()


def _median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples), max(samples)


def _report(label: str, fn: Callable[[], Any], runs: int) -> None:
    median, low, high = _median_ms(fn, runs)
    print(f"  {label:<58} {median:8.1f} ms  ({low:.1f}-{high:.1f})")


def measure(data_dir: Path, runs: int) -> None:
    store = Store.open(paths.database_path(data_dir))
    count = store._db.execute("SELECT count(*) FROM review").fetchone()[0]
    cards = store._db.execute("SELECT count(*) FROM card").fetchone()[0]
    print(f"collection: {cards} cards, {count} reviews, {os.cpu_count()} CPUs; "
          f"medians of {runs} runs (min-max)")
    # The floor on this machine: one plain read of every review.
    _report("baseline: SELECT sum(duration_ms) FROM review", lambda: store._db.execute(
        "SELECT sum(duration_ms) FROM review").fetchall(), runs)
    rollover = store.preset().rollover_hour
    workers = min(os.cpu_count() or 1, 4)
    today = Today.at(datetime.now(UTC), rollover)
    for title, since in (("all time", None), ("last 30 days", today.day - timedelta(days=29)),
                         ("last year", today.day - timedelta(days=364))):
        print(f"{title}:")
        for group in progress.GROUPS:
            _report(f"{group} (1 connection)", partial(
                progress.collect_progress, store, today=today, since=since, only=(group,),
                workers=1), runs)
        _report("everything, 1 connection", partial(
            progress.collect_progress, store, today=today, since=since, workers=1), runs)
        _report(f"everything, {workers} parallel reads", partial(
            progress.collect_progress, store, today=today, since=since), runs)
    deck = store.deck_ids()[0]
    _report(f"one deck of 10, all time, {workers} parallel reads", partial(
        progress.collect_progress, store, today=today, deck_ids=[deck]), runs)
    _report(f"stats figures (activity + habit), {workers} parallel reads", partial(
        progress.collect_progress, store, today=today, only=("activity", "habit")), runs)
    _measure_report_and_page(store, today, runs)
    store.close()
    command = [sys.executable, "-m", "negodrill", "--data-dir", str(data_dir), "stats", "--json"]
    subprocess.run(command, check=True, capture_output=True)  # warm the page cache
    _report("`negodrill stats --json` (process)",
            lambda: subprocess.run(command, check=True, capture_output=True), runs)
    with tempfile.TemporaryDirectory() as empty:
        bare = [sys.executable, "-m", "negodrill", "--data-dir", empty, "stats", "--json"]
        subprocess.run(bare, check=True, capture_output=True)  # installs the built-in decks
        _report("`negodrill stats --json` (process, 262 cards, no reviews)",
                lambda: subprocess.run(bare, check=True, capture_output=True), runs)
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures = json.loads(out)
    print("stats --json:", {k: figures[k] for k in ("reviews", "streak_days", "retention",
                                                      "habit_accepted_share_this_week")})


def _measure_report_and_page(store: Store, today: Today, runs: int) -> None:
    """The HTML report (figures and SVG charts) and the Progress page with its charts drawn,
    each for all time, with matplotlib already loaded (the app preloads it after start-up)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from negodrill.reports.exporting import export_report
    from negodrill.ui.progress_page import load_chart_modules

    app = QApplication.instance() or QApplication([])
    load_chart_modules()
    with tempfile.TemporaryDirectory() as out:
        _report("HTML report, all time (figures + 5 SVG charts)", lambda: export_report(
            store, Path(out) / "report.html", today=today), runs)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script, too
    from benchmarks.measures import progress_page_opener

    page, open_page = progress_page_opener(app, store)
    _report("Progress page, all time: figures and charts drawn", open_page, runs)
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build into (or reuse) this data dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.keep or Path(tmp)
        if not paths.database_path(data_dir).exists():
            start = time.perf_counter()
            build(data_dir, args.cards, args.reviews, datetime.now(UTC))
            print(f"built in {time.perf_counter() - start:.1f} s")
        measure(data_dir, args.runs)


if __name__ == "__main__":
    main()
