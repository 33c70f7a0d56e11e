"""The Progress page: figures at once, charts once matplotlib is loaded (never at start-up)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def studied(store: Any) -> Any:
    from negodrill.ui.screenshots import sample_history

    sample_history(store, days=21, per_day=15)
    return store


def _page(window: Any) -> Any:
    from negodrill.ui.progress_page import ProgressPage

    window.show_page("progress")
    page = window.page("progress")
    assert isinstance(page, ProgressPage)
    return page


def test_matplotlib_is_not_loaded_at_start_up(tmp_path: Path) -> None:
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from negodrill.deckio.library import open_library
        from negodrill.ui.main_window import MainWindow
        store = open_library(Path({str(tmp_path / "data")!r}))
        win = MainWindow(store)
        win.show()
        win.show_page("decks")
        for _ in range(20):
            app.processEvents()
        print("at start-up:", "matplotlib" in sys.modules)
        win.show_page("progress")
        page = win.page("progress")
        print("figures:", page.values["reviews"].text())
        deadline = time.monotonic() + 60
        while not page.charts_drawn and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        print("charts:", page.charts_drawn)
        win.save_geometry_on_close = False
        win.close()
        store.close()
    """)
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, cwd=REPO, env=env, timeout=120).stdout
    assert "at start-up: False" in out
    assert "figures: 0" in out
    assert "charts: True" in out


def test_the_app_preloads_matplotlib_after_the_first_paint(tmp_path: Path) -> None:
    """Not at the first paint (start-up stays light), but a moment later, in idle steps, so
    that opening Progress finds the charts' libraries ready."""
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from negodrill.ui import app as ui_app
        from negodrill.ui.progress_page import charts_loaded

        def at(label):
            print(label, "matplotlib" in sys.modules, charts_loaded(), flush=True)

        QTimer.singleShot(ui_app.PRELOAD_DELAY_MS // 2, lambda: at("before:"))
        QTimer.singleShot(ui_app.PRELOAD_DELAY_MS + 8000, lambda: (at("after:"), app.quit()))
        ui_app.run_app(data_dir=Path({str(tmp_path / "data")!r}))
    """)
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, cwd=REPO, env=env, timeout=120).stdout
    assert "before: False False" in out
    assert "after: True True" in out


def test_figures_show_at_once_and_charts_follow(window: Any, studied: Any, qtbot: Any) -> None:
    from negodrill.reports import charts
    from negodrill.ui.progress_page import compute, format_figures

    page = _page(window)
    report = compute(studied, None, "30d")
    assert page.values["reviews"].text() == f"{report.total_reviews:,}"
    assert report.total_reviews > 100
    assert page.values["streak"].text() == format_figures(report)["streak"]
    assert page.headline.text().split("\n") == list(report.headline)
    assert page.tables["mastery"].rowCount() == len(report.mastery)
    qtbot.waitUntil(lambda: page.charts_drawn, timeout=30_000)
    assert list(page.slots) == list(charts.CHARTS)
    for slot in page.slots.values():
        assert not slot.placeholder.isVisibleTo(slot)
        assert slot.canvas.accessibleName().startswith("Chart: ")


def test_the_deck_and_period_filter_the_figures(window: Any, studied: Any, qtbot: Any) -> None:
    from negodrill.ui.progress_page import compute

    page = _page(window)
    starter = studied.deck_ids()[0]
    page.deck_combo.setCurrentIndex(page.deck_combo.findData(starter))
    page.deck_combo.activated.emit(page.deck_combo.currentIndex())
    assert page.report is not None
    assert page.report.deck_ids == (starter,)
    page.period_combo.setCurrentIndex(page.period_combo.findData("all"))
    page.period_combo.activated.emit(page.period_combo.currentIndex())
    assert page.report.since is None
    assert page.values["reviews"].text() == f"{compute(studied, [starter], 'all').total_reviews:,}"
    page.refresh()  # the choice survives a refresh
    assert page.deck_combo.currentData() == starter
    qtbot.waitUntil(lambda: page.charts_drawn, timeout=30_000)


def test_controls_are_named_and_reachable_by_tab(window: Any, qtbot: Any) -> None:
    page = _page(window)
    assert page.deck_combo.accessibleName() == "Deck"
    assert page.period_combo.accessibleName() == "Period"
    assert all(t.accessibleName() for t in page.tables.values())
    window.activateWindow()
    page.setFocus()
    reached = []
    for _ in range(6):
        qtbot.keyClick(window.focusWidget() or page, Qt.Key.Key_Tab)
        reached.append(window.focusWidget())
    assert page.deck_combo in reached
    assert page.period_combo in reached
    qtbot.waitUntil(lambda: page.charts_drawn, timeout=30_000)


def test_a_big_collection_is_counted_off_the_ui_thread(
    window: Any, studied: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from negodrill.ui import progress_page

    monkeypatch.setattr(progress_page, "SYNC_REVIEWS", 10)
    page = _page(window)
    assert page.values["reviews"].text() == progress_page.COUNTING
    qtbot.waitUntil(lambda: page.report is not None, timeout=30_000)
    assert page.values["reviews"].text() != progress_page.COUNTING
    qtbot.waitUntil(lambda: page.charts_drawn, timeout=30_000)


def test_the_charts_follow_the_theme(window: Any, studied: Any, qtbot: Any) -> None:
    from matplotlib.colors import to_hex
    from PySide6.QtWidgets import QApplication

    from negodrill.reports.charts import DARK, LIGHT
    from negodrill.ui import theme

    page = _page(window)
    qtbot.waitUntil(lambda: page.charts_drawn, timeout=30_000)
    canvas = page.slots["reviews"].canvas
    assert to_hex(canvas.figure.get_facecolor()) == LIGHT.background
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        theme.apply_theme(app, "dark")
        qtbot.waitUntil(lambda: to_hex(canvas.figure.get_facecolor()) == DARK.background,
                        timeout=30_000)
        assert page.slots["reviews"].canvas is canvas  # redrawn in place
    finally:
        theme.apply_theme(app, "light")
