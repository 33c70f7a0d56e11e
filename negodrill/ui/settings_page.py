"""Settings: scheduling preset (retention, daily limits, rollover, learning steps) and theme,
and "Optimize for my reviews", which fits the FSRS parameters to the learner's history.

Values are typed as text and checked by `parse_preset`, which returns a readable message for
anything invalid instead of saving it. Optimizing runs on a pool thread (`ui.tasks`) with its
own database connection; only the result comes back to the page.
"""

from __future__ import annotations

import html
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from negodrill.core.models import Preset
from negodrill.core.progress import CancelToken, Progress
from negodrill.storage.store import Store, open_store
from negodrill.ui import tasks, theme

if TYPE_CHECKING:
    from negodrill.core.optimizer import Fit, Metrics


class InvalidSetting(ValueError):
    """A setting the learner typed that cannot be used; the message says why."""


def _int(text: str, name: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise InvalidSetting(f"{name} must be a whole number from {low} to {high}.") from None
    if not low <= value <= high:
        raise InvalidSetting(f"{name} must be from {low} to {high}; {value} is not.")
    return value


def parse_preset(base: Preset, *, retention: str, new_per_day: str, reviews_per_day: str,
                 rollover_hour: str, steps: str) -> Preset:
    """The preset the typed values describe, or InvalidSetting with a readable message."""
    text = retention.strip().rstrip("%").strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise InvalidSetting(
            "Desired retention must be a number such as 0.9 (or 90%)."
        ) from None
    if value > 1:
        value /= 100
    if not 0.7 <= value <= 0.99:
        raise InvalidSetting("Desired retention must be between 0.70 and 0.99 (70% to 99%).")
    try:
        step_values = tuple(float(s) for s in steps.replace(",", " ").split())
    except ValueError:
        raise InvalidSetting(
            "Learning steps must be minutes separated by spaces, such as “1 10”."
        ) from None
    if not step_values or any(s <= 0 or s > 1440 for s in step_values):
        raise InvalidSetting("Learning steps must be one or more minutes from 1 to 1440, "
                             "such as “1 10”.")
    return replace(
        base,
        desired_retention=round(value, 4),
        new_per_day=_int(new_per_day, "New cards per day", 0, 9999),
        reviews_per_day=_int(reviews_per_day, "Reviews per day", 0, 99999),
        rollover_hour=_int(rollover_hour, "The day's rollover hour", 0, 23),
        learning_steps_min=step_values,
    )


def parse_backup_cap(text: str) -> float:
    """The backups' size cap in gigabytes, from 0.1 to 1000."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise InvalidSetting("The backups' size must be a number of gigabytes, such as 2.") \
            from None
    if not 0.1 <= value <= 1000:
        raise InvalidSetting("The backups' size must be from 0.1 to 1000 gigabytes.")
    return value


def backup_cap_gb(store: Store) -> float:
    from negodrill.ui.safekeeping import backup_cap_bytes

    return round(backup_cap_bytes(store) / 1024**3, 2)


def format_steps(steps: tuple[float, ...]) -> str:
    return " ".join(f"{s:g}" for s in steps)


class SettingsPage(QWidget):
    theme_changed = Signal(str)
    saved = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setAccessibleName("Settings page")
        title = QLabel("Settings")
        title.setProperty("role", "heading")

        def field(name: str, tip: str) -> QLineEdit:
            edit = QLineEdit()
            edit.setAccessibleName(name)
            edit.setToolTip(tip)
            edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("M" * 16))
            edit.returnPressed.connect(self.save)
            return edit

        self.retention_edit = field("Desired retention",
                                    "How likely you want to remember a card when it is due "
                                    "(0.70 to 0.99). Higher means more reviews.")
        self.new_edit = field("New cards per day", "How many new cards a day brings (0-9999)")
        self.reviews_edit = field("Reviews per day", "The most review cards a day (0-99999)")
        self.rollover_edit = field("Day rollover hour",
                                   "The local hour a new study day starts (0-23), as in Anki")
        self.steps_edit = field("Learning steps in minutes",
                                "Minutes between the first reviews of a new card, e.g. 1 10")
        self.theme_combo = QComboBox()
        self.theme_combo.setAccessibleName("Theme")
        for name in theme.THEMES:
            self.theme_combo.addItem(name.capitalize(), name)
        self.theme_combo.setMaximumWidth(self.retention_edit.maximumWidth())
        self.name_edit = field("Your name (for reports)",
                               "Shown at the top of the progress report (File > Export progress "
                               "report); leave empty for none")
        self.name_edit.setMaximumWidth(self.name_edit.fontMetrics().horizontalAdvance("M" * 24))
        self.backup_cap_edit = field("Backups up to, in gigabytes",
                                     "The most space the automatic backups may take (the data "
                                     "folder's backups/): older ones are deleted first, the "
                                     "newest always stays")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Desired &retention:", self.retention_edit)
        form.addRow("&New cards per day:", self.new_edit)
        form.addRow("Re&views per day:", self.reviews_edit)
        form.addRow("Day roll&over hour:", self.rollover_edit)
        form.addRow("&Learning steps (minutes):", self.steps_edit)
        form.addRow("&Theme:", self.theme_combo)
        form.addRow("Your na&me (for reports):", self.name_edit)
        form.addRow("&Backups up to (GB):", self.backup_cap_edit)

        self.message_label = QLabel()
        self.message_label.setAccessibleName("Settings message")
        self.message_label.setWordWrap(True)
        self.save_button = QPushButton("&Save")
        self.save_button.setAccessibleName("Save settings")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Undo c&hanges")
        self.revert_button.setAccessibleName("Revert settings")
        self.revert_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)

        fsrs_title = QLabel("Scheduler parameters")
        heading_font = fsrs_title.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.15)
        fsrs_title.setFont(heading_font)
        self.parameters_label = QLabel()
        self.parameters_label.setAccessibleName("Scheduler parameters in use")
        self.parameters_label.setWordWrap(True)
        self.optimize_button = QPushButton("O&ptimize for my reviews")
        self.optimize_button.setAccessibleName("Optimize for my reviews")
        self.optimize_button.setToolTip(
            "Fit the FSRS parameters to your own review history; they are used only when they "
            "predict your reviews better than the current ones")
        self.optimize_button.clicked.connect(self.optimize)
        self.reset_button = QPushButton("Restore &default parameters")
        self.reset_button.setAccessibleName("Restore default parameters")
        self.reset_button.clicked.connect(self.restore_default_parameters)
        fsrs_buttons = QHBoxLayout()
        fsrs_buttons.addWidget(self.optimize_button)
        fsrs_buttons.addWidget(self.reset_button)
        fsrs_buttons.addStretch(1)
        self.optimize_label = QLabel()
        self.optimize_label.setAccessibleName("Optimization result")
        self.optimize_label.setWordWrap(True)
        self.optimize_label.setTextFormat(Qt.TextFormat.RichText)
        self.optimize_task: tasks.Task | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)
        layout.addSpacing(16)
        layout.addWidget(fsrs_title)
        layout.addWidget(self.parameters_label)
        layout.addLayout(fsrs_buttons)
        layout.addWidget(self.optimize_label)
        layout.addStretch(1)
        self.setFocusProxy(self.retention_edit)
        self.refresh()

    def refresh(self) -> None:
        preset = self.store.preset()
        self.retention_edit.setText(f"{preset.desired_retention:g}")
        self.new_edit.setText(str(preset.new_per_day))
        self.reviews_edit.setText(str(preset.reviews_per_day))
        self.rollover_edit.setText(str(preset.rollover_hour))
        self.steps_edit.setText(format_steps(preset.learning_steps_min))
        current = self.store.setting("theme", "system")
        index = self.theme_combo.findData(current if current in theme.THEMES else "system")
        self.theme_combo.setCurrentIndex(max(0, index))
        name = self.store.setting("learner_name", "")
        self.name_edit.setText(name if isinstance(name, str) else "")
        self.backup_cap_edit.setText(f"{backup_cap_gb(self.store):g}")
        self.message_label.clear()
        self._show_parameters(preset)

    def _show_parameters(self, preset: Preset) -> None:
        if preset.parameters is None:
            text = "Cards are scheduled with FSRS's default parameters."
        else:
            text = "Cards are scheduled with parameters fitted to your reviews."
        self.parameters_label.setText(text)
        self.reset_button.setEnabled(preset.parameters is not None)

    def save(self) -> bool:
        try:
            preset = parse_preset(
                self.store.preset(),
                retention=self.retention_edit.text(),
                new_per_day=self.new_edit.text(),
                reviews_per_day=self.reviews_edit.text(),
                rollover_hour=self.rollover_edit.text(),
                steps=self.steps_edit.text(),
            )
            cap_gb = parse_backup_cap(self.backup_cap_edit.text())
        except InvalidSetting as exc:
            self._say(str(exc), error=True)
            return False
        self.store.save_preset(preset)
        if cap_gb != backup_cap_gb(self.store):
            from negodrill.storage.backups import CAP_SETTING

            self.store.set_setting(CAP_SETTING, round(cap_gb * 1024, 1))
        chosen = str(self.theme_combo.currentData())
        if chosen != self.store.setting("theme", "system"):
            self.store.set_setting("theme", chosen)
            self.theme_changed.emit(chosen)
        name = " ".join(self.name_edit.text().split())
        if name != self.store.setting("learner_name", ""):
            self.store.set_setting("learner_name", name)
        self._say("Saved.", error=False)
        self.saved.emit()
        return True

    # -- optimize for my reviews --------------------------------------------------------------
    def optimize(self) -> tasks.Task | None:
        """Fit on a pool thread; the fit is saved there only when it predicts better."""
        db_path = self.store.path
        if db_path is None or self.optimize_task is not None:
            return None

        def work(progress: Progress, cancel: CancelToken) -> tuple[Fit, bool]:
            from negodrill.reports import optimizing

            store = open_store(db_path)
            try:
                fit = optimizing.fit_parameters(store, progress=progress, cancel=cancel)
                return fit, optimizing.apply_fit(store, fit)
            finally:
                store.close()

        task = tasks.Task(work)
        task.signals.succeeded.connect(lambda result: self._optimized(*result))
        task.signals.failed.connect(self._optimize_failed)
        task.signals.cancelled.connect(
            lambda: self._show_result("Optimizing was cancelled; nothing was changed.", "muted"))
        task.signals.finished.connect(self._optimize_finished)
        self.optimize_button.setEnabled(False)
        self.reset_button.setEnabled(False)
        self.optimize_label.clear()
        self.optimize_task = task
        tasks.run_with_progress(self, "Optimizing for your reviews", task)
        quit_action = getattr(self.window(), "quit_action", None)
        if task.dialog is not None and quit_action is not None:
            task.dialog.addAction(quit_action)  # Ctrl+Q quits at once, even over the dialog
        return task

    def _optimize_finished(self) -> None:
        self.optimize_task = None
        self.optimize_button.setEnabled(True)
        self._show_parameters(self.store.preset())

    def _optimized(self, fit: Fit, applied: bool) -> None:
        rows: list[tuple[str, Metrics]] = []
        if fit.default is not None and fit.fitted is not None:
            rows.append(("Default", fit.default))
            if fit.current is not None:
                rows.append(("Current", fit.current))
            rows.append(("Fitted", fit.fitted))
        if applied:
            verdict, tone = fit.message + " They now schedule your cards.", "good"
            self.saved.emit()
        else:
            verdict, tone = fit.message, "muted"
        self._show_result(verdict, tone, fit=fit, rows=rows)

    def _optimize_failed(self, exc: BaseException) -> None:
        from negodrill.ui.main_window import describe_error

        self._show_result(f"Optimizing failed: {describe_error(exc)}", "bad")

    def _show_result(self, verdict: str, tone: str, *, fit: Fit | None = None,
                     rows: list[tuple[str, Metrics]] | None = None) -> None:
        """The review counts, a small table of log loss and RMSE(bins), and the verdict."""
        palette = theme.colors()
        parts = []
        if fit is not None:
            parts.append(f"<p>{fit.reviews:,} reviews, {fit.samples:,} of them a day or more "
                         "after the card's previous review (those are the ones predicted).</p>")
        if rows:
            cells = "".join(
                f"<tr><td>{name}</td><td align='right'>{m.log_loss:.4f}</td>"
                f"<td align='right'>{m.rmse_bins * 100:.2f}%</td></tr>" for name, m in rows)
            parts.append(
                "<table cellspacing='0' cellpadding='3'><tr><th align='left'>Parameters</th>"
                "<th align='right'>&nbsp;&nbsp;Log loss</th>"
                "<th align='right'>&nbsp;&nbsp;RMSE (bins)</th></tr>"
                f"{cells}</table><p style='color: {palette.muted}'>Lower is better for both.</p>")
        color = {"good": palette.good, "bad": palette.bad}.get(tone, palette.muted)
        parts.append(f"<p style='color: {color}'><b>{html.escape(verdict)}</b></p>")
        self.optimize_label.setText("".join(parts))

    def restore_default_parameters(self) -> None:
        from negodrill.reports.optimizing import reset_parameters

        if reset_parameters(self.store):
            self._show_result("The default parameters are back.", "good")
            self.saved.emit()
        self._show_parameters(self.store.preset())

    def _say(self, text: str, *, error: bool) -> None:
        color = theme.colors().bad if error else theme.colors().good
        self.message_label.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.message_label.setText(text)
