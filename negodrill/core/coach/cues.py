"""Counting cues in normalised words: unwanted outcomes, negations, and how they combine.

Shared by the question rules (rules.py) and the label reading (reading.py). Everything here is a
linear scan over word lists with dictionary/phrase look-ups, so it cannot backtrack.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from negodrill.core.coach.lexicon import Lexicon

Spans = list[tuple[int, int]]

# Words that may sit between a negation and the negative word it cancels: "no big deal",
# "not a problem", "don't see any issue", "nothing wrong", "not too much".
_BRIDGE = frozenset(
    {
        "a", "an", "any", "the", "that", "so", "such", "real", "much", "of", "at", "all",
        "really", "have", "has", "had", "see", "be", "been", "find", "foresee", "expect",
        "think", "it", "is", "too", "big", "huge", "major", "remotely",
    }
)  # fmt: skip
_UNTIL = frozenset({"until", "till", "til"})
_DEADLINES = (("right", "now"), ("today",), ("tonight",), ("this", "instant"))
_DEADLINE_WORDS = frozenset(w for phrase in _DEADLINES for w in phrase[-1:])
_HURRY = frozenset({"just", "simply"})
_RELATIVE = frozenset({"that", "which", "who"})
_PRICE_WORDS = frozenset({"charge", "cost", "extra", "fee", "added", "additional"})


def unwanted(texts: Sequence[str], lo: int, hi: int, lex: Lexicon) -> Spans:
    """Unwanted-outcome phrases in texts[lo:hi] ('bad time', 'given up', 'too much', ...)."""
    blocked: set[int] = set()
    for a, b in lex.unwanted_exclude.find(texts, lo, hi):
        blocked.update(range(a, b))
    found: Spans = []
    i = lo
    while i < hi:
        size = 0 if i in blocked else lex.unwanted.match_at(texts, i, hi)
        if not size and i not in blocked and _plural_of(texts[i], lex.unwanted.words):
            size = 1  # "problems", "hassles": the lexicon lists the singular
        # A bare "too" counts only when it modifies something ("too soon"), not "me too".
        if size == 1 and texts[i] == "too" and not _too_modifies(texts, i + 1, hi, lex):
            size = 0
        if size:
            found.append((i, i + size))
            i += size
        else:
            i += 1
    return found


def _too_modifies(texts: Sequence[str], k: int, hi: int, lex: Lexicon) -> bool:
    if k >= hi:
        return False
    return texts[k] not in lex.stopwords or texts[k] in {"much", "many", "far", "soon"}


def _plural_of(word: str, singles: frozenset[str]) -> bool:
    return len(word) > 3 and word.endswith("s") and (word[:-1] in singles or word[:-2] in singles)


def negations(
    texts: Sequence[str],
    lo: int,
    hi: int,
    inside: Spans,
    lex: Lexicon,
    ask_vocab: Collection[str] = (),
    *,
    in_question: bool = False,
) -> list[int]:
    """Plain negations in texts[lo:hi], outside unwanted phrases ("no longer", "rather not").

    A negation the ask itself uses ("without the receipt") is part of the request, not a
    second negative; "not … until" is a time limit, not a negation of the outcome.
    """
    covered = {k for a, b in inside for k in range(a, b)}
    out: list[int] = []
    for k in range(lo, hi):
        word = texts[k]
        if word not in lex.negations or k in covered or word in ask_vocab:
            continue
        if word in {"not", "never"} and any(t in _UNTIL for t in texts[k + 1 : min(k + 4, hi)]):
            continue
        if word == "no" and k + 1 < hi and texts[k + 1] in _PRICE_WORDS:
            continue  # "at no charge", "no extra cost": a price, not a negation
        if in_question and k >= 2 and texts[k - 2] in _RELATIVE and texts[k - 1] in lex.aux:
            continue  # "a pilot that does not touch your staff": describes a thing, not the ask
        out.append(k)
    return out


def cancelled_pairs(
    texts: Sequence[str], negs: list[int], found: Spans, lex: Lexicon
) -> tuple[list[int], Spans]:
    """Negations that cancel the burden word right after them ("no problem", "not against").

    Returns (negations left, unwanted spans left): a cancelled pair reads as a positive. Only
    burden/cost/objection words cancel: "hasn't bothered you" or "not worried" still describe
    the counterpart's (unwanted) indifference.
    """
    cancellable = lex.cancellable_negatives
    starts = {a: (a, b) for a, b in found if " ".join(texts[a:b]) in cancellable}
    kept_negs: list[int] = []
    used: set[tuple[int, int]] = set()
    for k in negs:
        match: tuple[int, int] | None = None
        j = k + 1
        while j < len(texts) and j - k <= 4:
            if j in starts and starts[j] not in used:
                match = starts[j]
                break
            if texts[j] not in _BRIDGE:
                break
            j += 1
        if match is None:
            kept_negs.append(k)
        else:
            used.add(match)
    return kept_negs, [span for span in found if span not in used]


def rushed(texts: Sequence[str], ask: Collection[str], question: bool, lex: Lexicon) -> Spans:
    """A deadline the ask did not set, pressed on the counterpart (the `pushy` flaw).

    "just … today" always presses. In a question with an ask, a deadline that closes the
    sentence right after the requested action ("against signing the contract right now?")
    presses too; one that qualifies the unwanted outcome ("a bad idea right now?", "the last
    thing you need right now?") only places the question in time.
    """
    n = len(texts)
    out: Spans = []
    if not any(t in _DEADLINE_WORDS for t in texts):
        return out
    ends = {b for a, b in unwanted(texts, 0, n, lex)}
    for k in range(n):
        for phrase in _DEADLINES:
            b = k + len(phrase)
            if tuple(texts[k:b]) != phrase or any(w in ask for w in phrase):
                continue
            if any(t in _HURRY for t in texts[:k]):
                out.append((k, b))
            elif question and ask and b == n and k > 0 and k not in ends:
                before = texts[k - 1]
                if before not in lex.generic and before not in lex.stopwords:
                    out.append((k, b))
    return out
