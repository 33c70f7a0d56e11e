"""The card editor: a dialog with the fields of a drill, basic or choice card.

It edits the card object of the deck format: keys it has no field for (`id`, `rev`,
extensions, an image) are kept as they were. Saving goes through `deckio.editing.save_card`,
which checks the card against the deck schema and writes it in one transaction as a local edit;
the dialog only shows the problems it gets back.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from negodrill.core.errors import NegodrillError
from negodrill.core.models import CardType, Technique
from negodrill.core.studyday import utc_now
from negodrill.storage import browse
from negodrill.storage.store import Store

TYPE_TITLES = {CardType.DRILL: "Drill", CardType.BASIC: "Basic", CardType.CHOICE: "Choice"}
TECHNIQUE_TITLES = {
    Technique.NO_QUESTION: "No-oriented question",
    Technique.MISLABEL: "Deliberate mislabel",
}
MAX_OPTIONS = 8
COACH_DELAY_MS = 300  # the coach's verdicts follow the typing
# Limits of resources/negodeck.schema.json, checked here so the message names the field.
MAX_TAGS, MAX_TAG = 50, 64


def _text_box(name: str, lines: int, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field of the form
    height = box.fontMetrics().lineSpacing() * lines + 14
    box.setFixedHeight(height)
    return box


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_tags(text: str) -> list[str]:
    """Tags as typed (spaces or commas between them), each once, in the order typed."""
    return list(dict.fromkeys(text.replace(",", " ").split()))


def _align_labels(forms: list[QFormLayout]) -> None:
    """One label column width for several form layouts, so stacked forms line up."""
    labels: list[QWidget] = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            widget = item.widget() if item is not None else None
            if widget is not None:
                labels.append(widget)
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)


class _Form(QWidget):
    """One card type's fields. `collect` returns the owned keys' values and readable problems."""

    owned: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.notes = _text_box("Notes", 2, "Optional: why this works, shown after answering")
        self.tags = _line("Tags", "space separated, e.g. sales phone")

    def add_common(self) -> None:
        self.layout_.addRow("&Notes", self.notes)
        self.layout_.addRow("T&ags", self.tags)

    def fill(self, data: dict[str, Any]) -> None:
        self.notes.setPlainText(str(data.get("notes", "")))
        self.tags.setText(" ".join(str(t) for t in data.get("tags", ())))

    def collect(self) -> tuple[dict[str, Any], list[str]]:
        out: dict[str, Any] = {}
        problems: list[str] = []
        notes = self.notes.toPlainText().strip()
        if notes:
            out["notes"] = notes
        tags = parse_tags(self.tags.text())
        if len(tags) > MAX_TAGS:
            problems.append(f"Use at most {MAX_TAGS} tags.")
        problems += [f'The tag "{t[:20]}…" is too long.' for t in tags if len(t) > MAX_TAG]
        if tags:
            out["tags"] = tags
        return out, problems

    @staticmethod
    def required(box: QLineEdit | QPlainTextEdit, label: str, problems: list[str]) -> str:
        text = box.text() if isinstance(box, QLineEdit) else box.toPlainText()
        if not text.strip():
            problems.append(f"{label} is required.")
        return text.strip()


class DrillForm(_Form):
    owned = ("situation", "prompt", "technique", "rewrites", "pitfalls", "notes", "tags")

    def __init__(self) -> None:
        super().__init__()
        self.situation = _text_box("Situation", 3, "Who you are talking to, and what you want")
        self.prompt = _line("Prompt", "The yes-seeking question, e.g. Do you have a minute?")
        self.technique = QComboBox()
        self.technique.setAccessibleName("Technique")
        for value, title in TECHNIQUE_TITLES.items():
            self.technique.addItem(title, str(value))
        self.rewrites = _text_box("Rewrites", 4, "One good rewrite per line")
        self._references: dict[str, Any] = {}
        self._pitfalls: dict[str, dict[str, Any]] = {}
        self._accepts: tuple[str, ...] = ("no_oriented", "mislabel")
        self.pitfalls = _text_box(
            "Pitfalls", 4, "One per line: a tempting wrong rewrite | why it fails"
        )
        self.coach_view = QLabel()
        self.coach_view.setAccessibleName("What the coach says of each line")
        self.coach_view.setWordWrap(True)
        self.coach_view.setTextFormat(Qt.TextFormat.PlainText)
        self.coach_view.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.coach_view.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        for label, field in (
            ("&Situation", self.situation), ("&Prompt", self.prompt),
            ("&Technique", self.technique), ("&Rewrites", self.rewrites),
            ("P&itfalls", self.pitfalls), ("Coach", self.coach_view),
        ):  # fmt: skip
            self.layout_.addRow(label, field)
        self.add_common()
        # The coach's verdict on every line, a moment after the typing stops.
        self._coach_timer = QTimer(self, singleShot=True, interval=COACH_DELAY_MS)
        self._coach_timer.timeout.connect(self.update_coach)
        for box in (self.situation, self.rewrites, self.pitfalls):
            box.textChanged.connect(self._coach_timer.start)
        self.prompt.textChanged.connect(self._coach_timer.start)

    def coach_review(self) -> tuple[list[str], list[str]]:
        """(a line per rewrite and pitfall with the coach's verdict, the concerns: rewrites it
        rejects and pitfalls it accepts), judged as a learner's answer to this drill is."""
        from negodrill.core.coach import analyse
        from negodrill.core.coach.words import flaw_title, label_title

        ask = self.prompt.text().strip() or None
        situation = self.situation.toPlainText().strip() or None
        lines: list[str] = []
        concerns: list[str] = []
        for number, text in enumerate(_lines(self.rewrites.toPlainText()), start=1):
            found = analyse(text, ask, situation, self._accepts)
            words = label_title(found.label) + "".join(
                f", {flaw_title(f)}" for f in found.flaws)
            if found.accepted:
                lines.append(f"Rewrite {number}: ✓ {words}")
            else:
                lines.append(f"Rewrite {number}: ✗ {words}: the coach would not accept it")
                concerns.append(f"rewrite {number} (“{text}”) is read as {words}")
        for number, line in enumerate(_lines(self.pitfalls.toPlainText()), start=1):
            text = line.partition("|")[0].strip()
            if not text:
                continue
            found = analyse(text, ask, situation, self._accepts)
            if found.accepted and not self._pitfalls.get(text, {}).get("situational"):
                lines.append(f"Pitfall {number}: ✗ the coach accepts it as a clean "
                             f"{label_title(found.label).lower()}")
                concerns.append(f"pitfall {number} (“{text}”) is accepted as a clean answer")
            else:
                lines.append(f"Pitfall {number}: ✓ the coach rejects it")
        return lines, concerns

    def update_coach(self) -> None:
        self._coach_timer.stop()
        lines, _ = self.coach_review()
        self.coach_view.setText("\n".join(lines) or "Type a rewrite to see what the coach says.")

    def fill(self, data: dict[str, Any]) -> None:
        super().fill(data)
        self.situation.setPlainText(str(data.get("situation", "")))
        self.prompt.setText(str(data.get("prompt", "")))
        technique = str(data.get("technique", Technique.NO_QUESTION))
        if self.technique.findData(technique) < 0:  # a deck's own technique id: keep it
            self.technique.addItem(technique, technique)
        self.technique.setCurrentIndex(self.technique.findData(technique))
        # A reference or pitfall keeps its reply (and reading) while its text stays the same.
        self._references = {(r if isinstance(r, str) else r["text"]): r
                            for r in data.get("rewrites", ())}
        self._pitfalls = {p["text"]: p for p in data.get("pitfalls", ())}
        self._accepts = tuple("no_oriented" if m == "no-question" else str(m)
                              for m in data.get("accepts", ("no-question", "mislabel")))
        self.rewrites.setPlainText("\n".join(self._references))
        self.pitfalls.setPlainText(
            "\n".join(f"{p['text']} | {p['why']}" for p in data.get("pitfalls", ()))
        )

    def collect(self) -> tuple[dict[str, Any], list[str]]:
        common, problems = super().collect()
        out: dict[str, Any] = {
            "situation": self.required(self.situation, "Situation", problems),
            "prompt": self.required(self.prompt, "Prompt", problems),
            "technique": str(self.technique.currentData()),
            "rewrites": [self._references.get(line, line)
                         for line in _lines(self.rewrites.toPlainText())],
        }
        if not out["rewrites"]:
            problems.append("Write at least one rewrite (one per line).")
        pitfalls = []
        for number, line in enumerate(_lines(self.pitfalls.toPlainText()), start=1):
            text, bar, why = line.partition("|")
            if not (bar and text.strip() and why.strip()):
                problems.append(f'Pitfall {number} needs the form "wrong rewrite | why".')
            kept = {k: v for k, v in self._pitfalls.get(text.strip(), {}).items()
                    if k not in ("text", "why")}
            pitfalls.append({"text": text.strip(), "why": why.strip()} | kept)
        if pitfalls:
            out["pitfalls"] = pitfalls
        return out | common, problems


