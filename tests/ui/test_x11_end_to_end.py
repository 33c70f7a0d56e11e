"""The real app on a virtual X server, driven by real key presses (xdotool).

Skipped unless Xvfb and xdotool are installed (Debian: apt-get install xvfb xauth xdotool
libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
libxkbcommon-x11-0). Keys: Return studies the first deck, a rewrite is typed, Return checks,
3 grades Good, Escape goes back to the decks, Ctrl+Q quits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")),
    reason="needs Xvfb and xdotool",
)


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> object:
    """Poll a condition of another process (no Qt event loop to wait on here)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


@pytest.fixture
def display() -> Iterator[str]:
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x900x24", "-nolisten",
         "tcp"],
        pass_fds=[write_end], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as reader:
        number = reader.readline().strip()
    if not number:
        server.kill()
        pytest.skip("Xvfb did not start")
    try:
        name = f":{number}"
        wait_until(lambda: xdotool(name, "getdisplaygeometry"), 30, "the X server")
        yield name
    finally:
        server.terminate()
        server.wait(10)


def _env(display: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = display
    return env


def xdotool(display: str, *args: str) -> str:
    done = subprocess.run(["xdotool", *args], env=_env(display), capture_output=True,
                          text=True, timeout=30)
    return done.stdout.strip() if done.returncode == 0 else ""


def test_study_one_card_with_real_keys(display: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = subprocess.Popen(
        [sys.executable, "-m", "negodrill", "--data-dir", str(data)], cwd=REPO,
        env=_env(display), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        found = wait_until(
            lambda: app.poll() is not None or xdotool(display, "search", "--onlyvisible",
                                                      "--name", "negodrill"),
            60, "the negodrill window",
        )
        if app.poll() is not None:
            out, err = app.communicate()
            raise AssertionError(f"negodrill exited early ({app.returncode}): {out}{err}")
        window = str(found).split()[0]

        def title() -> str:
            return xdotool(display, "getwindowname", window)

        def reviews() -> int:
            return _count_reviews(data)

        # Each key waits for what it should cause, so a slow machine cannot outrun the app.
        wait_until(lambda: title().startswith("Decks"), 30, "the deck list")
        xdotool(display, "windowactivate", "--sync", window)
        xdotool(display, "windowfocus", "--sync", window)
        xdotool(display, "key", "Return")
        wait_until(lambda: title().startswith("Study"), 30, "the review page")
        # X delivers these in order, so the check sees the whole rewrite and 3 follows it.
        xdotool(display, "type", "--delay", "15", "Is now a bad time to talk?")
        xdotool(display, "key", "Return")
        xdotool(display, "key", "3")
        wait_until(lambda: reviews() == 1, 30, "the grade to be saved")
        xdotool(display, "key", "Escape")
        wait_until(lambda: title().startswith("Decks"), 30, "the deck list again")
        xdotool(display, "key", "ctrl+q")
        code = app.wait(timeout=60)
        out, err = app.communicate()
        assert code == 0, err
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    stats = subprocess.run(
        [sys.executable, "-m", "negodrill", "--data-dir", str(data), "stats", "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["reviews"] == 1
    import sqlite3

    conn = sqlite3.connect(data / "negodrill.sqlite3")
    row = conn.execute("SELECT answer, rating, coach_label FROM review").fetchone()
    conn.close()
    assert row == ("Is now a bad time to talk?", 3, "no_oriented")


def _count_reviews(data: Path) -> int:
    """Read the review count as another process would (WAL lets us read while the app runs)."""
    import sqlite3

    path = data / "negodrill.sqlite3"
    if not path.exists():
        return 0
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        return int(conn.execute("SELECT count(*) FROM review").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()
