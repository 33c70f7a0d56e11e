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
from typing import TYPE_CHECKING, Any

from negodrill.core.errors import DamagedDatabase, DatabaseError

# After the first paint, a pause before matplotlib starts loading in idle steps: the first
# keystrokes of a learner who starts at once are not kept waiting.
PRELOAD_DELAY_MS = 800
LISTEN_AT_THE_LATEST_MS = 1000  # for later launches' files: see _run_window's listen()

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

    A data dir that cannot be used is explained in a dialog as well as on stderr: a learner
    who starts negodrill from the desktop menu has no terminal to read.
    """
    # The collection's modules before Qt's: PySide6's import hook reads the source of every
    # module imported after it (to look for `from __feature__`), which costs at start-up.
    import negodrill.deckio.library  # noqa: F401
    import negodrill.reports.figures  # noqa: F401  (the deck list's counts)
    from negodrill.storage import datadir
    from negodrill.ui.instance import acquire_lock, lock_path

    data_dir = Path(data_dir)
    try:
        why = datadir.prepare(data_dir)  # "" when the data dir can be written
    except DatabaseError as exc:
        _startup_dialog(exc)
        raise
    lock = acquire_lock(data_dir, writable=not why)
    if lock is None:
        return _second_launch(data_dir, files)
    if not why and Path(lock.fileName()) != lock_path(data_dir):
        why = "disk full"  # the lock file could not be written there: nor can anything else
    try:
        restore: Any = None
        while True:
            store = _open_collection(data_dir, why, restore)
            why = why or store.read_only_why  # a full disk met on opening: read-only
            try:
                restore = _run_window(store, data_dir, files, check_startup)
            except DatabaseError as exc:
                _startup_dialog(exc)
                raise
            finally:
                store.close()
            files = ()
            if restore is None:
                break
    finally:
        lock.unlock()
    if not why and not check_startup:
        _backup_on_close(data_dir)
    return 0


def _open_collection(data_dir: Path, why: str, restore: Any) -> Store:
    """The collection, after the restore the window asked for (a `Prepared` restore, or a
    backup's path); `why` it can only be read, when it can only be read.

    A damaged database is never opened for writing: the newest good backup is offered.
    """
    from negodrill.deckio.library import open_library

    restored_note = ""
    while True:
        if restore is not None:
            try:
                restored_note = _restore(data_dir, restore)
            except DatabaseError as exc:
                _startup_dialog(exc, title="Not restored")
            restore = None
        try:
            store = open_library(data_dir, read_only=True if why else None)
        except DamagedDatabase as exc:
            if exc.backup is not None and _ask_restore(exc):
                restore = Path(exc.backup)
                continue
            if exc.backup is None:
                _startup_dialog(exc)
            raise
        except DatabaseError as exc:
            _startup_dialog(exc)
            raise
        if why:
            store.read_only_why = why
        if restored_note:
            _startup_dialog(None, title="Restored", text=restored_note)
        return store


def _restore(data_dir: Path, restore: Any) -> str:
    from negodrill import paths
    from negodrill.storage.restore import Prepared, finish_restore, restore_backup
    from negodrill.ui.safekeeping import describe_backup

    database = paths.database_path(data_dir)
    try:
        if isinstance(restore, Prepared):
            done = finish_restore(database, restore)
        else:
            done = restore_backup(database, Path(restore))
    except OSError as exc:
        raise DatabaseError(f"the backup could not be restored ({exc.strerror or exc}); "
                            "your collection is as it was") from None
    note = f"Your collection is now the backup of {describe_backup(done.backup)}."
    if done.safety_copy is not None:
        note += f" The collection as it was is kept in {done.safety_copy}."
    return note


def _backup_on_close(data_dir: Path) -> None:
    """The close-time backup, after the window is gone and the lock released: a new start
    does not wait for it, and SQLite's backup reads one consistent snapshot anyway."""
    from negodrill import paths
    from negodrill.storage.backups import configured_cap_bytes
    from negodrill.ui.safekeeping import backup_if_changed

    database = paths.database_path(data_dir)
    try:
        backup_if_changed(database, configured_cap_bytes(database))
    except DatabaseError as exc:
        print(f"negodrill: the backup on closing failed: {exc}", file=sys.stderr)


def _ensure_app() -> object:
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    return existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])


