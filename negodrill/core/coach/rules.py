"""The classifier: TECHNIQUES.md §3 as code, over normalised words.

Order matters and mirrors the design: label forms first (they may end in "?"), then tag
questions, then the head clause (proposal, how/what, why/when/who, negative auxiliary,
auxiliary + subject with unwanted-outcome counting), then elliptical "?", then statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from negodrill.core.coach.lexicon import Lexicon, PhraseSet, lexicon
from negodrill.core.coach.text import Clause, Sentence, Word, segment, tokenise
from negodrill.core.coach.topic import keeps_topic

YES, NO, MISLABEL, LABEL, CALIBRATED, OTHER = (
    "yes_seeking",
    "no_oriented",
    "mislabel",
    "label",
    "calibrated",
    "other",
)
_PUNCT = frozenset("?!.,;:")
_QUALIFIERS = frozenset({"but", "though", "however", "yet", "although"})
_PREP_WH = frozenset({"in", "to", "by", "for", "from", "with", "at", "on", "of"})
_LABEL_SUBJECTS = frozenset({"it", "this", "that", "everything", "things", "there"})
_WHY_YOU_VERBS = frozenset(
    {"want", "like", "trust", "care", "think", "believe", "agree", "know", "answer", "listen"}
)
_ANYMORE = frozenset({"anymore", "longer"})


@dataclass
class Verdict:
    """What the rules found; the public Assessment is built from this."""

    label: str = OTHER
    flaws: set[str] = field(default_factory=set)
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    kind: str = ""  # for feedback: "empty", "statement", "question", "label", "other_question"
    word_count: int = 0

    def mark(self, words: Sequence[Word], i: int, j: int, reason: str) -> None:
        if 0 <= i < j <= len(words):
            self.spans.append((words[i].start, words[j - 1].end, reason))


@dataclass(frozen=True)
class LabelForm:
    kind: str  # "it", "you", "i_strong", "i_weak"
    body_start: int
    negated: bool


# ----------------------------------------------------------------------------------- counting
def _find(phrases: PhraseSet, texts: Sequence[str], lo: int, hi: int) -> list[tuple[int, int]]:
    return phrases.find(texts, lo, hi)


def _unwanted(texts: Sequence[str], lo: int, hi: int, lex: Lexicon) -> list[tuple[int, int]]:
    """Unwanted-outcome phrases in texts[lo:hi] ('bad time', 'given up', 'too much', ...)."""
    blocked: set[int] = set()
    for a, b in _find(lex.unwanted_exclude, texts, lo, hi):
        blocked.update(range(a, b))
    found: list[tuple[int, int]] = []
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


def _negations(
    texts: Sequence[str], lo: int, hi: int, inside: list[tuple[int, int]], lex: Lexicon
) -> list[int]:
    covered = {k for a, b in inside for k in range(a, b)}
    return [k for k in range(lo, hi) if texts[k] in lex.negations and k not in covered]


def _head_end(texts: Sequence[str], lo: int, lex: Lexicon) -> int:
    """The head clause stops at a clause breaker ('if', 'because', ...) after its first words."""
    for k in range(lo + 2, len(texts)):
        if lex.clause_breakers.match_at(texts, k):
            return k
    return len(texts)


def _judge_closed(v: Verdict, words: Sequence[Word], lo: int, hi: int, lex: Lexicon) -> None:
    """Count unwanted-outcome words U and plain negations N in a closed question."""
    texts = [w.text for w in words]
    found = _unwanted(texts, lo, hi, lex)
    negs = _negations(texts, lo, hi, found, lex)
    if negs and any(texts[k] in _ANYMORE for k in range(lo, hi)):
        # "Is this not a priority any longer?" asks whether they dropped it: one idea, not two.
        negs = negs[1:]
        found.append((lo, lo))
    for a, b in found:
        v.mark(words, a, b, "unwanted outcome: 'no' is the answer you want")
    for k in negs:
        v.mark(words, k, k + 1, "negation")
    near_positive = any(
        texts[j] in lex.positives for k in negs for j in range(k + 1, min(k + 4, hi))
    )
    if found:
        v.label = NO
        if negs:
            v.flaws.add("double_negative")
    elif negs and near_positive:
        v.label = NO
        v.flaws.add("double_negative")
    else:
        v.label = YES
        v.flaws.add("still_yes_seeking")


# ----------------------------------------------------------------------------------- forms
def _label_form(clause: Clause, lex: Lexicon) -> LabelForm | None:
    t = clause.texts
    if not t:
        return None
    if t[:3] == ["it", "is", "as"] and len(t) > 4 and t[3] in {"if", "though"}:
        return LabelForm("it", 4, False)  # "It's as if the team has checked out."
    i, kind, negated = 0, "it", False
    if t[0] in _LABEL_SUBJECTS:
        i = 1
    elif t[0] == "you":
        i, kind = 1, "you"
    if i and t[i : i + 2] in (["does", "not"], ["did", "not"], ["do", "not"]):
        negated, i = True, i + 2
    for _ in range(2):
        i += lex.label_adverbs.match_at(t, i)
    if i < len(t) and t[i] in lex.label_verbs and (i > 0 or t[i].endswith("s")):
        i += 1
        reply = lex.reply_adjectives.match_at(t, i)
        if reply and len(t) - (i + reply) <= 2:
            return None  # "Sounds good", "Sounds like a plan": a reply, not a label
        i += lex.label_connectors.match_at(t, i)
        body = t[i:]
        if not body:
            return None
        if any(w in lex.impersonal for w in body) and "you" not in body and "your" not in body:
            return None  # "It looks like rain"
        return LabelForm(kind, i, negated)
    return _i_opener(t, lex)


def _i_opener(t: Sequence[str], lex: Lexicon) -> LabelForm | None:
    """'I sense…', 'I feel like you…': label-ish, but centred on the speaker."""
    strong = lex.i_openers_strong.match_at(t, 0)
    weak = 0 if strong else lex.i_openers_weak.match_at(t, 0)
    size = strong or weak
    if not size:
        return None
    if size < len(t) and t[size] in {"that", "like"}:
        size += 1
    body = t[size:]
    if len(body) < 2 or body[0] in {"i", "we"}:
        return None
    if strong:
        return LabelForm("i_strong", size, False)
    about_you = body[0] in {"you", "your"} and not _find(lex.i_body_forbidden, body, 0, len(body))
    if about_you or any(w in lex.emotions for w in body):
        return LabelForm("i_weak", size, False)
    return None


def _tag(sentence: Sentence, lex: Lexicon) -> Clause | None:
    """', right?' / ', isn't it?' / ', won't you?' at the end of a sentence."""
    if sentence.end not in {"?", ""} or len(sentence.clauses) < 2:
        return None
    last = sentence.clauses[-1]
    t = last.texts
    if lex.tag_words.match_at(t, 0) == len(t):
        return last
    pronoun_tag = len(t) == 2 or (len(t) == 3 and t[1] == "not")
    if pronoun_tag and t[0] in lex.aux and t[-1] in lex.tag_pronouns:
        return last
    return None


def _head(clause: Clause, sentence: Sentence, lex: Lexicon) -> tuple[str, int]:
    """(kind, words used by the opener) of a clause that can head a question, or ("", 0)."""
    t = clause.texts
    words = clause.words
    if not t:
        return "", 0
    size = lex.proposals.match_at(t, 0)
    if size and t[:2] == ["let", "us"] and sentence.end != "?":
        size = 0  # "Let's circle back on Monday." is an announcement, not a question
    if size:
        if t[:2] == ["what", "about"] and len(t) > 3 and t[2] in lex.calibrated_what_about:
            return "calibrated", 2
        if t[0] == "why" and len(t) > size and t[size] in _WHY_YOU_VERBS:
            return "why", 1
        return "proposal", size
    exclaim = sentence.end == "!"
    if len(t) > 1 and t[0] in _PREP_WH and t[1] in lex.wh_calibrated and not exclaim:
        return "calibrated", 2
    if t[:2] == ["how", "come"]:
        return "why", 2
    if t[0] in lex.wh_calibrated and not exclaim:
        return "calibrated", 1
    if t[0] in lex.wh_other and not exclaim:
        return ("why" if t[0] == "why" else "wh_other"), 1
    if t[0] in lex.aux and len(t) > 1:
        asked = sentence.end == "?"
        if t[1] == "not" and len(t) > 2 and (t[2] in lex.subjects or words[2].cap or asked):
            return "neg_aux", 3
        if t[1] in lex.subjects or words[1].cap or t[1].isdigit() or (asked and t[1] != "not"):
            return "aux", 1
    size = lex.i_request_openers.match_at(t, 0)
    if size:
        return "request", size
    return "", 0


def _is_preamble(clause: Clause, index: int, sentence: Sentence, lex: Lexicon) -> bool:
    """'When you have a minute, …' or 'If that works, …' before the real question."""
    return index < len(sentence.clauses) - 1 and bool(lex.subordinators.match_at(clause.texts, 0))


# ----------------------------------------------------------------------------------- paths
def _question(kind: str, size: int, clause: Clause, lex: Lexicon) -> Verdict:
    v = Verdict(kind="question")
    words = clause.words
    if kind == "proposal":
        v.label = YES
        v.flaws.add("still_yes_seeking")
        v.mark(words, 0, size, "proposal: asks them to agree")
    elif kind == "calibrated":
        v.label = CALIBRATED
        v.flaws.add("calibrated_not_target")
        v.mark(words, 0, size, "open how/what question")
    elif kind in ("why", "wh_other"):
        v.label, v.kind = OTHER, "other_question"
        if kind == "why":
            v.flaws.add("why_question")
            v.mark(words, 0, size, "'why' puts them on the defensive")
        else:
            v.mark(words, 0, size, "open who/when/where question")
    elif kind == "neg_aux":
        v.label = YES
        v.flaws.add("leading_question")
        v.mark(words, 0, 3, "negative auxiliary: presumes a yes")
        texts = clause.texts
        found = _unwanted(texts, 3, _head_end(texts, 3, lex), lex)
        if found:
            v.flaws.add("double_negative")
            for a, b in found:
                v.mark(words, a, b, "negative word inside a leading question")
    else:  # "aux" or "request": a closed question
        texts = clause.texts
        v.mark(words, 0, size if kind == "request" else 2, "closed question")
        _judge_closed(v, words, 0, _head_end(texts, size, lex), lex)
    return v


def _find_head(
    sentences: Sequence[Sentence], si: int, ci: int, lex: Lexicon
) -> tuple[Verdict, Clause] | None:
    """The first question head at or after clause ci of sentence si."""
    for s in range(si, len(sentences)):
        sentence = sentences[s]
        tag = _tag(sentence, lex)
        start = ci if s == si else 0
        for c in range(start, len(sentence.clauses)):
            clause = sentence.clauses[c]
            if clause is tag:
                break
            if _is_preamble(clause, c, sentence, lex):
                continue
            kind, size = _head(clause, sentence, lex)
            if kind:
                return _question(kind, size, clause, lex), clause
    return None


def _label_path(
    sentences: Sequence[Sentence],
    si: int,
    ci: int,
    form: LabelForm,
    ask_vocab: frozenset[str] | None,
    lex: Lexicon,
) -> Verdict:
    sentence = sentences[si]
    clause = sentence.clauses[ci]
    v = Verdict(kind="label")
    words = clause.words
    v.mark(words, 0, form.body_start, "label opener")
    if form.kind.startswith("i_"):
        v.flaws.add("starts_with_I")
        v.mark(words, 0, 1, "starts with 'I'")
    # A question after the label: a no-oriented one carries the turn, anything else cancels it.
    following = _find_head(sentences, si, ci + 1, lex)
    if following is not None:
        question, qclause = following
        if question.label == NO:
            return question
        if question.label == YES:
            question.flaws.add("label_plus_question")
            question.spans.extend(v.spans)
            return question
        v.flaws.add("label_plus_question")
        v.mark(qclause.words, 0, len(qclause.words), "question after the label")
    # The body: the rest of the sentence up to a "but …" qualifier.
    body: list[Word] = list(words[form.body_start :])
    for later in sentence.clauses[ci + 1 :]:
        if later.lead in _QUALIFIERS:
            v.flaws.add("qualified_label")
            v.mark(later.words, 0, min(3, len(later.words)), "'but' takes the label back")
            break
        body.extend(later.words)
    for k, w in enumerate(body):
        if w.text in {"but", "however"} and k > 0:
            v.flaws.add("qualified_label")
            v.mark(body, k, k + 1, "'but' takes the label back")
            body = body[:k]
            break
    if si + 1 < len(sentences) and sentences[si + 1].clauses[0].lead in {"but", "however"}:
        v.flaws.add("qualified_label")
    if ask_vocab is None:
        v.label = LABEL
        return v
    texts = [w.text for w in body]
    cues = (
        _unwanted(texts, 0, len(texts), lex)
        + _find(lex.status_quo, texts, 0, len(texts))
        + _find(lex.accusatory, texts, 0, len(texts))
        + [(k, k + 1) for k, t in enumerate(texts) if t in lex.negations]
    )
    # The ask's own words are not evidence of an unwanted reading ("late" in "stay late?").
    cues = [(a, b) for a, b in cues if not all(t in ask_vocab for t in texts[a:b])]
    if cues or form.negated:
        v.label = MISLABEL
        for a, b in cues:
            v.mark(body, a, b, "names the unwanted reading")
    else:
        v.label = LABEL
        v.flaws.add("labels_wanted_outcome")
    return v


def _decide(
    sentences: Sequence[Sentence], ask_vocab: frozenset[str] | None, lex: Lexicon
) -> Verdict:
    for si, sentence in enumerate(sentences):
        tag = _tag(sentence, lex)
        if tag is not None:
            v = Verdict(label=YES, kind="question")
            v.flaws.update(("leading_question",))
            v.mark(tag.words, 0, len(tag.words), "tag question: presumes a yes")
            return v
        for ci, clause in enumerate(sentence.clauses):
            form = _label_form(clause, lex)
            if form is not None:
                return _label_path(sentences, si, ci, form, ask_vocab, lex)
            if _is_preamble(clause, ci, sentence, lex):
                continue
            kind, size = _head(clause, sentence, lex)
            if kind:
                return _question(kind, size, clause, lex)
    for sentence in sentences:
        if sentence.end == "?":  # elliptical: "Bad time?", "Deal?", "So you're ready?"
            v = Verdict(kind="question")
            words = sentence.words
            _judge_closed(v, words, 0, len(words), lex)
            return v
    v = Verdict(kind="statement")
    v.flaws.add("statement_not_question")
    return v


def _phrase_flaw(
    v: Verdict, words: Sequence[Word], phrases: PhraseSet, code: str, skip: set[str], reason: str
) -> None:
    texts = [w.text for w in words]
    for a, b in phrases.find(texts):
        if " ".join(texts[a:b]) not in skip:
            v.flaws.add(code)
            v.mark(words, a, b, reason)


@lru_cache(maxsize=256)
def _ask_words(ask: str) -> tuple[str, ...]:
    """A drill's ask is judged against every keystroke of a rewrite: normalise it once."""
    return tuple(w.text for w in tokenise(ask, lexicon()) if w.text not in _PUNCT)


def judge(text: str, ask: str | None = None) -> Verdict:
    """Classify one rewrite; `ask` (the original yes-seeking question) enables mislabel checks."""
    lex = lexicon()
    tokens = tokenise(text, lex)
    sentences = segment(tokens, lex)
    if not sentences:
        return Verdict(kind="empty")
    ask_words = _ask_words(ask) if ask else ()
    v = _decide(sentences, frozenset(ask_words) if ask and ask.strip() else None, lex)
    # Pressure and blame are judged on everything typed, fillers included ("Just sign it").
    words = [w for w in tokens if w.text not in _PUNCT]
    v.word_count = len({(w.start, w.end) for w in words})
    ask_phrases = {" ".join(ask_words[a:b]) for a, b in lex.pushy.find(ask_words)}
    _phrase_flaw(v, words, lex.pushy, "pushy", ask_phrases, "pressure")
    _phrase_flaw(v, words, lex.accusatory, "accusatory", set(), "judges the person")
    if ask_words and v.label in (NO, MISLABEL):
        texts = [w.text for w in words]
        lenient = bool(lex.alternative_cues.find(texts))
        if not lenient and not keeps_topic(texts, ask_words, lex):
            v.flaws.add("changes_the_ask")
    return v
