"""erasure requests, the customer's erasure tombstone, and the scrub that may overwrite logged rows

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 03:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

# While an erasure scrub holds a row in erasure_scrubbing (only inside its own transaction, storage.erasure),
# the triggers that keep ledgers and the change log append-only and register updates logged let rows change:
# the scrub overwrites what identifies an erased customer in rows already written and pushed. At every other
# moment the table is empty and the triggers refuse as before.
SCRUBBING = "NOT EXISTS (SELECT 1 FROM erasure_scrubbing)"


def _guarded(sql: str) -> str:
    head, body = sql.split(" BEGIN ", 1)
    if " WHEN " in head:
        start, condition = head.split(" WHEN ", 1)
        return f"{start} WHEN {SCRUBBING} AND ({condition}) BEGIN {body}"
    return f"{head} WHEN {SCRUBBING} BEGIN {body}"


def _unguarded(sql: str) -> str:
    if f" WHEN {SCRUBBING} AND (" in sql:
        head, body = sql.split(" BEGIN ", 1)
        start, condition = head.split(f" WHEN {SCRUBBING} AND (", 1)
        return f"{start} WHEN {condition[:-1]} BEGIN {body}"
    return sql.replace(f" WHEN {SCRUBBING} BEGIN ", " BEGIN ", 1)


def _update_triggers() -> list[tuple[str, str]]:
    found = op.get_bind().exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND (name LIKE '%\\_no\\_update' ESCAPE '\\' OR name LIKE '%\\_logged\\_update' ESCAPE '\\')"
    )
    return [(str(name), str(sql)) for name, sql in found]


def upgrade() -> None:
    op.create_table(
        "erasure_scrubbing",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_erasure_scrubbing")),
    )
    op.add_column("customers", sa.Column("erased_at", sa.DateTime(), nullable=True))
    op.create_index("ix_customers_erased_at", "customers", ["erased_at"], sqlite_where=sa.text("erased_at IS NOT NULL"))
    op.create_table(
        "erasure_requests",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=36), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("field_hlc", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_erasure_requests_branch_id_branches"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_erasure_requests_customer_id_customers"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_requests")),
    )
    op.create_index(op.f("ix_erasure_requests_branch_id"), "erasure_requests", ["branch_id"], unique=False)
    op.create_index(op.f("ix_erasure_requests_customer_id"), "erasure_requests", ["customer_id"], unique=False)
    # As every register (0005): an UPDATE must bring a stamp logged in the change log, or another replica's.
    op.execute(
        "CREATE TRIGGER erasure_requests_logged_update BEFORE UPDATE ON erasure_requests "
        "WHEN coalesce(("
        "SELECT min(instr(s.value, '|') > 0 OR EXISTS ("
        "SELECT 1 FROM change_log AS c WHERE c.op = 'update' AND c.hlc = s.value "
        "AND c.entity = 'erasure_requests' AND c.row_id = NEW.id)) "
        "FROM json_each(NEW.field_hlc) AS s "
        "WHERE instr(OLD.field_hlc, '\"' || s.value || '\"') = 0"
        "), 0) = 0 "
        "BEGIN SELECT RAISE(ABORT, 'erasure_requests is updated only with its change-log row'); END"
    )
    op.execute(
        "CREATE TRIGGER erasure_requests_no_delete BEFORE DELETE ON erasure_requests "
        "BEGIN SELECT RAISE(ABORT, 'erasure_requests rows are tombstoned, never deleted'); END"
    )
    for name, sql in _update_triggers():
        op.execute(f"DROP TRIGGER {name}")
        op.execute(_guarded(sql))


def downgrade() -> None:
    for name, sql in _update_triggers():
        op.execute(f"DROP TRIGGER {name}")
        op.execute(_unguarded(sql))
    op.execute("DROP TRIGGER IF EXISTS erasure_requests_no_delete")
    op.execute("DROP TRIGGER IF EXISTS erasure_requests_logged_update")
    op.drop_index(op.f("ix_erasure_requests_customer_id"), table_name="erasure_requests")
    op.drop_index(op.f("ix_erasure_requests_branch_id"), table_name="erasure_requests")
    op.drop_table("erasure_requests")
    op.drop_index("ix_customers_erased_at", table_name="customers")
    # Plain ALTER TABLE (SQLite 3.35+): a batch copy of customers would drop its triggers.
    op.drop_column("customers", "erased_at")
    op.drop_table("erasure_scrubbing")
