"""Normalise a learner's text into words that remember where they came from.

Each normalised word keeps the character range of the original token it came from, so a span
found on "do not you" still points at "Don't you" in what the learner typed. Normalisation is
token-based (one linear regex scan, then dictionary look-ups), so it stays fast on long input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from negodrill.core.coach.lexicon import Lexicon

# Numbers with separators, words with inner apostrophes/hyphens, or one punctuation mark.
# Each alternative consumes at least one character and the repeated group needs a separator,
# so the scan is linear.
# Dotted abbreviations ("a.m.", "e.g.") come first, so their dots do not end a sentence.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\d+(?:[.,:]\d+)+|[^\W_]+(?:['\-][^\W_]+)*|[?!.,;:]")
_SENTENCE_END = frozenset("?!.")
_CLAUSE_BREAK = frozenset(",;:")
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "approx", "jr", "sr"}
)
_LEADS = frozenset({"and", "but", "or", "so", "then", "though", "however", "yet", "plus"})
_N_T = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
_SUFFIXES = {"'re": "are", "'m": "am", "'ve": "have", "'ll": "will", "'d": "would"}


class Word(NamedTuple):
    """One normalised word (a NamedTuple: cheap to build, and there are many)."""

    text: str  # normalised, lowercase
    start: int  # range of the ORIGINAL token this word came from
    end: int
    cap: bool  # the original token started with a capital letter


@dataclass(slots=True)
class Clause:
    words: list[Word]
    lead: str = ""  # a leading conjunction that was stripped ("but", "so", ...)

    @property
    def texts(self) -> list[str]:
        return [w.text for w in self.words]


@dataclass(slots=True)
class Sentence:
    clauses: list[Clause] = field(default_factory=list)
    end: str = ""  # "?", "!", "." or "" when the learner typed no final mark

    @property
    def words(self) -> list[Word]:
        return [w for c in self.clauses for w in c.words]


def _expand(token: str, lex: Lexicon) -> str:
    """One lowercased token to one or more normalised words (space separated)."""
    if token in lex.typos:
        token = lex.typos[token]
    if token in lex.contractions:
        return lex.contractions[token]
    if "'" not in token:
        return token
    if token.endswith("n't"):
        base = token[:-3]
        return f"{_N_T.get(base, base)} not"
    for suffix, full in _SUFFIXES.items():
        if token.endswith(suffix):
            return f"{token[: -len(suffix)]} {full}"
    if token.endswith("'s"):
        base = token[:-2]
        if base == "let":
            return "let us"
        return f"{base} is" if base in lex.s_is_words else base  # else a possessive
    return token.replace("'", "")


def tokenise(text: str, lex: Lexicon) -> list[Word]:
    """Normalised words, and punctuation marks as one-character Words, in reading order."""
    cleaned = text.translate(lex.quote_table)  # one char for one char: offsets are unchanged
    out: list[Word] = []
    for match in _TOKEN.finditer(cleaned):
        raw = match.group()
        start, end = match.span()
        if raw[-1] == "." and len(raw) > 1:
            raw = raw.replace(".", "")  # "a.m." -> "am": one word
        if raw in _SENTENCE_END or raw in _CLAUSE_BREAK:
            out.append(Word(raw, start, end, False))
            continue
        # A capital marks a possible name ("Is Friday too soon?"); shouting in capitals does not.
        cap = raw[0].isupper() and not (len(raw) > 1 and raw.isupper())
        for k, part in enumerate(_expand(raw.lower(), lex).split()):
            out.append(Word(part, start, end, cap and k == 0))
    _fix_ambiguous(out, lex)
    return out


def _fix_ambiguous(words: list[Word], lex: Lexicon) -> None:
    """'its'/'your' typed for "it's"/"you're": decide from the neighbouring words."""
    i = 0
    while i < len(words):
        w = words[i]
        nxt = words[i + 1].text if i + 1 < len(words) else ""
        prev = words[i - 1].text if i > 0 else "."
        if w.text == "its" and (
            nxt in lex.its_before or prev in {".", "?", "!", ",", "like", "that", "if", "so"}
        ):
            words[i : i + 1] = [
                Word("it", w.start, w.end, w.cap),
                Word("is", w.start, w.end, w.cap),
            ]
        elif w.text == "your" and nxt in lex.your_before:
            words[i : i + 1] = [
                Word("you", w.start, w.end, w.cap),
                Word("are", w.start, w.end, w.cap),
            ]
        i += 1


def _strip_leading(clause: Clause, lex: Lexicon) -> None:
    """Drop leading fillers ("hey", "so", "quick question") and conjunctions, remembering a lead."""
    words = clause.words
    texts = [w.text for w in words]
    i = 0
    while i < len(texts):
        if texts[i] in _LEADS and not clause.lead:
            clause.lead = texts[i]
        size = lex.fillers.match_at(texts, i)
        if texts[i] in _LEADS:
            size = max(size, 1)
        if not size:
            break
        # A filler like "okay"/"now" only goes when it stands alone ("Okay, ..."), never
        # when it starts the sentence proper ("Okay if I ...", "Now is a bad time?").
        alone_only = size == 1 and texts[i] in {"okay", "now", "right", "look", "well", "then"}
        if alone_only and i + 1 < len(texts):
            break
        i += size
    clause.words = [w for w in words[i:] if w.text != "please"]


def _is_vocative(clause: Clause, lex: Lexicon) -> bool:
    """A name said to the counterpart: 'Sam,' or ', Dr Lee?'."""
    words = clause.words
    if not 1 <= len(words) <= 3 or not all(w.cap for w in words) or words[0].text == "i":
        return False
    first = words[0].text
    return first not in lex.aux and first not in lex.wh_calibrated and first not in lex.wh_other


def segment(words: list[Word], lex: Lexicon) -> list[Sentence]:
    """Sentences of clauses, with fillers, 'please' and vocatives removed."""
    sentences: list[Sentence] = []
    current = Sentence()
    clause: list[Word] = []

    def close_clause() -> None:
        if clause:
            current.clauses.append(Clause(list(clause)))
            clause.clear()

    for k, w in enumerate(words):
        if w.text in _SENTENCE_END:
            prev = words[k - 1].text if k else ""
            if w.text == "." and prev in _ABBREVIATIONS:
                continue
            close_clause()
            if current.clauses:
                if current.end != "?":
                    current.end = w.text
                following = words[k + 1].text if k + 1 < len(words) else ""
                if following not in _SENTENCE_END:
                    sentences.append(current)
                    current = Sentence()
        elif w.text in _CLAUSE_BREAK:
            close_clause()
        else:
            clause.append(w)
    close_clause()
    if current.clauses:
        sentences.append(current)
    for sentence in sentences:
        for k, c in enumerate(sentence.clauses):
            is_tag = k > 0 and lex.tag_words.match_at(c.texts, 0) == len(c.words)
            if not is_tag:  # keep ", right?" whole: it is a tag question, not a filler
                _strip_leading(c, lex)
        kept = [c for c in sentence.clauses if c.words]
        if len(kept) > 1 and _is_vocative(kept[0], lex):
            kept = kept[1:]
        if (
            len(kept) > 1
            and _is_vocative(kept[-1], lex)
            and not lex.tag_words.match_at(kept[-1].texts, 0)
        ):
            kept = kept[:-1]
        sentence.clauses = kept
    return [s for s in sentences if s.clauses]
