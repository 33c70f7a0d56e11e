"""Drills that want a label or a calibrated question, judged on answers written blind.

`tests/data/moves_blind.jsonl`: 30 drills of the Labels, Calibrated questions and After the
unwelcome answer decks, with 3 good and 3 flawed learner answers each, written by someone who
saw only the situation, the prompt and the moves the drill wants (never the coach's rules or the
deck's references). Scored before any tuning: 90 of 90 good answers accepted, 90 of 90 flawed
ones not.
"""

from __future__ import annotations

import json
from pathlib import Path

from negodrill.core.coach import analyse

DATA = Path(__file__).resolve().parents[2] / "data" / "moves_blind.jsonl"


def _judged() -> list[tuple[dict[str, object], bool]]:
    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        accepts = ["no_oriented" if m == "no-question" else m for m in item["accepts"]]
        found = analyse(item["text"], item["ask"], item["situation"], accepts)
        out.append((item, found.accepted))
    return out


def test_good_labels_and_calibrated_questions_are_accepted() -> None:
    judged = [(item, ok) for item, ok in _judged() if item["good"]]
    missed = [item["text"] for item, ok in judged if not ok]
    assert len(judged) == 90
    assert len(missed) <= 4, missed  # at least 95 %


def test_flawed_answers_are_not_accepted() -> None:
    judged = [(item, ok) for item, ok in _judged() if not item["good"]]
    passed = [f"{item['mistake']}: {item['text']}" for item, ok in judged if ok]
    assert len(judged) == 90
    assert len(passed) <= 4, passed
