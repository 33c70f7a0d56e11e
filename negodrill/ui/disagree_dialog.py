""""The coach is wrong": the learner says what the sentence really is, and it is kept.

Shown from the Review page (a drill's rewrite) and the Practice page (any sentence). What the
learner saves goes to the collection (storage/disagreements.py); `negodrill coach
disagreements` exports it in the `coach eval` line format for a trainer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from negodrill.core.coach import Assessment
    from negodrill.core.coach.disagreement import Disagreement

SHORTCUT = "Ctrl+D"
BUTTON_TEXT = "The coach is &wrong…"


@dataclass(frozen=True)
class Request:
    """What a page hands the window when the learner disagrees."""

    text: str
    ask: str | None
    situation: str | None
    assessment: Assessment
    card_id: int | None = None


class DisagreeDialog(QDialog):
    def __init__(self, text: str, ask: str | None, assessment: Assessment,
                 parent: QWidget | None = None) -> None:
        from negodrill.core.coach import LABELS
        from negodrill.core.coach.words import flaw_title, label_title

        super().__init__(parent)
        self.setWindowTitle("The coach is wrong")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self.setAccessibleName("The coach is wrong")
        said = label_title(assessment.label)
        if assessment.flaws:
            said += " — " + ", ".join(flaw_title(code) for code in assessment.flaws)
        sentence = QLabel(f"“{text.strip()}”")
        sentence.setWordWrap(True)
        sentence.setAccessibleName("Your sentence")
        coach = QLabel(f"The coach said: {said}")
        coach.setWordWrap(True)
        coach.setAccessibleName("What the coach said")
        self.label_combo = QComboBox()
        self.label_combo.setAccessibleName("What it really is")
        for label in LABELS:
            self.label_combo.addItem(label_title(label), label)
        wanted = assessment.label
        if assessment.label in ("yes_seeking", "other", "label") and ask:
            wanted = "no_oriented" if text.rstrip().endswith("?") else "mislabel"
        self.label_combo.setCurrentIndex(max(0, self.label_combo.findData(wanted)))
        self.clean_box = QCheckBox("It has &no flaw")
        self.clean_box.setChecked(bool(assessment.flaws) or not assessment.accepted)
        self.comment_edit = QLineEdit()
        self.comment_edit.setAccessibleName("Comment")
        self.comment_edit.setPlaceholderText("Optional: why the coach is wrong")
        self.comment_edit.setMaxLength(2_000)
        form = QFormLayout()
        form.addRow("It &really is", self.label_combo)
        form.addRow("", self.clean_box)
        form.addRow("&Comment", self.comment_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        note = QLabel("Kept in your collection; `negodrill coach disagreements` exports them "
                      "for a trainer. Your grade is not changed.")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        for widget in (sentence, coach):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.label_combo.setFocus()

    def correction(self, text: str, ask: str | None, situation: str | None,
                   assessment: Assessment, card_id: int | None) -> Disagreement:
        from negodrill.core.coach.disagreement import Disagreement

        return Disagreement(
            text=text.strip(), ask=ask, situation=situation, coach_label=assessment.label,
            coach_flaws=assessment.flaws, learner_label=str(self.label_combo.currentData()),
            learner_clean=self.clean_box.isChecked(), comment=self.comment_edit.text().strip(),
            card_id=card_id)


def ask_correction(parent: QWidget, text: str, ask: str | None, situation: str | None,
                   assessment: Assessment, card_id: int | None = None) -> Disagreement | None:
    """The learner's correction, or None when they cancel."""
    dialog = DisagreeDialog(text, ask, assessment, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.correction(text, ask, situation, assessment, card_id)
