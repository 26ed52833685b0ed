"""Shared shapes of an import: parsed documents, spans, relations, the report, offsets."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.jsondata import excerpt
from desktop.core.ingest.names import shown


@dataclass(slots=True)
class Span:
    """A labelled span as the tool gave it; `key` is the tool's id for relations."""

    start: int
    end: int
    label: str
    text: str | None = None
    key: str | None = None
    note: str | None = None


@dataclass(slots=True)
class Relation:
    """A relation or event: its type and (role, span key) arguments."""

    label: str
    args: list[tuple[str, str]]
    key: str | None = None
    note: str | None = None


@dataclass(slots=True)
class ParsedDoc:
    """One document of an import file, validated but not yet written."""

    text: str
    source: str
    where: str  # "line 7", "task 3": where it sits in the file, for messages
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    title: str | None = None
    status: str = "accepted"
    confidence: float | None = None
    utf16: bool | None = None  # None: decide from the spans; True/False: the tool's convention
    problems: list[str] = field(default_factory=list)  # found while reading, for the report


@dataclass(slots=True)
class ImportReport:
    """What an import did: counts, and the problems found per document."""

    format: str
    path: str
    documents: int = 0  # documents in the file
    documents_added: int = 0
    documents_matched: int = 0  # already in the project (same text): annotations added only
    mentions_added: int = 0
    mentions_skipped: int = 0  # exact duplicates (same start, end, label)
    facts_added: int = 0
    facts_skipped: int = 0
    utf16_converted: list[str] = field(default_factory=list)  # sources converted from UTF-16
    mismatches: dict[str, list[str]] = field(default_factory=dict)  # source -> problems
    cancelled: bool = False
    seconds: float = 0.0
    document_ids: list[int] = field(default_factory=list)  # the file's documents in the project
    batch: int | None = None  # the import's undo step (store.history.undo / redo)
    # documents whose mentions the write left for resolve_documents: those the project held
    # already or the file gives twice (the new ones are linked to entities as written)
    unresolved_ids: list[int] = field(default_factory=list)

    def problem(self, source: str, message: str) -> None:
        """Note a problem with one document."""
        self.mismatches.setdefault(source, []).append(message)


def _utf16_map(text: str) -> dict[int, int] | None:
    """UTF-16 unit offset -> code point offset, or None when the text is all BMP."""
    # each character past U+FFFF takes two UTF-16 units: none when the unit count is the length
    if text.isascii() or len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
        return None
    mapping, units = {}, 0
    for i, char in enumerate(text):
        mapping[units] = i
        units += 2 if ord(char) > 0xFFFF else 1
    mapping[units] = len(text)
    return mapping


def _matches(doc: ParsedDoc, convert: dict[int, int] | None) -> tuple[int, int]:
    """(spans whose carried text matches, spans that carry text) under one interpretation."""
    good = total = 0
    for s in doc.spans:
        if s.text is None:
            continue
        total += 1
        start, end = (convert.get(s.start), convert.get(s.end)) if convert else (s.start, s.end)
        if start is not None and end is not None and doc.text[start:end] == s.text:
            good += 1
    return good, total


def resolve_offsets(doc: ParsedDoc, path: Path, report: ImportReport) -> None:
    """Turn the spans' offsets into code points, refuse offsets past the end, report and drop
    spans whose carried text differs from the document's."""
    mapping = _utf16_map(doc.text)
    use16 = False
    if mapping is not None:
        points, total = _matches(doc, None)
        units, _ = _matches(doc, mapping)
        if total:
            use16 = units > points
        elif doc.utf16 is not None:
            use16 = doc.utf16
        else:
            use16 = any(s.end > len(doc.text) for s in doc.spans)
    limit = max(mapping) if use16 and mapping is not None else len(doc.text)
    for s in doc.spans:
        if not 0 <= s.start <= s.end or s.end > limit:
            raise RefusedFile(
                path,
                f"{doc.where}: span [{s.start}, {s.end}) {excerpt(s.label, 40)} is past the end of "
                f"the text "
                f"({limit} characters)",
            )
    if use16 and mapping is not None:
        report.utf16_converted.append(doc.source)
        for s in doc.spans:
            start, end = mapping.get(s.start), mapping.get(s.end)
            if start is None or end is None:
                raise RefusedFile(
                    path, f"{doc.where}: span [{s.start}, {s.end}) splits a UTF-16 surrogate pair"
                )
            s.start, s.end = start, end
    if all(s.text is None for s in doc.spans):  # nothing to compare
        return
    kept = []
    for s in doc.spans:
        found = doc.text[s.start : s.end]
        if s.text is not None and found != s.text.strip("\r\n") and found != s.text:
            report.problem(
                doc.source,
                f"{doc.where}: span [{s.start}, {s.end}) {s.label} is {excerpt(found)} in the "
                f"text, the file says {excerpt(s.text)} (not imported)",
            )
            continue
        kept.append(s)
    doc.spans = kept


