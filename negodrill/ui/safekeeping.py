"""Keeping the learner's collection safe while the window is open.

Automatic backups every half hour when something changed (on a pool thread: a grade never
waits for one), File > Restore from backup…, SQLite's quick check a moment after the first
paint (about half a second on 100,000 cards: never on the start-up path), and the banner of
a read-only data dir.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from negodrill.ui import tasks

if TYPE_CHECKING:
    from negodrill.storage.backups import BackupInfo
    from negodrill.ui.main_window import MainWindow

BACKUP_INTERVAL_MS = 30 * 60 * 1000
HEALTH_CHECK_DELAY_MS = 1500  # after the first paint, once the learner's first keys are in


def backup_cap_bytes(store: Any) -> int:
    from negodrill.storage.backups import CAP_SETTING, cap_from_setting

    return cap_from_setting(store.setting(CAP_SETTING))


def backup_if_changed(db_path: Path, cap_bytes: int, *, cancel: Any = None,
                      reason: str = "automatic") -> BackupInfo | None:
    """A backup when the database changed since the newest one, then thinning; off the UI
    thread (its own connections)."""
    from negodrill.storage.backups import changed_since_last_backup, create_backup, thin_backups

    if reason == "automatic" and not changed_since_last_backup(db_path):
        return None
    info = create_backup(db_path, reason=reason, cancel=cancel)
    thin_backups(db_path.parent, cap_bytes=cap_bytes)
    return info


def describe_backup(info: BackupInfo) -> str:
    when = info.created.astimezone().strftime("%d %b %Y, %H:%M")
    return f"{when} ({info.cards:,} cards, {info.reviews:,} reviews)"


class Safekeeping(QObject):
    """Owned by the main window; `window.pending_restore` tells the app what to restore (a
    `storage.restore.Prepared`, checked and ready to swap in once the window has closed)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.store = window.store
        self.read_only = bool(getattr(self.store, "read_only", False))
        self.last_backup: BackupInfo | None = None
        self.last_error = ""
        self._running: tasks.Task | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(BACKUP_INTERVAL_MS)
        self.timer.timeout.connect(self.backup_now)
        if self.store.path is not None and not self.read_only:
            self.timer.start()
        self.banner: QLabel | None = None
        if self.read_only:
            self._show_read_only_banner()

    # -- backups ---------------------------------------------------------------------------
    def backup_now(self, *, reason: str = "automatic") -> tasks.Task | None:
        """Start a backup on a pool thread unless one is running (or nothing changed)."""
        path = self.store.path
        if path is None or self.read_only or self._running is not None:
            return None
        cap = backup_cap_bytes(self.store)
        task = tasks.Task(lambda progress, cancel: backup_if_changed(
            Path(path), cap, cancel=cancel, reason=reason))
        task.signals.succeeded.connect(self._backed_up)
        task.signals.failed.connect(self._backup_failed)
        task.signals.finished.connect(self._backup_finished)
        self._running = task
        return tasks.start(task)

    def _backed_up(self, info: BackupInfo | None) -> None:
        if info is not None:
            self.last_backup = info
            self.last_error = ""
            self.window.statusBar().showMessage(f"Backed up: {describe_backup(info)}", 8000)

    def _backup_failed(self, exc: BaseException) -> None:
        from negodrill.ui.main_window import describe_error

        # Told in the status bar, not a dialog: the learner is studying and loses nothing now.
        self.last_error = describe_error(exc)
        self.window.statusBar().showMessage(f"The automatic backup failed: {self.last_error}")

    def _backup_finished(self) -> None:
        self._running = None

    # -- restore ---------------------------------------------------------------------------
    def ask_restore(self) -> None:
        """File > Restore from backup…: the list of backups, newest first."""
        if self.store.path is None:
            return
        from negodrill.ui.restore_dialog import RestoreDialog

        dialog = RestoreDialog(Path(self.store.path).parent, self.window)
        dialog.chosen.connect(self.confirm_restore)
        dialog.open()

    def confirm_restore(self, info: BackupInfo) -> None:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self.window, "Restore from backup — negodrill",
            f"Replace your collection with the backup of {describe_backup(info)}?\n\n"
            "Your collection as it is now is backed up first, so this can be undone by "
            "restoring that backup. negodrill reopens when it is done.")
        if answer == QMessageBox.StandardButton.Yes:
            self.start_restore(info.path)

    def start_restore(self, backup: Path) -> tasks.Task | None:
        """Unpack and check the backup and keep the collection aside on a pool thread, with a
        progress dialog; then the window closes and the app swaps the files and reopens."""
        path = self.store.path
        if path is None:
            return None
        from negodrill.storage.restore import prepare_restore

        task = tasks.Task(lambda progress, cancel: prepare_restore(Path(path), backup))
        task.signals.succeeded.connect(self._restore_prepared)
        task.signals.failed.connect(self._restore_failed)
        return tasks.run_with_progress(self.window, "Restoring the backup", task)

    def _restore_prepared(self, prepared: Any) -> None:
        self.window.pending_restore = prepared
        self.window.close()

    def _restore_failed(self, exc: BaseException) -> None:
        from negodrill.ui.main_window import describe_error

        self.window.show_message("Not restored", describe_error(exc), error=True)

    # -- start-up health -------------------------------------------------------------------
    def check_health_later(self) -> None:
        QTimer.singleShot(HEALTH_CHECK_DELAY_MS, self.check_health)

    def check_health(self) -> tasks.Task | None:
        path = self.store.path
        if path is None:
            return None
        from negodrill.storage.datadir import quick_check

        task = tasks.Task(lambda progress, cancel: quick_check(Path(path)))
        task.signals.succeeded.connect(self._health_checked)
        return tasks.start(task)

    def _health_checked(self, problems: list[str]) -> None:
        if not problems or self.store.path is None:
            return
        from negodrill.storage.backups import list_backups

        newest = next(iter(list_backups(Path(self.store.path).parent)), None)
        text = (f"SQLite's check found damage in your database ({problems[0]}). Keep studying "
                "only after restoring a backup: damage can spread as negodrill writes.")
        if newest is None:
            self.window.show_message("Your database is damaged", text + " There is no backup "
                                     "yet; `negodrill check --full` says more.", error=True)
            return
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.warning(
            self.window, "Your database is damaged — negodrill",
            f"{text}\n\nRestore the newest backup, of {describe_backup(newest)}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.start_restore(newest.path)

    # -- read-only -------------------------------------------------------------------------
    def _show_read_only_banner(self) -> None:
        folder = Path(self.store.path).parent if self.store.path else Path()
        if getattr(self.store, "read_only_why", "") == "disk full":
            text = (f"The disk holding {folder} is full, so nothing you do here is saved: free "
                    "some space, then start negodrill again to study. Your decks, cards and "
                    "progress can be looked at and exported.")
        else:
            text = (f"Read-only: {folder} cannot be written, so nothing you do here is saved. "
                    "Your decks, cards and progress can be looked at and exported.")
        banner = QLabel(text)
        banner.setWordWrap(True)
        banner.setObjectName("readOnlyBanner")
        banner.setAccessibleName("Read-only")
        banner.setStyleSheet("QLabel#readOnlyBanner { background: #fff3cd; color: #5c4400; "
                             "padding: 6px 10px; border-bottom: 1px solid #e0c36a; }")
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        central = self.window.takeCentralWidget()
        layout.addWidget(banner)
        if central is not None:
            layout.addWidget(central, 1)
        self.window.setCentralWidget(holder)
        self.banner = banner
