"""Fit FSRS-6 parameters to the learner's own review history, and score parameters on it.

Review history in, parameters and metrics out: no SQL, no Qt. The model is FSRS-6 exactly as
py-fsrs (our scheduler, `core/scheduling.py`) computes it, run for all cards at once with numpy:
each card's reviews are replayed in order and every review made on a later study day than the
one before it is a prediction (the retrievability) scored against the outcome (Again = forgot).
Same-day reviews (learning steps) move the memory state but are not scored, as in FSRS/Anki.

Why our own fitting: the FSRS optimizers on PyPI either need torch (`fsrs[optimizer]`,
`fsrs-optimizer`: hundreds of MB) or carry no licence (`fsrs-rs-python`), so they cannot ship
in an MIT app. This one minimises the loss fsrs-rs (Anki's optimizer) minimises, the
recency-weighted binary cross entropy ("log loss"), with Adam and a cosine learning-rate
schedule over mini-batches of cards; gradients are forward differences, computed for all 21
parameters in one vectorised pass.

Metrics are those fsrs-rs reports (so they compare with the figures Anki shows):
log loss weighted by recency (the oldest scored review 0.25, the newest 1.0, rising as the
cube of the rank in time), and RMSE(bins): reviews grouped by interval, number of long-term
reviews and lapses, each on a logarithmic scale; per group the gap between mean prediction and
mean outcome, squared, weighted by the group's weight. Checked against fsrs-rs-python's
`evaluate` to six decimals (docs/PERFORMANCE.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.core.scheduling import (
    DEFAULT_PARAMETERS,
    LOWER_BOUNDS_PARAMETERS,
    STABILITY_MIN,
    UPPER_BOUNDS_PARAMETERS,
)
from negodrill.core.studyday import study_day

# Anki's rule of thumb: below a few hundred reviews a fit mostly learns noise. We count the
# reviews the loss scores (a day or more after the card's previous review), and want 400.
MIN_REVIEWS = 400

N_PARAMETERS = len(DEFAULT_PARAMETERS)
STABILITY_MAX = 36500.0  # fsrs-rs's cap; keeps wild trial parameters from overflowing
EPS = 1e-7  # predictions are clipped to [EPS, 1 - EPS] before taking logs

# Training schedule (the FSRS optimizers use Adam, lr 0.04, batches of 512, 5 epochs; small
# histories get more epochs so that they get at least MIN_STEPS steps).
LEARNING_RATE = 0.04
BATCH_REVIEWS = 512
EPOCHS = 5
MIN_STEPS = 200
MAX_EPOCHS = 40
FD_STEP = 1e-5  # forward-difference step, in optimisation units

# A weak Gaussian prior around the defaults (in optimisation units, scale SPREAD), worth
# PRIOR_WEIGHT reviews: it keeps parameters the history says little about near the defaults.
PRIOR_WEIGHT = 2.0

# Initial stabilities (w0-w3) range over 0.001-100 days: they are optimised as logarithms, so
# a step is a ratio, not a number of days. The rest are optimised as they are.
_LOG = np.arange(N_PARAMETERS) < 4
_LOW = np.array(LOWER_BOUNDS_PARAMETERS, dtype=np.float64)
_HIGH = np.array(UPPER_BOUNDS_PARAMETERS, dtype=np.float64)
_THETA_LOW = np.where(_LOG, np.log(np.maximum(_LOW, STABILITY_MIN)), _LOW)
_THETA_HIGH = np.where(_LOG, np.log(_HIGH), _HIGH)
_SPREAD = np.where(_LOG, 1.5, (_HIGH - _LOW) / 6)

Float = NDArray[np.float64]


class LoggedReview(NamedTuple):
    """One row of the review log, as the optimizer needs it."""

    card_id: int
    time_ms: int
    rating: int  # 1 Again .. 4 Easy
    state_before: int  # 0 (new) after a card's first review: the card was reset


@dataclass(frozen=True)
class History:
    """Every card's reviews in order, flat: card c's are `starts[c]` to `starts[c] + lengths[c]`.

    `elapsed` is in study days, 0 for a card's first review and for same-day reviews. Scored
    reviews (elapsed > 0) carry a recency weight and an FSRS calibration bin; the others 0, -1.
    """

    ratings: NDArray[np.int8]
    elapsed: Float
    weights: Float
    bins: NDArray[np.int64]
    starts: NDArray[np.int64]
    lengths: NDArray[np.int64]
    reviews: int  # every review read, including cards reviewed only once

    @property
    def samples(self) -> int:
        """The reviews that are predictions: not a card's first, and on a later study day."""
        return int(np.count_nonzero(self.elapsed > 0))


