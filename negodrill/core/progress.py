"""How long jobs report progress and learn they were cancelled, without knowing about Qt."""

from __future__ import annotations

import threading
from collections.abc import Callable

from negodrill.core.errors import Cancelled

# progress(done, total, what): called now and then by a long job; total 0 means unknown.
Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, what: str) -> None:
    """The default when nobody is watching."""


class CancelToken:
    """Set from the UI thread, checked by the worker between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise Cancelled when the learner asked to stop: the caller's transaction rolls back."""
        if self._event.is_set():
            raise Cancelled("cancelled; nothing was changed")
