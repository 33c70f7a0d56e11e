"""The coach's labels and flaw codes in the learner's words: one place for the window, the
terminal `study`, Progress and the reports."""

from __future__ import annotations

from collections.abc import Iterable

LABEL_TITLES = {
    "no_oriented": "No-oriented question",
    "mislabel": "Deliberate mislabel",
    "yes_seeking": "Yes-seeking",
    "label": "Label",
    "calibrated": "Calibrated question",
    "other": "Not a technique",
}


_MOVES_IN_A_SENTENCE = {
    "no_oriented": "a no-oriented question",
    "mislabel": "a mislabel",
    "label": "a label",
    "calibrated": "a calibrated question",
}


def moves_in_words(labels: Iterable[str]) -> str:
    """('no_oriented', 'mislabel') -> 'a no-oriented question or a mislabel'."""
    words = [_MOVES_IN_A_SENTENCE.get(m, label_title(m).lower()) for m in labels]
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def label_title(label: str) -> str:
    """`no_oriented` -> `No-oriented question`; an unknown label reads as words."""
    return LABEL_TITLES.get(label, label.replace("_", " ").capitalize())


def flaw_title(code: str) -> str:
    """`still_yes_seeking` -> `Still yes-seeking`, `starts_with_I` -> `Starts with “I”`."""
    words = code.replace("_", " ").replace("starts with I", "starts with “I”")
    words = words.replace("yes seeking", "yes-seeking").replace("not english", "not English")
    return words[:1].upper() + words[1:]
