"""The one way off the UI thread: Task + run_with_progress."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import QProgressDialog, QWidget

from negodrill.core.errors import DeckError
from negodrill.ui.tasks import Task, run_with_progress


def test_work_runs_on_a_pool_thread_and_the_result_comes_back(qtbot: Any) -> None:
    ui_thread = threading.get_ident()
    task = Task(lambda progress, cancel: threading.get_ident())
    with qtbot.waitSignal(task.signals.succeeded, timeout=5000) as done:
        run_with_progress(None, "Working", task)
    assert done.args[0] != ui_thread


def test_an_error_arrives_as_the_exception(qtbot: Any) -> None:
    def fail(progress: Any, cancel: Any) -> None:
        raise DeckError("deck.json: not a negodrill deck")

    task = Task(fail)
    with qtbot.waitSignal(task.signals.failed, timeout=5000) as done:
        run_with_progress(None, "Importing", task)
    assert isinstance(done.args[0], DeckError)


def test_the_dialogs_cancel_button_stops_the_work(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    started = threading.Event()

    def wait_for_cancel(progress: Any, cancel: Any) -> None:
        started.set()
        while not cancel.cancelled:
            progress(0, 0, "waiting")
            threading.Event().wait(0.005)
        cancel.check()

    task = Task(wait_for_cancel)
    with qtbot.waitSignal(task.signals.cancelled, timeout=5000):
        run_with_progress(parent, "Waiting", task)
        assert started.wait(5)
        dialog = parent.findChild(QProgressDialog)
        assert dialog is not None
        assert dialog.minimumDuration() == 400
        dialog.canceled.emit()  # what its Cancel button (or Escape) emits
