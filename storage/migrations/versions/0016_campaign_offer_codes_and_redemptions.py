"""campaign offers: each recipient's code and its last day; the redemptions taken at the till

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 17:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): a copy would drop the ledger's append-only triggers.
    op.add_column("campaign_executions", sa.Column("offer_code", sa.String(length=9), nullable=True))
    op.add_column("campaign_executions", sa.Column("offer_expires_on", sa.Date(), nullable=True))
    # The till looks a code up among the recipients that have one.
    op.create_index(
        "ix_campaign_executions_offer_code",
        "campaign_executions",
        ["offer_code"],
        sqlite_where=sa.text("offer_code IS NOT NULL"),
    )
    op.create_table(
        "offer_redemptions",
        sa.Column("execution_id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=36), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=9), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("discount_fils", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        *(
            sa.ForeignKeyConstraint(
                [column],
                [f"{table}.id"],
                name=op.f(f"fk_offer_redemptions_{column}_{table}"),
                initially="DEFERRED",
                deferrable=True,
            )
            for column, table in (
                ("branch_id", "branches"),
                ("execution_id", "campaign_executions"),
                ("campaign_id", "campaigns"),
                ("customer_id", "customers"),
                ("order_id", "orders"),
            )
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer_redemptions")),
    )
    for column in ("branch_id", "execution_id", "campaign_id", "order_id"):
        op.create_index(op.f(f"ix_offer_redemptions_{column}"), "offer_redemptions", [column], unique=False)
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER offer_redemptions_no_{verb.lower()} BEFORE {verb} ON offer_redemptions "
            "BEGIN SELECT RAISE(ABORT, 'offer_redemptions is append-only'); END"
        )


def downgrade() -> None:
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"DROP TRIGGER IF EXISTS offer_redemptions_no_{verb.lower()}")
    op.drop_table("offer_redemptions")
    op.drop_index("ix_campaign_executions_offer_code", table_name="campaign_executions")
    with op.batch_alter_table("campaign_executions") as batch:
        batch.drop_column("offer_expires_on")
        batch.drop_column("offer_code")
