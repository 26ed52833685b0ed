"""What the project learns from the analyst: the reads behind its names and remembered
rejections, the analyst's own entries (learnedname rows), and documents marked reviewed.

The derivation itself (which decisions make a known name) is in
desktop/core/learning/names.py; here are only the queries and the undoable writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from desktop.core.entities.keys import KINDS, entity_key, kind_of
from desktop.core.models import (
    Alias,
    Document,
    Entity,
    EntityDecision,
    LearnedName,
    Mention,
    Zone,
    utcnow,
)
from desktop.core.store.changes import Change, Recorder
from desktop.core.store.db import plain_rows, transaction

M, E, A, D = Mention.__table__, Entity.__table__, Alias.__table__, EntityDecision.__table__
L, Z, DOC = LearnedName.__table__, Zone.__table__, Document.__table__
OUTSIDE_ZONES = "text"  # the context of a span that lies in no zone
CHUNK = 500
FOLLOWING = 40  # characters after a rejected span read for the word that follows it
MACHINE = ("model", "rule", "project")  # origins of proposals (not the analyst's own)


@dataclass(frozen=True, slots=True)
class LearningInputs:
    """Everything the known names and remembered rejections are derived from (plain rows)."""

    accepted: list[tuple[int | None, str, str, int]]  # entity, label, text, document
    rejected: list[tuple[str, str, int, str, str]]  # label, text, document, zone, what follows
    entity_labels: dict[int, str]  # entity -> its most written label (non-rejected mentions)
    entity_aliases: dict[int, list[tuple[str, str]]]  # merged or renamed entity -> (key, name)
    renamed: dict[int, str]  # entity -> the preferred name an analyst set
    merged: set[int]  # entities analysts merged others into
    entries: list[tuple[int, str, bool, str, str, str, str | None, int | None]]  # learnedname


class Learning:
    """Queries and undoable edits of what the project learned from the analyst."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    # -- reads ---------------------------------------------------------------------------

    def inputs(self) -> LearningInputs:
        """The decisions the project's names and rejections are read from."""
        labels = [label for label in KINDS]
        accepted_q = sa.select(M.c.entity_id, M.c.label, M.c.text, M.c.document_id).where(
            M.c.status == "accepted", M.c.label.in_(labels)
        )
        zone = (
            sa.select(Z.c.kind)
            .where(Z.c.document_id == M.c.document_id, Z.c.start <= M.c.start, M.c.start < Z.c.end)
            .order_by(Z.c.end - Z.c.start)
            .limit(1)
            .scalar_subquery()
        )
        following = sa.func.substr(DOC.c.text, M.c.end + 1, FOLLOWING)
        rejected_q = (
            sa.select(M.c.label, M.c.text, M.c.document_id, zone, following)
            .join(DOC, DOC.c.id == M.c.document_id)
            .where(M.c.status == "rejected")
        )
        label_q = (
            sa.select(M.c.entity_id, M.c.label, sa.func.count())
            .where(M.c.entity_id.is_not(None), M.c.status != "rejected")
            .group_by(M.c.entity_id, M.c.label)
        )
        with self._engine.connect() as conn:
            accepted = plain_rows(conn, accepted_q)
            rejected = [
                (label, text, doc, kind or OUTSIDE_ZONES, after or "")
                for label, text, doc, kind, after in plain_rows(conn, rejected_q)
            ]
            best: dict[int, tuple[int, str]] = {}
            for eid, label, n in plain_rows(conn, label_q):
                if kind_of(label) and (eid not in best or n > best[eid][0]):
                    best[eid] = (n, label)
            decisions = plain_rows(
                conn,
                sa.select(D.c.action, D.c.entity_a, D.c.payload).where(
                    ~D.c.reverted, D.c.action.in_(["merge", "rename"])
                ),
            )
            merged = {a for action, a, _p in decisions if action == "merge"}
            renamed_ids = {a for action, a, _p in decisions if action == "rename"}
            names = dict(
                plain_rows(
                    conn,
                    sa.select(E.c.id, E.c.preferred_name).where(E.c.id.in_(renamed_ids | merged)),
                )
            )
            aliases: dict[int, list[tuple[str, str]]] = {}
            if merged | renamed_ids:
                alias_q = sa.select(A.c.entity_id, A.c.key, A.c.name).where(
                    A.c.entity_id.in_(merged | renamed_ids)
                )
                for eid, key, name in plain_rows(conn, alias_q):
                    aliases.setdefault(eid, []).append((key, name))
            entries = plain_rows(
                conn,
                sa.select(
                    L.c.id,
                    L.c.kind,
                    L.c.forgotten,
                    L.c.label,
                    L.c.key,
                    L.c.text,
                    L.c.context,
                    L.c.entity_id,
                ).order_by(L.c.id),
            )
        return LearningInputs(
            accepted=accepted,
            rejected=rejected,
            entity_labels={eid: label for eid, (_n, label) in best.items()},
            entity_aliases=aliases,
            renamed={eid: names[eid] for eid in renamed_ids if eid in names},
            merged={eid for eid in merged if eid in names},
            entries=[(i, k, bool(f), lab, key, t, c, e) for i, k, f, lab, key, t, c, e in entries],
        )

    def name_documents(self) -> dict[tuple[str, str], int]:
        """In how many documents each (key, label) is written as a non-rejected mention."""
        query = (
            sa.select(M.c.label, M.c.text, M.c.document_id)
            .where(M.c.status != "rejected", M.c.label.in_(list(KINDS)))
            .distinct()
        )
        docs: dict[tuple[str, str], set[int]] = {}
        with self._engine.connect() as conn:
            for label, text, doc in plain_rows(conn, query):
                docs.setdefault((entity_key(text), label), set()).add(doc)
        return {key: len(found) for key, found in docs.items()}

    def zone_kinds(self, ids: Sequence[int]) -> dict[int, list[tuple[int, int, str]]]:
        """(start, end, kind) of every zone of the documents, by document, in text order."""
        out: dict[int, list[tuple[int, int, str]]] = {}
        with self._engine.connect() as conn:
            for i in range(0, len(ids), CHUNK):
                query = (
                    sa.select(Z.c.document_id, Z.c.start, Z.c.end, Z.c.kind)
                    .where(Z.c.document_id.in_(list(ids[i : i + CHUNK])))
                    .order_by(Z.c.document_id, Z.c.start)
                )
                for doc, start, end, kind in plain_rows(conn, query):
                    out.setdefault(doc, []).append((start, end, kind))
        return out

    def reviewed_ids(self) -> list[int]:
        """Documents the analyst reviewed: marked done, or with proposals and none of them
        still proposed (every one accepted or rejected)."""
        counts = (
            sa.select(
                M.c.document_id,
                sa.func.sum(sa.case((M.c.status == "proposed", 1), else_=0)),
            )
            .group_by(M.c.document_id)
            .subquery()
        )
        query = (
            sa.select(DOC.c.id)
            .select_from(DOC.outerjoin(counts, counts.c.document_id == DOC.c.id))
            .where(
                sa.or_(
                    DOC.c.reviewed_at.is_not(None),
                    sa.and_(counts.c.document_id.is_not(None), counts.c[1] == 0),
                )
            )
            .order_by(DOC.c.id)
        )
        with self._engine.connect() as conn:
            return [i for (i,) in plain_rows(conn, query)]

    def marked_done(self) -> set[int]:
        """Documents the analyst marked done."""
        query = sa.select(DOC.c.id).where(DOC.c.reviewed_at.is_not(None))
        with self._engine.connect() as conn:
            return {i for (i,) in plain_rows(conn, query)}

    def proposals(
        self, document_ids: Sequence[int] | None = None, only_open: bool = False
    ) -> list[tuple[int, int, str, str, str | None, float | None, str]]:
        """(mention id, document, label, origin, extractor, confidence, status) of every
        machine mention (of some documents; still proposed only with `only_open`), in text
        order: what review order is computed from."""
        query = sa.select(
            M.c.id, M.c.document_id, M.c.label, M.c.origin, M.c.extractor, M.c.confidence
        ).add_columns(M.c.status)
        query = query.where(M.c.origin.in_(MACHINE))
        if only_open:
            query = query.where(M.c.status == "proposed")
        with self._engine.connect() as conn:
            if document_ids is None:
                return plain_rows(conn, query.order_by(M.c.document_id, M.c.start))
            rows: list = []
            ids = list(document_ids)
            for i in range(0, len(ids), CHUNK):
                part = query.where(M.c.document_id.in_(ids[i : i + CHUNK]))
                rows += plain_rows(conn, part.order_by(M.c.document_id, M.c.start))
            return rows

    def decision_counts(self) -> list[tuple[str, str | None, str, str, int]]:
        """(origin, extractor, label, status, how many) of the decided machine mentions."""
        query = (
            sa.select(M.c.origin, M.c.extractor, M.c.label, M.c.status, sa.func.count())
            .where(M.c.origin.in_(MACHINE), M.c.status != "proposed")
            .group_by(M.c.origin, M.c.extractor, M.c.label, M.c.status)
        )
        with self._engine.connect() as conn:
            return plain_rows(conn, query)

    # -- undoable edits ------------------------------------------------------------------

    def mark_done(
        self, document_ids: Iterable[int], done: bool = True, actor: str = "analyst"
    ) -> Change:
        """Mark documents reviewed (or not any more), as one undo step."""
        ids = sorted(set(document_ids))
        verb = "Mark" if done else "Unmark"
        noun = "document" if len(ids) == 1 else f"{len(ids)} documents"
        with transaction(self._engine) as session:
            rec = Recorder(session, actor, "document.reviewed", f"{verb} {noun} done")
            for doc_id in ids:
                rec.update("document", {"id": doc_id}, reviewed_at=utcnow() if done else None)
            return Change(rec.batch)

    def add_entry(
        self,
        kind: str,
        text: str,
        label: str,
        *,
        context: str | None = None,
        entity_id: int | None = None,
        forgotten: bool = False,
        actor: str = "analyst",
    ) -> Change:
        """Add a name or a rejection (or, `forgotten`, take one read from decisions out), as
        one undo step. A name added with no entity gets the entity of its kind with the same
        key, or a new one, so every later match is linked."""
        if kind not in ("name", "rejection"):
            raise ValueError(f"unknown entry kind {kind!r}")
        written = " ".join(text.split())
        key = entity_key(written)
        if not key:
            raise ValueError("a name needs at least one letter or digit")
        entity_kind = kind_of(label)
        if kind == "name" and not forgotten and entity_kind is None:
            raise ValueError(f"{label} is not an entity label")
        what = {"name": "name", "rejection": "rejection"}[kind]
        verb = "Forget" if forgotten else "Add"
        summary = f"{verb} {what} {label} '{written}'"
        with transaction(self._engine) as session:
            rec = Recorder(session, actor, f"learned.{kind}", summary)
            if kind == "name" and not forgotten and entity_id is None:
                entity_id = _entity_for(rec, entity_kind or "", key, written)
            rec.insert(
                "learnedname",
                {
                    "kind": kind,
                    "forgotten": forgotten,
                    "label": label,
                    "key": key,
                    "text": written,
                    "context": context,
                    "entity_id": entity_id,
                    "created_at": utcnow(),
                },
            )
            return Change(rec.batch)

    def remove_entry(self, entry_id: int, actor: str = "analyst") -> Change:
        """Delete one of the analyst's own entries (an added name or rejection, or a
        forgetting), as one undo step."""
        with transaction(self._engine) as session:
            row = session.execute(sa.select(L).where(L.c.id == entry_id)).mappings().first()
            if row is None:
                raise KeyError(f"no learned entry {entry_id}")
            verb = "Remember again" if row["forgotten"] else "Remove"
            summary = f"{verb} {row['kind']} {row['label']} '{row['text']}'"
            rec = Recorder(session, actor, f"learned.{row['kind']}", summary)
            rec.delete("learnedname", {"id": entry_id})
            return Change(rec.batch)


def _entity_for(rec: Recorder, kind: str, key: str, name: str) -> int:
    """The entity of this kind an alias key resolves to, or a new one with that alias."""
    query = (
        sa.select(E.c.id)
        .join(A, A.c.entity_id == E.c.id)
        .where(E.c.kind == kind, A.c.key == key)
        .order_by(E.c.id)
        .limit(1)
    )
    found = rec.session.execute(query).scalar()
    if found is not None:
        return int(found)
    row = rec.insert("entity", {"kind": kind, "preferred_name": name, "created_at": utcnow()})
    rec.insert("alias", {"entity_id": row["id"], "name": name, "key": key})
    return int(row["id"])
