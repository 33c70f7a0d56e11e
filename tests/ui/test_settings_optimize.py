"""Settings > Optimize for my reviews: off the UI thread, applied only when better, restore."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_optimize_cmd import add_simulated_reviews  # noqa: E402 - shared simulated learner


@pytest.fixture
def page(qtbot: Any, store: Any) -> Any:
    from negodrill.ui.settings_page import SettingsPage

    settings = SettingsPage(store)
    qtbot.addWidget(settings)
    settings.show()
    return settings


def run_optimize(page: Any, qtbot: Any) -> str:
    page.optimize_button.click()
    assert page.optimize_task is not None
    assert not page.optimize_button.isEnabled()  # one run at a time
    qtbot.waitUntil(lambda: page.optimize_task is None, timeout=30000)
    assert page.optimize_button.isEnabled()
    return str(page.optimize_label.text())


def test_optimizing_fits_off_the_ui_thread_and_applies_only_a_better_fit(
    page: Any, qtbot: Any, store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from negodrill.reports import optimizing

    add_simulated_reviews(store)
    threads: list[int] = []
    real_fit = optimizing.fit_parameters

    def watched_fit(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return real_fit(*args, **kwargs)

    monkeypatch.setattr(optimizing, "fit_parameters", watched_fit)
    assert "default parameters" in page.parameters_label.text()
    assert not page.reset_button.isEnabled()

    with qtbot.waitSignal(page.saved, timeout=30000):
        text = run_optimize(page, qtbot)
    assert threads
    assert threads[0] != threading.get_ident()
    for words in ("Default", "Fitted", "Log loss", "RMSE (bins)", "of them a day or more",
                  "predict your reviews better than the default", "They now schedule your cards."):
        assert words in text, words
    fitted = store.preset().parameters
    assert fitted is not None
    assert len(fitted) == 21
    assert "fitted to your reviews" in page.parameters_label.text()
    assert page.reset_button.isEnabled()

    # Again: the same fit is no better than the current (fitted) parameters, which stay.
    text = run_optimize(page, qtbot)
    assert "Current" in text
    assert "so the current ones stay" in text
    assert store.preset().parameters == fitted

    with qtbot.waitSignal(page.saved, timeout=1000):
        page.reset_button.click()
    assert store.preset().parameters is None
    assert "The default parameters are back." in page.optimize_label.text()
    assert "default parameters" in page.parameters_label.text()
    assert not page.reset_button.isEnabled()


def test_too_few_reviews_say_how_many_and_change_nothing(
    page: Any, qtbot: Any, store: Any
) -> None:
    text = run_optimize(page, qtbot)
    assert "You have 0 reviews that test your memory" in text
    assert "optimizing needs at least 400" in text
    assert "Log loss" not in text
    assert store.preset().parameters is None


def test_saving_the_other_settings_keeps_fitted_parameters(page: Any, store: Any) -> None:
    from dataclasses import replace

    fitted = tuple(0.5 for _ in range(21))
    store.save_preset(replace(store.preset(), parameters=fitted))
    page.refresh()
    page.new_edit.setText("9")
    page.save_button.click()
    assert store.preset().parameters == fitted
    assert store.preset().new_per_day == 9
