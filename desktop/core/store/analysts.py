"""Named analysts, and the version check between clients of one project.

Every Store object is one client (a window, a command) working for one analyst. Its
`Identity` names the analyst (written as the `actor` of every revision it makes, and as
`decided_by` on the decisions), tells its revisions apart from other clients' (`client`),
and remembers up to which revision its views were read (`seen`).

The version check is optimistic: a write reads nothing extra while no other client has
written since `seen`; when one has, a row this write changes or deletes must not have been
changed by another client after `seen` (a revision of that row, or the undo or redo of
one). Otherwise the whole write is refused with `Conflict`, naming who changed the row.
On PostgreSQL the row is locked first (SELECT … FOR UPDATE), so of two writes at the same
moment the second waits for the first to commit and then sees its revision; on SQLite the
write transactions are one at a time already (BEGIN IMMEDIATE).

Undo and redo are an analyst's own: `later_change` finds another analyst's change to a
row of the step made after it, which refuses the step (`SteppedOver`).
"""

from __future__ import annotations

import getpass
import os
import uuid
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from desktop.core.models import Revision

DEFAULT = "analyst"  # the actor store methods pass when not told: this client's analyst
MACHINES = ("pipeline", "import")  # actors that are no analyst
ENV = "FACTDESK_ANALYST"
HISTORY = ("history.undo", "history.redo")