@dataclass(frozen=True)
class Metrics:
    log_loss: float
    rmse_bins: float


@dataclass(frozen=True)
class Fit:
    """What optimizing found, and whether the fitted parameters should replace the current."""

    reviews: int
    samples: int
    default: Metrics | None = None
    current: Metrics | None = None  # None when the current parameters are the defaults
    fitted: Metrics | None = None
    parameters: tuple[float, ...] | None = None  # the fitted parameters
    better: bool = False
    message: str = ""


def _log_bin(values: Float, base: float) -> Float:
    """floor(log_base(value)): which of FSRS's logarithmic bins a value falls in."""
    return np.floor(np.log(values) / math.log(base))


def _calibration_bins(
    ratings: NDArray[np.int8], elapsed: Float, sequence: NDArray[np.int64]
) -> NDArray[np.int64]:
    """FSRS's RMSE(bins) groups: the interval, the number of long-term reviews so far and the
    lapses before, each on a logarithmic scale (as fsrs-rs and the FSRS benchmark bin them)."""
    scored = elapsed > 0
    first = np.flatnonzero(np.diff(sequence, prepend=-1))  # where each sequence starts

    def running(flags: NDArray[np.bool_]) -> NDArray[np.int64]:
        total = np.cumsum(flags, dtype=np.int64)
        before = (total - flags)[first]  # the count just before each sequence
        return total - np.repeat(before, np.diff(np.append(first, len(flags))))

    long_term = running(scored)  # including this review
    lapses = running(scored & (ratings == 1)) - (scored & (ratings == 1))  # before this one
    key = np.full(len(ratings), -1, dtype=np.int64)
    if not scored.any():
        return key
    interval = _log_bin(elapsed[scored], 3.62)
    length = _log_bin(long_term[scored].astype(np.float64) + 1.0, 1.89)
    lapse = lapses[scored].astype(np.float64)
    lapse_bin = np.where(lapse > 0, _log_bin(np.maximum(lapse, 1.0), 1.73) + 1, 0.0)
    triples = np.stack([interval, length, lapse_bin], axis=1)
    _, inverse = np.unique(triples, axis=0, return_inverse=True)
    key[scored] = inverse.reshape(-1)  # numpy 2.0.0 gave it an extra axis
    return key


def build_history(
    reviews: Iterable[LoggedReview], rollover_hour: int, local: tzinfo | None = None
) -> History:
    """Per-card sequences with elapsed days counted between study days: `studyday`'s rule,
    in `local` time (default: the machine's zone, as the scheduler uses)."""
    rows = sorted(reviews, key=lambda r: (r.card_id, r.time_ms))
    size = len(rows)
    ratings = np.empty(size, dtype=np.int8)
    elapsed = np.zeros(size, dtype=np.float64)
    times = np.empty(size, dtype=np.int64)
    sequence = np.empty(size, dtype=np.int64)
    day_of: dict[int, int] = {}  # reviews cluster in few minutes: cache by the minute
    previous_card, previous_day, number = None, 0, -1
    for i, row in enumerate(rows):
        if not 1 <= row.rating <= 4:
            raise ValueError(f"a review has rating {row.rating}; ratings are 1 to 4")
        minute = row.time_ms // 60_000
        day = day_of.get(minute)
        if day is None:
            moment = datetime.fromtimestamp(minute * 60, tz=UTC)
            day = day_of[minute] = study_day(moment, rollover_hour, local).toordinal()
        ratings[i], times[i] = row.rating, row.time_ms
        if row.card_id != previous_card or row.state_before == 0:
            number += 1  # a new card, or a reset one: a fresh memory
        else:
            elapsed[i] = max(0, day - previous_day)
        sequence[i] = number
        previous_card, previous_day = row.card_id, day
    # Recent reviews count more, as fsrs-rs weighs them: 0.25 for the oldest scored review,
    # rising as the cube of its rank in time to 1.0 for the newest.
    scored = np.flatnonzero(elapsed > 0)
    weights = np.zeros(size)
    rank = np.empty(len(scored))
    rank[np.argsort(times[scored], kind="stable")] = np.arange(len(scored))
    weights[scored] = 0.25 + 0.75 * (rank / max(len(scored) - 1, 1)) ** 3
    starts = np.flatnonzero(np.diff(sequence, prepend=-1)).astype(np.int64)
    lengths = np.diff(np.append(starts, size)).astype(np.int64)
    keep = lengths > 1  # a single review predicts nothing
    return History(ratings, elapsed, weights, _calibration_bins(ratings, elapsed, sequence),
                   starts[keep], lengths[keep], reviews=size)


