"""Undo and redo of a dataset import: its rows taken out, kept in the revision, put back.

An import writes tens of thousands of rows in bulk, too many to log one by one as
analysts' edits are. Its revision names them instead (`after`): the documents it added
and the id ranges of the mentions and facts it wrote (ids are given in order within
the import's transaction). Undo takes those rows out — with the zones, tags, search
rows and argument rows that hang on them, and whatever extraction or the analyst added
in the added documents since — and keeps them in the revision (`before`); redo writes
them back with their ids, so later edits on them redo too. Mentions keep their entity
only if it still exists.

Entity resolution runs after an import, outside its transaction, and links the new
mentions to entities it makes (ids after the import's `entities_after`), with aliases
(after `aliases_after`). Undo takes those out too: an entity made since the import that
only the import's mentions used, and an alias made since that no remaining mention of its
entity is written as; every entity resolution renamed since gets back the name it had
(resolution logs each name it changes);
mentions outside the import that resolution linked or moved get their links back; labels
added since (the label set completed with the import's labels) that no mention uses go.
Redo puts all of it back, names and links included.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from desktop.core.entities.keys import entity_key
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
    linked = {row["entity_id"] for row in kept["mention"]} - {None}
    for chunk in _chunks(fact_ids):  # arguments and tags cascade
        session.execute(sa.delete(t["fact"]).where(t["fact"].c.id.in_(chunk)))
    for chunk in _chunks(mention_ids):
        session.execute(sa.delete(t["mention"]).where(t["mention"].c.id.in_(chunk)))
    kept.update(take_out_resolution(session, after, linked))
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


def take_out_resolution(session: Session, after: dict[str, Any], linked: set[int]) -> dict:
    """Undo what entity resolution did after a bulk write (an import, an extraction run),
    as its revision's marks (`after`) name it, once the write's mentions are gone (`linked`:
    the entities they were linked to); the rows and links to put back (`put_back`)."""
    kept: dict[str, Any] = {"links": _unlink(session, after.get("links_before") or [])}
    was = {mid: eid for mid, eid in after.get("links_before") or []}
    for mid, eid in kept["links"]:  # both ends of a link given back lose or gain a name
        linked.update(e for e in (eid, was[mid]) if e is not None)
    kept.update(_take_out_entities(session, after, linked))
    kept["label"] = _take_out_labels(session, after)
    return kept


def _unlink(session: Session, before: list[list]) -> list[list]:
    """Give the mentions outside the import the entity links they had before it (as
    resolution after it found them); [mention, entity] of the links they had now."""
    m, e = table_of("mention"), table_of("entity")
    was = {mid: eid for mid, eid in before}
    known = set(session.execute(sa.select(e.c.id)).scalars())
    now: list[list] = []
    for chunk in _chunks(sorted(was)):
        rows = session.execute(sa.select(m.c.id, m.c.entity_id).where(m.c.id.in_(chunk)))
        now += [[mid, eid] for mid, eid in rows.all() if eid != was[mid]]
    _relink(session, [[mid, was[mid] if was[mid] in known else None] for mid, _eid in now])
    return now


def _relink(session: Session, links: list[list]) -> None:
    m = table_of("mention")
    for mid, eid in links:
        session.execute(sa.update(m).where(m.c.id == mid).values(entity_id=eid))


def _take_out_entities(session: Session, after: dict[str, Any], linked: set[int]) -> dict:
    """After the import's mentions went: the entities and aliases resolution made for them
    (see the module's note), deleted, and the names resolution changed since given back;
    the rows kept, and the names as they were."""
    if "entities_after" not in after:  # logged by an older version: entities stay
        return {}
    e, a, m, tags = (table_of(n) for n in ("entity", "alias", "mention", "entitytag"))
    used: set[int] = set()
    for chunk in _chunks(sorted(linked)):
        query = sa.select(m.c.entity_id).where(m.c.entity_id.in_(chunk)).distinct()
        used.update(session.execute(query).scalars())
    gone = sorted(i for i in linked - used if i > after["entities_after"])
    touched = sorted(linked & used)
    renames = _renames_since(session, after)
    named = sorted({eid for eid, _was in renames} - set(gone))
    names = dict(
        session.execute(sa.select(e.c.id, e.c.preferred_name).where(e.c.id.in_(named))).all()
    )
    written: dict[int, set[str]] = {}
    for eid, text in session.execute(
        sa.select(m.c.entity_id, m.c.text).where(m.c.entity_id.in_(touched))
    ).all():
        written.setdefault(eid, set()).add(entity_key(text))
    new_aliases = session.execute(
        sa.select(a).where(a.c.id > after["aliases_after"], a.c.entity_id.in_(touched))
    ).mappings()
    stale = [dict(r) for r in new_aliases if r["key"] not in written.get(r["entity_id"], set())]
    kept = {
        "entity": _rows(session, e, e.c.id.in_(gone)),
        "alias": _rows(session, a, a.c.entity_id.in_(gone)) + [to_json(a, r) for r in stale],
        "entitytag": _rows(session, tags, tags.c.entity_id.in_(gone)),
        "entity_names": [[eid, name] for eid, name in names.items()],
    }
    if stale:
        session.execute(sa.delete(a).where(a.c.id.in_([r["id"] for r in stale])))
    if gone:  # aliases and tags cascade
        session.execute(sa.delete(e).where(e.c.id.in_(gone)))
    for eid, was in renames:  # newest first: each name ends as it was before the import
        session.execute(sa.update(e).where(e.c.id == eid).values(preferred_name=was))
    return kept


def _take_out_labels(session: Session, after: dict[str, Any]) -> list[dict]:
    """The labels added since the import (the label set completed with the labels its
    mentions use) that no remaining mention uses, deleted; their rows."""
    if "labels_after" not in after:
        return []
    labels, m = table_of("label"), table_of("mention")
    used = sa.select(m.c.id).where(m.c.label == labels.c.name).exists()
    where = sa.and_(labels.c.id > after["labels_after"], ~used)
    rows = _rows(session, labels, where)
    if rows:
        session.execute(sa.delete(labels).where(labels.c.id.in_([r["id"] for r in rows])))
    return rows


def _renames_since(session: Session, after: dict[str, Any]) -> list[tuple[int, str]]:
    """(entity, name before) of every preferred name entity resolution changed since the
    import (it logs them; a resolution over the whole project renames any entity whose
    name is stale), newest first."""
    rev = table_of("revision")
    query = (
        sa.select(rev.c.after)
        .where(rev.c.action == "entities.resolve", rev.c.id > after["import_id"])
        .order_by(rev.c.id.desc())
    )
    found = []
    for logged in session.execute(query).scalars():
        found += [(eid, was) for eid, was, _now in reversed((logged or {}).get("renamed", []))]
    return found


def put_back(session: Session, kept: dict[str, Any], fts: bool) -> None:
    """Write an import's rows back as `take_out` kept them, ids and all, so the edits
    logged after the import (a tag on one of its mentions) redo onto the same rows."""
    for name in ("label", "entity", "alias", "entitytag"):
        _insert(session, name, kept.get(name, []))
    entities = table_of("entity")
    for eid, name in kept.get("entity_names", []):
        session.execute(sa.update(entities).where(entities.c.id == eid).values(preferred_name=name))
    _relink(session, kept.get("links", []))
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
