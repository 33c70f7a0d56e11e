"""Where negodrill keeps the learner's data and finds its own resources and built-in decks.

`resources/`, `decks/` and `packaging/linux/` live in the repository. An installed wheel ships
them under `<site-packages>/negodrill_data/` (see pyproject.toml) and the bundle under its
`_internal/`, so each place is looked at.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

APP_NAME = "negodrill"
DATA_DIR_ENV = "NEGODRILL_DATA_DIR"
DATABASE_NAME = "negodrill.sqlite3"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The learner's data dir: `--data-dir`, else $NEGODRILL_DATA_DIR, else the platform's."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def database_path(directory: Path) -> Path:
    return directory / DATABASE_NAME


@cache
def _shipped_root() -> Path:
    """The folder holding `resources/` and `decks/`: the checkout, a wheel, or a frozen bundle."""
    here = Path(__file__).resolve().parent
    candidates = [here.parent, here.parent / "negodrill_data"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.insert(0, Path(frozen))
    for root in candidates:
        if (root / "resources").is_dir():
            return root
    raise FileNotFoundError("negodrill's resources folder is missing; reinstall negodrill")


def resource_dir() -> Path:
    return _shipped_root() / "resources"


def builtin_decks_dir() -> Path:
    return _shipped_root() / "decks"


def desktop_dir() -> Path:
    """The Linux desktop entry, mime types and metainfo (`packaging/linux/`)."""
    return _shipped_root() / "packaging" / "linux"
