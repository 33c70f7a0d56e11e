"""Optimize for my reviews: fit the FSRS parameters to the learner's history, say how well
default, current and fitted parameters predict it, and save the fitted ones only when better.

Shared by `negodrill optimize` and Settings; the maths is in `core/optimizer.py`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import tzinfo

from negodrill.core.optimizer import Fit, Metrics, build_history, optimize
from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.storage.history import logged_reviews
from negodrill.storage.store import Store


def fit_parameters(
    store: Store,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    local: tzinfo | None = None,
) -> Fit:
    """Read the whole review log and fit; writes nothing."""
    progress(0, 0, "reading your reviews")
    preset = store.preset()
    history = build_history(logged_reviews(store), preset.rollover_hour, local)
    progress(0, 0, "scoring the current parameters")
    return optimize(history, preset.parameters, progress=progress, cancel=cancel)


def apply_fit(store: Store, fit: Fit) -> bool:
    """Save the fitted parameters in the preset if they predict better; whether it did."""
    if not fit.better or fit.parameters is None:
        return False
    store.save_preset(replace(store.preset(), parameters=fit.parameters))
    return True


def reset_parameters(store: Store) -> bool:
    """Go back to the default parameters; whether the preset had others."""
    preset = store.preset()
    if preset.parameters is None:
        return False
    store.save_preset(replace(preset, parameters=None))
    return True


def uses_default_parameters(store: Store) -> bool:
    return store.preset().parameters is None


def _metric_row(name: str, metrics: Metrics) -> str:
    return f"  {name:<10}{metrics.log_loss:>10.4f}{metrics.rmse_bins * 100:>12.2f}%"


def describe(fit: Fit) -> list[str]:
    """The review counts, each parameter set's log loss and RMSE(bins), and the verdict."""
    lines = [
        f"reviews: {fit.reviews:,}, of which {fit.samples:,} test your memory "
        "(a day or more after the card's previous review)"
    ]
    if fit.fitted is not None and fit.default is not None:
        lines.append(f"  {'':<10}{'log loss':>10}{'RMSE(bins)':>13}")
        lines.append(_metric_row("default", fit.default))
        if fit.current is not None:
            lines.append(_metric_row("current", fit.current))
        lines.append(_metric_row("fitted", fit.fitted))
    lines.append(fit.message)
    return lines
