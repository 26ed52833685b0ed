"""What exports read: documents with everything on them, a batch of documents at a time.

One batch is a fixed handful of plain queries (documents, zones, mentions with their
entity, note and tags, facts with arguments and tags, document tags) whatever its size:
no ORM object per row and no query per mention, fact or note. Rows come straight from
the driver (`plain_rows`): every column read is an integer, a float or text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from desktop.core.models import (
    Document,
    DocumentTag,
    Entity,
    Fact,
    FactArgument,
    FactTag,
    Mention,
    MentionTag,
    Tag,
    Zone,
)
from desktop.core.records import (
    DocumentInfo,
    DocumentRecord,
    FactArgRecord,
    FactRecord,
    MentionRecord,
    ZoneRecord,
)
from desktop.core.store.db import plain_rows

D, Z, M, E = Document.__table__, Zone.__table__, Mention.__table__, Entity.__table__
F, A, T = Fact.__table__, FactArgument.__table__, Tag.__table__
DT, MT, FT = DocumentTag.__table__, MentionTag.__table__, FactTag.__table__


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


class ExportReads:
    """Batch reads for exports."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def sources(self) -> dict[int, str]:
        """Every document's source name by id."""
        with self._engine.connect() as conn:
            return dict(plain_rows(conn, sa.select(D.c.id, D.c.source)))

    def status_counts(self, tables: Sequence[str]) -> dict[str, int]:
        """How many mentions and/or facts (`tables`: "mention", "fact") have each status."""
        counts: dict[str, int] = {}
        with self._engine.connect() as conn:
            for table in tables:
                t = {"mention": M, "fact": F}[table]
                query = sa.select(t.c.status, sa.func.count()).group_by(t.c.status)
                for status, n in plain_rows(conn, query):
                    counts[status] = counts.get(status, 0) + n
        return counts

    def batch(self, ids: Sequence[int]) -> dict[int, DocumentBatchItem]:
        """The documents of `ids` that exist, with their mentions, facts and tags."""
        if not ids:
            return {}
        wanted = list(ids)
        with self._engine.connect() as conn:
            docs = plain_rows(
                conn,
                sa.select(
                    D.c.id, D.c.source, D.c.title, D.c.published, D.c.publisher, D.c.dateline,
                    D.c.url, D.c.encoding, D.c.extraction_error, D.c.text, D.c.sha256, D.c.path,
                    D.c.page_starts,
                ).where(D.c.id.in_(wanted)),
            )  # fmt: skip
            zones: dict[int, list[ZoneRecord]] = {}
            zone_query = sa.select(Z.c.document_id, Z.c.id, Z.c.start, Z.c.end, Z.c.kind)
            zone_query = zone_query.add_columns(Z.c.origin).where(Z.c.document_id.in_(wanted))
            for doc_id, *zone in plain_rows(conn, zone_query.order_by(Z.c.document_id, Z.c.start)):
                zones.setdefault(doc_id, []).append(ZoneRecord(*zone))
            mentions, notes, entities = _mentions(conn, wanted)
            mention_tags = _tags(conn, MT, MT.c.mention_id, M, M.c.document_id, wanted)
            facts = _facts(conn, wanted, entities)
            doc_tags: dict[int, set[str]] = {}
            query = sa.select(DT.c.document_id, T.c.name).join(T, T.c.id == DT.c.tag_id)
            for doc_id, name in plain_rows(conn, query.where(DT.c.document_id.in_(wanted))):
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
    conn: sa.Connection, ids: list[int]
) -> tuple[dict[int, list[MentionRecord]], dict[int, str], dict[int, tuple[int, str]]]:
    """Mentions by document, notes and canonical entities by mention id."""
    query = (
        sa.select(
            M.c.id, M.c.document_id, M.c.start, M.c.end, M.c.label, M.c.text, M.c.origin,
            M.c.extractor, M.c.confidence, M.c.status, M.c.entity_id, M.c.run_id, M.c.note,
            E.c.preferred_name,
        )
        .outerjoin(E, E.c.id == M.c.entity_id)
        .where(M.c.document_id.in_(ids))
        .order_by(M.c.document_id, M.c.start, M.c.end.desc(), M.c.id)
    )  # fmt: skip
    by_doc: dict[int, list[MentionRecord]] = {}
    notes: dict[int, str] = {}
    entities: dict[int, tuple[int, str]] = {}
    for *row, note, name in plain_rows(conn, query):
        record = MentionRecord(*row)
        by_doc.setdefault(record.document_id, []).append(record)
        if note:
            notes[record.id] = note
        if record.entity_id is not None and name is not None:
            entities[record.id] = (record.entity_id, name)
    return by_doc, notes, entities


def _tags(
    conn: sa.Connection,
    link: sa.Table,
    key: sa.Column,  # type: ignore[type-arg]
    owner: sa.Table,
    owner_doc: sa.Column,  # type: ignore[type-arg]
    ids: list[int],
) -> dict[int, frozenset[str]]:
    """Tag names of the items (mentions or facts) of these documents, by item id."""
    query = (
        sa.select(key, T.c.name)
        .join(T, T.c.id == link.c.tag_id)
        .join(owner, owner.c.id == key)
        .where(owner_doc.in_(ids))
    )
    found: dict[int, set[str]] = {}
    for item_id, name in plain_rows(conn, query):
        found.setdefault(item_id, set()).add(name)
    return {i: frozenset(names) for i, names in found.items()}


def _facts(
    conn: sa.Connection, ids: list[int], entities: dict[int, tuple[int, str]]
) -> dict[int, list[FactRecord]]:
    """Facts by document with their arguments (label and status of the argument's
    mention) and tags; the entities of argument mentions join `entities`."""
    args: dict[int, list[FactArgRecord]] = {}
    query = (
        sa.select(
            A.c.fact_id, A.c.id, A.c.role, A.c.position, A.c.mention_id, A.c.start, A.c.end,
            A.c.text, A.c.value, M.c.label, M.c.status, M.c.entity_id, E.c.preferred_name,
        )
        .join(F, F.c.id == A.c.fact_id)
        .outerjoin(M, M.c.id == A.c.mention_id)
        .outerjoin(E, E.c.id == M.c.entity_id)
        .where(F.c.document_id.in_(ids))
        .order_by(A.c.position, A.c.id)
    )  # fmt: skip
    for fact_id, *arg, entity_id, name in plain_rows(conn, query):
        record = FactArgRecord(*arg)
        args.setdefault(fact_id, []).append(record)
        if record.mention_id is not None and entity_id is not None and name is not None:
            entities.setdefault(record.mention_id, (entity_id, name))
    tags = _tags(conn, FT, FT.c.fact_id, F, F.c.document_id, ids)
    query = (
        sa.select(
            F.c.id, F.c.document_id, F.c.type, F.c.evidence_start, F.c.evidence_end, F.c.zone,
            F.c.origin, F.c.extractor, F.c.confidence, F.c.status, F.c.note,
        )
        .where(F.c.document_id.in_(ids))
        .order_by(F.c.document_id, F.c.evidence_start, F.c.id)
    )  # fmt: skip
    by_doc: dict[int, list[FactRecord]] = {}
    for *row, note in plain_rows(conn, query):
        fact_id = row[0]
        record = FactRecord(
            *row,
            tuple(args.get(fact_id, ())),
            tuple(sorted(tags.get(fact_id, ()))),
            note,
        )
        by_doc.setdefault(record.document_id, []).append(record)
    return by_doc
