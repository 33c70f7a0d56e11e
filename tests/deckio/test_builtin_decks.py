"""The built-in course in decks/: every deck validates, and together they make a sound course.

The snapshot `builtin_card_ids.json` ({deck uuid: [card ids]}) protects learners' history: a card
id that disappears or changes makes a re-import retire the card and lose its reviews. When you
remove or rename a card on purpose, update the snapshot deliberately:

    NEGODRILL_UPDATE_SNAPSHOT=1 .venv/bin/pytest tests/deckio/test_builtin_decks.py -k snapshot

New cards and new decks never fail the test; regenerate the snapshot to start protecting them.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from negodrill import paths
from negodrill.deckio.reader import read_deck_json
from negodrill.deckio.validate import coach_problems, course_problems, schema_problems
from negodrill.deckio.variety import measure, missed

SNAPSHOT = Path(__file__).with_name("builtin_card_ids.json")
UPDATE_ENV = "NEGODRILL_UPDATE_SNAPSHOT"
DOMAINS = frozenset(
    {
        "sales", "salary", "housing", "procurement", "freelance", "team", "support", "family",
        "purchases", "payments", "partnerships", "fundraising", "healthcare", "school",
        "neighbours", "public-services",
    }
)  # fmt: skip
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _deck_files() -> list[Path]:
    return sorted(paths.builtin_decks_dir().glob("*.negodeck.json"))


DECK_FILES = _deck_files()


@pytest.fixture(scope="module")
def decks() -> dict[str, dict[str, Any]]:
    """{file name: parsed document}, in file-name order."""
    assert DECK_FILES, f"no built-in decks in {paths.builtin_decks_dir()}"
    return {path.name: read_deck_json(path) for path in DECK_FILES}


def _cards(decks: dict[str, dict[str, Any]], kind: str | None = None) -> list[dict[str, Any]]:
    return [
        card
        for doc in decks.values()
        for card in doc["cards"]
        if kind is None or card["type"] == kind
    ]


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9$£€%]+", " ", text.lower()).split())


# --- each deck on its own ----------------------------------------------------------------------


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.name)
def test_deck_passes_the_schema(path: Path) -> None:
    problems = schema_problems(read_deck_json(path))
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.name)
def test_coach_accepts_every_rewrite_and_rejects_every_pitfall(path: Path) -> None:
    problems = coach_problems(read_deck_json(path))
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.name)
def test_deck_metadata(path: Path) -> None:
    deck = read_deck_json(path)["deck"]
    assert UUID4.match(deck["id"]), f"{path.name}: deck id must be a lowercase uuid4"
    assert isinstance(deck["revision"], int)
    assert deck["revision"] >= 1
    assert len(deck.get("description", "")) >= 40, f"{path.name}: describe the deck"
    assert deck.get("license") == "CC-BY-4.0"
    assert deck.get("authors"), f"{path.name}: authors are missing"
    assert deck.get("language") == "en"


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.name)
def test_card_ids_carry_a_revision(path: Path) -> None:
    for card in read_deck_json(path)["cards"]:
        assert card.get("rev", 0) >= 1, f'{path.name}: card "{card["id"]}" has no "rev"'


# --- the course as a whole ---------------------------------------------------------------------


def test_deck_uuids_are_distinct(decks: dict[str, dict[str, Any]]) -> None:
    uuids = Counter(doc["deck"]["id"] for doc in decks.values())
    assert not [u for u, n in uuids.items() if n > 1]


def test_course_size(decks: dict[str, dict[str, Any]]) -> None:
    counts = Counter(card["type"] for card in _cards(decks))
    assert counts["drill"] >= 300, counts
    assert counts["basic"] >= 30, counts
    assert counts["choice"] >= 30, counts


def test_card_ids_are_unique_across_decks(decks: dict[str, dict[str, Any]]) -> None:
    owners: dict[str, list[str]] = {}
    for name, doc in decks.items():
        for card in doc["cards"]:
            owners.setdefault(card["id"], []).append(name)
    twice = {card_id: names for card_id, names in owners.items() if len(names) > 1}
    assert not twice, f"card ids used more than once: {twice}"


def test_no_two_drills_share_a_situation(decks: dict[str, dict[str, Any]]) -> None:
    seen: dict[str, str] = {}
    clashes = []
    for card in _cards(decks, "drill"):
        key = _normalised(card["situation"])
        if key in seen:
            clashes.append(f'"{card["id"]}" and "{seen[key]}": {card["situation"]}')
        seen.setdefault(key, card["id"])
    assert not clashes, "\n".join(clashes)


@pytest.mark.parametrize("path", DECK_FILES, ids=lambda p: p.name)
def test_every_card_has_what_a_built_in_card_needs(path: Path) -> None:
    """Levels, the counterpart's replies, notes, 2-5 references, mislabel readings."""
    problems = course_problems(read_deck_json(path))
    assert not problems, "\n".join(map(str, problems))


def test_drill_shape(decks: dict[str, dict[str, Any]]) -> None:
    wrong = []
    for card in _cards(decks, "drill"):
        if not 1 <= len(card.get("pitfalls", [])) <= 3:
            wrong.append(f"{card['id']}: {len(card.get('pitfalls', []))} pitfalls (want 1-3)")
        accepts = card.get("accepts", ["no-question", "mislabel"])
        if card["technique"] not in accepts:
            wrong.append(f"{card['id']}: its technique {card['technique']} is not accepted")
        if card["level"] == 2 and not card.get("hint"):
            wrong.append(f"{card['id']}: a level-2 drill needs a hint")
    assert not wrong, "\n".join(wrong)


