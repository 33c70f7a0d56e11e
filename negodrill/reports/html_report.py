"""The progress report as one standalone HTML file, and the sections the PDF shares.

`sections(report, chart)` builds the report's sections as HTML fragments in the subset Qt's rich
text understands too (headings, paragraphs, plain tables); `chart(name)` returns the markup of a
chart: inline SVG here, an `<img>` of a PNG resource in the PDF.

The file is safe to open anywhere: a Content-Security-Policy that allows no script, no fetch and
no external resource (images only as data: URLs), no script at all, and every string that came
from the learner or a deck file (deck titles, card headlines, the learner's name, flaw codes)
escaped with `html.escape`. Print CSS starts each section on a new page and keeps the page light.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from negodrill.reports import charts
from negodrill.reports.exporting import ReportMeta
from negodrill.reports.progress import ProgressReport, Retention
from negodrill.reports.stats import percent

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
HABIT_WEEKS_SHOWN = 26  # the weekly table's latest weeks; the chart shows them all
Chart = Callable[[str], str]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    body: str


# -- small formatting ---------------------------------------------------------------------------
def _pct(value: float | None) -> str:
    return "–" if value is None else percent(value)


def _num(value: int) -> str:
    return f"{value:,}"


def duration_text(ms: int) -> str:
    minutes = round(ms / 60_000)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _day(day: date) -> str:
    return day.isoformat()


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, align: str = "l",
          empty: str = "Nothing yet.") -> str:
    """A plain table; cells are already-escaped HTML. `align` has an l or r per column (the last
    letter goes for the columns after it); the default: text first, numbers after."""
    if not rows:
        return f'<p class="muted">{escape(empty)}</p>'
    if len(align) == 1:
        align = "l" + "r" * (len(header) - 1)
    sides = [("right" if align[min(i, len(align) - 1)] == "r" else "left")
             for i in range(len(header))]
    head = "".join(f'<th align="{sides[i]}">{h}</th>' for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(f'<td align="{sides[i]}">{c}</td>' for i, c in enumerate(row)) + "</tr>"
        for row in rows)
    return (f'<table width="100%" cellspacing="0" cellpadding="4"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


# -- the sections ---------------------------------------------------------------------------
def title_lines(report: ProgressReport, meta: ReportMeta) -> tuple[str, str]:
    """(title, subtitle) as plain text."""
    title = f"Progress report — {meta.learner}" if meta.learner else "Progress report"
    decks = ", ".join(meta.decks) if meta.decks else "all decks"
    period = (f"{_day(report.since)} to {_day(report.today)}" if report.since
              else f"all time to {_day(report.today)}")
    made = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    return title, f"{decks}; {period}; made {made} by negodrill"


def summary_rows(report: ProgressReport) -> list[tuple[str, str]]:
    week = report.this_week
    retention = report.retention.share if report.retention else None
    return [
        ("Reviews", _num(report.total_reviews)),
        ("Study days", _num(report.study_days)),
        ("Time spent", duration_text(report.duration_ms)),
        ("Current streak", f"{report.current_streak} day(s)"),
        ("Best streak", f"{report.best_streak} day(s)"),
        ("True retention (review cards)", _pct(retention)),
        ("First drill answers", _num(report.first_answers)),
        ("Accepted by the coach this week",
         f"{_pct(week.share)} of {week.first_answers}" if week and week.first_answers else "–"),
    ]


def _summary(report: ProgressReport) -> str:
    rows = [(escape(k), escape(v)) for k, v in summary_rows(report)]
    return table(("Figure", "Value"), rows)


def _habit(report: ProgressReport, chart: Chart) -> str:
    parts = [chart("habit")]
    weeks = list(report.habit_weeks)
    shown = weeks[-HABIT_WEEKS_SHOWN:]
    rows = []
    for w in reversed(shown):
        flaws = ", ".join(f"{escape(_flaw_title(code))} ({n})"
                          for code, n in list(w.flaws.items())[:3])
        rows.append((escape(_day(w.week)), _num(w.first_answers), _num(w.accepted),
                     _pct(w.share), flaws or "–"))
    parts.append("<h3>Week by week</h3>")
    if len(weeks) > len(shown):
        parts.append(f'<p class="muted">The latest {len(shown)} of {len(weeks)} weeks, newest '
                     "first; the chart shows them all.</p>")
    parts.append(table(("Week of", "First answers", "Accepted", "Share", "Most frequent flaws"),
                       rows, align="lrrrl", empty="No drill answers in this period."))
    parts.append("<h3>Top flaws</h3>")
    parts.append(table(
        ("Flaw", "First answers with it", "Share", "First seen", "Last seen"),
        [(escape(f.title), _num(f.count), _pct(f.share), escape(_day(f.first_seen)),
          escape(_day(f.last_seen))) for f in report.top_flaws], align="lrrll",
        empty="The coach found no flaws in this period."))
    return "".join(parts)


def _flaw_title(code: str) -> str:
    from negodrill.core.coach.words import flaw_title

    return flaw_title(code)


def _reviews(report: ProgressReport, chart: Chart) -> str:
    months: dict[str, list[int]] = {}
    for d in report.days:
        m = months.setdefault(d.day.strftime("%Y-%m"), [0, 0, 0])
        m[0] += d.reviews
        m[1] += 1 if d.reviews else 0
        m[2] += d.duration_ms
    rows = [(escape(k), _num(v[0]), _num(v[1]), escape(duration_text(v[2])))
            for k, v in sorted(months.items(), reverse=True)]
    return chart("reviews") + "<h3>Per month</h3>" + table(
        ("Month", "Reviews", "Study days", "Time spent"), rows)


def _retention_rows(items: Sequence[Retention], names: Callable[[str], str]) -> list[tuple[
        str, ...]]:
    return [(escape(names(r.name)), _num(r.review_answers), _num(r.remembered), _pct(r.share))
            for r in items]


def _retention(report: ProgressReport, chart: Chart) -> str:
    header = ("Answers on review cards", "Remembered", "Share")
    return "".join([
        chart("retention"),
        "<h3>Per deck</h3>",
        table(("Deck", *header), _retention_rows(report.retention_by_deck, str),
              empty="No answers on review cards in this period."),
        "<h3>Per technique</h3>",
        table(("Technique or card type", *header),
              _retention_rows(report.retention_by_kind, charts.kind_title),
              empty="No answers on review cards in this period."),
    ])


def _mastery(report: ProgressReport) -> str:
    rows = [(escape(charts.kind_title(m.kind)), _num(m.new), _num(m.learning), _num(m.young),
             _num(m.mature), _num(m.total)) for m in report.mastery]
    return ('<p class="muted">Young: in review with a memory stability under 21 days; mature: '
            "21 days or more.</p>" + table(
                ("Technique or card type", "New", "Learning", "Young", "Mature", "Cards"), rows,
                empty="No cards yet."))


def _hardest(report: ProgressReport) -> str:
    rows = [(escape(c.headline), escape(c.deck), escape(charts.kind_title(c.kind)),
             _num(c.lapses), _num(c.again)) for c in report.hardest]
    return table(("Card", "Deck", "Kind", "Lapses", "Again"), rows, align="lllr",
                 empty="No card was forgotten in this period.")


def _forecast(report: ProgressReport, chart: Chart) -> str:
    due = [f.due for f in report.forecast]
    rows = [("Today (overdue included)", _num(sum(due[:1]))),
            ("Tomorrow", _num(sum(due[1:2]))),
            ("Next 7 days", _num(sum(due[:7]))),
            (f"Next {len(due)} days", _num(sum(due)))] if due else []
    return chart("forecast") + table(("When", "Cards due"), rows)


def _calibration(report: ProgressReport, chart: Chart) -> str:
    rows = [(f"{round(b.low * 100)}–{round(b.high * 100)} %", _num(b.reviews),
             _pct(b.predicted), _pct(b.actual)) for b in report.calibration if b.reviews]
    note = (f'<p class="muted">The scheduler\'s predicted chance of recall at each of the latest '
            f"{_num(report.calibration_reviews)} answers on review cards, against how many were "
            "remembered. Close figures mean the schedule fits your memory.</p>")
    return chart("calibration") + note + table(
        ("Predicted recall", "Answers", "Predicted (mean)", "Remembered"), rows,
        empty="No answers on review cards in this period.")


def sections(report: ProgressReport, chart: Chart) -> list[Section]:
    return [
        Section("summary", "Summary", _summary(report)),
        Section("habit", "The habit: first answers the coach accepted", _habit(report, chart)),
        Section("reviews", "Reviews per day", _reviews(report, chart)),
        Section("retention", "Retention", _retention(report, chart)),
        Section("mastery", "Mastery per technique", _mastery(report)),
        Section("hardest", "Hardest cards", _hardest(report)),
        Section("forecast", "Forecast", _forecast(report, chart)),
        Section("calibration", "Calibration", _calibration(report, chart)),
    ]


def headline_html(report: ProgressReport) -> str:
    return "".join(f"<p class=\"lead\">{escape(s)}</p>" for s in report.headline)


# -- the HTML file ------------------------------------------------------------------------------
_CSS = """
:root { color-scheme: light; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: #1f1f1f; background: #fff; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.25rem; margin: 0 0 .6rem; padding-bottom: .2rem;
  border-bottom: 2px solid #2f5fa0; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.muted, .sub { color: #5f6368; }
.lead { font-size: 1.1rem; margin: .4rem 0; }
.headline { border-left: 4px solid #1e7b3a; padding: .2rem 0 .2rem 1rem; margin: 1rem 0 1.5rem; }
section { margin: 2rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { border-bottom: 1px solid #dadce0; padding: .25rem .5rem; vertical-align: top; }
th { background: #f1f3f4; }
svg { display: block; max-width: 100%; height: auto; margin: .5rem 0 1rem; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  section { break-before: page; page-break-before: always; margin: 0; }
  section.first { break-before: auto; page-break-before: auto; }
  tr, svg { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  th { background: none; }
}
"""


def render_html(report: ProgressReport, meta: ReportMeta) -> str:
    """The whole report as one HTML document."""
    title, subtitle = title_lines(report, meta)
    body = []
    for i, s in enumerate(sections(report, svg_chart(report))):
        first = ' class="first"' if i == 0 else ""
        body.append(f'<section id="{s.key}"{first}><h2>{escape(s.title)}</h2>{s.body}</section>')
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style></head>\n<body>\n"
        f'<header><h1>{escape(title)}</h1><p class="sub">{escape(subtitle)}</p>'
        f'<div class="headline">{headline_html(report)}</div></header>\n'
        + "\n".join(body) + "\n</body></html>\n"
    )


def svg_chart(report: ProgressReport) -> Chart:
    def chart(name: str) -> str:
        return charts.svg(name, report) if name in charts.CHARTS else ""

    return chart
