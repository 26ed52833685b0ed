"""full-text search over folded document text (SQLite FTS5)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

The index holds titles and texts folded by desktop.core.folding (case,
diacritics and letters such as Đ that FTS5's unicode61 does not fold); its
rowid is the document id. PostgreSQL projects search without this table.
"""

import sqlalchemy as sa
from alembic import op

from desktop.core.folding import fold

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE document_fts USING fts5("
        "title, body, tokenize='unicode61 remove_diacritics 2')"
    )
    rows = bind.execute(sa.text("SELECT id, coalesce(title, ''), text FROM document")).all()
    if rows:
        bind.execute(
            sa.text("INSERT INTO document_fts(rowid, title, body) VALUES (:id, :title, :body)"),
            [{"id": r[0], "title": fold(r[1]), "body": fold(r[2])} for r in rows],
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE document_fts")
