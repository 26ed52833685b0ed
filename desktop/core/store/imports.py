"""The bulk write of an import: documents, search index, mentions and facts, one transaction.

On SQLite the rows go straight to the driver (executemany, positional parameters), as in
proposal_io; other databases get the same rows through SQLAlchemy Core. The module loads
without SQLAlchemy: the command line imports into a SQLite project file at the newest
schema on a plain sqlite3 connection (`open_plain`), and pays for neither SQLAlchemy nor
SQLModel at start-up.

The mentions of documents new to the project are linked to entities as they are written
(`resolve=True`, what `import_file` asks): automatic resolution (desktop.core.entities.
resolve) over the import's batches in file order, against the project's aliases and what
the earlier batches made, as one pass of `resolve_documents` over them would. New
entities and their aliases are written before the mentions that link to them, so no
mention is updated afterwards; the preferred names are set once at the end, and the
resolution is logged as its own revision after the import's (undo reads both). Documents
already in the project, or given twice, are left to `resolve_documents`
(`ImportCounts.unresolved`).
"""

from __future__ import annotations

import collections
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.entities.keys import KINDS, entity_key, kind_of
from desktop.core.entities.names import preferred_name
from desktop.core.entities.resolve import ResolutionState, Resolver
from desktop.core.folding import fold
from desktop.core.records import NewDocument
from desktop.core.store.light import BUSY_TIMEOUT, sqlite_stamp, text_sha256, zone_of

if TYPE_CHECKING:
    import sqlalchemy as sa

Key = tuple[int, int, str]
ZONE_COLUMNS = ["document_id", "start", "end", "kind"]
FTS_SQL = "INSERT INTO document_fts(rowid, title, body) VALUES (?, ?, ?)"
_TRIES = 3  # writes raced by another process's same text, before giving up
_BATCH = 500  # documents between two looks at `cancelled`
_MENTION_BATCH = 10_000  # mentions between two looks at `cancelled`
_IN = 500  # ids in one IN (...) list
MENTION_COLUMNS = ["document_id", "start", "end", "label", "text", "entity_id", "note"]
FACT_COLUMNS = ["document_id", "type", "evidence_start", "evidence_end", "zone", "note", "status",
                "confidence"]  # fmt: skip
ARGUMENT_COLUMNS = ["fact_id", "role", "position", "mention_id", "start", "end", "text"]
DOCUMENT_COLUMNS = ["sha256", "source", "path", "title", "published", "publisher", "dateline",
                    "url", "language", "encoding", "text", "created_at"]  # fmt: skip
Known = Callable[[list[str]], set[str]]  # which of these text hashes the project holds
_PLAIN_TEXT = re.compile(r"[\w .:+\-]*", re.ASCII)  # spelled out in SQL as it stands
_KIND_LABELS = ", ".join(f"'{label}'" for label in KINDS)  # upper-case ASCII names


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
    unresolved: list[int] = field(default_factory=list)  # documents resolve_documents is for


@dataclass(slots=True)
class _State:
    """What a batched write keeps from batch to batch: hashes and ids, never documents."""

    known: dict[str, int] = field(default_factory=dict)  # sha256 -> id, looked up or written
    matched: set[int] = field(default_factory=set)  # in the project before the import
    written: set[int] = field(default_factory=set)  # written by an earlier batch
    resolved: set[int] = field(default_factory=set)  # linked as written (new, once a batch)
    again: set[int] = field(default_factory=set)  # given again after being written


class _Cancelled(Exception):
    """Raised inside the write transaction to roll it back."""


