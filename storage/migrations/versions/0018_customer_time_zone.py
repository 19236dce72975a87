"""customers: the time zone an export customer abroad is greeted in; a wait-list entry's back-in-stock run

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-03 17:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): a copy would drop the tables' triggers (logged updates) and the
    # search index's. NULL is Asia/Dubai: every customer so far.
    op.add_column("customers", sa.Column("time_zone", sa.String(length=40), nullable=True))
    op.create_index("ix_customers_time_zone", "customers", ["time_zone"], sqlite_where=sa.text("time_zone IS NOT NULL"))
    # The occurrence of a product's return that is to tell a waiting customer (a restock campaign's run).
    op.add_column("restock_interests", sa.Column("back_in_stock", sa.String(length=20), nullable=True))
    op.create_index(
        "ix_restock_interests_back_in_stock",
        "restock_interests",
        ["back_in_stock"],
        sqlite_where=sa.text("back_in_stock IS NOT NULL AND status = 'waiting'"),
    )


def downgrade() -> None:
    op.drop_index("ix_restock_interests_back_in_stock", table_name="restock_interests")
    with op.batch_alter_table("restock_interests") as batch:
        batch.drop_column("back_in_stock")
    op.drop_index("ix_customers_time_zone", table_name="customers")
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("time_zone")
