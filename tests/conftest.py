"""Shared test setup: Qt offscreen before it loads, and never the learner's real data dir."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["NEGODRILL_NO_DIALOGS"] = "1"  # start-up dialogs would wait for a click
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point the data dir and HOME at tmp, so no test can touch a real collection."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(home / "runtime"))
    monkeypatch.setenv("NEGODRILL_DATA_DIR", str(home / "negodrill-data"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def library(data_dir: Path) -> Iterator[object]:
    """A collection with the built-in decks installed, as a first start makes it."""
    from negodrill.deckio.library import open_library

    store = open_library(data_dir)
    yield store
    store.close()


def run_cli(*args: str, data_dir: Path | None = None, stdin: str | None = None,
            timeout: float = 60) -> CliResult:
    """Run `python -m negodrill` in a subprocess, as a learner would from a shell."""
    import subprocess

    argv = [sys.executable, "-m", "negodrill"]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    argv += list(args)
    done = subprocess.run(
        argv, input=stdin, capture_output=True, text=True, timeout=timeout, cwd=REPO,
        env={**os.environ},
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out[-500:]!r}, err={self.err[-500:]!r})"


@pytest.fixture
def cli() -> object:
    """`cli("decks", "--json", data_dir=...)` runs the real command in a subprocess."""
    return run_cli
