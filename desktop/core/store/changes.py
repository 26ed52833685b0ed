"""Row changes that record themselves: insert, update and delete with before/after snapshots.

Every analyst edit goes through these three functions, so its Revision row holds
enough to reverse it: an insert keeps the new row, a delete keeps the old one,
an update keeps the old and new values of the fields it changed. Undo and redo
(store/history.py) replay those snapshots on any table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from desktop.core.models import Revision, utcnow
from desktop.core.records import MentionRecord
from desktop.core.store import analysts


@dataclass(frozen=True, slots=True)
class Change:
    """The result of an analyst's edit: its revision batch (for undo) and the row after it."""

    batch: int | None
    mention: MentionRecord | None = None
    flagged_facts: tuple[int, ...] = ()  # facts the edit sent back for review


def table_of(name: str) -> sa.Table:
    """The table with this name in the project schema."""
    return SQLModel.metadata.tables[name]


def to_json(table: sa.Table, values: dict[str, Any]) -> dict[str, Any]:
    """Column values as JSON-safe values (datetimes as ISO strings)."""
    out = {}
    for key, value in values.items():
        out[key] = value.isoformat() if isinstance(value, datetime) else value
    return out


def from_json(table: sa.Table, values: dict[str, Any]) -> dict[str, Any]:
    """JSON snapshot values back to column values."""
    out = {}
    for key, value in values.items():
        column_type = table.columns[key].type
        if value is not None and isinstance(getattr(column_type, "impl", column_type), sa.DateTime):
            value = datetime.fromisoformat(value)
        out[key] = value
    return out


# The statements of the edit path are built once per table, with the key as bound
# parameters: building and caching a fresh statement per call was most of an edit's time.
# Key parameters carry a prefix so they never collide with a column an update sets.
_KEY = "key_"


def _by_key(table: sa.Table) -> sa.ColumnElement[bool]:
    return sa.and_(*(col == sa.bindparam(_KEY + col.name) for col in table.primary_key.columns))


@functools.cache
def select_row(table: sa.Table) -> sa.Select:
    """SELECT of one row by its key parameters (see key_params)."""
    return sa.select(table).where(_by_key(table))


@functools.cache
def update_row(table: sa.Table) -> sa.Update:
    """UPDATE of one row by its key parameters; the other parameters are the new values."""
    return sa.update(table).where(_by_key(table))


@functools.cache
def delete_row(table: sa.Table) -> sa.Delete:
    """DELETE of one row by its key parameters."""
    return sa.delete(table).where(_by_key(table))


@functools.cache
def insert_row(table: sa.Table) -> sa.Insert:
    """INSERT of one row; the parameters are its values."""
    return sa.insert(table)


