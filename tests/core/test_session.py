"""ReviewSession over a real (in-memory) store: queue, limits, grading, undo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from negodrill.core.errors import NothingToUndo
from negodrill.core.models import CardState, Grade, Preset
from negodrill.core.session import ReviewSession
from negodrill.storage.store import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def basic(i: int) -> dict[str, object]:
    return {"id": f"b{i}", "type": "basic", "front": f"Front {i}", "back": f"Back {i}"}


def choice(i: int) -> dict[str, object]:
    return {
        "id": f"c{i}",
        "type": "choice",
        "question": f"Question {i}",
        "options": [
            {"id": "a", "text": "Right", "correct": True, "why": "because"},
            {"id": "b", "text": "Wrong", "why": "because not"},
        ],
    }


def drill(i: int) -> dict[str, object]:
    return {
        "id": f"d{i}",
        "type": "drill",
        "situation": f"Situation {i}",
        "prompt": "Can we move the meeting to Friday?",
        "technique": "no-question",
        "rewrites": ["Would it be a bad idea to move the meeting to Friday?"],
    }


def make_store(cards: list[dict[str, object]], *, preset: Preset | None = None) -> Store:
    store = Store.memory()
    with store.atomic():
        deck = store.insert_deck(uuid="u1", title="Test", revision=1, source="local", now=T0)
        for i, card in enumerate(cards):
            store.insert_card(deck, card, position=i, now=T0)
    if preset:
        store.save_preset(preset)
    return store


@pytest.fixture
def store() -> Iterator[Store]:
    s = make_store([basic(i) for i in range(30)])
    yield s
    s.close()


def session(store: Store, clock: Clock | None = None, **kw: object) -> ReviewSession:
    return ReviewSession(store, clock=clock or Clock(T0), fuzz=False, local=UTC, **kw)  # type: ignore[arg-type]


def test_new_cards_come_in_file_order_up_to_the_daily_limit(store: Store) -> None:
    s = session(store)
    assert s.position == (1, 20)
    card = s.current()
    assert card is not None
    assert card.key == "b0"


def test_daily_new_limit_counts_what_was_studied_today(store: Store) -> None:
    s = session(store)
    for _ in range(5):
        s.check("")
        s.grade(Grade.EASY)
    again = session(store, Clock(T0 + timedelta(hours=1)))
    assert again.position == (1, 15)
    tomorrow = session(store, Clock(T0 + timedelta(days=1)))
    assert tomorrow.position[1] == 20


def test_grade_stores_one_review_and_the_new_state_together(store: Store) -> None:
    s = session(store)
    card = s.current()
    assert card is not None
    s.check("any")
    saved = s.grade(Grade.GOOD)
    assert saved.schedule.state is CardState.LEARNING
    row = store._db.execute(
        "SELECT rating, state_before, state_after FROM review WHERE card_id = ?", [card.id]
    ).fetchall()
    assert row == [(3, 0, 1)]
    assert store.card(card.id).schedule.due == T0 + timedelta(minutes=10)


def test_learning_card_comes_back_in_the_same_session() -> None:
    store = make_store([basic(0)])
    clock = Clock(T0)
    s = session(store, clock)
    first = s.current()
    assert first is not None
    s.grade(Grade.AGAIN)
    again = s.current()
    assert again is not None
    assert again.id == first.id
    clock.now += timedelta(minutes=2)
    s.grade(Grade.EASY)
    assert s.finished


def test_undo_restores_the_card_exactly_and_removes_its_review(store: Store) -> None:
    s = session(store)
    card = s.current()
    assert card is not None
    before = store.card(card.id)
    s.grade(Grade.GOOD)
    assert s.current() is not None
    assert s.current().id != card.id
    restored = s.undo()
    assert restored == before
    assert store.card(card.id) == before
    assert store._db.execute("SELECT count(*) FROM review").fetchone()[0] == 0
    assert s.current() == before
    assert s.summary.reviewed == 0


def test_undo_twice_walks_back_two_grades(store: Store) -> None:
    s = session(store)
    a = s.current()
    s.grade(Grade.EASY)
    b = s.current()
    s.grade(Grade.EASY)
    assert a is not None
    assert b is not None
    assert s.undo().id == b.id
    assert s.undo().id == a.id
    with pytest.raises(NothingToUndo):
        s.undo()


def test_undo_of_a_card_that_came_straight_back() -> None:
    store = make_store([basic(0)])
    s = session(store)
    card = s.current()
    s.grade(Grade.AGAIN)
    assert s.current() is not None
    s.undo()
    assert s.current() == card
    assert s.position == (1, 1)


def test_choice_pick_by_number_is_judged() -> None:
    store = make_store([choice(0)])
    s = session(store)
    card = s.current()
    assert card is not None
    order = s.option_order(card)
    right = next(i for i, o in enumerate(order, start=1) if o.correct)
    wrong = 3 - right
    assert s.check(str(wrong)).suggested is Grade.AGAIN
    verdict = s.check(str(right))
    assert verdict.correct is True
    assert verdict.suggested is Grade.GOOD
    assert s.check("banana").correct is False
    s.check(str(right))
    s.grade(Grade.GOOD, answer=str(right))  # the terminal passes the typed number on
    assert store._db.execute("SELECT answer FROM review").fetchone()[0] == "a"
    assert s.summary.correct == 1


def test_drill_check_uses_the_coach_and_stores_its_label() -> None:
    store = make_store([drill(0)])
    s = session(store)
    verdict = s.check("Would it be a bad idea to move the meeting to Friday?")
    assert verdict.assessment is not None
    assert verdict.assessment.label == "no_oriented"
    assert verdict.suggested is Grade.GOOD
    s.grade(verdict.suggested, answer="Would it be a bad idea to move the meeting to Friday?")
    row = store._db.execute(
        "SELECT coach_label, coach_flaws, answer, correct FROM review"
    ).fetchone()
    assert row[0] == "no_oriented"
    assert row[1] == "[]"
    assert row[2].startswith("Would it be")
    assert row[3] == 1


def test_a_yes_question_is_marked_again_and_counted_as_a_mistake() -> None:
    store = make_store([drill(0)])
    s = session(store)
    verdict = s.check("Can we please move the meeting to Friday?")
    assert verdict.suggested is Grade.AGAIN
    s.grade(Grade.AGAIN)
    assert s.summary.judged == 1
    assert s.summary.correct == 0
    assert s.summary.mistakes


def test_due_reviews_come_before_new_cards() -> None:
    store = make_store([basic(i) for i in range(3)])
    s = session(store)
    first = s.current()
    assert first is not None
    s.grade(Grade.EASY)  # graduates: due in days
    later = Clock(T0 + timedelta(days=30))
    s2 = session(store, later)
    assert s2.current() is not None
    assert s2.current().id == first.id


def test_review_limit_caps_due_reviews() -> None:
    store = make_store([basic(i) for i in range(5)], preset=Preset(reviews_per_day=2))
    s = session(store)
    for _ in range(5):
        s.grade(Grade.EASY)
    later = session(store, Clock(T0 + timedelta(days=60)))
    assert later.position == (1, 2)


def test_suspended_cards_are_not_studied(store: Store) -> None:
    first = session(store).current()
    assert first is not None
    store.set_suspended([first.id], True)
    assert session(store).current().id != first.id  # type: ignore[union-attr]


def test_limit_caps_the_number_of_answers(store: Store) -> None:
    s = session(store, limit=2)
    assert s.position == (1, 2)
    s.grade(Grade.AGAIN)  # comes back later, but the limit counts answers
    assert s.position == (2, 2)
    s.grade(Grade.GOOD)
    assert s.finished


def test_judged_answers_are_stored_as_right_or_wrong() -> None:
    store = make_store([choice(0), basic(1)])
    s = session(store)
    card = s.current()
    assert card is not None
    wrong = next(i for i, o in enumerate(s.option_order(card), start=1) if not o.correct)
    s.check(str(wrong))
    s.grade(Grade.AGAIN, answer=str(wrong))
    s.check("")
    s.grade(Grade.GOOD)
    rows = store._db.execute("SELECT answer, correct FROM review ORDER BY id").fetchall()
    assert rows == [("b", 0), ("", None)]  # a basic card is revealed, not judged


def test_each_deck_is_scheduled_with_its_own_retention_and_limits() -> None:
    from negodrill.storage import presets

    store = Store.memory()
    with store.atomic():
        decks = [store.insert_deck(uuid=f"u{i}", title=f"D{i}", revision=1, source="local",
                                   now=T0) for i in range(2)]
        for i in range(6):
            store.insert_card(decks[i % 2], basic(i), position=i, now=T0)
    store.save_preset(Preset(new_per_day=4))
    loose = presets.save(store, None, "Loose", Preset(new_per_day=1, desired_retention=0.75))
    presets.use(store, decks[1], loose)
    s = session(store)
    assert s.remaining == (4, 0, 0)  # D0 gives 3 (its 3 cards), D1 its limit of 1
    easy: dict[int, float] = {}
    while (card := s.current()) is not None:
        easy[card.deck_id] = s.outcomes()[Grade.EASY].interval.total_seconds()
        s.grade(Grade.EASY)
    assert easy[decks[1]] > easy[decks[0]]  # lower retention: longer intervals
    alone = session(store, deck_ids=[decks[1]])
    assert alone.preset.desired_retention == 0.75
    assert alone.remaining == (0, 0, 0)  # its one new card for today is used up
    store.close()


def test_reading_deck_options_writes_nothing() -> None:
    from negodrill.storage import presets

    store = Store.memory()
    with store.atomic():
        deck = store.insert_deck(uuid="u", title="D", revision=1, source="local", now=T0)
    assert presets.presets(store) == [(presets.UNWRITTEN, "Default", Preset())]
    assert store.preset_for_deck(deck) == Preset()
    assert store._db.execute("SELECT count(*) FROM preset").fetchone()[0] == 0
    # Saving the default's limits from a deck's options writes the default preset.
    saved = presets.save(store, presets.UNWRITTEN, "Default", Preset(new_per_day=7))
    assert store.preset().new_per_day == 7
    presets.use(store, deck, saved)
    assert store._db.execute("SELECT preset_id FROM deck").fetchone()[0] is None
    store.close()


def test_study_more_practice_leaves_the_schedule_alone() -> None:
    from negodrill.core.session import StudyMore
    from negodrill.storage.history import logged_reviews

    store = make_store([drill(i) for i in range(4)])
    clock = Clock(T0)
    s = session(store, clock)
    while s.current() is not None:  # today's study: all four learnt to review state
        s.grade(Grade.EASY)
    before = {c: store.card(c) for c in range(1, 5)}
    clock.now = T0 + timedelta(hours=2)
    practice = session(store, clock, more=StudyMore(ahead_days=60))
    assert practice.remaining[2] == 4  # review cards due within 60 days, ahead of time
    assert practice.intervals()[Grade.GOOD] == "no change"
    verdict = practice.check("Would it be a bad idea to move the meeting to Friday?")
    practice.grade(verdict.suggested)
    practice.grade(Grade.AGAIN)  # no verdict needed for a grade
    assert {c: store.card(c) for c in range(1, 5)} == before  # schedules untouched
    marks = [r[0] for r in store._db.execute("SELECT unscheduled FROM review ORDER BY id")]
    assert marks == [0, 0, 0, 0, 1, 1]
    # Daily limits, the optimizer and check ignore practice; the streak counts it.
    assert store.studied_today(T0, T0 + timedelta(days=1)) == (4, 0)
    assert len(logged_reviews(store)) == 4
    assert store.integrity_problems(full=True) == []
    practice.undo()
    assert store._db.execute("SELECT count(*) FROM review").fetchone()[0] == 5
    assert store.integrity_problems(full=True) == []
    store.close()


def test_study_more_extra_new_cards_are_scheduled_as_usual() -> None:
    from negodrill.core.session import StudyMore

    store = make_store([drill(i) for i in range(6)], preset=Preset(new_per_day=2))
    s = session(store)
    while s.current() is not None:
        s.grade(Grade.EASY)
    assert session(store).finished  # today's limit is used up
    more = session(store, more=StudyMore(extra_new=3))
    assert more.remaining == (3, 0, 0)
    more.grade(Grade.EASY)
    assert store._db.execute("SELECT unscheduled FROM review ORDER BY id DESC").fetchone()[0] == 0
    store.close()


def test_a_choice_card_the_author_keeps_in_order_is_not_shuffled() -> None:
    from negodrill.core.cards import content_from_json, content_to_json
    from negodrill.core.content import Choice

    data = {"type": "choice", "question": "Which?", "shuffle": False, "options": [
        {"id": f"o{i}", "text": f"Option {i}", "correct": i == 0} for i in range(5)]}
    content = content_from_json(data)
    assert isinstance(content, Choice)
    assert not content.shuffle
    assert content_to_json(content)["shuffle"] is False
    store = Store.memory()
    with store.atomic():
        deck = store.insert_deck(uuid="u-order", title="T", revision=1, source="local", now=T0)
        store.insert_card(deck, {"id": "c", **data}, position=0, now=T0)
        store.insert_card(deck, {"id": "d", **data, "shuffle": True}, position=1, now=T0)
    session = ReviewSession(store, clock=lambda: T0, fuzz=False)
    kept = session.option_order()
    assert [o.id for o in kept] == [f"o{i}" for i in range(5)]
    orders = {tuple(o.id for o in session.option_order(store.card(cid)))
              for cid in range(1, 3)}
    assert len(orders) == 2  # the other card, shuffle on, comes in another order
