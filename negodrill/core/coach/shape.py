"""Before judging a technique: is this English, and does it read as one short move?

A move is one or two sentences. A long ramble buries it, and a string of words that does not
read as a sentence (however it starts) is no move at all; both get `too_long`. A text in another
language gets `not_english`: the coach reads English only, so it judges nothing and leaves the
grade to the learner.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from negodrill.core.coach import sense
from negodrill.core.coach.lexicon import Lexicon

MAX_WORDS = 45  # the longest valid rewrite in the trainers' sets has 35
MAX_SENTENCES = 3
_RAMBLE_WORDS = 30  # four sentences of short replies ("Hi. Sorry. Is now bad? Thanks.") are fine
_SALAD_RUN = 8  # content words in a row with no grammar word between them
_SALAD_RUN_WITH_FILLER = 3  # ... when a stray "yes" or "maybe" sits inside the sentence
_FILLERS_INSIDE = frozenset({"yes", "maybe", "okay", "ok", "yeah"})
_FILLER_USED = frozenset({"with", "to", "if", "for", "by", "that", "not"})  # "okay with ..."
_LETTERS = re.compile(r"[^\W\d_]+")
_FOREIGN_LETTERS = re.compile(r"[^\x00-\x7f’‘“”–—…£€]")
_ENGLISH_SHARE = 0.6  # below this share of English words the language detector is asked
_OTHER_LANGUAGE = 0.5  # ... and must be this sure of another language


@dataclass(frozen=True)
class Shape:
    code: str  # "", "not_english" or "too_long"
    reason: str
    confidence: float


FINE = Shape("", "", 1.0)
SALAD = "does not read as a sentence"


def _english_share(text: str, lex: Lexicon) -> tuple[float, int]:
    words = [w.lower() for w in _LETTERS.findall(text)]
    if not words:
        return 1.0, 0
    known = sum(1 for w in words if w in lex.stopwords or w in lex.aux or sense.known_english(w))
    return known / len(words), len(words)


def foreign(text: str, lex: Lexicon) -> Shape:
    """`not_english` when the words are mostly not English and the detector agrees."""
    share, count = _english_share(text, lex)
    if count < 2 or (share >= _ENGLISH_SHARE and not _FOREIGN_LETTERS.search(text)):
        return FINE
    if share >= 0.85:  # a name with an accent in an English sentence
        return FINE
    lang, probability = sense.language(text)
    if lang == "en" or probability < _OTHER_LANGUAGE:
        return FINE
    return Shape("not_english", f"reads as '{lang}'", probability)


def _longest_run(texts: Sequence[str], lex: Lexicon) -> tuple[int, int]:
    """(longest run of content words, fillers such as 'yes'/'maybe' inside the sentence)."""
    best = run = fillers = 0
    for k, t in enumerate(texts):
        if t in _FILLERS_INSIDE and 0 < k < len(texts) - 1 and texts[k + 1] not in _FILLER_USED:
            fillers += 1  # neither grammar nor content: the run goes on across it
            continue
        if t in lex.stopwords or t in lex.aux or t in lex.negations or not t[:1].isalnum():
            run = 0
        else:
            run += 1
            best = max(best, run)
    return best, fillers


def length(sentences: Sequence[Sequence[str]], lex: Lexicon) -> Shape:
    """`too_long` for a ramble, or for words that do not make a sentence."""
    words = sum(len(s) for s in sentences)
    if words > MAX_WORDS or (len(sentences) > MAX_SENTENCES and words > _RAMBLE_WORDS):
        return Shape("too_long", f"{words} words in {len(sentences)} sentences", 0.95)
    for texts in sentences:
        run, fillers = _longest_run(texts, lex)
        if run >= _SALAD_RUN or (fillers and run >= _SALAD_RUN_WITH_FILLER):
            return Shape("too_long", SALAD, 0.8)
    return FINE
