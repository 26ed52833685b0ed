"""Canonical entities as JSONL: one entity a line, with its names, counts and sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, TYPE_CHECKING

from desktop.core.formats.atomic import atomic_text_file

if TYPE_CHECKING:
    from desktop.core.store import Store

KEYS = ("id", "kind", "preferred_name", "aliases", "mention_count", "document_count", "sources")


def entity_lines(store: Store, kind: str | None = None) -> list[dict]:
    """Every entity with mentions as a dict with exactly the export's keys."""
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
        for e in store.entities.list(kind)
    ]


def export_entities_jsonl(store: Store, out: Path | str | IO[str], kind: str | None = None) -> int:
    """Write entities-jsonl to a path or an open text stream; returns how many entities."""
    lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in entity_lines(store, kind)]
    if isinstance(out, str | Path):
        with atomic_text_file(Path(out), newline="\n") as fh:
            fh.writelines(lines)
    else:
        out.writelines(lines)
    return len(lines)
