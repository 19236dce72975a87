"""campaigns: the definition, variants and schedule of a campaign; each execution keyed by its occurrence

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 16:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): a copy would drop the tables' triggers (logged updates, append-only).
    # The campaign as a manager wrote it (core.campaigns.model): message per language, offer, control share,
    # occasion; its A/B variants; when it runs; and the last occurrence the executor finished.
    op.add_column("campaigns", sa.Column("definition", sa.JSON(), nullable=True))
    op.add_column("campaigns", sa.Column("variants", sa.JSON(), nullable=True))
    op.add_column("campaigns", sa.Column("schedule", sa.JSON(), nullable=True))
    op.add_column("campaigns", sa.Column("last_occurrence", sa.String(length=20), nullable=True))
    op.add_column("campaign_executions", sa.Column("occurrence", sa.String(length=20), nullable=True))
    op.add_column("campaign_executions", sa.Column("variant", sa.String(length=12), nullable=True))
    # One recipient per occurrence, whoever executes: a restart, a retry or a second executor that reaches a
    # customer already in the ledger fails here instead of sending twice. Rows from before this migration
    # have no occurrence (NULL), which a unique index does not compare.
    op.create_index(
        "uq_campaign_executions_occurrence",
        "campaign_executions",
        ["campaign_id", "customer_id", "occurrence"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_campaign_executions_occurrence", table_name="campaign_executions")
    with op.batch_alter_table("campaign_executions") as batch:
        batch.drop_column("variant")
        batch.drop_column("occurrence")
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("last_occurrence")
        batch.drop_column("schedule")
        batch.drop_column("variants")
        batch.drop_column("definition")
