"""A layer from a file: a colleague's project, or an export in a format the app imports.

An export is read with the importers' own parsers (`formats.imports`), so offsets are
checked and converted exactly as an import would, but nothing is written anywhere: the
file only becomes a layer to compare with. Its relations and events become facts (type
and arguments by role and offsets), as an import would store them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection
from pathlib import Path

from desktop.core.agreement.layers import (
    AgreementError,
    Argument,
    DocumentLayer,
    FactItem,
    Layer,
    Span,
    open_layer,
)
from desktop.core.locations import PROJECT_SUFFIX

PROJECT = "project"
EXPORT_FORMATS = ("prodigy", "doccano", "label-studio", "brat", "conll")
SQLITE_MAGIC = b"SQLite format 3\x00"


def guess_format(path: str | Path) -> str:
    """`project` for a SQLite file, else the export format its name and first record tell
    (a folder is brat; .conll is CoNLL; .json Label Studio; a .jsonl line with ``spans``
    Prodigy, with ``label`` or ``entities`` doccano). Raises `AgreementError` when
    nothing tells."""
    if "://" in str(path):
        return PROJECT  # a shared project on a server
    p = Path(path)
    if p.is_dir():
        return "brat"
    if not p.exists():
        raise AgreementError(f"{p}: no such file or folder")
    with p.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    suffix = p.suffix.lower()
    if head == SQLITE_MAGIC or suffix in (PROJECT_SUFFIX, ".db", ".sqlite"):
        return PROJECT  # a file named as a project that is not one says so when opened
    if suffix in (".conll", ".iob", ".txt"):
        return "conll"
    if suffix == ".json":
        return "label-studio"
    if suffix == ".jsonl":
        with p.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.strip():
                    try:
                        record = json.loads(line)
                    except ValueError:
                        break
                    if isinstance(record, dict) and "spans" in record:
                        return "prodigy"
                    if isinstance(record, dict) and ("label" in record or "entities" in record):
                        return "doccano"
                    break
    raise AgreementError(
        f"{p}: not a project file, and its format cannot be told from it "
        f"(name one of: {', '.join(EXPORT_FORMATS)})"
    )


def read_export(
    path: str | Path,
    fmt: str,
    *,
    statuses: Collection[str] = ("accepted",),
    cancelled: Callable[[], bool] = lambda: False,
) -> Layer:
    """The layer of an export file in one of the import formats. A document whose record
    the tool marked with a status not in `statuses` (Label Studio's predictions are
    ``proposed``) is held with no spans, as a project's proposals would not count."""
    from desktop.core.formats.imports import parse_file
    from desktop.core.formats.imports.common import ImportReport, resolve_offsets
    from desktop.core.ingest.errors import RefusedFile
    from desktop.core.store.documents import text_sha256

    p = Path(path)
    # a relation is between spans: no literal arguments, and in Prodigy at least two
    layer = Layer(
        str(p),
        literal_arguments=False,
        min_arguments=2 if fmt == "prodigy" else 1,
        holds_facts=fmt != "conll",
    )
    report = ImportReport(format=fmt, path=str(p))
    try:
        for doc in parse_file(fmt, p):
            if cancelled():
                break
            resolve_offsets(doc, p, report)
            counts = doc.status in statuses
            spans, facts = _items(doc, fmt) if counts else ([], set())
            sha = text_sha256(doc.text)
            layer.documents[sha] = DocumentLayer(
                sha,
                doc.source,
                doc.text,
                tuple(spans),
                tuple(sorted(facts, key=lambda f: (f.type, f.arguments))),
            )
    except RefusedFile as exc:
        raise AgreementError(str(exc)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise AgreementError(f"{p}: cannot be read ({exc})") from exc
    if not layer.documents:
        raise AgreementError(f"{p}: no document in it")
    return layer


def _items(doc, fmt: str) -> tuple[list[Span], set[FactItem]]:  # type: ignore[no-untyped-def]
    """A parsed document's spans and facts as agreement compares them.

    A relation's end labelled with the very role it plays is no span: the app's Prodigy
    export labels an argument that is no entity mention with its role ("date") and names
    the roles (`head_role`, `child_role`), which the importer reads. Relations sharing a
    key (the export's `fact_id`: a fact of n arguments is n - 1 relations from its first
    argument to each other one) make one fact. A brat event's trigger labelled with a fact
    type (the app's export: a text-bound over the evidence, shared by the facts of one
    sentence) is evidence, neither a span nor an argument."""
    where = {s.key: s for s in doc.spans if s.key is not None}
    kinds = {rel.label for rel in doc.relations}
    markers = {
        ref
        for rel in doc.relations
        for role, ref in rel.args
        if ref in where
        and (where[ref].label == role or (role == "trigger" and where[ref].label in kinds))
    }
    spans = sorted({Span(s.start, s.end, s.label) for s in doc.spans if s.key not in markers})
    grouped: dict[tuple, set[Argument]] = {}
    for n, rel in enumerate(doc.relations):
        if not rel.args or any(ref not in where for _role, ref in rel.args):
            continue
        args = {
            (role, where[ref].start, where[ref].end)
            for role, ref in rel.args
            if not (role == "trigger" and ref in markers)
        }
        group = (rel.label, rel.key if rel.key is not None else n)
        grouped.setdefault(group, set()).update(args)
    facts = {FactItem(group[0], tuple(sorted(args))) for group, args in grouped.items()}
    return spans, facts


def open_any(
    path: str | Path,
    fmt: str | None = None,
    *,
    statuses: Collection[str] = ("accepted",),
    include_human: bool = True,
    cancelled: Callable[[], bool] = lambda: False,
) -> Layer:
    """The layer of a project file or of an export (`fmt` None: told from the file)."""
    kind = fmt or guess_format(path)
    if kind == PROJECT:
        try:
            return open_layer(path, statuses=statuses, include_human=include_human)
        except sqlite3.DatabaseError as exc:
            raise AgreementError(f"{path}: not a readable project ({exc})") from exc
    if kind not in EXPORT_FORMATS:
        raise AgreementError(
            f"{path}: unknown format {kind!r} (known: project, {', '.join(EXPORT_FORMATS)})"
        )
    return read_export(path, kind, statuses=statuses, cancelled=cancelled)
