"""Engine set-up for a project: SQLite pragmas, schema migrations, transactions.

Several processes may write to one project file (two imports, an ingest and the window).
Every SQLite connection waits up to BUSY_TIMEOUT seconds for another writer's lock instead
of failing at once, and a write transaction (`transaction`, `write_connection`) takes the
write lock at its BEGIN (BEGIN IMMEDIATE): what it reads before its first insert is still
true when it writes, so a check for a duplicate and the insert after it are one step.
Plain reads take no lock and never wait for a writer (WAL)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session

from desktop.core.store.schema_head import MIGRATIONS_DIR, head_revision

if TYPE_CHECKING:
    from alembic.config import Config


class NewerSchema(Exception):
    """The project's schema revision is unknown to this code (a newer Factdesk made it)."""


def database_url(project: str | Path) -> str:
    """A SQLAlchemy URL for a project file path, or the URL itself (a plain `postgresql://`
    or `postgres://` URL goes through psycopg 3, the driver Factdesk ships)."""
    text = str(project)
    for plain in ("postgresql://", "postgres://"):
        if text.startswith(plain):
            return "postgresql+psycopg://" + text[len(plain) :]
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


# The back ends whose projects have the search table document_fts (rowid, title, body):
# FTS5 on SQLite (migration 0002), a plain table with trigram indexes on PostgreSQL (0007).
SEARCH_TABLE_DIALECTS = frozenset({"sqlite", "postgresql"})
CONNECT_TIMEOUT = 5  # seconds to wait for a server that does not answer
BUSY_TIMEOUT = 30.0  # seconds a connection waits for another process's write lock
_WRITE = "factdesk_write"  # execution option: this transaction writes (BEGIN IMMEDIATE)


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
    cursor.execute("PRAGMA foreign_keys=ON")
    _wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _wal(cursor: Any) -> None:
    """Put the file in WAL mode (it stays so). Another process switching a new file at the
    same moment makes SQLite answer "locked" at once, without the busy wait: tried again."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_begin(conn: sa.Connection) -> None:
    """A write transaction takes the write lock now, waiting for another writer to finish.
    Other transactions are left to the driver, which begins one before the first insert,
    update or delete (reads alone take no lock)."""
    if conn.get_execution_options().get(_WRITE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(project: str | Path, password: str | None = None) -> sa.Engine:
    """An engine for a project; SQLite files get WAL mode, foreign keys, a busy timeout and
    BEGIN IMMEDIATE for write transactions. A server's `password` goes to the driver, never
    into the URL (which the window remembers and logs may show); without one libpq looks in
    ~/.pgpass."""
    url = database_url(project)
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT}
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT}
    if password:
        connect_args["password"] = password
    engine = sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    # for the change feed (store/changefeed.py): its own connection's arguments, and the
    # server process ids of this engine's connections (their notices are our own writes)
    pids: set[int] = set()
    engine.factdesk_connect_args = connect_args  # type: ignore[attr-defined]
    engine.factdesk_pids = pids  # type: ignore[attr-defined]

    def remember_pid(dbapi_conn: Any, _record: object) -> None:
        pid = getattr(getattr(dbapi_conn, "info", None), "backend_pid", None)
        if pid:
            pids.add(int(pid))

    sa.event.listen(engine, "connect", remember_pid)
    return engine


def writer(engine: sa.Engine) -> sa.Engine:
    """The same engine, its transactions marked as writing (on SQLite: BEGIN IMMEDIATE)."""
    return engine.execution_options(**{_WRITE: True})


@contextmanager
def write_connection(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection in a write transaction: commits at the end, or rolls back on error."""
    with writer(engine).begin() as conn:
        yield conn


def is_duplicate_document(exc: sa.exc.IntegrityError) -> bool:
    """Whether an insert failed because a document with the same text hash exists (another
    process added it between our check and our insert: on a server database, where the
    check does not lock)."""
    text = str(exc.orig).lower()
    return "sha256" in text and ("unique" in text or "duplicate" in text)


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def current_revision(engine: sa.Engine) -> str | None:
    """The schema revision a database is at (None for an empty one)."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    if len(rows) > 1:
        raise NewerSchema(f"several schema heads: {sorted(r[0] for r in rows)}")
    return rows[0][0] if rows else None


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision`, in place. Under the write lock: two processes
    opening a new project at once make its tables once (the second finds them made). A
    project already at the head is not locked at all (opening it never waits for a writer),
    and Alembic is imported only when a migration is due."""
    if revision == "head" and current_revision(engine) == head_revision():
        return
    from alembic import command
    from alembic.util.exc import CommandError

    cfg = alembic_config()
    try:
        with write_connection(engine) as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except CommandError as exc:
        raise NewerSchema(str(exc)) from exc


@contextmanager
def transaction(engine: sa.Engine) -> Iterator[Session]:
    """A session whose work commits together, or not at all; it holds the write lock from
    its start (see the module's note)."""
    from desktop.core.store.analysts import identity

    with Session(writer(engine), expire_on_commit=False) as session, session.begin():
        session.info["identity"] = identity(engine)  # who writes (store/analysts.py)
        yield session


def plain_rows(conn: sa.Connection, query: sa.Select) -> list[tuple]:  # type: ignore[type-arg]
    """A query's rows as plain tuples. On SQLite they come straight from the driver,
    skipping SQLAlchemy's row processing (seconds on a few hundred thousand rows): only
    for columns whose stored values are what Python wants (integers, text)."""
    if conn.dialect.name != "sqlite":
        return [tuple(row) for row in conn.execute(query).all()]
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    driver: Any = conn.connection.driver_connection
    return driver.execute(str(compiled), params).fetchall()  # type: ignore[no-any-return]


def is_disconnect(exc: BaseException) -> bool:
    """Whether a database error means the server went away (or cannot be reached): the
    edit that met it is worth keeping and trying again, unlike a refused one."""
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    module = type(orig).__module__ if orig is not None else ""
    return module.startswith("psycopg") and isinstance(exc, sa.exc.OperationalError)
