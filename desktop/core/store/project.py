"""A project: one database (a SQLite file or a server URL) behind one Store object."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, func, select

from desktop.core.models import Document, Mention
from desktop.core.records import ProjectStats, SearchHit
from desktop.core.store import analysts, db
from desktop.core.store.documents import Documents
from desktop.core.store.entities import Entities
from desktop.core.store.export_reads import ExportReads
from desktop.core.store.facts import Facts
from desktop.core.store.history import History
from desktop.core.store.imports import Imports
from desktop.core.store.labels import Labels
from desktop.core.store.learning import Learning
from desktop.core.store.mentions import Mentions
from desktop.core.store.revisions import RevisionLog
from desktop.core.store.runs import Runs
from desktop.core.store.search import search
from desktop.core.store.settings import Settings
from desktop.core.store.tags import Tags
from desktop.core.store.training_reads import TrainingReads


class ProjectError(Exception):
    """A project file that cannot be opened or upgraded."""


class Store:
    """The only door to a project's data: every query and mutation goes through it."""

    def __init__(self, engine: sa.Engine, location: str, analyst: str | None = None) -> None:
        self.engine = engine
        self.location = location
        self.identity = analysts.identity(engine)  # who this client writes as
        if analyst is not None:
            self.identity.name = analysts.clean_name(analyst)
        self.catch_up()
        self.documents = Documents(engine)
        self.mentions = Mentions(engine)
        self.runs = Runs(engine)
        self.revisions = RevisionLog(engine)
        self.history = History(engine)
        self.labels = Labels(engine)
        self.tags = Tags(engine)
        self.facts = Facts(engine)
        self.imports = Imports(engine)
        self.entities = Entities(engine)
        self.exports = ExportReads(engine)
        self.settings = Settings(engine)
        self.training = TrainingReads(engine)
        self.learning = Learning(engine)

    @classmethod
    def open(
        cls,
        project: str | Path,
        *,
        create: bool = True,
        password: str | None = None,
        migrate: bool = True,
        analyst: str | None = None,
    ) -> Store:
        """Open a project, creating it or upgrading its schema in place as needed. A
        server's `password` goes to the driver only. With `migrate=False` a database that
        is not at this version's schema is refused with what to run instead (the window
        opening a team's shared project leaves its schema to `factdesk migrate`). Its edits
        are `analyst`'s (default: FACTDESK_ANALYST, else the OS user name)."""
        location = str(project)
        if "://" not in location:
            path = Path(location).expanduser()
            if not path.exists() and not create:
                raise ProjectError(f"{path}: no such project")
            if path.exists() and path.is_dir():
                raise ProjectError(f"{path}: is a folder, not a project file")
            if path.exists() and path.stat().st_size:
                if not _looks_like_sqlite(path):
                    raise ProjectError(f"{path}: not a Factdesk project (not an SQLite database)")
                if _foreign_database(path):
                    raise ProjectError(
                        f"{path}: an SQLite database of another application, not a Factdesk "
                        "project (left unchanged)"
                    )
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = db.create_engine(project, password)
        try:
            if "://" in location:
                _check_server_database(engine, location, migrate)
            db.upgrade(engine)
        except sa.exc.DatabaseError as exc:
            engine.dispose()
            raise ProjectError(f"{location}: cannot open project ({exc.orig})") from exc
        except db.NewerSchema as exc:
            engine.dispose()
            found = db.current_revision(engine)
            raise ProjectError(
                f"{location}: made by a newer Factdesk (schema {found}; this version knows "
                f"up to {db.head_revision()})"
            ) from exc
        return cls(engine, location, analyst)

    @property
    def analyst(self) -> str:
        """The analyst this client's edits, undos and decisions are recorded for."""
        return self.identity.name

    @analyst.setter
    def analyst(self, name: str) -> None:
        self.identity.name = analysts.clean_name(name)

    def catch_up(self) -> int:
        """Mark every revision so far as seen by this client's views (call before reading
        them again): the version check then refuses only changes to rows another client
        changed after this. Returns the newest revision id."""
        with self.engine.connect() as conn:
            self.identity.seen = analysts.newest_revision(conn)
        return self.identity.seen

    def on_conflict(self, listener: Callable[[analysts.Conflict], None]) -> None:
        """Call `listener(conflict)` whenever a write of this client is refused."""
        self.identity.listeners.append(listener)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def schema_revision(self) -> str | None:
        """The schema revision the project is at."""
        return db.current_revision(self.engine)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Documents matching a query, folding case and diacritics."""
        return search(self.engine, query, limit)

    def stats(self) -> ProjectStats:
        """Counts over the whole project."""
        with Session(self.engine) as session:
            docs = int(session.exec(select(func.count()).select_from(Document)).one())
            pending = int(
                session.exec(
                    select(func.count()).select_from(Document).where(Document.last_run_id == None)  # noqa: E711
                ).one()
            )
            by = {}
            for column in ("status", "label", "origin"):
                attr = getattr(Mention, column)
                rows = session.exec(select(attr, func.count()).group_by(attr).order_by(attr)).all()
                by[column] = {key: int(n) for key, n in rows}
        return ProjectStats(
            documents=docs,
            mentions=sum(by["status"].values()),
            by_status=by["status"],
            by_label=dict(sorted(by["label"].items(), key=lambda kv: -kv[1])),
            by_origin=by["origin"],
            zones=self.documents.zone_counts(),
            pending_extraction=pending,
            facts=self.facts.counts(),
            schema_revision=self.schema_revision(),
            last_run=self.runs.last(),
            extraction_failed=[(s, r) for _i, s, r in self.documents.extraction_failures()],
        )


def _check_server_database(engine: sa.Engine, location: str, migrate: bool) -> None:
    """Refuse a server database that holds another application's tables, or (without
    `migrate`) one whose schema is not this version's."""
    with engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
    if tables and "alembic_version" not in tables:
        engine.dispose()
        raise ProjectError(
            f"{location}: not a Factdesk database (it holds other tables: "
            f"{', '.join(sorted(tables)[:5])}); left unchanged"
        )
    if migrate:
        return
    found = db.current_revision(engine) if tables else None
    if found != db.head_revision():
        engine.dispose()
        what = "an empty database" if found is None else f"at schema {found}"
        raise ProjectError(
            f"{location}: {what}, this version needs schema {db.head_revision()}. "
            f"Run: factdesk migrate --project {location}"
        )


def _looks_like_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def _foreign_database(path: Path) -> bool:
    """Whether an SQLite file holds tables but was never a Factdesk project."""
    import sqlite3

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    return bool(names) and "alembic_version" not in names
