"""`negodrill optimize`: counts and metrics, --apply only when better, --reset, errors."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from negodrill.cli import main
from negodrill.core.optimizer import MIN_REVIEWS
from negodrill.storage.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_optimizer import simulate  # noqa: E402 - the simulated learner lives with its tests

Cli = Callable[..., Any]


def add_simulated_reviews(store: Store, *, days: int = 150) -> int:
    """The simulated learner's reviews on the collection's own cards (review rows only)."""
    card_ids = [int(r[0]) for r in store._db.execute("SELECT id FROM card ORDER BY id")]
    reviews = simulate(card_ids=card_ids, days=days)
    with store.atomic():
        store._db.conn.executemany(
            "INSERT INTO review (card_id, time_ms, rating, state_before, state_after) "
            "VALUES (?, ?, ?, ?, 2)",
            [(r.card_id, r.time_ms, r.rating, r.state_before) for r in reviews],
        )
    return len(reviews)


def optimize(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["--data-dir", str(data_dir), "optimize", *args])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def preset_parameters(data_dir: Path) -> tuple[float, ...] | None:
    from negodrill.deckio.library import open_library

    store = open_library(data_dir)
    try:
        return store.preset().parameters
    finally:
        store.close()


def test_optimize_shows_both_metrics_and_applies_only_a_better_fit(
    library: Store, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    count = add_simulated_reviews(library)
    out = optimize(data_dir, capsys)
    assert out.startswith(f"reviews: {count:,}, of which ")
    assert "log loss" in out
    assert "RMSE(bins)" in out
    assert "  default " in out
    assert "  fitted " in out
    assert "  current " not in out
    assert "predict your reviews better than the default ones" in out
    assert "Not applied: run `negodrill optimize --apply`" in out
    assert preset_parameters(data_dir) is None  # nothing saved without --apply

    out = optimize(data_dir, capsys, "--apply")
    assert "Applied: the fitted parameters now schedule your cards." in out
    line = next(x for x in out.splitlines() if x.startswith("fitted parameters: "))
    fitted = tuple(float(x) for x in line.split(": ")[1].split(", "))
    assert preset_parameters(data_dir) == fitted

    # The same fit again is no better than the (now current) fitted parameters: kept as is.
    out = optimize(data_dir, capsys, "--apply")
    assert "  current " in out
    assert "so the current ones stay" in out
    assert "Applied" not in out
    assert preset_parameters(data_dir) == fitted

    assert optimize(data_dir, capsys, "--reset") == "The default parameters are back.\n"
    assert preset_parameters(data_dir) is None
    assert optimize(data_dir, capsys, "--reset") == "The default parameters are already in use.\n"


def test_too_few_reviews_is_said_in_one_sentence(
    library: Store, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = optimize(data_dir, capsys, "--apply")
    assert out.splitlines() == [
        "reviews: 0, of which 0 test your memory (a day or more after the card's previous review)",
        "You have 0 reviews that test your memory (a day or more after the card's previous "
        f"review); optimizing needs at least {MIN_REVIEWS}, so the current parameters stay.",
    ]
    assert preset_parameters(data_dir) is None


def test_a_damaged_database_is_one_error_line(cli: Cli, data_dir: Path) -> None:
    (data_dir / "negodrill.sqlite3").write_bytes(b"not a database" * 100)
    result = cli("optimize", data_dir=data_dir)
    assert result.code == 1, result
    assert result.err.strip().splitlines()[-1].startswith("error: ")
    assert "Traceback" not in result.err


def test_apply_and_reset_do_not_go_together(cli: Cli, data_dir: Path) -> None:
    result = cli("optimize", "--apply", "--reset", data_dir=data_dir)
    assert result.code == 2, result
    assert "not allowed with argument" in result.err
