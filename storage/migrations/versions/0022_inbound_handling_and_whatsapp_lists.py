"""inbound messages handled at the branch; a reply's list row or button id; an outbound list or buttons

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 21:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): a copy would drop the table's trigger (logged updates).
    op.add_column("communications", sa.Column("reply_id", sa.String(length=256), nullable=True))
    op.add_column("communications", sa.Column("interactive", sa.JSON(), nullable=True))
    op.create_index(
        "ix_communications_inbound_created",
        "communications",
        ["created_at"],
        sqlite_where=sa.text("direction = 'inbound'"),
    )
    op.create_table(
        "inbound_handled",
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("handled_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=36), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_inbound_handled")),
    )
    # What reached the store before it handled inbound messages was read by people already: it opens no
    # ticket and answers no survey now.
    op.execute(
        "INSERT INTO inbound_handled (message_id, handled_at, outcome) "
        "SELECT id, datetime('now'), 'before' FROM communications WHERE direction = 'inbound'"
    )


def downgrade() -> None:
    op.drop_table("inbound_handled")
    op.drop_index("ix_communications_inbound_created", table_name="communications")
    with op.batch_alter_table("communications") as batch:
        batch.drop_column("interactive")
        batch.drop_column("reply_id")
