"""Label chips: a small tag with the label's short name at the start of each span.

A plain text view cannot add room above a line, so the chip gets room inside the line:
the character before the span (a space, a quote) is widened by letter spacing and the
chip is drawn in that gap, as displaCy and Prodigy draw theirs. A span that opens its
paragraph has no character before it; its chip goes after the span's last character.
Spans that share a gap character (nested ones starting together) share the gap, outer
first. The text itself never changes, so offsets stay code points of the document.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6 import QtCore, QtGui

from desktop.ui.viewer.mention_index import PlacedMention

SHORT = {
    "PERSON": "PER",
    "PERCENT": "PCT",
    "PRODUCT": "PROD",
    "WORK_OF_ART": "WORK",
    "LANGUAGE": "LANG",
    "QUANTITY": "QTY",
    "CARDINAL": "CARD",
    "ORDINAL": "ORD",
}
CHIP_SCALE = 0.62  # chip text size, of the view's
PADDING = 3.0  # inside the chip, left and right
SPACING = 2.0  # between a chip and its neighbours
# Chip widths are rounded up to this step: chips of labels of a like length are one width
# (tidier rows), and a relabel among them (ORG -> GPE) leaves the text's gaps as they were,
# so the text needs no new layout.
WIDTH_STEP = 4.0
MARK_COLOR = "#1a1a1a"  # the corner mark of a span with tags or a note


def chip_text(label: str) -> str:
    """What a chip says: a short form of the label name (at most five letters)."""
    return SHORT.get(label, label[:5])


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a mention's chip sits: its gap character, and its offset inside the gap."""

    key: int  # Qt position of the widened character
    offset: float  # from the gap's left edge
    width: float


class ChipMetrics:
    """The chip font at one text size and the widths of the chips drawn with it."""

    def __init__(self, base: QtGui.QFont) -> None:
        self.font = QtGui.QFont(base)
        self.font.setPointSizeF(max(base.pointSizeF() * CHIP_SCALE, 6.0))
        self.font.setBold(True)
        self.font.setLetterSpacing(QtGui.QFont.SpacingType.AbsoluteSpacing, 0.0)
        self.metrics = QtGui.QFontMetricsF(self.font)
        self._widths: dict[str, float] = {}

    def width(self, label: str) -> float:
        """The room a label's chip takes, its spacing included."""
        found = self._widths.get(label)
        if found is None:
            room = self.metrics.horizontalAdvance(chip_text(label)) + 2 * PADDING + SPACING
            found = math.ceil(room / WIDTH_STEP) * WIDTH_STEP
            self._widths[label] = found
        return found


def gap_key(item: PlacedMention, opens_block: Callable[[int], bool]) -> int | None:
    """The character whose gap holds a mention's chip: the one before the span, or the
    span's last one when the span opens its paragraph (None: an empty span, no chip)."""
    if item.end <= item.start:
        return None
    return item.start - 1 if item.start > 0 and not opens_block(item.start) else item.end - 1


def layout(
    placed: Iterable[PlacedMention],
    opens_block: Callable[[int], bool],
    width: Callable[[str], float],
) -> tuple[dict[int, float], dict[int, Slot]]:
    """The gap width at each widened character, and each mention's slot in its gap.

    `placed` in reading order (outer first where spans start together).
    """
    gaps: dict[int, float] = {}
    slots: dict[int, Slot] = {}
    for item in placed:
        key = gap_key(item, opens_block)
        if key is None:
            continue
        room = width(item.record.label)
        used = gaps.get(key, 0.0)
        slots[item.id] = Slot(key, used, room)
        gaps[key] = used + room
    return gaps, slots


