"""Study more (Anki's custom study): more new cards today, or a practice session of cards due
soon, of one tag, or of the cards whose answers had one of the coach's mistakes.

A practice session leaves the schedule alone unless the learner asks otherwise: its answers are
stored as unscheduled reviews, which count for the streak and the habit but not for the
cards' schedules, the daily limits or the optimizer.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from negodrill.core.coach.words import flaw_title
from negodrill.core.session import StudyMore
from negodrill.storage.deck_rows import deck_tags
from negodrill.storage.store import Store


class StudyMoreDialog(QDialog):
    def __init__(self, store: Store, deck_id: int, parent: QWidget | None = None) -> None:
        from negodrill.core.coach import flaw_descriptions

        super().__init__(parent)
        title = store.deck(deck_id)["title"]
        self.setWindowTitle(f"Study more of “{title}” — negodrill")
        self.setAccessibleName("Study more")
        self.new_choice = QRadioButton("More &new cards today:")
        self.ahead_choice = QRadioButton("Review &ahead: cards due within")
        self.tag_choice = QRadioButton("Practise one &tag:")
        self.flaw_choice = QRadioButton("Practise the cards whose answers had this &mistake:")
        self.choices = QButtonGroup(self)
        for button in (self.new_choice, self.ahead_choice, self.tag_choice, self.flaw_choice):
            self.choices.addButton(button)
        self.new_spin = QSpinBox()
        self.new_spin.setRange(1, 999)
        self.new_spin.setValue(10)
        self.new_spin.setAccessibleName("How many more new cards")
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 365)
        self.days_spin.setValue(7)
        self.days_spin.setSuffix(" days")
        self.days_spin.setAccessibleName("Days ahead")
        self.tag_box = QComboBox()
        self.tag_box.setAccessibleName("Tag")
        self.tag_box.addItems(deck_tags(store, deck_id))
        self.flaw_box = QComboBox()
        self.flaw_box.setAccessibleName("Mistake")
        for code in flaw_descriptions():
            self.flaw_box.addItem(flaw_title(code), code)
        self.reschedule = QCheckBox("Let these answers &reschedule the cards")
        self.reschedule.setToolTip("Off: a practice session leaves every due date as it was.")
        self.new_choice.setChecked(True)
        self.tag_choice.setEnabled(self.tag_box.count() > 0)

        grid = QGridLayout()
        for row, (button, field) in enumerate(((self.new_choice, self.new_spin),
                                               (self.ahead_choice, self.days_spin),
                                               (self.tag_choice, self.tag_box),
                                               (self.flaw_choice, self.flaw_box))):
            grid.addWidget(button, row, 0)
            grid.addWidget(field, row, 1)
        note = QLabel("New cards are scheduled as usual. A practice session counts for your "
                      "streak and habit but leaves the cards' due dates alone, unless you tick "
                      "the box.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Study")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.reschedule)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def choice(self) -> StudyMore:
        """What the learner chose, as the session takes it."""
        again = self.reschedule.isChecked()
        if self.ahead_choice.isChecked():
            return StudyMore(ahead_days=self.days_spin.value(), reschedule=again)
        if self.tag_choice.isChecked():
            return StudyMore(tag=self.tag_box.currentText(), reschedule=again)
        if self.flaw_choice.isChecked():
            return StudyMore(flaw=str(self.flaw_box.currentData()), reschedule=again)
        return StudyMore(extra_new=self.new_spin.value())
