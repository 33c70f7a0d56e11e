"""The Progress charts as matplotlib Figures (no Qt, no pyplot): the page and the report share them.

`figure(name, report)` builds a `matplotlib.figure.Figure` directly (no global pyplot state, so
it is safe to build figures anywhere); `svg()` and `png()` render one for the HTML/PDF report.
matplotlib is imported inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from negodrill.reports.progress import FlawSummary, ProgressReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CHARTS: tuple[str, ...] = ("habit", "reviews", "retention", "forecast", "calibration")
TITLES = {
    "habit": "First answers the coach accepted, per week",
    "reviews": "Reviews per day",
    "retention": "Remembered on review cards, per technique",
    "forecast": "Cards due in the next 30 days",
    "calibration": "Predicted vs actual recall",
}
NO_REVIEWS = "No reviews yet"
FLAW_LINES = 3  # the top flaws drawn on the habit chart
KIND_TITLES = {
    "no-question": "No-oriented questions",
    "mislabel": "Deliberate mislabels",
    "drill": "Drills",
    "basic": "Basic cards",
    "choice": "Choice cards",
}


@dataclass(frozen=True)
class Palette:
    background: str
    text: str
    muted: str
    grid: str
    good: str
    bad: str
    accent: str  # bars without a judgement (reviews, forecast)
    series: tuple[str, ...]  # the flaw lines


# The app's colours (negodrill/ui/theme.py): the card background (palette base), its text, and
# the chip colours; copied here because reports must not import the UI.
LIGHT = Palette(background="#ffffff", text="#1f1f1f", muted="#5f6368", grid="#dadce0",
                good="#1e7b3a", bad="#b3261e", accent="#2f5fa0",
                series=("#b3261e", "#7a4fa3", "#17756f"))
DARK = Palette(background="#2d3035", text="#e8e8e8", muted="#a8adb4", grid="#45494f",
               good="#7fd49a", bad="#f2a199", accent="#9dbff0",
               series=("#f2a199", "#cfb0ef", "#6fd1c7"))


def palette(dark: bool) -> Palette:
    return DARK if dark else LIGHT


def kind_title(kind: str) -> str:
    """A card kind (drill technique or card type) in the learner's words."""
    return KIND_TITLES.get(kind, kind.replace("-", " ").replace("_", " ").capitalize())


# -- figures ------------------------------------------------------------------------------------
def figure(name: str, report: ProgressReport, *, dark: bool = False, width_in: float = 6.4,
           height_in: float = 2.6) -> Figure:
    """The chart `name` (one of CHARTS) of `report`, in the light or dark palette."""
    if name not in _DRAW:
        raise ValueError(f"unknown chart {name!r}; choose one of {', '.join(CHARTS)}")
    from matplotlib.figure import Figure

    colors = palette(dark)
    fig = Figure(figsize=(width_in, height_in), facecolor=colors.background)
    ax = fig.add_subplot()
    _style(ax, colors)
    title = fig.text(0, 1, TITLES[name], ha="left", va="top", fontsize=10, fontweight="bold",
                     color=colors.text)
    margins = _DRAW[name](ax, report, colors)
    fig.set_layout_engine(_fixed_margins(margins, title))
    return fig


@dataclass(frozen=True)
class Margins:
    """Room around the plot, in inches: what its labels need at any figure size."""

    left: float = 0.2
    right: float = 0.25
    bottom: float = 0.12
    top: float = 0.42  # the title
    title_x: float = 0.1
    title_y: float = 0.07


def _fixed_margins(margins: Margins, title: Any) -> Any:
    """A layout engine that keeps `margins` in inches whatever the size: as readable as
    constrained layout here, for a fraction of its cost (it measures every label on each
    draw; the margins are measured once, on the few labels that decide them)."""
    from matplotlib.layout_engine import LayoutEngine

    class FixedMargins(LayoutEngine):
        _adjust_compatible = True
        _colorbar_gridspec = False

        def execute(self, fig: Any) -> None:
            width, height = fig.get_size_inches()
            left = min(margins.left / width, 0.45)
            right = max(1 - margins.right / width, left + 0.1)
            bottom = min(margins.bottom / height, 0.45)
            top = max(1 - margins.top / height, bottom + 0.1)
            fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
            title.set_position((margins.title_x / width, 1 - margins.title_y / height))

    return FixedMargins()


