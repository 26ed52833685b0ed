"""Zone looks written into the QTextDocument itself, so they lie beneath the highlights.

Boilerplate (captions, related stories, tags) is grey, the headline bold and larger,
datelines and bylines italic; the body keeps the view's font.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6 import QtGui

from desktop.core.ingest.zones import BOILERPLATE_ZONES
from desktop.core.records import ZoneRecord
from desktop.ui.viewer import styles
from desktop.ui.viewer.offsets import OffsetMap

ITALIC_ZONES = frozenset({"dateline", "byline"})


def zone_format(kind: str, point_size: float) -> QtGui.QTextCharFormat | None:
    """The character format of a zone kind, None for plain text."""
    fmt = QtGui.QTextCharFormat()
    if kind == "headline":
        fmt.setFontWeight(QtGui.QFont.Weight.Bold)
        fmt.setFontPointSize(round(point_size * styles.HEADLINE_SCALE, 1))
    elif kind in ITALIC_ZONES:
        fmt.setFontItalic(True)
    elif kind in BOILERPLATE_ZONES:
        fmt.setForeground(QtGui.QColor(styles.BOILERPLATE_COLOR))
    else:
        return None
    return fmt


def apply_zones(
    document: QtGui.QTextDocument,
    zones: Iterable[ZoneRecord],
    offsets: OffsetMap,
    point_size: float,
) -> None:
    """Format the zones of `document`; call again with the new size after zooming."""
    cursor = QtGui.QTextCursor(document)
    cursor.beginEditBlock()
    for zone in zones:
        fmt = zone_format(zone.kind, point_size)
        if fmt is None:
            continue
        start, end = offsets.span_to_qt(zone.start, zone.end)
        cursor.setPosition(start)
        cursor.setPosition(end, QtGui.QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)
    cursor.endEditBlock()
