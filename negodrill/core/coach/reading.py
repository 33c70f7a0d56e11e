"""Reading a label against the ask (mislabel or sincere label), and fixing a mistyped auxiliary.

Mislabel versus label (TECHNIQUES.md §1 rules 3-4), relative to the drill's ask:

* a cue names the unwanted reading: an unwanted-outcome word that is not cancelled by a negation
  ("no problem" reads as a positive), a status-quo / obstacle / lowered-priority phrase, an
  accusation, or a plain negation, none of them merely the ask's own words → mislabel;
* contentment with something else: a contentment phrase whose target is not the ask ("your
  spreadsheets are handling inventory perfectly well", "comfortable working with the hospital")
  → mislabel;
* a willingness or approval word ("ready to sign", "happy to include the fee",
  "no problem"), a modal followed by the ask's own words ("planning to renew"), or a plain
  restatement of the ask → label + labels_wanted_outcome (see `wanted_reading`);
* otherwise the body describes the counterpart's situation in neutral words, which in this drill is
  an obstacle or a status quo ("the 14th is your busiest day", "the house band has the stage until
  six") → mislabel.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from negodrill.core.coach.cues import Spans, cancelled_pairs, negations, unwanted
from negodrill.core.coach.lexicon import Lexicon
from negodrill.core.coach.text import Clause, Word
from negodrill.core.coach.topic import content_stems, keeps_topic, related_stem

_PRONOUN_SUBJECTS = frozenset(
    {"it", "you", "we", "i", "they", "he", "she", "there", "this", "that"}
)
_TARGET_WINDOW = 6
_THEIRS = frozenset({"your", "their", "his", "her"})
_OURS = frozenset({"our", "my", "us"})
_SUBJECT_STOP = frozenset({"who", "which", "that", "and", "but"})
_MODAL_WINDOW = 4


def not_the_ask(spans: Spans, texts: Sequence[str], ask_vocab: frozenset[str]) -> Spans:
    """The ask's own words are not evidence of an unwanted reading ("late" in "stay late?")."""
    return [(a, b) for a, b in spans if not all(t in ask_vocab for t in texts[a:b])]


def mislabel_cues(
    texts: Sequence[str], ask_vocab: frozenset[str], lex: Lexicon
) -> tuple[Spans, Spans]:
    """(unwanted-outcome and accusation cues, reason cues) in a label body, relative to the ask.

    Reason cues (status quo, obstacle, plain negation) explain a refusal, so a mislabel that
    carries one may talk about something other than the ask's own words.
    """
    n = len(texts)
    found = unwanted(texts, 0, n, lex)
    negs = negations(texts, 0, n, found, lex, ask_vocab)
    negs, found = cancelled_pairs(texts, negs, found, lex)
    # "can't wait to", "wouldn't mind": a negation inside a phrase of willingness is no reason.
    keen = {k for a, b in lex.wanted.find(texts, 0, n) for k in range(a, b)}
    negs = [k for k in negs if k not in keen]
    outcome = found + lex.accusatory.find(texts, 0, n)
    blocked = {k for a, b in lex.status_quo_exclude.find(texts, 0, n) for k in range(a, b)}
    status = [
        (a, b)
        for a, b in lex.status_quo.find(texts, 0, n)
        if a not in blocked and not _contentment_with_ask(texts, (a, b), ask_vocab, lex)
    ]
    reason = status + [(k, k + 1) for k in negs]
    return not_the_ask(outcome, texts, ask_vocab), not_the_ask(reason, texts, ask_vocab)


def _is_content(word: str, lex: Lexicon) -> bool:
    if word in lex.stopwords or word in lex.negations or word in lex.aux:
        return False
    return not (len(word) > 4 and word.endswith("ing"))  # the activity, not its object


def _elsewhere(target: Sequence[str], ask_words: Collection[str], lex: Lexicon) -> bool:
    """Is this contentment about something other than the ask?

    Their own thing ("your accountant") when the ask offers ours ("our accounting firm") is
    elsewhere even if the words overlap; otherwise it is elsewhere when it has specific content
    and none of it relates to the ask.
    """
    if any(t in _THEIRS for t in target) and any(t in _OURS for t in ask_words):
        return True
    content = [t for t in target if _is_content(t, lex)]
    return bool(content) and not keeps_topic(content, ask_words, lex)