def _text_in(texts: list[str], size: float = 8) -> float:
    """The width of the widest of `texts` in inches, from the font's metrics alone."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure, font = TextToPath(), FontProperties(family="sans-serif", size=size)
    return max((measure.get_text_width_height_descent(t, font, ismath=False)[0]
                for t in texts), default=0.0) / 72


Y_LABEL = 0.35  # the rotated axis label, its pad, the ticks and their pad (inches)
DATE_AXIS = 0.42  # tick labels and the month/year offset under them
X_LABEL = 0.45  # tick labels and an axis label


def _style(ax: Axes, colors: Palette) -> None:
    ax.set_facecolor(colors.background)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(colors.grid)
    ax.tick_params(colors=colors.muted, labelsize=8, labelcolor=colors.text)
    ax.xaxis.label.set_color(colors.text)
    ax.yaxis.label.set_color(colors.text)
    ax.xaxis.label.set_fontsize(8.5)
    ax.yaxis.label.set_fontsize(8.5)
    ax.grid(True, axis="y", color=colors.grid, linewidth=0.6)
    ax.set_axisbelow(True)


def _empty(ax: Axes, colors: Palette, text: str = NO_REVIEWS) -> Margins:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=10,
            color=colors.muted)
    return Margins()


def _percent_axis(ax: Axes, axis: str = "y") -> None:
    from matplotlib.ticker import PercentFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
    (ax.set_ylim if axis == "y" else ax.set_xlim)(0, 100)


def _date_axis(ax: Axes) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _x(days: list[date]) -> list[float]:
    """Days as matplotlib's date numbers (the date axis formats them back)."""
    from matplotlib.dates import date2num

    return [float(date2num(day)) for day in days]


def _day_limits(ax: Axes, days: list[float], margin: float) -> None:
    ax.set_xlim(days[0] - margin, days[-1] + margin)


def _habit(ax: Axes, report: ProgressReport, colors: Palette) -> Margins:
    weeks = [w for w in report.habit_weeks if w.first_answers]
    if not weeks:
        return _empty(ax, colors, NO_REVIEWS if not report.total_reviews else
                      "No drill answers yet")
    days = _x([w.week for w in weeks])
    handles: list[Any] = [ax.bar(days, [100 * (w.share or 0.0) for w in weeks], width=5,
                                 color=colors.good, alpha=0.55, label="Accepted")]
    flaws: list[FlawSummary] = list(report.top_flaws[:FLAW_LINES])
    for flaw, color in zip(flaws, colors.series, strict=False):
        handles += ax.plot(days, [100 * (w.flaw_share(flaw.code) or 0.0) for w in weeks],
                           color=color, marker="o", markersize=3, linewidth=1.6,
                           label=flaw.title)
    _percent_axis(ax)
    _date_axis(ax)
    ax.set_ylabel("Share of first answers")
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7.5,
              frameon=False, labelcolor=colors.text)
    legend = _text_in(["Accepted", *(f.title for f in flaws)], 7.5) + 0.55
    return Margins(left=Y_LABEL + _text_in(["100%"]), right=legend, bottom=DATE_AXIS)


def _reviews(ax: Axes, report: ProgressReport, colors: Palette) -> Margins:
    if not report.total_reviews:
        return _empty(ax, colors)
    days = _x([d.day for d in report.days])
    counts = [d.reviews for d in report.days]
    if len(days) <= 92:
        ax.bar(days, counts, width=0.85, color=colors.accent)
    else:  # one shape, not a bar per day: as it looks at this width, and far cheaper
        ax.stairs(counts, [day - 0.5 for day in days] + [days[-1] + 0.5], fill=True,
                  color=colors.accent, linewidth=0)
    _date_axis(ax)
    ax.set_ylabel("Reviews")
    _day_limits(ax, days, 0.5)
    most = max(d.reviews for d in report.days)
    return Margins(left=Y_LABEL + _text_in([str(round(most * 1.1)), "00"]), bottom=DATE_AXIS)


