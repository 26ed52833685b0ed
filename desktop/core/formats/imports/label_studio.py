"""Label Studio exports: JSON (spans and relations), JSON-MIN and the snapshot."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.core.formats.imports.common import (
    ParsedDoc,
    Relation,
    Span,
    as_int,
    read_file_text,
    refuse,
)
from desktop.core.ingest.errors import RefusedFile


def _text(data: dict, path: Path, where: str) -> str:
    text = data.get("text")
    if not isinstance(text, str):
        text = next((v for v in data.values() if isinstance(v, str) and len(v) > 40), None)
    if not isinstance(text, str):
        raise refuse(path, where, "no 'text' string in the task data")
    return text


def _span(value: dict, key: str | None, path: Path, where: str) -> Span | None:
    labels = value.get("labels") or value.get("hypertextlabels")
    if not labels or "start" not in value:
        return None
    start = as_int(value.get("start"), path, where, "start")
    end = as_int(value.get("end"), path, where, "end")
    text = value.get("text") if isinstance(value.get("text"), str) else None
    return Span(start, end, str(labels[0]), text, key)


def _results(results: list, path: Path, where: str) -> tuple[list[Span], list[Relation]]:
    spans, pending = [], []
    for item in results:
        if not isinstance(item, dict):
            raise refuse(path, where, f"bad result {item!r}")
        if item.get("type") == "relation":
            pending.append(item)
        elif isinstance(item.get("value"), dict):
            span = _span(item["value"], str(item.get("id")), path, where)
            if span is not None:
                spans.append(span)
    keys = {s.key for s in spans}
    relations = []
    for item in pending:
        head, tail = str(item.get("from_id")), str(item.get("to_id"))
        if head not in keys or tail not in keys:
            raise refuse(path, where, f"relation {head} -> {tail} points at an unknown region")
        if item.get("direction") == "left":
            head, tail = tail, head
        for label in item.get("labels") or ["RELATED"]:
            relations.append(Relation(str(label), [("head", head), ("tail", tail)]))
    return spans, relations


def _task(task: dict, path: Path, where: str, number: int) -> ParsedDoc:
    data = task.get("data") if isinstance(task.get("data"), dict) else task
    text = _text(data, path, where)
    source = str(data.get("doc_id") or data.get("source") or f"{path.stem}#{number}")
    doc = ParsedDoc(text, source, where, utf16=True)
    annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if "annotations" in task or "predictions" in task:
        chosen = annotations[:1]
        if not chosen:
            chosen = [p for p in task.get("predictions") or [] if isinstance(p, dict)][:1]
            doc.status = "proposed"
            doc.confidence = chosen[0].get("score") if chosen else None
        for block in chosen:
            doc.spans, doc.relations = _results(block.get("result") or [], path, where)
        return doc
    for value in task.values():  # JSON-MIN: regions under the control's name
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            doc.spans += [s for v in value if (s := _span(v, None, path, where)) is not None]
    return doc


def parse(path: Path) -> list[ParsedDoc]:
    """The tasks of a Label Studio JSON, JSON-MIN or snapshot export."""
    try:
        tasks = json.loads(read_file_text(path))
    except json.JSONDecodeError as exc:
        raise RefusedFile(path, f"line {exc.lineno}: invalid JSON ({exc.msg})") from exc
    if isinstance(tasks, dict):
        tasks = tasks.get("tasks", [tasks])
    if not isinstance(tasks, list):
        raise RefusedFile(path, "line 1: expected a list of Label Studio tasks")
    docs = []
    for number, task in enumerate(tasks, start=1):
        where = f"task {number}" + (f" (id {task.get('id')})" if isinstance(task, dict) else "")
        if not isinstance(task, dict):
            raise refuse(path, where, "expected a JSON object")
        docs.append(_task(task, path, where, number))
    return docs