class _Writer:
    """The statements an import needs, inside one open write transaction: plain SQL on the
    sqlite3 driver (this class), SQLAlchemy Core elsewhere (`_CoreWriter`). Tables are
    named as strings; `select_in` SQL has an `{ids}` where its IN list goes."""

    sqlite = True

    def __init__(self, driver: sqlite3.Connection) -> None:
        self.cursor: Any = driver.cursor()
        self.now: Any = sqlite_stamp()

    def tuples(
        self,
        table: str,
        cols: list[str],
        rows: list[tuple],
        same: dict[str, Any] | None = None,
    ) -> None:
        """Insert rows given as tuples in the order of `cols`; `same` holds the values of other
        columns, the same in every row.

        Positional parameters bind faster than named ones, and a value the same in every
        row is written into the statement when plainly safe (binding it once a row costs
        as much as the rest of the row)."""
        if not rows:
            return
        same = same or {}
        literals = {col: _literal(value) for col, value in same.items()}
        bound = [col for col, literal in literals.items() if literal is None]
        if bound:
            extra = tuple(same[col] for col in bound)
            rows = [row + extra for row in rows]
        spelled = {col: literal for col, literal in literals.items() if literal is not None}
        names = ", ".join(f'"{col}"' for col in [*cols, *bound, *spelled])
        values = ", ".join(["?"] * (len(cols) + len(bound)) + list(spelled.values()))
        self.cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({values})", rows)

    def one(self, table: str, row: dict) -> int:
        names = ", ".join(f'"{c}"' for c in row)
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in row)})"
        return self.cursor.execute(sql, tuple(row.values())).lastrowid  # type: ignore[no-any-return]

    def inserted(
        self, table: str, cols: list[str], rows: list[tuple], same: dict[str, Any]
    ) -> list[int]:
        """Insert rows (`tuples`); their ids, in order. The first insert takes an id (the
        transaction holds the write lock) and the rest follow it, as SQLite would."""
        if not rows:
            return []
        first = self.one(table, {**dict(zip(cols, rows[0], strict=True)), **same})
        ids = list(range(first, first + len(rows)))
        rest = [(i, *r) for i, r in zip(ids[1:], rows[1:], strict=True)]
        self.tuples(table, ["id", *cols], rest, same)
        return ids

    def fetch(self, sql: str) -> list[tuple]:
        """The rows of a query without parameters."""
        return self.cursor.execute(sql).fetchall()  # type: ignore[no-any-return]

    def select_in(self, sql: str, ids: list) -> list[tuple]:  # type: ignore[type-arg]
        """The rows of `sql` with its `{ids}` standing for each chunk of `ids` in turn."""
        found: list[tuple] = []
        for i in range(0, len(ids), _IN):
            chunk = ids[i : i + _IN]
            marks = f"({', '.join('?' * len(chunk))})"
            found += self.cursor.execute(sql.format(ids=marks), chunk).fetchall()
        return found

    def update(self, table: str, cols: list[str], rows: list[tuple]) -> None:
        """UPDATE table SET cols WHERE id: each row is the new values, then the id."""
        sets = ", ".join(f'"{c}" = ?' for c in cols)
        self.cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = ?", rows)

    def documents(self, rows: list[dict]) -> list[int]:
        """Insert document rows (DOCUMENT_COLUMNS); their ids."""
        return self.inserted("document", DOCUMENT_COLUMNS, [tuple(r.values()) for r in rows], {})

    def search_rows(self, rows: list[tuple[int, str, str]]) -> None:
        self.cursor.executemany(FTS_SQL, rows)

    def revision(self, values: dict[str, Any]) -> int:
        """A revision row (created now, not undone; `after` as JSON); its id."""
        row = {"created_at": sqlite_stamp(), "undone": 0, **values}
        if row.get("after") is not None:
            row["after"] = json.dumps(row["after"])
        return self.one("revision", row)

    def documents_of(self, shas: list[str]) -> dict[str, int]:
        """sha256 -> id of the documents the project holds among `shas`."""
        return dict(self.select_in("SELECT sha256, id FROM document WHERE sha256 IN {ids}", shas))


