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
from functools import cache, lru_cache

from negodrill.core.coach import sense
from negodrill.core.coach.lexicon import Lexicon, PhraseSet, lexicon, load_json
from negodrill.core.coach.text import Word

Spans = list[tuple[int, int]]

# After a modal, the main verb of "Would X [while/if …] be a problem?" in its bare form.
_BARE_PREDICATES = frozenset(
    {"be", "leave", "put", "mean", "cause", "create", "throw", "blow", "make", "present", "push",
     "pose", "land", "set", "cost", "hurt", "break", "get", "go", "take", "eat", "cut", "upset"}
)
_MODALS = frozenset({"would", "could", "will", "might", "can", "should", "may"})
_PERFECT = frozenset({"has", "have", "had"})
_REQUESTERS = frozenset({"you", "i", "we"})
_ADVERBS = frozenset({"still", "even", "ever", "also", "just", "perhaps", "maybe", "then", "now"})
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
    capacity: PhraseSet
    done_for_us: PhraseSet
    reason_markers: PhraseSet
    failings: PhraseSet


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
        capacity=phrases("capacity"),
        done_for_us=phrases("done_for_us"),
        reason_markers=phrases("reason_markers"),
        failings=phrases("failings"),
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
    if hi - lo >= 3 and texts[lo] in _MODALS and texts[lo + 1] in _REQUESTERS:
        k = lo + 2
        while k < hi - 1 and (texts[k].endswith("ly") or texts[k] in _ADVERBS):
            k += 1  # "Could I possibly get …", "Would you still be …"
        verb = texts[k]
        if verb not in _BE and verb not in lex.aux and verb not in lex.negations:
            return k, True
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
        for a, b in phrases.find(texts, start, hi):
            if request and a != start:
                continue  # "Would you lose out …" counts, "Can we get a short extension" not
            if not _is_ask(texts, (a, b), ask) and not _negated(texts, a, lo):
                found.append((a, b))
        if found:
            return found, family
    window = texts[lo:hi]
    already = "already" in window
    elsewhere = m.elsewhere.find(texts, lo, hi)
    done = already or any(t in _ALREADY for t in window) or texts[lo] in _PERFECT or bool(
        elsewhere)
    if done:
        for a, b in m.finished.find(texts, lo + 1, hi):
            if not _is_ask(texts, (a, b), ask):
                found.append((a, b))
        if found:
            return found, "finished"
    past = texts[lo] in _PERFECT or texts[lo] == "did"
    if (already or (elsewhere and past)) and not request and not _for_us(texts, lo, hi, m):
        # "Are the marks already with the registrar?", "Did another event beat us to it?":
        # whether the window has closed, unless it asks whether the ask itself was done.
        verbs = action_words(ask)
        if not any(texts[k] not in lex.stopwords and (
                texts[k] in verbs or any(x in verbs for x in sense.lemmas(texts[k])))
                for k in range(lo + 1, hi)):
            cue = next(k for k in range(lo, hi) if texts[k] == "already" or any(
                a <= k < b for a, b in elsewhere))
            return [(cue, cue + 1)], "finished"
    for k in range(start, end):
        if _misspelt_negative(texts[k]):  # "unreasonble", "ridiculus"
            return [(k, k + 1)], "burden"
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


def label_cues(texts: Sequence[str], ask: frozenset[str], lex: Lexicon) -> tuple[Spans, str]:
    """What in a label body names the unwanted reading of the ask, and which family: a burden
    or a rule that cannot move, the outcome already gone elsewhere, an obstacle on their side
    ("you're slammed"), or a word rated negative ("the worst possible night")."""
    m = meaning_lexicon()
    n = len(texts)

    def kept(spans: Spans) -> Spans:
        return [s for s in spans if not _is_ask(texts, s, ask) and not _negated(texts, s[0], 0)]

    for phrases, family in ((m.burden, "burden"), (m.rigid, "rigid")):
        found = kept(phrases.find(texts, 0, n))
        if found:
            return found, family
    if any(t in _ALREADY for t in texts) or m.elsewhere.find(texts, 0, n):
        found = kept(m.finished.find(texts, 0, n))
        if found:
            return found, "finished"
    found = kept(m.obstacles.find(texts, 0, n))
    if found:
        return found, "obstacle"
    found = kept([(k, k + 1) for k, t in enumerate(texts)
                  if t.isalpha() and t not in lex.stopwords and sense.valence(t) <= sense.NEGATIVE])
    return found, "valence" if found else ""


def wanted_cues(texts: Sequence[str], ask: frozenset[str], lex: Lexicon) -> Spans:
    """Where a label body grants the ask: able or willing to ("room in the budget"), already
    done for the asker ("you've already sorted my deposit"), or warmly about it ("you'll
    happily refund"). (Sharing the ask's words is not enough: "holding the deposit back".)"""
    m = meaning_lexicon()
    n = len(texts)
    found = m.capacity.find(texts, 0, n) + m.done_for_us.find(texts, 0, n)
    found = [s for s in found if not _negated(texts, s[0], 0)]
    if found:
        return found
    shared = [k for k, t in enumerate(texts) if t.isalpha() and t not in lex.stopwords
              and len(t) > 2 and (t in ask or any(x in ask for x in sense.lemmas(t)))]
    warm = [k for k, t in enumerate(texts) if sense.valence(t) >= POSITIVE_LABEL]
    if warm and shared:
        return [(warm[0], warm[0] + 1)]
    return []


