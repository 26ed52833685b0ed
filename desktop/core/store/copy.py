"""`factdesk copy`: a whole project from one database to another (an SQLite file or a
PostgreSQL URL, either way round).

Every table of the schema is copied row for row with its ids (documents, mentions, entities
and aliases, facts and their arguments, tags and links, notes, settings, the revision log
behind undo and history, extraction runs, learned names, models' records ...), and the
search index `document_fts` with them. The tables are read from the databases themselves
(SQLAlchemy's reflection), so a table a later migration adds is copied without a change
here. JSON columns go across as their stored text (a JSON null and an SQL NULL stay apart).

The target must be empty: a new file, an empty database, or a project with no rows yet
(`factdesk migrate` made its tables). The whole copy, the target's migration to the head
included, is one transaction on the target: a failure leaves it as it was (a file the copy
created is removed). On PostgreSQL the id sequences are set past the copied ids."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from desktop.core.store import db

BATCH = 2000  # rows a chunk, read and written
SEARCH_TABLE = "document_fts"
Progress = Callable[[str, int, int], None]  # table, rows copied so far, rows in the table


class CopyError(Exception):
    """A copy that cannot start or did not finish (the target is left as it was)."""


def shown(location: str) -> str:
    """A location as messages show it: a URL without its password."""
    if "://" not in location:
        return location
    try:
        return sa.engine.make_url(location).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return location


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return " ".join(str(orig).split())[:300]


def _project_tables(conn: sa.Connection) -> list[sa.Table]:
    """The project's tables in an order that inserts parents before children, without the
    migration marker and the search index (and SQLite's FTS5 shadow tables)."""
    meta = sa.MetaData()
    names = [
        name
        for name in sa.inspect(conn).get_table_names()
        if name != "alembic_version" and not name.startswith(SEARCH_TABLE)
    ]
    meta.reflect(conn, only=names)
    return list(meta.sorted_tables)


def _count(conn: sa.Connection, table: str) -> int:
    return int(conn.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar() or 0)


def _rows_in(conn: sa.Connection) -> dict[str, int]:
    """Tables holding rows (the search index counted too)."""
    names = sa.inspect(conn).get_table_names()
    tables = [n for n in names if n != "alembic_version" and not n.startswith(SEARCH_TABLE)]
    if SEARCH_TABLE in names:
        tables.append(SEARCH_TABLE)
    counts = {name: _count(conn, name) for name in tables}
    return {name: n for name, n in counts.items() if n}


def _reader(conn: sa.Connection, table: sa.Table) -> sa.Select:  # type: ignore[type-arg]
    columns = [
        sa.cast(c, sa.Text).label(c.name) if isinstance(c.type, sa.JSON) else c
        for c in table.columns
    ]
    order = list(table.primary_key.columns) or list(table.columns)
    return sa.select(*columns).order_by(*order)


def _writer(conn: sa.Connection, table: sa.Table) -> sa.Insert:
    values = {}
    for c in table.columns:
        if isinstance(c.type, sa.JSON):
            text = sa.bindparam(c.name, type_=sa.Text)
            values[c.name] = sa.cast(text, c.type) if conn.dialect.name == "postgresql" else text
        else:
            values[c.name] = sa.bindparam(c.name, type_=c.type)
    return table.insert().values(values)


def _times(table: sa.Table) -> dict[str, bool]:
    """A table's date-time columns, and whether each keeps a time zone (PostgreSQL's
    timestamptz) or the UTC time alone (SQLite)."""
    return {
        c.name: bool(getattr(c.type, "timezone", False))
        for c in table.columns
        if isinstance(c.type, sa.DateTime)
    }


def _in_utc(rows: list[dict], times: dict[str, bool]) -> None:  # type: ignore[type-arg]
    """Date-times as the target keeps them: the same instant in UTC, with its zone or
    without (a value without one is UTC already: the store writes only UTC)."""
    for row in rows:
        for name, zoned in times.items():
            value = row.get(name)
            if not isinstance(value, datetime):
                continue
            utc = value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)
            row[name] = utc if zoned else utc.replace(tzinfo=None)


def _chunks(conn: sa.Connection, query: sa.Select | sa.TextClause) -> Iterator[list[dict]]:  # type: ignore[type-arg]
    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(query)
    while True:
        rows = result.mappings().fetchmany(BATCH)
        if not rows:
            return
        yield [dict(r) for r in rows]


