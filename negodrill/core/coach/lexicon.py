"""The coach's word lists, loaded once from resources/coach/*.json and compiled for speed.

Everything tunable lives in JSON so that a lexicon can grow without a code change. Phrases are
matched on normalised word lists (not regexes), so matching is linear in the input length and
cannot backtrack.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

WILDCARD = "*"


def resource_dir() -> Path:
    """resources/ of this checkout (or bundle)."""
    try:  # negodrill.paths is the project-wide way to find resources/ once the lead adds it.
        from negodrill import paths

        found = getattr(paths, "resource_dir", None)
        if callable(found):
            return Path(found())
    except ImportError:
        pass
    # Fallback for a plain checkout: negodrill/core/coach/lexicon.py -> <root>/resources.
    return Path(__file__).resolve().parents[3] / "resources"


def load_json(name: str) -> dict[str, Any]:
    path = resource_dir() / "coach" / name
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path} must hold a JSON object")
    return data


class PhraseSet:
    """Multi-word phrases indexed by first word; '*' inside a phrase matches any one word."""

    __slots__ = ("_by_first", "words")

    def __init__(self, phrases: Sequence[str]) -> None:
        index: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            parts = tuple(phrase.lower().split())
            if parts and parts[0] != WILDCARD:
                index.setdefault(parts[0], []).append(parts)
        # Longest first, so a match is always the longest phrase starting at a position.
        self._by_first = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}
        self.words = frozenset(
            parts[0] for group in self._by_first.values() for parts in group if len(parts) == 1
        )

    def match_at(self, words: Sequence[str], i: int, end: int | None = None) -> int:
        """Length of the longest phrase starting at words[i] and ending by `end`, 0 if none."""
        n = len(words) if end is None else min(end, len(words))
        if i >= n:
            return 0
        candidates = self._by_first.get(words[i])
        if not candidates:
            return 0
        for parts in candidates:
            size = len(parts)
            if i + size > n:
                continue
            if size == 1 or all(
                p == WILDCARD or p == words[i + k] for k, p in enumerate(parts) if k
            ):
                return size
        return 0

    def find(
        self, words: Sequence[str], start: int = 0, end: int | None = None
    ) -> list[tuple[int, int]]:
        """Non-overlapping leftmost-longest matches as (start, end) word indices."""
        stop = len(words) if end is None else min(end, len(words))
        index = self._by_first
        found: list[tuple[int, int]] = []
        i = start
        while i < stop:
            if words[i] in index:  # cheap pre-check: most words start no phrase
                size = self.match_at(words, i, stop)
                if size:
                    found.append((i, i + size))
                    i += size
                    continue
            i += 1
        return found


@dataclass(frozen=True)
class Lexicon:
    quote_table: dict[int, str]
    typos: dict[str, str]
    contractions: dict[str, str]
    s_is_words: frozenset[str]
    its_before: frozenset[str]
    your_before: frozenset[str]
    fillers: PhraseSet
    aux: frozenset[str]
    subjects: frozenset[str]
    wh_calibrated: frozenset[str]
    wh_other: frozenset[str]
    subordinators: PhraseSet
    clause_breakers: PhraseSet
    proposals: PhraseSet
    calibrated_what_about: frozenset[str]
    tag_words: PhraseSet
    tag_pronouns: frozenset[str]
    label_verbs: frozenset[str]
    label_connectors: PhraseSet
    label_adverbs: PhraseSet
    reply_adjectives: PhraseSet
    impersonal: frozenset[str]
    i_openers_strong: PhraseSet
    i_openers_weak: PhraseSet
    i_body_forbidden: PhraseSet
    emotions: frozenset[str]
    negations: frozenset[str]
    unwanted: PhraseSet
    unwanted_exclude: PhraseSet
    positives: frozenset[str]
    status_quo: PhraseSet
    alternative_cues: PhraseSet
    pushy: PhraseSet
    accusatory: PhraseSet
    intensifiers: PhraseSet
    i_request_openers: PhraseSet
    i_request_no: PhraseSet
    generic: frozenset[str]
    stopwords: frozenset[str]
    synonyms: dict[str, frozenset[int]]


def _words(data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in data[key])


def _phrases(data: dict[str, Any], key: str) -> PhraseSet:
    return PhraseSet([str(p) for p in data[key]])


@cache
def lexicon() -> Lexicon:
    """The compiled lexicon; built on first use and cached for the life of the process."""
    from negodrill.core.coach.topic import stem  # local: topic imports this module

    data = load_json("lexicon.json")
    synonyms: dict[str, set[int]] = {}
    for group_id, group in enumerate(data["synonyms"]):
        for word in group:
            synonyms.setdefault(stem(str(word).lower()), set()).add(group_id)
    return Lexicon(
        quote_table=str.maketrans({k: v for k, v in data["quote_chars"].items()}),
        typos={k.lower(): v.lower() for k, v in data["typos"].items()},
        contractions={k.lower(): v.lower() for k, v in data["contractions"].items()},
        s_is_words=_words(data, "s_is_words"),
        its_before=_words(data, "its_before"),
        your_before=_words(data, "your_is_you_are_before"),
        fillers=_phrases(data, "fillers"),
        aux=_words(data, "aux"),
        subjects=_words(data, "subjects"),
        wh_calibrated=_words(data, "wh_calibrated"),
        wh_other=_words(data, "wh_other"),
        subordinators=_phrases(data, "subordinators"),
        clause_breakers=_phrases(data, "clause_breakers"),
        proposals=_phrases(data, "proposals"),
        calibrated_what_about=_words(data, "calibrated_what_about"),
        tag_words=_phrases(data, "tag_words"),
        tag_pronouns=_words(data, "tag_pronouns"),
        label_verbs=_words(data, "label_verbs"),
        label_connectors=_phrases(data, "label_connectors"),
        label_adverbs=_phrases(data, "label_adverbs"),
        reply_adjectives=_phrases(data, "reply_adjectives"),
        impersonal=_words(data, "impersonal_words"),
        i_openers_strong=_phrases(data, "i_openers_strong"),
        i_openers_weak=_phrases(data, "i_openers_weak"),
        i_body_forbidden=_phrases(data, "i_body_forbidden"),
        emotions=_words(data, "emotions"),
        negations=_words(data, "negations"),
        unwanted=_phrases(data, "unwanted"),
        unwanted_exclude=_phrases(data, "unwanted_exclude"),
        positives=_words(data, "positives"),
        status_quo=_phrases(data, "status_quo"),
        alternative_cues=_phrases(data, "alternative_cues"),
        pushy=_phrases(data, "pushy"),
        accusatory=_phrases(data, "accusatory"),
        intensifiers=_phrases(data, "intensifiers"),
        i_request_openers=_phrases(data, "i_request_openers"),
        i_request_no=_phrases(data, "i_request_no"),
        # Words that carry the technique, not the topic: never evidence of a changed ask.
        generic=frozenset(
            stem(str(w).lower())
            for key in ("generic_words", "unwanted", "positives", "status_quo", "emotions")
            for w in data[key]
            if " " not in str(w)
        ),
        stopwords=_words(data, "stopwords"),
        synonyms={k: frozenset(v) for k, v in synonyms.items()},
    )
