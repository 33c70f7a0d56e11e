"""`negodrill coach disagreements`: the learner's corrections as `coach eval` lines."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from negodrill.core.coach.disagreement import Disagreement
from negodrill.core.errors import NegodrillError
from negodrill.deckio.library import open_library
from negodrill.storage.disagreements import add_disagreement, disagreements

REPO = Path(__file__).resolve().parents[2]


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "negodrill", "--data-dir", str(data), "coach",
                           "disagreements", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=120)


def _two(data: Path) -> None:
    store = open_library(data)
    card = store._db.execute("SELECT id FROM card LIMIT 1").fetchone()[0]
    add_disagreement(store, Disagreement(
        text="Is the fee set in stone?", ask="Can you waive the fee?", situation="A gym.",
        coach_label="yes_seeking", coach_flaws=("still_yes_seeking",),
        learner_label="no_oriented", learner_clean=True, comment="rigid rule", card_id=card,
        time=datetime(2026, 12, 1, 9, tzinfo=UTC)))
    add_disagreement(store, Disagreement(
        text="It seems like you love the fee.", ask="Can you waive the fee?", situation=None,
        coach_label="mislabel", coach_flaws=(), learner_label="label", learner_clean=False,
        time=datetime(2026, 12, 2, 9, tzinfo=UTC)))
    store.close()


def test_kept_in_order_and_a_deleted_card_leaves_them(tmp_path: Path) -> None:
    _two(tmp_path)
    store = open_library(tmp_path)
    first, second = disagreements(store)
    assert (first.text, second.text) == ("Is the fee set in stone?",
                                         "It seems like you love the fee.")
    assert first.coach_flaws == ("still_yes_seeking",)
    with store.atomic():
        store._db.execute("DELETE FROM card WHERE id = ?", [first.card_id])
    assert disagreements(store)[0].card_id is None
    store.close()


def test_an_unknown_label_or_no_text_is_refused() -> None:
    with pytest.raises(NegodrillError, match="unknown label"):
        Disagreement(text="x", ask=None, situation=None, coach_label="other", coach_flaws=(),
                     learner_label="brilliant", learner_clean=True)
    with pytest.raises(NegodrillError, match="no sentence"):
        Disagreement(text="  ", ask=None, situation=None, coach_label="other", coach_flaws=(),
                     learner_label="other", learner_clean=True)


def test_none_yet_says_how_to_record_one(tmp_path: Path) -> None:
    done = run(tmp_path)
    assert done.returncode == 0
    assert "Ctrl+D" in done.stdout


def test_text_json_and_a_file_that_coach_eval_scores(tmp_path: Path) -> None:
    _two(tmp_path)
    text = run(tmp_path)
    assert text.returncode == 0
    assert '"Is the fee set in stone?"' in text.stdout
    assert "coach: Yes-seeking (still_yes_seeking)" in text.stdout
    assert "you:   No-oriented question, clean" in text.stdout
    lines = json.loads(run(tmp_path, "--json").stdout)
    assert [line["label"] for line in lines] == ["no_oriented", "label"]
    assert lines[0]["context"] == "Can you waive the fee?"
    assert lines[0]["situation"] == "A gym."
    assert lines[0]["coach"] == {"label": "yes_seeking", "flaws": ["still_yes_seeking"]}
    assert lines[0]["flaws"] == []
    assert lines[0]["clean"] is True
    assert "flaws" not in lines[1]
    assert lines[1]["clean"] is False
    out = tmp_path / "cases.jsonl"
    written = run(tmp_path, "-o", str(out))
    assert written.stdout.strip() == f"wrote 2 disagreements to {out}"
    assert [json.loads(line) for line in out.read_text().splitlines()] == lines
    scored = subprocess.run([sys.executable, "-m", "negodrill", "coach", "eval", str(out),
                             "--json"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert json.loads(scored.stdout)["n"] == 2


def test_options_that_do_not_fit_are_one_error_line(tmp_path: Path) -> None:
    done = run(tmp_path, "--ask", "Can you?")
    assert done.returncode == 1
    assert done.stderr.startswith("error: ")
    assert len(done.stderr.strip().splitlines()) == 1
    folder = tmp_path / "folder"
    folder.mkdir()
    done = run(tmp_path, "-o", str(folder))
    assert done.returncode == 1
    assert "not a regular file" in done.stderr
