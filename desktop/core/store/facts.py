"""Facts: the rules' proposals (idempotent, beside the mentions) and analysts' edits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from desktop.core.facts.candidates import FactCandidate
from desktop.core.facts.requirements import IncompleteFact, check
from desktop.core.ingest.zones import BOILERPLATE_ZONES
from desktop.core.models import Fact, FactArgument, FactTag, Mention, Tag, Zone, utcnow
from desktop.core.records import FactArgRecord, FactRecord
from desktop.core.store import extraction_undo
from desktop.core.store.changes import Change, Recorder
from desktop.core.store.db import transaction
from desktop.core.store.light import zone_of as _zone_of

FACT_STATUSES = ("proposed", "accepted", "rejected")


def _key(fact_type: str, start: int, end: int, args: Sequence[tuple[str, int | None, int | None]]):  # type: ignore[no-untyped-def]
    return (fact_type, start, end, tuple(sorted((r, s or -1, e or -1) for r, s, e in args)))


def replace_fact_proposals(
    conn: sa.Connection,
    document_id: int,
    facts: Sequence[FactCandidate],
    run_id: int | None,
    removed: dict | None = None,
) -> tuple[int, int]:
    """Make the rule-proposed facts of a document equal to `facts` (inside the caller's
    transaction); decided, hand-made, noted or tagged facts stay and are not proposed again.
    The rows of the facts that go are added to `removed` when given (for undo).
    Returns (inserted, removed)."""
    f, a = Fact.__table__, FactArgument.__table__
    tagged = sa.exists().where(FactTag.__table__.c.fact_id == f.c.id)
    rows = conn.execute(
        sa.select(
            f.c.id,
            f.c.type,
            f.c.evidence_start,
            f.c.evidence_end,
            f.c.status,
            f.c.origin,
            f.c.note,
            tagged,
        ).where(f.c.document_id == document_id)
    ).all()
    args_by_fact: dict[int, list[tuple[str, int | None, int | None]]] = {}
    if rows:
        for fact_id, role, start, end in conn.execute(
            sa.select(a.c.fact_id, a.c.role, a.c.start, a.c.end).where(
                a.c.fact_id.in_([r[0] for r in rows])
            )
        ).all():
            args_by_fact.setdefault(fact_id, []).append((role, start, end))
    machine: dict[tuple, int] = {}
    decided: set[tuple] = set()
    for fid, ftype, start, end, status, origin, note, has_tags in rows:
        key = _key(ftype, start, end, args_by_fact.get(fid, []))
        if status == "proposed" and origin == "rule" and note is None and not has_tags:
            machine[key] = fid
        else:
            decided.add(key)
    wanted = {}
    for fact in facts:
        key = _key(
            fact.type,
            fact.evidence_start,
            fact.evidence_end,
            [(x.role, x.start, x.end) for x in fact.arguments],
        )
        if key not in decided:
            wanted.setdefault(key, fact)
    stale = [fid for key, fid in machine.items() if key not in wanted]
    fresh = [fact for key, fact in wanted.items() if key not in machine]
    if stale and removed is not None:
        removed.update(extraction_undo.snapshot_facts(conn, stale))
    if stale:
        conn.execute(sa.delete(a).where(a.c.fact_id.in_(stale)))
        conn.execute(sa.delete(f).where(f.c.id.in_(stale)))
    if fresh:
        _insert_facts(conn, document_id, fresh, run_id)
    return len(fresh), len(stale)


def _insert_facts(
    conn: sa.Connection, document_id: int, facts: list[FactCandidate], run_id: int | None
) -> None:
    z, m = Zone.__table__, Mention.__table__
    zones = [
        tuple(r)
        for r in conn.execute(
            sa.select(z.c.start, z.c.end, z.c.kind).where(z.c.document_id == document_id)
        ).all()
    ]
    mention_ids = {
        (start, end): mid
        for mid, start, end in conn.execute(
            sa.select(m.c.id, m.c.start, m.c.end).where(
                m.c.document_id == document_id, m.c.status != "rejected"
            )
        ).all()
    }
    for fact in facts:  # before any row is written: one short fact fails the whole write
        check(fact.type, (x.role for x in fact.arguments))
    now = utcnow()
    for fact in facts:
        fact_id = conn.execute(
            sa.insert(Fact.__table__).values(
                document_id=document_id,
                type=fact.type,
                evidence_start=fact.evidence_start,
                evidence_end=fact.evidence_end,
                zone=_zone_of(zones, fact.evidence_start, fact.evidence_end),
                origin="rule",
                extractor=fact.extractor,
                confidence=fact.confidence,
                status="proposed",
                run_id=run_id,
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key[0]
        conn.execute(
            sa.insert(FactArgument.__table__),
            [
                {
                    "fact_id": fact_id,
                    "role": x.role,
                    "position": i,
                    "mention_id": mention_ids.get((x.start, x.end)),
                    "start": x.start,
                    "end": x.end,
                    "text": x.text,
                    "value": x.value.text if x.value is not None else None,
                    "value_json": _value_json(x.value),
                }
                for i, x in enumerate(fact.arguments)
            ],
        )


def _plain_rows(conn: sa.Connection, query: sa.Select) -> list[Any]:
    """The rows of a select as the driver gives them: the query is compiled with its
    (integer and text) parameters written in, so no result processing runs per value."""
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    return list(conn.exec_driver_sql(str(compiled)).all())


def _value_json(value: Any) -> dict | None:
    if value is None:
        return None
    return {"kind": getattr(value, "kind", None), **dict(getattr(value, "data", {}) or {})}


class Facts:
    """Queries and analysts' edits of facts."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def for_document(self, document_id: int, *, boilerplate: bool = True) -> list[FactRecord]:
        """The facts of a document in text order (without boilerplate-zone ones if asked)."""
        return self.query(document_ids=[document_id], boilerplate=boilerplate)

    def get(self, fact_id: int) -> FactRecord | None:
        """One fact."""
        found = self.query(fact_ids=[fact_id])
        return found[0] if found else None

    def query(
        self,
        *,
        document_ids: Sequence[int] | None = None,
        fact_ids: Sequence[int] | None = None,
        types: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        tag: str | None = None,
        boilerplate: bool = True,
    ) -> list[FactRecord]:
        """Facts matching the filters, by document and position.

        Plain Core selects (no ORM objects): the facts, then their arguments with the
        argument mentions' label and status, then their tags, each filtered by the same
        conditions rather than by a list of ids (a corpus has tens of thousands)."""
        f, a, m = Fact.__table__, FactArgument.__table__, Mention.__table__
        ft, t = FactTag.__table__, Tag.__table__
        where: list[Any] = []
        if document_ids is not None:
            where.append(f.c.document_id.in_(document_ids))
        if fact_ids is not None:
            where.append(f.c.id.in_(fact_ids))
        if types:
            where.append(f.c.type.in_(types))
        if statuses:
            where.append(f.c.status.in_(statuses))
        if not boilerplate:
            where.append(sa.or_(f.c.zone.is_(None), f.c.zone.not_in(BOILERPLATE_ZONES)))
        if tag is not None:
            tagged = sa.select(ft.c.fact_id).join(t, t.c.id == ft.c.tag_id).where(t.c.name == tag)
            where.append(f.c.id.in_(tagged))
        fact_q = sa.select(
            f.c.id,
            f.c.document_id,
            f.c.type,
            f.c.evidence_start,
            f.c.evidence_end,
            f.c.zone,
            f.c.origin,
            f.c.extractor,
            f.c.confidence,
            f.c.status,
            f.c.note,
        ).where(*where)
        unit = a.c.value_json["unit"].as_string()
        arg_q = (
            sa.select(
                a.c.fact_id,
                a.c.id,
                a.c.role,
                a.c.position,
                a.c.mention_id,
                a.c.start,
                a.c.end,
                a.c.text,
                a.c.value,
                m.c.label,
                m.c.status,
                unit,
            )
            .select_from(a.join(f, f.c.id == a.c.fact_id).outerjoin(m, m.c.id == a.c.mention_id))
            .where(*where)
            .order_by(a.c.fact_id, a.c.position, a.c.id)
        )
        tag_q = (
            sa.select(ft.c.fact_id, t.c.name)
            .select_from(ft.join(f, f.c.id == ft.c.fact_id).join(t, t.c.id == ft.c.tag_id))
            .where(*where)
        )
        with self._engine.connect() as conn:
            facts = _plain_rows(conn, fact_q.order_by(f.c.document_id, f.c.evidence_start, f.c.id))
            if not facts:
                return []
            args: dict[int, list[FactArgRecord]] = {}
            for fid, *row in _plain_rows(conn, arg_q):
                args.setdefault(fid, []).append(FactArgRecord(*row))
            tags: dict[int, list[str]] = {}
            for fid, name in _plain_rows(conn, tag_q):
                tags.setdefault(fid, []).append(name)
        empty: tuple = ()
        return [
            FactRecord(
                fid,
                doc,
                ftype,
                start,
                end,
                zone,
                origin,
                extractor,
                confidence,
                status,
                tuple(args.get(fid, empty)),
                tuple(sorted(tags[fid])) if fid in tags else empty,
                note,
            )
            for fid, doc, ftype, start, end, zone, origin, extractor, confidence, status, note in (
                facts
            )
        ]

    def entity_links(
        self,
        entity_ids: Sequence[int],
        *,
        statuses: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
        tag: str | None = None,
    ) -> dict[int, set[int]]:
        """For each fact (matching the filters) with an argument whose mention (not
        rejected) belongs to one of `entity_ids`: those entities. One join, no records, so
        a network over a large corpus reads only the facts that link what it draws."""
        f, a, m = Fact.__table__, FactArgument.__table__, Mention.__table__
        ft, t = FactTag.__table__, Tag.__table__
        query = (
            sa.select(a.c.fact_id, m.c.entity_id)
            .join(m, m.c.id == a.c.mention_id)
            .join(f, f.c.id == a.c.fact_id)
            .where(
                m.c.entity_id.in_(sa.bindparam("entities", expanding=True)),
                m.c.status != "rejected",
            )
        )
        if statuses:
            query = query.where(f.c.status.in_(statuses))
        if types:
            query = query.where(f.c.type.in_(types))
        if tag is not None:
            tagged = sa.select(ft.c.fact_id).join(t, t.c.id == ft.c.tag_id).where(t.c.name == tag)
            query = query.where(f.c.id.in_(tagged))
        links: dict[int, set[int]] = {}
        if not entity_ids:
            return links
        with self._engine.connect() as conn:
            for fact_id, entity_id in conn.execute(query, {"entities": list(entity_ids)}):
                links.setdefault(int(fact_id), set()).add(int(entity_id))
        return links

    def has_argument(self, mention_id: int) -> bool:
        """Whether some fact takes this mention as an argument (a relabel of any other
        mention leaves every fact as it was)."""
        query = select(FactArgument.id).where(FactArgument.mention_id == mention_id).limit(1)
        with Session(self._engine) as session:
            return session.exec(query).first() is not None

    def counts(self) -> dict[str, int]:
        """How many facts of each type the project holds."""
        with Session(self._engine) as session:
            rows = session.exec(select(Fact.type, sa.func.count()).group_by(Fact.type)).all()
            return {t: int(n) for t, n in rows}

    # -- analysts' edits ----------------------------------------------------------
    def set_status(self, fact_id: int, status: str, actor: str = "analyst") -> Change:
        """Accept, reject or re-propose a fact."""
        if status not in FACT_STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with transaction(self._engine) as session:
            fact = _get(session, fact_id)
            verb = {"accepted": "Accept", "rejected": "Reject", "proposed": "Reset"}[status]
            rec = Recorder(session, actor, f"fact.{status}", f"{verb} {fact.type} fact")
            rec.update("fact", {"id": fact_id}, status=status)
            return Change(rec.batch)

    def set_type(self, fact_id: int, fact_type: str, actor: str = "analyst") -> Change:
        """Change a fact's type (the analyst's version is accepted)."""
        with transaction(self._engine) as session:
            fact = _get(session, fact_id)
            rec = Recorder(session, actor, "fact.type", f"{fact.type} → {fact_type}")
            rec.update("fact", {"id": fact_id}, type=fact_type, status="accepted")
            return Change(rec.batch)

    def set_argument_value(
        self, argument_id: int, value: str | None, actor: str = "analyst"
    ) -> Change:
        """Correct an argument's normalized value."""
        with transaction(self._engine) as session:
            x = session.get(FactArgument, argument_id)
            if x is None:
                raise KeyError(f"no argument {argument_id}")
            rec = Recorder(session, actor, "fact.value", f"{x.role} = {value}")
            rec.update("factargument", {"id": argument_id}, value=value or None)
            rec.update("fact", {"id": x.fact_id}, status="accepted")
            return Change(rec.batch)

    def add_argument(
        self,
        fact_id: int,
        role: str,
        start: int,
        end: int,
        text: str,
        mention_id: int | None = None,
        value: str | None = None,
        actor: str = "analyst",
    ) -> Change:
        """Give a fact another argument (a span of its document)."""
        with transaction(self._engine) as session:
            _get(session, fact_id)
            count = len(
                session.exec(select(FactArgument.id).where(FactArgument.fact_id == fact_id)).all()
            )
            rec = Recorder(session, actor, "fact.argument.add", f"Add {role} '{text}'")
            rec.insert(
                "factargument",
                {
                    "fact_id": fact_id,
                    "role": role,
                    "position": count,
                    "mention_id": mention_id,
                    "start": start,
                    "end": end,
                    "text": text,
                    "value": value,
                },
            )
            rec.update("fact", {"id": fact_id}, status="accepted")
            return Change(rec.batch)

    def remove_argument(self, argument_id: int, actor: str = "analyst") -> Change:
        """Take an argument off a fact."""
        with transaction(self._engine) as session:
            x = session.get(FactArgument, argument_id)
            if x is None:
                raise KeyError(f"no argument {argument_id}")
            rec = Recorder(session, actor, "fact.argument.remove", f"Remove {x.role} '{x.text}'")
            rec.delete("factargument", {"id": argument_id})
            rec.update("fact", {"id": x.fact_id}, status="accepted")
            return Change(rec.batch)

    def create(
        self,
        document_id: int,
        fact_type: str,
        evidence: tuple[int, int],
        arguments: Sequence[tuple[str, int, int, str]],
        actor: str = "analyst",
    ) -> Change:
        """Make a fact by hand from spans of a document (role, start, end, text).
        A hand-made fact needs at least one argument; which roles is the analyst's call."""
        if not arguments:
            raise IncompleteFact(fact_type, "no arguments")
        with transaction(self._engine) as session:
            zones = [
                (z.start, z.end, z.kind)
                for z in session.exec(select(Zone).where(Zone.document_id == document_id)).all()
            ]
            rec = Recorder(session, actor, "fact.create", f"New {fact_type} fact")
            now = utcnow()
            row = rec.insert(
                "fact",
                {
                    "document_id": document_id,
                    "type": fact_type,
                    "evidence_start": evidence[0],
                    "evidence_end": evidence[1],
                    "zone": _zone_of(zones, *evidence),
                    "origin": "human",
                    "extractor": actor,
                    "status": "accepted",
                    "created_at": now,
                    "updated_at": now,
                },
            )
            for i, (role, start, end, text) in enumerate(arguments):
                rec.insert(
                    "factargument",
                    {
                        "fact_id": row["id"],
                        "role": role,
                        "position": i,
                        "start": start,
                        "end": end,
                        "text": text,
                    },
                )
            return Change(rec.batch)

    def set_note(self, fact_id: int, note: str | None, actor: str = "analyst") -> Change:
        """Set or clear a fact's note."""
        with transaction(self._engine) as session:
            _get(session, fact_id)
            rec = Recorder(session, actor, "fact.note", "Note on fact")
            rec.update("fact", {"id": fact_id}, note=note or None)
            return Change(rec.batch)


def _get(session: Session, fact_id: int) -> Fact:
    fact = session.get(Fact, fact_id)
    if fact is None:
        raise KeyError(f"no fact {fact_id}")
    return fact
