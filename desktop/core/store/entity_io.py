"""Bulk reads and writes of automatic entity resolution (SQLAlchemy Core, no ORM rows)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from desktop.core.entities.keys import KINDS
from desktop.core.entities.names import preferred_name
from desktop.core.entities.resolve import ResolutionPlan, ResolutionState
from desktop.core.models import Alias, Entity, EntityDecision, Mention, Revision, Setting, utcnow
from desktop.core.store.db import plain_rows
from desktop.core.store.plain_reads import (
    ENTITY_LISTING_KEY,
    RESOLUTION_MARK_KEY,
    RESOLUTION_MARK_SQL,
    listing_rows,
)

M, E, A, D = Mention.__table__, Entity.__table__, Alias.__table__, EntityDecision.__table__
CHUNK = 500


def decided(conn: sa.Connection, action: str) -> list[tuple[int, int | None]]:
    """(entity_a, entity_b) of the analysts' standing decisions of one kind."""
    query = sa.select(D.c.entity_a, D.c.entity_b).where(D.c.action == action, ~D.c.reverted)
    return [(a, b) for a, b in conn.execute(query).all()]


def load_state(engine: sa.Engine, document_ids: Sequence[int] | None) -> ResolutionState:
    """The mentions in scope (in text order) and every entity's kind and alias keys."""
    query = sa.select(M.c.id, M.c.document_id, M.c.label, M.c.text, M.c.status, M.c.entity_id)
    query = query.where(sa.or_(M.c.label.in_(list(KINDS)), M.c.entity_id.is_not(None)))
    with engine.connect() as conn:
        mark = _mark(conn) if document_ids is None else None  # before what it describes
        # plain driver tuples: SQLAlchemy rows of a few hundred thousand mentions cost
        # seconds and twice the memory
        if document_ids is None:
            rows = plain_rows(conn, query.order_by(M.c.document_id, M.c.start, M.c.id))
        else:
            rows = []
            for chunk in _chunks(sorted(set(document_ids))):
                ordered = query.where(M.c.document_id.in_(chunk))
                rows += plain_rows(conn, ordered.order_by(M.c.document_id, M.c.start, M.c.id))
        kinds = dict(conn.execute(sa.select(E.c.id, E.c.kind)).all())
        aliases: dict[int, set[str]] = defaultdict(set)
        for eid, key in conn.execute(sa.select(A.c.entity_id, A.c.key)).all():
            aliases[eid].add(key)
        merged = {a for a, _b in decided(conn, "merge")}
    return ResolutionState(rows, kinds, dict(aliases), merged, mark)


def _mark(conn: sa.Connection) -> list[object]:
    """Resolution's inputs in figures (see desktop.core.store.plain_reads); a server's
    timestamps as text, as SQLite gives them (the mark is stored as JSON)."""
    row = conn.exec_driver_sql(RESOLUTION_MARK_SQL).one()
    return [v.isoformat() if hasattr(v, "isoformat") else v for v in row]


def _store_mark(conn: sa.Connection, plan: ResolutionPlan, before: list[object] | None) -> None:
    """After resolving the whole project: the mark of its inputs now, if nothing else
    wrote to them since they were read (then `factdesk entities` need not resolve again),
    and on SQLite the entity listing as of that mark (which it prints then)."""
    s = Setting.__table__
    conn.execute(sa.delete(s).where(s.c.key.in_([RESOLUTION_MARK_KEY, ENTITY_LISTING_KEY])))
    if plan.inputs_mark is not None and before == plan.inputs_mark:
        conn.execute(sa.insert(s).values(key=RESOLUTION_MARK_KEY, value=_mark(conn)))
        if conn.dialect.name == "sqlite":
            listing = listing_rows(conn.connection.driver_connection)  # type: ignore[arg-type]
            conn.execute(sa.insert(s).values(key=ENTITY_LISTING_KEY, value=listing))


