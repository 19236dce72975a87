"""waiting rows: pulled rows whose parent row has not reached this replica yet

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A pulled row whose parent is missing (a history row of a customer whose insert a restored head office
    # lost) waits here, as it came over the wire, until its parent comes; the rest of its page is applied.
    op.create_table(
        "waiting_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("parent_entity", sa.String(length=40), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waiting_rows")),
    )
    op.create_index("ix_waiting_rows_parent", "waiting_rows", ["parent_entity", "parent_id"])


def downgrade() -> None:
    op.drop_index("ix_waiting_rows_parent", table_name="waiting_rows")
    op.drop_table("waiting_rows")
