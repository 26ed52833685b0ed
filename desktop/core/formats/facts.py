"""Facts exports: JSONL (the schema of DESIGN.md) and CSV (one row a fact, roles as columns)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from desktop.core.facts.lexicon import lexicon
from desktop.core.formats.atomic import atomic_text_file
from desktop.core.formats.report import ExportReport
from desktop.core.formats.selection import Selection, iter_selected
from desktop.core.records import FactRecord

if TYPE_CHECKING:
    from desktop.core.store import Store

# A fact, its document's source and text, the canonical entities by mention, and the page
# of its evidence (None for texts without pages).
_Row = tuple[FactRecord, str, str, dict[int, tuple[int, str]], int | None]
NOT_ENTITIES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})


def fact_json(
    fact: FactRecord,
    source: str,
    text: str,
    entities: dict[int, tuple[int, str]] | None = None,
    page: int | None = None,
) -> dict[str, Any]:
    """One fact as the JSON object of the facts schema; `entity` is the canonical name;
    `page`, the page of its evidence in a PDF or Word document, goes into the evidence."""
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
    evidence = {
        "start": fact.evidence_start,
        "end": fact.evidence_end,
        "text": text[fact.evidence_start : fact.evidence_end],
    }
    if page is not None:
        evidence["page"] = page
    return {
        "document": source,
        "fact_id": fact.id,
        "type": fact.type,
        "status": fact.status,
        "origin": fact.origin,
        "extractor": fact.extractor,
        "confidence": fact.confidence,
        "evidence": evidence,
        "zone": fact.zone,
        "arguments": arguments,
        "tags": list(fact.tags),
    }


def _argument_notes(report: ExportReport, fact: FactRecord, source: str, text: str) -> None:
    """Note each argument whose mention's status differs from its fact's (an accepted
    fact over a still proposed mention, a proposed fact over a rejected one)."""
    for a in fact.arguments:
        if a.status is not None and a.status != fact.status:
            report.note(
                f"{fact.status} fact, argument mention still {a.status}",
                source,
                a.start,
                a.end,
                a.text or "",
                f"{fact.type}.{a.role}",
            )


def _write_facts(
    store: Store,
    fmt: str,
    out: Path,
    selection: Selection,
    write: Callable[[TextIO, Iterator[_Row]], None],
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
) -> ExportReport:
    """Stream the selected facts, a document's worth at a time, to `write`."""
    report = ExportReport(fmt, out)

    def rows() -> Iterator[_Row]:
        for item in iter_selected(store, selection, progress, cancelled, need="facts"):
            entities = item.entities
            report.count("documents")
            for fact in item.facts:
                _argument_notes(report, fact, item.source, item.document.text)
                report.count("facts")
                page = item.document.page_of(fact.evidence_start)
                yield fact, item.source, item.document.text, entities, page

    with atomic_text_file(out, newline="" if fmt == "facts-csv" else None) as fh:
        write(fh, rows())
    report.write(out.with_name(out.name + ".report.txt"))
    return report


def export_facts_jsonl(
    store: Store,
    out: Path,
    selection: Selection | None = None,
    *,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """Write the selected facts to a JSONL file (atomically), one fact a line."""

    def write(fh: TextIO, rows: Iterator[_Row]) -> None:
        for fact, source, text, entities, page in rows:
            line = fact_json(fact, source, text, entities, page)
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")

    sel = selection or Selection()
    return _write_facts(store, "facts-jsonl", out, sel, write, progress, cancelled)


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
        "evidence_page",  # empty for texts without pages
        "tags",
    ]
    return fixed + [c for r in roles for c in (r, f"{r}_value")]


def export_facts_csv(
    store: Store,
    out: Path,
    selection: Selection | None = None,
    *,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """Write the selected facts to a CSV file, one row a fact, roles as columns."""
    sel = selection or Selection()
    columns = csv_columns(sorted(sel.fact_types) or list(lexicon().schema))

    def write(fh: TextIO, rows: Iterator[_Row]) -> None:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for fact, source, text, entities, page in rows:
            row = fact_json(fact, source, text, entities, page)
            flat: dict[str, Any] = {k: row[k] for k in columns[:8]}
            flat |= {
                "evidence_start": fact.evidence_start,
                "evidence_end": fact.evidence_end,
                "evidence": row["evidence"]["text"],
                "evidence_page": page,
                "tags": ";".join(fact.tags),
            }
            for a in fact.arguments:
                if a.role in columns:
                    flat[a.role] = " | ".join(filter(None, [flat.get(a.role), a.text]))
                    flat[f"{a.role}_value"] = " | ".join(
                        filter(None, [flat.get(f"{a.role}_value"), a.value])
                    )
            writer.writerow(flat)

    return _write_facts(store, "facts-csv", out, sel, write, progress, cancelled)
