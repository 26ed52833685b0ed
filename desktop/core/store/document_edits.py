"""An analyst's edit of a document's details (title, publication date, source), as one
logged change: the dates read relative to the publication date follow a new one."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from desktop.core.folding import fold
from desktop.core.models import Document, Fact, FactArgument
from desktop.core.store.changes import Recorder
from desktop.core.store.db import SEARCH_TABLE_DIALECTS

DATE_ROLES = frozenset({"date", "period"})
ACTION = "document.details"  # the revision action of an edit of the details


class DetailsError(ValueError):
    """Details that cannot be stored (the message names the field and the problem)."""


def check_published(published: str | None) -> str | None:
    """A publication date as stored: ISO 'YYYY-MM-DD', 'YYYY-MM', 'YYYY' or None."""
    if published is None or not published.strip():
        return None
    text = published.strip()
    from datetime import date

    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        if len(text) == 7:
            return date.fromisoformat(text + "-01").isoformat()[:7]
        if len(text) == 4 and text.isdigit():
            return text
    except ValueError:
        pass
    raise DetailsError(f"publication date: {text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")


def _machine_date(argument: dict[str, Any], published: str | None) -> bool:
    """Whether an argument's value is what the normaliser gave it (not an analyst's)."""
    kind = (argument["value_json"] or {}).get("kind")
    if argument["role"] not in DATE_ROLES and kind != "date":
        return False
    from desktop.core.facts.values_dates import normalize_date  # dateparser: only when used

    was = normalize_date(argument["text"] or "", published)
    return (was.text if was else None) == argument["value"]


def refresh_title_index(session: Session, document_id: int) -> None:
    """Put a document's current title in the search index (SQLite's FTS table only)."""
    if session.get_bind().dialect.name not in SEARCH_TABLE_DIALECTS:
        return
    d = Document.__table__
    row = session.execute(  # a plain read: an ORM object of it may hold the old title
        sa.select(d.c.title, d.c.text).where(d.c.id == document_id)
    ).first()
    if row is None:
        return
    session.execute(sa.text("DELETE FROM document_fts WHERE rowid = :id"), {"id": document_id})
    session.execute(
        sa.text("INSERT INTO document_fts(rowid, title, body) VALUES (:id, :title, :body)"),
        {"id": document_id, "title": fold(row.title or ""), "body": fold(row.text)},
    )


def set_details(
    session: Session,
    rec: Recorder,
    document_id: int,
    *,
    title: str | None,
    published: str | None,
    source: str,
) -> int:
    """Write a document's details through `rec`; re-normalize its machine-made date values
    when the publication date changes. Returns how many values changed."""
    doc = session.get(Document, document_id)
    if doc is None:
        raise DetailsError(f"no document {document_id}")
    source = " ".join(source.split())
    if not source:
        raise DetailsError("source: a document needs a source name")
    published = check_published(published)
    title = " ".join((title or "").split()) or None
    old = doc.published
    rec.update("document", {"id": document_id}, title=title, published=published, source=source)
    session.flush()
    refresh_title_index(session, document_id)
    if old == published:
        return 0
    from desktop.core.facts.values_dates import normalize_date  # dateparser: only when used

    f, a = Fact.__table__, FactArgument.__table__
    rows = session.execute(
        sa.select(a.c.id, a.c.role, a.c.text, a.c.value, a.c.value_json)
        .join(f, f.c.id == a.c.fact_id)
        .where(f.c.document_id == document_id)
    ).mappings()
    changed = 0
    for row in [dict(r) for r in rows]:
        if not row["text"] or not _machine_date(row, old):
            continue
        now = normalize_date(row["text"], published)
        value = now.text if now else None
        value_json = {"kind": now.kind, **now.data} if now else None
        if value != row["value"] or value_json != row["value_json"]:
            rec.update("factargument", {"id": row["id"]}, value=value, value_json=value_json)
            changed += 1
    return changed
