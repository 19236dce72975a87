"""register updates carry their change-log row

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 08:10:00.000000
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

REGISTER_TABLES = (
    "campaigns",
    "communications",
    "customer_analytics",
    "customer_preferences",
    "customers",
    "follow_ups",
    "gift_cards",
    "loyalty_accounts",
    "message_templates",
    "personal_shopper_assignments",
    "personal_shoppers",
    "restock_interests",
    "reward_claims",
    "rewards",
    "support_tickets",
)


def upgrade() -> None:
    # The change log must be complete by construction, also for code that bypasses the ORM. A register update
    # stamps each field it changes (field_hlc), so the database can tell a logged update from a bare one: the
    # UPDATE must bring at least one stamp the row did not hold, and each such stamp must be either this
    # store's own with its change-log row for this row already written (storage.changelog writes the rows
    # before the flush's statements), or another replica's ("<hlc>|<branch>"), which only a pulled change or
    # head office's corrected stamps bring, logged where they were made. A plain "UPDATE customers SET ..."
    # brings no new stamp and is refused. The check adds some 40 µs to a register UPDATE (a unit of work
    # takes milliseconds); only update rows are looked up, so only they pay for the index.
    op.execute("CREATE INDEX ix_change_log_update_hlc ON change_log (hlc) WHERE op = 'update'")
    for table in REGISTER_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_logged_update BEFORE UPDATE ON {table} "
            "WHEN coalesce(("
            "SELECT min(instr(s.value, '|') > 0 OR EXISTS ("
            "SELECT 1 FROM change_log AS c WHERE c.op = 'update' AND c.hlc = s.value "
            f"AND c.entity = '{table}' AND c.row_id = NEW.id)) "
            "FROM json_each(NEW.field_hlc) AS s "
            "WHERE instr(OLD.field_hlc, '\"' || s.value || '\"') = 0"
            "), 0) = 0 "
            f"BEGIN SELECT RAISE(ABORT, '{table} is updated only with its change-log row'); END"
        )


def downgrade() -> None:
    for table in REGISTER_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_logged_update")
    op.execute("DROP INDEX IF EXISTS ix_change_log_update_hlc")
