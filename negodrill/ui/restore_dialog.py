"""File > Restore from backup…: the backups with their date, cards and reviews, or a file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from negodrill.core.errors import NegodrillError


class RestoreDialog(QDialog):
    """The backups with their date, cards and reviews; Restore, or pick a file elsewhere."""

    chosen = Signal(object)  # the BackupInfo to restore

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        from negodrill.storage.backups import list_backups

        super().__init__(parent)
        self.setWindowTitle("Restore from backup — negodrill")
        self.setAccessibleName("Restore from backup")
        self.backups = list_backups(data_dir)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Backups in {data_dir / 'backups'}, newest first. negodrill writes one every "
            "half hour of study and when it closes, whenever something changed."
            if self.backups else
            f"There are no backups in {data_dir / 'backups'} yet: negodrill writes one when it "
            "closes after you have studied. You can also restore a backup file from elsewhere.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(self.backups), 4)
        self.table.setHorizontalHeaderLabels(["Date", "Cards", "Reviews", "Kind"])
        self.table.setAccessibleName("Backups")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, info in enumerate(self.backups):
            when = info.created.astimezone().strftime("%a %d %b %Y, %H:%M")
            cells = [when, f"{info.cards:,}", f"{info.reviews:,}", info.reason]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        if self.backups:
            self.table.selectRow(0)
        self.table.doubleClicked.connect(lambda _index: self.accept_selected())
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setEnabled(bool(self.backups))
        self.restore_button.clicked.connect(self.accept_selected)
        self.file_button = QPushButton("From a &file…")
        self.file_button.clicked.connect(self.choose_file)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 380)

    def accept_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        info = self.backups[rows[0].row()]
        self.accept()
        self.chosen.emit(info)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Restore a backup file", str(Path.home()),
            "negodrill backups (*.negodrill-backup);;All files (*)")
        if name:
            self.choose_path(Path(name))

    def choose_path(self, path: Path) -> None:
        from negodrill.storage.restore import check_backup

        try:
            info = check_backup(path)
        except NegodrillError as exc:
            QMessageBox.warning(self, "Not restored — negodrill", str(exc))
            return
        self.accept()
        self.chosen.emit(info)
