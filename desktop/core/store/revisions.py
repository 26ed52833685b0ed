"""The append-only revision log: every mutation writes its row in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from desktop.core.models import Revision
from desktop.core.store.analysts import of_session


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str,
    target_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
) -> None:
    """Add one revision row to the session's open transaction (the default actor is the
    analyst the transaction writes for)."""
    who = of_session(session)
    session.add(
        Revision(
            actor=who.actor(actor) if who is not None else actor,
            client=who.client if who is not None else None,
            action=action,
            target=target,
            target_id=target_id,
            before=before,
            after=after,
            summary=summary,
        )
    )


class RevisionLog:
    """Reads of the revision log."""

    def __init__(self, engine) -> None:
        self._engine = engine

    def latest(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest revisions as plain dicts, newest first."""
        with Session(self._engine) as session:
            rows = session.exec(select(Revision).order_by(Revision.id.desc()).limit(limit)).all()
            return [row.model_dump() for row in rows]

    def count(self, action: str | None = None) -> int:
        """How many revisions there are (of one action, if given)."""
        from sqlalchemy import func

        query = select(func.count()).select_from(Revision)
        if action is not None:
            query = query.where(Revision.action == action)
        with Session(self._engine) as session:
            return int(session.exec(query).one())
