"""Deck format version 2: references with the counterpart's replies, the moves a drill accepts,
levels and hints, pick-all-that-apply choice cards; version-1 files still import."""

from __future__ import annotations

import argparse
import copy
import json
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from negodrill.cli import validate_cmd
from negodrill.core.cards import content_from_json
from negodrill.core.content import Choice, Drill
from negodrill.core.models import Technique
from negodrill.deckio.native import deck_document, import_deck
from negodrill.deckio.validate import coach_problems, course_problems, schema_problems
from negodrill.storage.store import Store

V2_DECK: dict[str, Any] = {
    "format": "negodrill-deck",
    "format_version": 2,
    "deck": {"id": "4d1c7a0e-2b3f-4c5d-8e9f-a0b1c2d3e4f5", "title": "Replies", "revision": 1},
    "techniques": [{"id": "label", "name": "Label"},
                   {"id": "no-question", "name": "No-oriented question"}],
    "cards": [
        {
            "id": "lab-cold-neighbour", "type": "drill", "rev": 1, "level": 3,
            "situation": "Your neighbour has complained twice this month about your dog barking "
                         "while you are at work, and now stands at your door with folded arms.",
            "prompt": "Calm down, it's only a dog.",
            "prompt_reply": "Don't tell me to calm down.",
            "technique": "label", "accepts": ["label"],
            "rewrites": [
                {"text": "It sounds like the barking has been wearing you down for weeks.",
                 "reply": "It has. I work nights and I can't sleep."},
                {"text": "You seem exhausted by all of this.",
                 "reply": "I am. Nobody ever listens."},
            ],
            "pitfalls": [{"text": "Why are you so upset about a dog?",
                          "why": "A why question asks them to defend being upset.",
                          "reply": "Because I haven't slept in a week!"}],
            "notes": "Let the silence after the label work.",
        },
        {
            "id": "noq-hint", "type": "drill", "rev": 1, "level": 2,
            "situation": "You call a busy buyer you have never met.",
            "prompt": "Do you have a few minutes to talk?",
            "prompt_reply": "Sure... actually, just email me.",
            "technique": "no-question", "hint": "Name a bad moment.",
            "rewrites": [
                {"text": "Is now a bad time to talk?", "reply": "No, go ahead."},
                {"text": "It sounds like now is the wrong time to talk.", "reading": "position",
                 "reply": "No, it's fine, I have five minutes."},
            ],
            "pitfalls": [{"text": "Is now a good time to talk?", "why": "Still asks for a yes.",
                          "reply": "Sure, email me."}],
            "notes": "Either answer is honest.",
        },
        {
            "id": "choice-all", "type": "choice", "rev": 1, "level": 1,
            "question": "Which are no-oriented? Pick all that apply.",
            "options": [
                {"id": "a", "text": "Is now a bad time?", "correct": True, "why": "No helps."},
                {"id": "b", "text": "Have you given up on this?", "correct": True,
                 "why": "No re-opens it."},
                {"id": "c", "text": "Is now a good time?", "why": "Yes-seeking."},
            ],
        },
    ],
}


def v2(**changes: Any) -> dict[str, Any]:
    return copy.deepcopy(V2_DECK) | changes