class BasicForm(_Form):
    owned = ("front", "back", "notes", "tags")

    def __init__(self) -> None:
        super().__init__()
        self.front = _text_box("Front", 3, "The question")
        self.back = _text_box("Back", 5, "The answer")
        self.layout_.addRow("&Front", self.front)
        self.layout_.addRow("&Back", self.back)
        self.add_common()

    def fill(self, data: dict[str, Any]) -> None:
        super().fill(data)
        self.front.setPlainText(str(data.get("front", "")))
        self.back.setPlainText(str(data.get("back", "")))

    def collect(self) -> tuple[dict[str, Any], list[str]]:
        common, problems = super().collect()
        out = {
            "front": self.required(self.front, "Front", problems),
            "back": self.required(self.back, "Back", problems),
        }
        return out | common, problems


class ChoiceForm(_Form):
    owned = ("question", "options", "notes", "tags")

    def __init__(self) -> None:
        super().__init__()
        self.question = _text_box("Question", 3, "The question")
        self.options = QTableWidget(0, 3)
        self.options.setAccessibleName("Options")
        self.options.setHorizontalHeaderLabels(["Correct", "Option", "Explanation"])
        header = self.options.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.options.verticalHeader().setVisible(False)
        self.options.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.options.setMinimumHeight(170)
        self.add_button = QPushButton("A&dd option")
        self.add_button.setAccessibleName("Add option")
        self.add_button.clicked.connect(lambda: self.add_option())
        self.remove_button = QPushButton("Re&move option")
        self.remove_button.setAccessibleName("Remove selected option")
        self.remove_button.clicked.connect(self._remove_option)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        box = QVBoxLayout()
        box.addWidget(self.options)
        box.addLayout(buttons)
        options_label = QLabel("&Options")
        options_label.setBuddy(self.options)
        self.layout_.addRow("&Question", self.question)
        self.layout_.addRow(options_label, box)
        self.add_common()
        for _ in range(2):
            self.add_option()

    def add_option(self, option: dict[str, Any] | None = None) -> None:
        if self.options.rowCount() >= MAX_OPTIONS:
            return
        option = option or {}
        row = self.options.rowCount()
        self.options.insertRow(row)
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                       | Qt.ItemFlag.ItemIsSelectable)
        correct = bool(option.get("correct"))
        check.setCheckState(Qt.CheckState.Checked if correct else Qt.CheckState.Unchecked)
        check.setData(Qt.ItemDataRole.AccessibleTextRole, "correct" if correct else "wrong")
        text = QTableWidgetItem(str(option.get("text", "")))
        text.setData(Qt.ItemDataRole.UserRole, option.get("id"))  # kept: reviews cite it
        self.options.setItem(row, 0, check)
        self.options.setItem(row, 1, text)
        self.options.setItem(row, 2, QTableWidgetItem(str(option.get("why", ""))))

    @Slot()
    def _remove_option(self) -> None:
        row = self.options.currentRow()
        if row >= 0:
            self.options.removeRow(row)

    def fill(self, data: dict[str, Any]) -> None:
        super().fill(data)
        self.question.setPlainText(str(data.get("question", "")))
        self.options.setRowCount(0)
        for option in data.get("options", ()):
            self.add_option(option)

    def collect(self) -> tuple[dict[str, Any], list[str]]:
        common, problems = super().collect()
        question = self.required(self.question, "Question", problems)
        rows = []
        for row in range(self.options.rowCount()):
            check, text_item, why_item = (self.options.item(row, c) for c in range(3))
            rows.append((
                check is not None and check.checkState() == Qt.CheckState.Checked,
                text_item.text().strip() if text_item else "",
                why_item.text().strip() if why_item else "",
                text_item.data(Qt.ItemDataRole.UserRole) if text_item else None,
            ))  # fmt: skip
        rows = [r for r in rows if r[1] or r[2] or r[0]]  # untouched blank rows are not options
        if len(rows) < 2:
            problems.append("A choice card needs at least two options.")
        if any(not text for _, text, _, _ in rows):
            problems.append("Every option needs its text (or remove the empty option).")
        if rows and not any(correct for correct, *_ in rows):
            problems.append("Tick at least one correct option.")
        used = {str(r[3]) for r in rows if r[3]}
        free = (c for c in string.ascii_lowercase if c not in used)
        options = []
        for correct, text, why, old_id in rows:
            option: dict[str, Any] = {"id": str(old_id) if old_id else next(free), "text": text}
            if correct:
                option["correct"] = True
            if why:
                option["why"] = why
            options.append(option)
        return {"question": question, "options": options} | common, problems


