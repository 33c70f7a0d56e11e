"""A review session driven by random sequences of what a learner does, checked after every step.

A stateful hypothesis test over a collection file in a tmp dir (two decks: basic, choice,
pick-all-that-apply and drill cards): answer (typed text or a pick), grade, undo, suspend, bury,
flag, unsuspend from Browse, let time pass (minutes to days, across a DST change), start another
session (today's study, study more, practice) and restart (close the Store, reopen the file,
start afresh). After every step:

* the full integrity check (`storage.health.problems(store, full=True)`) finds nothing;
* the review log holds exactly the grades given minus the grades undone;
* an undo puts the card back exactly as it was before its grade;
* the only exception is NothingToUndo, for an undo with nothing to undo.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fuzz_support import connection, fuzz_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from negodrill.core.errors import NothingToUndo
from negodrill.core.models import Card, Grade, Preset
from negodrill.core.session import ReviewSession, StudyMore
from negodrill.storage.health import problems
from negodrill.storage.store import Store

T0 = datetime(2026, 3, 7, 20, 0, tzinfo=UTC)  # the night before the US clocks go forward


def basic(i: int, tags: list[str] | None = None) -> dict[str, Any]:
    card: dict[str, Any] = {"id": f"b{i}", "type": "basic", "front": f"Front {i}",
                            "back": f"Back {i}"}
    if tags:
        card["tags"] = tags
    return card


def choice(i: int, *, multiple: bool = False) -> dict[str, Any]:
    return {"id": f"c{i}", "type": "choice", "question": f"Question {i}",
            "tags": ["t"],
            "options": [{"id": "a", "text": "Right", "correct": True, "why": "because"},
                        {"id": "b", "text": "Also right" if multiple else "Wrong",
                         "correct": multiple},
                        {"id": "c", "text": "Wrong", "why": "because not"}]}


def drill(i: int) -> dict[str, Any]:
    return {"id": f"d{i}", "type": "drill", "situation": "Your boss is busy.",
            "prompt": "Can we move the meeting to Friday?", "technique": "no-question",
            "rewrites": ["Would it be a bad idea to move the meeting to Friday?"],
            "pitfalls": [{"text": "Is Friday good for you?", "why": "It asks for a yes."}]}


DECKS = {
    "u-one": [basic(0, ["t"]), basic(1), choice(0), choice(1, multiple=True), drill(0)],
    "u-two": [basic(2), drill(1), basic(3, ["t", "x"])],
}
ANSWERS = st.one_of(
    st.sampled_from(["", "1", "2", "3", "1,2", "1 3", "a", "b", "a,b", "9",
                     "Would it be a bad idea to move the meeting to Friday?",
                     "Is Friday good for you?", "Can we move the meeting to Friday?",
                     "It seems like Friday is impossible for you"]),
    st.text(max_size=60),
)
ZONES: list[tzinfo] = [UTC, ZoneInfo("America/New_York"), ZoneInfo("Australia/Lord_Howe")]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Graded:
    """A grade this session may take back, and the card as it was before it."""

    card_id: int
    before: Card


def _same_progress(a: Card, b: Card) -> bool:
    return (a.schedule, a.reps, a.lapses) == (b.schedule, b.reps, b.lapses)


class SessionMachine(RuleBasedStateMachine):
    base: Path  # set by the test: a tmp_path_factory folder

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(dir=self.base))
        self.path = self.folder / "collection.db"
        self.store = Store.open(self.path)
        self.deck_ids: list[int] = []
        with self.store.atomic():
            for uuid, cards in DECKS.items():
                deck = self.store.insert_deck(uuid=uuid, title=uuid, revision=1,
                                              source="local", now=T0)
                self.deck_ids.append(deck)
                for position, card in enumerate(cards):
                    self.store.insert_card(deck, card, position=position, now=T0)
        self.clock = Clock(T0)
        self.fuzz = False
        self.local: tzinfo = UTC
        self.session: ReviewSession | None = None
        self.graded: list[Graded] = []  # this session's grades, for undo
        self.reviews = 0  # rows the review log should hold

    # -- helpers ---------------------------------------------------------------------------
    def _start(self, deck_ids: list[int] | None = None, limit: int | None = None,
               more: StudyMore | None = None) -> None:
        self.session = ReviewSession(self.store, deck_ids=deck_ids, limit=limit, more=more,
                                     clock=self.clock, fuzz=self.fuzz, local=self.local)
        self.graded = []

    @property
    def live(self) -> ReviewSession:
        assert self.session is not None
        return self.session

    def _has_card(self) -> bool:
        return self.session is not None and self.session.current() is not None

    # -- set-up ----------------------------------------------------------------------------
    @initialize(fuzz=st.booleans(), local=st.sampled_from(ZONES),
                preset=st.none() | st.builds(
                    Preset, new_per_day=st.integers(0, 5), reviews_per_day=st.integers(0, 5),
                    rollover_hour=st.integers(0, 23),
                    learning_steps_min=st.sampled_from([(), (1.0,), (1.0, 10.0)]),
                    relearning_steps_min=st.sampled_from([(), (10.0,)])))
    def start(self, fuzz: bool, local: tzinfo, preset: Preset | None) -> None:
        self.fuzz, self.local = fuzz, local
        if preset is not None:
            self.store.save_preset(preset)
        self._start()

    # -- what a learner does ---------------------------------------------------------------
    @precondition(lambda self: self._has_card())
    @rule(answer=ANSWERS)
    def check(self, answer: str) -> None:
        verdict = self.live.check(answer)
        assert isinstance(verdict.suggested, Grade)

    @precondition(lambda self: self._has_card())
    @rule(grade=st.sampled_from(list(Grade)), answer=ANSWERS, check_first=st.booleans())
    def grade(self, grade: Grade, answer: str, check_first: bool) -> None:
        card = self.live.current()
        assert card is not None
        if check_first:
            self.live.check(answer)
        before = self.store.card(card.id)
        self.live.grade(grade, answer=answer)
        self.graded.append(Graded(card.id, before))
        self.reviews += 1

    @rule()
    def undo(self) -> None:
        if self.session is None:
            return
        if not self.graded:
            assert not self.live.can_undo
            with pytest.raises(NothingToUndo):
                self.live.undo()
            return
        assert self.live.can_undo
        last = self.graded.pop()
        restored = self.live.undo()
        self.reviews -= 1
        assert restored.id == last.card_id
        assert self.live.current() is not None
        assert self.live.current().id == last.card_id  # type: ignore[union-attr]
        stored = self.store.card(last.card_id)
        assert _same_progress(stored, last.before), (stored, last.before)
        assert _same_progress(restored, last.before), (restored, last.before)

    @precondition(lambda self: self._has_card())
    @rule()
    def suspend(self) -> None:
        self.live.suspend_current()

    @precondition(lambda self: self._has_card())
    @rule()
    def bury(self) -> None:
        self.live.bury_current()

    @precondition(lambda self: self._has_card())
    @rule()
    def flag(self) -> None:
        card = self.live.current()
        assert card is not None
        assert self.live.toggle_flag(card.id) in (0, 1)

    @precondition(lambda self: self._has_card())
    @rule()
    def reload(self) -> None:
        card = self.live.current()
        assert card is not None
        assert self.live.reload_current().id == card.id

    @rule()
    def unsuspend_everything(self) -> None:
        """Browse: select all, unsuspend (the session goes on as it was)."""
        ids = [int(r[0]) for r in connection(self.store).execute("SELECT id FROM card")]
        self.store.set_suspended(ids, False)

    @rule(minutes=st.sampled_from([1, 2, 10, 11, 60, 60 * 8, 60 * 24, 60 * 24 * 3])
          | st.integers(0, 60 * 24 * 40))
    def time_passes(self, minutes: int) -> None:
        self.clock.now += timedelta(minutes=minutes)

    @rule(which=st.sampled_from(["all", "one", "two"]),
          limit=st.none() | st.integers(1, 6),
          more=st.none() | st.sampled_from([
              StudyMore(extra_new=2), StudyMore(ahead_days=3), StudyMore(tag="t"),
              StudyMore(flaw="asks_for_yes"), StudyMore(tag="t", reschedule=True),
              StudyMore(ahead_days=30, reschedule=True, limit=2)]))
    def new_session(self, which: str, limit: int | None, more: StudyMore | None) -> None:
        deck_ids = {"all": None, "one": self.deck_ids[:1], "two": self.deck_ids[1:]}[which]
        self._start(deck_ids, limit, more)

    @rule()
    def restart(self) -> None:
        """Quit and start again: the Store closed, the file reopened, a new session."""
        self.store.close()
        self.session = None
        self.store = Store.open(self.path)
        self._start()

    # -- after every step ------------------------------------------------------------------
    @invariant()
    def collection_is_sound(self) -> None:
        found = problems(self.store, full=True)
        assert found == [], found
        count = connection(self.store).execute("SELECT count(*) FROM review").fetchone()[0]
        assert count == self.reviews

    @invariant()
    def session_counts_add_up(self) -> None:
        if self.session is None:
            return
        shown, total = self.session.position
        assert 0 <= shown <= total
        assert all(n >= 0 for n in self.session.remaining)
        assert self.session.can_undo == bool(self.graded)

    def teardown(self) -> None:
        self.store.close()


def test_random_study_sessions(tmp_path_factory: pytest.TempPathFactory) -> None:
    SessionMachine.base = tmp_path_factory.mktemp("fuzz-session")
    run_state_machine_as_test(SessionMachine, settings=fuzz_settings(
        100, stateful_step_count=40))