def _reset_sequences(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """Each id sequence of a PostgreSQL project continues after the largest copied id."""
    for table in tables:
        for column in table.columns:
            sequence = conn.execute(
                sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": f'"{table.name}"', "c": column.name},
            ).scalar()
            if sequence is None:
                continue
            conn.execute(
                sa.text(
                    f'SELECT setval(:s, coalesce(max("{column.name}"), 1), '
                    f'max("{column.name}") IS NOT NULL) FROM "{table.name}"'
                ),
                {"s": sequence},
            )


def _source(location: str) -> sa.Engine:
    from desktop.core.store.project import ProjectError, Store

    try:
        store = Store.open(location, create=False)
    except ProjectError as exc:
        raise CopyError(f"source {exc}") from exc
    except sa.exc.DBAPIError as exc:
        raise CopyError(f"source {shown(location)}: cannot open ({_reason(exc)})") from exc
    return store.engine


def _target_path(location: str) -> Path | None:
    """The file of an SQLite target (checked), or None for a server URL."""
    if "://" in location:
        return None
    path = Path(location).expanduser()
    if path.is_dir():
        raise CopyError(f"target {path}: is a folder, not a project file")
    if path.exists() and path.stat().st_size:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise CopyError(f"target {path}: not a Factdesk project (left unchanged)")
    if not path.parent.is_dir():
        raise CopyError(f"target {path}: no such folder {path.parent}")
    return path


@contextmanager
def _created(path: Path | None) -> Iterator[None]:
    """Remove a target file this copy created, should the copy fail."""
    new = path is not None and not path.exists()
    try:
        yield
    except BaseException:
        if new and path is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with suppress(FileNotFoundError):
                    os.remove(f"{path}{suffix}")
        raise


def copy_project(source: str, target: str, progress: Progress | None = None) -> dict[str, int]:
    """Copy the project at `source` into the empty `target`; rows copied by table."""
    if _same(source, target):
        raise CopyError(f"{shown(source)}: the source and the target are the same project")
    path = _target_path(target)
    src = _source(source)
    try:
        with src.connect() as read:
            tables = _project_tables(read)
            has_search = SEARCH_TABLE in sa.inspect(read).get_table_names()
            totals = {t.name: _count(read, t.name) for t in tables}
        with _created(path):
            dst = db.create_engine(target)
            try:
                return _write(src, dst, target, tables, totals, has_search, progress)
            finally:
                dst.dispose()
    finally:
        src.dispose()


def _same(source: str, target: str) -> bool:
    if "://" in source or "://" in target:
        return shown(source) == shown(target)
    a, b = Path(source).expanduser(), Path(target).expanduser()
    return a.resolve() == b.resolve()


def _write(
    src: sa.Engine,
    dst: sa.Engine,
    target: str,
    source_tables: list[sa.Table],
    totals: dict[str, int],
    has_search: bool,
    progress: Progress | None,
) -> dict[str, int]:
    copied: dict[str, int] = {}
    try:
        dst.connect().close()
    except sa.exc.DBAPIError as exc:
        raise CopyError(f"target {shown(target)}: cannot connect ({_reason(exc)})") from exc
    try:
        with db.write_connection(dst) as write, src.connect() as read:
            _prepare_target(write, target)
            tables = {t.name: t for t in _project_tables(write)}
            for table in source_tables:
                into = tables.get(table.name)
                absent = {c.name for c in table.columns} - (
                    {c.name for c in into.columns} if into is not None else set()
                )
                if into is None or absent:
                    what = f"column {', '.join(sorted(absent))} in " if into is not None else ""
                    raise CopyError(
                        f"target {shown(target)}: has no {what}table {table.name} "
                        "(a newer Factdesk made the source)"
                    )
                insert, done = _writer(write, into), 0
                if progress is not None:
                    progress(table.name, 0, totals[table.name])
                times = _times(into)
                for rows in _chunks(read, _reader(read, table)):
                    if times:
                        _in_utc(rows, times)
                    write.execute(insert, rows)
                    done += len(rows)
                    if progress is not None:
                        progress(table.name, done, totals[table.name])
                copied[table.name] = done
            copied[SEARCH_TABLE] = _copy_search(read, write, has_search, progress)
            if write.dialect.name == "postgresql":
                _reset_sequences(write, list(tables.values()))
    except sa.exc.DBAPIError as exc:
        raise CopyError(
            f"target {shown(target)}: copy failed, nothing written ({_reason(exc)})"
        ) from exc
    return copied


def _prepare_target(write: sa.Connection, target: str) -> None:
    """Bring an empty target's schema to the head in the copy's transaction; refuse one
    holding rows or made by a newer Factdesk."""
    from alembic import command
    from alembic.util.exc import CommandError

    names = sa.inspect(write).get_table_names()
    if names and "alembic_version" not in names:
        raise CopyError(
            f"target {shown(target)}: holds tables of another application, not a Factdesk "
            "project (left unchanged)"
        )
    held = _rows_in(write) if names else {}
    if held:
        listed = ", ".join(f"{n} {name}" for name, n in sorted(held.items())[:4])
        raise CopyError(
            f"target {shown(target)}: not empty ({listed}{' ...' if len(held) > 4 else ''}); "
            "copy into a new file or an empty database"
        )
    cfg = db.alembic_config()
    cfg.attributes["connection"] = write
    try:
        command.upgrade(cfg, "head")
    except CommandError as exc:
        raise CopyError(f"target {shown(target)}: made by a newer Factdesk ({exc})") from exc


def _copy_search(
    read: sa.Connection, write: sa.Connection, has_search: bool, progress: Progress | None
) -> int:
    """The search index's rows as they are (folded titles and texts by document id); a
    source without one (a back end that has none) gets it built from the documents."""
    if SEARCH_TABLE not in sa.inspect(write).get_table_names():
        return 0
    if has_search:
        query = sa.text(f"SELECT rowid AS id, title, body FROM {SEARCH_TABLE} ORDER BY rowid")
        rows_of = _chunks(read, query)
    else:
        rows_of = _folded(read)
    insert = sa.text(f"INSERT INTO {SEARCH_TABLE}(rowid, title, body) VALUES (:id, :title, :body)")
    done = 0
    for rows in rows_of:
        write.execute(insert, rows)
        done += len(rows)
        if progress is not None:
            progress(SEARCH_TABLE, done, done)
    return done


def _folded(read: sa.Connection) -> Iterator[list[dict]]:  # type: ignore[type-arg]
    from desktop.core.folding import fold

    query = sa.text("SELECT id, coalesce(title, '') AS title, text FROM document ORDER BY id")
    for rows in _chunks(read, query):
        yield [{"id": r["id"], "title": fold(r["title"]), "body": fold(r["text"])} for r in rows]