POSITIVE_LABEL = 1.2  # "agree" (1.5), "happily" (2.0): the counterpart glad to give the ask


def obstacle_words(texts: Sequence[str]) -> set[int]:
    """Positions of the words of obstacle phrases ("busy", "snowed under")."""
    return {k for a, b in meaning_lexicon().obstacles.find(texts, 0, len(texts))
            for k in range(a, b)}


def topic_words(texts: Sequence[str], lex: Lexicon) -> list[str]:
    """A label body's words without the ones every obstacle shares ("week", "team") and the
    obstacle itself ("chockers", "swamped"): what is left says what the label is about."""
    m = meaning_lexicon()
    cue = obstacle_words(texts)
    return [t for k, t in enumerate(texts) if t not in m.schedule_words and k not in cue]


@cache
def _negative_words() -> tuple[str, ...]:
    m = meaning_lexicon()
    words = lexicon().unwanted.words | m.burden.words | m.rigid.words
    return tuple(sorted(w for w in words if len(w) >= 6))


@lru_cache(maxsize=4096)
def _misspelt_negative(word: str) -> bool:
    """A word the dictionary does not know, one typo away from a listed negative word."""
    from negodrill.core.coach.reading import distance_one

    if len(word) < 6 or not word.isalpha() or sense.known_english(word):
        return False
    return any(distance_one(word, w) for w in _negative_words())


def willing_before(texts: Sequence[str], k: int) -> bool:
    """A phrase of willingness ("fine with", "happy to") before word k, which is its object."""
    return any(b <= k for _, b in meaning_lexicon().capacity.find(texts, 0, k))


_GENERIC_VERBS = frozenset({"have", "get", "be", "do", "make", "take", "give", "let", "go", "put",
                            "keep", "come", "see", "talk", "ask", "help"})


def ask_action(ask: Sequence[str], lex: Lexicon) -> frozenset[str]:
    """The lemmas of the verb the ask asks for, after "can you / could we / may I" ("refund",
    "send"); none when it is a generic one ("have", "give": the action is in the object)."""
    words = [w for w in ask if w[:1].isalnum()]
    k = 0
    while k < len(words) and (words[k] in lex.aux or words[k] in _REQUESTERS
                              or words[k] in {"please", "possibly", "just", "maybe"}):
        k += 1
    if k >= len(words) or words[k] in lex.stopwords or words[k] in _GENERIC_VERBS:
        return frozenset()
    return frozenset({words[k], *sense.lemmas(words[k])})


def granted(texts: Sequence[str], action: frozenset[str]) -> Spans:
    """Where a label body gives the ask: able or willing to ("space for one more"), done already
    for the asker ("on its way"), or the counterpart doing the ask's own action ("you refund
    faulty goods"); never when it went elsewhere ("already sent it to someone else")."""
    m = meaning_lexicon()
    n = len(texts)
    if m.elsewhere.find(texts, 0, n):
        return []
    found = [s for s in m.capacity.find(texts, 0, n) + m.done_for_us.find(texts, 0, n)
             if not _negated(texts, s[0], 0)]
    if found:
        return found
    if any(t in _ALREADY for t in texts):
        return []  # "you've already restarted it a dozen times": done, so no need to ask
    for k, t in enumerate(texts):
        does = t in action or any(x in action for x in sense.lemmas(t))
        if does and "you" in texts[max(0, k - 4):k] and not _negated(texts, k, 0):
            return [(k, k + 1)]
    return []


def unknown_words(words: Sequence[Word], lo: int, hi: int, lex: Lexicon) -> list[int]:
    """In a closed question that is not a request, positions of lowercase words after the
    auxiliary that neither the dictionary, VADER nor the coach's lists know (names are
    capitalised; numbers, days and grammar words are known)."""
    from negodrill.core.coach.topic import known_word

    texts = [w.text for w in words]
    if predicate_start(texts, lo - 1, hi, lex)[1]:
        return []
    return [k for k in range(lo, min(hi, len(words)))
            if words[k].text.isalpha() and not words[k].cap and len(words[k].text) > 3
            and not known_word(words[k].text, lex) and not sense.known_english(words[k].text)]


def _for_us(texts: Sequence[str], lo: int, hi: int, m: MeaningLexicon) -> bool:
    """Done for the asker: "Has my refund already gone through?"."""
    return bool(m.done_for_us.find(texts, lo, hi)) and any(
        t in {"my", "our", "me", "us", "mine", "ours"} for t in texts[lo:hi])


def action_words(ask: frozenset[str]) -> frozenset[str]:
    """The ask's words that can be verbs (the dictionary knows them as one)."""
    from lemminflect import getAllLemmas

    return frozenset(w for w in ask if "VERB" in getAllLemmas(w))


def describes_their_rule(texts: Sequence[str], a: int, b: int) -> bool:
    """Is texts[a:b] part of a phrase that describes a rule ("kept for the locals no matter
    what"), not pressure from the speaker?"""
    return any(x <= a and b <= y for x, y in meaning_lexicon().rigid.find(texts, 0, len(texts)))


def names_a_cost(texts: Sequence[str], lo: int, hi: int) -> bool:
    """A burden or a rule in texts[lo:hi]: a reason on their side, whatever else it names."""
    m = meaning_lexicon()
    return bool(m.burden.find(texts, lo, hi) or m.rigid.find(texts, lo, hi))