def apply_plan(engine: sa.Engine, plan: ResolutionPlan, everything: bool) -> None:
    """Store a resolution plan in one transaction, with one summary revision."""
    with engine.begin() as conn:
        before = _mark(conn) if everything else None
        ids = _insert_entities(conn, plan)
        real = lambda ref: ids.get(ref, ref) if ref is not None else None  # noqa: E731
        if plan.new_aliases:
            rows = [
                {"entity_id": real(ref), "key": key, "name": names.most_common(1)[0][0]}
                for (ref, key), names in plan.new_aliases.items()
            ]
            conn.execute(sa.insert(A), rows)
        if plan.moves and conn.dialect.name == "sqlite":  # straight to the driver, as tuples
            driver = conn.connection.driver_connection
            links = ((real(ref), m) for m, ref in plan.moves)
            driver.executemany("UPDATE mention SET entity_id = ? WHERE id = ?", links)  # type: ignore[union-attr]
        elif plan.moves:
            update = (
                sa.update(M)
                .where(M.c.id == sa.bindparam("mid"))
                .values(entity_id=sa.bindparam("eid"))
            )
            conn.execute(update, [{"mid": m, "eid": real(ref)} for m, ref in plan.moves])
        touched = None if everything else {real(ref) for ref in plan.touched}
        renamed = rename_by_counts(conn, touched)
        after = {
            "entities_created": len(ids),
            "mentions_linked": len(plan.moves),
            "aliases_added": len(plan.new_aliases),
            "names_changed": len(renamed),
            "renamed": renamed,  # [entity, name before, name after]: an import's undo reads it
        }
        if any(after.values()):
            conn.execute(
                sa.insert(Revision.__table__).values(
                    created_at=utcnow(),
                    actor="pipeline",
                    action="entities.resolve",
                    target="entity",
                    after=after,
                    summary=f"Entity resolution: {len(ids)} new entities, {len(plan.moves)} links",
                    undone=False,
                )
            )
        if everything:
            _store_mark(conn, plan, before)


def _insert_entities(conn: sa.Connection, plan: ResolutionPlan) -> dict[int, int]:
    refs = sorted(plan.new_entities, reverse=True)  # -1, -2, ...
    if not refs:
        return {}
    now = utcnow()
    rows = [{"kind": plan.new_entities[r], "preferred_name": "", "created_at": now} for r in refs]
    stmt = sa.insert(E).returning(E.c.id, sort_by_parameter_order=True)
    new_ids = [row[0] for row in conn.execute(stmt, rows).all()]
    return dict(zip(refs, new_ids, strict=True))


def name_counts(conn: sa.Connection, entity_ids: Iterable[int] | None) -> dict[int, Counter[str]]:
    """How often each entity's (non-rejected) mentions are written each way."""
    query = (
        sa.select(M.c.entity_id, M.c.text, sa.func.count())
        .where(M.c.entity_id.is_not(None), M.c.status != "rejected")
        .group_by(M.c.entity_id, M.c.text)
    )
    out: dict[int, Counter[str]] = defaultdict(Counter)
    chunks = [None] if entity_ids is None else _chunks(sorted(set(entity_ids)))
    for chunk in chunks:
        part = query if chunk is None else query.where(M.c.entity_id.in_(chunk))
        for eid, text, n in plain_rows(conn, part):
            out[eid][text] += n
    return out


def refresh_names(conn: sa.Connection, entity_ids: set[int] | None) -> int:
    """Recompute preferred names (of some entities, or all) that no analyst has set."""
    return len(rename_by_counts(conn, entity_ids))


def rename_by_counts(conn: sa.Connection, entity_ids: set[int] | None) -> list[list]:
    """As `refresh_names`; [entity id, name before, name after] of each name changed."""
    if entity_ids is not None and not entity_ids:
        return []
    keep = {a for a, _b in decided(conn, "rename")}
    counts = name_counts(conn, entity_ids)
    query = sa.select(E.c.id, E.c.kind, E.c.preferred_name)
    changes = []
    for chunk in [None] if entity_ids is None else _chunks(sorted(entity_ids)):
        part = query if chunk is None else query.where(E.c.id.in_(chunk))
        for eid, kind, name in conn.execute(part).all():
            best = preferred_name(counts.get(eid, {}), kind) if eid not in keep else None
            if best and best != name:
                changes.append({"eid": eid, "name": best, "was": name})
    if changes:
        stmt = sa.update(E).where(E.c.id == sa.bindparam("eid"))
        conn.execute(stmt.values(preferred_name=sa.bindparam("name")), changes)
    return [[c["eid"], c["was"], c["name"]] for c in changes]


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
