"""Time coach.analyse() per sentence: `.venv/bin/python benchmarks/bench_coach.py`.

Sentences: the public sample, the coach cases and a few long/sloppy ones, each with its ask.
Prints the median and p95 in microseconds after a warm-up (lexicons load once, lazily).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from negodrill.core.coach import analyse  # noqa: E402

EXTRA = [
    ("hey sam quick question is now a bad tiem to talk", "Do you have a few minutes to talk?"),
    (
        "I know you're slammed this quarter and the budget is tight, so would it be a terrible "
        "imposition to ask for a short call next week about the renewal?",
        "Can we talk renewal?",
    ),
    ("It seems like you don't care about your family's safety.", "Will you buy the alarm?"),
    ("You're okay with the new rota, right?", None),
    ("Why did you pick us over the other bidders?", None),
]


def main(rounds: int = 20) -> None:
    pairs: list[tuple[str, str | None]] = list(EXTRA)
    for name in ("public_sample.jsonl", "coach_cases.jsonl"):
        for line in (ROOT / "tests" / "data" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                pairs.append((item["text"], item.get("context")))
    for text, ask in pairs:  # warm-up: lexicons and the ask cache
        analyse(text, ask)
    times: list[float] = []
    for _ in range(rounds):
        for text, ask in pairs:
            started = time.perf_counter()
            analyse(text, ask)
            times.append(time.perf_counter() - started)
    times.sort()
    p95 = times[int(len(times) * 0.95)]
    print(f"sentences: {len(pairs)} x {rounds} rounds")
    print(f"median: {statistics.median(times) * 1e6:.1f} µs per sentence")
    print(f"p95:    {p95 * 1e6:.1f} µs per sentence")


if __name__ == "__main__":
    main()
