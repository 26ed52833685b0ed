"""Facts exports: JSONL (the schema of DESIGN.md) and CSV (one row a fact, roles as columns)."""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from desktop.core.facts.lexicon import lexicon
from desktop.core.formats.atomic import atomic_text_file
from desktop.core.records import FactRecord
from desktop.core.store import Store

DEFAULT_STATUSES = ("proposed", "accepted")
NOT_ENTITIES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})


def selected_facts(
    store: Store,
    *,
    statuses: Collection[str] = DEFAULT_STATUSES,
    tag: str | None = None,
    types: Collection[str] | None = None,
    include_boilerplate: bool = False,
) -> Iterator[tuple[FactRecord, str, str]]:
    """(fact, document source, document text) for the facts passing the filters."""
    sources: dict[int, tuple[str, str]] = {}
    facts = store.facts.query(
        statuses=list(statuses),
        tag=tag,
        types=list(types or []) or None,
        boilerplate=include_boilerplate,
    )
    for fact in facts:
        if fact.document_id not in sources:
            doc = store.documents.get(fact.document_id)
            assert doc is not None
            sources[fact.document_id] = (doc.info.source, doc.text)
        source, text = sources[fact.document_id]
        yield fact, source, text


def fact_json(
    fact: FactRecord, source: str, text: str, entities: dict[int, tuple[int, str]] | None = None
) -> dict[str, Any]:
    """One fact as the JSON object of the facts schema; `entity` is the canonical name."""
    arguments = []
    for a in fact.arguments:
        entity = None
        if a.mention_id is not None and a.label not in NOT_ENTITIES:
            canonical = (entities or {}).get(a.mention_id)
            entity = canonical[1] if canonical else a.text
        arguments.append(
            {
                "role": a.role,
                "text": a.text,
                "label": a.label,
                "start": a.start,
                "end": a.end,
                "entity": entity,
                "value": a.value,
            }
        )
    return {
        "document": source,
        "fact_id": fact.id,
        "type": fact.type,
        "status": fact.status,
        "origin": fact.origin,
        "extractor": fact.extractor,
        "confidence": fact.confidence,
        "evidence": {
            "start": fact.evidence_start,
            "end": fact.evidence_end,
            "text": text[fact.evidence_start : fact.evidence_end],
        },
        "zone": fact.zone,
        "arguments": arguments,
        "tags": list(fact.tags),
    }


def _canonical(store: Store, facts: list[FactRecord]) -> dict[int, tuple[int, str]]:
    ids = [a.mention_id for f in facts for a in f.arguments if a.mention_id is not None]
    return store.entities.of_mentions(ids)


def export_facts_jsonl(store: Store, out: Path, **filters: Any) -> int:
    """Write the selected facts to a JSONL file (atomically); returns how many."""
    rows = list(selected_facts(store, **filters))
    entities = _canonical(store, [f for f, _s, _t in rows])
    with atomic_text_file(out) as fh:
        for fact, source, text in rows:
            line = fact_json(fact, source, text, entities)
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(rows)


def csv_columns(types: Collection[str]) -> list[str]:
    """The CSV header: fact fields, then each role (text and normalized value) of the types."""
    roles: list[str] = []
    for fact_type in types:
        for role in lexicon().roles(fact_type):
            if role not in roles:
                roles.append(role)
    fixed = [
        "document",
        "fact_id",
        "type",
        "status",
        "origin",
        "extractor",
        "confidence",
        "zone",
        "evidence_start",
        "evidence_end",
        "evidence",
        "tags",
    ]
    return fixed + [c for r in roles for c in (r, f"{r}_value")]


def export_facts_csv(store: Store, out: Path, **filters: Any) -> int:
    """Write the selected facts to a CSV file, one row a fact; returns how many."""
    types = filters.get("types") or list(lexicon().schema)
    columns = csv_columns(types)
    n = 0
    with atomic_text_file(out, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        rows = list(selected_facts(store, **filters))
        entities = _canonical(store, [f for f, _s, _t in rows])
        for fact, source, text in rows:
            row = fact_json(fact, source, text, entities)
            flat: dict[str, Any] = {k: row[k] for k in columns[:8]}
            flat |= {
                "evidence_start": fact.evidence_start,
                "evidence_end": fact.evidence_end,
                "evidence": row["evidence"]["text"],
                "tags": ";".join(fact.tags),
            }
            for a in fact.arguments:
                if a.role in columns:
                    flat[a.role] = " | ".join(filter(None, [flat.get(a.role), a.text]))
                    flat[f"{a.role}_value"] = " | ".join(
                        filter(None, [flat.get(f"{a.role}_value"), a.value])
                    )
            writer.writerow(flat)
            n += 1
    return n
