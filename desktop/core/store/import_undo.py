"""Undo and redo of a dataset import: its rows taken out, kept in the revision, put back.

An import writes tens of thousands of rows in bulk, too many to log one by one as
analysts' edits are. Its revision names them instead (`after`): the documents it added
and the id ranges of the mentions and facts it wrote (ids are given in order within
the import's transaction). Undo takes those rows out — with the zones, tags, search
rows and argument rows that hang on them, and whatever extraction proposed in the
added documents — and keeps the import's own rows in the revision (`before`); redo
writes them back. Documents put back count as not extracted yet, so proposals come
again; mentions keep their entity only if it still exists.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from desktop.core.folding import fold
from desktop.core.store.changes import from_json, table_of, to_json

# What hangs on a document, a mention and a fact, children before parents when deleting.
_DOCUMENT_CHILDREN = ("zone", "documenttag")
_FACT_CHILDREN = ("factargument", "facttag")


def _rows(session: Session, table: sa.Table, where: sa.ColumnElement[bool]) -> list[dict]:
    found = session.execute(sa.select(table).where(where)).mappings().all()
    return [to_json(table, dict(row)) for row in found]


def take_out(session: Session, after: dict[str, Any], fts: bool) -> dict[str, Any]:
    """Delete what an import wrote (named by its revision's `after`); the rows to put
    back later, as JSON-safe values."""
    docs = list(after.get("added", []))
    m_lo, m_hi = after.get("mentions") or (0, -1)
    f_lo, f_hi = after.get("facts") or (0, -1)
    t = {name: table_of(name) for name in ("document", "mention", "fact", "mentiontag")}
    t.update({name: table_of(name) for name in _DOCUMENT_CHILDREN + _FACT_CHILDREN})
    fact_ids = t["fact"].c.id.between(f_lo, f_hi)
    mention_ids = t["mention"].c.id.between(m_lo, m_hi)
    of_facts = {name: t[name].c.fact_id.between(f_lo, f_hi) for name in _FACT_CHILDREN}
    kept: dict[str, list[dict]] = {
        "fact": _rows(session, t["fact"], fact_ids),
        **{name: _rows(session, t[name], where) for name, where in of_facts.items()},
        "mention": _rows(session, t["mention"], mention_ids),
        "mentiontag": _rows(
            session, t["mentiontag"], t["mentiontag"].c.mention_id.between(m_lo, m_hi)
        ),
        "document": [],
        **{name: [] for name in _DOCUMENT_CHILDREN},
    }
    for start in range(0, len(docs), 500):
        chunk = docs[start : start + 500]
        kept["document"] += _rows(session, t["document"], t["document"].c.id.in_(chunk))
        for name in _DOCUMENT_CHILDREN:
            kept[name] += _rows(session, t[name], t[name].c.document_id.in_(chunk))
    session.execute(sa.delete(t["fact"]).where(fact_ids))  # arguments and tags cascade
    session.execute(sa.delete(t["mention"]).where(mention_ids))
    for start in range(0, len(docs), 500):
        chunk = docs[start : start + 500]
        session.execute(sa.delete(t["document"]).where(t["document"].c.id.in_(chunk)))
        if fts:
            session.execute(
                sa.text("DELETE FROM document_fts WHERE rowid IN :ids").bindparams(
                    sa.bindparam("ids", expanding=True)
                ),
                {"ids": chunk},
            )
    return kept


def put_back(session: Session, kept: dict[str, Any], fts: bool) -> None:
    """Write an import's rows back as `take_out` kept them."""
    entities = table_of("entity")
    known = set(session.execute(sa.select(entities.c.id)).scalars())
    for row in kept.get("document", []):
        row["last_run_id"] = None  # extraction proposes in it again
    for row in kept.get("mention", []):
        if row.get("entity_id") not in known:
            row["entity_id"] = None
    for name in ("document", "zone", "documenttag", "mention", "mentiontag", "fact"):
        _insert(session, name, kept.get(name, []))
    _insert(session, "factargument", kept.get("factargument", []))
    _insert(session, "facttag", kept.get("facttag", []))
    if fts and kept.get("document"):
        session.execute(
            sa.text("INSERT INTO document_fts(rowid, title, body) VALUES (:id, :t, :b)"),
            [
                {"id": d["id"], "t": fold(d.get("title") or ""), "b": fold(d["text"])}
                for d in kept["document"]
            ],
        )


def _insert(session: Session, name: str, rows: list[dict]) -> None:
    if rows:
        table = table_of(name)
        session.execute(sa.insert(table), [from_json(table, row) for row in rows])