def key_params(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """The key parameters of the statements above for a row (or a dict holding its key)."""
    return {_KEY + col.name: row[col.name] for col in table.primary_key.columns}


def read_row(session: Session, table: sa.Table, key: dict[str, Any]) -> dict[str, Any] | None:
    """The current values of a row, by primary key, or None."""
    row = session.execute(select_row(table), key_params(table, key)).mappings().first()
    return dict(row) if row else None


class Recorder:
    """Applies changes inside one transaction and logs each as a revision of one batch."""

    def __init__(self, session: Session, actor: str, action: str, summary: str) -> None:
        self.session = session
        self.who = analysts.of_session(session)
        self.actor = self.who.actor(actor) if self.who is not None else actor
        self.action = action
        self.summary = summary
        self.batch: int | None = None
        self._others: bool | None = None  # another client wrote since ours last read

    def _decided(self, table: sa.Table, values: dict[str, Any]) -> None:
        """Note who decided, on the rows that keep it (an analyst, not the pipeline)."""
        if "decided_by" in table.columns and self.actor not in analysts.MACHINES:
            values["decided_by"] = self.actor

    def _check(self, table: sa.Table, row: dict[str, Any]) -> None:
        """The version check (store/analysts.py): refuse a change to a row another client
        changed since this one read it. Costs one query while no other client wrote."""
        who, row_id = self.who, row.get("id")
        if who is None or not isinstance(row_id, int) or self.actor in analysts.MACHINES:
            return
        if self.session.get_bind().dialect.name == "postgresql":
            # Locked first, then looked at: a write to the row at the same moment commits
            # before this one reads the log, or waits for this one. The answer "nobody
            # else wrote" is asked again for each row (another client may write meanwhile;
            # on SQLite this transaction holds the write lock, so the first answer stays).
            analysts.lock_row(self.session, table, row_id)
            self._others = None
        if self._others is None:
            self._others = analysts.others_wrote(self.session, who)
        if self._others:
            analysts.check_row(self.session, who, table, row_id)

    def _log(self, table: sa.Table, target_id: Any, before: Any, after: Any) -> None:
        """One revision row, written with a Core insert (an ORM object and its flush cost
        about a millisecond each, and an edit logs several); the first row of a batch
        names itself as the batch."""
        revisions = Revision.__table__
        values = {
            "created_at": utcnow(),
            "actor": self.actor,
            "client": self.who.client if self.who is not None else None,
            "action": self.action,
            "target": table.name,
            "target_id": target_id if isinstance(target_id, int) else None,
            "before": before,
            "after": after,
            "summary": self.summary,
            "undone": False,
            "batch": self.batch,
        }
        result = self.session.execute(insert_row(revisions), values)
        if self.batch is None:
            self.batch = int(result.inserted_primary_key[0])
            params = {"batch": self.batch, **key_params(revisions, {"id": self.batch})}
            self.session.execute(update_row(revisions), params)

    def insert(self, table_name: str, values: dict[str, Any]) -> dict[str, Any]:
        """Insert a row; returns it as stored (with its id)."""
        table = table_of(table_name)
        if "decided_by" in table.columns and "decided_by" not in values:
            values = dict(values)
            self._decided(table, values)
        result = self.session.execute(insert_row(table), values)
        key = dict(values)
        if "id" in table.columns and "id" not in key:
            key["id"] = result.inserted_primary_key[0]
        row = read_row(self.session, table, key)
        assert row is not None
        self._log(table, row.get("id"), None, to_json(table, row))
        return row

    def update(self, table_name: str, key: dict[str, Any], **changes: Any) -> dict[str, Any]:
        """Change some fields of a row; only fields that really change are logged."""
        table = table_of(table_name)
        row = read_row(self.session, table, key)
        if row is None:
            raise KeyError(f"no {table_name} {key}")
        changed = {k: v for k, v in changes.items() if row[k] != v}
        if not changed:
            return row
        self._check(table, row)
        self._decided(table, changed)
        if row.get("decided_by") == changed.get("decided_by"):
            changed.pop("decided_by", None)
        if "updated_at" in table.columns:
            changed["updated_at"] = utcnow()
        self.session.execute(update_row(table), {**changed, **key_params(table, row)})
        before = to_json(table, {k: row[k] for k in changed})
        after = to_json(table, changed)
        self._log(table, row.get("id"), {**before, **_keys(table, row)}, after)
        return {**row, **changed}

    def delete(self, table_name: str, key: dict[str, Any]) -> dict[str, Any] | None:
        """Delete a row; the log keeps all of it, and what the database would do to the rows
        pointing at it (a fact argument's mention link set to NULL, a tag link deleted) is
        done and logged first, so undo puts those back too."""
        table = table_of(table_name)
        row = read_row(self.session, table, key)
        if row is None:
            return None
        self._check(table, row)
        self._release(table, row)
        self.session.execute(delete_row(table), key_params(table, row))
        self._log(table, row.get("id"), to_json(table, row), None)
        return row

    def _release(self, table: sa.Table, row: dict[str, Any]) -> None:
        """Log the foreign keys' ON DELETE work on the rows that point at `row`."""
        for other in SQLModel.metadata.tables.values():
            for fk in other.foreign_keys:
                if fk.column.table is not table:
                    continue
                where = fk.parent == row[fk.column.name]
                found = self.session.execute(sa.select(other).where(where)).mappings().all()
                rule = (fk.ondelete or "").upper()
                for child in found:
                    keys = _keys(other, dict(child))
                    if rule == "SET NULL":
                        self.update(other.name, keys, **{fk.parent.name: None})
                    elif rule == "CASCADE":
                        self.delete(other.name, keys)


def _keys(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    return {col.name: row[col.name] for col in table.primary_key.columns}
