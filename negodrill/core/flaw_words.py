"""Flaw codes in the learner's words, the same on the review page, Progress and reports."""

from __future__ import annotations


def flaw_title(code: str) -> str:
    """`still_yes_seeking` -> `Still yes-seeking`, `starts_with_I` -> `Starts with “I”`."""
    words = code.replace("_", " ").replace("starts with I", "starts with “I”")
    words = words.replace("yes seeking", "yes-seeking")
    return words[:1].upper() + words[1:]
