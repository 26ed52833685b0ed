"""The items of a file holding one JSON array, read one at a time (memory flat in the
file's size): Label Studio's JSON export is a single array of tasks.

The file is decoded as it is read and each item is parsed as soon as it is whole, with
the errors `jsondata.loads` gives for a whole file (the line of the fault and the JSON
module's words for it). A file that does not start with `[` is not an array: `items`
returns None and the caller reads it whole.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.jsondata import loads

CHUNK = 1 << 20  # characters decoded at a time
_SPACE = " \t\n\r"
_SCALAR_END = re.compile(r"[,\]}\s]")  # what ends a number or literal in an array
_decoder = json.JSONDecoder()


class _Reader:
    """A growing window on the decoded file: `buf[pos:]` is what is left to parse."""

    def __init__(self, path: Path, raw: IO[bytes]) -> None:
        self.path, self.raw = path, raw
        self.decode = codecs.getincrementaldecoder("utf-8-sig")().decode
        self.buf, self.pos, self.eof = "", 0, False
        self.lines_before = 0  # line breaks in the text dropped from the window
        self.bytes_read = 0

    def more(self, size: int | None = None) -> bool:
        """Read on (CHUNK characters' worth unless told); False at the end of the file."""
        if self.eof:
            return False
        data = self.raw.read(size or CHUNK)
        try:
            text = self.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            where = self.bytes_read + exc.start
            raise RefusedFile(self.path, f"byte {where}: not UTF-8 text") from exc
        except OSError as exc:
            raise RefusedFile(self.path, f"cannot read ({exc.strerror})") from exc
        self.bytes_read += len(data)
        if self.pos > len(self.buf) // 2:  # drop what was parsed
            self.lines_before += self.buf.count("\n", 0, self.pos)
            self.buf, self.pos = self.buf[self.pos :], 0
        self.buf += text
        self.eof = not data
        return True

    def line(self, at: int) -> int:
        """The file's line number of `buf[at]`."""
        return self.lines_before + self.buf.count("\n", 0, at) + 1

    def skip_space(self) -> str:
        """The next character past white space ("" at the end of the file)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _SPACE:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def invalid(self, at: int, msg: str) -> RefusedFile:
        return RefusedFile(self.path, f"line {self.line(at)}: invalid JSON ({msg})")

    def value(self) -> Any:
        """The JSON value starting at `pos`, read on until it is whole."""
        size = CHUNK
        if self.buf[self.pos] not in '{["':  # a number or a literal: read to its end first
            while not _SCALAR_END.search(self.buf, self.pos) and self.more():
                pass
        while True:
            try:
                value, end = _decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # perhaps only cut short by the window: read on (a file broken in the
                # middle is read to its end before it is refused)
                if self.more(size):
                    size *= 2
                    continue
                raise self.invalid(exc.pos, exc.msg) from exc
            except RecursionError as exc:
                where = f"line {self.line(self.pos)}"
                raise RefusedFile(self.path, f"{where}: nested too deeply to be read") from exc
            except ValueError as exc:  # the only other: an integer too long to convert
                digits = sys.get_int_max_str_digits()
                where = f"line {self.line(self.pos)}"
                raise RefusedFile(
                    self.path, f"{where}: a number of more than {digits} digits"
                ) from exc
            text = self.buf[self.pos : end]
            if "\\u" in text and ("\\ud" in text or "\\uD" in text):  # a lone surrogate?
                loads(self.path, text, f"line {self.line(self.pos)}")
            self.pos = end
            return value


def items(path: Path, raw: IO[bytes]) -> Iterator[Any] | None:
    """The items of the array the file holds, one at a time, or None if it holds no array."""
    reader = _Reader(path, raw)
    if reader.skip_space() != "[":
        return None
    reader.pos += 1
    return _items(reader)


def _items(reader: _Reader) -> Iterator[Any]:
    if reader.skip_space() == "]":
        reader.pos += 1
    else:
        while True:
            if reader.skip_space() == "":
                raise reader.invalid(reader.pos, "Expecting value")
            yield reader.value()
            found = reader.skip_space()
            if found == ",":
                reader.pos += 1
                continue
            if found == "]":
                reader.pos += 1
                break
            raise reader.invalid(reader.pos, "Expecting ',' delimiter")
    if reader.skip_space() != "":
        raise reader.invalid(reader.pos, "Extra data")
