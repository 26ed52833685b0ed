"""Bytes to text: UTF-8 (with or without BOM) first, else a detected encoding; binary refused."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from desktop.core.ingest.errors import RefusedFile

MAX_FILE_BYTES = 512 * 1024 * 1024
_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable",
    b"SQLite format 3": "an SQLite database",
    b"\x1f\x8b": "a gzip archive",
    b"{\\rtf": "an RTF document",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Windows-1252 (a superset of Latin-1) is what legacy Western text almost always is, but
# the detector's guess on short texts is often a look-alike code page (cp1250, cp1257,
# even cp1006) that garbles the accents. Prefer cp1252 when the detector finds it about as
# clean as its first pick, in a language written in cp1252, and the text reads as such.
_WESTERN = "cp1252"
_WESTERN_LANGUAGES = frozenset(
    {"", "Unknown", "English", "French", "German", "Spanish", "Portuguese", "Italian", "Dutch"}
    | {"Danish", "Norwegian", "Swedish", "Finnish", "Indonesian"}
)
_LATIN = "A-Za-zÀ-ÖØ-öø-ÿŠšŽžŒœŸ"
_HIGH_LETTER = re.compile("[À-ÖØ-öø-ÿŠšŽžŒœŸ]")
_LETTER = re.compile(f"[{_LATIN}]")
_SYMBOL_IN_WORD = re.compile(
    f"(?<=[{_LATIN}])[¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶¸¹º»¼½¾¿×÷‚ƒ„…†‡ˆ‰‹›•˜™“”](?=[{_LATIN}])"
    f"|(?<![0-9{_LATIN}])[ªº](?=[{_LATIN}])"
)


def _reads_as_western(text: str) -> bool:
    """Whether a cp1252 reading looks like Western European text rather than mojibake."""
    text = text[:1_000_000]
    letters = len(_LETTER.findall(text))
    high = len(_HIGH_LETTER.findall(text))
    if not letters or high > 0.3 * letters:
        return False
    return len(_SYMBOL_IN_WORD.findall(text)) * 1000 <= letters


def _detect(data: bytes, path: Path | str) -> tuple[str, str]:
    """Decode non-UTF-8 text with the detected encoding (cp1252 when it fits as well)."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches or matches[0].encoding is None:
        raise RefusedFile(path, "unknown text encoding or binary data")
    best = matches[0]
    western = next((m for m in matches if _WESTERN in (m.encoding, *m.could_be_from_charset)), None)
    if (
        western is not None
        and western.chaos <= best.chaos + 0.1
        and western.language in _WESTERN_LANGUAGES
    ):
        try:
            text = data.decode(_WESTERN)
        except UnicodeDecodeError:
            pass
        else:
            if _reads_as_western(text):
                return text, _WESTERN
    return str(best), best.encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 codec of BOM-less UTF-16 text (mostly Latin: every other byte NUL)."""
    sample = data[:4096]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.5 * len(sample[1::2]) and even == 0:
        return "utf-16-le"
    if even >= 0.5 * len(sample[0::2]) and odd == 0:
        return "utf-16-be"
    return None


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
    return bad / len(sample)


def decode_bytes(data: bytes, path: Path | str = "<input>") -> tuple[str, str]:
    """Decode file contents; returns (text, encoding) or raises RefusedFile."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise RefusedFile(path, f"binary file ({kind}), not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise RefusedFile(path, f"invalid {encoding} text at byte {exc.start}") from exc
    if b"\x00" in data[:65536]:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            try:
                text = data.decode(utf16)
            except UnicodeDecodeError:
                pass
            else:
                if _control_ratio(text) <= 0.01:
                    return text, utf16
        raise RefusedFile(path, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text, encoding = _detect(data, path)
    if _control_ratio(text) > 0.01:
        raise RefusedFile(path, "binary data (control characters), not text")
    return text, encoding


def _size(n: int) -> str:
    """A byte count for people: 512 MiB, 3.2 KiB, 17 bytes."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def read_text(path: Path) -> tuple[str, str]:
    """Read and decode a text file, refusing unreadable, huge or binary files."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RefusedFile(
                path, f"file too large ({_size(size)}; the limit is {_size(MAX_FILE_BYTES)})"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise RefusedFile(path, f"cannot read ({exc.strerror or exc})") from exc
    return decode_bytes(data, path)
