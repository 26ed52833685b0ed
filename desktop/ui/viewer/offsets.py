"""Mapping between code point offsets (the store's) and QTextDocument positions.

A QTextDocument counts UTF-16 units, so a character outside the Basic Multilingual
Plane (most emoji) takes two positions, and it turns "\\r\\n" into a single block
separator. Every other character, "\\r", "\\n", U+2028 and U+2029 included, takes as
many positions as it has UTF-16 units. This module is Qt-free.
"""

from __future__ import annotations

import bisect
import re

_IRREGULAR_RE = re.compile("[\r\U00010000-\U0010ffff]")


def _width(text: str, index: int) -> int:
    """Document positions taken by the code point at `index`."""
    char = text[index]
    if char == "\r":
        return 0 if text.startswith("\n", index + 1) else 1
    return 2 if ord(char) > 0xFFFF else 1


class OffsetMap:
    """Converts code point offsets of one text to document positions and back."""

    __slots__ = ("_length", "_positions")

    def __init__(self, text: str) -> None:
        self._length = len(text)
        if _IRREGULAR_RE.search(text) is None:
            self._positions: list[int] | None = None  # identity
            return
        # positions[i] = i + shift, where the shift changes after each irregular character
        positions: list[int] = []
        shift = done = 0
        for match in _IRREGULAR_RE.finditer(text):
            index = match.start()
            positions.extend(range(done + shift, index + 1 + shift))
            shift += _width(text, index) - 1
            done = index + 1
        positions.extend(range(done + shift, len(text) + 1 + shift))
        self._positions = positions

    @property
    def length(self) -> int:
        """Length of the text in code points."""
        return self._length

    @property
    def qt_length(self) -> int:
        """Length of the text in document positions."""
        return self.to_qt(self._length)

    def to_qt(self, offset: int) -> int:
        """Document position of code point `offset` (clamped to the text)."""
        offset = min(max(offset, 0), self._length)
        return offset if self._positions is None else self._positions[offset]

    def from_qt(self, position: int) -> int:
        """Code point offset of document `position`.

        A position inside a surrogate pair maps to the start of its character; the
        position of a "\\r\\n" separator maps to the "\\r".
        """
        if self._positions is None:
            return min(max(position, 0), self._length)
        index = bisect.bisect_right(self._positions, position) - 1
        index = max(index, 0)
        # several offsets share a position only before the "\n" of "\r\n": take the first
        while index > 0 and self._positions[index - 1] == self._positions[index]:
            index -= 1
        return index

    def span_to_qt(self, start: int, end: int) -> tuple[int, int]:
        """Document positions of a code point span."""
        return self.to_qt(start), self.to_qt(end)

    def span_from_qt(self, start: int, end: int) -> tuple[int, int]:
        """Code point span of a document span."""
        return self.from_qt(start), self.from_qt(end)
