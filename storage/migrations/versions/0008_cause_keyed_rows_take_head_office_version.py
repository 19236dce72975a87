"""cause-keyed ledger rows: a replica takes head office's version of an effect it also wrote

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 09:40:00.000000
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# core.kernel.replication.CAUSE_KEYED: (table, kind) of the effects keyed by their cause.
KEYED = (("gift_card_transactions", "expire"), ("loyalty_transactions", "bonus"))


def upgrade() -> None:
    # Two branches that acted on one cause while apart each wrote the row under the same id, with their own
    # who and when; head office keeps the first it received. A replica that pulls that one replaces its own
    # version (storage.replica), so every replica holds the same row: only such a row may be deleted, and only
    # to be written again at once. Every other ledger row stays append-only.
    for table, kind in KEYED:
        op.execute(f"DROP TRIGGER {table}_no_delete")
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN old.kind != '{kind}' "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def downgrade() -> None:
    for table, _kind in KEYED:
        op.execute(f"DROP TRIGGER {table}_no_delete")
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )
