"""How fast an answer is judged and saved: `python benchmarks/bench_review.py [CARDS]`.

Builds a collection of CARDS drill cards (default 10,000) in a tmp file database, then times
what happens between the learner pressing a grade key and the next card being ready:
`ReviewSession.check` (the coach) + `grade` (one committed transaction, synchronous=FULL, WAL)
+ moving to the next card. Prints median and p95 in milliseconds, and the session build time.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from negodrill.core.models import Preset
from negodrill.core.session import ReviewSession
from negodrill.storage.store import Store


def build(path: Path, count: int) -> Store:
    store = Store.open(path)
    now = datetime.now(UTC)
    with store.atomic():
        deck = store.insert_deck(uuid="bench", title="Bench", revision=1, source="local", now=now)
        for i in range(count):
            store.insert_card(deck, {
                "id": f"d{i}", "type": "drill", "situation": f"Situation {i}",
                "prompt": "Can we move the delivery to next week?", "technique": "no-question",
                "rewrites": ["Would it be a bad idea to move the delivery to next week?"],
            }, position=i, now=now)
    store.save_preset(Preset(new_per_day=count))
    return store


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        store = build(Path(tmp) / "bench.sqlite3", count)
        started = time.perf_counter()
        session = ReviewSession(store)
        build_ms = (time.perf_counter() - started) * 1000
        answers = ["Would it be a bad idea to move the delivery?", "Can we move it?",
                   "It seems like next week is out of the question."]
        samples = []
        for i in range(200):
            if session.current() is None:
                break
            t = time.perf_counter()
            verdict = session.check(answers[i % 3])
            session.intervals()
            session.grade(verdict.suggested, answer=answers[i % 3])
            samples.append((time.perf_counter() - t) * 1000)
        store.close()
    samples.sort()
    median, p95 = statistics.median(samples), samples[int(len(samples) * 0.95)]
    print(f"{count} cards: session built in {build_ms:.1f} ms")
    print(f"answer (coach + preview + committed grade + next card), {len(samples)} answers: "
          f"median {median:.2f} ms, p95 {p95:.2f} ms")


if __name__ == "__main__":
    main()
