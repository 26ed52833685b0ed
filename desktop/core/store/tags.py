"""Tags on documents, mentions, facts and entities, and the tag names used so far."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, select

from desktop.core.models import DocumentTag, EntityTag, FactTag, MentionTag, Tag
from desktop.core.store.changes import Change, Recorder
from desktop.core.store.db import transaction

_LINKS = {
    "document": (DocumentTag, "documenttag", "document_id"),
    "mention": (MentionTag, "mentiontag", "mention_id"),
    "fact": (FactTag, "facttag", "fact_id"),
    "entity": (EntityTag, "entitytag", "entity_id"),
}


def clean_tags(names: list[str]) -> list[str]:
    """Tag names trimmed, without empties or duplicates, in the given order."""
    seen: dict[str, None] = {}
    for name in names:
        name = " ".join(name.split())
        if name:
            seen.setdefault(name, None)
    return list(seen)


class Tags:
    """Queries and edits of tags."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def names(self) -> list[str]:
        """Every tag name, alphabetically."""
        with Session(self._engine) as session:
            return list(session.exec(select(Tag.name).order_by(col(Tag.name))).all())

    def of(self, kind: str, target_id: int) -> list[str]:
        """The tags on a document, mention, fact or entity (`kind`)."""
        link, _table, key = _LINKS[kind]
        with Session(self._engine) as session:
            rows = session.exec(
                select(Tag.name)
                .join(link, col(link.tag_id) == Tag.id)
                .where(getattr(link, key) == target_id)
                .order_by(col(Tag.name))
            )
            return list(rows.all())

    def set(self, kind: str, target_id: int, names: list[str], actor: str = "analyst") -> Change:
        """Make the tags of a document, mention, fact or entity exactly `names` (new names
        become tags)."""
        link, table, key = _LINKS[kind]
        wanted = clean_tags(names)
        with transaction(self._engine) as session:
            rec = Recorder(
                session, actor, f"{kind}.tags", f"Tag {kind}: {', '.join(wanted) or '—'}"
            )
            current = dict(
                session.exec(
                    select(Tag.name, Tag.id)
                    .join(link, col(link.tag_id) == Tag.id)
                    .where(getattr(link, key) == target_id)
                ).all()
            )
            for name, tag_id in current.items():
                if name not in wanted:
                    rec.delete(table, {key: target_id, "tag_id": tag_id})
            for name in wanted:
                if name in current:
                    continue
                tag_id = session.exec(select(Tag.id).where(Tag.name == name)).first()
                if tag_id is None:
                    tag_id = rec.insert("tag", {"name": name})["id"]
                rec.insert(table, {key: target_id, "tag_id": tag_id})
            return Change(rec.batch)
