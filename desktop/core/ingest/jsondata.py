"""JSON read from files as the readers and importers need it: every way a JSON text can be
malformed becomes one RefusedFile, never another exception.

Besides invalid JSON, `json.loads` fails on nesting deeper than the interpreter's recursion
limit (RecursionError) and on integers of more than 4300 digits (ValueError), and it accepts
escapes of lone surrogates ("\\ud800") that no valid text holds: such a string cannot be
printed to a UTF-8 stream nor written to the project. Each is refused here, where the text
is read, so that no reader meets them later.
"""

from __future__ import annotations

import json
import re
import reprlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop.core.ingest.errors import RefusedFile

# a \uXXXX escape of a surrogate: a pair is decoded as one character, a lone one stays
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")

_short = reprlib.Repr()
_short.maxlevel = 2
_short.maxlist = _short.maxtuple = _short.maxdict = 4
_short.maxstring = _short.maxother = 40


def excerpt(value: object, limit: int = 60) -> str:
    """A short one-line picture of a value from a file, for messages: strings quoted and
    escaped, containers cut after a few items, at most `limit` characters."""
    try:
        text = _short.repr(value)
    except (ValueError, RecursionError):  # an integer too long to write out, say
        text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def loads(path: Path | str, text: str, where: str) -> Any:
    """The JSON value of `text` (`where`: "line 3", or "" for a whole file), or RefusedFile
    naming the place and the problem."""
    at = f"{where}: " if where else ""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        place = where or f"line {exc.lineno}"
        raise RefusedFile(path, f"{place}: invalid JSON ({exc.msg})") from exc
    except RecursionError as exc:
        raise RefusedFile(path, f"{at}nested too deeply to be read") from exc
    except ValueError as exc:  # the only other: an integer too long for Python to convert
        digits = sys.get_int_max_str_digits()
        raise RefusedFile(path, f"{at}a number of more than {digits} digits") from exc
    if _SURROGATE_ESCAPE.search(text):
        found = lone_surrogate(value)
        if found is not None:
            key, char = found
            raise RefusedFile(path, f"{at}{key} holds an invalid character (\\u{ord(char):04x})")
    return value


def lone_surrogate(value: Any) -> tuple[str, str] | None:
    """The first lone surrogate in a JSON value: (what holds it, e.g. "'text'", the character).
    Walks without recursion: the value may be nested as deeply as the parser allowed."""
    stack: list[tuple[str, Any]] = [("a string", value)]
    while stack:
        holder, item = stack.pop()
        if isinstance(item, str):
            char = _first_surrogate(item)
            if char is not None:
                return holder, char
        elif isinstance(item, dict):
            for key, inner in item.items():
                char = _first_surrogate(key)
                if char is not None:
                    return "a key", char
                stack.append((excerpt(key, 40), inner))
        elif isinstance(item, list):
            stack.extend((holder, inner) for inner in reversed(item))
    return None


def _first_surrogate(text: str) -> str | None:
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return text[exc.start]
    return None


def json_records(path: Path | str, lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, dict]]:
    """The JSON objects of JSONL lines with their line numbers, one at a time; RefusedFile
    naming the line of the first that is not one."""
    for number, line in lines:
        if not line.strip():
            continue
        record = loads(path, line, f"line {number}")
        if not isinstance(record, dict):
            raise RefusedFile(
                path, f"line {number}: expected a JSON object (found {excerpt(record)})"
            )
        yield number, record


def json_lines(path: Path | str, content: str) -> list[tuple[int, dict]]:
    """The JSON objects of a JSONL text with their line numbers; RefusedFile naming the
    line of the first that is not one. Lines end at "\n" only: JSON strings may hold a
    raw U+2028 or U+0085, which splitlines would break."""
    return list(json_records(path, enumerate(content.split("\n"), start=1)))
