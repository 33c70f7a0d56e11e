"""Progress: the figures of `collect_stats` (the same numbers `negodrill stats` prints)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from negodrill.storage.store import Store

ROWS = (
    ("reviews_today", "Reviews today"),
    ("streak_days", "Streak (days in a row)"),
    ("study_days", "Days studied"),
    ("reviews", "Reviews in total"),
    ("retention", "Retention on review cards"),
    ("due", "Due today"),
    ("new", "New cards available today"),
    ("cards", "Cards"),
    ("suspended", "Suspended cards"),
    ("decks", "Decks"),
)


def format_figure(key: str, value: Any) -> str:
    if key == "retention":
        return "no review cards yet" if value is None else f"{value * 100:.1f} %"
    return str(value)


class ProgressPage(QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setAccessibleName("Progress page")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        title = QLabel("Progress")
        title.setProperty("role", "heading")
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for key, text in ROWS:
            value = QLabel()
            value.setAccessibleName(text)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            font = value.font()
            font.setBold(True)
            value.setFont(font)
            self.values[key] = value
            form.addRow(f"{text}:", value)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        from negodrill.reports.figures import collect_stats

        stats = collect_stats(self.store)
        for key, label in self.values.items():
            label.setText(format_figure(key, stats.get(key)))