class _CoreWriter(_Writer):
    """The same statements through SQLAlchemy Core (server databases)."""

    sqlite = False

    def __init__(self, conn: sa.Connection) -> None:
        from desktop.core.models import utcnow

        self.conn = conn
        self.now = utcnow()

    def _table(self, name: str) -> sa.Table:
        from desktop.core.store.changes import table_of

        return table_of(name)

    def tuples(self, table, cols, rows, same=None) -> None:  # type: ignore[no-untyped-def]
        import sqlalchemy as sa

        if rows:
            dicts = [{**dict(zip(cols, r, strict=True)), **(same or {})} for r in rows]
            self.conn.execute(sa.insert(self._table(table)), dicts)

    def one(self, table: str, row: dict) -> int:
        import sqlalchemy as sa

        result = self.conn.execute(sa.insert(self._table(table)).values(**row))
        return result.inserted_primary_key[0]  # type: ignore[no-any-return]

    def inserted(self, table, cols, rows, same) -> list[int]:  # type: ignore[no-untyped-def]
        import sqlalchemy as sa

        if not rows:
            return []
        t = self._table(table)
        dicts = [{**dict(zip(cols, r, strict=True)), **same} for r in rows]
        stmt = sa.insert(t).returning(t.c.id, sort_by_parameter_order=True)
        return [row[0] for row in self.conn.execute(stmt, dicts).all()]

    def fetch(self, sql: str) -> list[tuple]:
        return [tuple(r) for r in self.conn.exec_driver_sql(sql).all()]

    def select_in(self, sql: str, ids: list) -> list[tuple]:  # type: ignore[type-arg]
        import sqlalchemy as sa

        query = sa.text(sql.format(ids=":ids")).bindparams(sa.bindparam("ids", expanding=True))
        found: list[tuple] = []
        for i in range(0, len(ids), _IN):
            found += [tuple(r) for r in self.conn.execute(query, {"ids": ids[i : i + _IN]})]
        return found

    def update(self, table: str, cols: list[str], rows: list[tuple]) -> None:
        import sqlalchemy as sa

        if rows:
            sets = ", ".join(f'"{c}" = :v{i}' for i, c in enumerate(cols))
            stmt = sa.text(f"UPDATE {table} SET {sets} WHERE id = :id")
            keys = [f"v{i}" for i in range(len(cols))] + ["id"]
            self.conn.execute(stmt, [dict(zip(keys, r, strict=True)) for r in rows])

    def documents(self, rows: list[dict]) -> list[int]:
        return [self.one("document", r) for r in rows]  # the database assigns the ids

    def search_rows(self, rows: list[tuple[int, str, str]]) -> None:
        import sqlalchemy as sa

        self.conn.execute(  # psycopg's executemany (one round trip per batch)
            sa.text("INSERT INTO document_fts(rowid, title, body) VALUES (:i, :t, :b)"),
            [{"i": i, "t": t, "b": b} for i, t, b in rows],
        )

    def revision(self, values: dict[str, Any]) -> int:
        from desktop.core.models import utcnow

        return self.one("revision", {"created_at": utcnow(), "undone": False, **values})


