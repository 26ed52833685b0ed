"""How labels, statuses and zones look in the document view."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtGui

PROPOSED = "proposed"
ACCEPTED = "accepted"
REJECTED = "rejected"

FILL_ALPHA = {PROPOSED: 48, ACCEPTED: 110, REJECTED: 0}
SELECTED_FILL_ALPHA = 150
UNDERLINE_WIDTH = {PROPOSED: 1.5, ACCEPTED: 2.0}
UNDERLINE_GAP = 3.0  # vertical distance between the underlines of nested mentions
MAX_UNDERLINE_LEVEL = 3  # deeper nesting shares the last underline row
REJECTED_COLOR = "#8c8c8c"
REJECTED_WASH_ALPHA = 150  # base colour laid over rejected text, which turns it grey
STRIKE_HEIGHT = 0.6  # where the strikethrough crosses a line, from its top
BOILERPLATE_COLOR = "#7a7a7a"
ENTITY_BORDER_COLOR = "#f0a000"
EVIDENCE_COLOR = "#fff1a8"  # a fact's evidence sentence: a pale band beneath everything
EVIDENCE_EDGE_COLOR = "#e0b400"  # the bar in the left margin beside the evidence lines
HEADLINE_SCALE = 1.35
LINE_HEIGHT_PERCENT = 135
UNKNOWN_LABEL_COLOR = "#808080"


@dataclass(frozen=True, slots=True)
class LabelStyle:
    """A label's name, colour ("#rrggbb") and hotkey."""

    name: str
    color: str
    hotkey: str | None = None


def style_for(labels: dict[str, LabelStyle], label: str) -> LabelStyle:
    """The style of `label`, grey when the label set does not know it."""
    return labels.get(label) or LabelStyle(label, UNKNOWN_LABEL_COLOR)


def fill_color(color: str, status: str, selected: bool = False) -> QtGui.QColor:
    """Background of a mention: a tint for proposed, a stronger one for accepted."""
    fill = QtGui.QColor(color)
    alpha = FILL_ALPHA.get(status, FILL_ALPHA[PROPOSED])
    if selected and status != REJECTED:
        alpha = max(alpha, SELECTED_FILL_ALPHA)
    fill.setAlpha(alpha)
    return fill


def line_pen(color: str, status: str) -> QtGui.QPen:
    """Underline of a mention: dashed for proposed, solid and thicker for accepted."""
    pen = QtGui.QPen(QtGui.QColor(color).darker(115))
    pen.setWidthF(UNDERLINE_WIDTH.get(status, UNDERLINE_WIDTH[PROPOSED]))
    pen.setCapStyle(QtGui.Qt.PenCapStyle.FlatCap)
    if status != ACCEPTED:
        pen.setDashPattern([3.0, 2.0])
    return pen


def selected_pen(color: str) -> QtGui.QPen:
    """Outline of the selected mention."""
    pen = QtGui.QPen(QtGui.QColor(color).darker(220))
    pen.setWidthF(2.0)
    pen.setJoinStyle(QtGui.Qt.PenJoinStyle.RoundJoin)
    return pen


def entity_pen() -> QtGui.QPen:
    """Thick border around the mentions of the entity picked in the sidebar."""
    color = QtGui.QColor(ENTITY_BORDER_COLOR)
    color.setAlpha(220)
    pen = QtGui.QPen(color)
    pen.setWidthF(3.0)
    pen.setJoinStyle(QtGui.Qt.PenJoinStyle.RoundJoin)
    return pen


def rejected_pen() -> QtGui.QPen:
    """Strikethrough of a rejected mention."""
    pen = QtGui.QPen(QtGui.QColor(REJECTED_COLOR))
    pen.setWidthF(1.2)
    return pen
