"""A conversation in the terminal: one line per turn ("?" shows the model), then the grade."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "tests" / "data" / "conversation_sample.negodeck.json"


def negodrill(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "negodrill", "--data-dir", str(data), *args],
                          input=stdin, capture_output=True, text=True, cwd=REPO, timeout=120)


def test_a_conversation_through_piped_lines(tmp_path: Path) -> None:
    assert negodrill(tmp_path, "import", str(SAMPLE)).returncode == 0
    lines = ["Is now a bad time to talk about the rent?",
             "It sounds like late rent has cost you before.",
             "?",  # the model for turn 3: the turn now counts as missed
             "How could we make a later date safe for you?",
             "Would a standing order be a problem?",
             "3"]
    done = negodrill(tmp_path, "study", "--deck", "Conversation sample", "--limit", "1",
                     stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Conversation: A later rent date" in out
    assert 'You were about to ask: "Can you move my rent date to the 5th?"' in out
    assert "Them: That's right. I was burned once" in out  # the label's own reply
    assert 'Model: "How could we make a later date safe for you?"' in out
    assert "Coach: Calibrated question (model shown: counts as missed)" in out
    assert "graded Good" in out
    import sqlite3

    conn = sqlite3.connect(tmp_path / "negodrill.sqlite3")
    (review_id, rating), = conn.execute("SELECT id, rating FROM review").fetchall()
    turns = conn.execute("SELECT turn, coach_label, fits, shown_model FROM review_turn "
                         "WHERE review_id = ? ORDER BY turn", [review_id]).fetchall()
    assert rating == 3
    assert turns == [(0, "no_oriented", 1, 0), (1, "label", 1, 0), (2, "calibrated", 1, 1),
                     (3, "no_oriented", 1, 0)]
    conn.close()
    stats = json.loads(negodrill(tmp_path, "stats", "--json").stdout)
    assert stats["reviews"] == 1


def test_input_ending_mid_conversation_grades_nothing(tmp_path: Path) -> None:
    negodrill(tmp_path, "import", str(SAMPLE))
    done = negodrill(tmp_path, "study", "--deck", "Conversation sample",
                     stdin="Is now a bad time to talk?\n")
    assert done.returncode == 0
    assert "graded" not in done.stdout
    import sqlite3

    conn = sqlite3.connect(tmp_path / "negodrill.sqlite3")
    assert conn.execute("SELECT count(*) FROM review").fetchone()[0] == 0
    conn.close()
