"""Undo and redo of a dataset import: its rows taken out, kept in the revision, put back.

An import writes tens of thousands of rows in bulk, too many to log one by one as
analysts' edits are. Its revision names them instead (`after`): the documents it added
and the id ranges of the mentions and facts it wrote (ids are given in order within
the import's transaction). Undo takes those rows out — with the zones, tags, search
rows and argument rows that hang on them, and whatever extraction or the analyst added
in the added documents since — and keeps them in the revision (`before`); redo writes
them back with their ids, so later edits on them redo too. Mentions keep their entity
only if it still exists.
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


def _ids(session: Session, table: sa.Table, span: list[int], docs: list[int]) -> list[int]:
    """Ids of the rows in the id range `span` or in one of the documents `docs`."""
    lo, hi = span or (0, -1)
    found = set(session.execute(sa.select(table.c.id).where(table.c.id.between(lo, hi))).scalars())
    for chunk in _chunks(docs):
        query = sa.select(table.c.id).where(table.c.document_id.in_(chunk))
        found.update(session.execute(query).scalars())
    return sorted(found)


def _chunks(values: list[int], size: int = 500) -> list[list[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _rows_in(session: Session, table: sa.Table, column: str, ids: list[int]) -> list[dict]:
    out: list[dict] = []
    for chunk in _chunks(ids):
        out += _rows(session, table, table.c[column].in_(chunk))
    return out


def take_out(session: Session, after: dict[str, Any], fts: bool) -> dict[str, Any]:
    """Delete what an import wrote (named by its revision's `after`) and everything that
    came to hang on the documents it added since (extraction's proposals, the analyst's
    spans, tags and facts); the rows to put back later, as JSON-safe values."""
    docs = list(after.get("added", []))
    t = {name: table_of(name) for name in ("document", "mention", "fact", "mentiontag")}
    t.update({name: table_of(name) for name in _DOCUMENT_CHILDREN + _FACT_CHILDREN})
    mention_ids = _ids(session, t["mention"], after.get("mentions") or [], docs)
    fact_ids = _ids(session, t["fact"], after.get("facts") or [], docs)
    kept: dict[str, list[dict]] = {
        "fact": _rows_in(session, t["fact"], "id", fact_ids),
        **{name: _rows_in(session, t[name], "fact_id", fact_ids) for name in _FACT_CHILDREN},
        "mention": _rows_in(session, t["mention"], "id", mention_ids),
        "mentiontag": _rows_in(session, t["mentiontag"], "mention_id", mention_ids),
        "document": _rows_in(session, t["document"], "id", docs),
        **{name: _rows_in(session, t[name], "document_id", docs) for name in _DOCUMENT_CHILDREN},
    }
    for chunk in _chunks(fact_ids):  # arguments and tags cascade
        session.execute(sa.delete(t["fact"]).where(t["fact"].c.id.in_(chunk)))
    for chunk in _chunks(mention_ids):
        session.execute(sa.delete(t["mention"]).where(t["mention"].c.id.in_(chunk)))
    for chunk in _chunks(docs):
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
    """Write an import's rows back as `take_out` kept them, ids and all, so the edits
    logged after the import (a tag on one of its mentions) redo onto the same rows."""
    entities = table_of("entity")
    known = set(session.execute(sa.select(entities.c.id)).scalars())
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
