"""The painted timeline: dated facts on a time axis, one lane per fact type.

Wheel or Ctrl+= / Ctrl+- zoom around the pointer, a drag pans, a click selects the
nearest fact. A fact dated to a day is a dot; one dated to a month, a year or a period is
a bar over the days it covers. Labels are drawn where the lane has room for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.core.records import FactRecord
from desktop.ui.panels import timeline_axis as axis

LANE_COLORS = {  # the Okabe–Ito colours: told apart also by colour-blind readers
    "MEETING": "#0072B2",
    "AGREEMENT": "#009E73",
    "STATISTIC": "#D55E00",
    "EVENT": "#CC79A7",
    "FUNDING": "#E69F00",
    "ROLE": "#56B4E9",
    "STATEMENT": "#6E6E6E",
}
OTHER_COLOR = "#444444"
LANE_HEIGHT = 44.0  # the least a lane wants; lanes share out the height up to MAX_LANE
MAX_LANE = 96.0
LANE_TITLE_WIDTH = 96.0
AXIS_HEIGHT = 30.0
DOT_RADIUS = 5.0
ZOOM_STEP = 1.25
MIN_PX_PER_DAY, MAX_PX_PER_DAY = 0.002, 400.0
CLICK_REACH = 8.0  # pixels around a mark that still select it


@dataclass(frozen=True, slots=True)
class Mark:
    """One fact on the axis: its lane, its days, its label."""

    fact: FactRecord
    lane: str
    span: axis.Span
    label: str
    tip: Callable[[], str]  # made when hovered: most marks are never


class TimelineCanvas(QWidget):
    """Facts on a time axis; zoom, pan, click to select.

    Signals:
        fact_clicked(object): a mark was clicked (its FactRecord).
        scale_changed(): the zoom or the scroll changed (the tick unit may have too).
    """

    fact_clicked = Signal(object)
    scale_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.marks: list[Mark] = []
        self.lanes: list[str] = []
        self.selected: int | None = None  # fact id
        self.origin = 0.0  # the day at the left edge of the plot
        self.px_per_day = 1.0
        self._drag: tuple[float, float, bool] | None = None  # x, origin, moved
        self._fitted = True  # follows the widget's size until the user zooms or pans
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.0))
        self.setFont(font)

    def sizeHint(self) -> QSize:
        return QSize(640, int(AXIS_HEIGHT + 4 * LANE_HEIGHT))

    # -- state ----------------------------------------------------------------
    def set_marks(self, marks: list[Mark]) -> None:
        """Show these marks (in lanes by fact type, schema order) and fit them in."""
        order = list(LANE_COLORS)
        self.marks = sorted(marks, key=lambda m: (m.span.first, m.fact.id))
        lanes = {m.lane for m in marks}
        self.lanes = sorted(lanes, key=lambda t: (order.index(t) if t in order else 99, t))
        if self.selected is not None and all(m.fact.id != self.selected for m in marks):
            self.selected = None
        self.setMinimumHeight(int(AXIS_HEIGHT + max(len(self.lanes), 1) * LANE_HEIGHT * 0.6))
        self.fit()

    def plot_width(self) -> float:
        return max(self.width() - LANE_TITLE_WIDTH - 16, 40.0)

    def fit(self) -> None:
        """Zoom so that every mark is in view, with a margin (and keep so on resizes)."""
        self._fitted = True
        if not self.marks:
            self.origin, self.px_per_day = 0.0, 1.0
        else:
            first = min(m.span.first for m in self.marks)
            last = max(m.span.last for m in self.marks)
            days = max(last - first, 20) * 1.08
            self.px_per_day = min(max(self.plot_width() / days, MIN_PX_PER_DAY), MAX_PX_PER_DAY)
            middle = (first + last) / 2
            self.origin = middle - self.plot_width() / self.px_per_day / 2
        self.update()
        self.scale_changed.emit()

    def unit(self) -> str:
        """The tick unit at the current zoom: 'year', 'month' or 'day'."""
        return axis.tick_unit(self.px_per_day)

    def x_of(self, day: float) -> float:
        """The x (widget pixels) of a day number."""
        return LANE_TITLE_WIDTH + (day - self.origin) * self.px_per_day

    def day_at(self, x: float) -> float:
        return self.origin + (x - LANE_TITLE_WIDTH) / self.px_per_day

    def lane_top(self, lane: str) -> float:
        return self.lanes.index(lane) * self._lane_height()

    def _lane_height(self) -> float:
        usable = self.height() - AXIS_HEIGHT
        return min(MAX_LANE, usable / max(len(self.lanes), 1))

    def mark_rect(self, mark: Mark) -> QRectF:
        """Where a mark is drawn."""
        middle = self.lane_top(mark.lane) + self._lane_height() / 2
        x1, x2 = self.x_of(mark.span.first), self.x_of(mark.span.last + 1)
        if x2 - x1 < 2 * DOT_RADIUS:
            centre = (x1 + x2) / 2
            x1, x2 = centre - DOT_RADIUS, centre + DOT_RADIUS
        return QRectF(x1, middle - DOT_RADIUS, x2 - x1, 2 * DOT_RADIUS)

    def zoom(self, factor: float, at_x: float | None = None) -> None:
        """Zoom by `factor` keeping the day under `at_x` (default: the middle) in place."""
        x = at_x if at_x is not None else LANE_TITLE_WIDTH + self.plot_width() / 2
        day = self.day_at(x)
        self._fitted = False
        scale = min(max(self.px_per_day * factor, MIN_PX_PER_DAY), MAX_PX_PER_DAY)
        self.px_per_day = scale
        self.origin = day - (x - LANE_TITLE_WIDTH) / scale
        self.update()
        self.scale_changed.emit()

    def mark_at(self, point: QPointF) -> Mark | None:
        """The mark nearest a point, within CLICK_REACH pixels."""
        best, distance = None, CLICK_REACH
        for mark in self.marks:
            rect = self.mark_rect(mark)
            dx = max(rect.left() - point.x(), 0.0, point.x() - rect.right())
            dy = max(rect.top() - point.y(), 0.0, point.y() - rect.bottom())
            d = max(dx, dy)
            if d <= distance:
                best, distance = mark, d
        return best

    def select(self, fact_id: int | None) -> None:
        self.selected = fact_id
        self.update()

    # -- painting -------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        text_color = palette.color(QPalette.ColorRole.Text)
        faint = palette.color(QPalette.ColorRole.Mid)
        metrics = QFontMetricsF(self.font())
        lane_h = self._lane_height()
        plot_bottom = len(self.lanes) * lane_h
        first, last = int(self.day_at(LANE_TITLE_WIDTH)), int(self.day_at(self.width())) + 1
        # ticks and grid
        painter.setFont(self.font())
        for day, label in axis.ticks(first, last, self.unit(), self.px_per_day):
            x = self.x_of(day)
            if x < LANE_TITLE_WIDTH:
                continue
            painter.setPen(QPen(faint, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, 0), QPointF(x, plot_bottom))
            painter.setPen(text_color)
            painter.drawLine(QPointF(x, plot_bottom), QPointF(x, plot_bottom + 5))
            painter.drawText(QPointF(x + 3, plot_bottom + 6 + metrics.ascent()), label)
        painter.setPen(text_color)
        painter.drawLine(QPointF(LANE_TITLE_WIDTH, plot_bottom), QPointF(self.width(), plot_bottom))
        # lanes
        for i, lane in enumerate(self.lanes):
            top = i * lane_h
            if i % 2:
                painter.fillRect(
                    QRectF(0, top, self.width(), lane_h),
                    palette.color(QPalette.ColorRole.AlternateBase),
                )
            painter.setPen(QColor(LANE_COLORS.get(lane, OTHER_COLOR)))
            bold = QFont(self.font())
            bold.setBold(True)
            painter.setFont(bold)
            painter.drawText(
                QRectF(6, top, LANE_TITLE_WIDTH - 10, lane_h),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                lane.capitalize(),
            )
        painter.setFont(self.font())
        painter.setClipRect(QRectF(LANE_TITLE_WIDTH, 0, self.width(), plot_bottom))
        label_reach: dict[str, float] = {}
        selected_mark = None
        for mark in self.marks:
            rect = self.mark_rect(mark)
            if rect.right() < LANE_TITLE_WIDTH or rect.left() > self.width():
                continue
            color = QColor(LANE_COLORS.get(mark.lane, OTHER_COLOR))
            if mark.fact.status != "accepted":
                color.setAlpha(190)
            painter.setPen(QPen(color.darker(130), 1))
            painter.setBrush(color)
            if rect.width() > 2 * DOT_RADIUS + 0.5:
                painter.drawRoundedRect(rect.adjusted(0, 2, 0, -2), 3, 3)
            else:
                painter.drawEllipse(rect)
            if mark.fact.id == self.selected:
                selected_mark = (mark, rect)
            # a label over a bar's start, or right of a dot (left of it near the edge),
            # where the lane has room before the next label
            width = metrics.horizontalAdvance(mark.label)
            if rect.width() > 2 * DOT_RADIUS + 0.5:
                x = max(rect.left(), LANE_TITLE_WIDTH + 2)
            else:
                x = rect.right() + 4
                if x + width > self.width() - 4:
                    x = rect.left() - 4 - width
            x = min(x, self.width() - 4 - width)
            room = lane_h >= 2 * metrics.height() - 4
            if room and x >= label_reach.get(mark.lane, -1e9):
                painter.setPen(text_color)
                painter.drawText(QPointF(x, rect.top() - 3), mark.label)
                label_reach[mark.lane] = x + width + 12
        if selected_mark is not None:
            mark, rect = selected_mark
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2.5))
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 4, 4)
        painter.end()

    # -- input ----------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom(ZOOM_STEP**steps, event.position().x())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        key = event.key()
        if ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(ZOOM_STEP)
        elif ctrl and key == Qt.Key.Key_Minus:
            self.zoom(1 / ZOOM_STEP)
        elif ctrl and key == Qt.Key.Key_0:
            self.fit()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            shift = self.plot_width() / self.px_per_day / 10
            self.origin += shift if key == Qt.Key.Key_Right else -shift
            self._fitted = False
            self.update()
            self.scale_changed.emit()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag = (event.position().x(), self.origin, False)
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            x, origin, moved = self._drag
            dx = event.position().x() - x
            if moved or abs(dx) > 3:
                self._drag = (x, origin, True)
                self._fitted = False
                self.origin = origin - dx / self.px_per_day
                self.update()
                self.scale_changed.emit()
        else:
            mark = self.mark_at(event.position())
            self.setToolTip(mark.tip() if mark is not None else "")
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        if event.button() == Qt.MouseButton.LeftButton and drag is not None and not drag[2]:
            mark = self.mark_at(event.position())
            if mark is not None:
                self.select(mark.fact.id)
                self.fact_clicked.emit(mark.fact)
        super().mouseReleaseEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitted:
            self.fit()


__all__ = ["LANE_COLORS", "Mark", "TimelineCanvas"]
