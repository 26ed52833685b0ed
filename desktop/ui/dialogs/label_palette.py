"""A compact strip of label buttons ("1 PERSON") that never takes the keyboard focus."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QToolBar, QToolButton, QWidget

from desktop.core.records import LabelRecord


def swatch_icon(color: str, size: int = 12) -> QIcon:
    """A small rounded square filled with `color`, sharp on high-DPI screens."""
    ratio = 2.0
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(color)
    painter.setPen(fill.darker(130))
    painter.setBrush(fill)
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 2.5, 2.5)
    painter.end()
    return QIcon(pixmap)


def button_text(label: LabelRecord) -> str:
    """What a palette button shows: the hotkey, if any, then the name."""
    return f"{label.hotkey} {label.name}" if label.hotkey else label.name


def _escaped(text: str) -> str:
    return text.replace("&", "&&")


class LabelPalette(QWidget):
    """One flat button per label; labels that do not fit go to the strip's » menu.

    Signals:
        label_chosen(str): the name of the label whose button was clicked.
    """

    label_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._bar = QToolBar(self)
        self._bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._bar.setIconSize(QSize(12, 12))
        self._bar.setMovable(False)
        self._bar.setFloatable(False)
        self._bar.setStyleSheet("QToolBar { border: none; spacing: 2px; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._bar)
        self._actions: dict[str, QAction] = {}

    def set_labels(self, labels: list[LabelRecord]) -> None:
        """Show one button per label, in the given order."""
        self._bar.clear()
        self._actions.clear()
        for label in labels:
            action = QAction(swatch_icon(label.color), _escaped(button_text(label)), self._bar)
            action.setIconText(_escaped(button_text(label)))
            key = f"hotkey {label.hotkey}" if label.hotkey else "no hotkey"
            action.setToolTip(f"Label the selection {label.name} ({key})")
            action.triggered.connect(lambda _=False, name=label.name: self.label_chosen.emit(name))
            self._bar.addAction(action)
            button = self._bar.widgetForAction(action)
            if button is not None:
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self._actions[label.name] = action

    def button(self, name: str) -> QToolButton | None:
        """The button of a label, if it has one."""
        action = self._actions.get(name)
        widget = self._bar.widgetForAction(action) if action else None
        return widget if isinstance(widget, QToolButton) else None
