"""What a label's body says about the ask: a mislabel, the wanted outcome, or another topic.

In order (TECHNIQUES.md §1 rules 3-4, read for meaning):

1. a burden, a rule that cannot move, the outcome already gone elsewhere ("the flat is
   already promised to your niece"), or an unwanted-outcome word ("the last thing you'd sign
   up for") names the unwanted reading: a mislabel;
2. with the drill's situation at hand, a body that only describes ("keeps you busy", "is
   settling in well") something neither the ask nor the situation mentions ("your son's
   football", "your new puppy") changes the ask;
3. the counterpart able or willing to give the ask, having given it already, or doing the ask's
   own action ("you refund faulty goods without any fuss") states the wanted outcome;
4. any other cue (an obstacle, a status quo, a negation, a word rated negative): a mislabel;
   these are weaker than 3 ("already on its way", "without any fuss");
5. a willing phrase or a plain restatement of the ask: the wanted outcome;
6. warm small talk ("it looks like the new car suits you"): not about the ask;
7. otherwise a neutral account of their situation, which in this drill is the obstacle ("the
   14th is your busiest day"): a mislabel, with a little less confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from negodrill.core.coach import meaning, sense
from negodrill.core.coach.lexicon import Lexicon
from negodrill.core.coach.reading import contentment_elsewhere, mislabel_cues, wanted_reading
from negodrill.core.coach.text import Word
from negodrill.core.coach.topic import keeps_topic

if TYPE_CHECKING:
    from negodrill.core.coach.rules import Verdict

_STRONG = frozenset({"burden", "rigid", "finished"})
_PREFERENCE = frozenset({"rather", "prefer", "prefers", "preferred", "happy", "content", "usual",
                         "way", "stick", "pleased", "fine", "satisfied", "comfortable"})


def read_body(
    v: Verdict, body: Sequence[Word], *, negated: bool, ask: frozenset[str], lex: Lexicon,
    scene: Sequence[str], action: frozenset[str],
) -> None:
    """Set v's label (mislabel or label), flaws and spans from the label's body."""
    texts = [w.text for w in body]
    outcome, reason = mislabel_cues(texts, ask, lex)
    if not outcome and not reason:
        reason = contentment_elsewhere(texts, ask, lex)
    lemmas = meaning.lemma_set(ask, lex)
    sem, family = meaning.label_cues(texts, lemmas, lex)
    if family == "valence" and meaning.willing_before(texts, sem[0][0]):
        sem, family = [], ""  # "fine with dropping the clause": the negative word is the ask
    cues = outcome + reason + sem
    v.reasoned = bool(reason or sem)

    def label(flaw: str, spans: Sequence[tuple[int, int]], why: str) -> None:
        v.label = "label"
        v.flaws.add(flaw)
        for a, b in spans:
            v.mark(body, a, b, why)

    if family in _STRONG or outcome:
        _mislabel(v, body, cues)
        return
    # Cues that describe their situation (busy, doing well, happy with) rather than say no:
    # they are a reason for a no only when the situation is the ask's.
    cue_words = {texts[k] for a, b in cues for k in range(a, b)}
    # A preference or the status quo ("you'd rather…", "happy with the rota the way it is") is
    # the reading a mislabel names, whatever its words; only a description is checked.
    descriptive = not cue_words & (lex.negations | _PREFERENCE)
    if not negated and scene and descriptive and family != "valence" and not _on_topic(
            texts, ask, lex, scene, cues):
        v.confidence = 0.7
        label("changes_the_ask", [(0, len(body))], "about something other than the ask")
        return
    granted = [] if negated else meaning.granted(texts, action)
    if granted:
        label("labels_wanted_outcome", granted, "states the outcome you want")
        return
    if cues or negated:
        _mislabel(v, body, cues)
        return
    wanted = wanted_reading(texts, ask, lex) or meaning.wanted_cues(texts, lemmas, lex)
    if wanted:
        label("labels_wanted_outcome", wanted, "states the outcome you want")
        return
    if any(sense.valence(t) >= sense.POSITIVE for t in texts):
        v.confidence = 0.7
        label("changes_the_ask", [(0, len(body))], "small talk, not about the ask")
        return
    _mislabel(v, body, cues)
    # A neutral account of their situation: the obstacle, i.e. a reason for a no.
    v.reasoned = True
    v.confidence = 0.75


def _mislabel(v: Verdict, body: Sequence[Word], cues: Sequence[tuple[int, int]]) -> None:
    v.label = "mislabel"
    for a, b in cues:
        v.mark(body, a, b, "names the unwanted reading")


def _on_topic(texts: Sequence[str], ask: frozenset[str], lex: Lexicon,
              scene: Sequence[str], cues: Sequence[tuple[int, int]]) -> bool:
    """Does the body, without its cue, obstacle and schedule words, share a word with the ask
    or the situation? (An amount of money on both sides counts; a time does not: "this week"
    is in every label of a busy counterpart.)"""
    cue = {k for a, b in cues for k in range(a, b)}
    rest = [t for k, t in enumerate(texts) if k not in cue]
    return keeps_topic(meaning.topic_words(rest, lex), ask, lex, scene, kinds=("money",))
