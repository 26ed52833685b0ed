"""doccano JSONL exports: sequence labelling (`label`) and relations (`entities`)."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from desktop.core.formats.imports.common import (
    ParsedDoc,
    Relation,
    Span,
    as_int,
    as_key,
    as_label,
    as_list,
    decoded_lines,
    file_lines,
    refuse,
    source_of,
    text_of,
)
from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.jsondata import excerpt, json_records


def _members(path: Path) -> Iterator[tuple[str, Iterator[tuple[int, str]]]]:
    """(name for messages, numbered lines) of each JSONL in the file or zip, read as they
    are used."""
    if path.suffix.lower() != ".zip":
        yield str(path), file_lines(path)
        return
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith((".jsonl", ".json"))]
            if not names:
                raise RefusedFile(path, "no .jsonl file inside the zip")
            for n in sorted(names):
                with archive.open(n) as member:
                    yield f"{path}:{n}", _guarded(path, decoded_lines(f"{path}:{n}", member))
    except _ZIP_ERRORS as exc:
        raise _unreadable(path, exc) from exc


# NotImplementedError: a compression method Python does not read
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)


def _unreadable(path: Path, exc: Exception) -> RefusedFile:
    return RefusedFile(path, f"not a readable doccano zip ({excerpt(str(exc))})")


def _guarded(path: Path, lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """The lines of a zip member; a damaged member is refused as the whole zip is."""
    try:
        yield from lines
    except _ZIP_ERRORS as exc:
        raise _unreadable(path, exc) from exc


def _seq(record: dict, path: Path, where: str) -> list[Span]:
    spans = []
    for item in as_list(record.get("label"), path, where, "label"):
        if not isinstance(item, list) or len(item) != 3:
            found = excerpt(item)
            raise refuse(path, where, f"'label' items must be [start, end, label] (found {found})")
        start = as_int(item[0], path, where, "start")
        end = as_int(item[1], path, where, "end")
        spans.append(Span(start, end, as_label(item[2], path, where)))
    return spans


def _rel(record: dict, path: Path, where: str) -> tuple[list[Span], list[Relation]]:
    spans = []
    for item in as_list(record.get("entities"), path, where, "entities"):
        if not isinstance(item, dict) or "label" not in item:
            raise refuse(path, where, f"bad entity {excerpt(item)} (needs a label and offsets)")
        start = as_int(item.get("start_offset"), path, where, "start_offset")
        end = as_int(item.get("end_offset"), path, where, "end_offset")
        label = as_label(item["label"], path, where)
        spans.append(Span(start, end, label, key=as_key(item.get("id"))))
    keys = {s.key for s in spans if s.key is not None}
    relations = []
    for item in as_list(record.get("relations"), path, where, "relations"):
        if not isinstance(item, dict):
            raise refuse(path, where, f"bad relation {excerpt(item)}")
        head, tail = as_key(item.get("from_id")), as_key(item.get("to_id"))
        if head not in keys or tail not in keys or head is None or tail is None:
            which = excerpt(item.get("id"), 30)
            raise refuse(path, where, f"relation {which} points at an unknown entity")
        label = as_label(item.get("type"), path, where, "type")
        relations.append(Relation(label, [("head", head), ("tail", tail)]))
    return spans, relations


def parse(path: Path) -> Iterator[ParsedDoc]:
    """The documents of a doccano JSONL file (or the zip doccano downloads), line by line."""
    for name, lines in _members(path):
        for number, record in json_records(name, lines):
            where = f"line {number}"
            text = text_of(record, name, where)
            if "entities" in record or "relations" in record:
                spans, relations = _rel(record, Path(name), where)
            else:
                spans, relations = _seq(record, Path(name), where), []
            source = source_of(record, ("doc_id", "source"), f"{path.stem}#{number}", name, where)
            yield ParsedDoc(text, source, where, spans, relations)
