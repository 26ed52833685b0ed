"""Imports of annotated datasets from other tools: doccano, Label Studio, brat, Prodigy, CoNLL."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from desktop.core.formats.imports import brat, conll, doccano, label_studio, prodigy
from desktop.core.formats.imports.common import ImportReport, ParsedDoc, resolve_offsets
from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.readers import _article
from desktop.core.records import NewDocument
from desktop.core.store.documents import text_sha256
from desktop.core.store.imports import ImportDocument

FORMATS: dict[str, Callable[[Path], list[ParsedDoc]]] = {
    "doccano": doccano.parse,
    "label-studio": label_studio.parse,
    "brat": brat.parse,
    "prodigy": prodigy.parse,
    "conll": conll.parse,
}

__all__ = ["FORMATS", "ImportReport", "import_file", "parse_file"]


def parse_file(fmt: str, path: Path) -> list[ParsedDoc]:
    """The documents of a file in a tool's format (a Label Studio .conll is read as CoNLL)."""
    if fmt not in FORMATS:
        raise RefusedFile(path, f"unknown import format {fmt!r} (known: {', '.join(FORMATS)})")
    if not path.exists():
        raise RefusedFile(path, "no such file or folder")
    if fmt == "label-studio" and path.suffix.lower() in (".conll", ".txt"):
        return conll.parse(path, blank_splits_documents=True)
    return FORMATS[fmt](path)


def _prepare(doc: ParsedDoc, path: Path, report: ImportReport, known: bool) -> ImportDocument:
    """Offsets checked and converted; spans and relations as the store writes them."""
    resolve_offsets(doc, path, report)
    where: dict[str, int] = {}
    spans = []
    for i, span in enumerate(doc.spans):
        spans.append((span.start, span.end, span.label, span.note))
        if span.key is not None:
            where[span.key] = i
    facts = []
    for rel in doc.relations:
        missing = [ref for _role, ref in rel.args if ref not in where]
        if missing:
            report.problem(doc.source, f"{doc.where}: {rel.label} relation dropped (span not kept)")
            continue
        facts.append((rel.label, [(role, where[ref]) for role, ref in rel.args], rel.note))
    if known:  # already in the project: only the annotations are written
        new = NewDocument(source=doc.source, text=doc.text)
    else:
        new = _article(doc.text, source=doc.source, path=None, encoding="utf-8", title=doc.title)
    return ImportDocument(new, spans, facts, doc.status, doc.confidence)


def import_file(
    store,  # type: ignore[no-untyped-def]
    fmt: str,
    path: Path | str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Validate a whole file, then write its documents and annotations in one transaction.

    RefusedFile (naming the file and line) when it is malformed; nothing is written then."""
    began = time.perf_counter()
    path = Path(path)
    report = ImportReport(format=fmt, path=str(path))
    parsed = parse_file(fmt, path)
    report.documents = len(parsed)
    known = store.imports.known([d.text for d in parsed])
    prepared = []
    for number, doc in enumerate(parsed, start=1):
        if cancelled is not None and cancelled():
            report.cancelled = True
            return report
        prepared.append(_prepare(doc, path, report, text_sha256(doc.text) in known))
        if progress is not None and (number % 50 == 0 or number == len(parsed)):
            progress(number, len(parsed))
    if cancelled is not None and cancelled():
        report.cancelled = True
        return report
    counts = store.imports.write(prepared, extractor=fmt, label=f"{fmt} {path.name}")
    for name in ("documents_added", "documents_matched", "mentions_added", "mentions_skipped"):
        setattr(report, name, getattr(counts, name))
    report.facts_added, report.facts_skipped = counts.facts_added, counts.facts_skipped
    report.seconds = time.perf_counter() - began
    return report
