"""The deck author's check: readable schema problems, the extra rules, the coach, and the CLI."""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from negodrill import paths
from negodrill.cli import validate_cmd
from negodrill.core.errors import DeckError
from negodrill.deckio.validate import (
    MAX_PROBLEMS,
    Problem,
    coach_problems,
    schema_problems,
    validate_file,
)

REPO = Path(__file__).resolve().parents[2]

GOOD_DECK: dict[str, Any] = {
    "format": "negodrill-deck",
    "format_version": 1,
    "deck": {"id": "0f8b2c4e-5a6d-4e7f-8a9b-0c1d2e3f4a5b", "title": "Tiny", "revision": 1},
    "techniques": [
        {"id": "no-question", "name": "No-oriented question"},
        {"id": "mislabel", "name": "Deliberate mislabel"},
    ],
    "cards": [
        {
            "id": "noq-x",
            "type": "drill",
            "rev": 1,
            "situation": "You call a busy buyer you have never met.",
            "prompt": "Do you have a few minutes to talk?",
            "technique": "no-question",
            "rewrites": [
                "Is now a bad time to talk?",
                "It sounds like now is the wrong time to talk.",
            ],
            "pitfalls": [{"text": "Is now a good time to talk?", "why": "Still asks for a yes."}],
        },
        {"id": "basic-x", "type": "basic", "front": "Front", "back": "Back"},
        {
            "id": "choice-x",
            "type": "choice",
            "question": "Which one is no-oriented?",
            "options": [
                {"id": "a", "text": "Is now a bad time?", "correct": True, "why": "No helps."},
                {"id": "b", "text": "Is now a good time?", "why": "Yes-seeking."},
            ],
        },
    ],
}


def deck(**changes: Any) -> dict[str, Any]:
    return copy.deepcopy(GOOD_DECK) | changes


def write(tmp_path: Path, doc: dict[str, Any], name: str = "deck.negodeck.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


# --- schema_problems ---------------------------------------------------------------------------


def test_a_good_deck_has_no_schema_problems() -> None:
    assert schema_problems(deck()) == []


def test_schema_error_inside_a_card_names_the_card() -> None:
    doc = deck()
    doc["cards"][0]["rewrites"] = []
    assert schema_problems(doc) == [Problem("noq-x", '"rewrites" must not be empty')]


def test_missing_and_unknown_card_fields_are_named() -> None:
    doc = deck()
    del doc["cards"][1]["back"]
    doc["cards"][1]["colour"] = "red"
    messages = {str(p) for p in schema_problems(doc)}
    assert messages == {'card basic-x: "back" is missing', 'card basic-x: unknown field "colour"'}


def test_nested_field_and_bad_slug_are_readable() -> None:
    doc = deck()
    doc["cards"][0]["pitfalls"][0] = {"text": "Is now a good time?"}
    doc["cards"][2]["id"] = "Choice X"
    messages = [str(p) for p in schema_problems(doc)]
    assert 'card noq-x: "pitfalls[0].why" is missing' in messages
    assert any(
        m.startswith('card Choice X: "id" is "Choice X", which is not a slug') for m in messages
    )
    assert all("unknown field" not in m for m in messages), messages


def test_deck_level_problems_have_no_card_id() -> None:
    doc = deck()
    doc["deck"]["id"] = "not-a-uuid"
    del doc["deck"]["title"]
    problems = schema_problems(doc)
    assert {p.card_id for p in problems} == {None}
    assert Problem(None, '"deck.title" is missing') in problems
    assert any(p.message.startswith('"deck.id" is "not-a-uuid"') for p in problems)


def test_unknown_card_type_is_one_problem() -> None:
    doc = deck()
    doc["cards"][1]["type"] = "cloze"
    assert schema_problems(doc) == [
        Problem("basic-x", '"type" must be drill, basic, choice or conversation, not "cloze"')
    ]


def test_duplicate_card_ids() -> None:
    doc = deck()
    doc["cards"][1]["id"] = "noq-x"
    assert schema_problems(doc) == [
        Problem("noq-x", 'the card id "noq-x" is used by more than one card')
    ]


def test_unknown_technique_duplicate_options_and_no_correct_option() -> None:
    doc = deck()
    doc["cards"][0]["technique"] = "mirror"
    doc["cards"][2]["options"][1]["id"] = "a"
    problems = schema_problems(doc)
    assert (
        Problem("noq-x", 'technique "mirror" is not in the deck\'s "techniques" list') in problems
    )
    assert Problem("choice-x", 'the option id "a" is used twice') in problems

    doc = deck()
    doc["cards"][2]["options"][0]["correct"] = False
    assert schema_problems(doc) == [
        Problem("choice-x", 'at least one option must be marked "correct": true')
    ]


def test_techniques_are_only_checked_when_listed() -> None:
    doc = deck()
    del doc["techniques"]
    doc["cards"][0]["technique"] = "mirror"
    assert schema_problems(doc) == []


def test_problems_are_capped() -> None:
    doc = deck()
    card = doc["cards"][1]
    doc["cards"] = [dict(card, id=f"c{i}", front="") for i in range(80)]
    problems = schema_problems(doc)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1] == Problem(None, "... and 30 more problems")


