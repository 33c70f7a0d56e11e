"""Checking a deck before anyone studies it: the schema, the rules it cannot say, and the coach.

Deck authors run this through `negodrill validate FILE`, and the test suite runs it on every
built-in deck. Two layers, in order:

* `schema_problems`: the JSON Schema in `resources/negodeck.schema.json`, each error turned into
  one line a deck author can act on, plus the rules a schema cannot express (unique card ids,
  known techniques, unique option ids, at least one correct option).
* `coach_problems`: the coach must accept every reference rewrite for its prompt, and must not
  accept any pitfall, otherwise the learner is shown a "model answer" the coach would mark wrong.

Only a deck that passes the schema is shown to the coach, so the coach never sees half a card.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from negodrill import paths
from negodrill.deckio.reader import read_deck_json

MAX_PROBLEMS = 50
_CARD_BRANCHES = {"drill": 0, "basic": 1, "choice": 2, "conversation": 3}  # the schema's oneOf
_PATTERN_NAMES = {
    "#/$defs/uuid": "a lowercase UUID like 5b0c8f3e-2d1a-4c6e-9f7b-1a2b3c4d5e6f",
    "#/$defs/slug": "a slug of lowercase letters, digits and hyphens (at most 64)",
    "#/$defs/line": "one line of text",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a deck; `card_id` is None when it is about the deck as a whole."""

    card_id: str | None
    message: str

    def __str__(self) -> str:
        return f"card {self.card_id}: {self.message}" if self.card_id else self.message


@cache
def _validator() -> Draft202012Validator:
    """The deck schema, read once per process."""
    schema_path = paths.resource_dir() / "negodeck.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def _fast_validator() -> Any:
    """The same schema compiled by jsonschema-rs: a 10,000-card deck checks in about 10 ms.

    Python's jsonschema spends seconds on the per-card `oneOf` with `unevaluatedProperties`,
    so it only runs to word the problems of a deck the fast check found wrong.
    """
    import jsonschema_rs

    return jsonschema_rs.validator_for(_validator().schema, validate_formats=True)


@cache
def _common_fields() -> frozenset[str]:
    common = _validator().schema.get("$defs", {}).get("common", {})
    return frozenset(common.get("properties", {}))


# --- schema errors in words -----------------------------------------------------------------


