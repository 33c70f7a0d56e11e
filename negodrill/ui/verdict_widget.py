"""The coach's verdict as the learner sees it: a coloured label chip, the answer with its cue
words highlighted, and feedback sentences. Passive: it renders an Assessment, nothing more."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from negodrill.ui import theme


class SpanLike(Protocol):
    start: int
    end: int
    reason: str


def highlighted_html(text: str, spans: Sequence[Any], color: str) -> str:
    """`text` as escaped rich text with the characters of `spans` on a `color` background."""
    marked = [False] * len(text)
    for span in spans:
        start, end = max(0, int(span.start)), min(len(text), int(span.end))
        for i in range(start, end):
            marked[i] = True
    parts: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and marked[j] == marked[i]:
            j += 1
        chunk = html.escape(text[i:j])
        if marked[i]:
            parts.append(f'<span style="background-color:{color};">{chunk}</span>')
        else:
            parts.append(chunk)
        i = j
    return "".join(parts)


def wrapped_label(name: str, *, rich: bool = False) -> QLabel:
    """A selectable, word-wrapped label for a learner's text (plain unless `rich`)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def _rich_label(name: str) -> QLabel:
    return wrapped_label(name, rich=True)


class LabelChip(QLabel):
    """The technique the coach recognised, as a rounded coloured chip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Technique")
        self.label = ""
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.hide()

    def set_label(self, label: str) -> None:
        from negodrill.core.coach.words import label_title  # the coach is loaded lazily

        self.label = label
        colors = theme.colors()
        background = colors.chips.get(label, colors.chips["other"])
        self.setText(label_title(label))
        self.setStyleSheet(
            f"QLabel {{ background-color: {background}; color: {colors.chip_fg}; "
            "border-radius: 9px; padding: 2px 10px; font-weight: bold; }"
        )
        self.setAccessibleDescription(self.text())
        self.show()


class VerdictWidget(QWidget):
    """Live while typing (chip, highlighted cue words, first feedback sentence), full after
    Return (every feedback sentence and whether the coach accepts the rewrite)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Coach verdict")
        self.chip = LabelChip()
        self.outcome = QLabel()
        self.outcome.setAccessibleName("Accepted or not")
        self.answer = _rich_label("Your rewrite with cue words highlighted")
        self.feedback = _rich_label("Coach feedback")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.chip)
        row.addWidget(self.outcome)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.answer)
        layout.addWidget(self.feedback)
        self.clear()

    def clear(self) -> None:
        self.chip.hide()
        self.chip.label = ""
        self.outcome.clear()
        self.answer.clear()
        self.answer.hide()
        self.feedback.clear()
        self.feedback.hide()

    def show_assessment(self, text: str, assessment: Any, *, full: bool = False) -> None:
        """Render `assessment` of `text`; `full` adds every sentence and the accept mark."""
        if not text.strip():
            self.clear()
            return
        colors = theme.colors()
        self.chip.set_label(str(assessment.label))
        self.answer.setText(highlighted_html(text, assessment.spans, colors.highlight))
        self.answer.setVisible(bool(assessment.spans) or full)
        sentences = [str(s) for s in assessment.feedback]
        shown = sentences if full else sentences[:1]
        self.feedback.setText("<br>".join(html.escape(s) for s in shown))
        self.feedback.setVisible(bool(shown))
        if full:
            ok = bool(assessment.accepted)
            color = colors.good if ok else colors.bad
            word = "✓ Accepted" if ok else "✗ Not yet"
            self.outcome.setText(f'<span style="color:{color}; font-weight:bold;">{word}</span>')
        else:
            self.outcome.clear()
