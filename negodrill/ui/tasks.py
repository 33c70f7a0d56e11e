"""The one way to leave the UI thread: a Task on the global QThreadPool, with a delayed dialog.

`fn(progress, cancel)` runs on a pool thread. It must not touch widgets and must open its own
database connection (`open_store(store.path)`); its result or exception comes back to the UI
thread through the task's signals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from negodrill.core.errors import Cancelled
from negodrill.core.progress import CancelToken, Progress

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProgressDialog

DIALOG_DELAY_MS = 400

TaskFunction = Callable[[Progress, CancelToken], Any]


class TaskSignals(QObject):
    """Queued across threads: slots connected to these run on the UI thread."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()


class Task(QRunnable):
    """fn(progress, cancel) on a pool thread; exactly one of succeeded/failed/cancelled, then
    finished."""

    def __init__(self, fn: TaskFunction) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Python object owns it; signals outlive run()
        self.fn = fn
        self.signals = TaskSignals()
        self.cancel_token = CancelToken()
        self.dialog: QProgressDialog | None = None  # set by run_with_progress

    def _progress(self, done: int, total: int, what: str) -> None:
        self.signals.progressed.emit(done, total, what)

    def run(self) -> None:
        signals = self.signals  # held for the whole run, whatever happens to the Task
        try:
            result = self.fn(self._progress, self.cancel_token)
        except Cancelled:
            signals.cancelled.emit()
        except Exception as exc:  # noqa: BLE001 - shown to the learner by the receiving slot
            signals.failed.emit(exc)
        else:
            signals.succeeded.emit(result)
        finally:
            signals.finished.emit()


_running: set[Task] = set()


def start(task: Task) -> Task:
    """Start a task without a dialog; keeps it alive until it finishes."""
    _running.add(task)
    task.signals.finished.connect(lambda: _running.discard(task))
    QThreadPool.globalInstance().start(task)
    return task


def cancel_all() -> None:
    """Ask every running task to stop (used when the window closes)."""
    for task in list(_running):
        task.cancel_token.cancel()


def run_with_progress(parent: QWidget | None, title: str, task: Task) -> Task:
    """Start `task` with a progress dialog that shows after ~400 ms and whose Cancel stops it."""
    from PySide6.QtWidgets import QProgressDialog

    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(DIALOG_DELAY_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)

    def on_progress(done: int, total: int, what: str) -> None:
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
        else:
            dialog.setMaximum(0)
        if what:
            dialog.setLabelText(f"{title}: {what}")

    def on_finished() -> None:
        dialog.canceled.disconnect(task.cancel_token.cancel)
        task.dialog = None
        dialog.close()
        dialog.deleteLater()

    dialog.canceled.connect(task.cancel_token.cancel)
    task.dialog = dialog
    task.signals.progressed.connect(on_progress)
    task.signals.finished.connect(on_finished)
    return start(task)
