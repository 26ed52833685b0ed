"""Which keys the document view keeps: zoom keys yes; Tab and editing keys go to the window."""

from __future__ import annotations

from PySide6 import QtCore, QtGui

Key = QtCore.Qt.Key
Modifier = QtCore.Qt.KeyboardModifier

ZOOM_IN = 1
ZOOM_OUT = -1
ZOOM_RESET = 0

_ZOOM_KEYS: dict[int, int] = {
    Key.Key_Plus: ZOOM_IN,
    Key.Key_Equal: ZOOM_IN,
    Key.Key_Minus: ZOOM_OUT,
    Key.Key_Underscore: ZOOM_OUT,
    Key.Key_0: ZOOM_RESET,
}
_WINDOW_KEYS = frozenset({Key.Key_Tab, Key.Key_Backtab})


def zoom_action(event: QtGui.QKeyEvent) -> int | None:
    """ZOOM_IN, ZOOM_OUT or ZOOM_RESET for Ctrl+Plus (or Ctrl+=), Ctrl+Minus, Ctrl+0."""
    modifiers = event.modifiers() & ~(Modifier.ShiftModifier | Modifier.KeypadModifier)
    if modifiers != Modifier.ControlModifier:
        return None
    return _ZOOM_KEYS.get(event.key())


def belongs_to_window(event: QtGui.QKeyEvent) -> bool:
    """Tab and Backtab, which the main window's shortcuts own (focus moves are theirs)."""
    return event.key() in _WINDOW_KEYS
