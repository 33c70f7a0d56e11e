"""Pieces of the study page: a choice card's option row, the card's frame, the session
summary and mistakes in the learner's words."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from negodrill.core.content import Drill, Option
from negodrill.core.session import SessionSummary
from negodrill.ui import theme
from negodrill.ui.verdict_widget import wrapped_label

_wrapped = wrapped_label


def mistake_title(code: str) -> str:
    """A flaw code or `label:<label>` in the learner's words."""
    from negodrill.core.coach.words import flaw_title, label_title  # the coach is loaded lazily

    if code.startswith("label:"):
        label = code.partition(":")[2]
        return f"answered with: {label_title(label).lower()}"
    return flaw_title(code)


class CardFrame(QFrame):
    """The card's frame inside the scroll area. Its minimum height is left to height-for-width:
    word-wrapped labels otherwise report their height at a narrow width and force a needless
    scroll bar."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        return QSize(hint.width(), 0)


class OptionRow(QFrame):
    """One option of a choice card: its number, its text, and after picking, why."""

    clicked = Signal()

    def __init__(self, number: int, option: Option, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.option = option
        self.number = number
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Option {number}: {option.text}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.key = QLabel(f"{number}")
        self.key.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.key.setMinimumWidth(self.key.fontMetrics().horizontalAdvance("✓00"))
        self.key.setStyleSheet("font-weight: bold;")
        self.text = _wrapped(f"Option {number}")
        self.text.setText(option.text)
        self.why = _wrapped(f"Why option {number} is right or wrong", rich=True)
        self.why.hide()
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.text)
        column.addWidget(self.why)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.addWidget(self.key)
        row.addLayout(column, 1)

    selected = False  # picked so far on a pick-all-that-apply card

    def set_selected(self, selected: bool) -> None:
        """A pick-all-that-apply card's options are toggled before checking."""
        self.selected = selected
        self.setAccessibleDescription("picked" if selected else "")
        color = theme.colors().highlight
        self.setStyleSheet(f"OptionRow {{ border: 2px solid {color}; border-radius: 6px; }}"
                           if selected else "")
        self.key.setText(f"✓{self.number}" if selected else f"{self.number}")

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)

    def show_result(self, *, picked: bool) -> None:
        """After the pick every option says whether it is right and why; the picked and the
        right ones are framed, the others stay readable but muted."""
        colors = theme.colors()
        right = self.option.correct
        color = colors.good if right else colors.bad
        mark = "✓ Right" if right else "✗ Wrong"
        if picked or right:
            self.setStyleSheet(f"OptionRow {{ border: 2px solid {color}; border-radius: 6px; }}")
        else:
            self.text.setStyleSheet(f"color: {colors.muted};")
        why = html.escape(self.option.why) if self.option.why else ""
        self.why.setText(f'<span style="color:{color}; font-weight:bold;">{mark}</span> {why}')
        self.why.show()


def drill_details_html(drill: Drill, notes: str) -> str:
    """After Check: what the prompt would have got, the references with the counterpart's
    likely reply under each, the pitfalls with theirs, and the card's note."""
    esc = html.escape
    colors = theme.colors()

    def reply(text: str) -> str:
        return (f"<br><span style='color:{colors.muted};'>They: “{esc(text)}”</span>"
                if text else "")

    parts = []
    if drill.prompt_reply:
        parts.append(f"<p style='margin-top:0;'><b>What “{esc(drill.prompt)}” would likely get"
                     f"</b><br><span style='color:{colors.muted};'>They: "
                     f"“{esc(drill.prompt_reply)}”</span></p>")
    parts.append("<b>Reference rewrites</b><ul style='margin-top:2px;'>")
    parts += [f"<li>{esc(r.text)}{reply(r.reply)}</li>" for r in drill.references]
    parts.append("</ul>")
    if drill.pitfalls:
        parts.append("<b>Pitfalls</b><ul style='margin-top:2px;'>")
        parts += [f"<li><i>{esc(p.text)}</i><br>{esc(p.why)}{reply(p.reply)}</li>"
                  for p in drill.pitfalls]
        parts.append("</ul>")
    if notes:
        parts.append(f"<b>Notes</b><p style='margin-top:2px;'>{esc(notes)}</p>")
    return "".join(parts)


def summary_html(summary: SessionSummary) -> str:
    share = summary.share_correct
    lines = [f"<p>Reviewed: <b>{summary.reviewed}</b> card{'s' if summary.reviewed != 1 else ''}"]
    if share is not None:
        lines.append(
            f"<br>Correct: <b>{round(share * 100)} %</b> ({summary.correct} of {summary.judged} "
            "judged answers)"
        )
    lines.append("</p>")
    if summary.mistakes:
        lines.append("<p><b>Mistakes you made most</b></p><ul>")
        from negodrill.core.coach import flaw_descriptions

        descriptions = flaw_descriptions()
        for code, count in summary.mistakes.most_common(5):
            why = descriptions.get(code, "")
            title = html.escape(mistake_title(code))
            extra = f"<br>{html.escape(why)}" if why else ""
            lines.append(f"<li><b>{title}</b> ({count}×){extra}</li>")
        lines.append("</ul>")
    elif summary.judged:
        lines.append("<p>No mistakes the coach could name. Well done.</p>")
    return "".join(lines)
