"""JSONL export in the Prodigy/spaCy span style: one document a line."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from pathlib import Path

from desktop.core.store import Store

DEFAULT_STATUSES = ("proposed", "accepted")


def document_line(store: Store, document_id: int, statuses: Collection[str]) -> dict | None:
    """The JSON object for one document, with its spans of the wanted statuses."""
    doc = store.documents.get(document_id)
    if doc is None:
        return None
    spans = [
        {"start": m.start, "end": m.end, "label": m.label, "status": m.status, "origin": m.origin}
        for m in store.mentions.for_document(document_id)
        if m.status in statuses
    ]
    meta = {"source": doc.info.source, "title": doc.info.title, "date": doc.info.published}
    return {"text": doc.text, "spans": spans, "meta": meta}


def export_jsonl(
    store: Store,
    out: Path,
    *,
    statuses: Collection[str] = DEFAULT_STATUSES,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> int:
    """Write every document to `out` (atomically); returns the number of lines."""
    from desktop.core.formats.atomic import atomic_text_file

    ids = store.documents.ids()
    written = 0
    with atomic_text_file(out) as fh:
        for done, doc_id in enumerate(ids, start=1):
            line = document_line(store, doc_id, statuses)
            if line is not None:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
                written += 1
            progress(done, len(ids))
    return written
