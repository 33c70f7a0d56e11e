"""Fitting FSRS parameters: a simulated learner with known parameters, the model against the
app's own scheduler, the metrics, and the decisions (not enough reviews, keep the current).

`simulate` is also used by the CLI and Settings tests.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from negodrill.core import optimizer
from negodrill.core.errors import Cancelled
from negodrill.core.models import CardState, Grade, Preset, Schedule
from negodrill.core.optimizer import (
    DEFAULT_PARAMETERS,
    MIN_REVIEWS,
    LoggedReview,
    build_history,
    evaluate,
    fit,
    optimize,
)
from negodrill.core.progress import CancelToken
from negodrill.core.scheduling import Scheduler

# A learner unlike FSRS's average one: slower to forget new cards, a flatter forgetting curve.
TRUE_PARAMETERS = (0.6, 2.4, 6.0, 20.0, 5.5, 1.1, 2.2, 0.02, 1.3, 0.25, 1.1, 1.8, 0.1, 0.35,
                   1.9, 0.5, 2.2, 0.4, 0.2, 0.1, 0.35)
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ROLLOVER = 4


def simulate(
    parameters: Sequence[float] = TRUE_PARAMETERS, *, cards: int = 300, days: int = 150,
    seed: int = 7, card_ids: Sequence[int] | None = None,
) -> list[LoggedReview]:
    """A learner whose memory follows FSRS with `parameters`, scheduled by the app's scheduler
    with those parameters: each answer is recalled with the true retrievability at the moment
    of the review (seeded), and reviews come up to a third of an interval late."""
    rng = random.Random(seed)
    scheduler = Scheduler(Preset(parameters=tuple(parameters)), fuzz=False, local=UTC)
    decay = parameters[20]
    factor = 0.9 ** (-1 / decay) - 1
    end = T0 + timedelta(days=days)
    ids = list(card_ids) if card_ids is not None else list(range(1, cards + 1))
    reviews = []
    for card_id in ids:
        now = T0 + timedelta(days=rng.randrange(days // 2), hours=rng.uniform(0, 12))
        schedule, last = Schedule(), now
        while now < end:
            if schedule.state is CardState.NEW:
                grade = rng.choices(list(Grade), weights=(25, 15, 50, 10))[0]
            else:
                assert schedule.stability is not None
                elapsed = (now - last).total_seconds() / 86400
                recall = (1 + factor * elapsed / schedule.stability) ** -decay
                grade = (rng.choices((Grade.HARD, Grade.GOOD, Grade.EASY), weights=(15, 75, 10))[0]
                         if rng.random() < recall else Grade.AGAIN)
            outcome = scheduler.outcome(card_id, schedule, grade, now)
            reviews.append(LoggedReview(card_id, int(now.timestamp() * 1000), int(grade),
                                        int(schedule.state)))
            schedule, last = outcome.schedule, now
            assert outcome.schedule.due is not None
            due = outcome.schedule.due
            if outcome.interval >= timedelta(days=1):
                due += timedelta(days=rng.uniform(0, 0.33) * outcome.interval.days,
                                 hours=rng.uniform(-3, 6))
            now = max(due, now + timedelta(minutes=1))
    return reviews


@pytest.fixture(scope="module")
def learner() -> optimizer.History:
    return build_history(simulate(), ROLLOVER, UTC)


def test_the_fit_predicts_a_simulated_learner_better_than_the_defaults(
    learner: optimizer.History,
) -> None:
    assert learner.samples > 1000
    default = evaluate(learner, DEFAULT_PARAMETERS)
    truth = evaluate(learner, TRUE_PARAMETERS)
    fitted_parameters = fit(learner)
    fitted = evaluate(learner, fitted_parameters)
    assert truth.log_loss < default.log_loss  # the simulation is distinguishable at all
    assert fitted.log_loss < default.log_loss - 0.005
    assert fitted.log_loss < truth.log_loss + 0.003  # about as good as the truth
    assert fitted.rmse_bins < default.rmse_bins
    assert len(fitted_parameters) == len(DEFAULT_PARAMETERS) == 21
    Scheduler(Preset(parameters=fitted_parameters))  # fsrs accepts them (its bounds)
    # The initial stability after Easy is the clearest difference: the fit moves towards it.
    assert fitted_parameters[3] > DEFAULT_PARAMETERS[3] + 3


def test_the_model_replays_reviews_as_the_apps_scheduler_does() -> None:
    """Log loss computed by hand from the stabilities py-fsrs gives equals `evaluate`."""
    reviews = simulate(cards=40, days=90, seed=3)
    parameters = TRUE_PARAMETERS
    scheduler = Scheduler(Preset(parameters=parameters), fuzz=False, local=UTC)
    decay, scored = parameters[20], []
    factor = 0.9 ** (-1 / decay) - 1
    by_card: dict[int, list[LoggedReview]] = {}
    for review in reviews:
        by_card.setdefault(review.card_id, []).append(review)
    for card_id, rows in by_card.items():
        schedule = Schedule()
        for row in rows:
            now = datetime.fromtimestamp(row.time_ms / 1000, UTC)
            if schedule.last_review is not None and schedule.stability is not None:
                days = (now - schedule.last_review).days
                if days > 0:
                    recall = (1 + factor * days / schedule.stability) ** -decay
                    scored.append((row.time_ms, recall, row.rating > 1))
            schedule = scheduler.outcome(card_id, schedule, Grade(row.rating), now).schedule
    scored.sort(key=lambda item: item[0])
    weights = [0.25 + 0.75 * (i / (len(scored) - 1)) ** 3 for i in range(len(scored))]
    by_hand = -sum(w * math.log(p if y else 1 - p)
                   for w, (_, p, y) in zip(weights, scored, strict=True)) / sum(weights)
    history = build_history(reviews, ROLLOVER, UTC)
    assert history.samples == len(scored)
    assert evaluate(history, parameters).log_loss == pytest.approx(by_hand, rel=1e-9)


def _at(day: int, hour: int, minute: int = 0) -> int:
    return int((T0.replace(hour=0) + timedelta(days=day, hours=hour, minutes=minute))
               .timestamp() * 1000)


def test_elapsed_days_count_study_days_and_a_reset_starts_afresh() -> None:
    reviews = [
        LoggedReview(1, _at(0, 22), 3, 0),
        LoggedReview(1, _at(1, 2), 3, 2),   # before the 4:00 rollover: still day 0
        LoggedReview(1, _at(1, 8), 3, 2),   # day 1
        LoggedReview(1, _at(5, 9), 1, 2),   # day 5
        LoggedReview(1, _at(6, 9), 3, 0),   # reset: a new card as far as memory goes
        LoggedReview(1, _at(8, 9), 3, 2),
        LoggedReview(2, _at(3, 9), 4, 0),   # one review: predicts nothing
    ]
    history = build_history(reversed(reviews), ROLLOVER, UTC)  # order is restored
    assert history.reviews == 7
    assert history.lengths.tolist() == [4, 2]
    assert history.elapsed.tolist() == [0, 0, 1, 4, 0, 2, 0]
    assert history.samples == 3
    # the oldest scored review weighs 0.25, the newest 1.0
    assert history.weights.tolist() == pytest.approx([0, 0, 0.25, 0.25 + 0.75 / 8, 0, 1.0, 0])
    with pytest.raises(ValueError, match="ratings are 1 to 4"):
        build_history([LoggedReview(1, 0, 5, 0)], ROLLOVER, UTC)


def test_rmse_bins_weighs_each_bins_gap_by_its_weight() -> None:
    import numpy as np

    predictions = np.array([0.9, 0.9, 0.5, 0.7])
    outcomes = np.array([1.0, 0.0, 1.0, 1.0])
    bins = np.array([0, 0, 1, 1])
    weights = np.array([1.0, 1.0, 1.0, 3.0])
    # bin 0: mean 0.9 vs 0.5, weight 2; bin 1: mean 0.6 vs 1.0, weight 4
    expected = math.sqrt((2 * 0.4**2 + 4 * 0.4**2) / 6)
    assert optimizer.rmse_bins(predictions, outcomes, bins, weights) == pytest.approx(expected)


def test_too_few_reviews_are_not_fitted_and_the_message_says_how_many() -> None:
    history = build_history(simulate(cards=30, days=40), ROLLOVER, UTC)
    assert 0 < history.samples < MIN_REVIEWS
    result = optimize(history, None)
    assert result.parameters is None
    assert not result.better
    assert result.message.startswith(f"You have {history.samples} reviews that test your memory")
    assert f"needs at least {MIN_REVIEWS}" in result.message


def test_optimize_applies_only_what_beats_the_current_parameters(
    learner: optimizer.History,
) -> None:
    first = optimize(learner, None)
    assert first.better
    assert first.parameters is not None
    assert first.current is None  # the current ones are the defaults
    assert first.default is not None
    assert first.fitted is not None
    assert first.fitted.log_loss < first.default.log_loss
    # Fitting again from the defaults finds the same parameters: no better than the current.
    again = optimize(learner, first.parameters)
    assert again.current is not None
    assert not again.better
    assert "so the current ones stay" in again.message


def test_fitting_reports_progress_and_can_be_cancelled(learner: optimizer.History) -> None:
    seen: list[tuple[int, int]] = []
    token = CancelToken()

    def progress(done: int, total: int, what: str) -> None:
        seen.append((done, total))
        if done == 3:
            token.cancel()

    with pytest.raises(Cancelled):
        fit(learner, progress=progress, cancel=token)
    assert seen[:3] == [(1, seen[0][1]), (2, seen[0][1]), (3, seen[0][1])]
    assert seen[0][1] > 3  # the planned number of steps
