"""Study: one card at a time, driven by a ReviewSession. The page shows and forwards; the
session decides what comes next, what is right, and what each grade schedules."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from negodrill.core.coach.words import moves_in_words
from negodrill.core.content import Basic, Choice, Conversation, Drill
from negodrill.core.errors import NegodrillError
from negodrill.core.models import Card, Grade
from negodrill.core.session import ReviewSession, SessionSummary, Verdict
from negodrill.ui.conversation_view import ConversationView
from negodrill.ui.study_parts import CardFrame, OptionRow, drill_details_html, summary_html
from negodrill.ui.verdict_widget import VerdictWidget, wrapped_label

_wrapped = wrapped_label

LIVE_DELAY_MS = 150


def warm_up_coach() -> None:
    from negodrill.core.coach import sense

    sense.warm_up()


class ReviewPage(QWidget):
    """Shows the session's current card, forwards answers and grades to the session."""

    back_requested = Signal()
    failed = Signal(str)  # a readable message: the grade or undo could not be saved
    disagree_requested = Signal(object)  # a disagree_dialog.Request
    reopen_requested = Signal()  # an undo from elsewhere brought a card back
    edit_requested = Signal(int)  # E on an answered card: the window opens the editor
    card_changed = Signal()  # a card was suspended: the deck list's counts change
    browse_requested = Signal(int)  # B on an answered card: the window shows it in Browse
    notice = Signal(str)  # a short message for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Study page")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.session: ReviewSession | None = None
        self._active = False
        self.last_graded_at = 0.0  # time.monotonic() of the last grade: the window's undo order
        self.verdict: Verdict | None = None
        self._option_rows: list[OptionRow] = []
        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_DELAY_MS)
        self._live_timer.timeout.connect(self.update_live_verdict)
        self._build()
        self._build_actions()
        self.set_active(False)

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.deck_label = QLabel()
        self.deck_label.setAccessibleName("Deck")
        self.deck_label.setProperty("role", "heading")
        self.position_label = QLabel()
        self.position_label.setAccessibleName("Position in the session")
        header = QHBoxLayout()
        header.addWidget(self.deck_label, 1)
        header.addWidget(self.position_label)

        self.kind_label = QLabel()
        self.kind_label.setAccessibleName("Card type")
        self.kind_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.situation_label = _wrapped("Situation")
        self.prompt_label = _wrapped("Question")
        font = self.prompt_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.prompt_label.setFont(font)
        self.drill_hint_label = _wrapped("Hint")
        self.drill_hint_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.rewrite_edit = QLineEdit()
        self.rewrite_edit.setAccessibleName("Your rewrite")
        self.rewrite_edit.setPlaceholderText(
            "Rewrite it so that “no” is the answer you want, then press Return"
        )
        self.rewrite_edit.setClearButtonEnabled(False)
        self.rewrite_edit.textEdited.connect(lambda _text: self._live_timer.start())
        self.rewrite_edit.returnPressed.connect(self.check_or_accept)
        self.rewrite_edit.installEventFilter(self)
        self.verdict_view = VerdictWidget()
        self.disagree_button = QPushButton("The coach is wrong… (Ctrl+D)")
        self.disagree_button.setAccessibleName("The coach is wrong")
        self.disagree_button.setFlat(True)
        self.disagree_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.disagree_button.clicked.connect(self.disagree)
        self.back_label = _wrapped("Answer")
        self.options_box = QWidget()
        self.options_box.setAccessibleName("Options")
        self.options_layout = QVBoxLayout(self.options_box)
        self.options_layout.setContentsMargins(0, 0, 0, 0)
        self.details_label = _wrapped("Reference rewrites, pitfalls and notes", rich=True)
        self.conversation_view = ConversationView()
        self.conversation_view.finished.connect(self._conversation_done)

        card = CardFrame()
        card.setProperty("role", "card")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(18, 14, 18, 14)
        inner.setSpacing(10)
        for widget in (self.kind_label, self.situation_label, self.prompt_label,
                       self.drill_hint_label, self.rewrite_edit, self.verdict_view,
                       self.back_label, self.options_box, self.details_label,
                       self.conversation_view):
            inner.addWidget(widget)
            if widget is self.verdict_view:
                inner.addWidget(self.disagree_button, 0, Qt.AlignmentFlag.AlignRight)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(card)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.card_frame = card
        self.card_scroll = scroll
        # A conversation grows downwards: keep its newest line and the move box in view.
        scroll.verticalScrollBar().rangeChanged.connect(self._follow_conversation)

        self.grade_buttons: dict[Grade, QPushButton] = {}
        grades = QHBoxLayout()
        for grade in Grade:
            button = QPushButton(grade.title)
            button.setAutoDefault(True)
            button.setMinimumHeight(button.fontMetrics().height() * 3)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, g=grade: self.grade(g))
            self.grade_buttons[grade] = button
            grades.addWidget(button)
        self.hint_label = QLabel()
        self.hint_label.setAccessibleName("Keys")
        self.hint_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint_label.setWordWrap(True)

        card_view = QWidget()
        card_layout = QVBoxLayout(card_view)
        card_layout.setContentsMargins(0, 0, 0, 0)
        card_layout.addWidget(scroll, 1)
        card_layout.addLayout(grades)
        card_layout.addWidget(self.hint_label)

        self.summary_title = QLabel("Session finished")
        self.summary_title.setProperty("role", "heading")
        self.summary_title.setAccessibleName("Session finished")
        self.summary_label = _wrapped("Session summary", rich=True)
        self.summary_button = QPushButton("Back to &decks")
        self.summary_button.setAccessibleName("Back to decks")
        self.summary_button.setAutoDefault(True)
        self.summary_button.clicked.connect(self.back_requested.emit)
        summary_view = QWidget()
        summary_layout = QVBoxLayout(summary_view)
        summary_layout.setContentsMargins(0, 8, 0, 0)
        summary_layout.addWidget(self.summary_title)
        summary_layout.addWidget(self.summary_label)
        summary_layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.summary_button)
        summary_layout.addLayout(row)

        self.views = QStackedWidget()
        self.views.addWidget(card_view)
        self.views.addWidget(summary_view)
        self.card_view, self.summary_view = card_view, summary_view
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.views, 1)

    def _build_actions(self) -> None:
        """The Review menu: shortcuts live on the window, enabled only while studying."""
        def action(text: str, keys: list[Any], slot: Any) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.triggered.connect(slot)
            return act

        self.check_action = action(
            "&Check / reveal answer", ["Return", "Enter", "Space"], self.check_or_accept
        )
        self.grade_actions = {
            g: action(f"{g.title} / pick option {int(g)}", [str(int(g))],
                      lambda _=False, n=int(g): self.number_key(n))
            for g in Grade
        }
        self.undo_action = action("&Undo last grade", [QKeySequence.StandardKey.Undo],
                                  self.undo)
        self.disagree_action = action("The coach is &wrong…", ["Ctrl+D"], self.disagree)
        self.drill_hint_action = action("Show a &hint", ["Ctrl+H"], self.show_drill_hint)
        # Acting on the card once it is answered (Anki's keys): never while typing the answer.
        self.edit_action = action("&Edit card…", ["E"], lambda: self.card_action("edit"))
        self.suspend_action = action("&Suspend card", ["@"], lambda: self.card_action("suspend"))
        self.bury_action = action("&Bury card until tomorrow", ["-"],
                                  lambda: self.card_action("bury"))
        self.browse_action = action("Open card in &Browse", ["B"],
                                    lambda: self.card_action("browse"))
        # Ctrl+1 never types into the answer box, so it works before the answer is checked too.
        self.flag_action = action("&Flag / unflag card", ["Ctrl+1"], self.toggle_flag)
        self.back_action = action("&Back to decks", ["Escape"], self.back_requested.emit)
        self.actions_list = [self.check_action, *self.grade_actions.values(), self.undo_action,
                             self.disagree_action, self.drill_hint_action, self.edit_action,
                             self.suspend_action, self.bury_action, self.browse_action,
                             self.flag_action, self.back_action]
        for n in range(5, 10):
            shortcut = QShortcut(QKeySequence(str(n)), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda n=n: self.number_key(n))

    def set_active(self, active: bool, *, undo_from_decks: bool = False) -> None:
        """Enable the study shortcuts only while this page is shown; undo also from the Decks
        page (it brings the card back here)."""
        self._active = active
        self._undo_from_decks = undo_from_decks
        for act in self.actions_list:
            act.setEnabled(active)
        self.undo_action.setEnabled((active or undo_from_decks) and self.session is not None
                                    and self.session.can_undo)

    # -- session ---------------------------------------------------------------------------
    def start(self, session: ReviewSession, deck_title: str) -> None:
        self.session = session
        self.deck_label.setText(deck_title)
        self.show_current()
        # The coach's lexicons load while the learner reads the first card, not on the first
        # keystroke (and never at start-up).
        QTimer.singleShot(0, warm_up_coach)

    def show_current(self) -> None:
        session = self.session
        assert session is not None
        self.verdict = None
        self._live_timer.stop()
        self.undo_action.setEnabled(self._active and session.can_undo)
        card = session.current()
        if card is None:
            self.show_summary(session.summary)
            return
        self.views.setCurrentWidget(self.card_view)
        new, learning, review = session.remaining
        self.position_label.setText(f"New {new} · Learning {learning} · Review {review}")
        self.position_label.setAccessibleDescription(
            f"Left in this session, this card included: {new} new, {learning} learning, "
            f"{review} review")
        for widget in (self.situation_label, self.drill_hint_label, self.rewrite_edit,
                       self.back_label,
                       self.options_box, self.details_label, self.verdict_view,
                       self.disagree_button, self.conversation_view):
            widget.hide()
        self.verdict_view.clear()
        self.prompt_label.show()
        self._clear_options()
        self._set_grades_enabled(False)
        content = card.content
        if isinstance(content, Drill):
            moves = moves_in_words(content.coach_accepts)
            self.kind_label.setText(f"Drill · rewrite it as {moves}")
            self.situation_label.setText(content.situation)
            self.situation_label.setVisible(bool(content.situation))
            self.prompt_label.setText(f"“{content.prompt}”")
            self.rewrite_edit.setPlaceholderText(f"Your rewrite as {moves}, then Return")
            self.rewrite_edit.setText("")  # setText also clears the box's own undo history
            self.rewrite_edit.setReadOnly(False)
            self.rewrite_edit.show()
            self.verdict_view.show()
            self.disagree_button.show()
            self.rewrite_edit.setFocus()
            self.hint_label.setText(
                "Type your rewrite · Return checks · "
                + ("Ctrl+H: a hint · " if content.level == 2 else "")
                + "Esc: decks · Ctrl+Z: undo the last grade")
        elif isinstance(content, Conversation):
            self.kind_label.setText("Conversation · one move per turn")
            self.prompt_label.hide()
            self.conversation_view.show()
            self.conversation_view.start(content)
            self.hint_label.setText("Type your move · Return sends · Tab: model answer (counts "
                                    "as missed) · Esc: decks (not graded) · Ctrl+Z: undo")
        elif isinstance(content, Basic):
            self.kind_label.setText("Question")
            self.prompt_label.setText(content.front)
            self.hint_label.setText("Space or Return shows the answer · Esc: decks · "
                                    "Ctrl+Z: undo")
            self.setFocus()
        else:
            assert isinstance(content, Choice)
            self.kind_label.setText("Pick all that apply" if content.multiple else "Choose one")
            self.prompt_label.setText(content.question)
            for number, option in enumerate(session.option_order(card), start=1):
                row = OptionRow(number, option)
                row.clicked.connect(lambda n=number: self.number_key(n))
                self.options_layout.addWidget(row)
                self._option_rows.append(row)
            self.options_box.show()
            self.hint_label.setText(
                "Number keys pick and unpick options · Return checks · Esc: decks · Ctrl+Z: undo"
                if content.multiple else "Press an option's number · Esc: decks · Ctrl+Z: undo")
            self.setFocus()

    def _clear_options(self) -> None:
        for row in self._option_rows:
            # Out of the layout now: deleteLater waits for the event loop, which a caller
            # that shows several cards in a row (undo, suspend, a script) may not reach.
            row.hide()
            self.options_layout.removeWidget(row)
            row.deleteLater()
        self._option_rows = []

    def _set_grades_enabled(self, enabled: bool, suggested: Grade | None = None) -> None:
        intervals = self.session.intervals() if enabled and self.session else {}
        for grade, button in self.grade_buttons.items():
            interval = intervals.get(grade, "")
            button.setText(f"{int(grade)}  {grade.title}" + (f"\n{interval}" if interval else ""))
            button.setAccessibleName(
                f"{grade.title} (key {int(grade)})" + (f", next in {interval}" if interval else "")
            )
            button.setEnabled(enabled)
            button.setProperty("suggested", enabled and grade == suggested)
            button.style().unpolish(button)
            button.style().polish(button)

    @property
    def current_card(self) -> Card | None:
        return self.session.current() if self.session else None

    # -- learner intent --------------------------------------------------------------------
    def update_live_verdict(self) -> None:
        card = self.current_card
        if card is None or not isinstance(card.content, Drill) or self.verdict is not None:
            return
        text = self.rewrite_edit.text()
        if not text.strip():
            self.verdict_view.clear()
            return
        from negodrill.core.drill_check import judge_drill

        self.verdict_view.show_assessment(text, judge_drill(text, card.content))

    def check_or_accept(self) -> None:
        """Return/Space: check the answer; once checked, accept the suggested grade."""
        session = self.session
        if session is None:
            return
        if self.views.currentWidget() is self.summary_view:
            self.back_requested.emit()
            return
        card = session.current()
        if card is None:
            return
        if self.verdict is not None:
            self.grade(self.verdict.suggested)
            return
        if isinstance(card.content, Choice):
            if card.content.multiple:  # the picks so far are the answer
                picked = [str(n) for n, row in enumerate(self._option_rows, 1) if row.selected]
                self._show_verdict(card, session.check(",".join(picked)))
            return  # a one-answer choice card is answered by picking an option
        if isinstance(card.content, Conversation):
            self.conversation_view.send()  # one move; the last one brings up the grades
            return
        self._live_timer.stop()
        text = self.rewrite_edit.text() if isinstance(card.content, Drill) else ""
        self._show_verdict(card, session.check(text))

    def card_action(self, what: str) -> None:
        """Once the answer is checked: E edits, @ suspends, - buries until tomorrow, B opens
        the card in Browse (Anki's keys; before Check they would be typing)."""
        session = self.session
        card = self.current_card
        if session is None or card is None or self.verdict is None:
            return
        if what in ("suspend", "bury"):
            try:
                session.suspend_current() if what == "suspend" else session.bury_current()
            except NegodrillError as exc:
                self.failed.emit(str(exc))
                return
            self.notice.emit("Card suspended." if what == "suspend"
                             else "Card buried until tomorrow.")
            self.card_changed.emit()
            self.show_current()
        elif what == "browse":
            self.browse_requested.emit(card.id)
        else:
            self.edit_requested.emit(card.id)

    def toggle_flag(self) -> None:
        """Ctrl+1: flag the current card for later (Browse's "flagged" filter finds it)."""
        card = self.current_card
        if self.session is None or card is None:
            return
        try:
            flag = self.session.toggle_flag(card.id)
        except NegodrillError as exc:
            self.failed.emit(str(exc))
            return
        self.notice.emit("Card flagged: Browse's “flagged” filter finds it." if flag
                         else "Flag removed.")

    def card_edited(self) -> None:
        """The window saved an edit of the current card: show it again, as it is now."""
        if self.session is not None and self.session.current() is not None:
            self.session.reload_current()
            self.show_current()

    def disagree(self) -> None:
        """Ctrl+D: tell the window the learner thinks the coach misjudged this rewrite."""
        card = self.current_card
        if card is None or not isinstance(card.content, Drill):
            return
        text = self.rewrite_edit.text()
        if not text.strip():
            return
        from negodrill.core.drill_check import judge_drill
        from negodrill.ui.disagree_dialog import Request

        content = card.content
        situation = content.situation or None
        found = (self.verdict.assessment if self.verdict is not None else None) or judge_drill(
            text, content)
        self.disagree_requested.emit(Request(text, content.prompt, situation, found, card.id))

    def show_drill_hint(self) -> None:
        """Ctrl+H on a level-2 drill, before checking: the first words or what to name."""
        card = self.current_card
        if (card is None or not isinstance(card.content, Drill) or self.verdict is not None
                or card.content.level != 2):
            return
        self.drill_hint_label.setText("Hint: " + card.content.hint_text())
        self.drill_hint_label.show()

    def _scroll_to_bottom(self) -> None:
        bar = self.card_scroll.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _follow_conversation(self, _low: int, high: int) -> None:
        if self.conversation_view.isVisible():
            self.card_scroll.verticalScrollBar().setValue(high)

    def _conversation_done(self) -> None:
        session = self.session
        play = self.conversation_view.play
        if session is None or play is None or session.current() is None:
            return
        self.verdict = session.check_conversation(play)
        self._set_grades_enabled(True, self.verdict.suggested)
        QTimer.singleShot(0, self._scroll_to_bottom)
        self.hint_label.setText("Keys 1-4 grade (Return takes the highlighted one) · "
                                "Ctrl+Z: undo the last grade")
        self.setFocus()

    def number_key(self, number: int) -> None:
        card = self.current_card
        if card is None or self.session is None:
            return
        if isinstance(card.content, Choice) and self.verdict is None:
            if not 1 <= number <= len(self._option_rows):
                return
            if card.content.multiple:
                row = self._option_rows[number - 1]
                row.set_selected(not row.selected)
            else:
                self._show_verdict(card, self.session.check(str(number)))
            return
        if self.verdict is not None and 1 <= number <= 4:
            self.grade(Grade(number))

    def _show_verdict(self, card: Card, verdict: Verdict) -> None:
        self.verdict = verdict
        content = card.content
        if isinstance(content, Drill):
            self.rewrite_edit.setReadOnly(True)
            if verdict.assessment is not None:
                self.verdict_view.show_assessment(
                    self.rewrite_edit.text() or " ", verdict.assessment, full=True
                )
            self.drill_hint_label.hide()
            self.details_label.setText(drill_details_html(content, card.notes))
            self.details_label.show()
            self.hint_label.setText("Keys 1-4 grade (Return takes the highlighted one) · "
                                    "Ctrl+Z: undo the last grade")
        elif isinstance(content, Basic):
            self.back_label.setText(content.back)
            self.back_label.show()
            self.hint_label.setText("Keys 1-4 grade · Return takes the highlighted grade")
        else:
            for row in self._option_rows:
                row.show_result(picked=row.option.id in verdict.picked_ids)
            if isinstance(content, Choice) and content.multiple:
                self.kind_label.setText(
                    "Pick all that apply · right: every right option and no other"
                    if verdict.correct else
                    "Pick all that apply · not quite: the right options are framed in green")
            self.hint_label.setText("Keys 1-4 grade · Return takes the highlighted grade")
        self._set_grades_enabled(True, verdict.suggested)
        self.grade_buttons[verdict.suggested].setFocus()


    def grade(self, grade: Grade) -> None:
        session = self.session
        if session is None or self.verdict is None or session.current() is None:
            return
        card = session.current()
        answer = ""
        if card is not None and isinstance(card.content, Drill):
            answer = self.rewrite_edit.text()
        try:
            session.grade(grade, answer=answer)  # committed now: nothing to save on quit
        except NegodrillError as exc:
            # The card and the answer stay on screen: the same grade can be given again.
            self.failed.emit(f"Your grade was not saved: {exc}")
            return
        self.last_graded_at = time.monotonic()
        self.show_current()

    def undo(self) -> None:
        session = self.session
        if session is None or not session.can_undo:
            return
        try:
            session.undo()
        except NegodrillError as exc:
            self.failed.emit(str(exc))
            return
        if not self._active:
            self.reopen_requested.emit()  # from the Decks page: back to the card
        self.show_current()
        card = session.current()
        if card is not None and isinstance(card.content, Drill) and session.undone_answer:
            self.rewrite_edit.setText(session.undone_answer)  # what was typed, to change
            self.update_live_verdict()

    def show_summary(self, summary: SessionSummary) -> None:
        self.views.setCurrentWidget(self.summary_view)
        self.position_label.setText("")
        self._set_grades_enabled(False)
        if summary.reviewed == 0:
            self.summary_title.setText("Nothing to study now")
            self.summary_label.setText(
                "This deck has no cards due and no new cards left for today. "
                "Come back tomorrow, or raise the daily limits in Settings."
            )
        else:
            self.summary_title.setText("Session finished")
            self.summary_label.setText(summary_html(summary))
        self.summary_button.setFocus()

    # -- keys inside the rewrite box -------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Ctrl+Z in an empty or untouched rewrite box undoes the last grade, not the typing."""
        if watched is self.rewrite_edit and event.type() in (
            QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress
        ):
            assert isinstance(event, QKeyEvent)
            box = self.rewrite_edit
            untouched = not box.text() or not box.isUndoAvailable() or box.isReadOnly()
            if event.matches(QKeySequence.StandardKey.Undo) and untouched:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.ignore()  # let the window's Undo action have it
                    return True
                self.undo()  # no window action took it (e.g. the page on its own)
                return True
        return super().eventFilter(watched, event)