def _retention(ax: Axes, report: ProgressReport, colors: Palette) -> Margins:
    rows = [r for r in report.retention_by_kind if r.review_answers]
    if not rows:
        return _empty(ax, colors, NO_REVIEWS if not report.total_reviews else
                      "No answers on review cards yet")
    rows.reverse()  # matplotlib draws the first bar at the bottom
    names = [kind_title(r.name) for r in rows]
    values = [100 * (r.share or 0.0) for r in rows]
    bars = ax.barh(names, values, color=colors.good, height=0.6)
    labels = [f"{round(v)} % of {r.review_answers:,}" for v, r in zip(values, rows, strict=True)]
    ax.bar_label(bars, labels=labels, padding=3, fontsize=7.5, color=colors.text)
    _percent_axis(ax, "x")
    ax.set_xlim(0, 118)  # room for the labels
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.grid(True, axis="x", color=colors.grid, linewidth=0.6)
    ax.grid(False, axis="y")
    ax.set_xlabel("Remembered (count: answers on review cards)")
    return Margins(left=0.2 + _text_in(names), bottom=X_LABEL)


def _forecast(ax: Axes, report: ProgressReport, colors: Palette) -> Margins:
    if not report.forecast:
        return _empty(ax, colors)
    days = _x([d.day for d in report.forecast])
    due = [d.due for d in report.forecast]
    if not any(due):
        return _empty(ax, colors, "Nothing due in the next 30 days")
    ax.bar(days, due, width=0.8, color=colors.accent)
    _date_axis(ax)
    ax.set_ylabel("Cards due")
    _day_limits(ax, days, 0.6)
    return Margins(left=Y_LABEL + _text_in([str(round(max(due) * 1.1)), "00"]),
                   bottom=DATE_AXIS)


def _calibration(ax: Axes, report: ProgressReport, colors: Palette) -> Margins:
    buckets = [b for b in report.calibration
               if b.reviews and b.predicted is not None and b.actual is not None]
    if not buckets:
        return _empty(ax, colors, NO_REVIEWS if not report.total_reviews else
                      "No answers on review cards yet")
    ax.plot([0, 100], [0, 100], linestyle="--", color=colors.muted, linewidth=1,
            label="Perfect prediction")
    xs = [100 * (b.predicted or 0.0) for b in buckets]
    ys = [100 * (b.actual or 0.0) for b in buckets]
    biggest = max(b.reviews for b in buckets)
    sizes = [12 + 60 * b.reviews / biggest for b in buckets]
    ax.plot(xs, ys, color=colors.accent, linewidth=1.4, zorder=2)
    ax.scatter(xs, ys, s=sizes, color=colors.accent, zorder=3,
               label=f"You ({report.calibration_reviews:,} answers)")
    _percent_axis(ax)
    _percent_axis(ax, "x")
    ax.grid(True, axis="x", color=colors.grid, linewidth=0.6)
    ax.set_xlabel("Predicted chance to remember")
    ax.set_ylabel("Remembered")
    ax.legend(loc="upper left", fontsize=7.5, frameon=False, labelcolor=colors.text)
    return Margins(left=Y_LABEL + _text_in(["100%"]), bottom=X_LABEL)


_DRAW: dict[str, Callable[[Axes, ProgressReport, Palette], Margins]] = {
    "habit": _habit,
    "reviews": _reviews,
    "retention": _retention,
    "forecast": _forecast,
    "calibration": _calibration,
}


# -- files ----------------------------------------------------------------------------------------
_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_STYLE = re.compile(r"<style[^>]*>.*?</style>\s*", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


def svg(name: str, report: ProgressReport, *, dark: bool = False) -> str:
    """The chart as an `<svg ...>` element to inline in HTML: no XML declaration, no DOCTYPE, no
    script, no global style sheet, text drawn as paths (no font needed to show it)."""
    import matplotlib

    fig = figure(name, report, dark=dark)
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": f"negodrill-{name}"}):
        fig.savefig(out, format="svg", facecolor=fig.get_facecolor(),
                    metadata={"Date": None, "Creator": None})
    text = _PROLOGUE.sub("", out.getvalue(), count=1)
    text = _METADATA.sub("", text)
    # matplotlib's `*{stroke-linejoin: round; ...}` would style the whole HTML page once inlined;
    # the same properties, inherited from the root element, stay inside the chart.
    text = _STYLE.sub("", text)
    title = TITLES[name].replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return text.replace(
        "<svg ", f'<svg role="img" aria-label="{title}" '
        'style="stroke-linejoin: round; stroke-linecap: butt" ', 1).strip()


def png(name: str, report: ProgressReport, *, dpi: int = 150) -> bytes:
    """The chart in the light palette as PNG bytes."""
    fig = figure(name, report)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, facecolor=fig.get_facecolor())
    return out.getvalue()


def empty_report(today: date) -> ProgressReport:
    """A report with no figures (what a new collection shows)."""
    return ProgressReport(today=today, since=None, deck_ids=None)
