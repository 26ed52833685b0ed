"""Undo and redo of an extraction run that an analyst started: one step for the whole run.

A run re-proposes the machine mentions and facts of many documents in bulk, one
transaction per document (store/mentions.py `replace_proposals`), too many rows to log
one by one. Its step is a revision of its own (action `extract.run`) holding the run's
id and what entity resolution after it may change (the same marks an import keeps,
store/imports.py); each document the run wrote logs a revision in that batch with the
stale proposals the run deleted (`removed`) and the document's previous run.

Undo takes out the rows the run wrote (its run id is on them) and writes the removed
ones back with their ids; then the entities, aliases, links and names resolution made
or changed for the run go back as for an import (store/import_undo.py). Redo does the
reverse, with the rows undo kept in the revisions' `before`. Edits made after the run
are undone first (the stack is last-in first-out), so nothing an analyst made hangs on
the rows a run's undo takes out; tags or notes on them would be kept in `before` too.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from desktop.core.models import Revision, utcnow
from desktop.core.store import analysts, import_undo
from desktop.core.store.changes import from_json, table_of, to_json

RUN = "extract.run"
DOCUMENT = "extract"


def start_step(conn: sa.Connection, run_id: int, marks: dict[str, Any], summary: str) -> int:
    """Log the step of an analyst's run (a batch of its own); its id."""
    revisions = Revision.__table__
    who = analysts.identity(conn.engine)  # the analyst who started the run
    step = int(
        conn.execute(
            sa.insert(revisions).values(
                created_at=utcnow(),
                actor=who.name,
                client=who.client,
                action=RUN,
                target="extractionrun",
                target_id=run_id,
                undone=False,
                after={"run_id": run_id, **marks},
                summary=summary,
            )
        ).inserted_primary_key[0]
    )
    conn.execute(sa.update(revisions).where(revisions.c.id == step).values(batch=step))
    return step


def drop_step(conn: sa.Connection, step: int) -> None:
    """Remove the step of a run that wrote nothing (nothing to undo)."""
    conn.execute(sa.delete(Revision.__table__).where(Revision.__table__.c.batch == step))


def last_run(conn: sa.Connection, document_id: int) -> int | None:
    """The run that last extracted a document (before this one writes it)."""
    d = table_of("document")
    return conn.execute(sa.select(d.c.last_run_id).where(d.c.id == document_id)).scalar()


def join_step(conn: sa.Connection, document_id: int, step: int) -> None:
    """Put the revision a document's extraction just logged into the run's step."""
    r = Revision.__table__
    newest = (
        sa.select(sa.func.max(r.c.id))
        .where(r.c.action == DOCUMENT, r.c.target_id == document_id)
        .scalar_subquery()
    )
    conn.execute(sa.update(r).where(r.c.id == newest).values(batch=step))


def snapshot_mentions(conn: sa.Connection, ids: list[int]) -> dict[str, list]:
    """The rows of the mentions about to be deleted and the fact arguments linked to them."""
    m, a = table_of("mention"), table_of("factargument")
    rows = _rows(conn, m, m.c.id, ids)
    links = [
        [arg, mid]
        for arg, mid in _pairs(conn, sa.select(a.c.id, a.c.mention_id), a.c.mention_id, ids)
    ]
    return {"mention": rows, "links": links}


def snapshot_facts(conn: sa.Connection, ids: list[int]) -> dict[str, list]:
    """The rows of the facts about to be deleted, with their arguments and tags."""
    f, a, t = table_of("fact"), table_of("factargument"), table_of("facttag")
    return {
        "fact": _rows(conn, f, f.c.id, ids),
        "factargument": _rows(conn, a, a.c.fact_id, ids),
        "facttag": _rows(conn, t, t.c.fact_id, ids),
    }


