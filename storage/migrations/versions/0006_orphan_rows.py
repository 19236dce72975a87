"""orphan rows: register updates a replica received before their row

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 08:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An update can overtake its row's insert (head office restored from a backup, a snapshot taken between
    # the two): its fields wait here, with their stamps, until the insert comes and they merge into it.
    op.create_table(
        "orphan_rows",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("field_hlc", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "row_id", name=op.f("pk_orphan_rows")),
    )


def downgrade() -> None:
    op.drop_table("orphan_rows")
