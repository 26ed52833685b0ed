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
            for index in _line_numbers(layout, start - base, end - base):
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


def _line_numbers(layout: QtGui.QTextLayout, start: int, end: int) -> range:
    """The numbers of the lines of a block's layout that [start, end) may touch (positions
    relative to the block): only those, not every line of a long paragraph."""
    count = layout.lineCount()
    first = layout.lineForTextPosition(max(start, 0)) if start > 0 else layout.lineAt(0)
    last = layout.lineForTextPosition(end - 1) if end > 0 else first
    low = first.lineNumber() if first.isValid() else 0
    high = last.lineNumber() if last.isValid() else count - 1
    return range(low, min(high, count - 1) + 1)


def _x(line: QtGui.QTextLine, position: int) -> float:
    """The x of a cursor position in a line (PySide returns (x, position))."""
    result = line.cursorToX(position)
    return float(result[0] if isinstance(result, tuple) else result)  # type: ignore[arg-type]


def contains(rects: list[QtCore.QRectF], point: QtCore.QPointF) -> bool:
    """Whether `point` falls in one of `rects`."""
    return any(rect.contains(point) for rect in rects)
