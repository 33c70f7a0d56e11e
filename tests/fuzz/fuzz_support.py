"""Shared pieces of the property tests in tests/fuzz: settings, the Store's connection, dumps.

Every test here runs with `derandomize=True` and no example database, so CI sees the same
examples on every run; `FUZZ_EXAMPLES_SCALE` (a float, default 1) scales the example counts
for a longer local hunt, e.g. `FUZZ_EXAMPLES_SCALE=20 pytest tests/fuzz`, and
`FUZZ_RANDOM=1` draws fresh examples each run instead of the fixed ones.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from hypothesis import HealthCheck, settings

TESTS = Path(__file__).resolve().parents[1]
_SCALE = float(os.environ.get("FUZZ_EXAMPLES_SCALE", "1") or 1)
_RANDOM = os.environ.get("FUZZ_RANDOM", "") not in ("", "0")


def fuzz_settings(examples: int, **extra: Any) -> settings:
    """Deterministic settings: a fixed number of examples, no deadline, no saved examples."""
    return settings(
        max_examples=max(1, int(examples * _SCALE)),
        deadline=None,
        derandomize=not _RANDOM,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.filter_too_much, HealthCheck.large_base_example,
                               HealthCheck.function_scoped_fixture],
        **extra,
    )


def connection(store: Any) -> sqlite3.Connection:
    """The Store's sqlite3 connection, whether the Store calls its Database `_db` or `db`."""
    db = getattr(store, "_db", None) or store.db
    return getattr(db, "conn", db)


def dump(store: Any) -> list[str]:
    """The whole collection as SQL statements: equal dumps mean an unchanged database."""
    return list(connection(store).iterdump())


def anki_builders() -> ModuleType:
    """tests/deckio/anki_builders.py (not a package: loaded by path, shared if loaded already)."""
    loaded = sys.modules.get("anki_builders")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location("anki_builders",
                                                  TESTS / "deckio" / "anki_builders.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["anki_builders"] = module
    spec.loader.exec_module(module)
    return module