def relayout(
    gaps: dict[int, float],
    slots: dict[int, Slot],
    keys: Iterable[int],
    gone: Iterable[int],
    near: Callable[[int], Iterable[PlacedMention]],
    opens_block: Callable[[int], bool],
    width: Callable[[str], float],
) -> tuple[dict[int, float], dict[int, Slot]]:
    """layout() again after a few mentions changed, working out only the gaps they touch.

    `gone`: ids of the mentions changed or removed (their slots are dropped first);
    `keys`: the gap characters they had or now have; `near(key)`: the mentions that may
    put their chip at `key` (any that starts right after it or ends on it), in reading
    order. Returns new dicts, equal to what layout() of all mentions gives.
    """
    gaps, slots = dict(gaps), dict(slots)
    for mention_id in gone:
        slots.pop(mention_id, None)
    for key in set(keys):
        used = 0.0
        for item in near(key):
            if gap_key(item, opens_block) != key:
                continue
            room = width(item.record.label)
            slots[item.id] = Slot(key, used, room)
            used += room
        if used:
            gaps[key] = used
        else:
            gaps.pop(key, None)
    return gaps, slots


def spacing_format(width: float) -> QtGui.QTextCharFormat:
    """The character format that gives a gap character `width` pixels more."""
    fmt = QtGui.QTextCharFormat()
    fmt.setFontLetterSpacingType(QtGui.QFont.SpacingType.AbsoluteSpacing)
    fmt.setFontLetterSpacing(width)
    return fmt


def apply_gaps(
    document: QtGui.QTextDocument,
    old: dict[int, float],
    new: dict[int, float],
    keys: Iterable[int] | None = None,
) -> None:
    """Change the letter spacing of the characters whose gap changed (one edit block);
    `keys`: the only gap characters that may have changed (default: look at all)."""
    look = old.keys() | new.keys() if keys is None else set(keys)
    changed = [(k, new.get(k, 0.0)) for k in look if old.get(k) != new.get(k)]
    if not changed:
        return
    cursor = QtGui.QTextCursor(document)
    cursor.beginEditBlock()
    end = document.characterCount() - 1
    for key, width in changed:
        if 0 <= key < end:
            cursor.setPosition(key)
            cursor.setPosition(key + 1, QtGui.QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(spacing_format(width))
    cursor.endEditBlock()


def text_color(fill: QtGui.QColor) -> QtGui.QColor:
    """Black or white, whichever reads better on `fill` (relative luminance)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(fill.redF()) + 0.7152 * channel(fill.greenF())
    lum += 0.0722 * channel(fill.blueF())
    return QtGui.QColor("#000000" if lum > 0.179 else "#ffffff")


def paint_chip(
    painter: QtGui.QPainter,
    chips: ChipMetrics,
    gap_rect: QtCore.QRectF,
    gap: float,
    slot: Slot,
    label: str,
    color: str,
    rejected: bool,
) -> QtCore.QRectF:
    """Draw one chip in the right `gap` pixels of its gap character's rectangle.

    A gap character that ends a wrapped line gets no room from Qt (trailing white space
    hangs); the chip then hangs after it too, where nothing is drawn, rather than over
    the word before.
    """
    if gap_rect.width() + 0.5 < gap:
        left = gap_rect.left() + PADDING + slot.offset
    else:
        left = gap_rect.right() - gap + slot.offset + SPACING / 2
    height = min(gap_rect.height() - 2.0, chips.metrics.height() + 3.0)
    top = gap_rect.center().y() - height / 2
    rect = QtCore.QRectF(left, top, slot.width - SPACING, height)
    fill = QtGui.QColor("#b0b0b0" if rejected else color)
    painter.setPen(QtCore.Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, 3.0, 3.0)
    painter.setPen(text_color(fill))
    painter.setFont(chips.font)
    painter.drawText(rect, QtCore.Qt.AlignmentFlag.AlignCenter, chip_text(label))
    return rect


def paint_mark(painter: QtGui.QPainter, rect: QtCore.QRectF) -> None:
    """A span carrying tags or a note: a dark dog-ear in its last line's top right corner."""
    size = max(4.0, min(7.0, rect.height() / 3))
    corner = QtGui.QPolygonF(
        [
            QtCore.QPointF(rect.right() - size, rect.top()),
            QtCore.QPointF(rect.right(), rect.top()),
            QtCore.QPointF(rect.right(), rect.top() + size),
        ]
    )
    painter.setPen(QtCore.Qt.PenStyle.NoPen)
    painter.setBrush(QtGui.QColor(MARK_COLOR))
    painter.drawPolygon(corner)
