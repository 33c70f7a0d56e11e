"""Progress: the habit in sentences, the key figures, the charts and a few small tables.

The figures come from `collect_progress` (negodrill/reports/progress.py). A small collection is
counted on the UI thread (under ~40 ms up to SYNC_REVIEWS reviews: the page paints with its
figures at once); a bigger one on a pool thread with its own connection, while the page says
"Counting…".

The charts are matplotlib figures (negodrill/reports/charts.py) on `FigureCanvasQTAgg`.
matplotlib is never imported on the start-up path: the page loads it once it is built, showing
"Drawing charts…" placeholders meanwhile, then draws one chart per turn of the event loop, so
the figures above paint first.

matplotlib is loaded on the UI thread, one module per turn of the event loop (each well under
0.2 s), not on a pool thread: PySide6 replaces `__import__` with a hook that reads the source of
every imported module (shibokensupport `_mod_uses_pyside`), and running it on a pool thread
while the UI thread runs Python crashed the interpreter ("Fatal Python error: none_dealloc").
Importing in steps keeps the window responsive without that risk.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from negodrill.reports.progress import PERIODS, ProgressReport, period_since, today_for
from negodrill.storage.progress_queries import latest_review_id
from negodrill.storage.store import Store, open_store
from negodrill.ui import tasks, theme

# Up to this many reviews the figures are counted on the UI thread: measured at most ~40 ms
# (5,000 reviews over two years; nine weeks of daily study, ~1,600 reviews: ~10 ms). Above it, a
# pool thread (1,000,000 reviews: 0.4-2 s).
SYNC_REVIEWS = 5_000
CHART_HEIGHT = 250  # pixels
DRAWING = "Drawing charts…"
COUNTING = "Counting…"
PERIOD_TITLES = {"30d": "Last 30 days", "1y": "Last year", "all": "All time"}
# In an order where each step imports a slice of matplotlib (its slow dependencies first).
CHART_MODULES = ("numpy", "PIL.Image", "pyparsing", "numpy.ma", "matplotlib", "matplotlib.cm",
                 "matplotlib.patches", "matplotlib.text", "matplotlib.collections",
                 "matplotlib.backend_bases", "matplotlib.axes", "matplotlib.projections",
                 "matplotlib.figure", "matplotlib.dates", "matplotlib.ticker",
                 "matplotlib.textpath", "matplotlib.layout_engine",
                 "matplotlib.backends.backend_agg", "matplotlib.backends.backend_qtagg")
FIGURES = (
    ("reviews", "Reviews"),
    ("study_days", "Days studied"),
    ("streak", "Streak"),
    ("time", "Time spent"),
    ("retention", "Retention on review cards"),
)


def charts_loaded() -> bool:
    return all(name in sys.modules for name in CHART_MODULES)


def load_chart_modules() -> None:
    """Import matplotlib and its Qt canvas at once (scripts and benchmarks; the page loads
    them in steps), and warm the font cache with one small drawing."""
    for name in CHART_MODULES:
        importlib.import_module(name)
    warm_up()


def preload_charts() -> None:
    """After the window's first paint: load matplotlib in steps (see the module's notes for
    why not on another thread) and warm the font cache, so the Progress page draws its charts
    without the wait. A failure is only a missed head start: the page reports it itself."""
    load_charts_in_steps(lambda error: QTimer.singleShot(0, warm_up) if error is None else None)


_waiting: list[Callable[[BaseException | None], None]] = []


def load_charts_in_steps(done: Callable[[BaseException | None], None]) -> None:
    """Import matplotlib on the UI thread, one module per turn of the event loop, then call
    `done(None)` (or `done(exc)` when it cannot be imported). Call it before anything renders
    charts on a pool thread (the report export), or after the window's first paint to have the
    charts ready."""
    _waiting.append(done)
    if len(_waiting) == 1:
        QTimer.singleShot(0, _load_step)


def _load_step() -> None:
    error: BaseException | None = None
    missing = [name for name in CHART_MODULES if name not in sys.modules]
    try:
        if missing:
            importlib.import_module(missing.pop(0))
    except Exception as exc:  # noqa: BLE001 - a broken install: said where the charts go
        error, missing = exc, []
    if missing:
        QTimer.singleShot(0, _load_step)
        return
    callbacks = list(_waiting)
    _waiting.clear()
    for callback in callbacks:
        callback(error)


def warm_up() -> None:
    """One small drawing on the Agg canvas: loads the fonts the charts use."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1))
    fig.add_subplot().set_title("Warm-up")
    FigureCanvasAgg(fig).draw()


def format_duration(ms: int) -> str:
    minutes = round(ms / 60_000)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def format_figures(report: ProgressReport) -> dict[str, str]:
    from negodrill.reports.stats import percent

    overall = report.retention
    retention = "no review cards yet"
    if overall is not None and overall.share is not None:
        retention = f"{percent(overall.share)} of {overall.review_answers:,}"
    day = "day" if report.current_streak == 1 else "days"
    return {
        "reviews": f"{report.total_reviews:,}",
        "study_days": f"{report.study_days:,}",
        "streak": f"{report.current_streak} {day} (best {report.best_streak})",
        "time": format_duration(report.duration_ms),
        "retention": retention,
    }


