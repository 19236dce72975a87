"""outbox dispatch: message status fields, their history ledger, the dispatcher's leases

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

NEW_COLUMNS = (
    ("provider", sa.String(length=20)),
    ("cost_fils", sa.Integer()),
    ("next_attempt_at", sa.DateTime()),
    ("sent_at", sa.DateTime()),
    ("delivered_at", sa.DateTime()),
    ("read_at", sa.DateTime()),
    ("failed_at", sa.DateTime()),
)


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): a copy would drop the table's triggers (append-only, logged updates).
    op.execute("ALTER TABLE communications RENAME COLUMN error TO last_error")
    for name, kind in NEW_COLUMNS:
        op.add_column("communications", sa.Column(name, kind, nullable=True))
    op.create_index("ix_communications_provider_message_id", "communications", ["provider_message_id"])
    op.create_index(
        "ix_communications_pending",
        "communications",
        ["status"],
        sqlite_where=sa.text("status IN ('queued', 'failed')"),
    )
    op.create_table(
        "communication_events",
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=True),
        sa.Column("provider_code", sa.String(length=40), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_communication_events_branch_id_branches"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["communications.id"],
            name=op.f("fk_communication_events_message_id_communications"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communication_events")),
    )
    op.create_index("ix_communication_events_branch_id", "communication_events", ["branch_id"])
    op.create_index("ix_communication_events_message", "communication_events", ["message_id", "at"])
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER communication_events_no_{verb.lower()} BEFORE {verb} ON communication_events "
            "BEGIN SELECT RAISE(ABORT, 'communication_events is append-only'); END"
        )
    op.create_table(
        "outbox_leases",
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("owner", sa.String(length=60), nullable=False),
        sa.Column("lease_until", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_outbox_leases")),
    )


def downgrade() -> None:
    op.drop_table("outbox_leases")
    op.drop_table("communication_events")
    op.drop_index("ix_communications_pending", "communications")
    op.drop_index("ix_communications_provider_message_id", "communications")
    for name, _kind in reversed(NEW_COLUMNS):
        op.drop_column("communications", name)
    op.execute("ALTER TABLE communications RENAME COLUMN last_error TO error")
