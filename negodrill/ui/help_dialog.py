"""Help > Keyboard shortcuts: built from the window's actions, so it can never go stale."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

EXTRA_KEYS = (
    ("Study the selected deck (deck list)", "Return, keypad Enter, S, double-click"),
    ("Pick option 5-9 of a choice card", "5 … 9"),
    ("Pick and unpick options of a pick-all-that-apply card, then check", "1 … 9, Return"),
    ("Undo the last grade from an empty rewrite box", "Ctrl+Z"),
    ("Move between controls", "Tab, Shift+Tab"),
)


def shortcut_rows(actions: Sequence[QAction]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for act in actions:
        keys = ", ".join(
            s.toString(QKeySequence.SequenceFormat.NativeText) for s in act.shortcuts()
        )
        if keys:
            rows.append((act.text().replace("&", "").rstrip("…"), keys))
    return rows + list(EXTRA_KEYS)


class ShortcutsDialog(QDialog):
    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts — negodrill")
        self.setAccessibleName("Keyboard shortcuts")
        rows = shortcut_rows(actions)
        table = QTableWidget(len(rows), 2)
        table.setAccessibleName("Keyboard shortcuts")
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for i, (what, keys) in enumerate(rows):
            table.setItem(i, 0, QTableWidgetItem(what))
            table.setItem(i, 1, QTableWidgetItem(keys))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(table.fontMetrics().horizontalAdvance("M") * 48,
                    table.fontMetrics().height() * 26)
