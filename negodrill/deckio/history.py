"""Review history inside a native deck file, for exports made with `--with-history`.

A deck handed to a class carries no history; a learner moving their own study to another
machine does. The reviews ride in the deck's top-level `extensions` under `x-negodrill-reviews`
(the schema leaves extension values open), so this module checks every entry itself: an entry
that is not a well-formed review makes the file a bad file, not a half import.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from negodrill.core.errors import DeckError
from negodrill.core.models import Review
from negodrill.deckio.package import CardProgress, IncomingReview
from negodrill.storage.store import to_ms

KEY = "x-negodrill-reviews"
SCHEDULES_KEY = "x-negodrill-schedules"
MAX_REVIEWS = 2_000_000
MAX_ANSWER = 5000
EARLIEST_MS = 946_684_800_000  # 2000-01-01: nobody studied with negodrill or FSRS before
LATEST_MS = 4_102_444_800_000  # 2100-01-01


def write_history(reviews: Iterable[tuple[str, Review]]) -> list[dict[str, Any]]:
    """The history entries of a deck file, oldest first, from (card id, review) pairs."""
    entries = []
    for key, review in reviews:
        entry: dict[str, Any] = {"card": key, "time": to_ms(review.time),
                                 "grade": int(review.grade)}
        if review.duration_ms:
            entry["duration_ms"] = review.duration_ms
        if review.answer:
            entry["answer"] = review.answer
        if review.correct is not None:
            entry["correct"] = review.correct
        if review.coach_label:
            entry["coach_label"] = review.coach_label
        if review.coach_flaws:
            entry["coach_flaws"] = list(review.coach_flaws)
        entries.append(entry)
    return entries


def _int(entry: dict[str, Any], key: str, low: int, high: int, default: int | None = None) -> int:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f'"{key}" must be a whole number from {low} to {high}')
    return value


def _entry(entry: Any, cards: set[str]) -> tuple[str, IncomingReview]:
    if not isinstance(entry, dict):
        raise ValueError("it is not an object")
    unknown = set(entry) - {"card", "time", "grade", "duration_ms", "answer", "correct",
                            "coach_label", "coach_flaws"}
    if unknown:
        raise ValueError(f'unknown field "{sorted(unknown)[0]}"')
    card = entry.get("card")
    if not isinstance(card, str) or card not in cards:
        raise ValueError(f"it names a card the deck does not have ({str(card)[:40]!r})")
    answer = entry.get("answer", "")
    label = entry.get("coach_label")
    flaws = entry.get("coach_flaws", [])
    correct = entry.get("correct")
    if not isinstance(answer, str) or len(answer) > MAX_ANSWER:
        raise ValueError(f'"answer" must be text of at most {MAX_ANSWER} characters')
    if label is not None and (not isinstance(label, str) or len(label) > 40):
        raise ValueError('"coach_label" must be a short text')
    if not isinstance(flaws, list) or len(flaws) > 20 or not all(
        isinstance(f, str) and 0 < len(f) <= 40 for f in flaws
    ):
        raise ValueError('"coach_flaws" must be a short list of flaw codes')
    if correct is not None and not isinstance(correct, bool):
        raise ValueError('"correct" must be true, false or null')
    return card, IncomingReview(
        time_ms=_int(entry, "time", EARLIEST_MS, LATEST_MS),
        grade=_int(entry, "grade", 1, 4),
        duration_ms=_int(entry, "duration_ms", 0, 86_400_000, default=0),
        answer=answer, correct=correct, coach_label=label, coach_flaws=tuple(flaws),
    )


def read_history(doc: dict[str, Any], *, name: str) -> dict[str, list[IncomingReview]]:
    """The checked history of a schema-valid deck document: card id -> reviews, oldest first."""
    extensions = doc.get("extensions") or {}
    entries = extensions.get(KEY)
    if entries is None:
        return {}
    if not isinstance(entries, list) or len(entries) > MAX_REVIEWS:
        raise DeckError(f'{name}: "{KEY}" must be a list of at most {MAX_REVIEWS:,} reviews')
    cards = {card["id"] for card in doc["cards"]}
    history: dict[str, list[IncomingReview]] = {}
    for number, raw in enumerate(entries, start=1):
        try:
            card, review = _entry(raw, cards)
        except ValueError as exc:
            raise DeckError(f"{name}: review {number} of the history is not valid: {exc}") from None
        history.setdefault(card, []).append(review)
    for reviews in history.values():
        reviews.sort(key=lambda r: r.time_ms)
    return history


_SCHEDULE_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review")


def write_schedules(schedules: dict[str, CardProgress]) -> dict[str, dict[str, Any]]:
    """Where each studied card stands, so a move to another machine keeps every due date."""
    return {
        key: {"state": p.state, "step": p.step, "stability": p.stability,
              "difficulty": p.difficulty, "due": p.due_ms, "last_review": p.last_review_ms}
        for key, p in schedules.items()
    }


def _number(value: Any, low: float, high: float, *, whole: bool = False) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return (not whole or isinstance(value, int)) and low <= value <= high


def _schedule(raw: Any) -> CardProgress:
    if not isinstance(raw, dict) or set(raw) != set(_SCHEDULE_FIELDS):
        raise ValueError(f"it must hold exactly {', '.join(_SCHEDULE_FIELDS)}")
    if not _number(raw["state"], 1, 3, whole=True):
        raise ValueError('"state" must be 1, 2 or 3')
    if raw["step"] is not None and not _number(raw["step"], 0, 100, whole=True):
        raise ValueError('"step" must be a small whole number or null')
    for key in ("stability", "difficulty"):
        if not _number(raw[key], 0, 1e6):
            raise ValueError(f'"{key}" must be a positive number')
    for key in ("due", "last_review"):
        if not _number(raw[key], EARLIEST_MS, LATEST_MS, whole=True):
            raise ValueError(f'"{key}" must be a time in milliseconds')
    return CardProgress(state=raw["state"], due_ms=raw["due"], stability=float(raw["stability"]),
                        difficulty=float(raw["difficulty"]), last_review_ms=raw["last_review"],
                        reps=0, lapses=0, step=raw["step"])


def read_schedules(doc: dict[str, Any], *, name: str) -> dict[str, CardProgress]:
    """The checked schedules of a schema-valid deck document, for cards it has history for."""
    raw = (doc.get("extensions") or {}).get(SCHEDULES_KEY)
    if raw is None:
        return {}
    cards = {card["id"] for card in doc["cards"]}
    if not isinstance(raw, dict) or not set(raw) <= cards:
        raise DeckError(f'{name}: "{SCHEDULES_KEY}" must map the deck\'s card ids to schedules')
    schedules = {}
    for key, value in raw.items():
        try:
            schedules[key] = _schedule(value)
        except ValueError as exc:
            raise DeckError(f"{name}: the schedule of card {key} is not valid: {exc}") from None
    return schedules
