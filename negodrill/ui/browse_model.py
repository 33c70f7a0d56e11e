"""The card browser's table model: a thin, paged adapter over negodrill.storage.browse.

rowCount comes from one COUNT(*) query; rows are read a page at a time the first time the
view asks for them and kept in a small LRU cache, so a 100,000-card collection opens as fast
as a 100-card one and memory stays bounded however far the learner scrolls.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from negodrill.core.models import CardState
from negodrill.storage import browse
from negodrill.storage.browse import BrowseQuery, BrowseRow, SortColumn
from negodrill.storage.store import Store

ModelIndex = QModelIndex | QPersistentModelIndex

# (header, sort column) in display order.
COLUMNS: tuple[tuple[str, SortColumn], ...] = (
    ("Deck", SortColumn.DECK),
    ("Type", SortColumn.TYPE),
    ("Prompt / front / question", SortColumn.HEADLINE),
    ("Technique", SortColumn.TECHNIQUE),
    ("Due", SortColumn.DUE),
    ("Lapses", SortColumn.LAPSES),
)
HEADLINE_COLUMN = 2
LAPSES_COLUMN = 5


def due_text(row: BrowseRow) -> str:
    """What the Due column says: why a card never comes up, "new", or its local due date."""
    if row.retired:
        return "retired"
    if row.suspended:
        return "suspended"
    if row.buried:
        return "buried"
    if row.state is CardState.NEW or row.due is None:
        return "new"
    return row.due.astimezone().strftime("%Y-%m-%d")


class BrowseModel(QAbstractTableModel):
    """Rows of `browse.page`, fetched on demand; `set_query` / `refresh` re-read everything."""

    def __init__(
        self, store: Store, *, page_size: int = 200, max_pages: int = 50,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._max_pages = max_pages
        self._query = BrowseQuery()
        self._count = browse.count(store, self._query)
        self._pages: OrderedDict[int, list[BrowseRow]] = OrderedDict()
        self.pages_loaded = 0  # how many page queries ran: tests and tuning read it

    @property
    def page_size(self) -> int:
        return self._page_size

    # -- the query ----------------------------------------------------------------------
    @property
    def query(self) -> BrowseQuery:
        return self._query

    def set_query(self, query: BrowseQuery) -> None:
        self._query = query
        self.refresh()

    def refresh(self) -> None:
        """Forget every cached row and count again (after edits, or when the page is shown)."""
        self.beginResetModel()
        self._pages.clear()
        self._count = browse.count(self._store, self._query)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._query, sort_column=COLUMNS[column][1], descending=descending))

    # -- rows ---------------------------------------------------------------------------
    def row_at(self, row: int) -> BrowseRow | None:
        """The card on a table row, reading its page if needed; None past the end."""
        if not 0 <= row < self._count:
            return None
        number, within = divmod(row, self._page_size)
        rows = self._pages.get(number)
        if rows is None:
            rows = browse.page(self._store, self._query, number * self._page_size, self._page_size)
            self.pages_loaded += 1
            self._pages[number] = rows
            while len(self._pages) > self._max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        # The collection may have shrunk since the count (another window, a sync): show blank.
        return rows[within] if within < len(rows) else None

    def card_ids(self, first: int, last: int) -> list[int]:
        """The card ids on rows first..last, in one query (a bulk action on a big selection)."""
        first, last = max(0, first), min(last, self._count - 1)
        if last < first:
            return []
        return browse.ids(self._store, self._query, first, last - first + 1)

    def card_id(self, row: int) -> int | None:
        found = self.row_at(row)
        return found.id if found else None

    # -- QAbstractTableModel ------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0] if 0 <= section < len(COLUMNS) else None
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ToolTipRole and column != HEADLINE_COLUMN:
                return None
            return self._text(row, column, full=role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == LAPSES_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and (row.suspended or row.retired):
            return QApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.FontRole and (row.suspended or row.retired):
            font = QFont()
            font.setItalic(True)
            return font
        return None

    @staticmethod
    def _text(row: BrowseRow, column: int, *, full: bool = False) -> str:
        if column == 0:
            return row.deck_title
        if column == 1:
            return row.type
        if column == HEADLINE_COLUMN:
            # A table cell is one line: newlines a learner typed would hide the rest.
            text = row.headline if full else " ".join(row.headline.split())
            return f"⚑ {text}" if row.flag and not full else text
        if column == 3:
            return row.technique or ""
        if column == 4:
            return due_text(row)
        return str(row.lapses)
