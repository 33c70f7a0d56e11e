"""The coach judges what a sentence means (issue 10): one test per family, each with sentences
written for this file (none from the issue, the trainer sets or the blind sets)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from negodrill.core.coach import analyse
from negodrill.core.models import Grade

REPO = Path(__file__).resolve().parents[3]
CHECKOUT = "Can we check out of the room at 2pm instead of 11?"
FLAT = "Can we rent the flat from the first of next month?"
CALL = "Can we have a quick call tonight?"
REFUND = "Can you refund the broken blender?"
LEASE = "Can we extend the lease by a year?"
LEASE_SCENE = "A tenant whose lease ends in March asks the landlord for another year in the flat."


def accepted(text: str, ask: str | None, situation: str | None = None) -> bool:
    return analyse(text, ask, situation).accepted


@pytest.mark.parametrize(
    ("text", "ask"),
    [
        ("Is the 11 o'clock check-out carved in stone?", CHECKOUT),
        ("Would a 2pm check-out leave housekeeping in a bind?", CHECKOUT),
        ("Are you wedded to the usual check-out time?", CHECKOUT),
        ("Would letting us stay till two throw the cleaners' rota off?", CHECKOUT),
        ("Is eleven the latest anyone is allowed to stay?", CHECKOUT),
        ("Would refunding it leave the shop out of pocket?", REFUND),
        ("Is a refund against the store's policy?", REFUND),
        ("Would sending the money back cause you grief with head office?", REFUND),
    ],
)
def test_no_oriented_without_a_listed_word(text: str, ask: str) -> None:
    """A predicate that evaluates the ask negatively (a burden, a loss, a rule that cannot
    move) makes "no" the wanted answer, whatever the words."""
    found = analyse(text, ask)
    assert found.label == "no_oriented", found
    assert found.accepted, found.flaws


@pytest.mark.parametrize(
    ("text", "ask"),
    [
        ("Has the flat already been let to someone else?", FLAT),
        ("Have you already promised it to another couple?", FLAT),
        ("Has the landlord gone with a different tenant?", FLAT),
        ("Have the spare tickets already been handed out?", "Could we have two spare tickets?"),
    ],
)
def test_asking_whether_the_unwanted_outcome_already_happened(text: str, ask: str) -> None:
    assert accepted(text, ask)


def test_the_wanted_outcome_having_happened_still_asks_for_yes() -> None:
    found = analyse("Have you already booked my flight?", "Can you book my flight?")
    assert found.label == "yes_seeking"


@pytest.mark.parametrize(
    "text",
    [
        "Would a short chat while you're driving home be too much?",
        "If it's only ten minutes, would a call be a nuisance?",
        "Would a call once the kids are asleep be a hassle?",
        "Would a call before you log off be a problem?",
    ],
)
def test_the_main_clause_carries_the_question(text: str) -> None:
    """when/if/while/once/before clauses are content; the main clause decides."""
    assert accepted(text, CALL)


@pytest.mark.parametrize(
    ("text", "ask"),
    [
        ("Is Thursday a bad day for the repair? If it's not fixed by then, I'm calling my "
         "solicitor.", "Can you fix the boiler on Thursday?"),
        ("Would a refund be out of the question? Otherwise I'll post about it everywhere.",
         REFUND),
        ("Is a later check-out a problem? We're staying till two either way.", CHECKOUT),
        ("Would extending be a stretch? Just so you know, I've viewed three other flats.",
         LEASE),
    ],
)
def test_a_threat_after_a_good_question_is_pushy(text: str, ask: str) -> None:
    found = analyse(text, ask)
    assert "pushy" in found.flaws
    assert not found.accepted
    assert found.suggested_grade is Grade.HARD


@pytest.mark.parametrize(
    ("text", "ask"),
    [
        ("Is now a bad time, or are you too busy ignoring my emails?", CALL),
        ("Would it kill you to refund a blender that broke in a week?", REFUND),
        ("Would a refund be unreasonable? Your quality control is a joke.", REFUND),
        ("It seems like you just don't care about your tenants.", LEASE),
        ("Nice of you to finally answer. Would another year be off the table?", LEASE),
    ],
)
def test_sarcasm_and_accusation_are_accusatory(text: str, ask: str) -> None:
    found = analyse(text, ask)
    assert "accusatory" in found.flaws
    assert not found.accepted


@pytest.mark.parametrize(
    ("text", "ask"),
    [
        ("It sounds like the replacement is already on its way.", "Can you send a replacement?"),
        ("It looks like you've got space for one more on the course.", "Can I join the course?"),
        ("It seems like you'll happily extend the lease.", LEASE),
        ("It sounds like you refund faulty goods without any fuss.", REFUND),
    ],
)
def test_a_label_of_the_wanted_outcome_is_not_a_mislabel(text: str, ask: str) -> None:
    found = analyse(text, ask)
    assert found.label == "label"
    assert "labels_wanted_outcome" in found.flaws


@pytest.mark.parametrize(
    "text",
    [
        "It seems like your garden is looking lovely this spring.",
        "It sounds like your son's football keeps you busy.",
        "It looks like the new car suits you.",
    ],
)
def test_an_off_topic_label_changes_the_ask(text: str) -> None:
    found = analyse(text, LEASE, LEASE_SCENE)
    assert "changes_the_ask" in found.flaws
    assert not found.accepted
    assert not any("keep the original request" in f and "correction" in f
                   for f in found.feedback)


@pytest.mark.parametrize(
    ("text", "ask", "situation"),
    [
        ("It seems like the curfew stays no matter what.", "Can I stay out past the curfew?",
         "A teenager asks a parent to come home later on Saturday."),
        ("It looks like the logo drafts are locked in.",
         "Could you do one more round on the logo?",
         "A start-up asks its designer for another round of changes to the new logo."),
        ("It sounds like the flat is already promised to your niece.", FLAT,
         "A couple asks a landlord about renting a flat."),
        ("It seems like the lease is non-negotiable.", LEASE, LEASE_SCENE),
    ],
)
def test_an_on_topic_mislabel_is_not_flagged(text: str, ask: str, situation: str) -> None:
    found = analyse(text, ask, situation)
    assert found.label == "mislabel"
    assert found.accepted, found.flaws


def test_a_long_word_salad_is_never_accepted() -> None:
    salad = "Would it be ridiculous " + " ".join(
        ["purple", "invoice", "Tuesday", "maybe", "kettle", "lease", "yes", "river"] * 90)
    found = analyse(salad, LEASE)
    assert "too_long" in found.flaws
    assert not found.accepted
    assert found.suggested_grade is not Grade.GOOD
    short = analyse("Would budget purple maybe yes Tuesday kettle invoice?", LEASE)
    assert "too_long" in short.flaws


def test_a_ramble_is_too_long_and_not_called_a_double_negative() -> None:
    ramble = ("Would another year be a problem? We have never missed a payment. The kids are "
              "settled at school and we do not want to move them. We have looked after the "
              "garden, fixed the fence ourselves and never complained about the damp. Honestly "
              "we would hate to leave and we would sign today if you let us stay.")
    found = analyse(ramble, LEASE)
    assert "too_long" in found.flaws
    assert "double_negative" not in found.flaws
    assert any("one or two short sentences" in f for f in found.feedback)


@pytest.mark.parametrize(
    "text",
    [
        "¿Sería un problema cambiar la fecha de salida?",
        "Wäre es schlimm, wenn wir später auschecken?",
        "Serait-il impossible de prolonger le bail d'un an ?",
    ],
)
def test_another_language_is_not_judged(text: str) -> None:
    found = analyse(text, CHECKOUT)
    assert found.flaws == ("not_english",)
    assert found.suggested_grade is Grade.HARD
    assert found.unsure
    assert "English only" in found.feedback[0]


@pytest.mark.parametrize(
    "text",
    [
        "woud it be a pain to swich the date",
        "Is noon a no go?",
        "Bad time?",
        "is 2 ok",
    ],
)
def test_short_english_with_typos_is_english(text: str) -> None:
    assert "not_english" not in analyse(text, CHECKOUT).flaws


def test_feedback_never_asks_for_what_the_answer_already_does() -> None:
    found = analyse("Would a later check-out leave your cleaners in the lurch?", CHECKOUT)
    assert found.accepted
    assert not any("flip it" in f for f in found.feedback)


def test_the_deciding_words_are_quoted_as_spans() -> None:
    text = "Would a later check-out leave your cleaners in the lurch?"
    found = analyse(text, CHECKOUT)
    assert any("lurch" in text[s.start:s.end] for s in found.spans)


def test_an_unsure_coach_suggests_hard_never_again() -> None:
    found = analyse("Would Friday be a bit bleurgh for your team?",
                    "Can we move the workshop to Friday?")
    assert found.unsure
    assert found.suggested_grade is Grade.HARD
    assert any("not sure" in f for f in found.feedback)


def test_language_detection_never_uses_the_network(tmp_path: Path) -> None:
    """The bundled model only: with every connection refused, detection still works."""
    code = textwrap.dedent("""
        import socket
        def refuse(*args, **kwargs):
            raise OSError("network blocked by the test")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        from negodrill.core.coach import analyse
        print(analyse("¿Sería un problema cambiar la fecha?").flaws)
    """)
    env = os.environ | {"HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
                        "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "not_english" in done.stdout
    assert not list(tmp_path.rglob("*.bin"))  # no model was downloaded
