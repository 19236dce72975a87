"""support_tickets: when it began waiting for the customer (the SLA pause) and when its satisfaction survey went

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 21:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): a copy would drop the table's triggers (logged updates).
    op.add_column("support_tickets", sa.Column("waiting_since", sa.DateTime(), nullable=True))
    op.add_column("support_tickets", sa.Column("survey_sent_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("support_tickets") as batch:
        batch.drop_column("survey_sent_at")
        batch.drop_column("waiting_since")
