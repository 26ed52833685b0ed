"""record why a document's extraction failed, and which process runs an extraction

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch_op:
        batch_op.add_column(sa.Column("extraction_error", sa.Text(), nullable=True))
    with op.batch_alter_table("extractionrun") as batch_op:
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("host", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("failed_count", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("extractionrun") as batch_op:
        batch_op.drop_column("failed_count")
        batch_op.drop_column("host")
        batch_op.drop_column("pid")
    with op.batch_alter_table("document") as batch_op:
        batch_op.drop_column("extraction_error")
