"""Imports of annotated datasets from other tools: doccano, Label Studio, brat, Prodigy, CoNLL."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.core.formats.imports import brat, conll, doccano, label_studio, prodigy
from desktop.core.formats.imports.common import ImportReport, ParsedDoc, resolve_offsets
from desktop.core.ingest.errors import RefusedFile
from desktop.core.ingest.names import shown
from desktop.core.ingest.readers import _article
from desktop.core.records import NewDocument
from desktop.core.store.imports import ImportDocument
from desktop.core.store.light import text_sha256

FORMATS: dict[str, Callable[[Path], Iterable[ParsedDoc]]] = {
    "doccano": doccano.parse,
    "label-studio": label_studio.parse,
    "brat": brat.parse,
    "prodigy": prodigy.parse,
    "conll": conll.parse,
}

__all__ = ["FORMATS", "ImportReport", "import_file", "parse_file"]


PREPARE_BATCH = 500  # documents parsed, checked and written at a time


def parse_file(fmt: str, path: Path) -> Iterable[ParsedDoc]:
    """The documents of a file in a tool's format (a Label Studio .conll is read as CoNLL),
    read as they are used (Label Studio's JSON, a single array, is read whole)."""
    _check(fmt, path)
    if fmt == "label-studio" and path.suffix.lower() in (".conll", ".txt"):
        return conll.parse(path, blank_splits_documents=True)
    return FORMATS[fmt](path)


def _check(fmt: str, path: Path) -> None:
    """Refuse an unknown format or a missing file."""
    if fmt not in FORMATS:
        raise RefusedFile(path, f"unknown import format {fmt!r} (known: {', '.join(FORMATS)})")
    if not path.exists():
        raise RefusedFile(path, "no such file or folder")


def _prepare(
    doc: ParsedDoc, path: Path, report: ImportReport, known: bool, sha: str
) -> ImportDocument:
    """Offsets checked and converted; spans and relations as the store writes them."""
    for message in doc.problems:
        report.problem(doc.source, message)
    resolve_offsets(doc, path, report)
    spans = [(span.start, span.end, span.label, span.note) for span in doc.spans]
    where: dict[str, int] = {}
    if doc.relations:  # span keys matter only to relations
        where = {span.key: i for i, span in enumerate(doc.spans) if span.key is not None}
    facts = []
    for rel in doc.relations:
        missing = [ref for _role, ref in rel.args if ref not in where]
        if missing or not rel.args:
            report.problem(doc.source, f"{doc.where}: {rel.label} relation dropped (span not kept)")
            continue
        facts.append((rel.label, [(role, where[ref]) for role, ref in rel.args], rel.note))
    if known:  # already in the project: only the annotations are written
        new = NewDocument(source=doc.source, text=doc.text)
    else:
        new = _article(doc.text, source=doc.source, path=None, encoding="utf-8", title=doc.title)
    return ImportDocument(new, spans, facts, doc.status, doc.confidence, sha)


def import_file(
    store,  # type: ignore[no-untyped-def]
    fmt: str,
    path: Path | str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Read, check and write a file's documents and annotations batch by batch, in one
    transaction: memory stays flat whatever the file's size.

    RefusedFile (naming the file and line) when it is malformed, wherever that is found;
    the transaction is rolled back and nothing is written then. `cancelled` is asked per
    document and during the write; a cancelled import writes nothing and its report says
    cancelled. `progress(documents read, 0)` follows each batch (the total is not known).

    The mentions of documents new to the project are linked to entities as they are
    written (desktop.core.store.imports); `report.unresolved_ids` names the documents left
    to `resolve_documents` (those already in the project, or given twice). `store` may be
    a Store or a plain project (`store.imports.open_plain`): only its `imports` is used."""
    with _cyclic_gc_paused():
        return _import(store, fmt, Path(path), progress, cancelled)


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector (plain reference counting still frees memory).

    An import holds tens of thousands of new objects (spans, rows) until its write: each of
    them makes the collector run again over the whole process heap, which cost a 2,000
    document import a fifth of its time. Pauses from several threads nest."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def _import(
    store,  # type: ignore[no-untyped-def]
    fmt: str,
    path: Path,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> ImportReport:
    began = time.perf_counter()
    report = ImportReport(format=fmt, path=shown(path))
    _check(fmt, path)  # before the write begins
    stop = cancelled or _never

    def batches(known: Callable[[list[str]], set[str]]) -> Iterator[list[ImportDocument]]:
        # Called once per try of the write: each try reads the file afresh.
        report.documents = 0
        report.utf16_converted, report.mismatches = [], {}
        for chunk in _chunks(parse_file(fmt, path), PREPARE_BATCH):
            if stop():
                return
            shas = [text_sha256(d.text) for d in chunk]
            present = known(shas)
            chunk.reverse()  # popped in file order: a parsed document goes once prepared
            prepared = []
            for sha in shas:
                if stop():
                    return
                prepared.append(_prepare(chunk.pop(), path, report, sha in present, sha))
            report.documents += len(prepared)
            yield prepared
            if progress is not None:  # the file's total is not known until it is read
                progress(report.documents, 0)

    label = f"{fmt} {shown(path.name)}"
    counts = store.imports.write_batches(
        batches, extractor=fmt, label=label, cancelled=stop, resolve=True
    )
    if counts.cancelled:  # rolled back: nothing was written
        report.cancelled = True
        return report
    for name in ("documents_added", "documents_matched", "mentions_added", "mentions_skipped"):
        setattr(report, name, getattr(counts, name))
    report.facts_added, report.facts_skipped = counts.facts_added, counts.facts_skipped
    report.document_ids, report.batch = sorted(set(counts.document_ids)), counts.batch
    report.unresolved_ids = counts.unresolved
    report.seconds = time.perf_counter() - began
    return report


def _chunks(docs: Iterable[ParsedDoc], size: int) -> Iterator[list[ParsedDoc]]:
    chunk: list[ParsedDoc] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _never() -> bool:
    return False
