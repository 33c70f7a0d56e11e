"""Judging a learner's answer to a drill: the coach's verdict for the moves the drill accepts,
and the drill's own pitfalls.

The coach judges form. Some mistakes are only mistakes in their situation ("It sounds like a
summer job is the last thing you want" names what the teenager really wants, so he says "Yes!"):
the author lists them as the card's pitfalls, and an answer that is one of them is not accepted,
whatever its form.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from negodrill.core.content import Drill, Pitfall
from negodrill.core.models import Grade

if TYPE_CHECKING:
    from negodrill.core.coach import Assessment

# Share of shared words (of both sentences' words) from which an answer is "the pitfall":
# a typo or a dropped word still matches, a different sentence about the same thing does not.
SAME_SENTENCE = 0.8


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def matching_pitfall(text: str, drill: Drill) -> Pitfall | None:
    """The pitfall the answer (nearly) repeats, if any."""
    said = _words(text)
    if not said:
        return None
    for pitfall in drill.pitfalls:
        words = _words(pitfall.text)
        if said == words:
            return pitfall
        both, either = set(said) & set(words), set(said) | set(words)
        if len(either) >= 4 and len(both) / len(either) >= SAME_SENTENCE:
            return pitfall
    return None


def judge_drill(text: str, drill: Drill) -> Assessment:
    """The coach's assessment of `text` as an answer to `drill`; an answer that repeats one of
    the drill's pitfalls is not accepted and is told why, first."""
    from negodrill.core.coach import analyse

    found = analyse(text, ask=drill.prompt, situation=drill.situation or None,
                    accepts=drill.coach_accepts)
    pitfall = matching_pitfall(text, drill)
    if pitfall is None or not found.accepted:
        return found if pitfall is None else replace(
            found, feedback=(f"That is one of this card's pitfalls: {pitfall.why}",
                             *found.feedback[:2]))
    return replace(found, feedback=(f"That is one of this card's pitfalls: {pitfall.why}",),
                   suggested_grade=Grade.AGAIN, accepts=())