def default_analyst() -> str:
    """The analyst's name when none is given: FACTDESK_ANALYST, else the OS user name."""
    name = os.environ.get(ENV, "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or DEFAULT
    except (KeyError, OSError):  # no user name in this environment
        return DEFAULT


def clean_name(name: str) -> str:
    """An analyst's name as stored: one line, no surrounding space; never empty."""
    text = " ".join(str(name).split())
    if not text:
        raise ValueError("an analyst's name cannot be empty")
    if text in MACHINES:
        raise ValueError(f"“{text}” is reserved for the pipeline and imports")
    return text[:80]


class Conflict(ValueError):
    """A write refused: another client changed the same row since this one read it."""

    def __init__(self, message: str, analyst: str, item: str) -> None:
        super().__init__(message)
        self.analyst = analyst
        self.item = item


class SteppedOver(Conflict):
    """An undo or redo refused: it would step over another analyst's later change."""


@dataclass
class Identity:
    """Who a Store object writes as, and up to which revision its views were read."""

    name: str
    client: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    seen: int = 0
    listeners: list[Callable[[Conflict], None]] = field(default_factory=list)

    def actor(self, actor: str) -> str:
        """The actor to record: this analyst for the default one, else `actor` itself."""
        return self.name if actor == DEFAULT else actor

    def refused(self, conflict: Conflict) -> None:
        """Tell the listeners (a window refreshes its views and says who changed what)."""
        for listener in list(self.listeners):
            listener(conflict)


_IDENTITIES: weakref.WeakKeyDictionary[sa.Engine, Identity] = weakref.WeakKeyDictionary()


def identity(engine: sa.Engine) -> Identity:
    """The identity of the client behind an engine (made on first use)."""
    base = getattr(engine, "_proxied", engine)  # an engine with execution options
    found = _IDENTITIES.get(base)
    if found is None:
        found = _IDENTITIES[base] = Identity(default_analyst())
    return found


def of_session(session: Session) -> Identity | None:
    """The identity a write transaction works for (store.db.transaction sets it)."""
    return session.info.get("identity")


_REV = Revision.__table__


def newest_revision(conn: sa.Connection | Session) -> int:
    """The id of the newest revision (0 for none)."""
    return int(conn.execute(sa.select(sa.func.max(_REV.c.id))).scalar() or 0)


def _other(who: Identity) -> sa.ColumnElement[bool]:
    """Another client's revisions, an analyst's (the pipeline's proposals and an import's
    rows are no one's decision: a window's own extraction must not refuse its edits)."""
    client = sa.or_(_REV.c.client != who.client, _REV.c.client.is_(None))
    return sa.and_(client, _REV.c.actor.not_in(MACHINES))


def others_wrote(session: Session, who: Identity) -> bool:
    """Whether another client wrote anything since `who` last read."""
    query = sa.select(_REV.c.id).where(_REV.c.id > who.seen, _other(who)).limit(1)
    return session.execute(query).first() is not None


def lock_row(session: Session, table: sa.Table, row_id: int) -> None:
    """Lock a row until the transaction ends (SELECT … FOR UPDATE; PostgreSQL)."""
    pk = next(iter(table.primary_key.columns))
    session.execute(sa.select(pk).where(pk == row_id).with_for_update())


def check_row(session: Session, who: Identity, table: sa.Table, row_id: int) -> None:
    """Refuse (Conflict) a change to a row another client changed since `who` read it
    (on PostgreSQL the row is locked first: lock_row)."""
    fresh = _REV.c.id > who.seen
    direct = (
        sa.select(_REV)
        .where(fresh, _other(who), _REV.c.target == table.name, _REV.c.target_id == row_id)
        .where(~_REV.c.action.in_(HISTORY))
        .order_by(_REV.c.id.desc())
        .limit(1)
    )
    found = session.execute(direct).mappings().first()
    if found is None:  # or another client undid / redid a step that changed the row
        step = _REV.alias("step")
        replayed = (
            sa.select(_REV)
            .where(fresh, _other(who), _REV.c.action.in_(HISTORY))
            .where(
                sa.exists().where(
                    step.c.batch == _REV.c.target_id,
                    step.c.target == table.name,
                    step.c.target_id == row_id,
                )
            )
            .order_by(_REV.c.id.desc())
            .limit(1)
        )
        found = session.execute(replayed).mappings().first()
    if found is None:
        return
    item = describe(session, table, row_id, found)
    conflict = Conflict(
        f"{found['actor']} changed {item} since this view was read "
        f"(“{_step_name(found)}”, {_clock(found['created_at'])}): your change was not made. "
        "The view now shows theirs.",
        found["actor"],
        item,
    )
    who.refused(conflict)
    raise conflict


def later_change(
    session: Session, revisions: Iterable[Any], analyst: str
) -> tuple[str, str, str, str] | None:
    """Another analyst's change, after a step's revisions, to a row the step changed (and
    still in force): (analyst, item, its step's name, when), or None."""
    rows: dict[tuple[str, int], int] = {}
    for rev in revisions:
        if rev.target_id is not None and rev.target in sa_tables():
            key = (rev.target, rev.target_id)
            rows[key] = min(rows.get(key, rev.id), rev.id)
    if not rows:
        return None
    first = min(rows.values())
    pairs = sa.tuple_(_REV.c.target, _REV.c.target_id).in_(list(rows))
    query = (
        sa.select(_REV)
        .where(_REV.c.id > first, pairs, _REV.c.undone.is_(False))
        .where(_REV.c.actor != analyst, _REV.c.actor != DEFAULT, _REV.c.actor.not_in(MACHINES))
        .where(~_REV.c.action.startswith("history."))
        .order_by(_REV.c.id)
    )
    for found in session.execute(query).mappings():
        if found["id"] > rows[(found["target"], found["target_id"])]:
            table = sa_tables()[found["target"]]
            item = describe(session, table, found["target_id"], found)
            return found["actor"], item, _step_name(found), _clock(found["created_at"])
    return None


def sa_tables() -> dict[str, sa.Table]:
    """The project's tables by name."""
    from sqlmodel import SQLModel

    return dict(SQLModel.metadata.tables)


def _step_name(rev: Any) -> str:
    return str(rev["summary"] or rev["action"])


def _clock(when: Any) -> str:
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    if not isinstance(when, datetime):
        return "earlier"
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone().strftime("%H:%M")


def describe(session: Session, table: sa.Table, row_id: int, rev: Any = None) -> str:
    """A row as a person names it: "mention 'Wei Tao' (PERSON)", "MEETING fact #4" …;
    read from the row, or from a revision's snapshot when the row is gone."""
    pk = next(iter(table.primary_key.columns))
    row = session.execute(sa.select(table).where(pk == row_id)).mappings().first()
    values: dict[str, Any] = dict(row) if row else {}
    if not values and rev is not None:
        values = dict(rev["before"] or {}) | dict(rev["after"] or {})
    name = table.name
    if name == "mention" and values.get("text"):
        return f"mention '{values['text']}' ({values.get('label', '?')})"
    if name == "fact":
        return f"{values.get('type', '')} fact #{row_id}".strip()
    if name == "factargument":
        return f"fact argument {values.get('role', '')} '{values.get('text') or ''}'".strip()
    if name == "entity" and values.get("preferred_name"):
        return f"entity '{values['preferred_name']}'"
    if name == "alias" and values.get("name"):
        return f"name '{values['name']}'"
    if name == "document":
        return f"document “{values.get('title') or values.get('source') or row_id}”"
    return f"{name} #{row_id}"