def test_the_course_is_varied(decks: dict[str, dict[str, Any]]) -> None:
    """The second edition's limits on template writing (see negodrill/deckio/variety.py)."""
    figures = measure(decks.values())
    assert not missed(figures), "\n".join(missed(figures))


def test_the_course_drills_the_moves_around_no(decks: dict[str, dict[str, Any]]) -> None:
    by_title = {doc["deck"]["title"]: doc for doc in decks.values()}

    def drills(title: str, move: str) -> int:
        return sum(move in card.get("accepts", ()) for card in by_title[title]["cards"])

    assert drills("Labels", "label") >= 40
    assert drills("Calibrated questions", "calibrated") >= 40
    after = by_title["After the unwelcome answer"]["cards"]
    assert sum(set(c["accepts"]) == {"label", "calibrated"} for c in after) >= 30
    text = " ".join(json.dumps(c).lower() for c in by_title["Theory: why no works"]["cards"])
    assert text.count("accusation audit") >= 5
    assert "that's right" in text
    assert "you're right" in text


def test_pick_all_that_apply_cards_mark_every_right_answer(
        decks: dict[str, dict[str, Any]]) -> None:
    multi = [c for c in _cards(decks, "choice") if sum(o.get("correct", False)
                                                      for o in c["options"]) > 1]
    assert len(multi) >= 3
    says_all = [c["id"] for c in _cards(decks, "choice") if "all that apply" in c["question"]]
    assert sorted(says_all) == sorted(c["id"] for c in multi)


def test_decks_say_what_they_build_on(decks: dict[str, dict[str, Any]]) -> None:
    for name, doc in decks.items():
        title, description = doc["deck"]["title"], doc["deck"]["description"]
        if title not in ("Starter course", "Theory: why no works"):
            assert "build" in description.lower(), name
    starter = decks["01-starter.negodeck.json"]
    assert starter["deck"]["order"] == "as-written"
    last = starter["cards"][-1]
    assert "No-oriented questions" in last["back"], "the starter course points to the next deck"


def test_each_drill_has_one_domain_and_domains_are_well_covered(
    decks: dict[str, dict[str, Any]],
) -> None:
    usage: Counter[str] = Counter()
    wrong = []
    for card in _cards(decks, "drill"):
        domains = [tag for tag in card.get("tags", []) if tag in DOMAINS]
        if len(domains) != 1:
            wrong.append(f"{card['id']}: domain tags {domains} (want exactly one)")
        usage.update(domains)
    assert not wrong, "\n".join(wrong)
    assert len(usage) >= 8, f"only {len(usage)} domains: {dict(usage)}"
    thin = {domain: n for domain, n in usage.items() if n < 5}
    assert not thin, f"domains with fewer than 5 drills: {thin}"


def test_first_deck_opens_with_drills(decks: dict[str, dict[str, Any]]) -> None:
    first = next(iter(decks.values()))
    kinds = [card["type"] for card in first["cards"][:10]]
    assert kinds == ["drill"] * 10, f"the first deck must start with 10 drills, not {kinds}"
    # Then theory and quiz cards come in among the drills, not all left to the end.
    next_ten = [card["type"] for card in first["cards"][10:20]]
    assert "drill" in next_ten
    assert {"basic", "choice"} <= set(next_ten)


def test_every_choice_option_explains_itself(decks: dict[str, dict[str, Any]]) -> None:
    missing = [
        f"{card['id']}: option {option['id']}"
        for card in _cards(decks, "choice")
        for option in card["options"]
        if not option.get("why", "").strip()
    ]
    assert not missing, "options without a why:\n" + "\n".join(missing)


def test_choice_cards_have_three_to_five_options(decks: dict[str, dict[str, Any]]) -> None:
    wrong = [
        f"{card['id']}: {len(card['options'])} options"
        for card in _cards(decks, "choice")
        if not 3 <= len(card["options"]) <= 5
    ]
    assert not wrong, "\n".join(wrong)


# --- the snapshot of card ids ------------------------------------------------------------------


def _current_ids(decks: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    return {doc["deck"]["id"]: [card["id"] for card in doc["cards"]] for doc in decks.values()}


def write_snapshot(decks: dict[str, dict[str, Any]]) -> None:
    text = json.dumps(_current_ids(decks), indent=2, sort_keys=True)
    SNAPSHOT.write_text(text + "\n", encoding="utf-8")


def test_card_ids_snapshot(decks: dict[str, dict[str, Any]]) -> None:
    if os.environ.get(UPDATE_ENV) == "1":
        write_snapshot(decks)
    assert SNAPSHOT.exists(), f"{SNAPSHOT.name} is missing; create it with {UPDATE_ENV}=1"
    recorded: dict[str, list[str]] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    current = _current_ids(decks)
    lost = []
    for deck_id, card_ids in recorded.items():
        if deck_id not in current:
            lost.append(f"the deck {deck_id} ({len(card_ids)} cards) is gone or changed its uuid")
            continue
        gone = sorted(set(card_ids) - set(current[deck_id]))
        if gone:
            lost.append(f"deck {deck_id} lost or renamed: {', '.join(gone)}")
    assert not lost, (
        "\n".join(lost) + "\nLearners lose their review history for these cards. If this is "
        f"intended, update the snapshot deliberately: {UPDATE_ENV}=1 "
        ".venv/bin/pytest tests/deckio/test_builtin_decks.py -k snapshot"
    )
