"""Project settings: key / JSON value rows of the `setting` table, changed as undoable edits."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from desktop.core.models import Setting
from desktop.core.store.changes import Change, Recorder
from desktop.core.store.db import transaction


class Settings:
    """Read and change project settings."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def get(self, key: str, default: Any = None) -> Any:
        """A project setting's value, or `default`."""
        with Session(self._engine) as session:
            row = session.get(Setting, key)
            return default if row is None else row.value

    def set(self, key: str, value: Any, summary: str, actor: str = "analyst") -> Change:
        """Set (or with None remove) a project setting, as one undoable edit."""
        with transaction(self._engine) as session:
            rec = Recorder(session, actor, "setting", summary)
            if session.get(Setting, key) is not None:
                rec.delete("setting", {"key": key})
            if value is not None:
                rec.insert("setting", {"key": key, "value": value})
            return Change(rec.batch)