class Imports:
    """Bulk writes of imported datasets."""

    def __init__(self, engine: sa.Engine) -> None:
        from desktop.core.store.db import SEARCH_TABLE_DIALECTS

        self._engine = engine
        self._fts = engine.dialect.name in SEARCH_TABLE_DIALECTS

    @contextmanager
    def _connect(self, write: bool = True) -> Iterator[_Writer]:
        """A writer in a transaction (the write lock from its start when `write`): commits
        at the end, or rolls back on error."""
        from desktop.core.store.db import write_connection

        if not write:
            with self._engine.connect() as conn:
                yield _writer_of(conn)
            return
        with write_connection(self._engine) as conn:
            yield _writer_of(conn)

    def _raced(self, exc: Exception) -> bool:
        """Whether a write failed because another process added one of its texts after our
        check (only where the check takes no lock; on SQLite the transaction holds the write
        lock from its start)."""
        import sqlalchemy as sa

        from desktop.core.store.db import is_duplicate_document

        return isinstance(exc, sa.exc.IntegrityError) and is_duplicate_document(exc)

    def known(self, texts: list[str]) -> set[str]:
        """The sha256 of those texts the project already holds."""
        return self.known_shas([text_sha256(t) for t in texts])

    def known_shas(self, shas: list[str]) -> set[str]:
        """Those of the given text sha256 the project already holds."""
        with self._connect(write=False) as w:
            return set(w.documents_of(shas))

    def write(
        self,
        docs: list[ImportDocument],
        extractor: str,
        actor: str = "import",
        label: str = "",
        cancelled: Callable[[], bool] | None = None,
        resolve: bool = False,
    ) -> ImportCounts:
        """Write everything in one transaction; text already present only gains annotations.

        `cancelled` is asked between the steps and batches of the write; once it answers
        True the transaction is rolled back and the counts say cancelled (nothing written)."""
        return self.write_batches(
            lambda _known: [docs], extractor, actor, label, cancelled, resolve
        )

    def write_batches(
        self,
        batches: Callable[[Known], Iterable[list[ImportDocument]]],
        extractor: str,
        actor: str = "import",
        label: str = "",
        cancelled: Callable[[], bool] | None = None,
        resolve: bool = False,
    ) -> ImportCounts:
        """Write documents batch by batch in one transaction, never holding them all.

        `batches(known)` gives the batches (it is called again if a try must be repeated);
        `known(shas)` tells which of those text hashes the project holds by now, earlier
        batches included. An exception from the batches (a malformed file found halfway)
        rolls everything back and goes on to the caller; so does cancelling. With `resolve`
        the new documents' mentions are linked to entities as they are written (see the
        module's note); `unresolved` in the counts names the documents left to resolve."""
        for _attempt in range(_TRIES - 1):
            try:
                return self._try_write(batches, extractor, actor, label, cancelled, resolve)
            except Exception as exc:
                # All was rolled back; the next try finds the raced text and only annotates.
                if not self._raced(exc):
                    raise
        return self._try_write(batches, extractor, actor, label, cancelled, resolve)

    def _try_write(self, batches, extractor, actor, label, cancelled, resolve) -> ImportCounts:  # type: ignore[no-untyped-def]
        try:
            return self._write(batches, extractor, actor, label, cancelled or _never, resolve)
        except _Cancelled:
            return ImportCounts(cancelled=True)

    def _write(self, batches, extractor, actor, label, cancelled, resolve) -> ImportCounts:  # type: ignore[no-untyped-def]
        counts = ImportCounts()

        def check() -> None:
            if cancelled():
                raise _Cancelled

        # The write lock from the start: the texts found present are still all there are
        # when the new ones go in, whoever else writes to the project meanwhile.
        with self._connect() as w:
            # What resolution may change, as it is before the import (its own mentions are
            # taken out before undo gives links back, so they need no mark).
            marks = _entity_marks(w.fetch)
            state = _State()
            linking = _Linking(w) if resolve else None

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
                repeated = {i for i, n in collections.Counter(batch_ids).items() if n > 1}
                once = set(batch_ids) - earlier - repeated
                state.again.update(earlier | repeated)
                self._mentions(w, batch, batch_ids, earlier, once, extractor, counts, check,
                               linking)  # fmt: skip
                check()
                self._facts(w, batch, batch_ids, once, extractor, counts)
                state.written.update(batch_ids)
                if linking is not None:
                    state.resolved.update(once)
                ids += batch_ids
            check()
            # What undo takes out (store/import_undo.py). The transaction holds the write
            # lock, so the rows it wrote have the last ids.
            last_mention, last_fact = _last_id(w, "mention"), _last_id(w, "fact")
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
            counts.batch = _import_revision(w, actor, after, summary)
            if linking is not None:
                check()
                linking.finish()  # names, and the resolution's revision after the import's
        counts.documents_matched = len(state.matched)
        counts.document_ids = ids
        counts.unresolved = sorted(set(ids) - (state.resolved - state.again))
        return counts

    def record_documents(self, document_ids: list[int], label: str, actor: str = "import") -> int:
        """Log documents just added by ingest as one import (undo takes them out again,
        with what extraction proposed in them); its batch."""
        ids = sorted(set(document_ids))
        n = len(ids)
        summary = f"Imported {label}: {n} document{'s' if n != 1 else ''}"
        with self._connect() as w:
            after = {"documents": ids, "added": ids, "mentions": [1, 0], "facts": [1, 0]}
            return _import_revision(w, actor, {**after, **_entity_marks(w.fetch)}, summary)

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
        ids = w.documents([_document_row(new, sha, w.now) for new, sha in batch])
        zones, fts = [], []
        for doc_id, (new, sha) in zip(ids, batch, strict=True):
            known[sha] = doc_id
            zones += [(doc_id, z.start, z.end, z.kind) for z in new.zones]
            fts.append((doc_id, fold(new.title or ""), fold(new.text)))
        w.tuples("zone", ZONE_COLUMNS, zones, {"origin": "rule"})
        if self._fts and fts:
            w.search_rows(fts)

    def _mentions(self, w, docs, ids, matched, once, extractor, counts, check, linking) -> None:  # type: ignore[no-untyped-def]
        """A batch's mentions; `matched`: its documents written before it, whose mentions
        are read back so that none is written twice; `once`: its documents new to the
        project and given once (linked to entities as written, with `linking`)."""
        seen: dict[int, set[Key]] = {}  # (start, end, label) written, by document
        sql = 'SELECT document_id, start, "end", label FROM mention WHERE document_id IN {ids}'
        for d, s, e, lab in w.select_in(sql, sorted(matched)):
            seen.setdefault(d, set()).add((s, e, lab))
        written: list[tuple[ImportDocument, int, list[tuple], bool]] = []
        for doc, doc_id in zip(docs, ids, strict=True):
            noted = any(span[3] is not None for span in doc.spans)
            if doc_id in once and not noted and len(set(doc.spans)) == len(doc.spans):
                text = doc.new.text  # the usual case: a new document, its spans all different
                rows = [(doc_id, s, e, lab, text[s:e]) for s, e, lab, _note in doc.spans]
            else:
                rows = _mention_rows(doc, doc_id, seen.setdefault(doc_id, set()), noted)
            counts.mentions_skipped += len(doc.spans) - len(rows)
            counts.mentions_added += len(rows)
            written.append((doc, doc_id, rows, noted))
        entities = (
            linking.link([(d, i, r) for d, i, r, _n in written if i in once]) if linking else {}
        )
        runs: list[tuple[tuple, list[tuple]]] = []  # mentions in a row written alike
        pending = 0
        for doc, doc_id, rows, noted in written:
            alike = (doc.status, doc.confidence, noted)
            if not runs or runs[-1][0] != alike:
                runs.append((alike, []))
            links = entities.get(doc_id)
            if links is None and noted:
                rows = [(*row[:5], None, row[5]) for row in rows]
            elif links is None:
                rows = [(*row, None) for row in rows]
            elif noted:
                rows = [(*row[:5], eid, row[5]) for row, eid in zip(rows, links, strict=True)]
            else:
                rows = [(*row, eid) for row, eid in zip(rows, links, strict=True)]
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
            w.tuples("mention", cols, rows, same)

    def _facts(self, w, docs, ids, once, extractor, counts) -> None:  # type: ignore[no-untyped-def]
        with_facts = sorted({i for d, i in zip(docs, ids, strict=True) if d.facts})
        if not with_facts:
            return
        mention_ids: dict[tuple[int, int, int, str], int] = {}
        sql = 'SELECT id, document_id, start, "end", label FROM mention WHERE document_id IN {ids}'
        for mid, d, s, e, lab in w.select_in(sql + " ORDER BY id", with_facts):
            mention_ids.setdefault((d, s, e, lab), mid)
        # Facts and zones in the project already: none in a document new to it (its zones
        # are the ones just written, from the batch itself).
        before = [i for i in with_facts if i not in once]
        old: dict[int, list] = {}
        sql = (
            'SELECT f.id, f.document_id, f.type, a.role, a.start, a."end" FROM fact f'
            " JOIN factargument a ON a.fact_id = f.id WHERE f.document_id IN {ids}"
        )
        for fid, d, ftype, role, s, e in w.select_in(sql, before):
            old.setdefault(fid, [d, ftype]).append((role, s or -1, e or -1))
        seen = {(v[0], v[1], tuple(sorted(v[2:]))) for v in old.values()}
        zones: dict[int, list] = {}
        sql = 'SELECT document_id, start, "end", kind FROM zone WHERE document_id IN {ids}'
        for d, s, e, kind in w.select_in(sql, before):
            zones.setdefault(d, []).append((s, e, kind))
        for doc, doc_id in zip(docs, ids, strict=True):
            if doc_id in once:
                zones[doc_id] = [(z.start, z.end, z.kind) for z in doc.new.zones]
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
                zone = zone_of(zones.get(doc_id, []), start, end)
                rows.append((doc_id, ftype, start, end, zone, note, doc.status, doc.confidence))
                for pos, (role, s, e, lab) in enumerate(spans):
                    mention = mention_ids.get((doc_id, s, e, lab))
                    args.append((len(rows) - 1, role, pos, mention, s, e, doc.new.text[s:e]))
        if not rows:
            return
        counts.facts_added += len(rows)
        same = {"origin": "import", "extractor": extractor, "created_at": w.now,
                "updated_at": w.now}  # fmt: skip
        fact_ids = w.inserted("fact", FACT_COLUMNS, rows, same)
        w.tuples("factargument", ARGUMENT_COLUMNS, [(fact_ids[i], *rest) for i, *rest in args])


