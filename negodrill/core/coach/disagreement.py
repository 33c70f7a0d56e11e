"""When the learner thinks the coach is wrong: what they saw, what they say it should be.

Stored in the collection (storage/disagreements.py) and exported by `negodrill coach
disagreements` in the `coach eval` line format, so a trainer can turn them into test cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from negodrill.core.coach import LABELS
from negodrill.core.errors import NegodrillError

MAX_COMMENT = 2_000
MAX_TEXT = 5_000


@dataclass(frozen=True)
class Disagreement:
    text: str  # the learner's sentence
    ask: str | None  # the drill's yes-seeking question, if any
    situation: str | None
    coach_label: str
    coach_flaws: tuple[str, ...]
    learner_label: str  # the label the learner thinks is right
    learner_clean: bool  # ... and whether the sentence has no flaw
    comment: str = ""
    card_id: int | None = None
    time: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if self.learner_label not in LABELS:
            raise NegodrillError(
                f"unknown label {self.learner_label!r}; one of {', '.join(LABELS)}")
        if not self.text.strip():
            raise NegodrillError("there is no sentence to disagree about")

    def eval_line(self) -> dict[str, Any]:
        """One line for `coach eval`: the learner's correction is the gold answer."""
        line: dict[str, Any] = {
            "id": f"disagreement-{self.id}" if self.id is not None else "disagreement",
            "text": self.text[:MAX_TEXT],
            "label": self.learner_label,
            "clean": self.learner_clean,
            "context": self.ask,
            "situation": self.situation,
            "coach": {"label": self.coach_label, "flaws": list(self.coach_flaws)},
        }
        if self.learner_clean:
            line["flaws"] = []
        if self.comment:
            line["comment"] = self.comment[:MAX_COMMENT]
        if self.time is not None:
            line["time"] = self.time.isoformat(timespec="seconds")
        return line
