"""consent ledger: every grant, withdrawal and invalid address per channel and purpose, with its evidence

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 11:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consent_changes",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=True),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("address", sa.String(length=120), nullable=True),
        sa.Column("staff_id", sa.String(length=36), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_consent_changes_branch_id_branches"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_consent_changes_customer_id_customers"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_changes")),
    )
    with op.batch_alter_table("consent_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_changes_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index("ix_consent_changes_customer", ["customer_id", "occurred_at"], unique=False)
    # The proof of consent is append-only, also for code that bypasses the ORM.
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER consent_changes_no_{verb.lower()} BEFORE {verb} ON consent_changes "
            "BEGIN SELECT RAISE(ABORT, 'consent_changes is append-only'); END"
        )


def downgrade() -> None:
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"DROP TRIGGER IF EXISTS consent_changes_no_{verb.lower()}")
    with op.batch_alter_table("consent_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_consent_changes_customer")
        batch_op.drop_index(batch_op.f("ix_consent_changes_branch_id"))
    op.drop_table("consent_changes")
