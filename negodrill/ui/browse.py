"""The Browse page: every card in one searchable, filterable, sortable table.

Keys follow Anki's browser: Ctrl+F search, Return edits, Delete deletes, Ctrl+N adds,
Ctrl+J suspends, Ctrl+D moves cards to another deck. The table reads its rows a page at a
time (see browse_model), so the page stays quick on a 100,000-card collection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QEvent, QItemSelectionRange, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QHideEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from negodrill.core import scheduling
from negodrill.core.errors import NegodrillError
from negodrill.core.models import CardType
from negodrill.core.studyday import Today
from negodrill.storage import browse
from negodrill.storage.browse import BrowseQuery, BrowseRow, StateFilter
from negodrill.storage.store import Store
from negodrill.ui.browse_model import COLUMNS, HEADLINE_COLUMN, BrowseModel
from negodrill.ui.card_editor import TYPE_TITLES, CardEditor

SEARCH_DELAY_MS = 200  # one query after the learner pauses, not one per key
STATE_TITLES = {
    StateFilter.NEW: "New",
    StateFilter.LEARNING: "Learning",
    StateFilter.DUE: "Due today",
    StateFilter.SUSPENDED: "Suspended",
    StateFilter.FLAGGED: "Flagged",
}


def _combo(name: str, everything: str) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    box.addItem(everything, None)
    return box


class BrowsePage(QWidget):
    """Browse, search, edit, add, suspend and delete cards. Emits `changed` after any write."""

    changed = Signal()
    notice = Signal(str)  # a short message for the window's status bar

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = scheduling.utc_now,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self.model = BrowseModel(store, parent=self)

        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName("Search cards")
        self.search_edit.setPlaceholderText("Search prompts and card text (Ctrl+F)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self._apply_filters)

        self.deck_filter = _combo("Deck filter", "All decks")
        self.type_filter = _combo("Card type filter", "All types")
        for kind, title in (*TYPE_TITLES.items(), (CardType.CONVERSATION, "Conversation")):
            self.type_filter.addItem(title, str(kind))
        self.state_filter = _combo("Card state filter", "Any state")
        for state, title in STATE_TITLES.items():
            self.state_filter.addItem(title, str(state))
        for box in (self.deck_filter, self.type_filter, self.state_filter):
            box.currentIndexChanged.connect(self._apply_filters)

        self.table = QTableView()
        self.table.setAccessibleName("Cards")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        # Fixed row heights: the view never measures 100,000 rows (and never loads them).
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(HEADLINE_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 150), (1, 70), (3, 110), (4, 95), (5, 60)):
            header.resizeSection(column, width)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # deck order until a click
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(lambda _index: self.edit_current())
        self.table.installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of cards shown")
        self.new_button = QPushButton("&New card")
        self.new_button.setAccessibleName("New card")
        self.new_button.setToolTip("Add a card (Ctrl+N)")
        self.new_button.clicked.connect(lambda: self.new_card())
        self.edit_button = QPushButton("&Edit")
        self.edit_button.setAccessibleName("Edit card")
        self.edit_button.setToolTip("Edit the selected card (Return)")
        self.edit_button.clicked.connect(self.edit_current)
        self.suspend_button = QPushButton("&Suspend")
        self.suspend_button.setAccessibleName("Suspend or unsuspend cards")
        self.suspend_button.setToolTip("Suspend or unsuspend the selected cards (Ctrl+J)")
        self.suspend_button.clicked.connect(self.toggle_suspended)
        self.move_button = QPushButton("&Move…")
        self.move_button.setAccessibleName("Move cards to another deck")
        self.move_button.setToolTip("Move the selected cards to another deck, with their "
                                    "history (Ctrl+D)")
        self.move_button.clicked.connect(self.move_selected)
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setAccessibleName("Delete cards")
        self.delete_button.setToolTip("Delete the selected cards (Delete)")
        self.delete_button.clicked.connect(self.delete_selected)

        for keys, slot in (
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence("Ctrl+N"), self.new_card),
            (QKeySequence("Ctrl+J"), self.toggle_suspended),
            (QKeySequence("Ctrl+D"), self.move_selected),
        ):
            action = QAction(self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            self.addAction(action)

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(self.deck_filter)
        filters.addWidget(self.type_filter)
        filters.addWidget(self.state_filter)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        for button in (self.new_button, self.edit_button, self.suspend_button, self.move_button,
                       self.delete_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self._fill_decks()
        self._apply_filters()

    # -- reading ------------------------------------------------------------------------
    def _fill_decks(self) -> None:
        current = self.deck_filter.currentData()
        self.deck_filter.blockSignals(True)
        self.deck_filter.clear()
        self.deck_filter.addItem("All decks", None)
        for deck, title in browse.decks(self._store):
            self.deck_filter.addItem(title, deck)
        found = self.deck_filter.findData(current) if current is not None else 0
        self.deck_filter.setCurrentIndex(max(found, 0))
        self.deck_filter.blockSignals(False)

    def _query(self) -> BrowseQuery:
        # "Due today" ends where the session's and the deck list's today ends.
        today = Today.at(self._clock(), self._store.preset().rollover_hour)
        state = self.state_filter.currentData()
        return replace(
            self.model.query,
            search=self.search_edit.text(),
            deck_id=self.deck_filter.currentData(),
            card_type=self.type_filter.currentData(),
            state=StateFilter(state) if state else None,
            due_until=today.end,
        )

    @Slot()
    def _apply_filters(self) -> None:
        self._search_timer.stop()
        self.model.set_query(self._query())
        self._after_reset()

    def refresh(self) -> None:
        """Read decks and cards again (when the page is shown, or after changes elsewhere)."""
        row = self.table.currentIndex().row()
        scroll = self.table.verticalScrollBar().value()
        self._fill_decks()
        self.model.set_query(self._query())
        self._after_reset(row, scroll)

    def _after_reset(self, row: int = 0, scroll: int = 0) -> None:
        total = self.model.rowCount()
        self.count_label.setText(f"{total:,} card{'s' if total != 1 else ''}")
        if total:
            row = min(max(row, 0), total - 1)
            self.table.setCurrentIndex(self.model.index(row, HEADLINE_COLUMN))
            self.table.verticalScrollBar().setValue(scroll)
        self._update_buttons()

    def _selected_rows(self) -> list[BrowseRow]:
        """The selected rows as read for the table (for small selections)."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return [found for found in (self.model.row_at(r) for r in rows) if found is not None]

    def _selected_ranges(self) -> list[QItemSelectionRange]:
        selection = self.table.selectionModel().selection()
        return [selection.at(i) for i in range(selection.count())]

    def selected_ids(self) -> list[int]:
        """The selected cards' ids: one query per selected range, however many rows."""
        ranges = self._selected_ranges()
        if not ranges:
            return [row.id for row in self._selected_rows()]
        found: dict[int, None] = {}
        for selected in sorted(ranges, key=lambda r: r.top()):
            found.update(dict.fromkeys(self.model.card_ids(selected.top(), selected.bottom())))
        return list(found)

    @Slot()
    def _update_buttons(self) -> None:
        selected = sum(r.height() for r in self._selected_ranges())
        for button in (self.edit_button, self.suspend_button, self.move_button,
                       self.delete_button):
            button.setEnabled(selected > 0)
        self.new_button.setEnabled(self.deck_filter.count() > 1)
        # Name what Ctrl+J will do; a huge selection is not read just to label a button.
        rows = self._selected_rows() if 0 < selected <= self.model.page_size else []
        unsuspend = bool(rows) and all(r.suspended for r in rows)
        self.suspend_button.setText("Un&suspend" if unsuspend else "&Suspend")

    # -- keys ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.table and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.edit_current()
                return True
            if watched is self.table and key == Qt.Key.Key_Delete:
                self.delete_selected()
                return True
            if watched is self.search_edit and key == Qt.Key.Key_Down:
                self.table.setFocus()  # from the search box straight into the results
                return True
        return super().eventFilter(watched, event)

    @Slot()
    def show_card(self, key: str) -> None:
        """Just the card with this stable id (any deck, type and state), selected."""
        for box in (self.deck_filter, self.type_filter, self.state_filter):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.setText(f"id:{key}")
        self.search_edit.blockSignals(False)
        self._apply_filters()
        if self.model.rowCount() > 0:
            self.table.selectRow(0)
            self.table.setFocus()

    def typing_target(self) -> QWidget:
        return self.search_edit

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        """A search typed just before leaving the page is dropped, not run on a closed
        collection later (the page refreshes when it is shown again)."""
        self._search_timer.stop()
        super().hideEvent(event)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- writing ------------------------------------------------------------------------
    def _edited(self) -> None:
        self.refresh()
        self.changed.emit()

    @Slot()
    def edit_current(self) -> None:
        index = self.table.currentIndex()
        card_id = self.model.card_id(index.row()) if index.isValid() else None
        if card_id is None:
            return
        if self._store.card(card_id).type is CardType.CONVERSATION:
            # Turns, replies and models are written in the deck file, checked by `validate`.
            QMessageBox.information(
                self, "Edit a conversation",
                "Conversation cards are written in their deck file: export the deck, edit the "
                "card there, check it with negodrill validate, and import it again.")
            return
        editor = CardEditor(self._store, card_id=card_id, clock=self._clock, parent=self)
        if editor.exec():
            self._edited()

    @Slot()
    def new_card(self, card_type: CardType | None = None) -> None:
        """Open the editor for a new card, in the filtered deck and of the filtered type."""
        if self.deck_filter.count() <= 1:
            return
        kind = card_type or CardType(self.type_filter.currentData() or CardType.DRILL)
        if kind is CardType.CONVERSATION:
            kind = CardType.DRILL  # conversations are written in deck files, not here
        deck = self.deck_filter.currentData() or self.deck_filter.itemData(1)
        editor = CardEditor(self._store, deck_id=deck, card_type=kind, clock=self._clock,
                            parent=self)
        if editor.exec():
            self._edited()

    @Slot()
    def toggle_suspended(self) -> None:
        """Suspend the selected cards, or unsuspend them when they all are suspended (Anki)."""
        ids = self.selected_ids()
        if not ids:
            return
        suspended, total = browse.suspended_share(self._store, ids)
        self._store.set_suspended(ids, suspended < total)
        self._edited()

    def ask_deck(self, question: str) -> int | None:
        """The deck to move cards to (tests replace this)."""
        from PySide6.QtWidgets import QInputDialog

        decks = browse.decks(self._store)
        titles = [title for _id, title in decks]
        title, ok = QInputDialog.getItem(self, "Move cards — negodrill", question, titles, 0,
                                         False)
        return dict((t, i) for i, t in decks).get(title) if ok else None

    @Slot()
    def move_selected(self) -> None:
        """Ctrl+D (Anki's Change Deck): move the selected cards, history and all."""
        from negodrill.deckio.deck_admin import move_cards

        ids = self.selected_ids()
        if not ids:
            return
        what = "this card" if len(ids) == 1 else f"these {len(ids):,} cards"
        deck = self.ask_deck(f"Move {what} to:")
        if deck is None:
            return
        try:
            moved = move_cards(self._store, ids, deck)
        except NegodrillError as exc:
            QMessageBox.warning(self, "Cards not moved", f"The cards could not be moved: {exc}")
            return
        self.notice.emit(
            f"Moved {moved:,} card{'s' * (moved != 1)} to “{self._store.deck(deck)['title']}”.")
        self._edited()

    @Slot()
    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        what = "this card" if len(ids) == 1 else f"these {len(ids):,} cards"
        answer = QMessageBox.question(
            self,
            "Delete cards",
            f"Delete {what}? Their reviews stay in your progress. This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        from negodrill.deckio.deck_admin import delete_cards

        delete_cards(self._store, ids)
        self._edited()

    # columns, for tests and the main window's View menu
    column_titles = tuple(title for title, _ in COLUMNS)
