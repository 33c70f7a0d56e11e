"""Turn a verdict into one to three sentences a learner can act on (wording in feedback.json)."""

from __future__ import annotations

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


@cache
def _messages() -> dict[str, Any]:
    return load_json("feedback.json")


def compose(
    label: str, flaws: frozenset[str], kind: str, word_count: int, *, unsure: bool = False,
    salad: bool = False,
) -> tuple[str, ...]:
    data = _messages()
    verdict: dict[str, str] = data["verdict"]
    flaw_text: dict[str, str] = data["flaw"]
    if kind == "empty":
        return (verdict["empty"],)
    if kind == "foreign":
        return (flaw_text["not_english"],)
    if salad:
        return (verdict["salad"],)
    out: list[str] = []
    if unsure:
        out.append(data["hint"]["unsure"])
    if not flaws and label in ("no_oriented", "mislabel"):
        out.append(verdict[label])
    elif label == "calibrated":
        out.append(verdict["calibrated"])
    elif label == "label" and not flaws & {"labels_wanted_outcome", "changes_the_ask"}:
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
