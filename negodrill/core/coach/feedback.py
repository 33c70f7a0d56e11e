"""Turn a verdict into one to three sentences a learner can act on (wording in feedback.json)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from negodrill.core.coach.lexicon import load_json

LONG_REWRITE_WORDS = 20

# Most important first: the flaw that explains the verdict leads, smaller issues follow.
FLAW_PRIORITY = (
    "not_english",
    "too_long",
    "leading_question",
    "still_yes_seeking",
    "labels_wanted_outcome",
    "double_negative",
    "accusatory",
    "changes_the_ask",
    "label_plus_question",
    "qualified_label",
    "pushy",
    "why_question",
    "starts_with_I",
    "statement_not_question",
    "calibrated_not_target",
)


# Which spans (by the reason the rules gave) hold the words that decided each verdict or flaw.
QUOTE_REASONS: dict[str, tuple[str, ...]] = {
    "no_oriented": ("'no' is the answer you want", "already happened", "cannot move"),
    "mislabel": ("names the unwanted reading",),
    "pushy": ("pressure", "ultimatum", "threat", "anyway", "demands"),
    "accusatory": ("mock", "judge", "guilt", "blames", "sarcasm", "keeps score"),
    "still_yes_seeking": ("closed question", "proposal"),
    "leading_question": ("presumes",),
    "labels_wanted_outcome": ("outcome you want",),
    "changes_the_ask": ("other than the ask", "small talk"),
    "label_plus_question": ("question after the label",),
    "qualified_label": ("takes the label back",),
    "starts_with_I": ("starts with 'i'",),
    "double_negative": ("negation", "negative word inside"),
    "why_question": ("'why'",),
}
_MAX_QUOTE = 60


@cache
def _messages() -> dict[str, Any]:
    return load_json("feedback.json")


def quotes(text: str, spans: Sequence[tuple[int, int, str]]) -> dict[str, str]:
    """For each verdict or flaw, the learner's own words that decided it (the first span)."""
    out: dict[str, str] = {}
    for start, end, reason in spans:
        words = " ".join(text[start:end].split())
        if not words or len(words) > _MAX_QUOTE:
            continue
        lowered = reason.lower()
        for key, keys in QUOTE_REASONS.items():
            if key not in out and any(k in lowered for k in keys):
                out[key] = words
    return out


_NO_MOVES = ("no_oriented", "mislabel")
_MOVES = ("no_oriented", "mislabel", "label", "calibrated")


def compose(
    label: str, flaws: frozenset[str], kind: str, word_count: int, *, unsure: bool = False,
    salad: bool = False, quoted: Mapping[str, str] | None = None,
    accepts: Sequence[str] = _NO_MOVES,
) -> tuple[str, ...]:
    """One to three sentences; with `quoted` (from `quotes`) they quote the deciding words.

    `accepts` are the moves the drill wants; a drill that wants neither a no-oriented question
    nor a mislabel gets the `aimed` wording, which names the moves it does want."""
    data = _messages()
    if not set(accepts) & set(_NO_MOVES):
        return _compose_aimed(data, label, flaws, kind, word_count, unsure=unsure, salad=salad,
                              accepts=accepts)
    templates: dict[str, str] = data["quoted"]
    said = quoted or {}

    def line(table: dict[str, str], key: str) -> str:
        if key in said and key in templates:
            return templates[key].format(quote=said[key])
        return table[key]

    verdict: dict[str, str] = {k: line(data["verdict"], k) for k in data["verdict"]}
    flaw_text: dict[str, str] = {k: line(data["flaw"], k) for k in data["flaw"]}
    if kind == "empty":
        return (verdict["empty"],)
    if kind == "foreign":
        return (flaw_text["not_english"],)
    if salad:
        return (verdict["salad"],)
    out: list[str] = []
    if unsure:
        out.append(data["hint"]["unsure"])
    if not flaws and label in accepts:
        out.append(verdict[label] if label in _NO_MOVES else data["aimed"][f"good_{label}"])
    elif label in _NO_MOVES and label not in accepts:
        # A sound no-oriented question on a card that wants a mislabel (or the reverse).
        from negodrill.core.coach.words import moves_in_words

        out.append(data["aimed"]["wrong_move"].format(move=moves_in_words([label]),
                                                      moves=moves_in_words(accepts)))
    elif label == "calibrated" and "calibrated" not in accepts:
        out.append(verdict["calibrated"])
    elif label == "label" and "label" not in accepts and not flaws & {
            "labels_wanted_outcome", "changes_the_ask"}:
        out.append(verdict["label"])
    elif label == "other" and "why_question" not in flaws and "too_long" not in flaws:
        out.append(verdict["other_question" if kind == "other_question" else "statement"])
    ordered = [code for code in FLAW_PRIORITY if code in flaws]
    if "statement_not_question" in flaws and out:
        ordered.remove("statement_not_question")  # the verdict sentence already says it
    if "calibrated_not_target" in flaws and out:
        ordered.remove("calibrated_not_target")
    for code in ordered:
        if len(out) == 3:
            break
        out.append(flaw_text[code])
    if word_count > LONG_REWRITE_WORDS and len(out) < 3 and "too_long" not in flaws:
        out.append(data["hint"]["long"])
    return tuple(out)


def _compose_aimed(
    data: dict[str, Any], label: str, flaws: frozenset[str], kind: str, word_count: int, *,
    unsure: bool, salad: bool, accepts: Sequence[str],
) -> tuple[str, ...]:
    """The sentences for a drill that wants labels or calibrated questions: the usual flaw
    wording, but nothing that tells the learner to aim for a 'no'."""
    from negodrill.core.coach.words import moves_in_words

    aimed: dict[str, str] = data["aimed"]
    moves = moves_in_words(accepts)
    if kind == "empty":
        return (aimed["empty"].format(moves=moves),)
    if kind == "foreign":
        return (data["flaw"]["not_english"],)
    if salad:
        return (data["verdict"]["salad"],)
    out: list[str] = [data["hint"]["unsure"]] if unsure else []
    if label in accepts and not flaws:
        out.append(aimed[f"good_{label}"])
    elif label in _MOVES and label not in accepts:
        out.append(aimed["wrong_move"].format(move=moves_in_words([label]), moves=moves))
    elif label == "other" and "why_question" not in flaws and "too_long" not in flaws:
        out.append(aimed["other"].format(moves=moves))
    for code in FLAW_PRIORITY:
        if len(out) == 3:
            break
        if code in flaws:
            text = aimed.get(code, data["flaw"][code])
            out.append(text.format(moves=moves))
    if word_count > LONG_REWRITE_WORDS and len(out) < 3 and "too_long" not in flaws:
        out.append(data["hint"]["long"])
    return tuple(out)
