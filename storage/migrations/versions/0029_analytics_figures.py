"""analytics_figures: the dashboards' precomputed figures, one JSON document per dashboard and filter

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04 04:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analytics_figures",
        sa.Column("dashboard", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("segment", sa.String(length=12), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("dashboard", "period", "branch_id", "segment", name=op.f("pk_analytics_figures")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("analytics_figures")
