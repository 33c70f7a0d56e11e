"""Playing a conversation card: one move per turn, judged by the coach, answered by the
counterpart according to what the learner actually did.

The window and the terminal drive the same `ConversationPlay`; the review session turns the
finished play into a verdict (`ReviewSession.check_conversation`) and stores every turn's move
with the review (`Review.turns`).

How a move is answered (the issue's rules, in one place):

* the coach labels the move; it *fits* when its label is one of the turn's moves (a mislabel
  also fits where a label is wanted: it is a label);
* a pushy or accusatory move gets the counterpart's defensive reply, even when it fits;
* a fitting move gets the reply written for its move, else the turn's general fitting reply;
* a yes-seeking move gets the counterfeit yes or brush-off; anything else the "other" reply;
* showing the model answer before sending counts the turn as missed.

The coach judges no-oriented questions and mislabels against the conversation's ask; a turn that
wants only a label or a calibrated question is judged without it (a label names *their*
feeling, not the learner's goal) and `calibrated_not_target` (a drill's flaw) does not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from negodrill.core.content import Conversation
from negodrill.core.models import Grade, TurnMove

if TYPE_CHECKING:
    from negodrill.core.coach import Assessment

_ASK_MOVES = frozenset({"no_oriented", "mislabel"})
# Drill flaws that mean nothing in a conversation: a calibrated question is a move here, and the
# topic moves on with the counterpart's lines, so a move is not "off" the opening ask.
_NOT_IN_CONVERSATION = frozenset(
    {"calibrated_not_target", "statement_not_question", "changes_the_ask"})
_DEFENSIVE = frozenset({"pushy", "accusatory"})


@dataclass(frozen=True)
class TurnResult:
    turn: int
    text: str
    label: str
    flaws: tuple[str, ...]
    fits: bool
    reply_kind: str  # a move, "fit", "yes", "defend" or "other"
    reply: str
    feedback: tuple[str, ...]
    shown_model: bool = False
    spans: tuple[Any, ...] = ()  # the coach's Spans: the words that decided

    @property
    def missed(self) -> bool:
        return not self.fits or self.shown_model

    def move(self) -> TurnMove:
        return TurnMove(turn=self.turn, answer=self.text, coach_label=self.label,
                        coach_flaws=self.flaws, fits=self.fits, shown_model=self.shown_model)


def judge_turn(conversation: Conversation, index: int, text: str, *,
               shown_model: bool = False) -> TurnResult:
    """Judge the learner's move on turn `index` and pick the counterpart's reply."""
    from negodrill.core.coach import analyse

    turn = conversation.turns[index]
    ask = conversation.ask if _ASK_MOVES & set(turn.moves) else None
    found: Assessment = analyse(text, ask, conversation.situation or None)
    flaws = tuple(f for f in found.flaws if f not in _NOT_IN_CONVERSATION)
    label = found.label
    if label == "mislabel" and "label" in turn.moves and _names_a_feeling(text):
        # Read against the goal, a label of their feeling looks like a mislabel of the ask;
        # where a label is wanted, "It sounds like you've been burned before" is one.
        label = "label"
    fits = label in turn.moves or (label == "mislabel" and "label" in turn.moves)
    if not text.strip() or "not_english" in flaws:
        fits, kind = False, "other"
    elif _DEFENSIVE & set(flaws):
        kind = "defend"
    elif fits:
        kind = label if label in dict(turn.replies) else "fit"
    elif label == "yes_seeking":
        kind = "yes"
    else:
        kind = "other"
    return TurnResult(turn=index, text=text, label=label, flaws=flaws, fits=fits,
                      reply_kind=kind, reply=turn.reply(kind), feedback=found.feedback,
                      shown_model=shown_model, spans=found.spans)


def suggested_grade(results: list[TurnResult] | tuple[TurnResult, ...], turns: int) -> Grade:
    """Again when half or more of the turns missed their move, Hard when any did or any flaw
    remained, Good otherwise."""
    missed = sum(1 for r in results if r.missed) + max(0, turns - len(results))
    if turns and missed * 2 >= turns:
        return Grade.AGAIN
    if missed or any(r.flaws for r in results):
        return Grade.HARD
    return Grade.GOOD


@dataclass
class ConversationPlay:
    """A conversation in progress: the current turn, the moves so far, models shown."""

    conversation: Conversation
    results: list[TurnResult] = field(default_factory=list)
    model_shown: bool = False  # for the current turn

    @property
    def index(self) -> int:
        return len(self.results)

    @property
    def finished(self) -> bool:
        return self.index >= len(self.conversation.turns)

    def show_model(self) -> tuple[str, str]:
        """The current turn's model answer and why; the turn now counts as missed."""
        turn = self.conversation.turns[self.index]
        self.model_shown = True
        return turn.model, turn.why

    def send(self, text: str) -> TurnResult:
        """Judge the move on the current turn and move on to the next one."""
        if self.finished:
            raise RuntimeError("the conversation is over")
        result = judge_turn(self.conversation, self.index, text, shown_model=self.model_shown)
        self.results.append(result)
        self.model_shown = False
        return result

    @property
    def grade(self) -> Grade:
        return suggested_grade(self.results, len(self.conversation.turns))

    @property
    def moves(self) -> tuple[TurnMove, ...]:
        return tuple(r.move() for r in self.results)


def _names_a_feeling(text: str) -> bool:
    """Does the label name an emotion or an experience of theirs ("worried", "burned",
    "you've heard a lot of pitches")?"""
    from negodrill.core.coach.lexicon import lexicon
    from negodrill.core.coach.text import tokenise

    lex = lexicon()
    words = [w.text for w in tokenise(text, lex)]
    pairs = set(zip(words, words[1:], strict=False))
    return any(w in lex.emotions for w in words) or ("you", "have") in pairs
