"""indexes for the VIP queue and returns

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 18:02:39.875181
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The VIP queue filters customers by segment; a return looks up the sale it returns. Both scanned the
    # table on a large store.
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customers_segment"), ["segment"], unique=False)

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_original_order_id"), ["original_order_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_original_order_id"))

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_segment"))