def refuse(path: Path | str, where: str, reason: str) -> RefusedFile:
    """The one error of a malformed file."""
    return RefusedFile(path, f"{where}: {reason}")


def as_int(value: object, path: Path, where: str, name: str) -> int:
    """An integer offset from a file, or a clear refusal."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise refuse(path, where, f"'{name}' must be an integer offset (found {excerpt(value)})")
    return value


def as_list(value: object, path: Path | str, where: str, name: str) -> list:
    """A list from a file (missing or null: empty), or a clear refusal."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise refuse(path, where, f"'{name}' must be a list (found {excerpt(value)})")
    return value


def as_label(value: object, path: Path | str, where: str, name: str = "label") -> str:
    """A label or type name from a file (a non-blank string), or a clear refusal."""
    if isinstance(value, str) and value.strip():
        return value
    raise refuse(path, where, f"'{name}' must be a label name (found {excerpt(value)})")


def as_key(value: object) -> str | None:
    """A tool's id of a span (a string or an integer), as text; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def as_score(value: object, path: Path | str, where: str, name: str = "score") -> float | None:
    """A model's confidence from a file (a finite number, or nothing), or a clear refusal."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    raise refuse(path, where, f"'{name}' must be a number (found {excerpt(value)})")


def source_of(
    record: dict, keys: tuple[str, ...], default: str, path: Path | str, where: str
) -> str:
    """A document's name: the first of `keys` the record gives (a string or an integer),
    else `default`; as printable one-line text (names.shown)."""
    for key in keys:
        value = record.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        name = as_key(value)
        if name is None:
            raise refuse(path, where, f"'{key}' must be a string (found {excerpt(value)})")
        return shown(name)
    return shown(default)


def read_file_text(path: Path) -> str:
    """A file's UTF-8 text (a BOM is dropped), or a clear refusal."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise RefusedFile(path, f"cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise RefusedFile(path, f"byte {exc.start}: not UTF-8 text") from exc


def decoded_lines(path: Path | str, raw: IO[bytes]) -> Iterator[tuple[int, str]]:
    """(line number, text) of each "\n"-ended line of a binary stream, decoded as UTF-8 one
    line at a time (a BOM first is dropped), without the newline; a clear refusal naming the
    byte of the first that is not UTF-8. The stream is never held whole."""
    offset = 0
    for number, chunk in enumerate(raw, start=1):
        try:
            line = chunk.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise RefusedFile(path, f"byte {offset + exc.start}: not UTF-8 text") from exc
        offset += len(chunk)
        yield number, line[:-1] if line.endswith("\n") else line


def file_lines(path: Path) -> Iterator[tuple[int, str]]:
    """decoded_lines of a file, read as it goes; a clear refusal if it cannot be read."""
    try:
        with path.open("rb") as raw:
            yield from decoded_lines(path, raw)
    except OSError as exc:
        raise RefusedFile(path, f"cannot read ({exc.strerror})") from exc


def text_of(record: dict, path: Path | str, where: str, key: str = "text") -> str:
    """The document text of a record, or a clear refusal."""
    text = record.get(key)
    if not isinstance(text, str):
        raise RefusedFile(path, f"{where}: no '{key}' string")
    return text
