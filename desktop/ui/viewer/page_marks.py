"""Page marks of a PDF or Word document: a thin rule and "p. N" where each page after the
first begins, drawn in the blank line the text keeps between pages."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from desktop.core.records import DocumentRecord
from desktop.ui.viewer import geometry
from desktop.ui.viewer.offsets import OffsetMap

MARK_COLOR = "#9aa5b1"
LABEL_POINT_SCALE = 0.75  # the label's type, against the view's


def page_positions(record: DocumentRecord, offsets: OffsetMap) -> list[tuple[int, int]]:
    """(page number, Qt position) of every page start after the first."""
    return [(n, offsets.to_qt(start)) for n, start in enumerate(record.page_starts, 1) if n > 1]


def mark_lines(
    view: QtWidgets.QPlainTextEdit, pages: list[tuple[int, int]]
) -> list[tuple[int, float]]:
    """(page number, y in the viewport) of the marks that show: the middle of the blank
    line before the page's first line, else just above that line."""
    if not pages:
        return []
    first, last = geometry.visible_range(view)
    offset = view.contentOffset()
    out = []
    for number, position in pages:
        if not first <= position < last:
            continue
        block = view.document().findBlock(position)
        before = block.previous()
        if before.isValid() and not before.text().strip() and before.isVisible():
            rect = view.blockBoundingGeometry(before).translated(offset)
            out.append((number, rect.center().y()))
        else:
            rect = view.blockBoundingGeometry(block).translated(offset)
            out.append((number, rect.top() + 1.0))
    return out


def paint_page_marks(
    painter: QtGui.QPainter, view: QtWidgets.QPlainTextEdit, lines: list[tuple[int, float]]
) -> None:
    """A thin rule across the text and "p. N" at its right end, for each mark shown."""
    if not lines:
        return
    font = QtGui.QFont(view.font())
    font.setPointSizeF(max(6.0, view.font().pointSizeF() * LABEL_POINT_SCALE))
    painter.setFont(font)
    metrics = QtGui.QFontMetricsF(font)
    color = QtGui.QColor(MARK_COLOR)
    margin = view.document().documentMargin()
    right = view.viewport().width() - margin
    for number, mid in lines:
        y = round(mid) + 0.5  # a one-pixel rule on one row of pixels
        label = f"p. {number}"
        width = metrics.horizontalAdvance(label)
        painter.setPen(QtGui.QPen(color, 1.0))
        painter.drawLine(QtCore.QPointF(margin, y), QtCore.QPointF(right - width - 6.0, y))
        baseline = y + (metrics.ascent() - metrics.descent()) / 2
        painter.drawText(QtCore.QPointF(right - width, baseline), label)
