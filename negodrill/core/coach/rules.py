"""The classifier: TECHNIQUES.md §3 as code, over normalised words.

Order matters and mirrors the design: label forms first (they may end in "?"), then tag
questions, then the head clause (proposal, how/what, why/when/who, negative auxiliary,
auxiliary + subject with unwanted-outcome counting), then elliptical "?", then statements.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from negodrill.core.coach import meaning, shape, tail
from negodrill.core.coach.cues import negations, rushed, unwanted
from negodrill.core.coach.label_body import read_body
from negodrill.core.coach.lexicon import Lexicon, PhraseSet, lexicon
from negodrill.core.coach.reading import (
    fix_aux,
    not_the_ask,
)
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
_PHRASES_OF_THEIR_RULE = (("non-negotiable",), ("non", "negotiable"), ("final", "offer"),
                          ("no", "later", "than"), ("to", "collections"))
_SEMANTIC_REASONS = {
    "burden": "a cost or burden for them: 'no' is the answer you want",
    "rigid": "asks whether it cannot move: 'no' is the answer you want",
    "finished": "asks whether the unwanted outcome already happened",
    "valence": "a negative word about the ask: 'no' is the answer you want",
}
# "would lending us the baler be too much": a gerund subject after a modal is still a question.
_GERUND_AUX = frozenset({"would", "could", "will", "is", "was", "does", "did", "might"})
# Auxiliaries that open a question even without a "?" (not "can"/"could": "could be worse").
_UNMARKED_AUX = frozenset({"would", "is", "are", "was", "were", "has", "have", "does", "did"})


@dataclass
class Verdict:
    """What the rules found; the public Assessment is built from this."""

    label: str = OTHER
    flaws: set[str] = field(default_factory=set)
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    kind: str = ""  # for feedback: "empty", "statement", "question", "label", "other_question"
    word_count: int = 0
    reasoned: bool = False  # a mislabel that gives a reason (status quo, obstacle, negation)
    semantic: str = ""  # which family of meaning decided a question without a listed word
    at: tuple[int, int] = (0, 0)  # (sentence, clause) where the move starts
    shape: str = ""  # why the answer is too long, if it is
    confidence: float = 0.9

    def mark(self, words: Sequence[Word], i: int, j: int, reason: str) -> None:
        if 0 <= i < j <= len(words):
            self.spans.append((words[i].start, words[j - 1].end, reason))


@dataclass(frozen=True)
class LabelForm:
    kind: str  # "it", "you", "i_strong", "i_weak"
    body_start: int
    negated: bool


# ----------------------------------------------------------------------------------- counting
def _head_end(texts: Sequence[str], lo: int, lex: Lexicon) -> int:
    """The head clause stops at a clause breaker ('if', 'because', ...) after its first words."""
    for k in range(lo + 2, len(texts)):
        if lex.clause_breakers.match_at(texts, k):
            return k
    return len(texts)


def _judge_closed(
    v: Verdict, words: Sequence[Word], lo: int, hi: int, lex: Lexicon, ask: frozenset[str]
) -> None:
    """Count unwanted-outcome words U and plain negations N in a closed question.

    U only: "no" is what the asker wants (no_oriented). U and N: each negation flips the
    reading ("a mistake NOT to sign" wants a yes), so the parity decides, and the mix is a
    double_negative either way. N next to a positive word ("not a good time") flips to no.
    """
    texts = [w.text for w in words]
    found = not_the_ask(unwanted(texts, lo, hi, lex), texts, ask)
    if not found and hi < len(texts):
        # "Would a quick call [while you're on the train] be a problem?": the main clause
        # resumes after the subordinate one.
        resume = meaning.main_predicate_after(texts, hi, len(texts))
        if resume is not None:
            found = not_the_ask(unwanted(texts, resume, len(texts), lex), texts, ask)
            if found:
                hi = len(texts)
    if not found:
        lemmas = meaning.lemma_set(ask, lex)
        found, family = meaning.negative_cues(texts, lo, hi, lemmas, lex)
        if not found and hi < len(texts):
            resume = meaning.main_predicate_after(texts, hi, len(texts))
            start = resume - 1 if resume is not None else lo
            # "Is your warehouse set up so that split deliveries are a no-go?": the rest of
            # the clause says what the question asks.
            found, family = meaning.negative_cues(texts, start, len(texts), lemmas, lex)
        if found:
            v.semantic = family
            # A burden, a rule or an outcome on their side is a reason for their no: like a
            # mislabel's reason, it may name things the ask does not ("the seating plan").
            v.reasoned = family != "valence"
            for a, b in found:
                v.mark(words, a, b, _SEMANTIC_REASONS[family])
            v.label = NO
            return
    negs = negations(texts, lo, hi, found, lex, ask, in_question=True)
    if negs and any(texts[k] in _ANYMORE for k in range(lo, hi)):
        # "Is this not a priority any longer?" asks whether they dropped it: one idea, not two.
        negs = negs[1:]
        found.append((lo, lo))
    if found and meaning.names_a_cost(texts, lo, hi):
        v.reasoned = True  # "more trouble than it's worth for y'all": their side, any words
    for a, b in found:
        v.mark(words, a, b, "unwanted outcome: 'no' is the answer you want")
    for k in negs:
        v.mark(words, k, k + 1, "negation")
    near_positive = any(
        texts[j] in lex.positives for k in negs for j in range(k + 1, min(k + 4, hi))
    )
    if found and negs:
        v.flaws.add("double_negative")
        v.label = NO if (len(found) + len(negs)) % 2 else YES
    elif found:
        v.label = NO
    elif negs and near_positive:
        v.label = NO
        v.flaws.add("double_negative")
    else:
        v.label = YES
        v.flaws.add("still_yes_seeking")
        unknown = meaning.unknown_words(words, lo + 1, hi, lex)
        if unknown:
            # "Would Friday be a bit bleurgh?": a word the coach cannot read may be the very
            # burden it missed, so it says it is unsure instead of failing the answer.
            v.confidence = 0.55
            for k in unknown:
                v.mark(words, k, k + 1, "a word the coach does not know")


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
    modals = [
        (a, b)
        for a, b in lex.i_body_forbidden.find(body)
        if b >= len(body) or body[b] not in lex.i_body_allowed_after_modal
    ]
    about_you = ("you" in body or "your" in body) and not modals
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
    fix_aux(clause, lex)
    t = clause.texts
    words = clause.words
    if not t:
        return "", 0
    size = lex.proposals.match_at(t, 0)
    if size and t[:2] == ["let", "us"] and sentence.end != "?":
        size = 0  # "Let's circle back on Monday." is an announcement, not a question
    if size:
        if t[:2] == ["what", "about"] and _what_about_open(t, lex):
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
        gerund = t[0] in _GERUND_AUX and len(t[1]) > 4 and t[1].endswith("ing")
        if t[1] in lex.subjects or words[1].cap or t[1].isdigit() or gerund:
            return "aux", 1
        if asked and t[1] != "not":  # "Is renewing off the table?", "Are ten too many?"
            return "aux", 1
        if sentence.end == "" and len(t) > 2 and t[1] != "not" and t[0] in _UNMARKED_AUX:
            return "aux", 1  # typed without a mark: "would midnight be a massive problem"
    size = lex.i_request_openers.match_at(t, 0)
    if size:
        return "request", size
    return "", 0


def _what_about_open(t: Sequence[str], lex: Lexicon) -> bool:
    """'What about this plan doesn't work for you?' (open) versus 'What about Tuesday?'."""
    if len(t) < 4 or t[2] not in lex.calibrated_what_about:
        return False
    return any(w in lex.aux or w in lex.negations or w in lex.what_about_verbs for w in t[3:])


