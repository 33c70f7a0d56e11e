"""ReviewSession: the study controller that both the terminal and the window drive.

It builds the queue (due learning and review cards first, then new cards up to the daily limit),
checks an answer (the coach for a drill, the pick for a choice card), grades through the
scheduler and the store in one transaction, and undoes the last grade exactly.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Protocol

from negodrill.core import scheduling
from negodrill.core.content import Basic, Choice, Conversation, Drill, Option
from negodrill.core.errors import CardChanged, NothingToUndo
from negodrill.core.models import Card, CardState, Grade, Preset, Review, Schedule, TurnMove
from negodrill.core.studyday import Today, daily_room

if TYPE_CHECKING:
    from negodrill.core.coach import Assessment
    from negodrill.core.conversation import ConversationPlay


# How often a grade is scheduled again on a card graded elsewhere meanwhile before giving up
# (each retry means another process saved a grade of the same card in between).
_SAVE_ATTEMPTS = 5


class ReviewStore(Protocol):
    """What a session needs from storage (implemented by negodrill.storage.Store)."""

    def preset(self) -> Preset: ...

    def due_cards(
        self, deck_ids: Sequence[int] | None, *, learning_until: datetime, review_until: datetime,
        review_limit: int | None = None,
    ) -> list[Card]: ...

    def new_cards(self, deck_ids: Sequence[int] | None, *, limit: int) -> list[Card]: ...

    def studied_today(self, since: datetime, until: datetime | None = None) -> tuple[int, int]:
        """(new cards introduced, review cards answered) in the study day [since, until)."""
        ...

    def save_review(self, card: Card, review: Review, after: Schedule) -> Card: ...

    def undo_review(self, card_id: int, *, expected: Card | None = None) -> Card: ...

    def card(self, card_id: int) -> Card: ...

    def set_suspended(self, card_ids: Sequence[int], suspended: bool) -> None: ...

    def bury(self, card_ids: Sequence[int], today_start_ms: int) -> None: ...

    def unbury_before(self, today_start_ms: int) -> None: ...

    def deck_ids(self) -> list[int]: ...

    def preset_for_deck(self, deck_id: int) -> Preset: ...

    def studied_today_by_deck(self, since: datetime,
                              until: datetime | None = None) -> dict[int, tuple[int, int]]: ...

    def toggle_flag(self, card_id: int) -> int: ...

    def save_practice(self, card: Card, review: Review, day_start_ms: int) -> None: ...

    def practice_cards(self, deck_ids: Sequence[int] | None, *, due_until_ms: int | None = None,
                       tag: str | None = None, flaw: str | None = None,
                       limit: int = 100) -> list[Card]: ...


@dataclass(frozen=True)
class StudyMore:
    """A session beyond today's limits (Anki's custom study). `extra_new`: that many more new
    cards, scheduled as usual. Otherwise a practice session of review cards due within
    `ahead_days`, of cards tagged `tag`, or of cards whose answers had the coach's `flaw`;
    its answers leave the schedule alone (stored unscheduled) unless `reschedule`."""

    extra_new: int = 0
    ahead_days: int = 0
    tag: str | None = None
    flaw: str | None = None
    reschedule: bool = False
    limit: int = 100

    @property
    def unscheduled(self) -> bool:
        return not self.extra_new and not self.reschedule


@dataclass(frozen=True)
class Verdict:
    """What checking an answer found: right or wrong, and the grade we suggest."""

    suggested: Grade
    correct: bool | None = None
    assessment: Assessment | None = None
    picked: Option | None = None
    moves: tuple[TurnMove, ...] = ()  # a conversation's, one per turn
    picks: tuple[Option, ...] = ()  # a pick-all-that-apply card's set, in display order

    @property
    def picked_ids(self) -> frozenset[str]:
        """Every option the learner picked (one for a plain choice card)."""
        return frozenset(o.id for o in self.picks) | (
            {self.picked.id} if self.picked is not None else set())


@dataclass
class SessionSummary:
    reviewed: int = 0
    correct: int = 0
    judged: int = 0
    mistakes: Counter[str] = field(default_factory=Counter)

    @property
    def share_correct(self) -> float | None:
        return self.correct / self.judged if self.judged else None


@dataclass
class _Done:
    card: Card
    correct: bool | None
    flaws: tuple[str, ...]
    requeued: bool
    answer: str = ""  # what the learner typed, given back by undo
    saved: Card | None = None  # the card as this grade left it: undo checks it still is


class ReviewSession:
    """One sitting of study over some decks. Not thread-safe: one UI drives it."""

    def __init__(
        self,
        store: ReviewStore,
        *,
        deck_ids: Sequence[int] | None = None,
        limit: int | None = None,
        more: StudyMore | None = None,
        clock: Callable[[], datetime] = scheduling.utc_now,
        fuzz: bool = True,
        local: tzinfo | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._deck_ids = list(deck_ids) if deck_ids is not None else None
        # The collection's settings; a session over one deck takes that deck's own limits and
        # retention (its preset), and every card is scheduled with its deck's retention.
        self.preset = store.preset()
        if self._deck_ids is not None and len(self._deck_ids) == 1:
            self.preset = store.preset_for_deck(self._deck_ids[0])
        self.scheduler = scheduling.Scheduler(self.preset, fuzz=fuzz, local=local)
        self._schedulers: dict[int, scheduling.Scheduler] = {}
        self._fuzz = fuzz
        self._local = local
        self._limit = limit
        self.more = more
        self.today: Today  # the study day the queue was built for (set by _build_queue)
        self._queue: list[Card] = self._build_queue(limit)
        self._learning: list[Card] = []
        self._done: list[_Done] = []
        self._current: Card | None = None
        self._outcomes: dict[Grade, scheduling.Outcome] | None = None
        self._verdict: Verdict | None = None
        self._shown_at = time.monotonic()
        self.summary = SessionSummary()
        self.undone_answer = ""  # the answer of the grade last undone, to type again
        self._advance()

    # -- queue -----------------------------------------------------------------------------
    def _build_queue(self, limit: int | None) -> list[Card]:
        # One Today for the whole queue: the deck list and `stats` count with the same policy.
        today = Today.at(self._clock(), self.preset.rollover_hour, self._local)
        self.today = today
        self._store.unbury_before(today.start_ms)
        if self.more is not None:
            return self._more_queue(self.more, today)[:limit]
        decks = self._deck_ids if self._deck_ids is not None else self._store.deck_ids()
        # Each deck gives at most its own room (its preset's limits minus what its cards had
        # today); a session over several decks is also capped by the default preset's limits.
        overall = daily_room(self._store.preset(), *self._store.studied_today(today.start,
                                                                              today.end))
        new_left, review_left = overall.new_room, overall.review_room
        learning: list[Card] = []
        reviews: list[Card] = []
        new: list[Card] = []
        studied = self._store.studied_today_by_deck(today.start, today.end)
        for deck in decks:
            room = daily_room(self._store.preset_for_deck(deck), *studied.get(deck, (0, 0)))
            if len(decks) == 1:
                new_left, review_left = room.new_room, room.review_room
            due = self._store.due_cards(
                [deck], learning_until=today.learning_until, review_until=today.end,
                review_limit=min(room.review_room, review_left))
            learning += [c for c in due if c.schedule.state is not CardState.REVIEW]
            got = [c for c in due if c.schedule.state is CardState.REVIEW]
            reviews += got
            review_left -= len(got)
            wanted = min(room.new_room, new_left)
            if wanted > 0:
                fresh = self._store.new_cards([deck], limit=wanted)
                new += fresh
                new_left -= len(fresh)
        far = datetime.max.replace(tzinfo=UTC)
        learning.sort(key=lambda c: c.schedule.due or far)
        reviews.sort(key=lambda c: c.schedule.due or far)
        queue = learning + reviews + new
        return queue[:limit] if limit is not None else queue

    def _more_queue(self, more: StudyMore, today: Today) -> list[Card]:
        if more.extra_new:
            return self._store.new_cards(self._deck_ids, limit=more.extra_new)
        ahead = (today.end_ms + (more.ahead_days - 1) * 86_400_000 if more.ahead_days
                 else None)
        return self._store.practice_cards(self._deck_ids, due_until_ms=ahead, tag=more.tag,
                                          flaw=more.flaw, limit=more.limit)

    def _scheduler_for(self, card: Card) -> scheduling.Scheduler:
        """The scheduler with the card's deck's retention (one per deck, made once)."""
        if self._deck_ids is not None and len(self._deck_ids) == 1:
            return self.scheduler
        found = self._schedulers.get(card.deck_id)
        if found is None:
            found = scheduling.Scheduler(self._store.preset_for_deck(card.deck_id),
                                         fuzz=self._fuzz, local=self._local)
            self._schedulers[card.deck_id] = found
        return found

    def _advance(self) -> None:
        """Pick the next card: a learning card now due, else the queue, else learn ahead."""
        now = self._clock()
        self._learning.sort(key=lambda c: c.schedule.due or now)
        card: Card | None = None
        if self._limit is not None and len(self._done) >= self._limit:
            card = None
        elif self._learning and (self._learning[0].schedule.due or now) <= now:
            card = self._learning.pop(0)
        elif self._queue:
            card = self._queue.pop(0)
        elif self._learning and (self._learning[0].schedule.due or now) <= (
            now + scheduling.LEARN_AHEAD
        ):
            card = self._learning.pop(0)
        self._current = card
        self._outcomes = None
        self._verdict = None
        self._shown_at = time.monotonic()

    def current(self) -> Card | None:
        return self._current

    def covers(self, deck_id: int) -> bool:
        """Whether this session studies `deck_id` (a session over every deck does)."""
        return self._deck_ids is None or deck_id in self._deck_ids

    @property
    def finished(self) -> bool:
        return self._current is None

    @property
    def position(self) -> tuple[int, int]:
        """("n of m") the number of the current card and how many the session holds now."""
        done = len(self._done)
        remaining = len(self._queue) + len(self._learning) + (1 if self._current else 0)
        total = done + remaining
        if self._limit is not None:
            total = min(total, self._limit)
        return (done + (1 if self._current else 0), total)

    def suspend_current(self) -> None:
        """Suspend the current card (no grade, no review) and move on to the next one."""
        card = self._require_card()
        self._store.set_suspended([card.id], True)
        self._advance()

    def toggle_flag(self, card_id: int) -> int:
        """Flag a card for later, or unflag it; the new flag (1 or 0)."""
        return self._store.toggle_flag(card_id)

    def bury_current(self) -> None:
        """Hide the current card until the next study day (no grade) and move on."""
        card = self._require_card()
        self._store.bury([card.id], self.today.start_ms)
        self._advance()

    def reload_current(self) -> Card:
        """The current card as stored now (after an edit), shown afresh."""
        card = self._require_card()
        self._current = self._store.card(card.id)
        self._outcomes = None
        self._verdict = None
        return self._current

    @property
    def remaining(self) -> tuple[int, int, int]:
        """(new, learning, review) cards still to show, the current one included, as Anki
        counts them: a failed card moves to learning instead of growing a total."""
        # The current card first: with a session limit, it is one of the cards left.
        cards = [*([self._current] if self._current is not None else []), *self._queue,
                 *self._learning]
        if self._limit is not None:
            cards = cards[: max(0, self._limit - len(self._done))]
        counts = [0, 0, 0]
        for card in cards:
            state = card.schedule.state
            counts[0 if state is CardState.NEW else 2 if state is CardState.REVIEW else 1] += 1
        return counts[0], counts[1], counts[2]

    # -- answering ---------------------------------------------------------------------------
    def outcomes(self) -> dict[Grade, scheduling.Outcome]:
        """The four possible next schedules for the current card, computed once per showing."""
        card = self._require_card()
        if self._outcomes is None:
            self._outcomes = self._scheduler_for(card).preview(card.id, card.schedule,
                                                               self._clock())
        return self._outcomes

    def intervals(self) -> dict[Grade, str]:
        if self.more is not None and self.more.unscheduled:
            return {g: "no change" for g in Grade}  # practice leaves the schedule alone
        return {g: scheduling.format_interval(o.interval) for g, o in self.outcomes().items()}

    def option_order(self, card: Card | None = None) -> tuple[Option, ...]:
        """A choice card's options in the order shown: shuffled, but stable for one showing,
        unless the deck says `"shuffle": false` (an author's "all of the above" last)."""
        card = card or self._require_card()
        if not isinstance(card.content, Choice):
            return ()
        options = list(card.content.options)
        if card.content.shuffle:
            random.Random(card.id * 1009 + card.reps).shuffle(options)
        return tuple(options)

    def check(self, answer: str) -> Verdict:
        """Judge an answer to the current card: a rewrite, an option number, or a reveal."""
        card = self._require_card()
        content = card.content
        if isinstance(content, Drill):
            from negodrill.core.drill_check import judge_drill

            assessment = judge_drill(answer, content)
            verdict = Verdict(
                suggested=assessment.suggested_grade,
                correct=assessment.accepted,
                assessment=assessment,
            )
        elif isinstance(content, Choice) and content.multiple:
            picks = self._picks(card, answer)
            # Scored as a set: every right option and no wrong one, else it is wrong.
            right = {o.id for o in picks} == {o.id for o in content.options if o.correct}
            verdict = Verdict(suggested=Grade.GOOD if right else Grade.AGAIN, correct=right,
                              picks=picks)
        elif isinstance(content, Choice):
            picked = self._pick(card, answer)
            right = picked is not None and picked.correct
            verdict = Verdict(
                suggested=Grade.GOOD if right else Grade.AGAIN, correct=right, picked=picked
            )
        elif isinstance(content, Conversation):
            raise ValueError("a conversation is played turn by turn: use check_conversation")
        else:
            assert isinstance(content, Basic)
            verdict = Verdict(suggested=Grade.GOOD)
        self._verdict = verdict
        return verdict

    def check_conversation(self, play: ConversationPlay) -> Verdict:
        """The verdict on a conversation played to its end (or left before it)."""
        self._require_card()
        moves = play.moves
        verdict = Verdict(suggested=play.grade, moves=moves,
                          correct=len(moves) == len(play.conversation.turns)
                          and not any(r.missed for r in play.results))
        self._verdict = verdict
        return verdict

    def _pick(self, card: Card, answer: str) -> Option | None:
        text = answer.strip()
        options = self.option_order(card)
        if text.isdigit() and 1 <= int(text) <= len(options):
            return options[int(text) - 1]
        return next((o for o in options if o.id == text), None)

    def _picks(self, card: Card, answer: str) -> tuple[Option, ...]:
        """'1,3' or '1 3' (numbers as shown, or option ids): the options picked, shown order."""
        chosen = {self._pick(card, part) for part in answer.replace(",", " ").split()}
        return tuple(o for o in self.option_order(card) if o in chosen)

    @property
    def verdict(self) -> Verdict | None:
        return self._verdict

    def grade(self, grade: Grade, *, answer: str = "") -> Card:
        """Save the grade (review row + new card state, one transaction), then move on."""
        card = self._require_card()
        outcome = self.outcomes()[grade]
        verdict = self._verdict
        assessment = verdict.assessment if verdict else None
        review = Review(
            card_id=card.id,
            time=self._clock(),
            grade=grade,
            duration_ms=int((time.monotonic() - self._shown_at) * 1000),
            # A choice pick is stored as the option's id: the number shown depends on the shuffle.
            answer=(",".join(o.id for o in verdict.picks) if verdict and verdict.picks
                    else verdict.picked.id if verdict and verdict.picked else answer),
            correct=verdict.correct if verdict else None,
            coach_label=assessment.label if assessment else None,
            coach_flaws=assessment.flaws if assessment else (),
            turns=verdict.moves if verdict else (),
            unscheduled=self.more is not None and self.more.unscheduled,
        )
        if review.unscheduled:
            # Practice: logged for the streak and the habit, the schedule left as it was.
            self._store.save_practice(card, review, self.today.start_ms)
            saved = card
        else:
            card, saved = self._save_review(card, review, outcome.schedule)
        requeue = (not review.unscheduled and saved.schedule.state is not CardState.REVIEW
                   and saved.schedule.due is not None)
        if requeue and saved.schedule.due is not None:
            requeue = saved.schedule.due <= self._clock() + timedelta(hours=1)
        if requeue:
            self._learning.append(saved)
        correct = verdict.correct if verdict else None
        flaws = assessment.flaws if assessment else ()
        if assessment and not assessment.accepted and not flaws:
            flaws = (f"label:{assessment.label}",)
        if verdict and verdict.moves:  # a conversation: every turn's flaws and missed moves
            flaws = tuple(f for m in verdict.moves for f in (
                m.coach_flaws or ((f"label:{m.coach_label}",) if not m.fits else ())))
        self._done.append(_Done(card=card, correct=correct, flaws=flaws, requeued=requeue,
                                answer=answer, saved=saved))
        self._count(correct, flaws, +1)
        self._advance()
        return saved

    def _save_review(self, card: Card, review: Review, after: Schedule) -> tuple[Card, Card]:
        """Save a grade; if the card was graded elsewhere since it was read (another window or
        terminal: `CardChanged`, nothing written), read it again and schedule the same grade
        on what is stored now, so this grade lands on top of the other, never over it.
        (The card the grade was saved on, the card as saved.)"""
        for _ in range(_SAVE_ATTEMPTS - 1):
            try:
                return card, self._store.save_review(card, review, after)
            except CardChanged:
                card = self._store.card(card.id)
                after = self._scheduler_for(card).outcome(
                    card.id, card.schedule, review.grade, review.time).schedule
        return card, self._store.save_review(card, review, after)

    def _count(self, correct: bool | None, flaws: tuple[str, ...], sign: int) -> None:
        s = self.summary
        s.reviewed += sign
        if correct is not None:
            s.judged += sign
            s.correct += sign if correct else 0
        for flaw in flaws:
            s.mistakes[flaw] += sign
            if s.mistakes[flaw] <= 0:
                del s.mistakes[flaw]

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    def undo(self) -> Card:
        """Take back the last grade: the card's state is restored and it is shown again."""
        if not self._done:
            raise NothingToUndo("there is no grade in this session to undo")
        done = self._done[-1]
        restored = self._store.undo_review(done.card.id, expected=done.saved)
        self._done.pop()
        if done.requeued:
            self._learning = [c for c in self._learning if c.id != done.card.id]
        if self._current is not None and self._current.id != done.card.id:
            self._queue.insert(0, self._current)
        self._count(done.correct, done.flaws, -1)
        self.undone_answer = done.answer
        self._current = restored
        self._outcomes = None
        self._verdict = None
        self._shown_at = time.monotonic()
        return restored

    def _require_card(self) -> Card:
        if self._current is None:
            raise RuntimeError("the session has no current card")
        return self._current
