"""FSRS-6 scheduling through the `fsrs` package, and the learner's study day.

This is the only module that imports fsrs. Facts it relies on: fsrs wants timezone-aware
`timezone.utc` datetimes and an explicit card id, and counts elapsed time in 24-hour blocks; so
after a review `last_review` is set to the start of the local study day, which makes "yesterday
evening -> this morning" count as a day, as in Anki.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

import fsrs
from fsrs.scheduler import (
    DEFAULT_PARAMETERS,
    LOWER_BOUNDS_PARAMETERS,
    STABILITY_MIN,
    UPPER_BOUNDS_PARAMETERS,
)

from negodrill.core.models import CardState, Grade, Preset, Schedule
from negodrill.core.studyday import (  # re-exported: the scheduling vocabulary in one place
    LEARN_AHEAD,
    as_utc,
    day_start,
    next_day_start,
    study_day,
    utc_now,
)

__all__ = [
    "DEFAULT_PARAMETERS", "LEARN_AHEAD", "LOWER_BOUNDS_PARAMETERS", "Outcome", "STABILITY_MIN",
    "Scheduler", "UPPER_BOUNDS_PARAMETERS", "as_utc", "day_start", "format_interval",
    "next_day_start", "study_day", "utc_now",
]

@dataclass(frozen=True)
class Outcome:
    """What one grade would do: the new schedule, and how long until the card is due."""

    grade: Grade
    schedule: Schedule
    interval: timedelta


def format_interval(interval: timedelta) -> str:
    """Short human form for a grade button: '<1m', '10m', '3h', '2d', '4mo', '1.5y'."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}".rstrip("0").rstrip(".") + "mo"
    return f"{days / 365:.1f}".rstrip("0").rstrip(".") + "y"


def forgetting_curve(preset: Preset) -> tuple[float, float]:
    """(decay, factor) of the FSRS-6 forgetting curve the scheduler uses, as fsrs computes them:
    retrievability after t whole days is (1 + factor * t / stability) ** decay, with t counted
    like fsrs (`(now - last_review).days`, floored, at least 0)."""
    parameters = preset.parameters or DEFAULT_PARAMETERS
    decay = -float(parameters[20])
    return decay, 0.9 ** (1 / decay) - 1


class Scheduler:
    """Turns a card's schedule and a grade into its next schedule."""

    def __init__(
        self, preset: Preset, *, fuzz: bool = True, local: tzinfo | None = None
    ) -> None:
        self.preset = preset
        self.local = local
        self._fsrs = fsrs.Scheduler(
            parameters=preset.parameters or DEFAULT_PARAMETERS,
            desired_retention=preset.desired_retention,
            learning_steps=tuple(timedelta(minutes=m) for m in preset.learning_steps_min),
            relearning_steps=tuple(timedelta(minutes=m) for m in preset.relearning_steps_min),
            maximum_interval=preset.maximum_interval_days,
            enable_fuzzing=fuzz,
        )

    def _to_fsrs(self, card_id: int, schedule: Schedule) -> fsrs.Card:
        if schedule.state is CardState.NEW:
            return fsrs.Card(card_id=card_id, state=fsrs.State.Learning, step=0)
        return fsrs.Card(
            card_id=card_id,
            state=fsrs.State(int(schedule.state)),
            step=schedule.step,
            stability=schedule.stability,
            difficulty=schedule.difficulty,
            due=as_utc(schedule.due) if schedule.due else None,
            last_review=as_utc(schedule.last_review) if schedule.last_review else None,
        )

    def outcome(self, card_id: int, schedule: Schedule, grade: Grade, now: datetime, *,
                day_began: datetime | None = None) -> Outcome:
        """`day_began`: the start of `now`'s study day, when the caller has it already."""
        now = as_utc(now)
        reviewed, _log = self._fsrs.review_card(
            self._to_fsrs(card_id, schedule), fsrs.Rating(int(grade)), now
        )
        due = as_utc(reviewed.due)
        new_schedule = Schedule(
            state=CardState(int(reviewed.state)),
            step=reviewed.step,
            stability=reviewed.stability,
            difficulty=reviewed.difficulty,
            due=due,
            last_review=day_began or day_start(now, self.preset.rollover_hour, self.local),
        )
        return Outcome(grade=grade, schedule=new_schedule, interval=due - now)

    def preview(self, card_id: int, schedule: Schedule, now: datetime) -> dict[Grade, Outcome]:
        """All four outcomes at once; keep the one the learner picks (fuzz makes calls differ)."""
        began = day_start(as_utc(now), self.preset.rollover_hour, self.local)  # once, not four
        return {grade: self.outcome(card_id, schedule, grade, now, day_began=began)
                for grade in Grade}
