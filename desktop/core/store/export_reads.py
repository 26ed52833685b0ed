"""What exports read: documents with everything on them, a batch of documents at a time.

One batch is a fixed handful of plain queries (documents, zones, mentions with their
entity, note and tags, facts with arguments and tags, document tags) whatever its size:
no ORM object per row and no query per mention, fact or note. The queries are SQL text
run on the database driver's own connection, so the module needs no SQLAlchemy: the store
gives `ExportReads` its engine, and the command line, on a project that needs no
migration, gives `ExportRows` a plain sqlite3 connection (`ReadOnlyProject`). Both read
through the same functions. Every column read is an integer, a float or text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.core.records import (
    DocumentInfo,
    DocumentRecord,
    FactArgRecord,
    FactRecord,
    MentionRecord,
    ZoneRecord,
)

if TYPE_CHECKING:
    import sqlalchemy as sa

Run = Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]]  # (sql, params) -> rows
IN_CHUNK = 500  # ids bound in one IN (...) list


@dataclass
class DocumentBatchItem:
    """One document as an export reads it."""

    document: DocumentRecord
    mentions: list[MentionRecord] = field(default_factory=list)  # (start, -end, id) order
    facts: list[FactRecord] = field(default_factory=list)  # by evidence start, then id
    tags: frozenset[str] = frozenset()
    mention_tags: dict[int, frozenset[str]] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)  # mention id -> note
    entities: dict[int, tuple[int, str]] = field(default_factory=dict)  # mention -> (id, name)


class _Reads:
    """The export reads over `_run()`, a context giving a query function on one connection."""

    _mark = "?"  # the driver's parameter marker
    _sqlite = True

    @contextmanager
    def _run(self) -> Iterator[Run]:
        raise NotImplementedError
        yield  # pragma: no cover

    def ids(self) -> list[int]:
        """Every document id in import order."""
        # On SQLite the rows hold the texts: a small index holding every id is read instead.
        hint = " INDEXED BY ix_document_last_run_id" if self._sqlite else ""
        with self._run() as run:
            return [r[0] for r in run(f"SELECT id FROM document{hint} ORDER BY id", ())]

    def count(self) -> int:
        """How many documents the project holds."""
        with self._run() as run:
            return int(run("SELECT count(*) FROM document", ())[0][0])

    def sources(self) -> dict[int, str]:
        """Every document's source name by id."""
        with self._run() as run:
            return {i: s for i, s in run("SELECT id, source FROM document", ())}

    def status_counts(self, tables: Sequence[str]) -> dict[str, int]:
        """How many mentions and/or facts (`tables`: "mention", "fact") have each status."""
        counts: dict[str, int] = {}
        with self._run() as run:
            for table in tables:
                if table not in ("mention", "fact"):
                    raise ValueError(f"no statuses in {table!r}")
                for status, n in run(f"SELECT status, count(*) FROM {table} GROUP BY status", ()):
                    counts[status] = counts.get(status, 0) + n
        return counts

    def batch(self, ids: Sequence[int]) -> dict[int, DocumentBatchItem]:
        """The documents of `ids` that exist, with their mentions, facts and tags."""
        if not ids:
            return {}
        out: dict[int, DocumentBatchItem] = {}
        wanted = list(ids)
        with self._run() as run:
            for first in range(0, len(wanted), IN_CHUNK):
                out.update(_batch(run, self._mark, wanted[first : first + IN_CHUNK]))
        return out


class ExportReads(_Reads):
    """Batch reads for exports, on a store's engine (its driver connection)."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._sqlite = engine.dialect.name == "sqlite"
        self._mark = "?" if engine.dialect.paramstyle in ("qmark", "numeric") else "%s"

    @contextmanager
    def _run(self) -> Iterator[Run]:
        with self._engine.connect() as conn:
            if self._sqlite:  # straight to the driver: no row processing
                driver: Any = conn.connection.driver_connection
                yield lambda sql, params: driver.execute(sql, params).fetchall()
            else:
                yield lambda sql, params: conn.exec_driver_sql(sql, tuple(params)).all()


class ExportRows(_Reads):
    """The same reads on a plain sqlite3 connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @contextmanager
    def _run(self) -> Iterator[Run]:
        conn = self._conn
        yield lambda sql, params: conn.execute(sql, params).fetchall()


@dataclass
class ReadOnlyProject:
    """What an export reads of a project (`exports`), on a plain sqlite3 connection: the
    command line exports a project at the newest schema without loading the store."""

    exports: ExportRows
    location: str = ""

    @classmethod
    def of(cls, conn: sqlite3.Connection, location: str = "") -> ReadOnlyProject:
        return cls(ExportRows(conn), location)


