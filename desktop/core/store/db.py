"""Engine set-up for a project: SQLite pragmas, schema migrations, transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import Session

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def database_url(project: str | Path) -> str:
    """A SQLAlchemy URL for a project file path, or the URL itself."""
    text = str(project)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_engine(project: str | Path) -> sa.Engine:
    """An engine for a project; SQLite files get WAL mode and foreign keys."""
    url = database_url(project)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The newest schema revision this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: sa.Engine) -> str | None:
    """The schema revision a database is at (None for an empty one)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision`, in place."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


@contextmanager
def transaction(engine: sa.Engine) -> Iterator[Session]:
    """A session whose work commits together, or not at all."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
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
