"""outbox: fewer index pages per queued message (provider id only when there is one, no index by branch)

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-03 18:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A message is looked up by its provider's id only with an id in hand (a status webhook, = :ref), which
    # implies NOT NULL, so SQLite still uses a partial index. The full index took every queued message's NULL:
    # one more B-tree page in the WAL of every sale that queues a receipt.
    op.drop_index("ix_communications_provider_message_id", table_name="communications")
    op.create_index(
        "ix_communications_provider_message_id",
        "communications",
        ["provider_message_id"],
        sqlite_where=sa.text("provider_message_id IS NOT NULL"),
    )
    # Nothing looks messages up by branch (a branch's own are nearly all of them): the index only cost every
    # receipt another page.
    op.drop_index("ix_communications_branch_id", table_name="communications")


def downgrade() -> None:
    op.create_index("ix_communications_branch_id", "communications", ["branch_id"])
    op.drop_index("ix_communications_provider_message_id", table_name="communications")
    op.create_index("ix_communications_provider_message_id", "communications", ["provider_message_id"])
