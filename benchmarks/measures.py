"""Figures measured inside this process on the built profile: opening, answering, the commit
floor, Progress and the reports, `check`, the optimizer, the coach and the file size."""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from negodrill import paths
from negodrill.storage.store import Store

REPO = Path(__file__).resolve().parents[1]
TYPED = ("Is now a bad time to talk about the renewal?", "Can we talk about the renewal?",
         "It seems like the renewal is off the table.", "Would it be crazy to renew?")


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def open_ms(data_dir: Path, runs: int) -> float:
    """Open the database and build the first study queue (all decks, as the window does)."""
    from negodrill.core.session import ReviewSession

    def once() -> None:
        store = Store.open(paths.database_path(data_dir))
        ReviewSession(store).current()
        store.close()

    once()  # imports and the page cache, as a learner's second start has them
    return median_ms(once, runs)


def answers(data_dir: Path, count: int) -> tuple[float, float]:
    """(p50, p95) ms of one answer: the coach on a typed drill answer (or a choice pick or a
    reveal), the check, the grade committed, the next card ready."""
    from negodrill.core.session import ReviewSession

    store = Store.open(paths.database_path(data_dir))
    session = ReviewSession(store, limit=count + 10)
    session.check(TYPED[0]) if session.current() is not None else None  # warm the coach
    samples = _answer_times(session, count, lambda: False)
    store.close()
    return percentile(samples, 0.5), percentile(samples, 0.95)


def commit_floor_ms(data_dir: Path, count: int) -> float:
    """The same SQLite work alone: a grade's own statements (the card's schedule moved on, with
    its guard against a grade from elsewhere; the review row with a coach's label and flaw,
    which the tally triggers count) in one transaction, with the project's pragmas."""
    from negodrill.storage.store import REVIEW_COLUMNS

    store = Store.open(paths.database_path(data_dir))
    conn = store._db.conn
    cards = conn.execute(
        "SELECT id, state, step, stability, difficulty, due_ms, last_review_ms, reps, lapses "
        "FROM card WHERE state = 2 AND stability IS NOT NULL LIMIT ?", [count]).fetchall()
    now = int(datetime.now(UTC).timestamp() * 1000)
    day = now - now % 86_400_000
    insert = (f"INSERT INTO review ({REVIEW_COLUMNS}) "
              f"VALUES ({', '.join('?' for _ in REVIEW_COLUMNS.split(','))})")
    samples: list[float] = []
    written: list[int] = []
    for cid, state, step, stability, difficulty, due, last, reps, lapses in cards:
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        moved = conn.execute(
            "UPDATE card SET state = ?, step = ?, stability = ?, difficulty = ?, due_ms = ?, "
            "last_review_ms = ?, reps = ?, lapses = ? "
            "WHERE id = ? AND reps = ? AND last_review_ms IS ? AND state = ?",
            [2, None, stability * 1.5, difficulty, now + 86_400_000 * 3, day, reps + 1,
             lapses, cid, reps, last, state])
        review = conn.execute(insert, [
            cid, now, 3, 5000, TYPED[1], 0, "yes_seeking", '["still_yes_seeking"]', state, 2,
            day, step, stability, difficulty, due, last, reps, lapses, 0])
        conn.execute("COMMIT")
        samples.append((time.perf_counter() - start) * 1000)
        assert moved.rowcount == 1
        assert review.lastrowid is not None
        written.append(review.lastrowid)
    # Leave the collection as it was: these rows are not reviews anybody gave.
    with store.atomic():
        conn.executemany("DELETE FROM review WHERE id = ?", [(r,) for r in written])
        conn.executemany(
            "UPDATE card SET state = ?, step = ?, stability = ?, difficulty = ?, due_ms = ?, "
            "last_review_ms = ?, reps = ?, lapses = ? WHERE id = ?",
            [(state, step, stability, difficulty, due, last, reps, lapses, cid)
             for cid, state, step, stability, difficulty, due, last, reps, lapses in cards])
    store.close()
    return percentile(samples, 0.5)


def progress_figures(data_dir: Path, runs: int) -> dict[str, float]:
    """stats_ms (all data of the Progress page), progress_page_ms (shown, charts drawn,
    offscreen, charts library loaded), report_html_ms and report_pdf_ms (all time)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from negodrill.core.studyday import Today
    from negodrill.reports import progress
    from negodrill.reports.exporting import export_report
    from negodrill.ui.progress_page import load_chart_modules

    store = Store.open(paths.database_path(data_dir))
    today = Today.at(datetime.now(UTC), store.preset().rollover_hour)
    out: dict[str, float] = {}
    out["stats_ms"] = median_ms(lambda: progress.collect_progress(store, today=today), runs)
    app = QApplication.instance() or QApplication([])
    load_chart_modules()
    with tempfile.TemporaryDirectory() as folder:
        for kind in ("html", "pdf"):
            target = Path(folder) / f"report.{kind}"
            out[f"report_{kind}_ms"] = median_ms(
                lambda target=target: export_report(store, target, today=today), runs)
    page, open_page = progress_page_opener(app, store)
    out["progress_page_ms"] = median_ms(open_page, runs)
    page.close()
    store.close()
    return out


def progress_page_opener(app: Any, store: Store) -> tuple[Any, Callable[[], None]]:
    """The Progress page over all time, and a function that refreshes it until its figures
    and charts are drawn (what a learner waits for)."""
    from negodrill.ui.progress_page import ProgressPage

    page = ProgressPage(store)
    page.resize(1100, 900)
    page.show()
    page.period_combo.setCurrentIndex(page.period_combo.findData("all"))

    def open_page() -> None:
        page.report = None
        page.refresh()
        while page.report is None or not page.charts_drawn:
            app.processEvents()
            time.sleep(0.001)

    return page, open_page


def check_ms(data_dir: Path, runs: int) -> float:
    """`negodrill check`: SQLite's check and the card states against the review log."""
    store = Store.open(paths.database_path(data_dir))
    found = median_ms(store.integrity_problems, runs)
    store.close()
    return found


