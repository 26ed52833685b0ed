"""Canonical entities as JSONL: one entity a line, with its names, counts and sources.

The export takes the same Selection as every other format: an entity is written when at
least one of its mentions is selected, and its counts and sources are those of the
selected mentions (its aliases are all its names)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from desktop.core.formats.atomic import atomic_text_file
from desktop.core.formats.report import ExportReport
from desktop.core.formats.selection import Selection, iter_selected

if TYPE_CHECKING:
    from desktop.core.store import Store

KEYS = ("id", "kind", "preferred_name", "aliases", "mention_count", "document_count", "sources")


@dataclass
class _Seen:
    mentions: int = 0
    sources: list[str] = field(default_factory=list)


def entity_lines(store: Store, kind: str | None = None, sources: bool = True) -> list[dict]:
    """Every entity with mentions as a dict with exactly the export's keys (`sources`
    empty unless asked: reading them costs a pass over every mention's document)."""
    entities = store.entities.list(kind) if sources else store.entities.listing(kind)
    return [
        {
            "id": e.id,
            "kind": e.kind,
            "preferred_name": e.preferred_name,
            "aliases": list(e.aliases),
            "mention_count": e.mention_count,
            "document_count": e.document_count,
            "sources": list(e.sources),
        }
        for e in entities
    ]


def selected_entity_lines(
    store: Store,
    selection: Selection,
    kind: str | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[dict]:
    """The entities with a selected mention, counted over the selected mentions only."""
    seen: dict[int, _Seen] = {}
    for item in iter_selected(store, selection, progress, cancelled, need="mentions"):
        linked = [item.entities[m.id] for m in item.mentions if m.id in item.entities]
        for entity_id, _name in linked:
            entry = seen.setdefault(entity_id, _Seen())
            entry.mentions += 1
            if not entry.sources or entry.sources[-1] != item.source:
                entry.sources.append(item.source)
    lines = []
    for row in entity_lines(store, kind, sources=False):  # counts and sources: the selected
        entry = seen.get(row["id"])
        if entry is None:
            continue
        row["mention_count"] = entry.mentions
        row["document_count"] = len(entry.sources)
        row["sources"] = entry.sources
        lines.append(row)
    return lines


def export_entities_jsonl(store: Store, out: Path | str | IO[str], kind: str | None = None) -> int:
    """Write every entity to a path or an open text stream; returns how many entities."""
    lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in entity_lines(store, kind)]
    _write(out, lines)
    return len(lines)


def export_selected_entities(
    store: Store,
    out: Path,
    selection: Selection | None = None,
    *,
    kind: str | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """entities-jsonl of the selected mentions' entities, with a report."""
    from desktop.core.entities.resolve import resolve

    if not store.entities.resolution_is_current():  # else resolving would change nothing
        resolve(store)
    rows = selected_entity_lines(store, selection or Selection(), kind, progress, cancelled)
    report = ExportReport("entities-jsonl", out)
    if not rows:
        what = f"{kind} entities" if kind else "entities"
        report.empty = f"no {what} among the selected mentions"
        return report
    _write(out, [json.dumps(row, ensure_ascii=False) + "\n" for row in rows])
    report.count("entities", len(rows))
    report.count("documents", len({s for row in rows for s in row["sources"]}))
    report.write(out.with_name(out.name + ".report.txt"))
    return report


def _write(out: Path | str | IO[str], lines: list[str]) -> None:
    if isinstance(out, str | Path):
        with atomic_text_file(Path(out), newline="\n") as fh:
            fh.writelines(lines)
    else:
        out.writelines(lines)
