"""The Practice page: a coach sandbox for any sentence, outside the schedule.

The learner types a sentence (and, optionally, the yes-seeking ask it rewrites) and sees
everything the coach found, live: the technique as a chip, the cue words highlighted in place,
each flaw with its meaning, every feedback sentence and the grade a drill answer would get.
Passive: every judgement comes from `negodrill.core.coach.analyse`. All text is plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from negodrill.ui import theme
from negodrill.ui.verdict_widget import LabelChip

if TYPE_CHECKING:
    from negodrill.core.coach import Assessment

ANALYSE_DELAY_MS = 150  # after the last key: live, without judging half-typed words each key
EMPTY_HINT = "Type a sentence above to see how the coach reads it."


def _plain_label(name: str, *, muted: bool = False) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # the learner's words, never markup
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if muted:
        label.setStyleSheet(f"color: {theme.colors().muted};")
    return label


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _utf16(text: str, index: int) -> int:
    """A Python index as a QTextDocument position, which counts UTF-16 units (emoji = 2)."""
    index = max(0, min(index, len(text)))
    return len(text[:index].encode("utf-16-le")) // 2


class PracticePage(QWidget):
    """Type any sentence; the coach's full analysis follows as you type."""

    analysed = Signal()  # after the verdict on screen was brought up to date
    disagree_requested = Signal(object)  # a disagree_dialog.Request

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assessment: Assessment | None = None
        self.ask_edit = QLineEdit()
        self.ask_edit.setAccessibleName("Original ask")
        self.ask_edit.setPlaceholderText("Optional: the yes-seeking question you are rewriting")
        self.sentence_edit = QPlainTextEdit()
        self.sentence_edit.setAccessibleName("Your sentence")
        self.sentence_edit.setPlaceholderText("e.g. Is now a bad time to talk about the budget?")
        self.sentence_edit.setTabChangesFocus(True)
        self.sentence_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)

        self._timer = QTimer(self, singleShot=True, interval=ANALYSE_DELAY_MS)
        self._timer.timeout.connect(self.update_analysis)
        self.ask_edit.textChanged.connect(self._timer.start)
        self.sentence_edit.textChanged.connect(self._timer.start)

        self.chip = LabelChip()
        self.grade_label = _plain_label("Suggested grade")
        self.cues_label = _plain_label("Cue words")
        self.flaws_label = _plain_label("Flaws")
        self.feedback_label = _plain_label("Coach feedback")
        self.hint_label = _plain_label("Hint", muted=True)
        self.disagree_button = QPushButton("The coach is wrong… (Ctrl+D)")
        self.disagree_button.setAccessibleName("The coach is wrong")
        self.disagree_button.clicked.connect(self.disagree)
        shortcut = QShortcut(QKeySequence("Ctrl+D"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.disagree)

        intro = _plain_label("About this page", muted=True)
        intro.setText(
            "Free practice: try any wording and see what the coach makes of it. "
            "Nothing here is graded or saved, unless you tell the coach it is wrong (Ctrl+D)."
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Original &ask", self.ask_edit)
        form.addRow("Your &sentence", self.sentence_edit)
        verdict_row = QHBoxLayout()
        verdict_row.addWidget(self.chip)
        verdict_row.addWidget(self.grade_label, 1)
        self.results = QWidget()
        self.results.setAccessibleName("Coach analysis")
        results = QVBoxLayout(self.results)
        results.setContentsMargins(0, 0, 0, 0)
        verdict_row.addWidget(self.disagree_button)
        results.addLayout(verdict_row)
        for title, label in (
            ("Cue words", self.cues_label),
            ("Flaws", self.flaws_label),
            ("Feedback", self.feedback_label),
        ):
            results.addSpacing(6)
            results.addWidget(_heading(title))
            results.addWidget(label)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.results)
        layout.addStretch(1)
        self.update_analysis()
        from negodrill.ui.review_page import warm_up_coach

        QTimer.singleShot(0, warm_up_coach)

    @Slot()
    def update_analysis(self) -> None:
        """Judge the sentence now (the timer calls this ~150 ms after the last key)."""
        self._timer.stop()
        text = self.sentence_edit.toPlainText()
        if not text.strip():
            self.assessment = None
            self.sentence_edit.setExtraSelections([])
            self.hint_label.setText(EMPTY_HINT)
            self.hint_label.show()
            self.results.hide()
            self.analysed.emit()
            return
        from negodrill.core.coach import analyse, flaw_descriptions  # keeps start-up light
        from negodrill.core.coach.words import flaw_title

        ask = self.ask_edit.text().strip() or None
        found = analyse(text, ask=ask)
        self.assessment = found
        self.hint_label.hide()
        self.results.show()
        self.chip.set_label(found.label)
        accepted = "accepted as a drill answer" if found.accepted else "not accepted as an answer"
        self.grade_label.setText(f"Suggested grade: {found.suggested_grade.title} · {accepted}")
        self._highlight(found)
        self.cues_label.setText(
            "\n".join(f"• “{text[s.start:s.end]}” — {s.reason}" for s in found.spans)
            or "No cue words."
        )
        meanings = flaw_descriptions()
        self.flaws_label.setText(
            "\n".join(f"• {flaw_title(c)}: {meanings.get(c, c)}" for c in found.flaws)
            or "No flaws."
        )
        self.feedback_label.setText("\n".join(f"• {s}" for s in found.feedback) or "—")
        self.analysed.emit()

    def typing_target(self) -> QWidget:
        return self.sentence_edit

    def disagree(self) -> None:
        """Ctrl+D: hand the sentence and the coach's verdict to the window."""
        if self._timer.isActive():
            self.update_analysis()  # the verdict of what is typed now, not 150 ms ago
        if self.assessment is None:
            return
        from negodrill.ui.disagree_dialog import Request

        ask = self.ask_edit.text().strip() or None
        self.disagree_requested.emit(
            Request(self.sentence_edit.toPlainText(), ask, None, self.assessment))

    def _highlight(self, found: Assessment) -> None:
        """Mark the cue words inside the sentence box itself (the text is not modified)."""
        style = QTextCharFormat()
        style.setBackground(QColor(theme.colors().highlight))
        style.setForeground(self.palette().text())
        selections = []
        text = self.sentence_edit.toPlainText()
        for span in found.spans:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.sentence_edit.document())
            cursor.setPosition(_utf16(text, span.start))
            cursor.setPosition(_utf16(text, span.end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = style
            selections.append(selection)
        self.sentence_edit.setExtraSelections(selections)

    def highlighted_ranges(self) -> list[tuple[int, int]]:
        """(start, end) of each highlighted cue in the sentence box, for tests and a11y."""
        return [
            (s.cursor.selectionStart(), s.cursor.selectionEnd())
            for s in self.sentence_edit.extraSelections()
        ]
