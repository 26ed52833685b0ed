"""Canonical entities: queries with names and counts, and analysts' undoable decisions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

import sqlalchemy as sa
from sqlmodel import Session

from desktop.core.entities.resolve import ResolutionPlan, ResolutionState
from desktop.core.models import Document, Entity, Mention
from desktop.core.records import EntityDecisionRecord, EntityRecord, MentionRecord
from desktop.core.store import entity_edits as edits
from desktop.core.store import entity_io as io
from desktop.core.store.changes import Change, Recorder
from desktop.core.store.db import plain_rows, transaction

DOC = Document.__table__
MENTION_COLUMNS = ("id", "document_id", "start", "end", "label", "text", "origin")
MENTION_COLUMNS += ("extractor", "confidence", "status", "entity_id", "run_id")


class Entities:
    """All queries and mutations of entities, aliases and entity decisions."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def list(self, kind: str | None = None) -> list[EntityRecord]:
        """Entities with at least one (non-rejected) mention, by kind then most mentioned."""
        return self._records(kind=kind)

    def get(self, entity_id: int) -> EntityRecord | None:
        """One entity (also one without mentions), or None."""
        found = self._records(ids=[entity_id], keep_empty=True)
        return found[0] if found else None

    def mentions_of(self, entity_id: int) -> list[MentionRecord]:
        """An entity's mentions, by document and position (rejected ones included)."""
        m = io.M
        query = (
            sa.select(*(m.c[name] for name in MENTION_COLUMNS))
            .where(m.c.entity_id == entity_id)
            .order_by(m.c.document_id, m.c.start, m.c.id)
        )
        with self._engine.connect() as conn:
            return [MentionRecord(*row) for row in conn.execute(query).all()]

    def names(self) -> dict[int, Counter[str]]:
        """Every entity's written names with how often each is written."""
        with self._engine.connect() as conn:
            return io.name_counts(conn, None)

    def of_mentions(self, mention_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
        """(entity id, preferred name) of the mentions that resolve to an entity."""
        ids = list(mention_ids)
        if not ids:
            return {}
        m, e = Mention.__table__, Entity.__table__
        query = (
            sa.select(m.c.id, e.c.id, e.c.preferred_name)
            .join(e, e.c.id == m.c.entity_id)
            .where(m.c.id.in_(ids))
        )
        with self._engine.connect() as conn:
            return {mid: (eid, name) for mid, eid, name in conn.execute(query).all()}

    def decisions(self, action: str | None = None) -> list[EntityDecisionRecord]:
        """The standing analysts' decisions, oldest first."""
        d = io.D
        query = sa.select(d.c.id, d.c.action, d.c.entity_a, d.c.entity_b, d.c.payload)
        query = query.add_columns(d.c.created_at).where(~d.c.reverted).order_by(d.c.id)
        if action is not None:
            query = query.where(d.c.action == action)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            EntityDecisionRecord(i, act, a, b, payload or {}, created.isoformat(timespec="seconds"))
            for i, act, a, b, payload, created in rows
        ]

    def distinct_pairs(self) -> set[frozenset[int]]:
        """Pairs analysts said are not the same (split pairs count too)."""
        return {
            frozenset((d.entity_a, d.entity_b))
            for d in self.decisions()
            if d.action in ("distinct", "split") and d.entity_b is not None
        }

    def resolution_state(self, document_ids: Sequence[int] | None = None) -> ResolutionState:
        """What automatic resolution reads (see desktop.core.entities.resolve)."""
        return io.load_state(self._engine, document_ids)

    def resolution_is_current(self) -> bool:
        """Whether the whole project was resolved and nothing resolution reads changed
        since (the stored mark, desktop.core.store.plain_reads); always False off SQLite."""
        if self._engine.dialect.name != "sqlite":
            return False
        from desktop.core.store.plain_reads import resolution_is_current

        with self._engine.connect() as conn:
            return resolution_is_current(conn.connection.driver_connection)  # type: ignore[arg-type]

    def listing(self, kind: str | None = None) -> list[EntityRecord]:
        """`list(kind)` without the documents' source names: the listing stored with a
        current resolution mark, else counted (on SQLite with plain queries)."""
        if self._engine.dialect.name != "sqlite":
            return [replace(e, sources=()) for e in self.list(kind)]
        from desktop.core.store.plain_reads import entity_list, stored_entity_list

        with self._engine.connect() as conn:
            driver = conn.connection.driver_connection
            stored = stored_entity_list(driver, kind)  # type: ignore[arg-type]
            return stored if stored is not None else entity_list(driver, kind)  # type: ignore[arg-type]

    def apply_resolution(self, plan: ResolutionPlan, everything: bool = False) -> None:
        """Store what automatic resolution decided, in one transaction."""
        io.apply_plan(self._engine, plan, everything)

    def merge(self, a: int, b: int, actor: str = "analyst") -> Change:
        """Merge b into a: b's mentions and aliases move to a, b goes."""
        if a == b:
            raise ValueError("an entity cannot be merged into itself")
        with transaction(self._engine) as session:
            names = _name(session, a), _name(session, b)
            rec = Recorder(session, actor, "entity.merge", f"Merge '{names[1]}' into '{names[0]}'")
            edits.merge(rec, a, b)
            return Change(rec.batch)

    def split(self, entity_id: int, alias_names: Iterable[str], actor: str = "analyst") -> Change:
        """Move the mentions written as these names to a new entity (Change.batch; see
        `decisions("split")` for the new id)."""
        alias_names = list(alias_names)
        with transaction(self._engine) as session:
            listed = ", ".join(repr(n) for n in alias_names)
            summary = f"Split {listed} from '{_name(session, entity_id)}'"
            rec = Recorder(session, actor, "entity.split", summary)
            edits.split(rec, entity_id, alias_names)
            return Change(rec.batch)

    def rename(self, entity_id: int, preferred_name: str, actor: str = "analyst") -> Change:
        """Set the preferred name; automatic resolution keeps it from now on."""
        name = " ".join(preferred_name.split())
        if not name:
            raise ValueError("a preferred name cannot be empty")
        with transaction(self._engine) as session:
            old = _name(session, entity_id)
            rec = Recorder(session, actor, "entity.rename", f"Rename '{old}' → '{name}'")
            rec.update("entity", {"id": entity_id}, preferred_name=name)
            edits.decide(rec, "rename", entity_id, None, {"before": old, "after": name})
            return Change(rec.batch)

    def set_note(self, entity_id: int, note: str | None, actor: str = "analyst") -> Change:
        """Set or clear an entity's note."""
        with transaction(self._engine) as session:
            name = _name(session, entity_id)
            rec = Recorder(session, actor, "entity.note", f"Note on '{name}'")
            rec.update("entity", {"id": entity_id}, note=(note or "").strip() or None)
            return Change(rec.batch)

    def mark_distinct(self, a: int, b: int, actor: str = "analyst") -> Change:
        """Record that two entities are not the same: never proposed for merging again."""
        if a == b:
            raise ValueError("an entity is always the same as itself")
        a, b = sorted((a, b))
        with transaction(self._engine) as session:
            names = _name(session, a), _name(session, b)
            summary = f"Not the same: '{names[0]}' and '{names[1]}'"
            rec = Recorder(session, actor, "entity.distinct", summary)
            edits.decide(rec, "distinct", a, b, {"names": list(names)})
            return Change(rec.batch)

    def _records(
        self, kind: str | None = None, ids: list[int] | None = None, keep_empty: bool = False
    ) -> list[EntityRecord]:
        m, e = io.M, io.E
        query = sa.select(e.c.id, e.c.kind, e.c.preferred_name, e.c.note)
        if kind is not None:
            query = query.where(e.c.kind == kind)
        if ids is not None:
            query = query.where(e.c.id.in_(ids))
        counts = sa.select(m.c.entity_id, m.c.document_id, m.c.text, sa.func.count())
        counts = counts.where(m.c.entity_id.is_not(None), m.c.status != "rejected")
        if ids is not None:
            counts = counts.where(m.c.entity_id.in_(ids))
        counts = counts.group_by(m.c.entity_id, m.c.document_id, m.c.text)
        texts: dict[int, dict[str, int]] = {}
        docs: dict[int, set[int]] = {}
        with self._engine.connect() as conn:
            entities = plain_rows(conn, query)
            for eid, doc_id, text, n in plain_rows(conn, counts):
                written = texts.get(eid)
                if written is None:
                    texts[eid], docs[eid] = {text: n}, {doc_id}
                    continue
                written[text] = written.get(text, 0) + n
                docs[eid].add(doc_id)
            sources = dict(plain_rows(conn, sa.select(DOC.c.id, DOC.c.source)))
        out = []
        for eid, ekind, name, note in entities:
            written = texts.get(eid, {})
            if not written and not keep_empty:
                continue
            if len(written) > 1:
                aliases = tuple(t for t, _n in sorted(written.items(), key=_by_count) if t != name)
            else:
                aliases = tuple(t for t in written if t != name)
            in_docs = docs.get(eid, set())
            out.append(
                EntityRecord(
                    eid,
                    ekind,
                    name,
                    aliases,
                    sum(written.values()),
                    len(in_docs),
                    tuple(sorted({sources[d] for d in in_docs})),
                    note,
                )
            )
        return sorted(out, key=lambda r: (r.kind, -r.mention_count, r.preferred_name, r.id))


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    """Most written first, then alphabetically."""
    return -item[1], item[0]


def _name(session: Session, entity_id: int) -> str:
    return str(edits.entity_row(session, entity_id)["preferred_name"])
