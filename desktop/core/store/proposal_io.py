"""The statements of re-proposing a document's mentions, tuned per database.

Extraction writes every document through these, so on SQLite they go straight
to the driver (one executemany for the rows, no statement compilation); other
databases get the same statements as SQLAlchemy Core.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

import sqlalchemy as sa

from desktop.core.models import Document, Mention, MentionTag, Revision, utcnow
from desktop.core.records import ProposedMention

Row = tuple[int, int, int, str, str, str, str | None, bool]


class ProposalIO(Protocol):
    """Reads and writes of one document's proposals inside an open transaction."""

    def own(self, document_id: int) -> Sequence[Row]: ...
    def delete(self, ids: list[int]) -> None: ...
    def insert(self, document_id: int, rows: list[ProposedMention], run_id: int | None) -> None: ...
    def restamp(self, rows: list[tuple[str, int]]) -> None: ...
    def finish(self, document_id: int, run_id: int | None, after: dict, summary: str) -> None: ...


def for_connection(conn: sa.Connection) -> ProposalIO:
    """The fastest implementation for this connection's database."""
    return SqliteIO(conn) if conn.dialect.name == "sqlite" else CoreIO(conn)


def _stamp() -> str:
    """Now as SQLAlchemy's UTCDateTime stores it in SQLite: naive UTC with microseconds."""
    return utcnow().replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


class SqliteIO:
    """Plain SQL on the driver's cursor, inside SQLAlchemy's transaction."""

    OWN = (
        'SELECT m.id, m.start, m."end", m.label, m.origin, m.status, m.note, '
        "EXISTS (SELECT 1 FROM mentiontag t WHERE t.mention_id = m.id) "
        "FROM mention m WHERE m.document_id = ?"
    )
    INSERT = (
        'INSERT INTO mention (document_id, start, "end", label, text, origin, extractor, '
        "confidence, status, entity_id, run_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'proposed', ?, ?, ?, ?)"
    )
    MARK = "UPDATE document SET last_run_id = ?, extraction_error = NULL WHERE id = ?"
    LOG = (
        "INSERT INTO revision (created_at, actor, action, target, target_id, after, summary, "
        "undone) VALUES (?, 'pipeline', 'extract', 'document', ?, ?, ?, 0)"
    )

    def __init__(self, conn: sa.Connection) -> None:
        self.cursor: Any = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]

    def own(self, document_id: int) -> Sequence[Row]:
        return self.cursor.execute(self.OWN, (document_id,)).fetchall()  # type: ignore[no-any-return]

    def delete(self, ids: list[int]) -> None:
        self.cursor.executemany("DELETE FROM mention WHERE id = ?", [(i,) for i in ids])

    def restamp(self, rows: list[tuple[str, int]]) -> None:
        """(extractor, id): a kept proposal another model or rule proposed again names it.
        Its run stays the one that wrote the row (undoing a run deletes that run's rows)."""
        self.cursor.executemany(
            "UPDATE mention SET extractor = ? WHERE id = ? AND extractor IS NOT ?",
            [(extractor, mid, extractor) for extractor, mid in rows],
        )

    def insert(self, document_id: int, rows: list[ProposedMention], run_id: int | None) -> None:
        stamp = _stamp()
        self.cursor.executemany(
            self.INSERT,
            [
                (
                    document_id,
                    p.start,
                    p.end,
                    p.label,
                    p.text,
                    p.origin,
                    p.extractor,
                    p.confidence,
                    p.entity_id,
                    run_id,
                    stamp,
                    stamp,
                )
                for p in rows
            ],
        )

    def finish(self, document_id: int, run_id: int | None, after: dict, summary: str) -> None:
        self.cursor.execute(self.MARK, (run_id, document_id))
        self.cursor.execute(self.LOG, (_stamp(), document_id, json.dumps(after), summary))


_M = Mention.__table__
_OWN = sa.select(
    _M.c.id,
    _M.c.start,
    _M.c.end,
    _M.c.label,
    _M.c.origin,
    _M.c.status,
    _M.c.note,
    sa.exists().where(MentionTag.__table__.c.mention_id == _M.c.id),
).where(_M.c.document_id == sa.bindparam("doc"))
_DELETE = sa.delete(_M).where(_M.c.id.in_(sa.bindparam("ids", expanding=True)))
_RESTAMP = (
    sa.update(_M)
    .where(_M.c.id == sa.bindparam("mid"))
    .where(_M.c.extractor.is_distinct_from(sa.bindparam("ex")))
    .values(extractor=sa.bindparam("ex"))
)
_MARK = (
    sa.update(Document.__table__)
    .where(Document.__table__.c.id == sa.bindparam("doc"))
    .values(last_run_id=sa.bindparam("run"), extraction_error=None)
)
_LOG = sa.insert(Revision.__table__).values(
    created_at=sa.bindparam("at"),
    actor="pipeline",
    action="extract",
    target="document",
    target_id=sa.bindparam("doc"),
    undone=False,
    after=sa.bindparam("after"),
    summary=sa.bindparam("summary"),
)


class CoreIO:
    """The same statements as SQLAlchemy Core, for any database."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def own(self, document_id: int) -> Sequence[Row]:
        return self.conn.execute(_OWN, {"doc": document_id}).all()  # type: ignore[return-value]

    def delete(self, ids: list[int]) -> None:
        self.conn.execute(_DELETE, {"ids": ids})

    def restamp(self, rows: list[tuple[str, int]]) -> None:
        if rows:
            self.conn.execute(_RESTAMP, [{"ex": e, "mid": m} for e, m in rows])

    def insert(self, document_id: int, rows: list[ProposedMention], run_id: int | None) -> None:
        now = utcnow()
        self.conn.execute(
            sa.insert(_M),
            [
                {
                    "document_id": document_id,
                    "start": p.start,
                    "end": p.end,
                    "label": p.label,
                    "text": p.text,
                    "origin": p.origin,
                    "extractor": p.extractor,
                    "confidence": p.confidence,
                    "status": "proposed",
                    "entity_id": p.entity_id,
                    "run_id": run_id,
                    "created_at": now,
                    "updated_at": now,
                }
                for p in rows
            ],
        )

    def finish(self, document_id: int, run_id: int | None, after: dict, summary: str) -> None:
        self.conn.execute(_MARK, {"doc": document_id, "run": run_id})
        self.conn.execute(
            _LOG, {"at": utcnow(), "doc": document_id, "after": after, "summary": summary}
        )
