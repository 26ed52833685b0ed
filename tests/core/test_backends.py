"""A project on either back end (issue 17): an SQLite file or a PostgreSQL database on the
test session's throwaway server (tests/pg_server.py)."""

from __future__ import annotations

import sqlalchemy as sa

from desktop.core.store import Store, db


def test_each_test_gets_its_own_empty_database(pg_server) -> None:
    first, second = pg_server.create_database(), pg_server.create_database()
    assert first != second
    engine = db.create_engine(first)
    try:
        with engine.connect() as conn:
            assert conn.dialect.name == "postgresql"
            assert sa.inspect(conn).get_table_names() == []
    finally:
        engine.dispose()


def test_a_new_project_is_migrated_to_the_head(project_url: str, backend: str) -> None:
    with Store.open(project_url) as store:
        assert store.engine.dialect.name == backend
        assert store.schema_revision() == db.head_revision()
        tables = set(sa.inspect(store.engine).get_table_names())
    assert {"document", "mention", "entity", "revision", "alembic_version"} <= tables