class _Linking:
    """Entity resolution of an import's new documents as their mentions are written."""

    def __init__(self, w: _Writer) -> None:
        self.w = w
        kinds = dict(w.fetch("SELECT id, kind FROM entity"))
        aliases: dict[int, set[str]] = {}
        for eid, key in w.fetch("SELECT entity_id, key FROM alias"):
            aliases.setdefault(eid, set()).add(key)
        merged = {a for (a,) in w.fetch(_DECIDED.format(action="merge"))}
        self.kinds = kinds
        self.resolver = Resolver(ResolutionState((), kinds, aliases, merged))
        self.real: dict[int, int] = {}  # new entity ref -> id
        self.names: dict[int, collections.Counter[str]] = {}  # new entity -> texts written
        self.touched: set[int] = set()  # entities of the project before that gained mentions
        self.created = self.linked = self.aliases = 0

    def link(self, docs: list[tuple[ImportDocument, int, list[tuple]]]) -> dict[int, list]:
        """document id -> the entity of each of its mention rows (document_id, start, end,
        label, text[, note]), new entities and aliases written first."""
        mentions = []
        for k, (doc, doc_id, rows) in enumerate(docs):
            for i in sorted(range(len(rows)), key=lambda i: rows[i][1]):  # (start, id) order
                row = rows[i]
                mentions.append(((k, i), doc_id, row[3], row[4], doc.status, None))
        plan = self.resolver.plan(mentions)
        w = self.w
        refs = sorted(plan.new_entities, reverse=True)  # -1, -2, ... in the order made
        made = w.inserted(
            "entity", ["kind"], [(plan.new_entities[r],) for r in refs],
            {"preferred_name": "", "created_at": w.now},
        )  # fmt: skip
        for ref, eid in zip(refs, made, strict=True):
            self.real[ref] = eid
            self.kinds[eid] = plan.new_entities[ref]
            self.names[eid] = collections.Counter()
        real = self.real
        rows = [
            (real.get(ref, ref), key, names.most_common(1)[0][0])
            for (ref, key), names in plan.new_aliases.items()
        ]
        w.tuples("alias", ["entity_id", "key", "name"], rows)
        out: dict[int, list] = {doc_id: [None] * len(r) for _d, doc_id, r in docs}
        for (k, i), ref in plan.moves:
            doc, doc_id, doc_rows = docs[k]
            eid = real.get(ref, ref) if ref is not None else None
            out[doc_id][i] = eid
            if eid in self.names:
                self.names[eid][doc_rows[i][4]] += 1
            elif eid is not None:
                self.touched.add(eid)
        self.created += len(made)
        self.linked += len(plan.moves)
        self.aliases += len(rows)
        return out

    def finish(self) -> None:
        """Preferred names of the entities made or given mentions, and the revision of the
        resolution (after the import's: an import's undo reads its renames)."""
        w = self.w
        keep = {a for (a,) in w.fetch(_DECIDED.format(action="rename"))}
        counts = {eid: c for eid, c in self.names.items()}
        touched = sorted(self.touched - keep)
        current = {eid: "" for eid in counts}
        sql = (
            "SELECT entity_id, text, count(*) FROM mention WHERE entity_id IN {ids}"
            " AND status != 'rejected' GROUP BY entity_id, text"
        )
        for eid, text, n in w.select_in(sql, touched):
            counts.setdefault(eid, collections.Counter())[text] += n
        current.update(
            w.select_in("SELECT id, preferred_name FROM entity WHERE id IN {ids}", touched)
        )
        changes = []
        for eid, was in current.items():
            best = preferred_name(counts.get(eid, {}), self.kinds[eid]) if eid not in keep else None
            if best and best != was:
                changes.append((best, eid, was))
        w.update("entity", ["preferred_name"], [(best, eid) for best, eid, _was in changes])
        after = {
            "entities_created": self.created,
            "mentions_linked": self.linked,
            "aliases_added": self.aliases,
            "names_changed": len(changes),
            "renamed": [[eid, was, best] for best, eid, was in changes],
        }
        if any(after.values()):
            summary = f"Entity resolution: {self.created} new entities, {self.linked} links"
            w.revision({"actor": "pipeline", "action": "entities.resolve", "target": "entity",
                        "after": after, "summary": summary})  # fmt: skip