# --- coach_problems ----------------------------------------------------------------------------


def test_coach_accepts_the_good_deck() -> None:
    assert coach_problems(deck()) == []


def test_a_rewrite_the_coach_rejects_is_reported() -> None:
    doc = deck()
    doc["cards"][0]["rewrites"].append("Could you spare a few minutes to talk?")
    problems = coach_problems(doc)
    assert len(problems) == 1
    assert problems[0].card_id == "noq-x"
    message = problems[0].message
    assert 'the coach rejects the rewrite "Could you spare a few minutes to talk?"' in message
    assert "label yes_seeking" in message


def test_a_pitfall_the_coach_accepts_is_reported() -> None:
    doc = deck()
    doc["cards"][0]["pitfalls"].append({"text": "Would it be a bad idea to talk?", "why": "x"})
    problems = coach_problems(doc)
    assert len(problems) == 1
    assert problems[0].card_id == "noq-x"
    assert 'accepts the pitfall "Would it be a bad idea to talk?"' in problems[0].message


# --- validate_file -----------------------------------------------------------------------------


def test_validate_file_runs_the_coach_after_the_schema(tmp_path: Path) -> None:
    assert validate_file(write(tmp_path, deck())) == []
    doc = deck()
    doc["cards"][0]["rewrites"] = ["Can we talk?"]
    doc["cards"][1]["front"] = ""
    # A schema problem stops the check before the coach sees anything.
    assert validate_file(write(tmp_path, doc)) == [Problem("basic-x", '"front" must not be empty')]
    doc["cards"][1]["front"] = "Front"
    problems = validate_file(write(tmp_path, doc))
    assert [p.card_id for p in problems] == ["noq-x"]


def test_broken_json_raises_a_readable_deck_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.negodeck.json"
    path.write_text('{"format": "negodrill-deck",', encoding="utf-8")
    with pytest.raises(DeckError, match=r"broken\.negodeck\.json: not valid JSON \(line 1"):
        validate_file(path)


# --- the validate command ----------------------------------------------------------------------


def test_run_prints_problems_and_ok_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, deck(), "good.negodeck.json")
    bad_doc = deck()
    bad_doc["cards"][0]["rewrites"] = []
    bad = write(tmp_path, bad_doc, "bad.negodeck.json")
    missing = tmp_path / "missing.negodeck.json"

    code = validate_cmd.run(argparse.Namespace(files=[good, missing, bad], strict=False))

    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == [
        f"{good}: ok (3 cards)",
        f'{bad}: card noq-x: "rewrites" must not be empty',
    ]
    assert err.startswith("error: ")
    assert "missing.negodeck.json: no such file" in err


def test_run_returns_0_when_every_file_is_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert validate_cmd.run(argparse.Namespace(files=[write(tmp_path, deck())],
                                               strict=False)) == 0
    assert capsys.readouterr().out.endswith(": ok (3 cards)\n")


def test_the_coach_warns_and_strict_makes_it_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = deck()
    doc["cards"][0]["rewrites"] = ["Can you please move the meeting?"]  # a yes-question
    path = write(tmp_path, doc, "mine.negodeck.json")
    assert validate_cmd.run(argparse.Namespace(files=[path], strict=False)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{path}: warning: card noq-x: the coach rejects the rewrite")
    assert out[-1] == f"{path}: ok (3 cards, 1 warning)"
    assert validate_cmd.run(argparse.Namespace(files=[path], strict=True)) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{path}: card noq-x: the coach rejects the rewrite")
    # --strict also asks for what a built-in deck has (this version-1 deck has none of it).
    assert f'{path}: card noq-x: needs a "level" (1 to 4)' in out
    assert not any(": ok (" in line or "warning" in line for line in out)


def test_register_adds_the_subcommand() -> None:
    parser = argparse.ArgumentParser()
    validate_cmd.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["validate", "a.negodeck.json", "b.negodeck"])
    assert args.func is validate_cmd.run
    assert args.files == [Path("a.negodeck.json"), Path("b.negodeck")]


def _negodrill(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NEGODRILL_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "negodrill", "validate", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_exit_codes(tmp_path: Path) -> None:
    builtin = sorted(paths.builtin_decks_dir().glob("*.negodeck.json"))[0]
    done = _negodrill(str(builtin), tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("cards)")

    bad_doc = deck()
    bad_doc["cards"][0]["rewrites"] = []
    done = _negodrill(str(write(tmp_path, bad_doc)), tmp_path=tmp_path)
    assert done.returncode == 1
    assert 'card noq-x: "rewrites" must not be empty' in done.stdout

    broken = tmp_path / "broken.negodeck.json"
    broken.write_text("{", encoding="utf-8")
    done = _negodrill(str(broken), tmp_path=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("error: broken.negodeck.json: not valid JSON")