def _startup_dialog(exc: BaseException | None, *, title: str = "negodrill cannot start",
                    text: str = "") -> None:
    """A start-up message in a dialog (and the error on stderr, said by the CLI)."""
    if os.environ.get("NEGODRILL_NO_DIALOGS"):
        return
    from PySide6.QtWidgets import QMessageBox

    _ensure_app()
    box = QMessageBox(QMessageBox.Icon.Warning if exc else QMessageBox.Icon.Information,
                      f"{title} — negodrill", text or str(exc))
    box.setAccessibleName(title)
    box.exec()


def _ask_restore(exc: DamagedDatabase) -> bool:
    """A damaged collection at start: offer its newest backup, in the learner's words."""
    if os.environ.get("NEGODRILL_NO_DIALOGS") or exc.backup is None:
        return False
    from PySide6.QtWidgets import QMessageBox

    from negodrill.storage.backups import read_backup_info
    from negodrill.ui.safekeeping import describe_backup

    _ensure_app()
    newest = read_backup_info(Path(exc.backup))
    box = QMessageBox(
        QMessageBox.Icon.Warning, "Your collection is damaged — negodrill",
        "Your collection's database is damaged: negodrill cannot open it, and has not "
        f"changed it.\n\nRestore the newest backup, of {describe_backup(newest)}? The damaged "
        "file is kept aside in the backups folder.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDetailedText(str(exc))
    box.setAccessibleName("Your collection is damaged")
    return box.exec() == QMessageBox.StandardButton.Yes


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own messages, minus the offscreen platform's harmless size-hint notice."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def _run_window(store: Store, data_dir: Path, files: Sequence[Path],
                check_startup: bool) -> Any:
    """Show the window until it closes; returns the restore it asked for, if any."""
    from PySide6.QtCore import QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from negodrill.ui import theme
    from negodrill.ui.decks_page import PaintWatcher
    from negodrill.ui.icons import icon
    from negodrill.ui.instance import InstanceServer
    from negodrill.ui.main_window import MainWindow

    qInstallMessageHandler(_qt_message)
    existing = QApplication.instance()
    # Fusion everywhere (theme.py), chosen as Qt starts: asking for the style is slow.
    app = (existing if isinstance(existing, QApplication)
           else QApplication([*sys.argv[:1], "-style", "Fusion"]))
    app.setApplicationName("negodrill")
    app.setOrganizationName("negodrill")
    app.setDesktopFileName("negodrill")
    app.setWindowIcon(icon("negodrill"))
    theme.apply_theme(app, str(store.setting("theme", "system")),
                      fusion=not isinstance(existing, QApplication))

    window = MainWindow(store)
    servers: list[InstanceServer] = []

    def listen() -> None:
        """Later launches hand their files over from now on (they wait for this while the
        lock is young): after the first paint, so QtNetwork does not delay it, or after a
        second for a window that is not painted (started minimized)."""
        if servers:
            return
        server = InstanceServer(data_dir)
        server.files_received.connect(window.import_files)
        server.raise_requested.connect(window.bring_to_front)
        servers.append(server)

    previous_hook = sys.excepthook
    sys.excepthook = _message_hook(window)
    first_paint = PaintWatcher(window.decks_page.deck_list.viewport())
    if check_startup:
        window.save_geometry_on_close = False

        def report() -> None:
            print(f"startup_ms={process_age_ms()}", flush=True)
            window.close()
            app.quit()

        # The figure is the paint: reported before what the window does after it.
        first_paint.painted.connect(lambda: QTimer.singleShot(0, report))
    first_paint.painted.connect(lambda: QTimer.singleShot(0, listen))
    QTimer.singleShot(LISTEN_AT_THE_LATEST_MS, listen)
    if not check_startup:
        # The charts' libraries load in idle steps a moment after the decks are on screen,
        # and SQLite's quick check runs on a pool thread.
        first_paint.painted.connect(
            lambda: QTimer.singleShot(PRELOAD_DELAY_MS, _preload_charts))
        first_paint.painted.connect(window.safekeeping.check_health_later)
    window.show()
    if files and not check_startup:
        QTimer.singleShot(0, lambda: window.import_files(list(files)))
    try:
        app.exec()
    finally:
        sys.excepthook = previous_hook
        for server in servers:
            server.close()
        window.deleteLater()
    return window.pending_restore


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
