"""Analysts' entity decisions as recorded row changes: merge, split, rename, not-the-same."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session

from desktop.core.entities.keys import entity_key
from desktop.core.entities.names import preferred_name
from desktop.core.models import utcnow
from desktop.core.store.changes import Recorder, table_of
from desktop.core.store.entity_io import A, D, E, M


def entity_row(session: Session, entity_id: int) -> dict:
    """An entity's row, or KeyError."""
    row = session.execute(sa.select(E).where(E.c.id == entity_id)).mappings().first()
    if row is None:
        raise KeyError(f"no entity {entity_id}")
    return dict(row)


def decide(rec: Recorder, action: str, a: int, b: int | None, payload: dict) -> None:
    """Record the decision row itself (undone with the rest of the batch)."""
    values = {"action": action, "entity_a": a, "entity_b": b, "payload": payload}
    rec.insert("entitydecision", {**values, "reverted": False, "created_at": utcnow()})


def _renamed(session: Session, entity_id: int) -> bool:
    query = sa.select(D.c.id).where(
        D.c.action == "rename", D.c.entity_a == entity_id, ~D.c.reverted
    )
    return session.execute(query).first() is not None


def refresh_name(rec: Recorder, entity_id: int, kind: str) -> None:
    """Recompute a preferred name after its names changed, unless an analyst set it."""
    if _renamed(rec.session, entity_id):
        return
    query = sa.select(M.c.text, sa.func.count()).where(
        M.c.entity_id == entity_id, M.c.status != "rejected"
    )
    counts = Counter(dict(rec.session.execute(query.group_by(M.c.text)).all()))
    best = preferred_name(counts, kind)
    if best:
        rec.update("entity", {"id": entity_id}, preferred_name=best)


def merge(rec: Recorder, a: int, b: int) -> None:
    """Move b's mentions, aliases, tags and not-the-same decisions to a; delete b."""
    s = rec.session
    ea, eb = entity_row(s, a), entity_row(s, b)
    moved = s.execute(sa.select(M.c.id).where(M.c.entity_id == b)).scalars().all()
    for mid in moved:
        rec.update("mention", {"id": mid}, entity_id=a)
    keys_a = set(s.execute(sa.select(A.c.key).where(A.c.entity_id == a)).scalars())
    names = []
    for alias_id, key, name in s.execute(
        sa.select(A.c.id, A.c.key, A.c.name).where(A.c.entity_id == b)
    ):
        names.append(name)
        if key in keys_a:
            rec.delete("alias", {"id": alias_id})
        else:
            rec.update("alias", {"id": alias_id}, entity_id=a)
    tags = table_of("entitytag")
    tags_a = set(s.execute(sa.select(tags.c.tag_id).where(tags.c.entity_id == a)).scalars())
    for tag_id in s.execute(sa.select(tags.c.tag_id).where(tags.c.entity_id == b)).scalars().all():
        rec.delete("entitytag", {"entity_id": b, "tag_id": tag_id})
        if tag_id not in tags_a:
            rec.insert("entitytag", {"entity_id": a, "tag_id": tag_id})
    for did, da, db in s.execute(
        sa.select(D.c.id, D.c.entity_a, D.c.entity_b).where(
            D.c.action == "distinct", sa.or_(D.c.entity_a == b, D.c.entity_b == b)
        )
    ).all():
        rec.update(
            "entitydecision",
            {"id": did},
            entity_a=a if da == b else da,
            entity_b=a if db == b else db,
        )
    refresh_name(rec, a, ea["kind"])
    payload = {
        "b": {"kind": eb["kind"], "preferred_name": eb["preferred_name"]},
        "aliases": names,
        "mentions": list(moved),
    }
    decide(rec, "merge", a, b, payload)
    rec.delete("entity", {"id": b})


def split(rec: Recorder, entity_id: int, names: Iterable[str]) -> int:
    """Move the mentions written as `names` (by folded key) to a new entity; its id."""
    s = rec.session
    old = entity_row(s, entity_id)
    keys = {entity_key(n) for n in names} - {""}
    rows = s.execute(sa.select(M.c.id, M.c.text).where(M.c.entity_id == entity_id)).all()
    moving = [(mid, text) for mid, text in rows if entity_key(text) in keys]
    if not moving:
        raise ValueError(f"entity {entity_id} has no mentions named {sorted(keys)}")
    if len(moving) == len(rows):
        raise ValueError("a split must leave some names with the entity")
    counts = Counter(text for _mid, text in moving)
    new = rec.insert(
        "entity",
        {
            "kind": old["kind"],
            "preferred_name": preferred_name(counts, old["kind"]) or counts.most_common(1)[0][0],
            "created_at": utcnow(),
        },
    )["id"]
    for mid, _text in moving:
        rec.update("mention", {"id": mid}, entity_id=new)
    aliases = dict(s.execute(sa.select(A.c.key, A.c.id).where(A.c.entity_id == entity_id)).all())
    for key in sorted(keys):
        if key in aliases:
            rec.update("alias", {"id": aliases[key]}, entity_id=new)
        elif any(entity_key(t) == key for t in counts):
            name = max((t for t in counts if entity_key(t) == key), key=counts.__getitem__)
            rec.insert("alias", {"entity_id": new, "key": key, "name": name})
    refresh_name(rec, entity_id, old["kind"])
    decide(rec, "split", entity_id, new, {"names": sorted(counts), "keys": sorted(keys)})
    return int(new)