_DECIDED = "SELECT entity_a FROM entitydecision WHERE action = '{action}' AND NOT reverted"


def _writer_of(conn: sa.Connection) -> _Writer:
    """The writer for an SQLAlchemy connection: its driver's on SQLite, Core elsewhere."""
    if conn.dialect.name == "sqlite":
        return _Writer(conn.connection.driver_connection)  # type: ignore[arg-type]
    return _CoreWriter(conn)


class PlainImports(Imports):
    """`Imports` on a plain sqlite3 connection to a project file at the newest schema:
    neither SQLAlchemy nor SQLModel is loaded (`open_plain`)."""

    def __init__(self, driver: sqlite3.Connection) -> None:
        self._driver = driver
        self._fts = True  # every SQLite project has its search table (migration 0002)

    @contextmanager
    def _connect(self, write: bool = True) -> Iterator[_Writer]:
        conn = self._driver
        if not write:
            yield _Writer(conn)
            return
        conn.execute("BEGIN IMMEDIATE")  # the write lock now (see store/db.py)
        try:
            yield _Writer(conn)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    def _raced(self, exc: Exception) -> bool:
        return False  # the transaction holds the write lock from its start


class PlainProject:
    """What `import_file` needs of a store (`imports`), on a plain sqlite3 connection."""

    def __init__(self, driver: sqlite3.Connection) -> None:
        self.driver = driver
        self.imports = PlainImports(driver)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> PlainProject:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_plain(project: str | Path) -> PlainProject | None:
    """A project file at the newest schema opened for an import with sqlite3 alone (the
    store's pragmas: busy timeout, foreign keys, WAL, synchronous NORMAL), or None when the
    project needs the store (not a file, not a project, a migration due, a server URL)."""
    from desktop.core.store.plain_reads import open_current

    probe = open_current(project)  # read-only: is it a project at the head?
    if probe is None:
        return None
    probe.close()
    path = Path(str(project)).expanduser().resolve()
    driver = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    driver.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
    driver.execute("PRAGMA foreign_keys=ON")
    if driver.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        driver.execute("PRAGMA journal_mode=WAL")
    driver.execute("PRAGMA synchronous=NORMAL")
    return PlainProject(driver)


