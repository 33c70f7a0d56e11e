"""The one main window: a stack of pages (Decks, Study, Browse, Practice, Progress, Settings),
the menus with every action and its shortcut, import/export, drops, and window geometry."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QRect, Qt, QThreadPool, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QWidget

from negodrill.core.errors import NegodrillError
from negodrill.storage.store import Store, open_store
from negodrill.ui import tasks, theme
from negodrill.ui.decks_page import DecksPage
from negodrill.ui.icons import icon

if TYPE_CHECKING:  # dialogs load on first use, not on the start-up path
    from PySide6.QtWidgets import QMessageBox

GEOMETRY_KEY = "window_geometry"
# Activating the window refreshes the deck list (the terminal may have changed it), unless it
# was filled a moment ago: the first activation at start-up would fill it a second time.
REFRESH_AFTER_S = 2.0
LAST_FOLDER_KEY = "last_folder"  # where the file dialogs open
MINIMUM_SIZE = (560, 420)  # below this the study page's buttons and hints overlap
PAGE_TITLES = {
    "decks": "Decks",
    "review": "Study",
    "browse": "Browse",
    "practice": "Practice",
    "progress": "Progress",
    "settings": "Settings",
}


def describe_error(exc: BaseException) -> str:
    """One sentence for the learner: our own errors say what to do; others say what broke."""
    if isinstance(exc, NegodrillError):
        return str(exc)
    if isinstance(exc, sqlite3.OperationalError):  # a full disk, a read-only folder
        from negodrill.storage.datadir import from_sqlite_error

        return str(from_sqlite_error(exc, None))
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"Something unexpected went wrong ({type(exc).__name__}: {text})."


def local_files(urls: Sequence[QUrl]) -> list[Path]:
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and u.toLocalFile()]


class MainWindow(QMainWindow):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.save_geometry_on_close = True
        self.message_box: QMessageBox | None = None
        self.last_import_results: list[Any] = []
        self._import_queue: list[Path] = []
        self._importing = False
        self.import_preview: Any = None  # the open preview dialog, for tests and screenshots
        self._export_task: tasks.Task | None = None
        self._pages: dict[str, QWidget] = {}
        self.pending_restore: Any = None  # a prepared restore, swapped in once it has closed
        self.setWindowIcon(icon("negodrill"))
        self.setAcceptDrops(True)
        self.setAccessibleName("negodrill")

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.decks_page = DecksPage()
        self.decks_page.study_requested.connect(self.study_deck)
        self._add_page("decks", self.decks_page)
        self.review_page: Any = None  # ReviewPage, built on first study
        from negodrill.ui.safekeeping import Safekeeping

        self.safekeeping = Safekeeping(self)
        self._build_menus()
        self.statusBar().setAccessibleName("Status")
        self._decks_refreshed_at = 0.0
        self.restore_window_geometry()
        self.show_page("decks")  # fills the deck list
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

    # -- menus -----------------------------------------------------------------------------
    def _action(self, text: str, keys: Sequence[QKeySequence | QKeySequence.StandardKey | str],
                slot: Callable[[], Any], icon_name: str = "") -> QAction:
        act = QAction(icon(icon_name) if icon_name else icon("none"), text, self)
        act.setShortcuts([QKeySequence(k) for k in keys])
        act.triggered.connect(lambda _=False: slot())
        self.addAction(act)
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.import_action = self._action("&Import deck…", ["Ctrl+I"], self.ask_and_import,
                                          "import")
        self.export_action = self._action("&Export selected deck…", ["Ctrl+E"],
                                          self.ask_and_export, "export")
        self.export_history_action = self._action(
            "Export selected deck with your review &history…", ["Ctrl+Alt+E"],
            lambda: self.ask_and_export(with_history=True), "export")
        self.export_report_action = self._action("Export progress &report…", ["Ctrl+Shift+E"],
                                                 self.ask_and_export_report, "export")
        self.backup_action = self._action("&Back up now", [],
                                          lambda: self.safekeeping.backup_now(reason="manual"),
                                          "export")
        self.restore_action = self._action("Restore from bac&kup…", [],
                                           self.safekeeping.ask_restore, "import")
        self.quit_action = self._action("&Quit", ["Ctrl+Q"], self.quit_now, "quit")
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        file_menu.addActions([self.import_action, self.export_action, self.export_history_action])
        file_menu.addAction(self.export_report_action)
        file_menu.addSeparator()
        file_menu.addActions([self.backup_action, self.restore_action])
        for act in (self.backup_action, self.restore_action):  # nothing can be written
            act.setEnabled(not self.safekeeping.read_only)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        go_menu = bar.addMenu("&Go")
        self.go_actions = {
            "decks": self._action("&Decks", ["D"], lambda: self.show_page("decks"), "decks"),
            "study": self._action("&Study selected deck", ["S"], self.study_selected, "study"),
            "browse": self._action("&Browse", ["Ctrl+B"], lambda: self.show_page("browse"),
                                   "browse"),
            "practice": self._action("&Practice", ["Ctrl+P"],
                                     lambda: self.show_page("practice"), "practice"),
            "progress": self._action("P&rogress", ["Ctrl+G"],
                                     lambda: self.show_page("progress"), "progress"),
            "settings": self._action("Se&ttings", ["Ctrl+,"],
                                     lambda: self.show_page("settings"), "settings"),
        }
        go_menu.addActions(list(self.go_actions.values()))

        from negodrill.ui.deck_actions import DeckActions

        self.deck_actions = DeckActions(self)
        self.deck_actions.fill_menu(bar.addMenu("De&cks"))
        self.decks_page.add_context_actions(self.deck_actions.actions)

        self.review_menu = bar.addMenu("&Review")
        self.review_menu.aboutToShow.connect(self._fill_review_menu)  # built when first opened

        help_menu = bar.addMenu("&Help")
        self.shortcuts_action = self._action("&Keyboard shortcuts", ["F1"], self.show_shortcuts,
                                             "keyboard")
        self.about_action = self._action("&About negodrill", [], self.show_about, "help")
        help_menu.addActions([self.shortcuts_action, self.about_action])

    def _fill_review_menu(self) -> None:
        """The Review menu lists the study page's actions (built on first use)."""
        self.review_menu.clear()
        page = self.ensure_review_page()
        for act in page.actions_list:
            self.review_menu.addAction(act)

    def ensure_review_page(self) -> Any:
        if self.review_page is None:
            from negodrill.ui.review_page import ReviewPage

            page = ReviewPage()
            page.back_requested.connect(lambda: self.show_page("decks"))
            page.failed.connect(lambda text: self.show_message("Not saved", text, error=True))
            page.disagree_requested.connect(self.record_disagreement)
            page.reopen_requested.connect(lambda: self.show_page("review"))
            page.edit_requested.connect(self.edit_card_in_study)
            page.card_changed.connect(self.refresh_decks)
            page.browse_requested.connect(self.open_in_browse)
            page.notice.connect(lambda text: self.statusBar().showMessage(text, 5000))
            for act in page.actions_list:
                self.addAction(act)
            self.review_page = page
            self._add_page("review", page)
        return self.review_page

    def all_actions(self) -> list[QAction]:
        """Every action with a shortcut, for the keyboard shortcuts dialog."""
        page = self.ensure_review_page()
        return [self.import_action, self.export_action, self.export_history_action,
                self.quit_action,
                *self.go_actions.values(), *page.actions_list, self.shortcuts_action]

    # -- pages -----------------------------------------------------------------------------
    def _add_page(self, name: str, page: QWidget) -> None:
        self._pages[name] = page
        self.stack.addWidget(page)

    def page(self, name: str) -> QWidget:
        """The page called `name`, built (and its module imported) on first use."""
        if name in self._pages:
            return self._pages[name]
        if name == "review":
            return self.ensure_review_page()
        page: QWidget
        if name == "settings":
            from negodrill.ui.settings_page import SettingsPage

            settings = SettingsPage(self.store)
            settings.theme_changed.connect(self.set_theme)
            settings.saved.connect(self.refresh_decks)
            page = settings
        elif name == "progress":
            from negodrill.ui.progress_page import ProgressPage

            page = ProgressPage(self.store)
        elif name == "browse":
            from negodrill.ui.browse import BrowsePage

            browse = BrowsePage(self.store)
            browse.changed.connect(self.refresh_decks)
            browse.notice.connect(lambda text: self.statusBar().showMessage(text, 5000))
            page = browse
        elif name == "practice":
            from negodrill.ui.practice import PracticePage

            practice = PracticePage()
            practice.disagree_requested.connect(self.record_disagreement)
            page = practice
        else:
            raise KeyError(name)
        self._add_page(name, page)
        return page

    def edit_card_in_study(self, card_id: int) -> None:
        """E while studying: the card editor (a conversation is edited in its deck file)."""
        from negodrill.core.models import CardType
        from negodrill.ui.card_editor import CardEditor

        if self.store.card(card_id).type is CardType.CONVERSATION:
            self.statusBar().showMessage(
                "Conversation cards are edited in their deck file (export, edit, import).", 8000)
            return
        editor = CardEditor(self.store, card_id=card_id, parent=self)
        if editor.exec() and self.review_page is not None:
            self.review_page.card_edited()

    def record_disagreement(self, request: Any) -> None:
        """Ask the learner what the sentence really is, and keep it for the trainer."""
        from negodrill.storage.disagreements import add_disagreement
        from negodrill.ui.disagree_dialog import ask_correction

        found = ask_correction(self, request.text, request.ask, request.situation,
                               request.assessment, request.card_id)
        if found is None:
            return
        try:
            add_disagreement(self.store, found)
        except (NegodrillError, sqlite3.Error) as exc:
            self.show_message("Not saved", "Your correction could not be saved: "
                              f"{describe_error(exc)}",
                              error=True)
            return
        self.statusBar().showMessage(
            "Thanks: your correction is kept (negodrill coach disagreements exports it).", 8000)

    def current_page_name(self) -> str:
        current = self.stack.currentWidget()
        return next((n for n, p in self._pages.items() if p is current), "decks")

    def show_page(self, name: str) -> None:
        page = self.page(name)
        if name == "decks":
            self.refresh_decks()
        refresh = getattr(page, "refresh", None)
        if name != "decks" and callable(refresh):
            refresh()
        self.stack.setCurrentWidget(page)
        self.setWindowTitle(f"{PAGE_TITLES[name]} — negodrill")
        if self.review_page is not None:
            # On Decks, Ctrl+Z is the window's one undo stack (a grade or a deleted deck).
            self.review_page.set_active(name == "review")
        self.deck_actions.set_active(name == "decks")
        self.go_actions["study"].setEnabled(name == "decks")
        if name == "decks":
            self.decks_page.deck_list.setFocus()
        elif name != "review":
            # Where typing goes: the Practice sentence, the Browse search; else the page.
            target = getattr(page, "typing_target", None)
            (target() if callable(target) else page).setFocus()

    def refresh_decks(self) -> None:
        from negodrill.reports.figures import deck_row, deck_summaries, today_stats

        decks = deck_summaries(self.store)
        descriptions = {d.id: d.description for d in decks}
        rows = [deck_row(d) for d in decks]
        # Today's reviews and the streak from the index: the deck list never reads the log.
        self.decks_page.show_decks(rows, today_stats(self.store), descriptions)
        self._decks_refreshed_at = time.monotonic()

    # -- study -----------------------------------------------------------------------------
    def study_selected(self) -> None:
        deck_id = self.decks_page.selected_deck_id()
        if deck_id is not None:
            self.study_deck(deck_id)

    def open_in_browse(self, card_id: int) -> None:
        """Review's B: Browse showing just this card, selected (Escape there: back to Decks)."""
        self.show_page("browse")
        self.page("browse").show_card(self.store.card_key(card_id))

    def end_session_of(self, deck_id: int) -> None:
        """A deck is being deleted: a study session over it ends (its grades stay saved)."""
        page = self.review_page
        if page is not None and page.session is not None and page.session.covers(deck_id):
            page.session = None

    def study_deck(self, deck_id: int, *, more: Any = None) -> None:
        """Study a deck; `more` (a StudyMore) goes beyond today's limits."""
        from negodrill.core.session import ReviewSession

        try:
            session = ReviewSession(self.store, deck_ids=[deck_id], more=more)
            title = str(self.store.deck(deck_id)["title"])
        except NegodrillError as exc:
            self.show_message("Cannot study", describe_error(exc), error=True)
            return
        if more is not None:
            title += (" · practice: due dates unchanged" if more.unscheduled
                      else " · studying more")
        page = self.ensure_review_page()
        self.show_page("review")
        page.start(session, title)

    # -- import and export -------------------------------------------------------------------
    def import_patterns(self) -> str:
        from negodrill.deckio.importing import IMPORT_PATTERNS

        return f"Deck files ({' '.join(IMPORT_PATTERNS)});;All files (*)"

    def ask_import_paths(self) -> list[Path]:
        from PySide6.QtWidgets import QFileDialog

        names, _ = QFileDialog.getOpenFileNames(self, "Import deck", str(self.last_folder()),
                                                self.import_patterns())
        if names:
            self.remember_folder(Path(names[0]))
        return [Path(n) for n in names]

    def last_folder(self) -> Path:
        """Where file dialogs open: the folder used last, else the home folder."""
        saved = self.store.setting(LAST_FOLDER_KEY)
        folder = Path(saved) if isinstance(saved, str) and saved else Path.home()
        return folder if folder.is_dir() else Path.home()

    def remember_folder(self, chosen: Path) -> None:
        self.store.set_setting(LAST_FOLDER_KEY, str(chosen.parent))

    def ask_and_import(self) -> None:
        paths = self.ask_import_paths()
        if paths:
            self.import_files(paths)

    def import_files(self, paths: Sequence[Path]) -> None:
        """Queue files for import; each is read and previewed, then imported if confirmed."""
        self._import_queue.extend(Path(p) for p in paths)
        if not self._importing:
            self._importing = True
            self.last_import_results = []
            self._import_next()

    def _import_next(self) -> None:
        self.import_preview = None
        if not self._import_queue:
            self._importing = False
            self.refresh_decks()
            if self.last_import_results:
                text = "\n\n".join(f"Imported {r.name}:\n{r.describe()}"
                                    for r in self.last_import_results)
                self.statusBar().showMessage(text.splitlines()[-1], 8000)
                self.show_message("Import finished", text)
            return
        from negodrill.deckio.importing import read_file
        from negodrill.deckio.merge import import_package

        path = self._import_queue.pop(0)
        db_path = self.store.path

        def work(progress: Any, cancel: Any) -> Any:
            """Read the file and walk the import without writing: the preview's figures."""
            package = read_file(path, progress=progress, cancel=cancel)
            with self._worker_store(db_path) as store:
                report = import_package(store, package, dry_run=True, progress=progress,
                                        cancel=cancel)
            return package, report

        task = tasks.Task(work)
        task.signals.succeeded.connect(lambda result, p=path: self._show_preview(p, *result))
        task.signals.failed.connect(lambda exc, p=path: self._import_failed(p, exc))
        task.signals.cancelled.connect(lambda p=path: self._import_cancelled(p))
        self._with_quit(tasks.run_with_progress(self, f"Reading {path.name}", task))

    def _show_preview(self, path: Path, package: Any, report: Any) -> None:
        from negodrill.ui.import_preview import ImportPreview

        dialog = ImportPreview(report, self)
        dialog.accepted.connect(lambda: self._import_package(path, package))
        dialog.rejected.connect(lambda: self._import_cancelled(path))
        dialog.finished.connect(dialog.deleteLater)
        self.import_preview = dialog
        dialog.open()

    def _import_package(self, path: Path, package: Any) -> None:
        from negodrill.deckio.merge import import_package

        db_path = self.store.path

        def work(progress: Any, cancel: Any) -> Any:
            with self._worker_store(db_path) as store:
                return import_package(store, package, progress=progress, cancel=cancel)

        task = tasks.Task(work)
        task.signals.succeeded.connect(self._imported)
        task.signals.failed.connect(lambda exc, p=path: self._import_failed(p, exc))
        task.signals.cancelled.connect(lambda p=path: self._import_cancelled(p))
        self._with_quit(tasks.run_with_progress(self, f"Importing {path.name}", task))

    def _imported(self, report: Any) -> None:
        self.last_import_results.append(report)
        self._import_next()

    @staticmethod
    @contextlib.contextmanager
    def _worker_store(db_path: Path | None) -> Iterator[Store]:
        """A worker's own connection to the collection (connections never cross threads)."""
        if db_path is None:
            raise NegodrillError("this collection has no file to import into")
        store = open_store(db_path)
        try:
            yield store
        finally:
            store.close()

    def _import_cancelled(self, path: Path) -> None:
        self.statusBar().showMessage(f"Import of {path.name} cancelled; nothing was changed.",
                                     8000)
        self._import_next()

    def _import_failed(self, path: Path, exc: BaseException) -> None:
        self._import_queue.clear()
        self.show_message("Import failed", f"{path.name} was not imported: "
                          f"{describe_error(exc)}", error=True)
        self._import_next()

    def default_export_name(self, title: str) -> str:
        safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in title).strip()
        return f"{safe or 'deck'}.negodeck"

    def ask_export_path(self, title: str) -> tuple[Path, str] | None:
        """The file to write and its format, from the dialog's name and chosen file type."""
        from PySide6.QtWidgets import QFileDialog

        from negodrill.deckio.exporting import EXPORT_FORMATS, FORMAT_NAMES

        filters = [FORMAT_NAMES[kind] for kind in EXPORT_FORMATS]
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export deck", str(self.last_folder() / self.default_export_name(title)),
            ";;".join(filters),
        )
        if not name:
            return None
        self.remember_folder(Path(name))
        kind = EXPORT_FORMATS[filters.index(chosen)] if chosen in filters else "negodeck"
        path = Path(name)
        if not path.name.lower().endswith(f".{kind}"):
            path = path.with_name(f"{path.name}.{kind}")
        return path, kind

    def ask_and_export(self, *, with_history: bool = False) -> None:
        deck_id = self.decks_page.selected_deck_id()
        if deck_id is None:
            self.show_message("Export", "Select a deck on the Decks page first.", error=True)
            return
        chosen = self.ask_export_path(self.decks_page.selected_deck_title())
        if chosen is not None:
            self.export_deck_to(deck_id, chosen[0], format=chosen[1], with_history=with_history)

    def export_deck_to(self, deck_id: int, path: Path, *, format: str | None = None,
                       with_history: bool = False) -> tasks.Task:
        from negodrill.deckio.exporting import export_deck_file

        db_path = self.store.path

        def work(progress: Any, cancel: Any) -> Any:
            with self._worker_store(db_path) as store:
                return export_deck_file(store, deck_id, path, format=format,
                                        with_history=with_history, progress=progress,
                                        cancel=cancel)

        task = tasks.Task(work)
        task.signals.succeeded.connect(self._say_written)
        task.signals.failed.connect(
            lambda exc: self.show_message("Export failed", describe_error(exc), error=True)
        )
        task.signals.finished.connect(lambda: setattr(self, "_export_task", None))
        self._export_task = task
        return self._with_quit(tasks.run_with_progress(self, f"Exporting to {path.name}", task))

    def ask_report_path(self) -> tuple[Path, str] | None:
        """The progress report's file and format (HTML, PDF or CSV), from the file dialog."""
        from PySide6.QtWidgets import QFileDialog

        from negodrill.reports.exporting import FORMAT_NAMES, REPORT_FORMATS

        filters = [FORMAT_NAMES[kind] for kind in REPORT_FORMATS]
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export progress report", str(self.last_folder() / "negodrill progress.html"),
            ";;".join(filters))
        if not name:
            return None
        self.remember_folder(Path(name))
        kind = REPORT_FORMATS[filters.index(chosen)] if chosen in filters else "html"
        path = Path(name)
        if path.suffix.lower() not in ((".html", ".htm") if kind == "html" else (f".{kind}",)):
            path = path.with_name(f"{path.name}.{kind}")
        return path, kind

    def ask_and_export_report(self) -> None:
        chosen = self.ask_report_path()
        if chosen is not None:
            self.export_report_to(chosen[0], format=chosen[1])

    def export_report_to(self, path: Path, *, format: str | None = None) -> None:
        """The progress report of the whole collection, all time, written off the UI thread.

        matplotlib is loaded on the UI thread first: importing it on a pool thread can crash
        the interpreter through PySide6's import hook.
        """
        from negodrill.ui.progress_page import load_charts_in_steps

        load_charts_in_steps(lambda _error: self._write_report(path, format))

    def _write_report(self, path: Path, format: str | None) -> tasks.Task:
        from negodrill.reports.exporting import export_report

        db_path = self.store.path

        def work(progress: Any, cancel: Any) -> Any:
            with self._worker_store(db_path) as store:
                return export_report(store, path, format=format, progress=progress,
                                     cancel=cancel)

        task = tasks.Task(work)
        task.signals.succeeded.connect(self._say_written)
        task.signals.failed.connect(
            lambda exc: self.show_message("Export failed", describe_error(exc), error=True))
        task.signals.finished.connect(lambda: setattr(self, "_export_task", None))
        self._export_task = task
        return self._with_quit(tasks.run_with_progress(self, f"Writing {path.name}", task))

    def _say_written(self, done: Any) -> None:
        """An export's "exported …" / "wrote …" line as a sentence in the status bar."""
        text = done.describe()
        self.statusBar().showMessage(f"{text[:1].upper()}{text[1:]}.", 8000)

    def _with_quit(self, task: tasks.Task) -> tasks.Task:
        """Ctrl+Q must quit at once even while a (window-modal) progress dialog shows."""
        if task.dialog is not None:
            task.dialog.addAction(self.quit_action)
        return task

    # -- drops -------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and local_files(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = [p for p in local_files(event.mimeData().urls()) if p.is_file()]
        if files:
            event.acceptProposedAction()
            self.import_files(files)
        else:
            event.ignore()

    # -- messages, theme, help ---------------------------------------------------------------
    def show_message(self, title: str, text: str, *, error: bool = False) -> QMessageBox:
        """A readable message that blocks neither the caller nor the window (Ctrl+Q still
        quits at once while it shows)."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information)
        box.setWindowTitle(f"{title} — negodrill")
        box.setText(text)
        box.setAccessibleName(title)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        self.message_box = box
        return box

    def set_theme(self, name: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, name)

    def _system_scheme_changed(self) -> None:
        if self.store.setting("theme", "system") == "system":
            self.set_theme("system")

    def show_shortcuts(self) -> None:
        from negodrill.ui.help_dialog import ShortcutsDialog

        ShortcutsDialog(self.all_actions(), self).open()

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from negodrill import __version__

        QMessageBox.about(
            self, "About negodrill",
            f"negodrill {__version__}\n\nDrills for no-oriented questions and deliberate "
            "mislabels, with a coach that judges technique. Offline; your data stays here:\n"
            f"{self.data_dir()}",
        )

    def data_dir(self) -> str:
        """The data dir in use (the folder of the collection), for About."""
        path = self.store.path
        return str(Path(path).parent) if path is not None else "(in memory)"

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Coming back to the window refreshes the deck list: the terminal may have changed
        the collection meanwhile (an import, a study session)."""
        super().changeEvent(event)
        if (event.type() == QEvent.Type.ActivationChange and hasattr(self, "_pages")
                and self.isActiveWindow() and self.current_page_name() == "decks"
                and time.monotonic() - self._decks_refreshed_at > REFRESH_AFTER_S):
            self.refresh_decks()

    # -- window state ----------------------------------------------------------------------
    def restore_window_geometry(self) -> None:
        self.setMinimumSize(MINIMUM_SIZE[0], MINIMUM_SIZE[1])
        saved = self.store.setting(GEOMETRY_KEY)
        restored = False
        if isinstance(saved, str) and saved:
            data = QByteArray.fromBase64(QByteArray(saved.encode("ascii")))
            restored = self.restoreGeometry(data)
        if not restored:
            self.resize(960, 680)
        screen = self.screen()
        if screen is not None:
            self.fit_into(screen.availableGeometry())

    def fit_into(self, area: QRect) -> None:
        """Shrink and move the window so that it lies inside `area` (a screen's available
        part): a geometry saved on a bigger screen, or the default at 200 %, never leaves the
        grade buttons off-screen."""
        self.setMinimumSize(min(MINIMUM_SIZE[0], area.width()),
                            min(MINIMUM_SIZE[1], area.height()))
        frame = self.frameGeometry()
        extra_w = max(0, frame.width() - self.width())  # the window manager's frame
        extra_h = max(0, frame.height() - self.height())
        width = min(self.width(), area.width() - extra_w)
        height = min(self.height(), area.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = min(max(frame.x(), area.x()), area.x() + area.width() - width - extra_w)
        y = min(max(frame.y(), area.y()), area.y() + area.height() - height - extra_h)
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def save_window_geometry(self) -> None:
        data = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        if data != self.store.setting(GEOMETRY_KEY):  # unchanged: no write, no new backup
            self.store.set_setting(GEOMETRY_KEY, data)

    def bring_to_front(self) -> None:
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.show()
        self.raise_()
        self.activateWindow()

    def quit_now(self) -> None:
        """Ctrl+Q: every grade is already committed, so quit at once."""
        self.close()
        QApplication.quit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.save_geometry_on_close:
            with contextlib.suppress(NegodrillError):
                self.save_window_geometry()
        tasks.cancel_all()
        QThreadPool.globalInstance().waitForDone(5000)
        event.accept()
