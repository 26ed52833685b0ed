"""A small reviewed project for the training tests: tests/data/learning, reviewed as an
analyst would (PERSON, ORG and GPE decided, every other label left to the model)."""

from __future__ import annotations

import re
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "learning"
REVIEWED_LABELS = ("PERSON", "ORG", "GPE")
GOLD = {
    "Rosnah Idrakis": "PERSON",
    "Tomas Arvelio": "PERSON",
    "Dani Kerusat": "PERSON",
    "Vessa Port Authority": "ORG",
    "Orsindo Marine": "ORG",
    "Belang Dredging Works": "ORG",
    "Tanjung Vessa": "GPE",
    "Kuala Belang": "GPE",
    "KUALA BELANG": "GPE",
}


def files() -> list[Path]:
    """The articles, in name order."""
    return sorted(DATA.glob("port_*.txt"))


def build(store, pipeline, count: int | None = None) -> list[int]:  # type: ignore[no-untyped-def]
    """Import and extract the articles (the first `count`); their document ids."""
    from desktop.core.ingest.importer import ingest
    from desktop.core.nlp.extract import extract

    ids = [e.document_id for e in ingest(store, files()[:count]) if e.document_id is not None]
    list(extract(store, pipeline, document_ids=ids, facts=False))
    return ids


def review(store, document_id: int) -> None:  # type: ignore[no-untyped-def]
    """Accept the right PERSON/ORG/GPE proposals, reject the others, add each gold name the
    pipeline missed, and mark the document done (other labels stay proposed)."""
    text = store.documents.get(document_id).text
    kept: list[tuple[int, int]] = []
    for m in store.mentions.for_document(document_id):
        if m.label not in REVIEWED_LABELS:
            continue
        if GOLD.get(m.text) == m.label:
            store.mentions.set_status(m.id, "accepted")
            kept.append((m.start, m.end))
        else:
            store.mentions.set_status(m.id, "rejected")
    for name, label in GOLD.items():
        for hit in re.finditer(re.escape(name), text):
            s, e = hit.span()
            if not any(a < e and s < b for a, b in kept):
                store.mentions.add(document_id, s, e, label)
                kept.append((s, e))
    store.learning.mark_done([document_id])
