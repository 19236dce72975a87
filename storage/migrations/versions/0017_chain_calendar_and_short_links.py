"""a chain's announced dates as a register; each campaign recipient's short-link token

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 17:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An occasion's announced date, replicated: one row per (occasion, year, holiday_only), last writer wins.
    # The store's former ``calendar_overrides`` setting is moved into it when its services are next built
    # (storage.bootstrap.adopt_calendar_setting), through a unit of work, so each row has its change-log row.
    op.create_table(
        "calendar_overrides",
        sa.Column("occasion", sa.String(length=24), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("holiday_only", sa.Boolean(), nullable=False),
        sa.Column("announced", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("field_hlc", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_calendar_overrides_branch_id_branches"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_overrides")),
    )
    op.create_index(op.f("ix_calendar_overrides_branch_id"), "calendar_overrides", ["branch_id"], unique=False)
    # As every register (0005): an UPDATE must bring a stamp logged in the change log, or another replica's.
    op.execute(
        "CREATE TRIGGER calendar_overrides_logged_update BEFORE UPDATE ON calendar_overrides "
        "WHEN coalesce(("
        "SELECT min(instr(s.value, '|') > 0 OR EXISTS ("
        "SELECT 1 FROM change_log AS c WHERE c.op = 'update' AND c.hlc = s.value "
        "AND c.entity = 'calendar_overrides' AND c.row_id = NEW.id)) "
        "FROM json_each(NEW.field_hlc) AS s "
        "WHERE instr(OLD.field_hlc, '\"' || s.value || '\"') = 0"
        "), 0) = 0 "
        "BEGIN SELECT RAISE(ABORT, 'calendar_overrides is updated only with its change-log row'); END"
    )
    # Plain ALTER TABLE (no batch copy): a copy would drop the ledger's append-only triggers.
    op.add_column("campaign_executions", sa.Column("link_token", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("campaign_executions") as batch:
        batch.drop_column("link_token")
    op.execute("DROP TRIGGER IF EXISTS calendar_overrides_logged_update")
    op.drop_index(op.f("ix_calendar_overrides_branch_id"), table_name="calendar_overrides")
    op.drop_table("calendar_overrides")
