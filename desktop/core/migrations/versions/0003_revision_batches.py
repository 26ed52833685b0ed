"""group revisions of one user action into a batch (undo and redo act on batches)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("revision") as batch_op:
        batch_op.add_column(sa.Column("batch", sa.Integer(), nullable=True))
        batch_op.create_index("ix_revision_batch", ["batch"], unique=False)
    # Every earlier revision is a batch of its own.
    op.execute("UPDATE revision SET batch = id")


def downgrade() -> None:
    with op.batch_alter_table("revision") as batch_op:
        batch_op.drop_index("ix_revision_batch")
        batch_op.drop_column("batch")