# -- the model --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Packed:
    """Cards laid out step by step: step i holds the i-th review of the `counts[i]` longest
    cards, so each step works on a prefix of the state arrays. `index` maps back to History."""

    ratings: NDArray[np.int8]
    elapsed: Float
    weights: Float
    index: NDArray[np.int64]
    counts: tuple[int, ...]
    weight: float  # the scored reviews' total weight


def _pack(history: History, cards: NDArray[np.int64]) -> _Packed:
    lengths = history.lengths[cards]
    order = np.argsort(-lengths, kind="stable")
    cards, lengths = cards[order], lengths[order]
    if len(cards) == 0:
        index = np.zeros(0, dtype=np.int64)
        return _Packed(history.ratings[index], history.elapsed[index], history.weights[index],
                       index, (), 0.0)
    negative = -lengths
    counts = tuple(
        int(np.searchsorted(negative, -step, side="left")) for step in range(int(lengths[0]))
    )
    starts = history.starts[cards]
    index = np.concatenate([starts[:n] + step for step, n in enumerate(counts)])
    weights = history.weights[index]
    return _Packed(history.ratings[index], history.elapsed[index], weights, index, counts,
                   float(weights.sum()))


def _run(w: Float, packed: _Packed, collect: bool = False) -> tuple[Float, Float, Float]:
    """Replay the packed cards under each row of parameters `w` (K x 21).

    Returns the weighted log loss summed per row and, with `collect`, the first row's
    predictions and the outcomes (1 = recalled) of the scored reviews, in packed order.
    """
    k = w.shape[0]
    loss = np.zeros(k)
    predictions: list[Float] = []
    outcomes: list[Float] = []
    if not packed.counts:
        return loss, np.zeros(0), np.zeros(0)

    def col(j: int) -> Float:
        return w[:, j : j + 1]

    decay = col(20)
    factor = 0.9 ** (-1.0 / decay) - 1.0
    easy_difficulty = col(4) - np.exp(3.0 * col(5)) + 1.0  # D0(Easy), unclamped: mean reversion
    with np.errstate(all="ignore"):
        n = packed.counts[0]
        g = packed.ratings[:n].astype(np.int64)
        s = np.maximum(np.take(w[:, :4], g - 1, axis=1), STABILITY_MIN)
        d = np.clip(col(4) - np.exp(col(5) * (g - 1)) + 1.0, 1.0, 10.0)
        offset = n
        for n in packed.counts[1:]:
            g = packed.ratings[offset : offset + n].astype(np.int64)
            t = packed.elapsed[offset : offset + n]
            weight = packed.weights[offset : offset + n]
            offset += n
            s, d = s[:, :n], d[:, :n]
            r = (1.0 + factor * t / s) ** -decay
            later = t > 0
            if later.any():
                p = np.clip(r[:, later], EPS, 1.0 - EPS)
                y = g[later] > 1
                loss -= (np.where(y, np.log(p), np.log1p(-p)) * weight[later]).sum(axis=1)
                if collect:
                    predictions.append(r[0, later])
                    outcomes.append(y.astype(np.float64))
            hard = np.where(g == 2, col(15), 1.0)
            easy = np.where(g == 4, col(16), 1.0)
            recall = s * (
                1.0 + np.exp(col(8)) * (11.0 - d) * s ** -col(9)
                * (np.exp((1.0 - r) * col(10)) - 1.0) * hard * easy
            )
            forget = np.minimum(
                col(11) * d ** -col(12) * ((s + 1.0) ** col(13) - 1.0)
                * np.exp((1.0 - r) * col(14)),
                s / np.exp(col(17) * col(18)),
            )
            # Same-day reviews: the short-term formula; Hard, Good and Easy never lower S.
            gain = np.exp(col(17) * (g - 3 + col(18))) * s ** -col(19)
            short = s * np.where(g >= 2, np.maximum(gain, 1.0), gain)
            s = np.clip(np.where(later, np.where(g == 1, forget, recall), short),
                        STABILITY_MIN, STABILITY_MAX)
            d = d + (-col(6) * (g - 3)) * (10.0 - d) / 9.0
            d = np.clip(col(7) * easy_difficulty + (1.0 - col(7)) * d, 1.0, 10.0)
    if collect and predictions:
        return loss, np.concatenate(predictions), np.concatenate(outcomes)
    return loss, np.zeros(0), np.zeros(0)


