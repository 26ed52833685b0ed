"""Bytes to text: UTF-8 (with or without BOM) first, else a detected encoding; binary refused."""

from __future__ import annotations

import codecs
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
        raise RefusedFile(path, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise RefusedFile(path, "unknown text encoding or binary data")
    text = str(best)
    if _control_ratio(text) > 0.01:
        raise RefusedFile(path, "binary data (control characters), not text")
    return text, best.encoding


def read_text(path: Path) -> tuple[str, str]:
    """Read and decode a text file, refusing unreadable, huge or binary files."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RefusedFile(path, f"file too large ({size // 2**20} MiB; limit 512 MiB)")
        data = path.read_bytes()
    except OSError as exc:
        raise RefusedFile(path, f"cannot read ({exc.strerror or exc})") from exc
    return decode_bytes(data, path)
