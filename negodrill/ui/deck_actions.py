"""The Decks menu and the deck list's right-click menu: new, rename, delete, and Ctrl+Z.

The window keeps one undo stack for the Decks page: Ctrl+Z there undoes the last undoable
action, whichever it was, a grade (the card comes back with its answer) or a deck deleted here
(the deck comes back whole; its cards' reviews never left the log). Everything goes through
`negodrill.deckio.deck_admin`, as `negodrill deck ...` does.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from negodrill.core.errors import NegodrillError

if TYPE_CHECKING:
    from negodrill.core.session import StudyMore
    from negodrill.storage.deck_rows import DeckRows
    from negodrill.ui.main_window import MainWindow


class DeckActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._deleted: list[tuple[float, DeckRows]] = []  # (when, what), newest last
        self.shrink_task: object = None  # the last shrink after a large delete, for tests

        def action(text: str, keys: list[QKeySequence | QKeySequence.StandardKey | str],
                   slot: object) -> QAction:
            act = QAction(text, window)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(lambda _=False: slot())  # type: ignore[operator]
            window.addAction(act)
            return act

        self.new_action = action("&New deck…", ["Ctrl+N"], self.new_deck)
        self.rename_action = action("&Rename deck…", ["F2"], self.rename_deck)
        self.delete_action = action("&Delete deck…", [QKeySequence.StandardKey.Delete],
                                    self.delete_deck)
        self.options_action = action("&Options…", ["Ctrl+Shift+O"], self.deck_options)
        self.more_action = action("Study &more…", ["Ctrl+Shift+S"], self.study_more)
        self.undo_action = action("&Undo", [QKeySequence.StandardKey.Undo], self.undo)
        self.actions = [self.new_action, self.rename_action, self.delete_action,
                        self.options_action, self.more_action]

    def fill_menu(self, menu: QMenu) -> None:
        menu.addActions(self.actions)
        menu.addSeparator()
        menu.addAction(self.undo_action)

    def set_active(self, active: bool) -> None:
        """Only on the Decks page: Delete and Ctrl+Z mean other things elsewhere."""
        for act in self.actions:
            act.setEnabled(active)
        self.undo_action.setEnabled(active and self.can_undo())

    # -- asking (tests replace these) -----------------------------------------------------
    def ask_title(self, caption: str, label: str, text: str = "") -> str | None:
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        title, ok = QInputDialog.getText(self.window, caption, label, QLineEdit.EchoMode.Normal,
                                         text)
        return title if ok else None

    def confirm(self, question: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self.window, "Delete deck — negodrill", question,
                                      QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    # -- the actions ------------------------------------------------------------------------
    def new_deck(self) -> None:
        from negodrill.deckio.deck_admin import create_deck

        title = self.ask_title("New deck — negodrill", "Title of the new deck:")
        if title is None:
            return
        try:
            deck_id = create_deck(self.window.store, title)
        except NegodrillError as exc:
            self.window.show_message("New deck", f"{exc}.", error=True)
            return
        self._refresh(select=deck_id)

    def rename_deck(self) -> None:
        from negodrill.deckio.deck_admin import rename_deck

        deck_id = self.window.decks_page.selected_deck_id()
        if deck_id is None:
            return
        old = self.window.decks_page.selected_deck_title()
        title = self.ask_title("Rename deck — negodrill", f'New title for "{old}":', old)
        if title is None:
            return
        try:
            rename_deck(self.window.store, deck_id, title)
        except NegodrillError as exc:
            self.window.show_message("Rename deck", f"{exc}.", error=True)
            return
        self._refresh(select=deck_id)

    def delete_deck(self) -> None:
        from negodrill.deckio.deck_admin import cards_in, delete_deck, needs_shrink

        deck_id = self.window.decks_page.selected_deck_id()
        if deck_id is None:
            return
        title = self.window.decks_page.selected_deck_title()
        cards = cards_in(self.window.store, deck_id)
        question = (f'Delete "{title}" and its {cards} card{"s" * (cards != 1)}?\n\nTheir '
                    "reviews stay in your progress. Ctrl+Z on the Decks page puts the deck "
                    "back.")
        if not self.confirm(question):
            return
        self.window.end_session_of(deck_id)
        try:
            rows = delete_deck(self.window.store, deck_id, shrink=False)
        except NegodrillError as exc:
            self.window.show_message("Delete deck", f"{exc}.", error=True)
            return
        self._deleted.append((time.monotonic(), rows))
        self._refresh()
        self.window.statusBar().showMessage(f'Deleted "{title}". Ctrl+Z puts it back.', 8000)
        if needs_shrink(rows):
            self._shrink()

    def _shrink(self) -> None:
        """After a large delete, give the space back on a worker thread (seconds on a big
        collection); a grade meanwhile waits for it through SQLite's busy timeout."""
        from negodrill.deckio.deck_admin import shrink_file
        from negodrill.ui import tasks

        path = self.window.store.path
        if path is None:
            return

        def work(_progress: object, _cancel: object) -> None:
            with self.window._worker_store(path) as store:
                shrink_file(store)

        task = tasks.Task(work)
        task.signals.succeeded.connect(lambda _r: self.window.statusBar().showMessage(
            "The database file has given the deleted deck's space back.", 5000))
        task.signals.failed.connect(lambda exc: self.window.statusBar().showMessage(
            f"The database file could not be shrunk now ({exc}); it will reuse the space.",
            8000))
        self.shrink_task = tasks.start(task)

    def open_options(self, deck_id: int) -> bool:
        """The deck's options dialog; whether it was saved (tests replace this)."""
        from negodrill.ui.deck_options import DeckOptionsDialog

        return bool(DeckOptionsDialog(self.window.store, deck_id, self.window).exec())

    def deck_options(self) -> None:
        """The selected deck's preset: its daily limits and retention, shared by name."""
        deck_id = self.window.decks_page.selected_deck_id()
        if deck_id is not None and self.open_options(deck_id):
            self._refresh(select=deck_id)

    def ask_more(self, deck_id: int) -> StudyMore | None:
        """What to study beyond today's limits (tests replace this)."""
        from negodrill.ui.study_more import StudyMoreDialog

        dialog = StudyMoreDialog(self.window.store, deck_id, self.window)
        return dialog.choice() if dialog.exec() else None

    def study_more(self) -> None:
        """More new cards, or a practice session, on the selected deck."""
        deck_id = self.window.decks_page.selected_deck_id()
        if deck_id is None:
            return
        more = self.ask_more(deck_id)
        if more is not None:
            self.window.study_deck(deck_id, more=more)

    # -- one undo stack ------------------------------------------------------------------------
    def _grade_undoable(self) -> tuple[bool, float]:
        page = self.window.review_page
        if page is None or page.session is None or not page.session.can_undo:
            return False, 0.0
        return True, page.last_graded_at

    def can_undo(self) -> bool:
        return bool(self._deleted) or self._grade_undoable()[0]

    def undo(self) -> None:
        """The newest of: the last deck deleted, the last grade."""
        from negodrill.deckio.deck_admin import restore_deck

        grade, graded_at = self._grade_undoable()
        if self._deleted and (not grade or self._deleted[-1][0] > graded_at):
            _when, rows = self._deleted.pop()
            try:
                deck_id = restore_deck(self.window.store, rows)
            except NegodrillError as exc:
                self.window.show_message("Undo", f"{exc}.", error=True)
                return
            self._refresh(select=deck_id)
            self.window.statusBar().showMessage(f'"{rows.title}" is back.', 5000)
        elif grade and self.window.review_page is not None:
            self.window.review_page.undo()
        self.undo_action.setEnabled(self.can_undo())

    def _refresh(self, select: int | None = None) -> None:
        self.window.refresh_decks()
        if select is not None:
            self.window.decks_page.select_deck(select)
        self.undo_action.setEnabled(self.can_undo())
