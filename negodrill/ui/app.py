"""Starting the window: the data-dir lock, opening the collection, QApplication, start-up timing.

Order matters: the lock is checked before the database is opened (a second launch must not touch
it), and the collection is opened before QApplication exists, so a DatabaseError reaches the CLI
as one `error: ...` line.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from negodrill.core.errors import DatabaseError

# After the first paint, a pause before matplotlib starts loading in idle steps: the first
# keystrokes of a learner who starts at once are not kept waiting.
PRELOAD_DELAY_MS = 800

if TYPE_CHECKING:
    from PySide6.QtCore import QMessageLogContext, QtMsgType

    from negodrill.storage.store import Store

_IMPORTED_AT = time.time()


def process_age_ms() -> int:
    """Milliseconds since this process started (Linux: /proc; else since this module loaded)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rpartition(")")[2].split()
        start_ticks = int(fields[19])  # field 22 of the file: starttime, in clock ticks
        with open("/proc/uptime", encoding="ascii") as uptime:
            up = float(uptime.read().split()[0])
        age = up - start_ticks / os.sysconf("SC_CLK_TCK")
        if age >= 0:
            return int(age * 1000)
    except (OSError, ValueError, IndexError):
        pass
    return int((time.time() - _IMPORTED_AT) * 1000)


def _second_launch(data_dir: Path, files: Sequence[Path]) -> int:
    from negodrill.ui.instance import hand_over

    print(f"negodrill is already running for {data_dir}", file=sys.stderr)
    if hand_over(data_dir, files):
        if files:
            print(f"handed {len(files)} file(s) over to it", file=sys.stderr)
        return 0
    # A live process holds the lock but does not answer (hung, or started without a screen):
    # say so at once instead of waiting on it, with what to do.
    what = "the files" if files else "a request to show its window"
    print(f"error: the running negodrill does not answer, so {what} could not be handed to "
          "it; close it (or end its process) and start negodrill again", file=sys.stderr)
    return 1


def run_app(*, data_dir: Path, files: Sequence[Path] = (), check_startup: bool = False) -> int:
    """Run the window on `data_dir`; returns the exit status.

    :param files: deck files to import once the window shows.
    :param check_startup: print `startup_ms=<ms>` once the deck list is painted, then exit 0.
    """
    from negodrill.ui.instance import acquire_lock

    data_dir = Path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"{data_dir}: cannot be created ({exc.strerror or exc})") from None
    lock = acquire_lock(data_dir)
    if lock is None:
        return _second_launch(data_dir, files)
    try:
        from negodrill.deckio.library import open_library

        store = open_library(data_dir)  # a DatabaseError leaves before any window exists
        try:
            return _run_window(store, data_dir, files, check_startup)
        finally:
            store.close()
    finally:
        lock.unlock()


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own messages, minus the offscreen platform's harmless size-hint notice."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def _run_window(store: Store, data_dir: Path, files: Sequence[Path],
                check_startup: bool) -> int:
    from PySide6.QtCore import QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from negodrill.ui import theme
    from negodrill.ui.decks_page import PaintWatcher
    from negodrill.ui.icons import icon
    from negodrill.ui.instance import InstanceServer
    from negodrill.ui.main_window import MainWindow

    qInstallMessageHandler(_qt_message)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("negodrill")
    app.setOrganizationName("negodrill")
    app.setDesktopFileName("negodrill")
    app.setWindowIcon(icon("negodrill"))
    theme.apply_theme(app, str(store.setting("theme", "system")))

    window = MainWindow(store)
    server = InstanceServer(data_dir)
    server.files_received.connect(window.import_files)
    server.raise_requested.connect(window.bring_to_front)
    previous_hook = sys.excepthook
    sys.excepthook = _message_hook(window)

    if check_startup:
        window.save_geometry_on_close = False
        watcher = PaintWatcher(window.decks_page.deck_list.viewport())

        def report() -> None:
            print(f"startup_ms={process_age_ms()}", flush=True)
            window.close()
            app.quit()

        watcher.painted.connect(lambda: QTimer.singleShot(0, report))
    else:
        # The charts' libraries load in idle steps a moment after the decks are on screen.
        preloader = PaintWatcher(window.decks_page.deck_list.viewport())
        preloader.painted.connect(lambda: QTimer.singleShot(PRELOAD_DELAY_MS, _preload_charts))
    window.show()
    if files and not check_startup:
        QTimer.singleShot(0, lambda: window.import_files(list(files)))
    try:
        app.exec()
    finally:
        sys.excepthook = previous_hook
        server.close()
        window.deleteLater()
    return 0


def _preload_charts() -> None:
    from negodrill.ui.progress_page import preload_charts  # not on the start-up path

    preload_charts()


def _message_hook(window: object):  # type: ignore[no-untyped-def]
    """Unexpected exceptions in slots: one readable sentence in a message box, not a trace."""

    def hook(kind: type[BaseException], exc: BaseException, trace: TracebackType | None) -> None:
        import traceback

        from negodrill.ui.main_window import MainWindow, describe_error

        traceback.print_exception(kind, exc, trace, file=sys.stderr)
        if isinstance(window, MainWindow):
            window.show_message("Something went wrong", describe_error(exc), error=True)

    return hook
