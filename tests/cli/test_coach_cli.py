"""`negodrill coach` through the real entry point, as a learner runs it from a shell."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def _coach(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "negodrill", "coach", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_json_verdict_is_exactly_the_assessment() -> None:
    done = _coach("Is now a bad time to talk?", "--ask", "Do you have a minute to talk?", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["label"] == "no_oriented"
    assert data["flaws"] == []
    assert data["suggested_grade"] == "good"
    assert set(data) == {"label", "flaws", "spans", "feedback", "suggested_grade", "confidence"}


def test_human_verdict_names_label_flaws_and_cues() -> None:
    done = _coach("Don't", "you", "want", "to", "save", "money?")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("yes_seeking (not accepted; suggested grade: Again)")
    assert "leading_question" in done.stdout
    assert '"Don\'t you"' in done.stdout


def test_eval_prints_scores_and_confusion() -> None:
    done = _coach("eval", str(DATA / "public_sample.jsonl"))
    assert done.returncode == 0, done.stderr
    assert "accuracy:" in done.stdout
    assert "macro-F1:" in done.stdout
    assert "confusion" in done.stdout
    assert "no_oriented" in done.stdout


def test_eval_json(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(
        '{"id": "a", "text": "Is now a bad time?", "label": "no_oriented"}\n\n'
        '{"id": "b", "text": "Deal?"}\n',
        encoding="utf-8",
    )
    done = _coach("eval", str(path), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["n"] == 1
    assert data["accuracy"] == 1.0
    assert {"n", "accuracy", "macro_f1", "per_label", "items"} <= set(data)
    assert [row["id"] for row in data["items"]] == ["a", "b"]


def test_eval_of_unlabelled_file_has_null_scores(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"id": 1, "text": "Bad time?"}\n', encoding="utf-8")
    data = json.loads(_coach("eval", str(path), "--json").stdout)
    assert data["n"] == 0
    assert data["macro_f1"] is None
    assert data["items"][0]["predicted"] == "no_oriented"


def test_bad_json_line_is_one_readable_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"text": "Bad time?"}\n{not json\n', encoding="utf-8")
    done = _coach("eval", str(path))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip() == f"error: {path}: line 2 is not valid JSON"


def test_missing_file_is_one_readable_error(tmp_path: Path) -> None:
    done = _coach("eval", str(tmp_path / "nope.jsonl"))
    assert done.returncode == 1
    assert done.stderr.startswith("error: ")
    assert "no such file" in done.stderr
    assert "Traceback" not in done.stderr


def test_coach_never_creates_a_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-m", "negodrill", "--data-dir", str(data_dir), "coach", "Deal?"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not data_dir.exists()
