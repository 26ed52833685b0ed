"""named analysts: who made each decision, and which client wrote each revision

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08

Every revision already names its actor; a team's analysts are now named there (not the
one word "analyst"), and each revision also says which client wrote it (one Store
object: a window or a command), so a write can be refused when another client changed
the same row since this one last read it (the version check, store/analysts.py). The
index on (target, target_id) serves that check and undo's "did someone change this row
later". The rows that hold decisions (mentions, facts, their arguments, entity
decisions) keep who decided them last in `decided_by`.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

DECIDED = ("mention", "fact", "factargument", "entitydecision")


def upgrade() -> None:
    with op.batch_alter_table("revision") as batch_op:
        batch_op.add_column(sa.Column("client", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index("ix_revision_target", ["target", "target_id"], unique=False)
    for table in DECIDED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
            )


def downgrade() -> None:
    for table in DECIDED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("decided_by")
    with op.batch_alter_table("revision") as batch_op:
        batch_op.drop_index("ix_revision_target")
        batch_op.drop_column("client")
