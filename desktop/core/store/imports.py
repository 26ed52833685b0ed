"""The bulk write of an import: documents, search index, mentions and facts, one transaction.

On SQLite the rows go straight to the driver (executemany, named parameters), as in
proposal_io; other databases get the same rows through SQLAlchemy Core.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from desktop.core.entities.keys import KINDS, entity_key, kind_of
from desktop.core.folding import fold
from desktop.core.models import (
    Alias,
    Document,
    Entity,
    EntityDecision,
    Fact,
    FactArgument,
    Label,
    Mention,
    Revision,
    Zone,
    utcnow,
)
from desktop.core.records import NewDocument
from desktop.core.store.db import SEARCH_TABLE_DIALECTS, is_duplicate_document, write_connection
from desktop.core.store.documents import text_sha256
from desktop.core.store.facts import _zone_of
from desktop.core.store.proposal_io import _stamp

D, Z, M, F, A = (t.__table__ for t in (Document, Zone, Mention, Fact, FactArgument))
Key = tuple[int, int, str]
ZONE_COLUMNS = ["document_id", "start", "end", "kind"]
FTS_SQL = "INSERT INTO document_fts(rowid, title, body) VALUES (?, ?, ?)"
_TRIES = 3  # writes raced by another process's same text, before giving up
_BATCH = 500  # documents between two looks at `cancelled`
_MENTION_BATCH = 10_000  # mentions between two looks at `cancelled`
MENTION_COLUMNS = ["document_id", "start", "end", "label", "text", "note"]
FACT_COLUMNS = ["document_id", "type", "evidence_start", "evidence_end", "zone", "note", "status",
                "confidence"]  # fmt: skip
ARGUMENT_COLUMNS = ["fact_id", "role", "position", "mention_id", "start", "end", "text"]
Known = Callable[[list[str]], set[str]]  # which of these text hashes the project holds
_PLAIN_TEXT = re.compile(r"[\w .:+\-]*", re.ASCII)  # spelled out in SQL as it stands


@dataclass(slots=True)
class ImportDocument:
    """One document to import: its text and metadata, its spans and its relations."""

    new: NewDocument
    spans: list[tuple[int, int, str, str | None]]  # start, end, label, note
    facts: list[tuple[str, list[tuple[str, int]], str | None]]  # type, (role, span index), note
    status: str = "accepted"
    confidence: float | None = None
    sha256: str | None = None  # text_sha256 of the text, when the caller has it already


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
    cancelled: bool = False  # the write was cancelled and rolled back: nothing was written
    batch: int | None = None  # the import's revision batch: undo and redo take it whole


@dataclass(slots=True)
class _State:
    """What a batched write keeps from batch to batch: hashes and ids, never documents."""

    known: dict[str, int] = field(default_factory=dict)  # sha256 -> id, looked up or written
    matched: set[int] = field(default_factory=set)  # in the project before the import
    written: set[int] = field(default_factory=set)  # written by an earlier batch


class _Cancelled(Exception):
    """Raised inside the write transaction to roll it back."""


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

    def tuples(
        self,
        table: sa.Table,
        cols: list[str],
        rows: list[tuple],
        same: dict[str, Any] | None = None,
    ) -> None:
        """Insert rows given as tuples in the order of `cols`; `same` holds the values of other
        columns, the same in every row.

        On SQLite, positional parameters bind faster than named ones, and a value the same in
        every row is written into the statement when plainly safe (binding it once a row costs
        as much as the rest of the row)."""
        if not rows:
            return
        same = same or {}
        if not self.sqlite:
            dicts = [{**dict(zip(cols, r, strict=True)), **same} for r in rows]
            self.conn.execute(sa.insert(table), dicts)
            return
        literals = {col: _literal(value) for col, value in same.items()}
        bound = [col for col, literal in literals.items() if literal is None]
        if bound:
            extra = tuple(same[col] for col in bound)
            rows = [row + extra for row in rows]
        spelled = {col: literal for col, literal in literals.items() if literal is not None}
        names = ", ".join(f'"{col}"' for col in [*cols, *bound, *spelled])
        values = ", ".join(["?"] * (len(cols) + len(bound)) + list(spelled.values()))
        self.cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({values})", rows)

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

    def documents_of(self, shas: list[str]) -> dict[str, int]:
        """sha256 -> id of the documents the project holds among `shas`."""
        if not self.sqlite:
            return dict(self.rows(sa.select(D.c.sha256, D.c.id), shas, D.c.sha256))  # type: ignore[arg-type]
        found: dict[str, int] = {}
        for i in range(0, len(shas), 500):  # plain SQL: SQLAlchemy takes longer to compile it
            chunk = shas[i : i + 500]
            sql = f"SELECT sha256, id FROM document WHERE sha256 IN ({', '.join('?' * len(chunk))})"
            found.update(self.cursor.execute(sql, chunk).fetchall())
        return found


class Imports:
    """Bulk writes of imported datasets."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._fts = engine.dialect.name in SEARCH_TABLE_DIALECTS

    def known(self, texts: list[str]) -> set[str]:
        """The sha256 of those texts the project already holds."""
        return self.known_shas([text_sha256(t) for t in texts])

    def known_shas(self, shas: list[str]) -> set[str]:
        """Those of the given text sha256 the project already holds."""
        with self._engine.connect() as conn:
            return set(_Writer(conn).documents_of(shas))

    def write(
        self,
        docs: list[ImportDocument],
        extractor: str,
        actor: str = "import",
        label: str = "",
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportCounts:
        """Write everything in one transaction; text already present only gains annotations.

        `cancelled` is asked between the steps and batches of the write; once it answers
        True the transaction is rolled back and the counts say cancelled (nothing written)."""
        return self.write_batches(lambda _known: [docs], extractor, actor, label, cancelled)

    def write_batches(
        self,
        batches: Callable[[Known], Iterable[list[ImportDocument]]],
        extractor: str,
        actor: str = "import",
        label: str = "",
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportCounts:
        """Write documents batch by batch in one transaction, never holding them all.

        `batches(known)` gives the batches (it is called again if a try must be repeated);
        `known(shas)` tells which of those text hashes the project holds by now, earlier
        batches included. An exception from the batches (a malformed file found halfway)
        rolls everything back and goes on to the caller; so does cancelling."""
        for _attempt in range(_TRIES - 1):
            try:
                return self._try_write(batches, extractor, actor, label, cancelled)
            except sa.exc.IntegrityError as exc:
                # Another process added one of these texts after our check (only where the
                # check takes no lock; on SQLite the transaction holds the write lock from
                # its start). All was rolled back; the next try finds it and only annotates.
                if not is_duplicate_document(exc):
                    raise
        return self._try_write(batches, extractor, actor, label, cancelled)

    def _try_write(self, batches, extractor, actor, label, cancelled) -> ImportCounts:  # type: ignore[no-untyped-def]
        try:
            return self._write(batches, extractor, actor, label, cancelled or _never)
        except _Cancelled:
            return ImportCounts(cancelled=True)

    def _write(self, batches, extractor, actor, label, cancelled) -> ImportCounts:  # type: ignore[no-untyped-def]
        counts = ImportCounts()

        def check() -> None:
            if cancelled():
                raise _Cancelled

        # The write lock from the start: the texts found present are still all there are
        # when the new ones go in, whoever else writes to the project meanwhile.
        with write_connection(self._engine) as conn:
            w = _Writer(conn)
            # What resolution may change, as it is before the import (its own mentions are
            # taken out before undo gives links back, so they need no mark).
            marks = entity_marks(conn)
            state = _State()

            def known(shas: list[str]) -> set[str]:
                found = {sha for sha in shas if sha in state.known}
                rest = [sha for sha in set(shas) if sha not in state.known]
                return found | set(w.documents_of(rest))

            ids: list[int] = []
            for batch in batches(known):
                check()
                if not batch:
                    continue
                batch_ids, earlier = self._documents(w, batch, state, counts, check)
                self._mentions(w, batch, batch_ids, earlier, extractor, counts, check)
                check()
                self._facts(w, batch, batch_ids, extractor, counts)
                state.written.update(batch_ids)
                ids += batch_ids
            check()
            # What undo takes out (store/import_undo.py). The transaction holds the write
            # lock, so the rows it wrote have the last ids.
            last_mention, last_fact = _last_id(conn, M), _last_id(conn, F)
            after = {
                "extractor": extractor,
                "documents": sorted(set(ids)),
                "added": sorted(set(ids) - state.matched),
                "mentions": [last_mention - counts.mentions_added + 1, last_mention],
                "facts": [last_fact - counts.facts_added + 1, last_fact],
                **marks,
            }
            summary = (
                f"Imported {label or extractor}: {counts.documents_added} documents, "
                f"{counts.mentions_added} mentions, {counts.facts_added} facts"
            )
            counts.batch = _import_revision(conn, actor, after, summary)
        counts.documents_matched = len(state.matched)
        counts.document_ids = ids
        return counts

    def record_documents(self, document_ids: list[int], label: str, actor: str = "import") -> int:
        """Log documents just added by ingest as one import (undo takes them out again,
        with what extraction proposed in them); its batch."""
        ids = sorted(set(document_ids))
        n = len(ids)
        summary = f"Imported {label}: {n} document{'s' if n != 1 else ''}"
        with write_connection(self._engine) as conn:
            after = {"documents": ids, "added": ids, "mentions": [1, 0], "facts": [1, 0]}
            return _import_revision(conn, actor, {**after, **entity_marks(conn)}, summary)

    def _documents(self, w: _Writer, docs: list[ImportDocument], state, counts, check):  # type: ignore[no-untyped-def]
        """Write a batch's new documents; (the id of each, those written before this batch:
        already in the project or earlier in the file)."""
        shas = [d.sha256 or text_sha256(d.new.text) for d in docs]
        missing = [sha for sha in set(shas) if sha not in state.known]
        found = w.documents_of(missing)
        state.matched.update(found.values())
        state.known.update(found)
        earlier = {state.known[sha] for sha in shas if sha in state.known}
        fresh = []
        for doc, sha in zip(docs, shas, strict=True):
            if sha not in state.known:
                state.known[sha] = -1  # a text twice in the file is one document
                fresh.append((doc.new, sha))
        for start in range(0, len(fresh), _BATCH):
            check()
            self._document_batch(w, fresh[start : start + _BATCH], state.known)
        counts.documents_added += len(fresh)
        return [state.known[sha] for sha in shas], earlier

    def _document_batch(self, w: _Writer, batch: list[tuple[NewDocument, str]], known) -> None:  # type: ignore[no-untyped-def]
        """Documents, their zones and their search rows; `known` gains their ids."""
        if not w.sqlite:  # other databases assign the ids
            ids = [w.one(D, _document_row(new, sha, w.now)) for new, sha in batch]
        else:  # one insert gets an id (and the write lock); the rest follow it, as SQLite would
            first = w.one(D, _document_row(batch[0][0], batch[0][1], w.now))
            after = w.cursor.execute("SELECT max(id) FROM document").fetchone()[0] + 1
            ids = [first, *range(after, after + len(batch) - 1)]
            rest = zip(ids[1:], batch[1:], strict=True)
            w.many(D, [{"id": i, **_document_row(new, sha, w.now)} for i, (new, sha) in rest])
        zones, fts = [], []
        for doc_id, (new, sha) in zip(ids, batch, strict=True):
            known[sha] = doc_id
            zones += [(doc_id, z.start, z.end, z.kind) for z in new.zones]
            fts.append((doc_id, fold(new.title or ""), fold(new.text)))
        w.tuples(Z, ZONE_COLUMNS, zones, {"origin": "rule"})
        if self._fts and fts and w.sqlite:
            w.cursor.executemany(FTS_SQL, fts)
        elif self._fts and fts:  # psycopg's executemany (one round trip per batch)
            w.conn.execute(
                sa.text("INSERT INTO document_fts(rowid, title, body) VALUES (:i, :t, :b)"),
                [{"i": i, "t": t, "b": b} for i, t, b in fts],
            )

    def _mentions(self, w, docs, ids, matched, extractor, counts, check) -> None:  # type: ignore[no-untyped-def]
        """A batch's mentions; `matched`: its documents written before it, whose mentions
        are read back so that none is written twice."""
        query = sa.select(M.c.document_id, M.c.start, M.c.end, M.c.label)
        seen: dict[int, set[Key]] = {}  # (start, end, label) written, by document
        for d, s, e, lab in w.rows(query, list(matched), M.c.document_id):
            seen.setdefault(d, set()).add((s, e, lab))
        once = {i for i, n in collections.Counter(ids).items() if n == 1} - matched
        runs: list[tuple[tuple, list[tuple]]] = []  # mentions in a row written alike
        pending = 0
        for doc, doc_id in zip(docs, ids, strict=True):
            noted = any(span[3] is not None for span in doc.spans)
            alike = (doc.status, doc.confidence, noted)
            if not runs or runs[-1][0] != alike:
                runs.append((alike, []))
            if doc_id in once and not noted and len(set(doc.spans)) == len(doc.spans):
                text = doc.new.text  # the usual case: a new document, its spans all different
                rows = [(doc_id, s, e, lab, text[s:e]) for s, e, lab, _note in doc.spans]
            else:
                rows = _mention_rows(doc, doc_id, seen.setdefault(doc_id, set()), noted)
            counts.mentions_skipped += len(doc.spans) - len(rows)
            counts.mentions_added += len(rows)
            runs[-1][1].extend(rows)
            pending += len(rows)
            if pending >= _MENTION_BATCH:  # written as they come: fewer rows held at once
                check()
                self._write_mentions(w, runs, extractor)
                runs, pending = [], 0
        check()
        self._write_mentions(w, runs, extractor)

    def _write_mentions(
        self, w: _Writer, runs: list[tuple[tuple, list[tuple]]], extractor: str
    ) -> None:
        for (status, confidence, noted), rows in runs:
            cols = MENTION_COLUMNS if noted else MENTION_COLUMNS[:-1]
            same = {
                "origin": "import",
                "extractor": extractor,
                "confidence": confidence,
                "status": status,
                "created_at": w.now,
                "updated_at": w.now,
            }
            if not noted:
                same["note"] = None
            w.tuples(M, cols, rows, same)

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
        rows, args = [], []
        for doc, doc_id in zip(docs, ids, strict=True):
            for ftype, roles, note in doc.facts:
                spans = [(role, *doc.spans[i][:3]) for role, i in roles]
                key = (doc_id, ftype, tuple(sorted((r, s, e) for r, s, e, _l in spans)))
                if key in seen:
                    counts.facts_skipped += 1
                    continue
                seen.add(key)
                start, end = min(x[1] for x in spans), max(x[2] for x in spans)
                zone = _zone_of(zones.get(doc_id, []), start, end)
                rows.append((doc_id, ftype, start, end, zone, note, doc.status, doc.confidence))
                for pos, (role, s, e, lab) in enumerate(spans):
                    mention = mention_ids.get((doc_id, s, e, lab))
                    args.append((len(rows) - 1, role, pos, mention, s, e, doc.new.text[s:e]))
        if not rows:
            return
        counts.facts_added += len(rows)
        fact_ids = self._fact_rows(w, rows, extractor)
        w.tuples(A, ARGUMENT_COLUMNS, [(fact_ids[i], *rest) for i, *rest in args])

    def _fact_rows(self, w: _Writer, rows: list[tuple], extractor: str) -> list[int]:
        """Insert fact rows (FACT_COLUMNS order); their ids, in order. On SQLite the first
        insert takes an id (the transaction holds the write lock) and the rest follow it."""
        same = {"origin": "import", "extractor": extractor, "created_at": w.now,
                "updated_at": w.now}  # fmt: skip
        if not w.sqlite:
            return [w.one(F, {**dict(zip(FACT_COLUMNS, r, strict=True)), **same}) for r in rows]
        first = w.one(F, {**dict(zip(FACT_COLUMNS, rows[0], strict=True)), **same})
        ids = list(range(first, first + len(rows)))
        rest = [(i, *r) for i, r in zip(ids[1:], rows[1:], strict=True)]
        w.tuples(F, ["id", *FACT_COLUMNS], rest, same)
        return ids


def _mention_rows(doc: ImportDocument, doc_id: int, seen: set[Key], noted: bool) -> list[tuple]:
    """Rows of a document's spans not written yet (`seen` gains them), in MENTION_COLUMNS
    order; without the note when none has one."""
    text = doc.new.text
    rows = []
    for start, end, label, note in doc.spans:
        key = (start, end, label)
        if key not in seen:
            seen.add(key)
            row = (doc_id, start, end, label, text[start:end])
            rows.append((*row, note) if noted else row)
    return rows


def _never() -> bool:
    return False


def _literal(value: Any) -> str | None:
    """`value` as a SQL literal, or None when it is better bound as a parameter."""
    if value is None:
        return "NULL"
    if isinstance(value, str) and _PLAIN_TEXT.fullmatch(value):
        return f"'{value}'"
    return None


def _import_revision(conn: sa.Connection, actor: str, after: dict, summary: str) -> int:
    """The revision of a whole import, a batch of its own (one step on the undo stack)."""
    revisions = Revision.__table__
    revision_id = int(
        conn.execute(
            sa.insert(revisions).values(
                created_at=utcnow(),
                actor=actor,
                action="import",
                target="document",
                undone=False,
                after=after,
                summary=summary,
            )
        ).inserted_primary_key[0]
    )
    conn.execute(
        sa.update(revisions).where(revisions.c.id == revision_id).values(batch=revision_id)
    )
    return revision_id


def entity_marks(conn: sa.Connection) -> dict[str, Any]:
    """What entity resolution after the import may change, as it is before: the last
    entity, alias and label ids (those it and the label set's completion make come after
    them) and the links of the mentions
    it would link, move or unlink (those whose entity does not fit them as resolution
    sees it, desktop.core.entities.resolve). Undo takes out and puts back what it did
    (store/import_undo.py)."""
    e, a, d = Entity.__table__, Alias.__table__, EntityDecision.__table__
    kinds = dict(conn.execute(sa.select(e.c.id, e.c.kind)).all())
    keys: dict[int, set[str]] = {}
    for eid, key in conn.execute(sa.select(a.c.entity_id, a.c.key)).all():
        keys.setdefault(eid, set()).add(key)
    merged = set(
        conn.execute(sa.select(d.c.entity_a).where(d.c.action == "merge", ~d.c.reverted))
        .scalars()
        .all()
    )
    query = sa.select(M.c.id, M.c.label, M.c.text, M.c.status, M.c.entity_id).where(
        sa.or_(M.c.label.in_(list(KINDS)), M.c.entity_id.is_not(None))
    )
    links = []
    for mid, label, text, status, eid in conn.execute(query).all():
        kind = kind_of(label)
        key = entity_key(text) if kind else ""
        fits = (
            bool(key)
            and status != "rejected"
            and eid in kinds
            and key in keys.get(eid, set())
            and (kinds[eid] == kind or eid in merged)
        )
        if not fits and (kind is not None or eid is not None):
            links.append([mid, eid])
    return {
        "entities_after": _last_id(conn, e),
        "aliases_after": _last_id(conn, a),
        "labels_after": _last_id(conn, Label.__table__),
        "links_before": links,
    }


def _last_id(conn: sa.Connection, table: sa.Table) -> int:
    """The highest id of a table (0 when empty)."""
    return int(conn.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0)


def _document_row(new: NewDocument, sha: str, now: Any) -> dict:
    return {
        "sha256": sha, "source": new.source, "path": new.path, "title": new.title,
        "published": new.published, "publisher": new.publisher, "dateline": new.dateline,
        "url": new.url, "language": "en", "encoding": new.encoding, "text": new.text,
        "created_at": now,
    }  # fmt: skip
