"""What follows a mention's new label, in the same logged batch as the relabel itself.

The entity: a mention that alone made its entity takes the entity with it (the entity's
kind becomes the new label's kind); one of several mentions moves to an entity of the new
kind with the same name, or to a new one; a label that names no entity (DATE, MONEY)
unlinks it. An entity of the new kind that already carries the name is preferred to
either. The facts: one whose argument no longer fits its role (a ROLE whose person is
now an ORG) goes back to proposed and gets the tag NEEDS_REVIEW, so it leaves the
reviewed exports and shows up in the review queue.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import sqlalchemy as sa

from desktop.core.entities.keys import entity_key, kind_of
from desktop.core.entities.names import preferred_name
from desktop.core.facts.requirements import unfit
from desktop.core.models import utcnow
from desktop.core.store.changes import Recorder, table_of
from desktop.core.store.entity_edits import refresh_name
from desktop.core.store.entity_io import A, E, M

NEEDS_REVIEW = "needs review"


def follow_label(rec: Recorder, mention: dict[str, Any], label: str) -> list[int]:
    """Re-resolve a relabelled mention and flag the facts it no longer fits; the ids of
    the facts flagged."""
    _follow_entity(rec, mention, label)
    return _flag_facts(rec, int(mention["id"]), mention["text"], label)


def _follow_entity(rec: Recorder, mention: dict[str, Any], label: str) -> None:
    s = rec.session
    mid, current = int(mention["id"]), mention["entity_id"]
    kind = kind_of(label)
    key = entity_key(mention["text"]) if kind else ""
    if kind is None or not key:
        if current is not None:
            rec.update("mention", {"id": mid}, entity_id=None)
            refresh_name(rec, current, _kind(rec, current))
        return
    if current is not None and _kind(rec, current) == kind:
        return  # PERSON → PER: the same kind of entity
    target = _named(rec, kind, key, other_than=current)
    if target is None and current is not None and not _others(rec, current, mid):
        rec.update("entity", {"id": current}, kind=kind)  # the entity follows its mention
        refresh_name(rec, current, kind)
        return
    if target is None:
        name = preferred_name(Counter({mention["text"]: 1}), kind) or mention["text"]
        values = {"kind": kind, "preferred_name": name, "created_at": utcnow()}
        target = int(rec.insert("entity", values)["id"])
    known = s.execute(sa.select(A.c.id).where(A.c.entity_id == target, A.c.key == key)).first()
    if known is None:
        rec.insert("alias", {"entity_id": target, "key": key, "name": mention["text"]})
    rec.update("mention", {"id": mid}, entity_id=target)
    refresh_name(rec, target, kind)
    if current is not None:
        refresh_name(rec, current, _kind(rec, current))


def _kind(rec: Recorder, entity_id: int) -> str:
    return str(rec.session.execute(sa.select(E.c.kind).where(E.c.id == entity_id)).scalar_one())


def _others(rec: Recorder, entity_id: int, mention_id: int) -> bool:
    """Whether the entity has mentions (not rejected) besides this one."""
    query = sa.select(M.c.id).where(
        M.c.entity_id == entity_id, M.c.id != mention_id, M.c.status != "rejected"
    )
    return rec.session.execute(query.limit(1)).first() is not None


def _named(rec: Recorder, kind: str, key: str, other_than: int | None) -> int | None:
    """An entity of this kind that already carries the name (the oldest)."""
    query = (
        sa.select(E.c.id)
        .join(A, A.c.entity_id == E.c.id)
        .where(E.c.kind == kind, A.c.key == key)
        .order_by(E.c.id)
    )
    if other_than is not None:
        query = query.where(E.c.id != other_than)
    found = rec.session.execute(query.limit(1)).scalar()
    return int(found) if found is not None else None


def _flag_facts(rec: Recorder, mention_id: int, text: str, label: str) -> list[int]:
    s = rec.session
    args, facts = table_of("factargument"), table_of("fact")
    query = (
        sa.select(facts.c.id, facts.c.type, facts.c.status, args.c.role)
        .join(args, args.c.fact_id == facts.c.id)
        .where(args.c.mention_id == mention_id)
    )
    flagged: list[int] = []
    for fact_id, fact_type, status, role in s.execute(query).all():
        if fact_id in flagged or unfit(fact_type, role, label) is None:
            continue
        if status != "proposed":
            rec.update("fact", {"id": fact_id}, status="proposed")
        _tag(rec, fact_id)
        flagged.append(fact_id)
    return flagged


def _tag(rec: Recorder, fact_id: int) -> None:
    s = rec.session
    tags, links = table_of("tag"), table_of("facttag")
    tag_id = s.execute(sa.select(tags.c.id).where(tags.c.name == NEEDS_REVIEW)).scalar()
    if tag_id is None:
        tag_id = rec.insert("tag", {"name": NEEDS_REVIEW})["id"]
    there = s.execute(
        sa.select(links.c.fact_id).where(links.c.fact_id == fact_id, links.c.tag_id == tag_id)
    ).first()
    if there is None:
        rec.insert("facttag", {"fact_id": fact_id, "tag_id": tag_id})
