"""What a closed question or a label says about the ask, beyond the technique's listed words.

The rule is semantic (TECHNIQUES.md §2.1): a question is no-oriented when a "no" gives the
asker what the ask wants. Any predicate that evaluates the ask negatively counts: a burden or a
loss ("leave you out of pocket"), an impossibility, a rule that cannot move ("set in stone",
"wedded to the Friday slot"), or the unwanted outcome having happened already ("Has the
committee already picked another venue?"). Words rated negative in VADER's lexicon count too,
as the predicate of the question, never as the object of a request ("Could you fix my broken
boiler?" still asks for a yes). Lemmas (lemminflect) keep the ask's own words out: "Have you
booked my flight?" for "Can you book my flight?" is the wanted outcome, not another one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache

from negodrill.core.coach import sense
from negodrill.core.coach.lexicon import Lexicon, PhraseSet, load_json

Spans = list[tuple[int, int]]

# After a modal, the main verb of "Would X [while/if …] be a problem?" in its bare form.
_BARE_PREDICATES = frozenset(
    {"be", "leave", "put", "mean", "cause", "create", "throw", "blow", "make", "present", "push",
     "pose", "land", "set", "cost", "hurt", "break", "get", "go", "take", "eat", "cut", "upset"}
)
_MODALS = frozenset({"would", "could", "will", "might", "can", "should", "may"})
_PERFECT = frozenset({"has", "have", "had"})
_BE = frozenset({"be", "is", "are", "was", "were", "am", "been"})
_ALREADY = frozenset({"already", "yet"})
_NEGATORS = frozenset({"not", "no", "never", "nothing", "without"})


@dataclass(frozen=True)
class MeaningLexicon:
    threat_markers: PhraseSet
    speaker_steps: PhraseSet
    pressure_times: PhraseSet
    escalation: PhraseSet
    steps_either_way: PhraseSet
    sarcasm_openers: PhraseSet
    guilt_markers: PhraseSet
    mockery: PhraseSet
    not_mockery: PhraseSet
    alternative_words: frozenset[str]
    rigid: PhraseSet
    burden: PhraseSet
    finished: PhraseSet
    elsewhere: PhraseSet
    obstacles: PhraseSet
    schedule_words: frozenset[str]


@cache
def meaning_lexicon() -> MeaningLexicon:
    data = load_json("meaning.json")

    def phrases(key: str) -> PhraseSet:
        return PhraseSet([str(p) for p in data[key]])

    return MeaningLexicon(
        threat_markers=phrases("threat_markers"),
        speaker_steps=phrases("speaker_steps"),
        pressure_times=phrases("pressure_times"),
        escalation=phrases("escalation"),
        steps_either_way=phrases("steps_either_way"),
        sarcasm_openers=phrases("sarcasm_openers"),
        guilt_markers=phrases("guilt_markers"),
        mockery=phrases("mockery"),
        not_mockery=phrases("not_mockery"),
        alternative_words=frozenset(str(w) for w in data["alternative_words"]),
        rigid=phrases("rigid"),
        burden=phrases("burden"),
        finished=phrases("finished"),
        elsewhere=phrases("elsewhere_words"),
        obstacles=phrases("obstacles"),
        schedule_words=frozenset(str(w) for w in data["schedule_words"]),
    )


def lemma_set(words: Collection[str], lex: Lexicon) -> frozenset[str]:
    """The lemmas of the content words (every dictionary lemma of each, and the word)."""
    out: set[str] = set()
    for w in words:
        if w in lex.stopwords or not w[:1].isalnum():
            continue
        out.add(w)
        out.update(sense.lemmas(w))
    return frozenset(out)


def _is_ask(texts: Sequence[str], span: tuple[int, int], ask: frozenset[str]) -> bool:
    """Every content word of the span is one of the ask's words or lemmas."""
    a, b = span
    content = [t for t in texts[a:b] if t.isalpha() and len(t) > 2]
    return bool(content) and all(t in ask or any(x in ask for x in sense.lemmas(t))
                                 for t in content)


def _negated(texts: Sequence[str], k: int, lo: int) -> bool:
    return any(texts[j] in _NEGATORS for j in range(max(lo, k - 3), k))


def predicate_start(texts: Sequence[str], lo: int, hi: int, lex: Lexicon) -> tuple[int, bool]:
    """(where the predicate starts, is this a request) for a closed question texts[lo:hi].

    "Could you fix …" / "Will you send …" is a request: only its verb can carry the meaning
    ("Would you mind …", "Would you lose …"), never its object. Otherwise ("Would that leave
    you …", "Is the fee …", "Are you wedded to …") everything after the auxiliary is the
    question's content.
    """
    if hi - lo >= 3 and texts[lo] in _MODALS and texts[lo + 1] == "you":
        verb = texts[lo + 2]
        if verb not in _BE and verb not in lex.aux and verb not in lex.negations:
            return lo + 2, True
    return lo + 1, False


def negative_cues(
    texts: Sequence[str], lo: int, hi: int, ask: frozenset[str], lex: Lexicon
) -> tuple[Spans, str]:
    """Spans in a closed question that evaluate the ask negatively, and which family decided
    ("burden", "rigid", "finished", "valence", or "" when none)."""
    m = meaning_lexicon()
    start, request = predicate_start(texts, lo, hi, lex)
    end = start + 1 if request else hi
    found: Spans = []
    for phrases, family in ((m.burden, "burden"), (m.rigid, "rigid")):
        for a, b in phrases.find(texts, start, end if not request else min(hi, start + 3)):
            if not _is_ask(texts, (a, b), ask) and not _negated(texts, a, lo):
                found.append((a, b))
        if found:
            return found, family
    window = texts[lo:hi]
    done = any(t in _ALREADY for t in window) or texts[lo] in _PERFECT or bool(
        m.elsewhere.find(texts, lo, hi))
    if done:
        for a, b in m.finished.find(texts, lo + 1, hi):
            if not _is_ask(texts, (a, b), ask):
                found.append((a, b))
        if found:
            return found, "finished"
    positive_after = [k for k in range(start, hi) if texts[k] in lex.positives
                      or sense.valence(texts[k]) >= sense.POSITIVE]
    for k in range(start, end):
        word = texts[k]
        if not word.isalpha() or word in lex.stopwords or _is_ask(texts, (k, k + 1), ask):
            continue
        negative = sense.valence(word) <= sense.NEGATIVE and not _negated(texts, k, lo)
        if negative and not any(p > k for p in positive_after):
            found.append((k, k + 1))
    return found, "valence" if found else ""


def main_predicate_after(texts: Sequence[str], cut: int, hi: int) -> int | None:
    """'Would a quick call [while you are on the train] be a problem?': where the main clause
    resumes after a subordinate clause, found as the first bare verb after the cut."""
    for k in range(cut + 1, hi):
        if texts[k] in _BARE_PREDICATES and texts[k - 1] not in {"to", "will", "would", "can"}:
            return k
    return None
