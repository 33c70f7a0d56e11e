"""Does a rewrite keep the original request? (the `changes_the_ask` check)

Deliberately lenient: a false alarm on a valid rewrite costs more than a miss, so a rewrite keeps
the ask when it shares ANY content stem or synonym group with it, or when it has no specific
content of its own ("Have you given up on this?", "Is now a bad time?").
"""

from __future__ import annotations

from collections.abc import Iterable

from negodrill.core.coach.lexicon import Lexicon

_MIN_PREFIX = 5
# (suffix, replacement, minimum word length), first match wins.
_INFLECTIONS = (
    ("ing", "", 5),
    ("ied", "y", 4),
    ("ies", "y", 4),
    ("ches", "ch", 4),
    ("shes", "sh", 4),
    ("sses", "ss", 4),
    ("xes", "x", 4),
    ("ed", "", 4),
    ("s", "", 3),
)


def stem(word: str) -> str:
    """A light suffix stripper: enough to match renew/renewal/renewing, not a real stemmer."""
    w = word.lower().replace("'", "")
    for suffix, replacement, min_len in _INFLECTIONS:
        if len(w) > min_len and w.endswith(suffix):
            if suffix != "s" or not w.endswith("ss"):
                w = w[: -len(suffix)] + replacement
            break
    for suffix in ("ment", "ship", "ation", "al"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    return w


def related_stem(a: str, b: str) -> bool:
    """Same stem, or one a prefix of the other (renew/renewal, licence/licensing)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and long_.startswith(short):
        return True
    return len(short) >= _MIN_PREFIX and long_[:_MIN_PREFIX] == short[:_MIN_PREFIX]


def content_stems(words: Iterable[str], lex: Lexicon) -> list[str]:
    return [
        stem(w)
        for w in words
        if w not in lex.stopwords and w not in lex.negations and (len(w) > 1 or w.isdigit())
    ]


def keeps_topic(rewrite: Iterable[str], ask: Iterable[str], lex: Lexicon) -> bool:
    """True unless the rewrite has specific content and none of it relates to the ask."""
    ask_stems = content_stems(ask, lex)
    if not ask_stems:
        return True
    ask_groups: set[int] = set()
    for s in ask_stems:
        ask_groups |= lex.synonyms.get(s, frozenset())
    specific = False
    for s in content_stems(rewrite, lex):
        if any(related_stem(s, a) for a in ask_stems):
            return True
        if lex.synonyms.get(s, frozenset()) & ask_groups:
            return True
        if s not in lex.generic:
            specific = True
    return not specific
