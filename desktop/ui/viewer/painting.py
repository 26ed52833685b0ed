"""Painting mention highlights: tints beneath the text, lines and outlines above it.

Nested and crossing mentions stay visible: every mention adds its own tint (so the
inner part of a nesting is darker), the outermost level is underlined at the bottom of
the line, and each deeper level gets a box of its own, inset a little more per level.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtCore, QtGui

from desktop.ui.viewer import styles
from desktop.ui.viewer.mention_index import PlacedMention


@dataclass(frozen=True, slots=True)
class Highlight:
    """A visible mention, its colour and its rectangles on screen (one a line)."""

    placed: PlacedMention
    color: str
    rects: list[QtCore.QRectF]

    @property
    def status(self) -> str:
        """The mention's status."""
        return self.placed.record.status


def paint_evidence(painter: QtGui.QPainter, rects: list[QtCore.QRectF]) -> None:
    """A fact's evidence: a pale band beneath the mention tints, and a bar in the margin."""
    if not rects:
        return
    painter.setPen(QtCore.Qt.PenStyle.NoPen)
    band = QtGui.QColor(styles.EVIDENCE_COLOR)
    for rect in rects:
        painter.fillRect(rect.adjusted(-2.0, 0.0, 2.0, 0.0), band)
    top = min(rect.top() for rect in rects)
    bottom = max(rect.bottom() for rect in rects)
    painter.fillRect(
        QtCore.QRectF(2.0, top, 4.0, bottom - top), QtGui.QColor(styles.EVIDENCE_EDGE_COLOR)
    )


def paint_fills(painter: QtGui.QPainter, highlights: list[Highlight], selected: int | None) -> None:
    """Tints beneath the text, outer levels first."""
    painter.setPen(QtCore.Qt.PenStyle.NoPen)
    for item in highlights:
        if item.status == styles.REJECTED and item.placed.id != selected:
            continue
        color = item.color if item.status != styles.REJECTED else styles.REJECTED_COLOR
        fill = styles.fill_color(color, item.status, selected=item.placed.id == selected)
        if item.status == styles.REJECTED:
            fill.setAlpha(styles.FILL_ALPHA[styles.PROPOSED])
        for rect in item.rects:
            painter.fillRect(rect, fill)


def paint_rejected(
    painter: QtGui.QPainter, highlights: list[Highlight], base: QtGui.QColor
) -> None:
    """Rejected mentions: the text washed out to grey and struck through, no fill."""
    wash = QtGui.QColor(base)
    wash.setAlpha(styles.REJECTED_WASH_ALPHA)
    pen = styles.rejected_pen()
    for item in highlights:
        if item.status != styles.REJECTED:
            continue
        painter.setPen(pen)
        for rect in item.rects:
            painter.fillRect(rect, wash)
            y = rect.top() + rect.height() * styles.STRIKE_HEIGHT
            painter.drawLine(QtCore.QPointF(rect.left(), y), QtCore.QPointF(rect.right(), y))


def _inset(rect: QtCore.QRectF, level: int) -> QtCore.QRectF:
    depth = min(level, styles.MAX_UNDERLINE_LEVEL)
    vertical = 1.0 + depth
    return rect.adjusted(0.75, vertical, -0.75, -vertical)


def paint_lines(painter: QtGui.QPainter, highlights: list[Highlight]) -> None:
    """Underlines for outermost mentions and boxes for nested ones (rejected: none)."""
    painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    for item in highlights:
        if item.status == styles.REJECTED:
            continue
        pen = styles.line_pen(item.color, item.status)
        painter.setPen(pen)
        for rect in item.rects:
            if item.placed.level == 0:
                y = rect.bottom() - pen.widthF() / 2
                painter.drawLine(QtCore.QPointF(rect.left(), y), QtCore.QPointF(rect.right(), y))
            else:
                painter.drawRoundedRect(_inset(rect, item.placed.level), 2.0, 2.0)


def paint_outlines(
    painter: QtGui.QPainter,
    highlights: list[Highlight],
    selected: int | None,
    entity: frozenset[int],
) -> None:
    """The entity's mentions get a thick border; the selected mention an outline."""
    painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    for item in highlights:
        if item.placed.id in entity:
            painter.setPen(styles.entity_pen())
            for rect in item.rects:
                painter.drawRoundedRect(rect.adjusted(-1.5, -0.5, 1.5, 0.5), 3.0, 3.0)
    for item in highlights:
        if item.placed.id == selected:
            painter.setPen(styles.selected_pen(item.color))
            for rect in item.rects:
                painter.drawRoundedRect(rect.adjusted(-0.5, 0.5, 0.5, -0.5), 2.5, 2.5)
