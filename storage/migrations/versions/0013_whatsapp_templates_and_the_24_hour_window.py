"""whatsapp templates on the wire: a message's parameter values, a template's name at Meta, last inbound index

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): a copy would drop the tables' triggers (logged updates).
    op.add_column("communications", sa.Column("params", sa.JSON(), nullable=True))
    op.add_column("message_templates", sa.Column("whatsapp_name", sa.String(length=512), nullable=True))
    op.create_index(
        "ix_communications_inbound",
        "communications",
        ["customer_id", "channel", "created_at"],
        sqlite_where=sa.text("direction = 'inbound'"),
    )


def downgrade() -> None:
    op.drop_index("ix_communications_inbound", "communications")
    op.drop_column("message_templates", "whatsapp_name")
    op.drop_column("communications", "params")
