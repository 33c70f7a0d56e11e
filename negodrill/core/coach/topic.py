"""Does a rewrite keep the original request? (the `changes_the_ask` check)

Deliberately lenient: a false alarm on a valid rewrite costs more than a miss, so a rewrite keeps
the ask when it shares ANY content stem, lemma or synonym group with the ask or the drill's
situation, when both name a time ("Friday" for "this week", "the 14th" for "weekends") or an
amount of money ("the original £180" for "the bill"), or when it has no specific content of its
own ("Have you given up on this?", "Is now a bad time?").
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

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
    """Same stem, or one a prefix of the other (renew/renewal, licence/licensing), or one the
    other with a prefix (paint/repaint, load/unload)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and (long_.startswith(short) or long_.endswith(short)):
        return True
    return len(short) >= _MIN_PREFIX and long_[:_MIN_PREFIX] == short[:_MIN_PREFIX]


def content_stems(words: Iterable[str], lex: Lexicon) -> list[str]:
    return [
        stem(w)
        for w in words
        if w not in lex.stopwords and w not in lex.negations and (len(w) > 1 or w.isdigit())
    ]


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_TIME_WORDS = frozenset(
    {*_WEEKDAYS, *(d + "s" for d in _WEEKDAYS), *_MONTHS, "today", "tonight", "tomorrow",
     "yesterday", "week", "weeks", "weekend", "weekends", "weeknight", "weeknights", "morning",
     "mornings", "afternoon", "evening", "evenings", "night", "nights", "month", "months",
     "quarter", "year", "noon", "midday", "midnight", "am", "pm", "oclock", "deadline", "date",
     "day", "days", "fortnight", "hour", "hours", "minute", "minutes", "christmas", "easter",
     "holiday", "holidays", "summer", "winter", "spring", "autumn", "fall", "schedule", "slot"})
_NUMBER_WORDS = frozenset(
    {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
     "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "half",
     "halves", "double", "quarter"})
_MONEY_WORDS = frozenset(
    {"fee", "fees", "price", "prices", "cost", "costs", "bill", "bills", "invoice", "budget",
     "refund", "deposit", "pay", "paid", "payment", "rate", "rates", "rent", "discount", "charge",
     "money", "cash", "salary", "raise", "rise", "bonus", "percent", "quote", "split", "expense",
     "expenses", "fund", "funding", "free", "cheaper", "credit", "fiver", "tenner", "quid", "bucks",
     "grand", "pounds", "dollars", "euros"})
_CURRENCY = frozenset("$£€¥%")


def known_word(word: str, lex: Lexicon) -> bool:
    """A grammar word, a day, a month, a number word or a money word of the coach's lists."""
    return (word in lex.stopwords or word in lex.aux or word in lex.subjects
            or word in lex.negations or word in _TIME_WORDS or word in _NUMBER_WORDS
            or word in _MONEY_WORDS)


def _kinds(words: Iterable[str]) -> set[str]:
    """Which broad kinds of thing the words name: a time, a number, an amount of money."""
    kinds: set[str] = set()
    for w in words:
        bare = w.rstrip("s") if w.endswith(("ths", "nds", "rds", "sts")) else w
        if w in _TIME_WORDS or bare[:-2].isdigit() and bare[-2:] in {"st", "nd", "rd", "th"}:
            kinds.add("time")
        if w.isdigit() or w in _NUMBER_WORDS or any(c.isdigit() for c in w):
            kinds.add("number")
        if w in _MONEY_WORDS or any(c in _CURRENCY for c in w):
            kinds.add("money")
    return kinds


def keeps_topic(
    rewrite: Iterable[str], ask: Iterable[str], lex: Lexicon, situation: Iterable[str] = (), *,
    kinds: Collection[str] = ("time", "number", "money"),
) -> bool:
    """True unless the rewrite has specific content and none of it relates to the ask (or to
    the drill's situation, when there is one). Naming the same `kinds` of thing (a time, a
    number, an amount of money) on both sides is enough."""
    rewrite, ask, situation = list(rewrite), list(ask), list(situation)
    ask_stems = content_stems(ask, lex) + content_stems(situation, lex)
    if not ask_stems:
        return True
    if _kinds(rewrite) & (_kinds(ask) | _kinds(situation)) & set(kinds):
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
        if s not in lex.generic and not s.endswith("ly"):  # "absolutely" says nothing of topic
            specific = True
    return not specific
