"""Undo and redo over the revision log: an analyst's batches of changes, replayed.

The log survives restarts, so the history does too. Undoing a batch writes the
old values back and marks its revisions undone; redoing writes the new values
again. Each undo or redo is itself logged (action "history.undo"/"history.redo").
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from desktop.core.models import Revision
from desktop.core.store import analysts, document_edits, extraction_undo, import_undo
from desktop.core.store.changes import (
    delete_row,
    from_json,
    insert_row,
    key_params,
    table_of,
    update_row,
)
from desktop.core.store.db import SEARCH_TABLE_DIALECTS, transaction
from desktop.core.store.revisions import record

NOT_UNDOABLE_ACTORS = ("pipeline", "import")  # but a whole dataset import is undoable
IMPORT = "import"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One undoable user action."""

    batch: int
    summary: str
    actor: str
    created_at: str
    undone: bool


def _apply(session: Session, rev: Revision, forward: bool) -> None:
    """Write a revision's new values (forward) or its old values (backward)."""
    table = table_of(rev.target)
    new, old = (rev.after, rev.before) if forward else (rev.before, rev.after)
    if new is None and old is not None:  # the row must not exist
        session.execute(delete_row(table), key_params(table, old))
    elif old is None and new is not None:  # the row must exist again, as it was
        session.execute(insert_row(table), from_json(table, new))
    elif new is not None and old is not None:
        keys = key_params(table, rev.before or {})
        names = {c.name for c in table.primary_key.columns}
        values = {k: v for k, v in from_json(table, new).items() if k not in names}
        session.execute(update_row(table), {**values, **keys})


_SUMMARY = sa.select(Revision.__table__.c.summary).where(
    Revision.__table__.c.id == sa.bindparam("batch")
)