def _place(path: Iterable[Any]) -> str:
    """`['options', 2, 'why']` -> `options[2].why`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _card_id(cards: Any, index: Any) -> str | None:
    if isinstance(cards, list) and isinstance(index, int) and 0 <= index < len(cards):
        card = cards[index]
        if isinstance(card, dict) and isinstance(card.get("id"), str) and card["id"]:
            return str(card["id"])
        return f"#{index + 1}"
    return None


def _describe(error: ValidationError, path: list[Any], whole: str) -> str:
    """One readable sentence for one schema error at `path` (relative to `whole`)."""
    kind, value, instance = error.validator, error.validator_value, error.instance
    where = _place(path)
    subject = f'"{where}"' if where else whole
    if kind == "required":
        found = re.match(r"'(.+)' is a required property", error.message)
        name = found.group(1) if found else "a field"
        return f'"{_place([*path, name])}" is missing'
    if kind in ("additionalProperties", "unevaluatedProperties"):
        names = re.findall(r"'([^']*)'", error.message.split("(", 1)[-1])
        if kind == "unevaluatedProperties":
            # When the shared card fields fail, jsonschema also calls them unevaluated.
            names = [n for n in names if n not in _common_fields()]
            if not names:
                return ""
        inside = f" in {subject}" if where else ""
        plural = "fields" if len(names) != 1 else "field"
        return f"unknown {plural} {_quoted(names)}{inside}"
    if kind == "minItems":
        return (
            f"{subject} must not be empty"
            if value == 1
            else f"{subject} needs at least {value} items"
        )
    if kind == "maxItems":
        return f"{subject} has more than {value} items"
    if kind == "minLength":
        return f"{subject} must not be empty" if value == 1 else f"{subject} is too short"
    if kind == "maxLength":
        return f"{subject} is longer than {value} characters"
    if kind == "type":
        article = "an" if str(value)[0] in "aeiou" else "a"
        return f"{subject} must be {article} {value}"
    if kind == "const":
        return f"{subject} must be {json.dumps(value)}"
    if kind == "enum":
        return (f"{subject} is {json.dumps(instance)[:60]}, which is not one of "
                f"{', '.join(json.dumps(v) for v in value)}")
    if kind in ("minimum", "exclusiveMinimum"):
        return f"{subject} must be at least {value}"
    if kind in ("maximum", "exclusiveMaximum"):
        return f"{subject} must be at most {value}"
    if kind == "uniqueItems":
        return f"{subject} lists the same value twice"
    if kind == "contains":
        return 'at least one option must be marked "correct": true'
    if kind == "pattern":
        ref = next((p for p in reversed(list(_refs(error))) if p in _PATTERN_NAMES), None)
        shown = json.dumps(instance)[:60]
        expected = _PATTERN_NAMES[ref] if ref else f"the pattern {value}"
        return f"{subject} is {shown}, which is not {expected}"
    if kind == "format":
        return f"{subject} is {json.dumps(instance)[:60]}, which is not a valid {value}"
    return f"{subject}: {error.message[:200]}"


def _refs(error: ValidationError) -> Iterator[str]:
    """The `$ref` targets an error went through, outermost first (to name a slug or a UUID).

    jsonschema leaves "$ref" out of schema paths, so a step missing from a node that holds a
    `$ref` means the path went through that reference.
    """
    root: Any = _validator().schema
    node: Any = root
    for step in error.absolute_schema_path:
        while isinstance(node, dict) and step not in node and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            yield ref
            node = root
            for part in ref.removeprefix("#/").split("/"):
                node = node.get(part) if isinstance(node, dict) else None
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return


def _leaf_errors(error: ValidationError) -> list[ValidationError]:
    """A card matching no branch of the oneOf: keep the errors of the branch its type names."""
    path = list(error.absolute_path)
    if error.validator == "oneOf" and len(path) == 4 and path[2] == "rewrites":
        # A reference is a string (version 1) or an object: word the object's own errors.
        branch = 1 if isinstance(error.instance, dict) else 0
        return [e for e in error.context or [] if e.relative_schema_path[0] == branch] or [error]
    if error.validator != "oneOf" or len(path) != 2 or path[0] != "cards":
        return [error]
    card = error.instance
    kind = card.get("type") if isinstance(card, dict) else None
    branch = _CARD_BRANCHES.get(kind) if isinstance(kind, str) else None
    if branch is None:
        return [error]
    chosen = [leaf for e in error.context or [] if e.relative_schema_path[0] == branch
              for leaf in _leaf_errors(e)]
    return sorted(chosen, key=lambda e: list(map(str, e.absolute_path))) or [error]


def _schema_message(error: ValidationError, doc: dict[str, Any]) -> Problem:
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "cards" and isinstance(path[1], int):
        card_id = _card_id(doc.get("cards"), path[1])
        if error.validator == "oneOf" and len(path) == 2:
            card = error.instance
            kind = card.get("type") if isinstance(card, dict) else None
            if not isinstance(card, dict):
                return Problem(card_id, "a card must be a JSON object")
            if kind is None:
                return Problem(card_id, '"type" is missing (drill, basic, choice or conversation)')
            return Problem(
                card_id,
                f'"type" must be drill, basic, choice or conversation, not {json.dumps(kind)}',
            )
        return Problem(card_id, _describe(error, path[2:], "the card"))
    return Problem(None, _describe(error, path, "the deck file"))


# --- rules the schema cannot express --------------------------------------------------------


def _rule_problems(doc: dict[str, Any]) -> Iterator[Problem]:
    cards = doc.get("cards")
    if not isinstance(cards, list):
        return
    techniques = doc.get("techniques")
    known: set[str] | None = None
    if isinstance(techniques, list):
        known = {
            t["id"] for t in techniques if isinstance(t, dict) and isinstance(t.get("id"), str)
        }
    seen: set[str] = set()
    for index, card in enumerate(cards):
        if not isinstance(card, dict):
            continue
        card_id = _card_id(cards, index)
        raw_id = card.get("id")
        if isinstance(raw_id, str):
            if raw_id in seen:
                yield Problem(card_id, f'the card id "{raw_id}" is used by more than one card')
            seen.add(raw_id)
        technique = card.get("technique")
        is_drill = card.get("type") == "drill"
        if is_drill and known is not None and isinstance(technique, str) and technique not in known:
            yield Problem(
                card_id, f'technique "{technique}" is not in the deck\'s "techniques" list'
            )
        turns = card.get("turns")
        if card.get("type") == "conversation" and isinstance(turns, list):
            for number, turn in enumerate(turns[1:], 2):
                if isinstance(turn, dict) and "opening" in turn:
                    yield Problem(card_id, f'turn {number}: only the first turn may be the '
                                  'learner\'s "opening"; later turns need the counterpart\'s '
                                  '"line"')
        options = card.get("options")
        if card.get("type") == "choice" and isinstance(options, list):
            option_ids = [o.get("id") for o in options if isinstance(o, dict)]
            for twice in sorted({i for i in option_ids if option_ids.count(i) > 1}, key=str):
                yield Problem(card_id, f'the option id "{twice}" is used twice')
            if options and not any(
                isinstance(o, dict) and o.get("correct") is True for o in options
            ):
                yield Problem(card_id, 'at least one option must be marked "correct": true')


def _capped(problems: Iterable[Problem]) -> list[Problem]:
    """Drop exact repeats, keep the first MAX_PROBLEMS, and say how many more there were."""
    kept: list[Problem] = []
    seen: set[Problem] = set()
    extra = 0
    for problem in problems:
        if problem in seen:
            continue
        seen.add(problem)
        if len(kept) < MAX_PROBLEMS:
            kept.append(problem)
        else:
            extra += 1
    if extra:
        kept.append(Problem(None, f"... and {extra} more problems"))
    return kept


def schema_problems(doc: dict[str, Any]) -> list[Problem]:
    """Everything structurally wrong with a parsed deck document, one readable line each.

    :param doc: the document as returned by `read_deck_json` (not yet trusted).
    """
    if _fast_validator().is_valid(doc):
        return _capped(_rule_problems(doc))
    errors = sorted(_validator().iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
    leaves = [leaf for error in errors for leaf in _leaf_errors(error)]
    problems = [p for p in (_schema_message(leaf, doc) for leaf in leaves) if p.message]
    return _capped([*problems, *_rule_problems(doc)])


# --- the coach ------------------------------------------------------------------------------


def _name(value: Any) -> str:
    """An enum member, a flaw object or a plain string, as the short code a deck author knows."""
    for attribute in ("value", "code"):
        inner = getattr(value, attribute, None)
        if isinstance(inner, str):
            return inner
    return str(value)


def _flaw_names(assessment: Any) -> list[str]:
    return [_name(flaw) for flaw in (getattr(assessment, "flaws", None) or ())]


def coach_problems(doc: dict[str, Any]) -> list[Problem]:
    """Reference rewrites the coach would reject and pitfalls it would accept, each judged as a
    learner's answer to its drill is (the moves the drill accepts, against its prompt).

    The deck must already pass `schema_problems`. The coach is imported here, not at the top, so
    the schema check works (and imports fast) without it.
    """
    from negodrill.core.cards import content_from_json
    from negodrill.core.coach import analyse
    from negodrill.core.content import Drill

    problems: list[Problem] = []
    for card in doc.get("cards", []):
        if isinstance(card, dict) and card.get("type") == "conversation":
            problems += _conversation_problems(card)
        if not isinstance(card, dict) or card.get("type") != "drill":
            continue
        card_id = card.get("id")
        drill = content_from_json(card)
        assert isinstance(drill, Drill)

        def judge(text: str, drill: Drill = drill) -> Any:
            return analyse(text, ask=drill.prompt, situation=drill.situation or None,
                           accepts=drill.coach_accepts)

        for rewrite in drill.rewrites:
            verdict = judge(rewrite)
            if not verdict.accepted:
                flaws = _flaw_names(verdict)
                detail = f"flaws: {', '.join(flaws)}" if flaws else "no flaws"
                problems.append(
                    Problem(
                        card_id,
                        f'the coach rejects the rewrite "{rewrite}" '
                        f"(label {_name(verdict.label)}, {detail})",
                    )
                )
        for pitfall in drill.pitfalls:
            verdict = judge(pitfall.text)
            if verdict.accepted and not pitfall.situational:
                problems.append(
                    Problem(
                        card_id,
                        f'the coach accepts the pitfall "{pitfall.text}" as a clean '
                        f"{_name(verdict.label)}; a pitfall must show a mistake (mark it "
                        '"situational": true when only the situation makes it wrong)',
                    )
                )
    return _capped(problems)


def course_problems(doc: dict[str, Any]) -> list[Problem]:
    """What a built-in deck must have on top of a valid one (`validate --strict`): a level on
    every card; on every drill 2 to 5 references, the counterpart's reply to the prompt, to each
    reference and to each pitfall, a note, and the reading of every mislabel reference."""
    from negodrill.core.cards import content_from_json
    from negodrill.core.coach import analyse
    from negodrill.core.content import Drill

    problems: list[Problem] = []
    for card in doc.get("cards", []):
        if not isinstance(card, dict):
            continue
        card_id = card.get("id")
        if "level" not in card:
            problems.append(Problem(card_id, 'needs a "level" (1 to 4)'))
        if card.get("type") != "drill":
            continue
        drill = content_from_json(card)
        assert isinstance(drill, Drill)
        if not 2 <= len(drill.references) <= 5:
            problems.append(Problem(card_id, f"has {len(drill.references)} references; "
                                    "a built-in drill has 2 to 5"))
        if not drill.prompt_reply:
            problems.append(Problem(card_id, 'needs a "prompt_reply": the counterpart\'s '
                                    "likely answer to the prompt"))
        if not str(card.get("notes", "")).strip():
            problems.append(Problem(card_id, 'needs "notes"'))
        for reference in drill.references:
            if not reference.reply:
                problems.append(Problem(card_id, f'the reference "{reference.text}" needs '
                                        'a "reply"'))
            mislabel = analyse(reference.text, ask=drill.prompt, situation=drill.situation,
                               accepts=drill.coach_accepts).label == "mislabel"
            if mislabel and not reference.reading:
                problems.append(Problem(card_id, f'the mislabel "{reference.text}" needs a '
                                        '"reading" (emotion, position or fact)'))
        for pitfall in drill.pitfalls:
            if not pitfall.reply:
                problems.append(Problem(card_id, f'the pitfall "{pitfall.text}" needs a "reply"'))
    return _capped(problems)


def _conversation_problems(card: dict[str, Any]) -> list[Problem]:
    """Every turn's model answer must be a fitting move with no flaw, as the app judges it."""
    from negodrill.core.cards import content_from_json
    from negodrill.core.content import Conversation
    from negodrill.core.conversation import judge_turn

    conversation = content_from_json(card)
    assert isinstance(conversation, Conversation)
    problems = []
    for index, turn in enumerate(conversation.turns):
        result = judge_turn(conversation, index, turn.model)
        if not result.fits or result.flaws:
            found = _name(result.label) + (f", flaws: {', '.join(result.flaws)}"
                                           if result.flaws else "")
            problems.append(Problem(
                card.get("id"), f'turn {index + 1}: the coach reads the model answer '
                f'"{turn.model}" as {found}, not as {" or ".join(turn.moves)}'))
    return problems


def validate_file(path: str | Path) -> list[Problem]:
    """All problems of one deck file; raises DeckError when the file cannot be read as a deck.

    The coach only looks at a deck whose structure is already right.
    """
    return validate_document(read_deck_json(Path(path)))


def validate_document(doc: dict[str, Any]) -> list[Problem]:
    """Schema problems, or, when the structure is right, the coach's problems."""
    return schema_problems(doc) or coach_problems(doc)
