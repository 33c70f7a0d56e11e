"""The rest of the answer: what the learner says after the move, or as an "or …" alternative.

A no-oriented question followed by "If not, I'm cancelling the whole order." is an ultimatum, and
one followed by "or are you busy polishing your trophies?" is mockery: the move is the whole
answer, so every sentence is judged. A trailing sentence is

* pushy when it turns the speaker's next step into pressure: a threat marker ("otherwise",
  "either way", "just so you know"), or a step of the speaker's ("I'll", "it goes to") together
  with a condition, a deadline or an escalation ("lawyer", "LinkedIn", "late fees");
* accusatory when it mocks or guilt-trips ("Nice of you to…", "considering I covered for
  you…", "would it kill you"), or says something rated negative in VADER's lexicon about the
  counterpart ("the brief you gave us was a mess").
"""

from __future__ import annotations

from collections.abc import Sequence

from negodrill.core.coach import sense
from negodrill.core.coach.lexicon import Lexicon
from negodrill.core.coach.meaning import meaning_lexicon

Spans = list[tuple[int, int, str]]  # (start, end, reason) in the clause's words

_YOU = frozenset({"you", "your", "yours", "yourself", "yourselves"})
_CONDITIONS = frozenset({"if", "unless", "otherwise", "or", "until", "till", "because"})
_BLAME = -1.4  # a word rated this negative, said about them, judges them
_YES_OR_NO = ("yes", "or", "no")
_REGARDLESS = frozenset({"anyway", "regardless", "anyhow"})


def pushy(texts: Sequence[str], *, trailing: bool) -> Spans:
    """Pressure in `texts`: always for threat markers, and for a step of the speaker's only in a
    trailing sentence (the move itself may say "I'll bring the forms")."""
    m = meaning_lexicon()
    n = len(texts)
    out: Spans = [(a, b, "an ultimatum: it takes away their 'no'")
                  for a, b in m.threat_markers.find(texts, 0, n)
                  if trailing or texts[a] != "if"]  # "If it's only ten minutes, would…"
    out += [(a, b, "you will do it anyway: their answer no longer matters")
            for a, b in m.steps_either_way.find(texts, 0, n)]
    if tuple(texts[:3]) == _YES_OR_NO and n == 3:
        out.append((0, 3, "demands an answer"))
    if not trailing or out:
        return out
    escalations = m.escalation.find(texts, 0, n)  # "Our lawyer says we'd win in court."
    steps = m.speaker_steps.find(texts, 0, n)
    if not steps and not escalations:
        return out
    condition = any(t in _CONDITIONS for t in texts)
    if steps and any(t in _REGARDLESS for t in texts):  # "We're coming in anyway."
        a, b = steps[0]
        return [(a, b, "you will do it anyway: their answer no longer matters")]
    times = m.pressure_times.find(texts, 0, n) if steps else []
    if escalations or (condition and steps) or times:
        a, b = (escalations or times or steps)[0]
        out.append((a, b, "a threat: what you will do if they say no"))
    return out


def accusatory(texts: Sequence[str], lex: Lexicon, *, trailing: bool) -> Spans:
    """Mockery, guilt or blame in `texts`."""
    m = meaning_lexicon()
    n = len(texts)
    out: Spans = []
    for phrases, reason in ((m.sarcasm_openers, "sarcasm: it mocks them"),
                            (m.guilt_markers, "a guilt trip: it keeps score"),
                            (m.mockery, "mockery: it judges them")):
        out += [(a, b, reason) for a, b in phrases.find(texts, 0, n)]
    out += _blaming_reason(texts)
    if not trailing:
        return out
    if any(t in _YOU for t in texts):
        for k, t in enumerate(texts):
            negated = any(texts[j] in lex.negations for j in range(max(0, k - 3), k))
            word = t.isalpha() and t not in lex.stopwords
            if word and not negated and sense.valence(t) <= _BLAME:
                out.append((k, k + 1, "blames them"))
                break
    return out


def mocking_alternative(texts: Sequence[str]) -> Spans:
    """'…, or are you busy polishing your trophies?': an alternative about the person, not an
    alternative offer ('or would Wednesday suit you better?')."""
    m = meaning_lexicon()
    n = len(texts)
    if not texts or texts[0] != "or" or m.not_mockery.match_at(texts, 0):
        return []
    if any(t in m.alternative_words for t in texts):
        return []
    if any(t in _YOU or t in {"we", "i"} for t in texts):
        return [(0, n, "mockery: the alternative judges them")]
    return []


def _blaming_reason(texts: Sequence[str]) -> Spans:
    """A reason that keeps score: "seeing as your tractor couldn't even make it", "considering
    you've missed three in a row", "after all the times I've dropped everything for you".
    A reason about the asker alone ("given that I fly on the 14th") is fine."""
    m = meaning_lexicon()
    n = len(texts)
    for a, b in m.reason_markers.find(texts, 0, n):
        rest = texts[b:]
        theirs = any(t in _YOU for t in rest) or any(
            t in {"he", "she", "his", "her", "they", "their"} for t in rest[:2])
        failing = m.failings.find(rest, 0, len(rest)) or [
            (k, k + 1) for k, t in enumerate(rest) if sense.valence(t) <= _BLAME]
        pairs = set(zip(rest, rest[1:], strict=False))
        favour = bool(pairs & {("for", "you"), ("with", "you")})
        mine = any(t in {"i", "we"} for t in rest)
        if (theirs and failing) or (favour and mine):
            return [(a, n, "it keeps score: their failing or your favours")]
    return []