def rmse_bins(
    predictions: Float, outcomes: Float, bins: NDArray[np.int64], weights: Float
) -> float:
    """FSRS's RMSE(bins): per bin, the gap between mean prediction and mean outcome, squared,
    weighted by the bin's total review weight."""
    if len(predictions) == 0:
        return 0.0
    count = np.bincount(bins).astype(np.float64)
    used = count > 0
    gap = (np.bincount(bins, predictions)[used] - np.bincount(bins, outcomes)[used]) / count[used]
    weight = np.bincount(bins, weights)[used]
    return float(math.sqrt(float(np.sum(weight * gap**2)) / float(np.sum(weight))))


def _all_cards(history: History) -> NDArray[np.int64]:
    return np.arange(len(history.lengths), dtype=np.int64)


def evaluate(history: History, parameters: Sequence[float]) -> Metrics:
    """Log loss and RMSE(bins) of `parameters` predicting the history, both recency-weighted
    as fsrs-rs reports them (and so as Anki shows them)."""
    packed = _pack(history, _all_cards(history))
    if packed.weight == 0:
        return Metrics(log_loss=0.0, rmse_bins=0.0)
    w = np.array([parameters], dtype=np.float64)
    loss, predictions, outcomes = _run(w, packed, collect=True)
    scored = packed.index[packed.elapsed > 0]
    return Metrics(
        log_loss=float(loss[0]) / packed.weight,
        rmse_bins=rmse_bins(predictions, outcomes, history.bins[scored],
                            history.weights[scored]),
    )


# -- fitting ----------------------------------------------------------------------------------
def _to_theta(parameters: Sequence[float]) -> Float:
    w = np.clip(np.array(parameters, dtype=np.float64), _LOW, _HIGH)
    return np.where(_LOG, np.log(np.maximum(w, STABILITY_MIN)), w)


def _to_w(theta: Float) -> Float:
    return np.where(_LOG, np.exp(theta), theta)


def _scored_per_card(history: History) -> NDArray[np.int64]:
    """How many scored reviews each card has (dropped one-review cards in between score none)."""
    if len(history.starts) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.add.reduceat((history.elapsed > 0).astype(np.int64), history.starts)


def _batches(
    scored: NDArray[np.int64], rng: np.random.Generator
) -> list[NDArray[np.int64]]:
    """Cards in random order, cut into batches of about BATCH_REVIEWS scored reviews."""
    shuffled = rng.permutation(len(scored)).astype(np.int64)
    running = np.cumsum(scored[shuffled])
    cuts = np.searchsorted(running, np.arange(BATCH_REVIEWS, running[-1], BATCH_REVIEWS)) + 1
    return [batch for batch in np.split(shuffled, cuts) if len(batch)]