def compute(store: Store, deck_ids: list[int] | None, period: str) -> ProgressReport:
    from negodrill.reports.progress import collect_progress

    today = today_for(store)
    return collect_progress(store, today=today, deck_ids=deck_ids,
                            since=period_since(today, period))


class ChartSlot(QFrame):
    """One chart's place: a placeholder until the canvas is drawn."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from negodrill.reports.charts import TITLES  # no matplotlib: only the module's names

        self.name = name
        self.setProperty("role", "card")
        self.setAccessibleName(f"Chart: {TITLES[name]}")
        self.setFixedHeight(CHART_HEIGHT)
        self.placeholder = QLabel(f"{TITLES[name]}\n\n{DRAWING}")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setAccessibleName(f"{TITLES[name]}: {DRAWING}")
        self.canvas: Any = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.placeholder)

    def set_waiting(self) -> None:
        """The placeholder until the first drawing; later ones replace the chart in place."""
        if self.canvas is None:
            self.placeholder.show()

    def draw(self, report: ProgressReport, dark: bool) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from negodrill.reports import charts

        fig = charts.figure(self.name, report, dark=dark)
        if self.canvas is not None:  # the new figure on the same canvas, at the canvas's size
            canvas = self.canvas
            old = canvas.figure
            canvas.figure = fig
            fig.set_canvas(canvas)
            ratio = canvas.device_pixel_ratio or 1.0
            fig.set_size_inches(canvas.width() * ratio / fig.dpi,
                                canvas.height() * ratio / fig.dpi, forward=False)
            old.clear()
            canvas.draw_idle()
            return
        canvas = FigureCanvasQTAgg(fig)
        canvas.setAccessibleName(self.accessibleName())
        canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        canvas.setMinimumSize(10, 10)
        layout = self.layout()
        assert layout is not None
        self.placeholder.hide()  # first: the canvas is laid out (and drawn) once, at full size
        self.canvas = canvas
        layout.addWidget(canvas)


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], empty: str) -> None:
    rows = rows or [[empty] + [""] * (table.columnCount() - 1)]
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeRowsToContents()
    height = table.horizontalHeader().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(table.rowCount()))
    table.setFixedHeight(height)


class ProgressPage(QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.report: ProgressReport | None = None
        self.values: dict[str, QLabel] = {}
        self._generation = 0  # the latest request; older answers are dropped
        self._count_task: tasks.Task | None = None
        self._to_draw: list[ChartSlot] = []
        self._drawn_dark: bool | None = None
        self.setAccessibleName("Progress page")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        content = QWidget()
        layout = QVBoxLayout(content)
        title = QLabel("Progress")
        title.setProperty("role", "heading")
        layout.addWidget(title)
        layout.addLayout(self._build_filters())
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setAccessibleName("Your habit")
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.headline.setFont(font)
        layout.addWidget(self.headline)
        layout.addLayout(self._build_figures())
        self.slots: dict[str, ChartSlot] = {}
        from negodrill.reports.charts import CHARTS

        for name in CHARTS:
            self.slots[name] = ChartSlot(name)
            layout.addWidget(self.slots[name])
        self.tables = {
            "retention_by_kind": _table("Retention by technique",
                                        ["Technique", "Answers on review cards", "Remembered"]),
            "retention_by_deck": _table("Retention by deck",
                                        ["Deck", "Answers on review cards", "Remembered"]),
            "mastery": _table("Mastery by technique",
                              ["Technique", "New", "Learning", "Young", "Mature"]),
            "hardest": _table("Hardest cards", ["Card", "Deck", "Lapses", "Again"]),
        }
        for table in self.tables.values():
            caption = QLabel(table.accessibleName())
            caption.setProperty("role", "subheading")
            bold = caption.font()
            bold.setBold(True)
            caption.setFont(bold)
            layout.addWidget(caption)
            layout.addWidget(table)
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.scroll_area = scroll
        self.refresh()
        if not charts_loaded():
            self._load_charts()

    # -- building ----------------------------------------------------------------------------
    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.deck_combo = QComboBox()
        self.deck_combo.setAccessibleName("Deck")
        self.deck_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.period_combo = QComboBox()
        self.period_combo.setAccessibleName("Period")
        for key in PERIODS:
            self.period_combo.addItem(PERIOD_TITLES[key], key)
        for text, combo in (("&Deck:", self.deck_combo), ("P&eriod:", self.period_combo)):
            label = QLabel(text)
            label.setBuddy(combo)
            row.addWidget(label)
            row.addWidget(combo)
            row.addSpacing(12)
        row.addStretch(1)
        self.deck_combo.activated.connect(lambda _=0: self.refresh())
        self.period_combo.activated.connect(lambda _=0: self.refresh())
        return row

    def _build_figures(self) -> QGridLayout:
        grid = QGridLayout()
        for column, (key, text) in enumerate(FIGURES):
            caption = QLabel(text)
            value = QLabel()
            value.setAccessibleName(text)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            font = value.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.25)
            value.setFont(font)
            self.values[key] = value
            grid.addWidget(caption, 0, column)
            grid.addWidget(value, 1, column)
        return grid

    def _fill_decks(self) -> None:
        from negodrill.storage.progress_queries import deck_titles

        current = self.deck_combo.currentData()
        self.deck_combo.clear()
        self.deck_combo.addItem("All decks", None)
        for deck_id, title in deck_titles(self.store).items():
            self.deck_combo.addItem(title, deck_id)
        index = self.deck_combo.findData(current)
        self.deck_combo.setCurrentIndex(max(0, index))

    # -- counting ------------------------------------------------------------------------------
    def selected_decks(self) -> list[int] | None:
        deck = self.deck_combo.currentData()
        return None if deck is None else [int(deck)]

    def selected_period(self) -> str:
        return str(self.period_combo.currentData() or "30d")

    def refresh(self) -> None:
        """Count again (the deck list too); big collections on a pool thread."""
        self._fill_decks()
        self._generation += 1
        generation = self._generation
        decks, period = self.selected_decks(), self.selected_period()
        if latest_review_id(self.store) <= SYNC_REVIEWS:
            self.show_report(compute(self.store, decks, period))
            return
        for label in self.values.values():
            label.setText(COUNTING)
        self.headline.setText(COUNTING)
        for slot in self.slots.values():
            slot.set_waiting()
        # What the count imports lazily, imported here: imports on a pool thread are unsafe
        # with PySide6 loaded (see the module's notes).
        importlib.import_module("negodrill.core.scheduling")
        path = self.store.path
        assert path is not None  # more reviews than SYNC_REVIEWS: a collection on disk

        def work(_progress: Any, _cancel: Any) -> ProgressReport:
            store = open_store(path)
            try:
                return compute(store, decks, period)
            finally:
                store.close()

        task = tasks.Task(work)
        task.signals.succeeded.connect(
            lambda report: self.show_report(report)
            if isValid(self) and generation == self._generation else None)
        task.signals.failed.connect(
            lambda exc: self.headline.setText(f"Could not count the figures: {exc}")
            if isValid(self) else None)
        self._count_task = tasks.start(task)

    def show_report(self, report: ProgressReport) -> None:
        from negodrill.reports.charts import kind_title
        from negodrill.reports.stats import percent

        self.report = report
        self.headline.setText("\n".join(report.headline) or "No drill answers in this period.")
        for key, text in format_figures(report).items():
            self.values[key].setText(text)

        def share(value: float | None) -> str:
            return "—" if value is None else percent(value)

        _fill(self.tables["retention_by_kind"],
              [[kind_title(r.name), f"{r.review_answers:,}", share(r.share)]
               for r in report.retention_by_kind], "No answers on review cards yet")
        _fill(self.tables["retention_by_deck"],
              [[r.name, f"{r.review_answers:,}", share(r.share)]
               for r in report.retention_by_deck], "No answers on review cards yet")
        _fill(self.tables["mastery"],
              [[kind_title(m.kind), *(f"{n:,}" for n in (m.new, m.learning, m.young, m.mature))]
               for m in report.mastery], "No cards yet")
        _fill(self.tables["hardest"],
              [[c.headline, c.deck, str(c.lapses), str(c.again)] for c in report.hardest[:10]],
              "No card forgotten in this period")
        self._schedule_charts()

    # -- charts ----------------------------------------------------------------------------
    def _load_charts(self) -> None:
        load_charts_in_steps(lambda exc: self._loaded(exc) if isValid(self) else None)

    def _loaded(self, exc: BaseException | None) -> None:
        if exc is not None:
            self._charts_failed(exc)
        else:
            self._schedule_charts()

    def _charts_failed(self, exc: BaseException) -> None:
        for slot in self.slots.values():
            slot.placeholder.setText(f"The charts cannot be drawn ({type(exc).__name__}).")

    def _schedule_charts(self) -> None:
        """Draw the charts one per turn of the event loop, once matplotlib is loaded."""
        if self.report is None or not charts_loaded():
            return
        for slot in self.slots.values():
            slot.set_waiting()
        pending = not self._to_draw
        self._to_draw = list(self.slots.values())
        if pending:
            QTimer.singleShot(0, self._draw_next)

    def _draw_next(self) -> None:
        if not self._to_draw or self.report is None:
            return
        slot = self._to_draw.pop(0)
        dark = theme.is_dark()
        slot.draw(self.report, dark)
        self._drawn_dark = dark
        if self._to_draw:
            QTimer.singleShot(0, self._draw_next)

    @property
    def charts_drawn(self) -> bool:
        return not self._to_draw and all(
            s.canvas is not None and s.canvas.isVisibleTo(s) for s in self.slots.values())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if (event.type() == QEvent.Type.PaletteChange and self._drawn_dark is not None
                and self._drawn_dark != theme.is_dark()):
            self._schedule_charts()  # the other palette
