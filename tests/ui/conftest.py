"""Fixtures for the window's tests: a collection, the main window, a small three-type deck."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_task_left_running() -> Iterator[None]:
    """Fail a test that leaves work on the thread pool (it would outlive its database)."""
    yield
    from PySide6.QtCore import QThreadPool

    from negodrill.ui import tasks

    pool = QThreadPool.globalInstance()
    if not pool.waitForDone(5000):
        tasks.cancel_all()  # do not let it crash the tests that follow
        pool.waitForDone(5000)
        pytest.fail("a QThreadPool task was still running 5 s after the test")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    from negodrill.deckio.library import open_library

    store = open_library(tmp_path / "collection")
    yield store
    store.close()


@pytest.fixture
def window(qtbot: Any, store: Any) -> Iterator[Any]:
    from PySide6.QtWidgets import QApplication

    from negodrill.ui import theme
    from negodrill.ui.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply_theme(app, "light")
    win = MainWindow(store)
    win.save_geometry_on_close = False
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def mixed_deck_document() -> dict[str, Any]:
    """A tiny deck with one drill, one basic and one choice card, in that order."""
    starter = json.loads((REPO / "decks" / "01-starter.negodeck.json").read_text("utf-8"))
    cards = starter["cards"]
    pick = [next(c for c in cards if c["type"] == kind) for kind in ("drill", "basic", "choice")]
    deck = dict(starter["deck"])
    deck.update(id="0b7f6d3e-7c43-4f2a-9a57-2f6c1e0f4a11", title="Three kinds", revision=1)
    deck.pop("description", None)
    return {**starter, "deck": deck, "cards": pick}


@pytest.fixture
def mixed_deck_file(tmp_path: Path) -> Path:
    path = tmp_path / "three-kinds.negodeck.json"
    path.write_text(json.dumps(mixed_deck_document()), encoding="utf-8")
    return path
