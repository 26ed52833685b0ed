"""A compact strip of label buttons ("1 PERSON") that never takes the keyboard focus."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolBar, QToolButton, QWidget

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


# What analysts of this news label first: people, organizations, places, dates, money,
# percentages, events. The rest follow by how often the project uses them.
FIRST = ("PERSON", "ORG", "GPE", "LOC", "DATE", "MONEY", "PERCENT", "EVENT")
MAX_SHOWN = 9  # buttons on the strip; the rest go behind "More"


def ordered(labels: list[LabelRecord], usage: dict[str, int] | None = None) -> list[LabelRecord]:
    """Labels in the palette's order: by hotkey, then the FIRST ones, then by use."""
    usage = usage or {}

    def key(label: LabelRecord) -> tuple:
        hot = label.hotkey if label.hotkey and label.hotkey.isdigit() else None
        first = FIRST.index(label.name) if label.name in FIRST else len(FIRST)
        return (hot is None, int(hot) if hot else 0, first, -usage.get(label.name, 0), label.name)

    return sorted(labels, key=key)


def _escaped(text: str) -> str:
    return text.replace("&", "&&")


class LabelPalette(QWidget):
    """One flat button per label in palette order; the rest behind a "More" menu.

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
        self.more_menu = QMenu("More", self)
        self.more_button = QToolButton()
        self.more_button.setText("More ▾")
        self.more_button.setToolTip("The other labels of the label set")
        self.more_button.setMenu(self.more_menu)
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.shown: list[str] = []  # label names on the strip, in order
        self.hidden: list[str] = []  # label names behind "More", in order

    def set_labels(self, labels: list[LabelRecord], usage: dict[str, int] | None = None) -> None:
        """Show the labels in palette order (see ordered()); the tail goes behind "More"."""
        self._bar.clear()
        self._actions.clear()
        self.more_menu.clear()
        labels = ordered(labels, usage)
        keyed = sum(1 for lb in labels if lb.hotkey)
        count = min(max(keyed, 1), MAX_SHOWN) if len(labels) > MAX_SHOWN else len(labels)
        self.shown = [lb.name for lb in labels[:count]]
        self.hidden = [lb.name for lb in labels[count:]]
        for index, label in enumerate(labels):
            action = QAction(swatch_icon(label.color), _escaped(button_text(label)), self._bar)
            action.setIconText(_escaped(button_text(label)))
            key = f"hotkey {label.hotkey}" if label.hotkey else "no hotkey"
            action.setToolTip(f"Label the selection {label.name} ({key})")
            action.triggered.connect(lambda _=False, name=label.name: self.label_chosen.emit(name))
            self._actions[label.name] = action
            if index >= count:
                self.more_menu.addAction(action)
                continue
            self._bar.addAction(action)
            button = self._bar.widgetForAction(action)
            if button is not None:
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if self.hidden:
            self._bar.addWidget(self.more_button)

    def button(self, name: str) -> QToolButton | None:
        """The button of a label, if it has one."""
        action = self._actions.get(name)
        widget = self._bar.widgetForAction(action) if action else None
        return widget if isinstance(widget, QToolButton) else None
