"""doccano JSONL exports: sequence labelling (`label`) and relations (`entities`)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from desktop.core.formats.imports.common import (
    ParsedDoc,
    Relation,
    Span,
    as_int,
    read_file_text,
    refuse,
    text_of,
)
from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.readers import json_lines


def _members(path: Path) -> list[tuple[str, str]]:
    """(name for messages, content) of each JSONL in the file or zip."""
    if path.suffix.lower() != ".zip":
        return [(str(path), read_file_text(path))]
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith((".jsonl", ".json"))]
            if not names:
                raise RefusedFile(path, "no .jsonl file inside the zip")
            return [(f"{path}:{n}", archive.read(n).decode("utf-8-sig")) for n in sorted(names)]
    except (zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise RefusedFile(path, f"not a readable doccano zip ({exc})") from exc


def _seq(record: dict, path: Path, where: str) -> list[Span]:
    spans = []
    for item in record.get("label") or []:
        if not isinstance(item, list) or len(item) != 3:
            raise refuse(path, where, f"'label' items must be [start, end, label] (found {item!r})")
        start = as_int(item[0], path, where, "start")
        end = as_int(item[1], path, where, "end")
        spans.append(Span(start, end, str(item[2])))
    return spans


def _rel(record: dict, path: Path, where: str) -> tuple[list[Span], list[Relation]]:
    spans = []
    for item in record.get("entities") or []:
        if not isinstance(item, dict) or "label" not in item:
            raise refuse(path, where, f"bad entity {item!r}")
        start = as_int(item.get("start_offset"), path, where, "start_offset")
        end = as_int(item.get("end_offset"), path, where, "end_offset")
        spans.append(Span(start, end, str(item["label"]), key=str(item.get("id"))))
    keys = {s.key for s in spans}
    relations = []
    for item in record.get("relations") or []:
        if not isinstance(item, dict):
            raise refuse(path, where, f"bad relation {item!r}")
        head, tail = str(item.get("from_id")), str(item.get("to_id"))
        if head not in keys or tail not in keys:
            raise refuse(path, where, f"relation {item.get('id')} points at an unknown entity")
        relations.append(Relation(str(item.get("type")), [("head", head), ("tail", tail)]))
    return spans, relations


def parse(path: Path) -> list[ParsedDoc]:
    """The documents of a doccano JSONL file (or the zip doccano downloads)."""
    docs = []
    for name, content in _members(path):
        for number, record in json_lines(name, content):
            where = f"line {number}"
            text = text_of(record, name, where)
            if "entities" in record or "relations" in record:
                spans, relations = _rel(record, Path(name), where)
            else:
                spans, relations = _seq(record, Path(name), where), []
            source = record.get("doc_id") or record.get("source") or f"{path.stem}#{number}"
            docs.append(ParsedDoc(text, str(source), where, spans, relations))
    return docs