def test_a_complete_v2_deck_passes_every_check(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    doc = v2()
    assert schema_problems(doc) == []
    assert coach_problems(doc) == []
    assert course_problems(doc) == []
    path = tmp_path / "v2.negodeck.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert validate_cmd.run(argparse.Namespace(files=[path], strict=True)) == 0
    assert capsys.readouterr().out.endswith(": ok (3 cards)\n")


def test_strict_asks_for_what_a_built_in_deck_has() -> None:
    doc = v2()
    drill = doc["cards"][1]
    del drill["prompt_reply"], drill["rewrites"][0]["reply"], drill["rewrites"][1]["reading"]
    del doc["cards"][2]["level"]
    drill["rewrites"] = drill["rewrites"][:1]
    messages = [str(p) for p in course_problems(doc)]
    assert messages == [
        "card noq-hint: has 1 references; a built-in drill has 2 to 5",
        'card noq-hint: needs a "prompt_reply": the counterpart\'s likely answer to the prompt',
        'card noq-hint: the reference "Is now a bad time to talk?" needs a "reply"',
        'card choice-all: needs a "level" (1 to 4)',
    ]
    drill["rewrites"].append({"text": "It sounds like now is the wrong time to talk.",
                              "reply": "No, go ahead."})
    assert ('card noq-hint: the mislabel "It sounds like now is the wrong time to talk." needs '
            'a "reading" (emotion, position or fact)') in [str(p) for p in course_problems(doc)]


def test_the_coach_judges_each_drill_by_the_moves_it_accepts() -> None:
    doc = v2()
    label_drill = doc["cards"][0]
    # A fine no-oriented question is the wrong move on a card that wants a label.
    label_drill["rewrites"].append({"text": "Is now a bad time to talk about the dog?",
                                    "reply": "Yes."})
    problems = [str(p) for p in coach_problems(doc)]
    assert problems == ['card lab-cold-neighbour: the coach rejects the rewrite "Is now a bad '
                        'time to talk about the dog?" (label no_oriented, no flaws)']
    label_drill["accepts"] = ["label", "no-question"]
    assert coach_problems(doc) == []


def test_unknown_moves_and_readings_are_schema_problems() -> None:
    doc = v2()
    doc["cards"][0]["accepts"] = ["mirror"]
    doc["cards"][1]["rewrites"][1]["reading"] = "mood"
    doc["cards"][1]["level"] = 7
    assert [str(p) for p in schema_problems(doc)] == [
        'card lab-cold-neighbour: "accepts[0]" is "mirror", which is not one of "no-question", '
        '"mislabel", "label", "calibrated"',
        'card noq-hint: "level" must be at most 4',
        'card noq-hint: "rewrites[1].reading" is "mood", which is not one of "emotion", '
        '"position", "fact"',
    ]


def test_v2_content_reads_into_the_model() -> None:
    drill = content_from_json(V2_DECK["cards"][1])
    assert isinstance(drill, Drill)
    assert drill.rewrites == ("Is now a bad time to talk?",
                              "It sounds like now is the wrong time to talk.")
    assert drill.references[1].reading == "position"
    assert drill.references[0].reply == "No, go ahead."
    assert drill.pitfalls[0].reply == "Sure, email me."
    assert drill.prompt_reply == "Sure... actually, just email me."
    assert drill.accepts == (Technique.NO_QUESTION, Technique.MISLABEL)  # the default
    assert drill.level == 2
    assert drill.hint_text() == "Name a bad moment."
    label = content_from_json(V2_DECK["cards"][0])
    assert isinstance(label, Drill)
    assert label.coach_accepts == ("label",)
    # Without an author's hint, the first words of the first reference.
    assert label.hint_text() == "Try starting with: It sounds like…"
    choice = content_from_json(V2_DECK["cards"][2])
    assert isinstance(choice, Choice)
    assert choice.multiple


def test_import_then_export_keeps_every_reply(tmp_path: Path) -> None:
    path = tmp_path / "v2.negodeck.json"
    path.write_text(json.dumps(V2_DECK), encoding="utf-8")
    with closing(Store.open(tmp_path / "data.db")) as store:
        outcome = import_deck(store, path)
        doc = deck_document(store, outcome.deck_id)
    assert doc["format_version"] == 2
    by_id = {c["id"]: c for c in doc["cards"]}
    for card in V2_DECK["cards"]:
        assert {k: v for k, v in by_id[card["id"]].items() if k in card} == card


def test_new_cards_come_level_by_level_unless_the_deck_is_ordered_by_hand(
        tmp_path: Path) -> None:
    doc = v2()  # file order: level 3, level 2, level 1
    path = tmp_path / "v2.negodeck.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with closing(Store.open(tmp_path / "a.db")) as store:
        deck_id = import_deck(store, path).deck_id
        assert [c["id"] for c in deck_document(store, deck_id)["cards"]] == [
            "choice-all", "noq-hint", "lab-cold-neighbour"]
    doc["deck"]["order"] = "as-written"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with closing(Store.open(tmp_path / "b.db")) as store:
        deck_id = import_deck(store, path).deck_id
        assert [c["id"] for c in deck_document(store, deck_id)["cards"]] == [
            "lab-cold-neighbour", "noq-hint", "choice-all"]


def test_a_version_1_file_still_imports(tmp_path: Path) -> None:
    doc = v2(format_version=1)
    doc["cards"] = [{"id": "old", "type": "drill", "situation": "s", "prompt": "Can we talk?",
                     "technique": "no-question", "rewrites": ["Is now a bad time to talk?"]}]
    del doc["techniques"][0]
    path = tmp_path / "v1.negodeck.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with closing(Store.open(tmp_path / "data.db")) as store:
        deck_id = import_deck(store, path).deck_id
        card = deck_document(store, deck_id)["cards"][0]
    assert card["rewrites"] == ["Is now a bad time to talk?"]
    drill = content_from_json(card)
    assert isinstance(drill, Drill)
    assert drill.accepts == (Technique.NO_QUESTION,
                                                          Technique.MISLABEL)
