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
    """Multi-word phrases indexed by their first two words; '*' after the first word matches
    any one word. A look-up touches only the phrases that share the first two words, so even
    a long lexicon costs a couple of dictionary probes per position."""

    __slots__ = ("_by_pair", "_first", "words")

    def __init__(self, phrases: Sequence[str]) -> None:
        singles: set[str] = set()
        pairs: dict[tuple[str, str], list[tuple[str, ...]]] = {}
        for phrase in phrases:
            parts = tuple(phrase.lower().split())
            if not parts or parts[0] == WILDCARD:
                continue
            if len(parts) == 1:
                singles.add(parts[0])
            else:
                pairs.setdefault((parts[0], parts[1]), []).append(parts)
        # Longest first, so the first hit in a group is the longest phrase of that group.
        self._by_pair = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in pairs.items()}
        self._first = frozenset(singles) | frozenset(k[0] for k in self._by_pair)
        self.words = frozenset(singles)

    def match_at(self, words: Sequence[str], i: int, end: int | None = None) -> int:
        """Length of the longest phrase starting at words[i] and ending by `end`, 0 if none."""
        n = len(words) if end is None else min(end, len(words))
        if i >= n:
            return 0
        first = words[i]
        if first not in self._first:
            return 0
        best = 0
        if i + 1 < n:
            by_pair = self._by_pair
            for key in ((first, words[i + 1]), (first, WILDCARD)):
                for parts in by_pair.get(key, ()):
                    size = len(parts)
                    if size <= best or i + size > n:
                        continue
                    if all(
                        parts[k] == WILDCARD or parts[k] == words[i + k] for k in range(2, size)
                    ):
                        best = size
                        break
        if not best and first in self.words:
            best = 1
        return best

    def find(
        self, words: Sequence[str], start: int = 0, end: int | None = None
    ) -> list[tuple[int, int]]:
        """Non-overlapping leftmost-longest matches as (start, end) word indices."""
        stop = len(words) if end is None else min(end, len(words))
        first = self._first
        found: list[tuple[int, int]] = []
        i = start
        while i < stop:
            if words[i] in first:  # cheap pre-check: most words start no phrase
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
    what_about_verbs: frozenset[str]
    aux_typos: dict[str, str]
    aux_fuzzy_targets: tuple[str, ...]
    aux_fuzzy_exclude: frozenset[str]
    contentment_object: PhraseSet
    contentment_subject: PhraseSet
    i_body_allowed_after_modal: frozenset[str]
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
    cancellable_negatives: frozenset[str]
    positives: frozenset[str]
    status_quo: PhraseSet
    status_quo_exclude: PhraseSet
    wanted: PhraseSet
    wanted_modal: PhraseSet
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
        what_about_verbs=_words(data, "what_about_verbs"),
        aux_typos={k.lower(): v.lower() for k, v in data["aux_typos"].items()},
        aux_fuzzy_targets=tuple(str(w).lower() for w in data["aux_fuzzy_targets"]),
        aux_fuzzy_exclude=_words(data, "aux_fuzzy_exclude"),
        contentment_object=_phrases(data, "contentment_object"),
        contentment_subject=_phrases(data, "contentment_subject"),
        i_body_allowed_after_modal=_words(data, "i_body_allowed_after_modal"),
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
        cancellable_negatives=_words(data, "cancellable_negatives"),
        positives=_words(data, "positives"),
        status_quo=_phrases(data, "status_quo"),
        status_quo_exclude=_phrases(data, "status_quo_exclude"),
        wanted=_phrases(data, "wanted"),
        wanted_modal=_phrases(data, "wanted_modal"),
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
