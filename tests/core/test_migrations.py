"""Schema migrations: an older project upgrades in place; models and migrations agree."""

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from desktop.core.store import Store, db


def test_project_made_by_the_first_migration_upgrades_in_place(tmp_path):
    path = tmp_path / "old.factdesk"
    engine = db.create_engine(path)
    db.upgrade(engine, "0001")
    engine.dispose()
    raw = sqlite3.connect(path)
    raw.execute(
        "INSERT INTO document (sha256, source, language, text, created_at) "
        "VALUES ('abc', 'old', 'en', 'Hội nghị ở Đà Nẵng về hợp tác', '2025-01-01 00:00:00')"
    )
    raw.commit()
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    raw.close()
    assert "document_fts" not in tables

    with Store.open(path) as store:
        assert store.schema_revision() == db.head_revision()
        (hit,) = store.search("da nang")
        assert hit.source == "old"
        assert store.documents.count() == 1


def test_migrations_produce_exactly_the_models(tmp_path):
    with Store.open(tmp_path / "p.factdesk") as store, store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = [
            d
            for d in compare_metadata(context, SQLModel.metadata)
            if not (d[0] == "remove_table" and d[1].name.startswith("document_fts"))
        ]
    assert diffs == []


def test_reopening_a_current_project_keeps_its_data(tmp_path):
    from desktop.core.records import NewDocument

    path = tmp_path / "p.factdesk"
    with Store.open(path) as store:
        store.documents.add(NewDocument(source="a", text="First text."))
    with Store.open(path) as store:
        assert store.documents.count() == 1
        assert store.schema_revision() == db.head_revision()


def test_project_from_a_newer_version_is_refused_untouched(tmp_path):
    import pytest

    from desktop.core.store import ProjectError

    path = tmp_path / "future.factdesk"
    Store.open(path).close()
    raw = sqlite3.connect(path)
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="newer Factdesk"):
        Store.open(path)
    assert path.read_bytes() == before