class History:
    """The project's undo history, built on the revision log."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._who = analysts.identity(engine)

    def entries(self) -> list[HistoryEntry]:
        """Every analyst's actions, oldest first, with whether each is currently undone."""
        query = (
            select(Revision)
            .where(col(Revision.batch) == Revision.id)
            .where(
                sa.or_(
                    col(Revision.actor).not_in(NOT_UNDOABLE_ACTORS), col(Revision.action) == IMPORT
                )
            )
            .where(~col(Revision.action).startswith("history."))
            .order_by(col(Revision.id))
        )
        with Session(self._engine) as session:
            return [
                HistoryEntry(
                    r.id or 0,
                    r.summary,
                    r.actor,
                    r.created_at.isoformat(timespec="seconds"),
                    r.undone,
                )
                for r in session.exec(query).all()
            ]

    def stack(self, analyst: str | None = None) -> tuple[list[HistoryEntry], list[HistoryEntry]]:
        """(done, redoable) of one analyst's own steps (default: this client's analyst) as
        an undo stack holds them; steps recorded before analysts had names, and imports
        logged as "import" (not by name), count as everyone's. An action undone before a
        newer one was made is gone, as QUndoStack drops it: also once that newer one is
        undone in turn (it must never be redone: it may share row ids with the newer one)."""
        own = {analyst or self._who.name, analysts.DEFAULT, IMPORT}
        entries = self._not_superseded([e for e in self.entries() if e.actor in own])
        last_done = max((i for i, e in enumerate(entries) if not e.undone), default=-1)
        done = [e for e in entries[: last_done + 1] if not e.undone]
        return done, entries[last_done + 1 :]

    def _not_superseded(self, entries: list[HistoryEntry]) -> list[HistoryEntry]:
        """The entries without those still undone since before a newer entry was made."""
        table = Revision.__table__
        query = (
            sa.select(table.c.target_id, sa.func.max(table.c.id))
            .where(table.c.action == "history.undo")
            .group_by(table.c.target_id)
        )
        with self._engine.connect() as conn:
            undone_at = dict(conn.execute(query).all())
        newest = max((e.batch for e in entries), default=0)
        return [e for e in entries if not e.undone or undone_at.get(e.batch, newest) >= newest]

    def _replay(self, batch: int, forward: bool, actor: str) -> None:
        with transaction(self._engine) as session:
            revs = session.exec(
                select(Revision).where(Revision.batch == batch).order_by(col(Revision.id))
            ).all()
            if not revs:
                raise KeyError(f"no change {batch}")
            self._refuse_stepping_over(session, list(revs), forward, self._who.actor(actor))
            if revs[0].action == extraction_undo.RUN:  # an analyst's extraction run
                extraction_undo.replay(session, list(revs), forward, self._fts)
            for rev in revs if forward else reversed(revs):
                if rev.action == IMPORT:
                    self._replay_import(session, rev, forward)
                elif rev.action not in (extraction_undo.RUN, extraction_undo.DOCUMENT):
                    _apply(session, rev, forward)
                rev.undone = not forward
            for rev in revs:  # the search index follows an edited title back and forth
                if rev.action == document_edits.ACTION and rev.target == "document":
                    session.flush()
                    document_edits.refresh_title_index(session, rev.target_id)
            verb = "redo" if forward else "undo"
            record(
                session,
                actor=actor,
                action=f"history.{verb}",
                target="revision",
                target_id=batch,
                summary=f"{verb.capitalize()}: {revs[0].summary}",
            )

    def _refuse_stepping_over(
        self, session: Session, revs: list[Revision], forward: bool, analyst: str
    ) -> None:
        """Refuse (SteppedOver) to undo or redo a step when another analyst changed one of
        its rows after it (their change would be overwritten or its row taken away)."""
        skipped = (IMPORT, extraction_undo.RUN, extraction_undo.DOCUMENT)
        rows = [r for r in revs if r.action not in skipped]
        found = analysts.later_change(session, rows, analyst)
        if found is None:
            return
        who, item, step, when = found
        verb = "redone" if forward else "undone"
        raise analysts.SteppedOver(
            f"“{revs[0].summary}” was not {verb}: {who} changed {item} after it "
            f"(“{step}”, {when}), and this would step over their change. Only your own "
            f"steps are undone; ask {who}, or change it by hand.",
            who,
            item,
        )

    @property
    def _fts(self) -> bool:
        return self._engine.dialect.name in SEARCH_TABLE_DIALECTS

    def _replay_import(self, session: Session, rev: Revision, forward: bool) -> None:
        fts = self._fts
        if not forward:
            rev.before = import_undo.take_out(
                session, {**(rev.after or {}), "import_id": rev.id}, fts
            )
        elif rev.before is not None:
            import_undo.put_back(session, rev.before, fts)
            rev.before = None  # the rows are back in their tables

    def summary(self, batch: int) -> str | None:
        """The name of a batch as History shows it."""
        with self._engine.connect() as conn:  # Core: asked at every edit and undo
            return conn.execute(_SUMMARY, {"batch": batch}).scalar()

    def rename(self, batch: int, summary: str) -> None:
        """Name a batch (every one of its revisions), so History reads the same after a
        restart as in the session that made it."""
        table = Revision.__table__
        with self._engine.begin() as conn:
            conn.execute(sa.update(table).where(table.c.batch == batch).values(summary=summary))

    def join(self, batches: list[int | None], summary: str = "") -> int | None:
        """Make several batches one (the first), named `summary` (else the first's name):
        one undo step for what one dialog or one command did in several store calls."""
        wanted = [b for b in batches if b is not None]
        if not wanted:
            return None
        head, rest = wanted[0], wanted[1:]
        table = Revision.__table__
        with self._engine.begin() as conn:
            if rest:
                conn.execute(sa.update(table).where(table.c.batch.in_(rest)).values(batch=head))
            if summary:
                conn.execute(sa.update(table).where(table.c.batch == head).values(summary=summary))
        return head

    def targets(self, batch: int) -> set[str]:
        """The tables a batch changes ("document" for an import)."""
        table = Revision.__table__
        with self._engine.connect() as conn:
            query = sa.select(table.c.target).where(table.c.batch == batch).distinct()
            return set(conn.execute(query).scalars())

    def removes_documents(self, batch: int) -> tuple[int, int, int] | None:
        """For a step whose undo takes documents out (an import): how many documents,
        annotations and facts would go; None for any other step."""
        table = Revision.__table__
        query = sa.select(table.c.after).where(
            table.c.id == batch, table.c.action == IMPORT, table.c.undone.is_(False)
        )
        with self._engine.connect() as conn:  # Core: asked before every undo
            after = conn.execute(query).scalar()
        docs = list((after or {}).get("added", []))
        if not docs:
            return None
        m, f = table_of("mention"), table_of("fact")
        counts = [len(docs), 0, 0]
        with self._engine.connect() as conn:
            for i in range(0, len(docs), 500):
                chunk = docs[i : i + 500]
                for n, t in ((1, m), (2, f)):
                    query = sa.select(sa.func.count()).where(t.c.document_id.in_(chunk))
                    counts[n] += int(conn.execute(query).scalar() or 0)
        return counts[0], counts[1], counts[2]

    def undo(self, batch: int, actor: str = "analyst") -> None:
        """Reverse a batch of changes."""
        self._replay(batch, forward=False, actor=actor)

    def redo(self, batch: int, actor: str = "analyst") -> None:
        """Apply a batch of changes again."""
        self._replay(batch, forward=True, actor=actor)
