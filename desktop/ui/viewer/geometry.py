"""Where text ranges of a QPlainTextEdit are on screen, in viewport coordinates."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets


def visible_range(view: QtWidgets.QPlainTextEdit) -> tuple[int, int]:
    """Document positions [first, last) of the blocks that show in the viewport."""
    block = view.firstVisibleBlock()
    first = block.position() if block.isValid() else 0
    bottom = view.viewport().rect().bottom()
    offset = view.contentOffset()
    last = first
    while block.isValid():
        last = block.position() + block.length()
        if view.blockBoundingGeometry(block).translated(offset).bottom() > bottom:
            break
        block = block.next()
    return first, last


def line_rects(view: QtWidgets.QPlainTextEdit, start: int, end: int) -> list[QtCore.QRectF]:
    """One rectangle a line for the document range [start, end), line height tall.

    Only blocks with a layout (those shown so far) are measured; callers clip the range
    to the visible one.
    """
    rects: list[QtCore.QRectF] = []
    if end <= start:
        return rects
    offset = view.contentOffset()
    block = view.document().findBlock(start)
    while block.isValid() and block.position() < end:
        layout = block.layout()
        if block.isVisible() and layout is not None and layout.lineCount():
            origin = view.blockBoundingGeometry(block).translated(offset).topLeft()
            base = block.position()
            for index in range(layout.lineCount()):
                line = layout.lineAt(index)
                line_start = base + line.textStart()
                first = max(start, line_start)
                last = min(end, line_start + line.textLength())
                if first >= last:
                    continue
                left = _x(line, first - base)
                right = _x(line, last - base)
                rect = QtCore.QRectF(min(left, right), line.y(), abs(right - left), line.height())
                rects.append(rect.translated(origin))
        block = block.next()
    return rects


def _x(line: QtGui.QTextLine, position: int) -> float:
    """The x of a cursor position in a line (PySide returns (x, position))."""
    result = line.cursorToX(position)
    return float(result[0] if isinstance(result, tuple) else result)  # type: ignore[arg-type]


def contains(rects: list[QtCore.QRectF], point: QtCore.QPointF) -> bool:
    """Whether `point` falls in one of `rects`."""
    return any(rect.contains(point) for rect in rects)
