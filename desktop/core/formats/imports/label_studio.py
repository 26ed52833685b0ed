"""Label Studio exports: JSON (spans and relations), JSON-MIN and the snapshot."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from desktop.core.formats.imports import json_array
from desktop.core.formats.imports.common import (
    ParsedDoc,
    Relation,
    Span,
    as_int,
    as_key,
    as_label,
    as_list,
    as_score,
    read_file_text,
    refuse,
    source_of,
)
from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.jsondata import excerpt, loads


def _text(data: dict, path: Path, where: str) -> str:
    text = data.get("text")
    if not isinstance(text, str):
        text = next((v for v in data.values() if isinstance(v, str) and len(v) > 40), None)
    if not isinstance(text, str):
        raise refuse(path, where, "no 'text' string in the task data")
    return text


def _span(value: dict, key: str | None, path: Path, where: str) -> Span | None:
    name = "labels" if "labels" in value else "hypertextlabels"
    labels = as_list(value.get(name), path, where, name)
    if not labels or "start" not in value:
        return None
    start = as_int(value.get("start"), path, where, "start")
    end = as_int(value.get("end"), path, where, "end")
    text = value.get("text") if isinstance(value.get("text"), str) else None
    return Span(start, end, as_label(labels[0], path, where, name), text, key)


def _results(results: list, path: Path, where: str) -> tuple[list[Span], list[Relation]]:
    spans, pending = [], []
    for item in results:
        if not isinstance(item, dict):
            raise refuse(path, where, f"bad result {excerpt(item)} (expected a JSON object)")
        if item.get("type") == "relation":
            pending.append(item)
        elif isinstance(item.get("value"), dict):
            span = _span(item["value"], as_key(item.get("id")), path, where)
            if span is not None:
                spans.append(span)
    keys = {s.key for s in spans if s.key is not None}
    relations = []
    for item in pending:
        head, tail = as_key(item.get("from_id")), as_key(item.get("to_id"))
        if head is None or tail is None or head not in keys or tail not in keys:
            ends = f"{excerpt(item.get('from_id'), 30)} -> {excerpt(item.get('to_id'), 30)}"
            raise refuse(path, where, f"relation {ends} points at an unknown region")
        if item.get("direction") == "left":
            head, tail = tail, head
        for label in as_list(item.get("labels"), path, where, "labels") or ["RELATED"]:
            label = as_label(label, path, where, "labels")
            relations.append(Relation(label, [("head", head), ("tail", tail)]))
    return spans, relations


def _blocks(task: dict, name: str, path: Path, where: str) -> list[dict]:
    """A task's annotations or predictions (JSON objects). Label Studio's JSON export lists
    a task's predictions by their ids: such a number stands for one not in the file."""
    blocks = []
    for block in as_list(task.get(name), path, where, name):
        if isinstance(block, dict):
            blocks.append(block)
        elif name != "predictions" or isinstance(block, bool) or not isinstance(block, int):
            found = excerpt(block)
            raise refuse(path, where, f"bad {name[:-1]} {found} (expected a JSON object)")
    return blocks


def _task(task: dict, path: Path, where: str, number: int) -> ParsedDoc:
    data = task.get("data") if isinstance(task.get("data"), dict) else task
    text = _text(data, path, where)
    source = source_of(data, ("doc_id", "source"), f"{path.stem}#{number}", path, where)
    doc = ParsedDoc(text, source, where, utf16=True)
    if "annotations" in task or "predictions" in task:
        annotations = _blocks(task, "annotations", path, where)
        chosen = [a for a in annotations if not a.get("was_cancelled")][:1]
        predictions = _blocks(task, "predictions", path, where)
        if not chosen:
            chosen = predictions[:1]
            doc.status = "proposed"
            doc.confidence = as_score(chosen[0].get("score"), path, where) if chosen else None
        for block in chosen:
            results = as_list(block.get("result"), path, where, "result")
            doc.spans, doc.relations = _results(results, path, where)
        return doc
    for value in task.values():  # JSON-MIN: regions under the control's name
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            doc.spans += [s for v in value if (s := _span(v, None, path, where)) is not None]
    return doc


def parse(path: Path) -> Iterator[ParsedDoc]:
    """The tasks of a Label Studio JSON, JSON-MIN or snapshot export. The JSON and JSON-MIN
    exports (one array of tasks) are read a task at a time; a snapshot (an object holding
    the tasks) is read whole."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise RefusedFile(path, f"cannot read ({exc.strerror})") from exc
    with raw:
        tasks: Iterable[Any] | None = json_array.items(path, raw)
        if tasks is None:
            tasks = _whole(path)
        for number, task in enumerate(tasks, start=1):
            if not isinstance(task, dict):
                found = excerpt(task)
                raise refuse(path, f"task {number}", f"expected a JSON object (found {found})")
            key = as_key(task.get("id"))
            where = f"task {number}" + (f" (id {key[:30]})" if key is not None else "")
            yield _task(task, path, where, number)


def _whole(path: Path) -> list[Any]:
    """The tasks of a file that is not one array: a snapshot, or a single task."""
    tasks = loads(path, read_file_text(path), "")
    if isinstance(tasks, dict):
        tasks = tasks.get("tasks", [tasks])
    if not isinstance(tasks, list):
        found = excerpt(tasks)
        raise RefusedFile(path, f"line 1: expected a list of Label Studio tasks (found {found})")
    return tasks
