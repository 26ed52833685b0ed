"""The bulk write of an import: documents, search index, mentions and facts, one transaction.

On SQLite the rows go straight to the driver (executemany, named parameters), as in
proposal_io; other databases get the same rows through SQLAlchemy Core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from desktop.core.folding import fold
from desktop.core.models import Document, Fact, FactArgument, Mention, Revision, Zone, utcnow
from desktop.core.records import NewDocument
from desktop.core.store.documents import text_sha256
from desktop.core.store.facts import _zone_of
from desktop.core.store.proposal_io import _stamp

D, Z, M, F, A = (t.__table__ for t in (Document, Zone, Mention, Fact, FactArgument))
Key = tuple[int, int, str]
MENTION_COLUMNS = ["document_id", "start", "end", "label", "text", "origin", "extractor",
                   "confidence", "status", "note", "created_at", "updated_at"]  # fmt: skip


@dataclass(slots=True)
class ImportDocument:
    """One document to import: its text and metadata, its spans and its relations."""

    new: NewDocument
    spans: list[tuple[int, int, str, str | None]]  # start, end, label, note
    facts: list[tuple[str, list[tuple[str, int]], str | None]]  # type, (role, span index), note
    status: str = "accepted"
    confidence: float | None = None


@dataclass(slots=True)
class ImportCounts:
    """What the write did."""

    documents_added: int = 0
    documents_matched: int = 0
    mentions_added: int = 0
    mentions_skipped: int = 0
    facts_added: int = 0
    facts_skipped: int = 0
    document_ids: list[int] = field(default_factory=list)


class _Writer:
    """Inserts inside one open transaction: the driver's cursor on SQLite, Core elsewhere."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.cursor: Any = conn.connection.driver_connection.cursor() if self.sqlite else None  # type: ignore[union-attr]
        self.now: Any = _stamp() if self.sqlite else utcnow()

    def _sql(self, table: sa.Table, cols: list[str]) -> str:
        names = ", ".join(f'"{c}"' for c in cols)
        return f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' for _ in cols)})"

    def many(self, table: sa.Table, rows: list[dict]) -> None:
        if rows:  # every row is built with one key order
            self.tuples(table, list(rows[0]), [tuple(r.values()) for r in rows])

    def tuples(self, table: sa.Table, cols: list[str], rows: list[tuple]) -> None:
        """Insert rows given as tuples in the order of `cols`."""
        if rows and self.sqlite:  # positional parameters bind faster than named ones
            self.cursor.executemany(self._sql(table, cols), rows)
        elif rows:
            self.conn.execute(sa.insert(table), [dict(zip(cols, r, strict=True)) for r in rows])

    def one(self, table: sa.Table, row: dict) -> int:
        if self.sqlite:
            sql = self._sql(table, list(row))
            return self.cursor.execute(sql, tuple(row.values())).lastrowid  # type: ignore[no-any-return]
        return self.conn.execute(sa.insert(table).values(**row)).inserted_primary_key[0]  # type: ignore[no-any-return]

    def rows(self, query: sa.Select, ids: list[int], column: sa.Column) -> list[tuple]:
        found: list[tuple] = []
        for i in range(0, len(ids), 500):
            found += self.conn.execute(query.where(column.in_(ids[i : i + 500]))).all()
        return found