def optimize_ms(data_dir: Path) -> float:
    """Fitting the scheduler on the whole history (one run: it takes seconds to minutes)."""
    from negodrill.reports.optimizing import fit_parameters

    store = Store.open(paths.database_path(data_dir))
    found = median_ms(lambda: fit_parameters(store), 1)
    store.close()
    return found


def coach_us(rounds: int) -> tuple[float, float]:
    """(p50, p95) microseconds per sentence over the public sample and the coach cases."""
    from negodrill.core.coach import analyse

    pairs: list[tuple[str, str | None]] = []
    for name in ("public_sample.jsonl", "coach_cases.jsonl"):
        for line in (REPO / "tests" / "data" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                pairs.append((item["text"], item.get("context")))
    for text, ask in pairs:
        analyse(text, ask)
    samples: list[float] = []
    for _ in range(rounds):
        for text, ask in pairs:
            start = time.perf_counter()
            analyse(text, ask)
            samples.append((time.perf_counter() - start) * 1e6)
    return percentile(samples, 0.5), percentile(samples, 0.95)


def db_mb(data_dir: Path) -> float:
    """The database's size on disk, its WAL included, after a checkpoint."""
    store = Store.open(paths.database_path(data_dir))
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    db = paths.database_path(data_dir)
    files = [db, db.with_name(db.name + "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def _answer_times(session: Any, grades: int, stop: Callable[[], bool]) -> list[float]:
    """Milliseconds of each of up to `grades` answers, until `stop()` or no card is left."""
    from negodrill.core.content import Choice, Drill
    from negodrill.core.models import Grade

    times: list[float] = []
    for i in range(grades):
        card = session.current()
        if card is None or stop():
            break
        start = time.perf_counter()
        answer = TYPED[i % 4] if isinstance(card.content, Drill) else (
            "1" if isinstance(card.content, Choice) else "")
        verdict = session.check(answer)
        session.grade(verdict.suggested or Grade.GOOD, answer=answer)
        session.current()
        times.append((time.perf_counter() - start) * 1000)
    return times


def backup_figures(data_dir: Path, runs: int, grades: int = 6000) -> dict[str, float]:
    """backup_ms (a whole backup: snapshot, quick check, compression, read back), its size,
    quick_check_ms (the start-up health check, on a pool thread after the first paint), and
    what a backup running on another thread (as the window's half-hourly one does) costs the
    answers given meanwhile: backup_block_ms is the slowest of them less the slowest of as
    many answers given without a backup (SQLite's WAL checkpoints make a few answers slow
    either way)."""
    import threading

    from negodrill.core.session import ReviewSession
    from negodrill.storage.backups import create_backup
    from negodrill.storage.datadir import quick_check

    database = paths.database_path(data_dir)
    with tempfile.TemporaryDirectory(prefix="negodrill-backup-") as scratch:
        times, sizes = [], []
        for number in range(runs):
            start = time.perf_counter()
            info = create_backup(database, target=Path(scratch) / f"b{number}")
            times.append((time.perf_counter() - start) * 1000)
            sizes.append(info.path.stat().st_size / 1e6)
            info.path.unlink()
        quick = median_ms(lambda: quick_check(database), runs)

        store = Store.open(database)
        session = ReviewSession(store, limit=2 * grades + 10)
        session.check(TYPED[0]) if session.current() is not None else None
        done = threading.Event()
        backup = threading.Thread(target=lambda: (
            create_backup(database, target=Path(scratch) / "during"), done.set()))
        backup.start()
        during = _answer_times(session, grades, done.is_set)
        backup.join()
        alone = _answer_times(session, len(during), lambda: False)
        store.close()
    return {"backup_ms": statistics.median(times), "backup_file_mb": statistics.median(sizes),
            "quick_check_ms": quick,
            "backup_block_ms": max(0.0, max(during, default=0) - max(alone, default=0)),
            "answer_max_ms_during_backup": max(during, default=0),
            "answer_max_ms_alone": max(alone, default=0),
            "answers_during_backup": float(len(during))}
