"""The import preview: what a file would do to the collection, before anything is written.

It shows the result of a dry run (the same walk the import makes, with no writes): the file,
its format, each deck with the cards it would add, update, keep and retire, the learner's own
edits that win over the file, and what was skipped. Import or Cancel.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

COLUMNS = ("Deck", "Add", "Update", "Unchanged", "Retire", "Reviews")


class ImportPreview(QDialog):
    """Shows an ImportReport made with dry_run=True; accepted means: import it."""

    def __init__(self, report: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(f"Import {report.name}")
        self.setAccessibleName("Import preview")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)

        decks = len(report.decks)
        self.heading = QLabel(
            f"<b>{_escape(report.name)}</b><br>{_escape(report.format)}, "
            f"{decks} deck{'s' if decks != 1 else ''}. Nothing has been changed yet."
        )
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)

        self.table = QTreeWidget()
        self.table.setAccessibleName("Decks in the file")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(list(COLUMNS))
        self.table.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Return imports, Escape cancels
        for deck in report.decks:
            title = deck.title + (" (new deck)" if deck.new_deck else "")
            row = QTreeWidgetItem([title, str(deck.added), str(deck.updated),
                                   str(deck.unchanged), str(deck.retired), str(deck.reviews)])
            for column in range(1, len(COLUMNS)):
                row.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.table.addTopLevelItem(row)
        header = self.table.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        rows = self.table.sizeHintForRow(0) if decks else 20
        self.table.setFixedHeight(self.table.header().sizeHint().height() + 6
                                  + rows * min(max(decks, 1), 8))
        layout.addWidget(self.table)

        details = self._details()
        self.details = QPlainTextEdit("\n".join(details))
        self.details.setAccessibleName("Conflicts and notes")
        self.details.setReadOnly(True)
        self.details.setVisible(bool(details))
        self.details.setMaximumHeight(160)
        layout.addWidget(self.details)

        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.setDefault(True)
        self.import_button.setEnabled(_changes_something(report))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())

    def _details(self) -> list[str]:
        report = self.report
        lines: list[str] = []
        if report.conflicts:
            lines.append(f"{report.conflicts} of your own edits will be kept over the file's "
                         "newer text:")
            lines += [f'  "{deck.title}": card {card_id}'
                      for deck in report.decks for card_id in deck.conflicts]
        if report.skipped:
            lines.append(f"{report.skipped} cards will be skipped: nothing is left to show once "
                         "pictures and sound are removed.")
        lines += report.notes
        if not _changes_something(report):
            lines.append("Everything in this file is already in your collection.")
        return lines


def _changes_something(report: Any) -> bool:
    counts = sum(report.total(what) for what in ("added", "updated", "retired", "reviews"))
    return counts > 0 or any(deck.new_deck for deck in report.decks)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