class Imports:
    """Bulk writes of imported datasets."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._fts = engine.dialect.name == "sqlite"

    def known(self, texts: list[str]) -> set[str]:
        """The sha256 of those texts the project already holds."""
        shas = [text_sha256(t) for t in texts]
        with self._engine.connect() as conn:
            return {r[0] for r in _Writer(conn).rows(sa.select(D.c.sha256), shas, D.c.sha256)}  # type: ignore[arg-type]

    def write(
        self, docs: list[ImportDocument], extractor: str, actor: str = "import", label: str = ""
    ) -> ImportCounts:
        """Write everything in one transaction; text already present only gains annotations."""
        counts = ImportCounts()
        with self._engine.begin() as conn:
            w = _Writer(conn)
            ids, matched = self._documents(w, docs, counts)
            self._mentions(w, docs, ids, matched, extractor, counts)
            self._facts(w, docs, ids, extractor, counts)
            after = {"extractor": extractor, "documents": sorted(set(ids))}
            summary = (
                f"Imported {label or extractor}: {counts.documents_added} documents, "
                f"{counts.mentions_added} mentions, {counts.facts_added} facts"
            )
            conn.execute(
                sa.insert(Revision.__table__).values(
                    created_at=utcnow(), actor=actor, action="import", target="document",
                    undone=False, after=after, summary=summary,
                )
            )  # fmt: skip
        counts.document_ids = ids
        return counts

    def _documents(self, w: _Writer, docs: list[ImportDocument], counts: ImportCounts):  # type: ignore[no-untyped-def]
        shas = [text_sha256(d.new.text) for d in docs]
        known = dict(w.rows(sa.select(D.c.sha256, D.c.id), list(set(shas)), D.c.sha256))  # type: ignore[arg-type]
        matched = set(known.values())
        counts.documents_matched = len(matched)
        zones, fts = [], []
        for doc, sha in zip(docs, shas, strict=True):
            if sha in known:
                continue
            new = doc.new
            doc_id = known[sha] = w.one(D, _document_row(new, sha, w.now))
            counts.documents_added += 1
            zones += [{"document_id": doc_id, "start": z.start, "end": z.end, "kind": z.kind,
                       "origin": "rule"} for z in new.zones]  # fmt: skip
            fts.append({"id": doc_id, "t": fold(new.title or ""), "b": fold(new.text)})
        w.many(Z, zones)
        if self._fts and fts:
            sql = "INSERT INTO document_fts(rowid, title, body) VALUES (:id, :t, :b)"
            w.cursor.executemany(sql, fts)
        return [known[sha] for sha in shas], matched

    def _mentions(self, w, docs, ids, matched, extractor, counts) -> None:  # type: ignore[no-untyped-def]
        query = sa.select(M.c.document_id, M.c.start, M.c.end, M.c.label)
        seen = {(d, s, e, lab) for d, s, e, lab in w.rows(query, list(matched), M.c.document_id)}
        rows = []
        now = w.now
        for doc, doc_id in zip(docs, ids, strict=True):
            text, confidence, status = doc.new.text, doc.confidence, doc.status
            for start, end, label, note in doc.spans:
                key = (doc_id, start, end, label)
                if key in seen:
                    counts.mentions_skipped += 1
                    continue
                seen.add(key)
                rows.append((doc_id, start, end, label, text[start:end], "import", extractor,
                             confidence, status, note, now, now))  # fmt: skip
        counts.mentions_added = len(rows)
        w.tuples(M, MENTION_COLUMNS, rows)

    def _facts(self, w, docs, ids, extractor, counts) -> None:  # type: ignore[no-untyped-def]
        with_facts = sorted({i for d, i in zip(docs, ids, strict=True) if d.facts})
        if not with_facts:
            return
        mention_ids: dict[tuple[int, int, int, str], int] = {}
        for mid, d, s, e, lab in w.rows(
            sa.select(M.c.id, M.c.document_id, M.c.start, M.c.end, M.c.label),
            with_facts, M.c.document_id,
        ):  # fmt: skip
            mention_ids.setdefault((d, s, e, lab), mid)
        query = sa.select(F.c.id, F.c.document_id, F.c.type, A.c.role, A.c.start, A.c.end)
        old: dict[int, list] = {}
        joined = query.join(A, A.c.fact_id == F.c.id)
        for fid, d, ftype, role, s, e in w.rows(joined, with_facts, F.c.document_id):
            old.setdefault(fid, [d, ftype]).append((role, s or -1, e or -1))
        seen = {(v[0], v[1], tuple(sorted(v[2:]))) for v in old.values()}
        zones: dict[int, list] = {}
        zq = sa.select(Z.c.document_id, Z.c.start, Z.c.end, Z.c.kind)
        for d, s, e, kind in w.rows(zq, with_facts, Z.c.document_id):
            zones.setdefault(d, []).append((s, e, kind))
        args = []
        for doc, doc_id in zip(docs, ids, strict=True):
            for ftype, roles, note in doc.facts:
                spans = [(role, *doc.spans[i][:3]) for role, i in roles]
                key = (doc_id, ftype, tuple(sorted((r, s, e) for r, s, e, _l in spans)))
                if key in seen:
                    counts.facts_skipped += 1
                    continue
                seen.add(key)
                start, end = min(x[1] for x in spans), max(x[2] for x in spans)
                fact_id = w.one(F, {
                    "document_id": doc_id, "type": ftype, "evidence_start": start,
                    "evidence_end": end, "zone": _zone_of(zones.get(doc_id, []), start, end),
                    "origin": "import", "extractor": extractor, "confidence": doc.confidence,
                    "status": doc.status, "note": note, "created_at": w.now, "updated_at": w.now,
                })  # fmt: skip
                counts.facts_added += 1
                for pos, (role, s, e, lab) in enumerate(spans):
                    args.append({
                        "fact_id": fact_id, "role": role, "position": pos,
                        "mention_id": mention_ids.get((doc_id, s, e, lab)), "start": s, "end": e,
                        "text": doc.new.text[s:e],
                    })  # fmt: skip
        w.many(A, args)


def _document_row(new: NewDocument, sha: str, now: Any) -> dict:
    return {
        "sha256": sha, "source": new.source, "path": new.path, "title": new.title,
        "published": new.published, "publisher": new.publisher, "dateline": new.dateline,
        "url": new.url, "language": "en", "encoding": new.encoding, "text": new.text,
        "created_at": now,
    }  # fmt: skip