def _batch(run: Run, mark: str, ids: list[int]) -> dict[int, DocumentBatchItem]:
    """One batch: every query names the documents by `document_id IN (ids)`."""
    within = f"IN ({', '.join([mark] * len(ids))})"
    docs = run(
        "SELECT id, source, title, published, publisher, dateline, url, encoding,"
        f" extraction_error, text, sha256, path, page_starts FROM document WHERE id {within}",
        ids,
    )
    zones: dict[int, list[ZoneRecord]] = {}
    for doc_id, *zone in run(
        'SELECT document_id, id, start, "end", kind, origin FROM zone'
        f" WHERE document_id {within} ORDER BY document_id, start",
        ids,
    ):
        zones.setdefault(doc_id, []).append(ZoneRecord(*zone))
    mentions, notes, entities = _mentions(run, within, ids)
    mention_tags = _tags(run, "mentiontag", "mention_id", "mention", within, ids)
    facts = _facts(run, within, ids, entities)
    doc_tags: dict[int, set[str]] = {}
    for doc_id, name in run(
        "SELECT dt.document_id, t.name FROM documenttag dt JOIN tag t ON t.id = dt.tag_id"
        f" WHERE dt.document_id {within}",
        ids,
    ):
        doc_tags.setdefault(doc_id, set()).add(name)
    out: dict[int, DocumentBatchItem] = {}
    for row in docs:
        doc_id, *meta, error, text, sha, path, pages = row
        if isinstance(pages, str):  # the driver's JSON text
            pages = json.loads(pages)
        ms = mentions.get(doc_id, [])
        counts = {"proposed": 0, "accepted": 0, "rejected": 0}
        for m in ms:
            if m.status in counts:
                counts[m.status] += 1
        info = DocumentInfo(
            doc_id,
            *meta,
            len(text),
            counts["proposed"],
            counts["accepted"],
            counts["rejected"],
            error,
        )
        record = DocumentRecord(
            info, text, tuple(zones.get(doc_id, ())), sha, path, tuple(pages or ())
        )
        out[doc_id] = DocumentBatchItem(
            record,
            ms,
            facts.get(doc_id, []),
            frozenset(doc_tags.get(doc_id, ())),
            {m.id: mention_tags[m.id] for m in ms if m.id in mention_tags},
            {m.id: notes[m.id] for m in ms if m.id in notes},
            entities,  # shared by the batch: keyed by mention id
        )
    return out


def _mentions(
    run: Run, within: str, ids: list[int]
) -> tuple[dict[int, list[MentionRecord]], dict[int, str], dict[int, tuple[int, str]]]:
    """Mentions by document, notes and canonical entities by mention id."""
    by_doc: dict[int, list[MentionRecord]] = {}
    notes: dict[int, str] = {}
    entities: dict[int, tuple[int, str]] = {}
    rows = run(
        'SELECT m.id, m.document_id, m.start, m."end", m.label, m.text, m.origin, m.extractor,'
        " m.confidence, m.status, m.entity_id, m.run_id, m.note, e.preferred_name"
        " FROM mention m LEFT OUTER JOIN entity e ON e.id = m.entity_id"
        f' WHERE m.document_id {within} ORDER BY m.document_id, m.start, m."end" DESC, m.id',
        ids,
    )
    for *row, note, name in rows:
        record = MentionRecord(*row)
        by_doc.setdefault(record.document_id, []).append(record)
        if note:
            notes[record.id] = note
        if record.entity_id is not None and name is not None:
            entities[record.id] = (record.entity_id, name)
    return by_doc, notes, entities


def _tags(
    run: Run, link: str, key: str, owner: str, within: str, ids: list[int]
) -> dict[int, frozenset[str]]:
    """Tag names of the items (mentions or facts) of these documents, by item id."""
    found: dict[int, set[str]] = {}
    for item_id, name in run(
        f"SELECT l.{key}, t.name FROM {link} l JOIN tag t ON t.id = l.tag_id"
        f" JOIN {owner} o ON o.id = l.{key} WHERE o.document_id {within}",
        ids,
    ):
        found.setdefault(item_id, set()).add(name)
    return {i: frozenset(names) for i, names in found.items()}


def _facts(
    run: Run, within: str, ids: list[int], entities: dict[int, tuple[int, str]]
) -> dict[int, list[FactRecord]]:
    """Facts by document with their arguments (label and status of the argument's
    mention) and tags; the entities of argument mentions join `entities`."""
    args: dict[int, list[FactArgRecord]] = {}
    for fact_id, *arg, entity_id, name in run(
        'SELECT a.fact_id, a.id, a.role, a.position, a.mention_id, a.start, a."end", a.text,'
        " a.value, m.label, m.status, m.entity_id, e.preferred_name FROM factargument a"
        " JOIN fact f ON f.id = a.fact_id LEFT OUTER JOIN mention m ON m.id = a.mention_id"
        " LEFT OUTER JOIN entity e ON e.id = m.entity_id"
        f" WHERE f.document_id {within} ORDER BY a.position, a.id",
        ids,
    ):
        record = FactArgRecord(*arg)
        args.setdefault(fact_id, []).append(record)
        if record.mention_id is not None and entity_id is not None and name is not None:
            entities.setdefault(record.mention_id, (entity_id, name))
    tags = _tags(run, "facttag", "fact_id", "fact", within, ids)
    by_doc: dict[int, list[FactRecord]] = {}
    for *row, note in run(
        "SELECT id, document_id, type, evidence_start, evidence_end, zone, origin, extractor,"
        f" confidence, status, note FROM fact WHERE document_id {within}"
        " ORDER BY document_id, evidence_start, id",
        ids,
    ):
        fact_id = row[0]
        record = FactRecord(
            *row,
            tuple(args.get(fact_id, ())),
            tuple(sorted(tags.get(fact_id, ()))),
            note,
        )
        by_doc.setdefault(record.document_id, []).append(record)
    return by_doc
