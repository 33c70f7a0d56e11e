"""Figures that are whole processes: start-up against Qt's floor, the window's memory, and the
imports and exports a learner runs from the terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# The floor: a process that imports PySide6, shows an empty QMainWindow and waits for its first
# paint, timed by the same clock and to the same moment as negodrill's --check-startup
# (process start -> first paint, then a zero timer). A zero timer alone after show() fires
# before the paint.
QT_FLOOR = """
import os, sys
def process_age_ms():
    with open("/proc/self/stat", encoding="ascii") as stat:
        start_ticks = int(stat.read().rpartition(")")[2].split()[19])
    with open("/proc/uptime", encoding="ascii") as uptime:
        up = float(uptime.read().split()[0])
    return int((up - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000)
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(960, 680)
def painted():
    print(f"startup_ms={process_age_ms()}", flush=True)
    app.quit()
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "seen"):
            self.seen = True
            QTimer.singleShot(0, painted)
        return False
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""

# The window on the N-card profile: the deck list, then 20 cards studied through the page's own
# methods, then the Progress page with its charts; peak RSS after each. The profile's daily
# limits may be used up by its synthetic history: the session then studies fewer cards, as the
# learner's would.
WINDOW_RSS = """
import sys, time
def peak_mb():
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork and exec, so a child would
    # report the harness's own peak (a million review rows built in memory).
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(l for l in status if l.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024
from pathlib import Path
from PySide6.QtWidgets import QApplication
from negodrill.core.models import Grade
from negodrill.core.content import Basic, Choice, Conversation, Drill
from negodrill.deckio.library import open_library
from negodrill.ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
store = open_library(Path(sys.argv[1]))
window = MainWindow(store)
window.save_geometry_on_close = False
window.resize(960, 680)
window.show()
app.processEvents()
window.study_selected()
page = window.review_page
for _ in range(20):
    card = page.current_card
    if card is None:
        break
    if isinstance(card.content, Drill):
        page.rewrite_edit.setText("Is now a bad time to talk about it?")
        page.check_or_accept()
    elif isinstance(card.content, Choice):
        page.number_key(1)
    elif isinstance(card.content, Basic):
        page.check_or_accept()
    else:
        break
    page.grade(Grade.GOOD)
    app.processEvents()
print(f"peak_rss_mb={peak_mb():.1f}", flush=True)
window.show_page("progress")
progress = window.page("progress")
deadline = time.monotonic() + 120
while (progress.report is None or not progress.charts_drawn) and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.005)
print(f"progress_rss_mb={peak_mb():.1f}")
store.close()
"""


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}


def _run(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, env=_env())
    if done.returncode != 0:
        raise RuntimeError(f"failed: {' '.join(argv)}\n{done.stderr[-2000:]}")
    return done.stdout


def _reported(out: str, key: str) -> float:
    return float(next(line.split("=", 1)[1] for line in out.splitlines()
                      if line.startswith(f"{key}=")))


_compiled = False


def _compile_once() -> None:
    """negodrill's modules as bytecode, as any installed copy has them (pip compiles on
    install; a first start writes them): with PYTHONDONTWRITEBYTECODE set, as on the
    development machine, every start would otherwise compile 40 modules from source."""
    global _compiled
    if not _compiled:
        import compileall

        compileall.compile_dir(str(REPO / "negodrill"), quiet=1)
        _compiled = True


def _until_reported(argv: list[str]) -> float:
    """Milliseconds from starting the process to its `startup_ms=` line, on this process's
    clock: the process's own figure (/proc's start time against /proc/uptime) moves in
    10 ms steps, too coarse to compare two starts of 100 and 200 ms."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=REPO, env=_env())
    assert proc.stdout is not None
    elapsed = None
    for line in proc.stdout:
        if line.startswith("startup_ms=") and elapsed is None:
            elapsed = (time.perf_counter() - start) * 1000
    err = proc.stderr.read() if proc.stderr else ""
    if proc.wait() != 0 or elapsed is None:
        raise RuntimeError(f"failed: {' '.join(argv)}\n{err[-2000:]}")
    return round(elapsed, 1)


def startup_ms(data_dir: Path) -> float:
    """negodrill's own start-up figure: process start -> deck list painted."""
    _compile_once()
    return _until_reported([sys.executable, "-m", "negodrill", "--data-dir", str(data_dir),
                            "--check-startup"])


def qt_floor_ms() -> float:
    return _until_reported([sys.executable, "-c", QT_FLOOR])


def window_rss_mb(data_dir: Path) -> tuple[float, float]:
    """(peak RSS after the deck list and 20 studied cards, peak RSS after Progress)."""
    out = _run([sys.executable, "-c", WINDOW_RSS, str(data_dir)])
    return _reported(out, "peak_rss_mb"), _reported(out, "progress_rss_mb")


def timed_ms(argv: list[str]) -> float:
    start = time.perf_counter()
    _run(argv)
    return (time.perf_counter() - start) * 1000


def negodrill(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "negodrill", "--data-dir", str(data_dir), *args]


def fresh_copy(template: Path, work: Path, name: str) -> Path:
    target = work / name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(template, target)
    return target