def fit(
    history: History,
    *,
    start: Sequence[float] = DEFAULT_PARAMETERS,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    seed: int = 2023,
) -> tuple[float, ...]:
    """Parameters that predict `history` better than `start` (or `start` itself).

    Keeps the best of the epochs by the full history's loss plus the prior, so the result
    never scores worse than `start` on that measure.
    """
    rng = np.random.default_rng(seed)
    cards = _all_cards(history)
    everything = _pack(history, cards)
    total = everything.weight
    if total == 0:
        return tuple(float(x) for x in start)
    anchor = _to_theta(DEFAULT_PARAMETERS)
    prior = PRIOR_WEIGHT / total

    def objective(theta: Float) -> float:
        loss, _, _ = _run(_to_w(theta[None, :]), everything)
        return float(loss[0]) / total + prior * float(np.sum(((theta - anchor) / _SPREAD) ** 2))

    theta = _to_theta(start)
    best, best_score = theta.copy(), objective(theta)
    scored = _scored_per_card(history)
    per_epoch = len(_batches(scored, np.random.default_rng(seed)))
    epochs = min(MAX_EPOCHS, max(EPOCHS, math.ceil(MIN_STEPS / max(per_epoch, 1))))
    steps = epochs * per_epoch
    m, v = np.zeros(N_PARAMETERS), np.zeros(N_PARAMETERS)
    probe = np.vstack([np.zeros(N_PARAMETERS), np.eye(N_PARAMETERS) * FD_STEP])
    step = 0
    for _epoch in range(epochs):
        for batch in _batches(scored, rng):
            if cancel is not None:
                cancel.check()
            packed = _pack(history, batch)
            if packed.weight == 0:
                continue
            thetas = theta[None, :] + probe
            loss, _, _ = _run(_to_w(thetas), packed)
            score = loss / packed.weight + prior * np.sum(((thetas - anchor) / _SPREAD) ** 2, 1)
            grad = (score[1:] - score[0]) / FD_STEP
            step += 1
            rate = LEARNING_RATE * 0.5 * (1.0 + math.cos(math.pi * min(step, steps) / steps))
            m = 0.9 * m + 0.1 * grad
            v = 0.999 * v + 0.001 * grad**2
            m_hat, v_hat = m / (1 - 0.9**step), v / (1 - 0.999**step)
            theta = np.clip(theta - rate * m_hat / (np.sqrt(v_hat) + 1e-8),
                            _THETA_LOW, _THETA_HIGH)
            progress(step, steps, "fitting")
        score_now = objective(theta)
        if score_now < best_score:
            best, best_score = theta.copy(), score_now
    return tuple(round(float(x), 4) for x in np.clip(_to_w(best), _LOW, _HIGH))


def optimize(
    history: History,
    current: Sequence[float] | None,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> Fit:
    """Fit, score default, current and fitted parameters, and decide (lower log loss wins)."""
    samples = history.samples
    if samples < MIN_REVIEWS:
        return Fit(
            reviews=history.reviews, samples=samples,
            message=(f"You have {samples} review{'' if samples == 1 else 's'} that test your "
                     f"memory (a day or more after the card's previous review); optimizing "
                     f"needs at least {MIN_REVIEWS}, so the current parameters stay."),
        )
    default = evaluate(history, DEFAULT_PARAMETERS)
    is_default = current is None or tuple(current) == tuple(DEFAULT_PARAMETERS)
    current_metrics = default if is_default else evaluate(history, tuple(current or ()))
    parameters = fit(history, progress=progress, cancel=cancel)
    fitted = evaluate(history, parameters)
    better = fitted.log_loss < current_metrics.log_loss - 1e-6
    which = "the default" if is_default else "the current"
    if better:
        message = (f"The fitted parameters predict your reviews better than {which} ones "
                   f"(log loss {fitted.log_loss:.4f} against {current_metrics.log_loss:.4f}).")
    else:
        message = (f"The fitted parameters do not predict your reviews better than {which} "
                   f"ones (log loss {fitted.log_loss:.4f} against "
                   f"{current_metrics.log_loss:.4f}), so {which} ones stay.")
    return Fit(
        reviews=history.reviews, samples=samples, default=default,
        current=None if is_default else current_metrics, fitted=fitted,
        parameters=parameters, better=better, message=message,
    )