def _chunks(values: list[int], size: int = 500) -> list[list[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _rows(conn: Any, table: sa.Table, column: sa.Column, ids: list[int]) -> list[dict]:
    out: list[dict] = []
    for chunk in _chunks(ids):
        found = conn.execute(sa.select(table).where(column.in_(chunk))).mappings().all()
        out += [to_json(table, dict(r)) for r in found]
    return out


def _pairs(conn: Any, query: sa.Select, column: sa.Column, ids: list[int]) -> list[tuple]:
    out: list[tuple] = []
    for chunk in _chunks(ids):
        out += [tuple(r) for r in conn.execute(query.where(column.in_(chunk))).all()]
    return out


def replay(session: Session, revs: list[Revision], forward: bool, fts: bool) -> None:
    """Undo (or redo) an extraction step: its run revision first, then its documents'."""
    step, documents = revs[0], revs[1:]
    run_id = (step.after or {})["run_id"]
    if forward:
        import_undo.put_back(session, step.before or {}, fts)
        step.before = None
        for rev in documents:
            _redo_document(session, rev, run_id)
        return
    linked: set[int] = set()
    for rev in reversed(documents):
        linked |= _undo_document(session, rev, run_id)
    step.before = import_undo.take_out_resolution(
        session, {**(step.after or {}), "import_id": step.id}, linked
    )


def _undo_document(session: Session, rev: Revision, run_id: int) -> set[int]:
    """Take out the rows the run wrote in this document, put back those it removed;
    the entities the taken-out mentions were linked to."""
    doc = rev.target_id
    m, f = table_of("mention"), table_of("fact")
    mt, d = table_of("mentiontag"), table_of("document")
    mention_ids = list(
        session.execute(
            sa.select(m.c.id).where(m.c.document_id == doc, m.c.run_id == run_id)
        ).scalars()
    )
    fact_ids = list(
        session.execute(
            sa.select(f.c.id).where(f.c.document_id == doc, f.c.run_id == run_id)
        ).scalars()
    )
    conn = session.connection()
    kept = {
        **snapshot_facts(conn, fact_ids),
        **snapshot_mentions(conn, mention_ids),
        "mentiontag": _rows(conn, mt, mt.c.mention_id, mention_ids),
    }
    for chunk in _chunks(fact_ids):  # arguments and tags cascade
        session.execute(sa.delete(f).where(f.c.id.in_(chunk)))
    for chunk in _chunks(mention_ids):
        session.execute(sa.delete(m).where(m.c.id.in_(chunk)))
    _write(session, (rev.after or {}).get("removed") or {})
    after = rev.after or {}
    session.execute(
        sa.update(d).where(d.c.id == doc).values(last_run_id=after.get("last_run_before"))
    )
    rev.before = kept
    return {r["entity_id"] for r in kept["mention"]} - {None}


def _redo_document(session: Session, rev: Revision, run_id: int) -> None:
    """Delete again what the run removed in this document, write back what it wrote."""
    removed = (rev.after or {}).get("removed") or {}
    m, f, d = table_of("mention"), table_of("fact"), table_of("document")
    fact_ids = [r["id"] for r in removed.get("fact", [])]
    mention_ids = [r["id"] for r in removed.get("mention", [])]
    for chunk in _chunks(fact_ids):
        session.execute(sa.delete(f).where(f.c.id.in_(chunk)))
    for chunk in _chunks(mention_ids):
        session.execute(sa.delete(m).where(m.c.id.in_(chunk)))
    _write(session, rev.before or {})
    session.execute(sa.update(d).where(d.c.id == rev.target_id).values(last_run_id=run_id))
    rev.before = None


def _write(session: Session, kept: dict[str, list]) -> None:
    """Insert snapshot rows (mentions first, entity links only to entities that exist),
    then link the fact arguments that pointed at those mentions again."""
    entities = set(session.execute(sa.select(table_of("entity").c.id)).scalars())
    mentions = [dict(r) for r in kept.get("mention", [])]
    for row in mentions:
        if row.get("entity_id") not in entities:
            row["entity_id"] = None
    for name, rows in (
        ("mention", mentions),
        ("mentiontag", kept.get("mentiontag", [])),
        ("fact", kept.get("fact", [])),
        ("factargument", kept.get("factargument", [])),
        ("facttag", kept.get("facttag", [])),
    ):
        if rows:
            table = table_of(name)
            session.execute(sa.insert(table), [from_json(table, row) for row in rows])
    a = table_of("factargument")
    for arg, mid in kept.get("links", []):
        session.execute(sa.update(a).where(a.c.id == arg).values(mention_id=mid))


def open_step(engine: sa.Engine, run_id: int, summary: str) -> int:
    """Start the undo step of an analyst's run: logged with what resolution may change."""
    from desktop.core.store.imports import entity_marks

    with engine.begin() as conn:
        return start_step(conn, run_id, entity_marks(conn), summary)


def close_step(engine: sa.Engine, step: int, documents: int, summary: str) -> int | None:
    """Name a finished run's step by what it did; None (and no step) when it wrote nothing."""
    r = Revision.__table__
    with engine.begin() as conn:
        wrote = conn.execute(
            sa.select(sa.func.count()).where(r.c.batch == step, r.c.action == DOCUMENT)
        ).scalar()
        if not wrote:
            drop_step(conn, step)
            return None
        plural = "s" if documents != 1 else ""
        conn.execute(
            sa.update(r)
            .where(r.c.id == step)
            .values(summary=f"{summary}: {documents} document{plural}")
        )
    return step


def step_of_run(engine: sa.Engine, run_id: int) -> int | None:
    """The undo step logged for an extraction run, if any."""
    r = Revision.__table__
    with engine.connect() as conn:
        return conn.execute(
            sa.select(r.c.id).where(r.c.action == RUN, r.c.target_id == run_id)
        ).scalar()
