"""support_tickets: source and links, the SLA deadline and the escalation; ticket_responses: the reply's message

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-03 18:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): a copy would drop the tables' triggers (logged updates).
    op.add_column("support_tickets", sa.Column("source", sa.String(length=12), nullable=False, server_default="till"))
    for name in ("source_id", "order_id", "feedback_id", "escalated_to"):
        op.add_column("support_tickets", sa.Column(name, sa.String(length=36), nullable=True))
    op.add_column("support_tickets", sa.Column("due_at", sa.DateTime(), nullable=True))
    op.add_column("support_tickets", sa.Column("escalated_at", sa.DateTime(), nullable=True))
    # The queue of working tickets by deadline: overdue look-ups and the SLA colours.
    op.create_index(
        "ix_support_tickets_due_at",
        "support_tickets",
        ["due_at"],
        sqlite_where=sa.text("status IN ('open', 'in_progress', 'waiting') AND deleted = 0"),
    )
    op.add_column("ticket_responses", sa.Column("communication_id", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket_responses") as batch:
        batch.drop_column("communication_id")
    op.drop_index("ix_support_tickets_due_at", table_name="support_tickets")
    with op.batch_alter_table("support_tickets") as batch:
        for name in ("escalated_at", "due_at", "escalated_to", "feedback_id", "order_id", "source_id", "source"):
            batch.drop_column(name)