def _mention_rows(doc: ImportDocument, doc_id: int, seen: set[Key], noted: bool) -> list[tuple]:
    """Rows of a document's spans not written yet (`seen` gains them): document_id, start,
    end, label, text, and the note when one of them has one."""
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


def _import_revision(w: _Writer, actor: str, after: dict, summary: str) -> int:
    """The revision of a whole import, a batch of its own (one step on the undo stack)."""
    revision_id = w.revision(
        {"actor": actor, "action": "import", "target": "document", "after": after,
         "summary": summary}
    )  # fmt: skip
    w.update("revision", ["batch"], [(revision_id, revision_id)])
    return revision_id


def entity_marks(conn: sa.Connection) -> dict[str, Any]:
    """`_entity_marks` on an SQLAlchemy connection (an extraction run's step)."""
    return _entity_marks(lambda sql: [tuple(r) for r in conn.exec_driver_sql(sql).all()])


def _entity_marks(fetch: Callable[[str], list[tuple]]) -> dict[str, Any]:
    """What entity resolution after the import may change, as it is before: the last
    entity, alias and label ids (those it and the label set's completion make come after
    them) and the links of the mentions
    it would link, move or unlink (those whose entity does not fit them as resolution
    sees it, desktop.core.entities.resolve). Undo takes out and puts back what it did
    (store/import_undo.py)."""
    kinds = dict(fetch("SELECT id, kind FROM entity"))
    keys: dict[int, set[str]] = {}
    for eid, key in fetch("SELECT entity_id, key FROM alias"):
        keys.setdefault(eid, set()).add(key)
    merged = {a for (a,) in fetch(_DECIDED.format(action="merge"))}
    query = (
        "SELECT id, label, text, status, entity_id FROM mention"
        f" WHERE label IN ({_KIND_LABELS}) OR entity_id IS NOT NULL"
    )
    links = []
    for mid, label, text, status, eid in fetch(query):
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
        "entities_after": _last_id_of(fetch, "entity"),
        "aliases_after": _last_id_of(fetch, "alias"),
        "labels_after": _last_id_of(fetch, "label"),
        "links_before": links,
    }


def _last_id(w: _Writer, table: str) -> int:
    """The highest id of a table (0 when empty)."""
    return _last_id_of(w.fetch, table)


def _last_id_of(fetch: Callable[[str], list[tuple]], table: str) -> int:
    return int(fetch(f"SELECT max(id) FROM {table}")[0][0] or 0)


def _document_row(new: NewDocument, sha: str, now: Any) -> dict:
    return {
        "sha256": sha, "source": new.source, "path": new.path, "title": new.title,
        "published": new.published, "publisher": new.publisher, "dateline": new.dateline,
        "url": new.url, "language": "en", "encoding": new.encoding, "text": new.text,
        "created_at": now,
    }  # fmt: skip
