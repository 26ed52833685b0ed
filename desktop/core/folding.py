"""Folding of text for search and matching: case, diacritics and transliteration."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """Fold one character: lower-case, drop diacritics, transliterate to ASCII."""
    if char.isascii():
        return char.lower()
    if unicodedata.combining(char):
        return ""
    base = unicodedata.normalize("NFD", char)
    stripped = "".join(c for c in base if not unicodedata.combining(c))
    if stripped.isascii() and stripped:
        return stripped.lower()
    # Letters with no decomposition (Đ, Ø, Ł, ß, CJK ...) are transliterated.
    from anyascii import anyascii  # loaded when first needed (most text never needs it)

    translit = anyascii(char)
    return translit.lower() if translit else char.lower()


def fold(text: str) -> str:
    """Fold a whole string ("Đà Nẵng" -> "da nang"); the length may change."""
    if text.isascii():
        return text.lower()
    # ASCII runs fold by lower() in one call; only the non-ASCII runs go char by char.
    parts: list[str] = []
    pos = 0
    for run in _NON_ASCII.finditer(text):
        parts.append(text[pos : run.start()].lower())
        parts.extend(map(fold_char, run.group()))
        pos = run.end()
    parts.append(text[pos:].lower())
    return "".join(parts)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold `text` and return, for each folded character, its offset in `text`."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for run in _NON_ASCII.finditer(text):  # ASCII runs in one call, as `fold` does
        out.append(text[pos : run.start()].lower())
        offsets.extend(range(pos, run.start()))
        for i in range(run.start(), run.end()):
            folded = fold_char(text[i])
            out.append(folded)
            offsets.extend([i] * len(folded))
        pos = run.end()
    out.append(text[pos:].lower())
    offsets.extend(range(pos, len(text)))
    return "".join(out), offsets


def fold_key(name: str) -> str:
    """A matching key for a name: folded, punctuation dropped, spaces collapsed."""
    return _SPACES.sub(" ", _PUNCT.sub(" ", fold(name))).strip()
