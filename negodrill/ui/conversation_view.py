"""A conversation card on the Review page: the counterpart's lines on the left, the learner's
moves on the right, one move per turn.

The learner types a move; the coach's live verdict follows 150 ms after the last key, as for a
drill; Return sends it, and the counterpart's reply for that kind of move appears with the
coach's short feedback. Tab shows the current turn's model answer (the turn then counts as
missed). After the last turn a summary lists every turn and the page's grade buttons take
over. All judging is `negodrill.core.conversation`; this widget only shows it.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from negodrill.ui import theme
from negodrill.ui.verdict_widget import VerdictWidget, wrapped_label

if TYPE_CHECKING:
    from negodrill.core.content import Conversation
    from negodrill.core.conversation import ConversationPlay, TurnResult

LIVE_DELAY_MS = 150
BUBBLE_STRETCH, GAP_STRETCH = 3, 1  # a bubble takes three quarters of the width


class Bubble(QFrame):
    """One line of the conversation: who says it, what, and an optional note under it."""

    def __init__(self, who: str, text: str, *, mine: bool, note: str = "",
                 kind: str = "") -> None:
        super().__init__()
        self.setProperty("role", "bubble")
        self.setProperty("mine", mine)
        self.kind = kind
        colors = theme.colors()
        dark = theme.is_dark()
        if kind == "model":
            background = "#fff4d6" if not dark else "#3d3420"
        elif mine:
            background = "#dcecff" if not dark else "#1f3552"
        else:
            background = "#eceef1" if not dark else "#3a3f48"
        self.setStyleSheet(f"QFrame[role=bubble] {{ background: {background}; "
                           "border-radius: 10px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        self.who = wrapped_label("Speaker")
        self.who.setText(who)
        self.who.setStyleSheet(f"color: {colors.muted}; font-size: 90%;")
        self.text = wrapped_label("Line")
        self.text.setText(text)
        layout.addWidget(self.who)
        layout.addWidget(self.text)
        self.note = wrapped_label("Coach", rich=True)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        layout.addWidget(self.note)
        self.setAccessibleName(f"{who}: {text}")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)


class ConversationView(QWidget):
    """Plays one conversation; emits `finished` once the last turn is answered."""

    finished = Signal()
    grew = Signal()  # a line was added: the page scrolls to the move box

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Conversation")
        self.play: ConversationPlay | None = None
        self.title = wrapped_label("Conversation title")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.situation = wrapped_label("Situation")
        self.counterpart = wrapped_label("Who you talk to")
        self.counterpart.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.transcript = QVBoxLayout()
        self.transcript.setSpacing(8)
        self.move_edit = QLineEdit()
        self.move_edit.setAccessibleName("Your move")
        self.move_edit.setPlaceholderText("Your move, then Return · Tab shows a model answer")
        self.move_edit.installEventFilter(self)
        self.move_edit.returnPressed.connect(self.send)
        self.move_edit.textEdited.connect(lambda _text: self._live.start())
        self.verdict_view = VerdictWidget()
        self._live = QTimer(self, singleShot=True, interval=LIVE_DELAY_MS)
        self._live.timeout.connect(self.update_live_verdict)
        self.summary = wrapped_label("Summary of the conversation", rich=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.situation, self.counterpart):
            layout.addWidget(widget)
        layout.addSpacing(6)
        layout.addLayout(self.transcript)
        layout.addWidget(self.move_edit)
        layout.addWidget(self.verdict_view)
        layout.addWidget(self.summary)

    # -- a conversation --------------------------------------------------------------------
    def start(self, conversation: Conversation) -> None:
        from negodrill.core.conversation import ConversationPlay

        self.play = ConversationPlay(conversation)
        self.title.setText(conversation.title)
        self.situation.setText(conversation.situation)
        self.counterpart.setText(f"You talk to {conversation.counterpart}")
        self.counterpart.setVisible(bool(conversation.counterpart))
        while self.transcript.count():
            item = self.transcript.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.summary.hide()
        self.verdict_view.clear()
        self.move_edit.setEnabled(True)
        self.move_edit.clear()
        self.move_edit.show()
        self._show_turn()
        self.move_edit.setFocus()

    @property
    def conversation(self) -> Conversation:
        assert self.play is not None
        return self.play.conversation

    def bubbles(self) -> list[Bubble]:
        out = []
        for k in range(self.transcript.count()):
            item = self.transcript.itemAt(k)
            widget = item.widget() if item is not None else None
            bubble = widget.findChild(Bubble) if widget is not None else None
            if isinstance(bubble, Bubble):
                out.append(bubble)
        return out

    def _add(self, bubble: Bubble) -> None:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        mine = bool(bubble.property("mine"))
        if mine:
            line.addStretch(GAP_STRETCH)
        line.addWidget(bubble, BUBBLE_STRETCH)
        if not mine:
            line.addStretch(GAP_STRETCH)
        self.transcript.addWidget(row)
        self.grew.emit()

    def _show_turn(self) -> None:
        assert self.play is not None
        turn = self.conversation.turns[self.play.index]
        number = f"Turn {self.play.index + 1} of {len(self.conversation.turns)}"
        if turn.opening:
            self._add(Bubble(f"You were about to ask · {number}", f"“{turn.opening}”",
                             mine=True, kind="opening"))
        else:
            self._add(Bubble(f"Them · {number}", turn.line, mine=False))

    def update_live_verdict(self) -> None:
        if self.play is None or self.play.finished:
            return
        text = self.move_edit.text()
        if not text.strip():
            self.verdict_view.clear()
            return
        from negodrill.core.conversation import judge_turn

        found = judge_turn(self.conversation, self.play.index, text)
        self.verdict_view.show_assessment(text, _Shown(found))

    def show_model(self) -> None:
        """Tab: the model answer for this turn (the turn now counts as missed)."""
        if self.play is None or self.play.finished or self.play.model_shown:
            return
        model, why = self.play.show_model()
        self._add(Bubble("Model answer (this turn now counts as missed)", model, mine=True,
                         note=html.escape(why), kind="model"))

    def send(self) -> None:
        """Return: send the move; the counterpart replies; the next turn or the summary."""
        if self.play is None or self.play.finished:
            return
        text = self.move_edit.text()
        if not text.strip():
            return
        self._live.stop()
        result = self.play.send(text)
        self._add(Bubble("You", text, mine=True, note=_note(result)))
        self._add(Bubble("Them", result.reply, mine=False))
        self.move_edit.clear()
        self.verdict_view.clear()
        if self.play.finished:
            self.move_edit.setEnabled(False)
            self.move_edit.hide()
            self.summary.setText(summary_html(self.play))
            self.summary.show()
            self.finished.emit()
        else:
            self._show_turn()
            self.move_edit.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Tab in the move box shows the model answer instead of moving the focus."""
        if watched is self.move_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Tab and not event.modifiers():
                self.show_model()
                return True
        return super().eventFilter(watched, event)


