"""the search index on PostgreSQL: folded titles and texts with trigram indexes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

SQLite projects have had their FTS5 table `document_fts` since 0002; a PostgreSQL project
gets a plain table of the same name and columns (rowid = the document id, title and body
folded by desktop.core.folding, so case, diacritics and Đ/đ fold the same on both back
ends), whose GIN trigram indexes (pg_trgm) serve the word-start regular expressions of
desktop.core.store.search_pg. Nothing changes on SQLite.
"""

import sqlalchemy as sa
from alembic import op

from desktop.core.folding import fold

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE TABLE document_fts ("
        "rowid integer PRIMARY KEY, title text NOT NULL DEFAULT '', body text NOT NULL)"
    )
    op.execute("CREATE INDEX ix_document_fts_title ON document_fts USING gin (title gin_trgm_ops)")
    op.execute("CREATE INDEX ix_document_fts_body ON document_fts USING gin (body gin_trgm_ops)")
    rows = bind.execute(sa.text("SELECT id, coalesce(title, ''), text FROM document")).all()
    if rows:
        bind.execute(
            sa.text("INSERT INTO document_fts(rowid, title, body) VALUES (:id, :title, :body)"),
            [{"id": r[0], "title": fold(r[1]), "body": fold(r[2])} for r in rows],
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE document_fts")
