"""The coach on the blind sets of issue 10: rewrites written, with their situations, by writers
who saw neither the coach's rules nor its word lists (tests/data/coach_blind4-7.jsonl and
coach_holdout.jsonl). "Accepted": the coach's label is a target technique and it names no flaw.
"Caught": a flawed rewrite is not accepted.

| set | lines | scored blind, before any tuning on it (valid accepted / flawed caught) | since |
| --- | --- | --- | --- |
| coach_blind4.jsonl | 228 | 82.6 % / 77.9 % | tuned with it in view |
| coach_blind5.jsonl | 220 | 77.1 % / 79.3 % | tuned with it in view |
| coach_holdout.jsonl | 226 | 71.2 % / 77.8 % | never used for tuning |
| coach_blind6.jsonl | 250 | 78.4 % / 91.6 % | tuned with it in view |
| coach_blind7.jsonl | 245 | 93.2 % / 78.6 % | tuned with it in view |
| coach_blind8.jsonl | 261 | 72.1 % / 95.0 % | tuned with it in view |
| coach_blind9.jsonl | 244 | 83.4 % / 92.0 % | tuned with it in view |

The floors below sit just under the figures after tuning; the held-out set's are the honest
estimate on new sentences (see the README's coach section for the current figures).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from negodrill.core.coach import analyse

DATA = Path(__file__).resolve().parents[2] / "data"

# name: (lines, valid-accepted floor, flawed-caught floor)
SETS = {
    "coach_blind4.jsonl": (228, 0.98, 0.95),
    "coach_blind5.jsonl": (220, 0.97, 0.94),
    "coach_blind6.jsonl": (250, 0.98, 0.93),
    "coach_blind7.jsonl": (245, 0.96, 0.95),
    "coach_blind8.jsonl": (261, 0.95, 0.93),
    "coach_blind9.jsonl": (244, 0.93, 0.95),
    "coach_holdout.jsonl": (226, 0.90, 0.91),
}


def _load(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _accepted(item: dict[str, Any]) -> bool:
    return analyse(item["text"], item.get("context"), item.get("situation")).accepted


@pytest.mark.parametrize("name", SETS)
def test_valid_rewrites_are_accepted_and_flawed_ones_caught(name: str) -> None:
    lines, valid_floor, caught_floor = SETS[name]
    items = _load(name)
    assert len(items) == lines
    valid = [item for item in items if item["clean"]]
    flawed = [item for item in items if not item["clean"]]
    assert len(valid) >= 100
    assert len(flawed) >= 60
    accepted = sum(_accepted(item) for item in valid)
    caught = sum(not _accepted(item) for item in flawed)
    assert accepted / len(valid) >= valid_floor
    assert caught / len(flawed) >= caught_floor


@pytest.mark.parametrize("name", SETS)
def test_every_line_has_a_situation_and_an_ask(name: str) -> None:
    for item in _load(name):
        assert item["situation"], item["id"]
        assert item["context"], item["id"]
        assert item["clean"] == (item["flaws"] == []), item["id"]