FORMS: dict[CardType, type[_Form]] = {
    CardType.DRILL: DrillForm, CardType.BASIC: BasicForm, CardType.CHOICE: ChoiceForm,
}


class CardEditor(QDialog):
    """Edit one card (`card_id`) or make a new one (in `deck_id`, of `card_type`).

    After Save, `saved_card_id` is the card's id and the dialog is accepted.
    """

    def __init__(
        self,
        store: Store,
        *,
        card_id: int | None = None,
        deck_id: int | None = None,
        card_type: CardType = CardType.DRILL,
        clock: Callable[[], datetime] = utc_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._card_id, self._clock = store, card_id, clock
        self._original: dict[str, Any] = store.card_json(card_id) if card_id is not None else {}
        self.saved_card_id: int | None = None
        self._deck_id: int | None = deck_id  # an edited card's deck, to see a move
        self._form_problems: list[str] = []
        kind = CardType(self._original.get("type", card_type))
        self.setWindowTitle("Edit card" if card_id is not None else "New card")
        self.setMinimumWidth(620)

        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problems")
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.hide()
        self.type_box = QComboBox()
        self.type_box.setAccessibleName("Card type")
        self.deck_box = QComboBox()
        self.deck_box.setAccessibleName("Deck")
        for deck, title in browse.decks(store):
            self.deck_box.addItem(title, deck)
        self.stack = QStackedWidget()
        self.forms: dict[CardType, _Form] = {}
        for form_type, form_class in FORMS.items():
            self.type_box.addItem(TYPE_TITLES[form_type], str(form_type))
            self.forms[form_type] = form_class()
            self.stack.addWidget(self.forms[form_type])
        self.type_box.currentIndexChanged.connect(self._show_type)
        self.type_box.setCurrentIndex(self.type_box.findData(str(kind)))
        self._show_type()
        if card_id is not None:
            # A card keeps its type (its history was studied as one); another deck takes it
            # with its history and schedule (saved, then moved).
            self.type_box.setEnabled(False)
            deck_id = store.card(card_id).deck_id
            self._deck_id = deck_id
            self.forms[kind].fill(self._original)
        if deck_id is not None and self.deck_box.findData(deck_id) >= 0:
            self.deck_box.setCurrentIndex(self.deck_box.findData(deck_id))

        top = QFormLayout()
        top.addRow("T&ype", self.type_box)
        top.addRow("D&eck", self.deck_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save card")
        _align_labels([top, *(form.layout_ for form in self.forms.values())])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        first = self.form.layout_.itemAt(0, QFormLayout.ItemRole.FieldRole)
        field = first.widget() if first is not None else None
        if field is not None:
            field.setFocus()  # type straight away: the type and deck rarely change

    def confirm_concerns(self, concerns: list[str]) -> bool:
        """Save a drill the coach disagrees with only when the author says so."""
        answer = QMessageBox.question(
            self, "The coach disagrees",
            "The coach disagrees with this card: " + "; ".join(concerns) + ". Learners who "
            "type these answers will be judged that way. Save anyway?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Save

    @property
    def card_type(self) -> CardType:
        return CardType(self.type_box.currentData())

    @property
    def form(self) -> _Form:
        return self.forms[self.card_type]

    @Slot()
    def _show_type(self) -> None:
        self.stack.setCurrentWidget(self.form)
        self.error_label.hide()

    def card_data(self) -> dict[str, Any]:
        """The card object the form describes (an edit keeps the fields the form does not own)."""
        values, self._form_problems = self.form.collect()
        if self._card_id is None:
            data: dict[str, Any] = {"id": "", "type": str(self.card_type)}
        else:
            data = {k: v for k, v in self._original.items() if k not in self.form.owned}
        return data | values

    @Slot()
    def save(self) -> None:
        from negodrill.deckio.editing import save_card

        data = self.card_data()
        problems = list(self._form_problems)
        form = self.form
        if not problems and isinstance(form, DrillForm):
            _, concerns = form.coach_review()
            if concerns and not self.confirm_concerns(concerns):
                return
        if not problems:
            try:
                saved = save_card(self._store, data, now=self._clock(), card_id=self._card_id,
                                  deck_id=self.deck_box.currentData())
            except NegodrillError as exc:
                QMessageBox.warning(self, "Card not saved", f"The card could not be saved: {exc}")
                return
            problems = saved.problems
            self.saved_card_id = saved.card_id
            target = self.deck_box.currentData()
            if not problems and self._card_id is not None and target != self._deck_id:
                from negodrill.deckio.deck_admin import move_cards

                try:
                    move_cards(self._store, [self._card_id], target)
                except NegodrillError as exc:
                    QMessageBox.warning(self, "Card not moved",
                                        f"The card was saved but not moved: {exc}")
                    return
        if problems:
            self.error_label.setText("\n".join(problems))
            self.error_label.show()
            return
        self.accept()