class _Shown:
    """A turn's verdict in the shape VerdictWidget shows (label, spans, feedback)."""

    def __init__(self, result: TurnResult) -> None:
        self.label = result.label
        self.accepted = result.fits and not result.flaws
        # A drill's feedback ("this drill wants a mislabel") is not for a fitting move here.
        self.feedback = (("A move this turn wants: Return sends it.",) if self.accepted
                         else result.feedback[:1])
        self.spans = result.spans


def _note(result: TurnResult) -> str:
    from negodrill.core.coach.words import flaw_title, label_title

    colors = theme.colors()
    ok = result.fits and not result.flaws and not result.shown_model
    color = colors.good if ok else colors.bad
    mark = "✓" if ok else "✗"
    words = label_title(result.label)
    if result.flaws:
        words += " — " + ", ".join(flaw_title(f) for f in result.flaws)
    elif not result.fits:
        words += " — not a move this turn wanted"
    # The coach's drill feedback only when the move needs work: a fitting move is enough said.
    first = html.escape(result.feedback[0]) if result.feedback and not ok else ""
    if ok:
        words += " — a move this turn wanted"
    return (f'<span style="color:{color}; font-weight:bold;">{mark} {html.escape(words)}</span>'
            + (f"<br><span style='color:{colors.muted};'>{first}</span>" if first else ""))


def summary_html(play: ConversationPlay) -> str:
    """Every turn: the move, the verdict, the model answer; and the suggested grade."""
    from negodrill.core.coach.words import label_title

    colors = theme.colors()
    rows = []
    for result in play.results:
        turn = play.conversation.turns[result.turn]
        ok = not result.missed and not result.flaws
        mark = (f'<span style="color:{colors.good};">✓</span>' if ok
                else f'<span style="color:{colors.bad};">✗</span>')
        verdict = label_title(result.label) + (" (model shown)" if result.shown_model else "")
        rows.append(
            f"<tr><td valign='top'>{result.turn + 1}</td><td valign='top'>{mark}</td>"
            f"<td valign='top'>{html.escape(result.text)}<br><span style='color:{colors.muted};'>"
            f"{html.escape(verdict)}</span></td><td valign='top'><i>"
            f"{html.escape(turn.model)}</i></td></tr>")
    grade = play.grade
    return ("<p><b>The conversation</b></p><table cellspacing='6'>"
            "<tr><th>#</th><th></th><th align='left'>You</th><th align='left'>Model answer</th>"
            "</tr>" + "".join(rows) + "</table>"
            f"<p>Suggested grade: <b>{grade.title}</b>. Keys 1-4 grade.</p>")
