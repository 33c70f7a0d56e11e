"""Every CLI command through a real subprocess on a tmp data dir, error cases included."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]


def test_decks_json_lists_the_builtin_course_on_first_use(cli: Cli, data_dir: Path) -> None:
    result = cli("decks", "--json", data_dir=data_dir)
    assert result.code == 0, result
    decks = json.loads(result.out)
    assert decks, "the built-in decks are installed on first use"
    assert set(decks[0]) == {"id", "title", "cards", "new", "due"}
    assert decks[0]["title"] == "Starter course"
    assert all(d["cards"] > 0 and d["due"] == 0 for d in decks)
    assert decks[0]["new"] == 20


def test_data_dir_can_come_from_the_environment(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEGODRILL_DATA_DIR", str(tmp_path / "env-dir"))
    assert cli("decks", "--json").code == 0
    assert (tmp_path / "env-dir" / "negodrill.sqlite3").is_file()


def test_stats_json_has_the_documented_figures(cli: Cli, data_dir: Path) -> None:
    result = cli("stats", "--json", data_dir=data_dir)
    assert result.code == 0, result
    stats = json.loads(result.out)
    for key in ("decks", "cards", "reviews", "due", "new", "streak_days", "retention"):
        assert key in stats
    assert stats["reviews"] == 0
    assert stats["retention"] is None
    assert stats["streak_days"] == 0


def test_study_through_a_pipe_persists_reviews(cli: Cli, data_dir: Path) -> None:
    lines = [
        "Would it be a terrible idea to talk for two minutes?", "",  # drill, suggested grade
        "Can we talk now?", "1",  # a yes-question: Again
        "Is it a bad time to look at the numbers?", "3",
    ]
    result = cli("study", "--limit", "3", data_dir=data_dir, stdin="\n".join(lines) + "\n")
    assert result.code == 0, result
    assert result.out.count("\ngraded ") + result.out.startswith("graded ") == 3
    assert "-- left: 3 new, 0 learning, 0 review" in result.out
    assert "Again" in result.out
    assert "Good" in result.out
    stats = json.loads(cli("stats", "--json", data_dir=data_dir).out)
    assert stats["reviews"] == 3
    assert stats["streak_days"] == 1
    db = sqlite3.connect(data_dir / "negodrill.sqlite3")
    rows = db.execute("SELECT rating, answer, coach_label FROM review ORDER BY id").fetchall()
    db.close()
    assert rows[1][0] == 1
    assert rows[1][1] == "Can we talk now?"
    assert rows[1][2] == "yes_seeking"
    assert all(r[2] for r in rows)


def test_study_ends_cleanly_at_end_of_input(cli: Cli, data_dir: Path) -> None:
    result = cli("study", data_dir=data_dir, stdin="Is now a bad time?\n")
    assert result.code == 0, result
    assert "graded" not in result.out
    stats = json.loads(cli("stats", "--json", data_dir=data_dir).out)
    assert stats["reviews"] == 0


def test_study_a_named_deck_with_choice_answers(cli: Cli, data_dir: Path) -> None:
    decks = json.loads(cli("decks", "--json", data_dir=data_dir).out)
    theory = next(d for d in decks if d["title"].startswith("Theory"))
    result = cli("study", "--deck", theory["title"], "--limit", "2", data_dir=data_dir,
                 stdin="1\n\nnot-a-number\n\n")
    assert result.code == 0, result
    assert result.out.count("graded") == 2


def test_study_an_unknown_deck_is_an_error(cli: Cli, data_dir: Path) -> None:
    result = cli("study", "--deck", "No such deck", data_dir=data_dir, stdin="")
    assert result.code == 1
    assert result.err.strip().splitlines()[-1].startswith("error: ")
    assert "Traceback" not in result.err


def test_import_a_deck_file_then_reimport(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    doc = {
        "format": "negodrill-deck",
        "format_version": 1,
        "deck": {"id": "11111111-2222-4333-8444-555555555555", "title": "Shared", "revision": 1},
        "cards": [{"id": "a", "type": "basic", "front": "F", "back": "B"}],
    }
    path = tmp_path / "shared.negodeck.json"
    path.write_text(json.dumps(doc))
    result = cli("import", str(path), data_dir=data_dir)
    assert result.code == 0, result
    assert "1 added" in result.out
    titles = [d["title"] for d in json.loads(cli("decks", "--json", data_dir=data_dir).out)]
    assert "Shared" in titles
    again = cli("import", str(path), data_dir=data_dir)
    assert again.code == 0
    assert "1 unchanged" in again.out


def test_import_a_missing_file_is_exit_1(cli: Cli, data_dir: Path) -> None:
    result = cli("import", "/no/such/deck.negodeck", data_dir=data_dir)
    assert result.code == 1
    assert result.err.strip().splitlines()[-1] == "error: /no/such/deck.negodeck: no such file"


def test_import_a_broken_file_changes_nothing(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    cli("decks", data_dir=data_dir)
    db_file = data_dir / "negodrill.sqlite3"
    before = hashlib.sha256(db_file.read_bytes()).hexdigest()
    bad = tmp_path / "bad.negodeck.json"
    bad.write_text('{"format": "negodrill-deck", "cards": [')
    result = cli("import", str(bad), data_dir=data_dir)
    assert result.code == 1
    last = result.err.strip().splitlines()[-1]
    assert last.startswith("error: bad.negodeck.json: not valid JSON")
    assert "Traceback" not in result.err
    assert hashlib.sha256(db_file.read_bytes()).hexdigest() == before


def test_export_then_import_elsewhere(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "starter.negodeck"
    result = cli("export", "Starter course", str(out), data_dir=data_dir)
    assert result.code == 0, result
    other = tmp_path / "other"
    imported = cli("import", str(out), data_dir=other)
    assert imported.code == 0, imported
    assert "unchanged" in imported.out  # the built-in deck is already there, same revision


def test_unknown_options_exit_2_in_every_form(cli: Cli, data_dir: Path) -> None:
    for args in (["--frobnicate"], ["decks", "--frobnicate"], ["stats", "--nope"],
                 ["--check-startup", "--platform", "xcb"]):
        result = cli(*args, data_dir=data_dir)
        assert result.code == 2, (args, result)
        assert "Traceback" not in result.err


def test_a_newer_database_is_refused_and_left_untouched(cli: Cli, data_dir: Path) -> None:
    db_file = data_dir / "negodrill.sqlite3"
    conn = sqlite3.connect(db_file)
    conn.execute("CREATE TABLE future (x)")
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    before = hashlib.sha256(db_file.read_bytes()).hexdigest()
    for args in (["decks"], ["stats", "--json"], ["check"], ["--check-startup"]):
        result = cli(*args, data_dir=data_dir)
        assert result.code == 1, (args, result)
        last = result.err.strip().splitlines()[-1]
        assert last.startswith("error: ")
        assert "newer negodrill" in last
    assert hashlib.sha256(db_file.read_bytes()).hexdigest() == before


def test_check_reports_a_healthy_database(cli: Cli, data_dir: Path) -> None:
    cli("study", "--limit", "1", data_dir=data_dir, stdin="Is it a bad time?\n3\n")
    result = cli("check", data_dir=data_dir)
    assert result.code == 0, result
    assert result.out.startswith("ok")


def test_check_full_also_sums_the_tally_afresh(cli: Cli, data_dir: Path) -> None:
    cli("study", "--limit", "1", data_dir=data_dir, stdin="Is it a bad time?\n3\n")
    conn = sqlite3.connect(data_dir / "negodrill.sqlite3")
    conn.execute("UPDATE review_tally SET reviews = reviews + 1")
    conn.commit()
    conn.close()
    assert cli("check", data_dir=data_dir).code == 0  # the quick check reads no tally
    result = cli("check", "--full", data_dir=data_dir)
    assert result.code == 1
    assert "tally" in result.err


def test_check_finds_a_card_that_disagrees_with_its_log(cli: Cli, data_dir: Path) -> None:
    cli("study", "--limit", "1", data_dir=data_dir, stdin="Is it a bad time?\n3\n")
    conn = sqlite3.connect(data_dir / "negodrill.sqlite3")
    conn.execute("DELETE FROM review")
    conn.commit()
    conn.close()
    result = cli("check", data_dir=data_dir)
    assert result.code == 1
    assert result.err.strip().splitlines()[-1].startswith("error: ")


def test_help_lists_the_commands(cli: Cli) -> None:
    result = cli("--help")
    assert result.code == 0
    for name in ("decks", "stats", "study", "import", "export", "validate", "coach", "check"):
        assert name in result.out


def test_check_startup_prints_startup_ms(cli: Cli, data_dir: Path) -> None:
    result = cli("--check-startup", data_dir=data_dir)
    assert result.code == 0, result
    line = [x for x in result.out.splitlines() if x.startswith("startup_ms=")]
    assert line
    assert int(line[0].split("=")[1]) > 0


def test_an_acknowledged_grade_survives_a_kill(cli: Cli, data_dir: Path) -> None:
    """Once `graded` is printed the review is on disk, even if the process dies right after."""
    import os
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "negodrill", "--data-dir", str(data_dir), "study"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ},
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    proc.stdin.write("Would it be crazy to ask for a short call?\n3\n")
    proc.stdin.flush()
    for line in proc.stdout:
        if line.startswith("graded"):
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    stats = json.loads(cli("stats", "--json", data_dir=data_dir).out)
    assert stats["reviews"] == 1
    assert cli("check", data_dir=data_dir).code == 0


def test_stats_text_says_what_retention_counts(cli: Cli, data_dir: Path) -> None:
    result = cli("stats", data_dir=data_dir)
    assert result.code == 0
    line = next(x for x in result.out.splitlines() if x.startswith("retention"))
    assert line.split(None, 2)[:2] == ["retention", "(review"]
    assert "no answers on review cards yet" in line


def test_deck_create_rename_delete(cli: Cli, data_dir: Path) -> None:
    made = cli("deck", "create", "Pay talks", data_dir=data_dir)
    assert made.code == 0, made
    assert made.out.startswith("created deck ")
    assert cli("deck", "create", "pay talks", data_dir=data_dir).err == (
        'error: there is already a deck called "pay talks"\n')
    renamed = cli("deck", "rename", "Pay talks", "Salary talks", data_dir=data_dir)
    assert renamed.out == 'renamed "Pay talks" to "Salary talks"\n'
    # No terminal to ask on: refused, nothing deleted.
    refused = cli("deck", "delete", "Starter course", data_dir=data_dir, stdin="y\n")
    assert refused.code == 1
    assert "needs --yes" in refused.err
    titles = [d["title"] for d in json.loads(cli("decks", "--json", data_dir=data_dir).out)]
    assert "Starter course" in titles
    done = cli("deck", "delete", "Starter course", "--yes", data_dir=data_dir)
    assert done.out == ('deleted "Starter course" and its 42 cards (their reviews stay in '
                        "your progress)\n")
    titles = [d["title"] for d in json.loads(cli("decks", "--json", data_dir=data_dir).out)]
    assert "Starter course" not in titles
    assert "Salary talks" in titles
    assert cli("check", data_dir=data_dir).code == 0
    # A deleted built-in deck stays deleted on the next start.
    titles = [d["title"] for d in json.loads(cli("decks", "--json", data_dir=data_dir).out)]
    assert "Starter course" not in titles
    assert "deck" in cli("--help").out
