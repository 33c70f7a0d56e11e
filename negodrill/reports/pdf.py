"""The progress report as an A4 PDF: Qt's QPdfWriter and QTextDocument (the one module outside
negodrill/ui allowed to import Qt, see pyproject's import contract), charts as PNG images.

The document is laid out on pages the height of the text area less a footer, and each page is
drawn with `QTextDocument.drawContents` clipped to its rectangle, then a footer with the title
and "Page n of m". Images are scaled to the text width, tables take the text width, so nothing
runs into the margins. Qt needs a QGuiApplication for fonts: when none exists one is created
(offscreen, for this export only: a PDF needs no window).
"""

from __future__ import annotations

import os
from html import escape

from negodrill.reports import charts
from negodrill.reports.exporting import ReportError, ReportMeta
from negodrill.reports.html_report import headline_html, sections, title_lines
from negodrill.reports.progress import ProgressReport

MARGIN_MM = 15.0
RESOLUTION = 300  # layout units per inch: fonts in points scale to it
CHART_DPI = 200
_app: object = None  # the QGuiApplication this module had to create, kept alive

_STYLE = """
body { color: #1f1f1f; }
h1 { font-size: 18pt; margin-bottom: 2pt; }
h2 { font-size: 14pt; margin-top: 0; margin-bottom: 6pt; color: #2f5fa0; }
h3 { font-size: 11pt; margin-top: 10pt; margin-bottom: 4pt; }
p { margin-top: 2pt; margin-bottom: 4pt; }
.muted { color: #5f6368; }
.lead { font-size: 11.5pt; }
table { border-collapse: collapse; margin-top: 4pt; margin-bottom: 6pt; }
th { background-color: #f1f3f4; border: 0.5px solid #c8ccd0; }
td { border: 0.5px solid #dadce0; }
"""


def _ensure_app() -> None:
    global _app
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        return
    # Drawing a PDF needs no window: offscreen, unless the learner chose a platform. (With a
    # DISPLAY that cannot be reached, the xcb plugin would abort the whole process.)
    chosen = bool(os.environ.get("QT_QPA_PLATFORM"))
    if not chosen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        _app = QGuiApplication([])
    finally:
        if not chosen:
            del os.environ["QT_QPA_PLATFORM"]


def render_pdf(report: ProgressReport, meta: ReportMeta) -> bytes:
    """The whole report as PDF bytes."""
    _ensure_app()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QUrl
    from PySide6.QtGui import (
        QColor,
        QFont,
        QImage,
        QPageLayout,
        QPageSize,
        QPainter,
        QPdfWriter,
        QTextDocument,
    )

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    title, subtitle = title_lines(report, meta)
    writer.setTitle(title)
    writer.setCreator("negodrill")
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter))
    area = writer.pageLayout().paintRectPixels(RESOLUTION)
    width, height = float(area.width()), float(area.height())
    footer = RESOLUTION * 0.35  # a line of small text and some room above it

    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    font = QFont("DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(9.5)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(_STYLE)
    doc.setDocumentMargin(0)
    doc.setPageSize(QSizeF(width, height - footer))

    def chart(name: str) -> str:
        if name not in charts.CHARTS:
            return ""
        image = QImage.fromData(charts.png(name, report, dpi=CHART_DPI))
        if image.isNull():
            raise ReportError(f"the {name} chart could not be drawn")
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart://{name}.png"),
                        image)
        # Qt scales an <img>'s size from 96 dpi to the device's: ask for the text width.
        shown = width * 96 / writer.logicalDpiX()
        tall = shown * image.height() / max(1, image.width())
        return f'<p><img src="chart://{name}.png" width="{shown:.0f}" height="{tall:.0f}"></p>'

    parts = [f"<h1>{escape(title)}</h1>", f'<p class="muted">{escape(subtitle)}</p>',
             headline_html(report)]
    for i, s in enumerate(sections(report, chart)):
        brk = ' style="page-break-before: always"' if i else ""
        parts.append(f"<h2{brk}>{escape(s.title)}</h2>{s.body}")
    doc.setHtml("<html><body>" + "".join(parts) + "</body></html>")

    pages = doc.pageCount()
    body_height = height - footer
    painter = QPainter()
    if not painter.begin(writer):
        raise ReportError("the PDF could not be started")
    try:
        small = QFont(font)
        small.setPointSizeF(8)
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * body_height)
            doc.drawContents(painter, QRectF(0, page * body_height, width, body_height))
            painter.restore()
            painter.setFont(small)
            painter.setPen(QColor("#5f6368"))
            line = QRectF(0, height - footer * 0.6, width, footer * 0.6)
            painter.drawText(line, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                             title)
            painter.drawText(line, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                             f"Page {page + 1} of {pages}")
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())
