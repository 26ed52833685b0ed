"""Documents and their zones: add (idempotent by sha256), list, read."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from desktop.core.folding import fold
from desktop.core.models import Document, DocumentTag, Mention, Tag, Zone
from desktop.core.records import DocumentInfo, DocumentRecord, NewDocument, ZoneRecord
from desktop.core.store.changes import Change, Recorder
from desktop.core.store.db import SEARCH_TABLE_DIALECTS, is_duplicate_document, transaction
from desktop.core.store.light import text_sha256
from desktop.core.store.revisions import record

_TRIES = 3  # writes of documents raced by another process's same text, before giving up


def _status_count(status: str) -> sa.ColumnElement[int]:
    return func.coalesce(func.sum(sa.case((Mention.status == status, 1), else_=0)), 0)


def _info_query():  # type: ignore[no-untyped-def]
    return (
        select(
            Document.id,
            Document.source,
            Document.title,
            Document.published,
            Document.publisher,
            Document.dateline,
            Document.url,
            Document.encoding,
            func.length(Document.text),
            _status_count("proposed"),
            _status_count("accepted"),
            _status_count("rejected"),
            Document.extraction_error,
        )
        .select_from(Document)
        .outerjoin(Mention, col(Mention.document_id) == Document.id)
        .group_by(col(Document.id))
        .order_by(col(Document.id))
    )


def _infos(session: Session, ids: list[int]) -> list[DocumentInfo]:
    query = _info_query().where(col(Document.id).in_(ids))
    return [DocumentInfo(*row) for row in session.exec(query).all()]


class Documents:
    """All queries and mutations of documents and zones."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._fts = engine.dialect.name in SEARCH_TABLE_DIALECTS

    def find_by_sha(self, sha256: str) -> int | None:
        """The id of the document with this text hash, if imported."""
        with Session(self._engine) as session:
            return session.exec(select(Document.id).where(Document.sha256 == sha256)).first()

    def add(self, new: NewDocument, actor: str = "import") -> tuple[int, bool]:
        """Store a document with its zones; returns (id, created). Same text twice is a no-op."""
        return self.add_many([new], actor)[0]

    def add_many(
        self, news: Sequence[NewDocument], actor: str = "import"
    ) -> list[tuple[int, bool]]:
        """Store documents in one transaction (all or none); (id, created) for each.

        A text the project holds already, or which another process adds meanwhile, is not
        created again: its (id, False) says where it is."""
        for _attempt in range(_TRIES - 1):
            try:
                return self._add_many(news, actor)
            except sa.exc.IntegrityError as exc:
                # Another process added one of these texts between our check and our insert
                # (only where the check takes no lock: SQLite's write transaction does).
                # Everything was rolled back; the next try finds that document and skips it.
                if not is_duplicate_document(exc):
                    raise
        return self._add_many(news, actor)

    def _add_many(self, news: Sequence[NewDocument], actor: str) -> list[tuple[int, bool]]:
        results: list[tuple[int, bool]] = []
        with transaction(self._engine) as session:  # the write lock, before the check
            seen: dict[str, int] = {}
            for new in news:
                sha = text_sha256(new.text)
                existing = (
                    seen.get(sha)
                    or session.exec(select(Document.id).where(Document.sha256 == sha)).first()
                )
                if existing is not None:
                    results.append((existing, False))
                    continue
                doc_id = self._insert(session, new, sha, actor)
                seen[sha] = doc_id
                results.append((doc_id, True))
        return results

    def _insert(self, session: Session, new: NewDocument, sha: str, actor: str) -> int:
        doc = Document(
            sha256=sha,
            source=new.source,
            path=new.path,
            title=new.title,
            published=new.published,
            publisher=new.publisher,
            dateline=new.dateline,
            url=new.url,
            encoding=new.encoding,
            text=new.text,
            page_starts=list(new.page_starts) or None,
        )
        session.add(doc)
        session.flush()
        assert doc.id is not None
        if new.zones:
            session.execute(
                sa.insert(Zone),
                [
                    {"document_id": doc.id, "start": z.start, "end": z.end, "kind": z.kind}
                    for z in new.zones
                ],
            )
        if self._fts:
            session.execute(
                sa.text("INSERT INTO document_fts(rowid, title, body) VALUES (:id, :title, :body)"),
                {"id": doc.id, "title": fold(new.title or ""), "body": fold(new.text)},
            )
        record(
            session,
            actor=actor,
            action="document.add",
            target="document",
            target_id=doc.id,
            after={"source": new.source, "sha256": sha, "title": new.title},
            summary=f"Imported {new.source}",
        )
        return doc.id

    def delete(self, document_id: int, actor: str = "analyst") -> None:
        """Remove a document and everything that points into it."""
        with transaction(self._engine) as session:
            doc = session.get(Document, document_id)
            if doc is None:
                return
            before = {"source": doc.source, "sha256": doc.sha256, "title": doc.title}
            session.delete(doc)
            if self._fts:
                session.execute(
                    sa.text("DELETE FROM document_fts WHERE rowid = :id"), {"id": document_id}
                )
            record(
                session,
                actor=actor,
                action="document.delete",
                target="document",
                target_id=document_id,
                before=before,
                summary=f"Deleted {before['source']}",
            )

    def count(self) -> int:
        """How many documents the project holds."""
        with Session(self._engine) as session:
            return int(session.exec(select(func.count()).select_from(Document)).one())

    def ids(
        self, *, pending_extraction: bool = False, status: str | None = None, tag: str | None = None
    ) -> list[int]:
        """Document ids in import order, optionally only those never extracted, with a
        mention of some status, or with a tag."""
        # On SQLite the rows hold the texts: scanning them for the ids reads the whole
        # file, a small index holding every id is read instead (other servers ignore it).
        query = (
            select(Document.id)
            .with_hint(Document, "INDEXED BY ix_document_last_run_id", "sqlite")
            .order_by(Document.id)
        )
        if pending_extraction:  # never extracted, or the last try failed
            query = query.where(
                col(Document.last_run_id).is_(None) | col(Document.extraction_error).is_not(None)
            )
        if status is not None:
            query = query.where(
                sa.exists().where(Mention.document_id == Document.id, Mention.status == status)
            )
        if tag is not None:
            query = query.where(
                sa.exists()
                .where(DocumentTag.document_id == Document.id, DocumentTag.tag_id == Tag.id)
                .where(Tag.name == tag)
            )
        with Session(self._engine) as session:
            return [i for i in session.exec(query).all() if i is not None]

    def page(self, offset: int = 0, limit: int | None = None) -> list[DocumentInfo]:
        """Document metadata with annotation counts, in import order."""
        query = _info_query().offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with Session(self._engine) as session:
            return [DocumentInfo(*row) for row in session.exec(query).all()]

    def names(self, ids: Sequence[int] | None = None) -> list[DocumentInfo]:
        """Source, title and dates of documents (all with None), without the annotation
        counts: cheap enough for a view naming thousands of documents."""
        d = Document.__table__
        query = sa.select(
            d.c.id, d.c.source, d.c.title, d.c.published, d.c.publisher, d.c.dateline, d.c.url
        ).order_by(d.c.id)
        if ids is not None:
            query = query.where(d.c.id.in_(sa.bindparam("ids", expanding=True)))
        with self._engine.connect() as conn:
            rows = conn.execute(query, {"ids": list(ids)} if ids is not None else {}).all()
        return [DocumentInfo(*row, encoding=None, length=0) for row in rows]

    def infos(self, ids: list[int]) -> list[DocumentInfo]:
        """Metadata and counts for the given document ids, in id order."""
        with Session(self._engine) as session:
            return _infos(session, ids)

    def get(self, document_id: int) -> DocumentRecord | None:
        """A document with its text and zones."""
        with Session(self._engine) as session:
            doc = session.get(Document, document_id)
            if doc is None:
                return None
            zones = session.exec(
                select(Zone).where(Zone.document_id == document_id).order_by(col(Zone.start))
            ).all()
            return DocumentRecord(
                info=_infos(session, [document_id])[0],
                text=doc.text,
                zones=tuple(ZoneRecord(z.id or 0, z.start, z.end, z.kind, z.origin) for z in zones),
                sha256=doc.sha256,
                path=doc.path,
                page_starts=tuple(doc.page_starts or ()),
            )

    def get_many(self, ids: Sequence[int]) -> dict[int, DocumentRecord]:
        """Documents with their text and zones, by id (as `get`, in three queries)."""
        if not ids:
            return {}
        with Session(self._engine) as session:
            wanted = col(Document.id).in_(ids)
            rows = session.exec(
                select(
                    Document.id, Document.text, Document.sha256, Document.path, Document.page_starts
                ).where(wanted)
            ).all()
            zones: dict[int, list[ZoneRecord]] = {}
            for z in session.exec(
                select(Zone)
                .where(col(Zone.document_id).in_(ids))
                .order_by(col(Zone.document_id), col(Zone.start))
            ).all():
                zones.setdefault(z.document_id, []).append(
                    ZoneRecord(z.id or 0, z.start, z.end, z.kind, z.origin)
                )
            infos = {i.id: i for i in _infos(session, list(ids))}
            return {
                i: DocumentRecord(
                    info=infos[i],
                    text=text,
                    zones=tuple(zones.get(i, ())),
                    sha256=sha,
                    path=path,
                    page_starts=tuple(pages or ()),
                )
                for i, text, sha, path, pages in rows
            }

    def for_extraction(self, ids: list[int]) -> list[tuple[int, str, str | None]]:
        """(id, text, publication date) for extraction, in the order of `ids`."""
        with Session(self._engine) as session:
            rows = {
                i: (i, text, published)
                for i, text, published in session.exec(
                    select(Document.id, Document.text, Document.published).where(
                        col(Document.id).in_(ids)
                    )
                ).all()
            }
        return [rows[i] for i in ids if i in rows]

    def zone_spans(
        self, ids: Sequence[int], kinds: Sequence[str]
    ) -> dict[int, list[tuple[int, int]]]:
        """(start, end) of the zones of the given kinds, by document id, in text order."""
        if not ids:
            return {}
        query = (
            select(Zone.document_id, Zone.start, Zone.end)
            .where(col(Zone.document_id).in_(list(ids)), col(Zone.kind).in_(list(kinds)))
            .order_by(col(Zone.document_id), col(Zone.start))
        )
        out: dict[int, list[tuple[int, int]]] = {}
        with Session(self._engine) as session:
            for doc_id, start, end in session.exec(query).all():
                out.setdefault(doc_id, []).append((start, end))
        return out

    def set_extraction_error(self, document_id: int, reason: str) -> None:
        """Record why a document's extraction failed; it stays pending, so `extract` retries
        it (a successful extraction clears the reason)."""
        table = Document.__table__
        with self._engine.begin() as conn:
            conn.execute(
                sa.update(table).where(table.c.id == document_id).values(extraction_error=reason)
            )

    def extraction_failures(self) -> list[tuple[int, str, str]]:
        """(id, source, reason) of the documents whose last extraction failed."""
        query = (
            select(Document.id, Document.source, Document.extraction_error)
            .where(col(Document.extraction_error).is_not(None))
            .order_by(col(Document.id))
        )
        with Session(self._engine) as session:
            return [(i, s, r) for i, s, r in session.exec(query).all() if i is not None and r]

    def has_pending_extraction(self) -> bool:
        """Whether some document was never extracted (cheap: stops at the first)."""
        query = sa.select(
            sa.exists().where(
                col(Document.last_run_id).is_(None) | col(Document.extraction_error).is_not(None)
            )
        )
        with self._engine.connect() as conn:
            return bool(conn.execute(query).scalar())

    def note(self, document_id: int) -> str | None:
        """A document's note."""
        with Session(self._engine) as session:
            return session.exec(select(Document.note).where(Document.id == document_id)).first()

    def set_note(self, document_id: int, note: str | None, actor: str = "analyst") -> Change:
        """Set or clear a document's note."""
        with transaction(self._engine) as session:
            rec = Recorder(session, actor, "document.note", "Note on document")
            rec.update("document", {"id": document_id}, note=note or None)
            return Change(rec.batch)

    def set_details(
        self,
        document_id: int,
        *,
        title: str | None,
        published: str | None,
        source: str,
        actor: str = "analyst",
    ) -> Change:
        """Edit a document's title, publication date and source as one change; the dates of
        its facts read relative to the publication date ("June 4", "yesterday") follow a new
        one. DetailsError names a bad field."""
        from desktop.core.store.document_edits import ACTION, set_details

        with transaction(self._engine) as session:
            rec = Recorder(session, actor, ACTION, "Edit document details")
            set_details(session, rec, document_id, title=title, published=published, source=source)
            return Change(rec.batch)

    def zone_counts(self) -> dict[str, int]:
        """How many zones of each kind the project holds."""
        with Session(self._engine) as session:
            rows = session.exec(select(Zone.kind, func.count()).group_by(Zone.kind)).all()
            return {kind: int(n) for kind, n in rows}
