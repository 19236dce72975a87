"""audit trail indexes: customer changes and security events newest first, and the reads of one customer

Revision ID: 0027
Revises: 0025
Create Date: 2026-12-04 04:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customer_history", schema=None) as batch_op:
        batch_op.create_index("ix_customer_history_created_at", ["created_at"], unique=False)
    with op.batch_alter_table("security_events", schema=None) as batch_op:
        batch_op.create_index("ix_security_events_created_at", ["created_at"], unique=False)
    # A sensitive read names its customer in its detail: the trail of one customer looks it up by that.
    op.create_index(
        "ix_security_events_customer",
        "security_events",
        [sa.text("json_extract(detail, '$.customer_id')")],
        sqlite_where=sa.text("json_extract(detail, '$.customer_id') IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_security_events_customer", table_name="security_events")
    with op.batch_alter_table("security_events", schema=None) as batch_op:
        batch_op.drop_index("ix_security_events_created_at")
    with op.batch_alter_table("customer_history", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_history_created_at")