def _is_preamble(clause: Clause, index: int, sentence: Sentence, lex: Lexicon) -> bool:
    """'When you have a minute, …' or 'If that works, …' before the real question."""
    return index < len(sentence.clauses) - 1 and bool(lex.subordinators.match_at(clause.texts, 0))


# ----------------------------------------------------------------------------------- paths
def _question(kind: str, size: int, clause: Clause, lex: Lexicon, ask: frozenset[str]) -> Verdict:
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
        found = unwanted(texts, 3, _head_end(texts, 3, lex), lex)
        if found:
            v.flaws.add("double_negative")
            for a, b in found:
                v.mark(words, a, b, "negative word inside a leading question")
    else:  # "aux" or "request": a closed question
        texts = clause.texts
        v.mark(words, 0, size if kind == "request" else 2, "closed question")
        _judge_closed(v, words, 0, _head_end(texts, size, lex), lex, ask)
    return v


def _find_head(
    sentences: Sequence[Sentence], si: int, ci: int, lex: Lexicon, ask: frozenset[str]
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
                return _question(kind, size, clause, lex, ask), clause
    return None


def _label_path(
    sentences: Sequence[Sentence],
    si: int,
    ci: int,
    form: LabelForm,
    ask_vocab: frozenset[str] | None,
    lex: Lexicon,
    scene: Sequence[str] = (),
    ask_order: Sequence[str] = (),
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
    following = _find_head(sentences, si, ci + 1, lex, ask_vocab or frozenset())
    if following is not None:
        question, qclause = following
        if question.label == NO and any(qclause is c for c in sentence.clauses):
            return question  # "I know you're busy, so would it be a bad time…?": a lead-in
        # A question in the next sentence, even a no-oriented one, cancels the silence after
        # the label (TECHNIQUES §2.2): the label decides the technique, the question is a flaw.
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
    read_body(v, body, negated=form.negated, ask=ask_vocab, lex=lex, scene=scene,
              action=meaning.ask_action(ask_order, lex))
    return v


def _decide(
    sentences: Sequence[Sentence], ask_vocab: frozenset[str] | None, lex: Lexicon,
    scene: Sequence[str] = (), ask_order: Sequence[str] = (),
) -> Verdict:
    for si, sentence in enumerate(sentences):
        tag = _tag(sentence, lex)
        if tag is not None:
            v = Verdict(label=YES, kind="question", at=(si, 0))
            v.flaws.update(("leading_question",))
            v.mark(tag.words, 0, len(tag.words), "tag question: presumes a yes")
            return v
        for ci, clause in enumerate(sentence.clauses):
            form = _label_form(clause, lex)
            if form is not None:
                v = _label_path(sentences, si, ci, form, ask_vocab, lex, scene, ask_order)
                v.at = (si, ci)
                return v
            if _is_preamble(clause, ci, sentence, lex):
                continue
            kind, size = _head(clause, sentence, lex)
            if kind:
                v = _question(kind, size, clause, lex, ask_vocab or frozenset())
                v.at = (si, ci)
                return v
    for si, sentence in enumerate(sentences):
        if sentence.end == "?":  # elliptical: "Bad time?", "Deal?", "So you're ready?"
            v = Verdict(kind="question", at=(si, 0))
            words = sentence.words
            _judge_closed(v, words, 0, len(words), lex, ask_vocab or frozenset())
            return v
    v = Verdict(kind="statement")
    v.flaws.add("statement_not_question")
    return v


def _raw_sentence(sentence: Sentence, previous_end: int, words: Sequence[Word],
                  starts: Sequence[int]) -> Clause:
    """A sentence as typed, fillers included ("Just so you know, …" keeps its "just so").

    `starts` are the words' start offsets (in order): a bisection, not a scan of every word
    for every sentence, keeps a long text of many sentences linear."""
    end = sentence.words[-1].end if sentence.words else previous_end
    low, high = bisect_left(starts, previous_end), bisect_left(starts, end)
    return Clause(list(words[low:high]) or sentence.words)


def _judge_the_rest(
    v: Verdict, sentences: Sequence[Sentence], lex: Lexicon, words: Sequence[Word]
) -> None:
    """Every sentence counts: the move's own sentence for mockery and ultimatums, its "or …"
    alternatives for mockery, and each sentence after it for threats and blame."""
    if v.kind == "empty":
        return
    si, ci = v.at
    if v.kind == "statement":
        si = -1  # no move: every sentence is judged whole, as one that follows a move
    previous_end = 0
    starts = [w.start for w in words]
    for s, sentence in enumerate(sentences):
        trailing = s != si  # a lead-in ("Nice of you to find money for Ibiza.") counts too
        # Another sentence is read whole and as typed ("Because if we ship Monday, I'm not
        # carrying the pager."); the move's own sentence clause by clause.
        whole = _raw_sentence(sentence, previous_end, words, starts)
        previous_end = whole.words[-1].end if whole.words else previous_end
        clauses = [whole] if trailing else sentence.clauses
        for c, clause in enumerate(clauses):
            texts = clause.texts
            found: list[tuple[str, tuple[int, int, str]]] = []
            if trailing or v.kind != "label":  # a label describes their rule: "no matter what"
                found += [("pushy", x) for x in tail.pushy(texts, trailing=trailing)
                          if trailing or not meaning.describes_their_rule(texts, x[0], x[1])]
            found += [("accusatory", x) for x in tail.accusatory(texts, lex, trailing=trailing)]
            if not trailing and c > ci and clause.lead == "or":
                found += [("accusatory", x) for x in tail.mocking_alternative(["or", *texts])]
            for code, (a, b, reason) in found:
                v.flaws.add(code)
                # Another sentence is marked from its cue to its end: "Otherwise I'll post
                # about it everywhere" is what the learner should cut.
                end = len(clause.words) if trailing else b
                v.mark(clause.words, max(0, a - (1 if a and clause.lead == "or" else 0)),
                       min(len(clause.words), end), reason)


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


def judge(text: str, ask: str | None = None, situation: str | None = None) -> Verdict:
    """Classify one rewrite; `ask` (the original yes-seeking question) enables mislabel checks."""
    lex = lexicon()
    tokens = tokenise(text, lex)
    sentences = segment(tokens, lex)
    if not sentences:
        return Verdict(kind="empty")
    ask_words = _ask_words(ask) if ask else ()
    scene = _ask_words(situation) if situation else ()
    v = _decide(sentences, frozenset(ask_words) if ask and ask.strip() else None, lex, scene,
                ask_words)
    # Pressure and blame are judged on everything typed, fillers included ("Just sign it").
    words = [w for w in tokens if w.text not in _PUNCT]
    v.word_count = len({(w.start, w.end) for w in words})
    long = shape.length([[w.text for w in s.words if w.text not in _PUNCT] for s in sentences],
                        lex)
    if long.code:
        # A ramble or a string of words is no usable move, whatever technique it contains.
        v.flaws.add(long.code)
        v.shape = long.reason
        v.label = OTHER
    _judge_the_rest(v, sentences, lex, words)
    ask_phrases = {" ".join(ask_words[a:b]) for a, b in lex.pushy.find(ask_words)}
    if v.label in (NO, MISLABEL):  # "Is the fee non-negotiable?" asks about their rule
        ask_phrases |= {" ".join(texts) for texts in _PHRASES_OF_THEIR_RULE}
    _phrase_flaw(v, words, lex.pushy, "pushy", ask_phrases, "pressure")
    _phrase_flaw(v, words, lex.accusatory, "accusatory", set(), "judges the person")
    texts = [w.text for w in words]
    closed = v.kind == "question" and v.label != CALIBRATED  # "How do you plan it today?"
    for a, b in rushed(texts, frozenset(ask_words), closed, lex):
        v.flaws.add("pushy")
        v.mark(words, a, b, "pressure: a deadline the ask did not set")
    if ask_words and v.label in (NO, MISLABEL):
        lenient = v.reasoned or bool(lex.alternative_cues.find(texts))
        if not lenient and not keeps_topic(texts, ask_words, lex, scene):
            v.flaws.add("changes_the_ask")
            v.confidence = min(v.confidence, 0.7)
    return v
