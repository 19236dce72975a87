"""customers: the time zone an export customer abroad is greeted in

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-03 17:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): a copy would drop the table's triggers (logged updates) and the
    # search index's. NULL is Asia/Dubai: every customer so far.
    op.add_column("customers", sa.Column("time_zone", sa.String(length=40), nullable=True))
    op.create_index("ix_customers_time_zone", "customers", ["time_zone"], sqlite_where=sa.text("time_zone IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_customers_time_zone", table_name="customers")
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("time_zone")
