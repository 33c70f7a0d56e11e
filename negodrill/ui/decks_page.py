"""The home page: each deck with its new, due and total counts, today's figures, Study."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from negodrill.ui.icons import icon

_STUDY_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class DeckList(QTreeWidget):
    """The deck table. Return / keypad Enter studies the selected deck."""

    study_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(4)
        self.setHeaderLabels(["Deck", "New", "Due", "Total"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAllColumnsShowFocus(True)
        self.setAccessibleName("Decks")
        self.setAccessibleDescription("Your decks with new, due and total cards; Return studies")
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            self.headerItem().setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
        self.itemDoubleClicked.connect(lambda *_: self.study_requested.emit())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in _STUDY_KEYS and self.currentItem() is not None:
            self.study_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class DecksPage(QWidget):
    """Shows deck rows and today's figures; forwards "study this deck"."""

    study_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Decks page")
        title = QLabel("Decks")
        title.setProperty("role", "heading")
        title.setAccessibleName("Decks")
        self.today_label = QLabel()
        self.today_label.setAccessibleName("Today's reviews and streak")
        self.today_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        self.deck_list = DeckList()
        self.deck_list.study_requested.connect(self._emit_study)

        self.study_button = QPushButton(icon("study"), "&Study")
        self.study_button.setAccessibleName("Study the selected deck")
        self.study_button.setToolTip("Study the selected deck (Return or S)")
        self.study_button.clicked.connect(self._emit_study)
        self.study_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.description_label = QLabel()
        self.description_label.setWordWrap(True)
        self.description_label.setTextFormat(Qt.TextFormat.PlainText)
        self.description_label.setAccessibleName("About the selected deck")
        self._descriptions: dict[int, str] = {}
        self.deck_list.currentItemChanged.connect(lambda *_: self._show_description())
        self.hint_label = QLabel("Return or S studies the selected deck.")
        self.hint_label.setAccessibleName("Hint")
        self.hint_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.today_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint_label)
        bottom.addStretch(1)
        bottom.addWidget(self.study_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.deck_list, 1)
        layout.addWidget(self.description_label)
        layout.addLayout(bottom)
        self.setFocusProxy(self.deck_list)

    def _emit_study(self) -> None:
        deck_id = self.selected_deck_id()
        if deck_id is not None:
            self.study_requested.emit(deck_id)

    def add_context_actions(self, actions: list[Any]) -> None:
        """The right-click menu of the deck list: the Decks menu's actions."""
        self.deck_list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.deck_list.addActions(actions)

    def select_deck(self, deck_id: int) -> None:
        for i in range(self.deck_list.topLevelItemCount()):
            item = self.deck_list.topLevelItem(i)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == deck_id:
                self.deck_list.setCurrentItem(item)
                return

    def selected_deck_id(self) -> int | None:
        item = self.deck_list.currentItem()
        return int(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else None

    def selected_deck_title(self) -> str:
        item = self.deck_list.currentItem()
        return item.text(0) if item is not None else ""

    def _show_description(self) -> None:
        deck_id = self.selected_deck_id()
        text = self._descriptions.get(deck_id, "") if deck_id is not None else ""
        self.description_label.setText(text)
        self.description_label.setVisible(bool(text))

    def show_decks(self, rows: list[dict[str, Any]], stats: dict[str, Any],
                   descriptions: dict[int, str] | None = None) -> None:
        """Fill the list from `deck_rows()`; keeps the selection, else selects the first deck."""
        keep = self.selected_deck_id()
        self._descriptions = dict(descriptions or {})
        self.deck_list.clear()
        chosen: QTreeWidgetItem | None = None
        for row in rows:
            item = QTreeWidgetItem(
                [str(row["title"]), str(row["new"]), str(row["due"]), str(row["cards"])]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, int(row["id"]))
            item.setIcon(0, icon("decks"))
            for column in (1, 2, 3):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            item.setToolTip(0, f"{row['title']}: {row['new']} new, {row['due']} due")
            self.deck_list.addTopLevelItem(item)
            if chosen is None or row["id"] == keep:
                chosen = item
        if chosen is not None:
            self.deck_list.setCurrentItem(chosen)
        self._show_description()
        self.study_button.setEnabled(bool(rows))
        reviews = int(stats.get("reviews_today", 0))
        streak = int(stats.get("streak_days", 0))
        self.today_label.setText(
            f"Today: {reviews} review{'s' if reviews != 1 else ''}  ·  "
            f"Streak: {streak} day{'s' if streak != 1 else ''}"
        )


class PaintWatcher(QObject):
    """Calls back once, after the watched widget's first paint (for --check-startup)."""

    painted = Signal()

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self._done = False
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            self.painted.emit()
        return False
