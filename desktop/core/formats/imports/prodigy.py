"""Prodigy JSONL: `text` with `spans` (start/end/label) and optional `relations`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from desktop.core.formats.imports.common import (
    ParsedDoc,
    Relation,
    Span,
    as_int,
    as_label,
    as_list,
    file_lines,
    refuse,
    source_of,
    text_of,
)
from desktop.core.ingest.jsondata import excerpt, json_records


def _span(item: object, path: Path, where: str) -> Span:
    if not isinstance(item, dict) or "label" not in item:
        raise refuse(path, where, f"bad span {excerpt(item)} (needs start, end, label)")
    start, end, label, carried = item.get("start"), item.get("end"), item["label"], item.get("text")
    if type(start) is not int or type(end) is not int:  # the usual case costs two checks
        start = as_int(start, path, where, "start")
        end = as_int(end, path, where, "end")
    label = label if type(label) is str and label.strip() else as_label(label, path, where)
    carried = carried if type(carried) is str else None
    return Span(start, end, label, carried)


def _keyed(span: Span) -> Span:
    """The span with its key, which relations point at."""
    span.key = f"{span.start}:{span.end}:{span.label}"
    return span


def _spans(items: list, path: Path, where: str) -> list[Span]:
    """The spans of a record, without keys; well-formed ones (the usual case) take the short
    way."""
    spans = []
    for item in items:
        if type(item) is dict:
            start, end, label = item.get("start"), item.get("end"), item.get("label")
            if type(start) is int and type(end) is int and type(label) is str and label.strip():
                carried = item.get("text")
                carried = carried if type(carried) is str else None
                spans.append(Span(start, end, label, carried))
                continue
        spans.append(_span(item, path, where))
    return spans


ROLE_ENDS = (("head", "head"), ("child", "tail"))


def _role(value: object, default: str) -> str:
    """A relation end's role as the file names it (`head_role`, `child_role`, as the app's
    export writes them), else "head" or "tail"."""
    return value if isinstance(value, str) and value.strip() else default


def parse(path: Path) -> Iterator[ParsedDoc]:
    """The accepted examples of a Prodigy JSONL file (rejected and ignored ones are skipped),
    read line by line."""
    for number, record in json_records(path, file_lines(path)):
        where = f"line {number}"
        if record.get("answer") in ("reject", "ignore"):
            continue
        text = text_of(record, path, where)
        spans = _spans(as_list(record.get("spans"), path, where, "spans"), path, where)
        relations = []
        items = as_list(record.get("relations"), path, where, "relations")
        keys = {_keyed(s).key: s for s in spans} if items else {}
        for rel in items:
            if not isinstance(rel, dict):
                raise refuse(path, where, f"bad relation {excerpt(rel)}")
            ends = []
            for name in ("head_span", "child_span"):
                span = _keyed(_span(rel.get(name), path, where))
                if span.key not in keys:
                    keys[span.key] = span
                    spans.append(span)
                ends.append(span.key or "")
            label = as_label(rel.get("label"), path, where)
            roles = [_role(rel.get(f"{end}_role"), end_name) for end, end_name in ROLE_ENDS]
            fact = rel.get("fact_id")  # the app's export: the relations of one fact share it
            key = str(fact) if type(fact) in (int, str) else None
            relations.append(Relation(label, [(roles[0], ends[0]), (roles[1], ends[1])], key))
        meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
        source = source_of(meta, ("source", "doc_id"), f"{path.stem}#{number}", path, where)
        yield ParsedDoc(text, source, where, spans, relations, utf16=False)