def _object_of(texts: Sequence[str], b: int) -> list[str]:
    return list(texts[b : b + _TARGET_WINDOW])


def contentment_elsewhere(texts: Sequence[str], ask_words: Collection[str], lex: Lexicon) -> Spans:
    """Contentment whose target is not the ask: the status quo, described without cue words."""
    out: Spans = []
    n = len(texts)
    for a, b in lex.contentment_object.find(texts, 0, n):
        if _elsewhere(_object_of(texts, b), ask_words, lex):
            out.append((a, b))
    for a, b in lex.contentment_subject.find(texts, 0, n):
        subject: list[str] = []
        for t in texts[:a]:
            if t in lex.aux or t in _SUBJECT_STOP:
                break
            subject.append(t)
        if _elsewhere(subject, ask_words, lex):
            out.append((a, b))
    return out


def wanted_reading(texts: Sequence[str], ask_words: Collection[str], lex: Lexicon) -> Spans:
    """Where a label body states the wanted reading of the ask (TECHNIQUES.md §1 rule 4).

    A willingness or approval word counts wherever it stands (wanted labels often reword the ask:
    "you're fine with a bit of colour" for "let me paint"; contentment with something else is
    caught earlier as a status-quo cue); a modal ("planning to", "will", "can") only when the
    ask's own action follows it ("planning to renew", not "planning to sell the house"); a body
    whose specific content is all the ask's (two words or more) restates the ask.
    """
    n = len(texts)
    out = lex.wanted.find(texts, 0, n)
    ask_stems = content_stems(ask_words, lex)
    for a, b in lex.wanted_modal.find(texts, 0, n):
        after = content_stems(texts[b : b + _MODAL_WINDOW], lex)
        # The action right after the modal must be the ask's: "wants to keep the baler" is not
        # "lend the baler".
        if after and any(related_stem(after[0], t) for t in ask_stems):
            out.append((a, b))
    if not out:
        specific = [
            s
            for s in content_stems(texts, lex)
            if s not in lex.generic and not s.endswith("ly")  # "basically signed"
        ]
        hits = [s for s in specific if any(related_stem(s, t) for t in ask_stems)]
        if len(hits) >= 2 and len(hits) == len(specific):
            out.append((0, n))
    return out


def _contentment_with_ask(
    texts: Sequence[str], span: tuple[int, int], ask_words: Collection[str], lex: Lexicon
) -> bool:
    """'happy with our service' when the ask offers our service: the wanted reading, no cue.

    Only the asker's own side ("our", "us", "my") counts: "happy with the spreadsheets" is
    contentment with the status quo even when the ask is about spreadsheets.
    """
    a, b = span
    if lex.contentment_object.match_at(texts, a, b) != b - a:
        return False
    target = _object_of(texts, b)
    ours = [t for t in target[:2] if t in _OURS]
    return bool(ours) and any(t in ask_words for t in ours)


def distance_one(a: str, b: str) -> bool:
    """Damerau distance <= 1: one substitution, insertion, deletion or adjacent swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )  # fmt: skip
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:k] + long_[k + 1 :] == short for k in range(len(long_)))


def fix_aux(clause: Clause, lex: Lexicon) -> None:
    """'woud it be…', 'dose that…': a mistyped auxiliary before a pronoun subject."""
    words = clause.words
    if len(words) < 2 or words[1].text not in _PRONOUN_SUBJECTS:
        return
    first = words[0].text
    if first in lex.aux or first in lex.aux_fuzzy_exclude or not first.isalpha():
        return
    fixed = lex.aux_typos.get(first)
    if fixed is None and 4 <= len(first) <= 7:
        fixed = next((t for t in lex.aux_fuzzy_targets if distance_one(first, t)), None)
    if fixed is not None:
        w = words[0]
        words[0] = Word(fixed, w.start, w.end, w.cap)
