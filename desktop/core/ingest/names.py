"""File names as text that can always be printed and stored.

Python keeps the bytes of a name that are not valid UTF-8 as lone surrogates (U+DC80 to
U+DCFF): such a string cannot be encoded, so printing it to a UTF-8 stream or writing it to
SQLite fails. `shown` writes those bytes as \\xNN, other lone surrogates as \\uNNNN and
control characters (a tab or line break in a name) as escapes, so a name is one line of
valid text; names without any of these are returned as they are.
"""

from __future__ import annotations

import os
import re

_ODD = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of the name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    if code > 0xFF:
        return f"\\u{code:04x}"
    return f"\\x{code:02x}"


def shown(name: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """The name (or path) as printable, storable text."""
    text = os.fsdecode(name)
    if text.isascii() and text.isprintable():
        return text
    return _ODD.sub(_escape, text)
