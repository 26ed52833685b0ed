"""Views that read the project only when they are on screen (the timeline, the network)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent, QShowEvent
from PySide6.QtWidgets import QWidget


def on_screen(widget: QWidget) -> bool:
    """Whether some of the widget is on screen (a dock behind another tab counts as
    visible to Qt, but shows nothing)."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


class ReadsWhenShown(QWidget):
    """A view whose `refresh` reads the project; asked while off screen it only sets
    `_stale`, and the read happens once the view shows (after its layout settles) or its
    dock tab comes to the front (which paints without a show event)."""

    _stale = False  # a read is due the next time the view is on screen

    def refresh(self) -> None:  # pragma: no cover - every view defines its own
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._read_when_due()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self._read_when_due()

    def _read_when_due(self) -> None:
        if self._stale:
            QTimer.singleShot(0, self._refresh_if_stale)

    def _refresh_if_stale(self) -> None:
        if self._stale and on_screen(self):
            self.refresh()
