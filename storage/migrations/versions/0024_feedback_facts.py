"""feedback_facts: the feedback dashboard's counts, one local row per answer, written by a trigger

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 22:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

# An answer's facts, from the answer row ``NEW`` (or ``f``, for the rows already there): its month in Asia/Dubai
# (UTC+4 all year), the customer's personal shopper when they answered, the NPS class, the themes (0 without a
# comment, else -1 until tagged in Python), the customer's loyalty tier, and the campaign whose offer the sale
# redeemed, else the customer's last campaign message in the 30 days before (as storage.repositories.feedback
# groups them).
_FACTS = (
    "strftime('%Y-%m', {row}.created_at, '+4 hours'), {row}.branch_id, "
    "coalesce((SELECT a.shopper_id FROM personal_shopper_assignments AS a WHERE a.customer_id = {row}.customer_id "
    "AND a.deleted = 0 AND a.assigned_at <= {row}.created_at "
    "AND (a.ended_at IS NULL OR a.ended_at > {row}.created_at) ORDER BY a.assigned_at DESC LIMIT 1), ''), "
    "coalesce({row}.sentiment, ''), "
    "CASE WHEN {row}.nps IS NULL THEN 0 WHEN {row}.nps <= 6 THEN 1 WHEN {row}.nps <= 8 THEN 2 ELSE 3 END, "
    "CASE WHEN {row}.comment IS NULL THEN 0 ELSE -1 END, {row}.created_at, {row}.id, "
    "(SELECT la.tier FROM loyalty_accounts AS la WHERE la.customer_id = {row}.customer_id), "
    "coalesce((SELECT r.campaign_id FROM offer_redemptions AS r WHERE r.order_id = {row}.order_id LIMIT 1), "
    "(SELECT e.campaign_id FROM campaign_executions AS e WHERE e.customer_id = {row}.customer_id "
    "AND e.outcome = 'queued' AND e.created_at <= {row}.created_at "
    "AND e.created_at > datetime({row}.created_at, '-30 days') ORDER BY e.created_at DESC LIMIT 1)), "
    "{row}.kind"
)
_COLUMNS = (
    "month, branch_id, shopper_id, sentiment, nps_class, themes, created_at, feedback_id, segment, campaign_id, kind"
)


def upgrade() -> None:
    op.create_table(
        "feedback_facts",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("shopper_id", sa.String(length=36), nullable=False),
        sa.Column("sentiment", sa.String(length=10), nullable=False),
        sa.Column("nps_class", sa.Integer(), nullable=False),
        sa.Column("themes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("feedback_id", sa.String(length=36), nullable=False),
        sa.Column("segment", sa.String(length=10), nullable=True),
        sa.Column("campaign_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint(
            "month",
            "branch_id",
            "shopper_id",
            "sentiment",
            "nps_class",
            "themes",
            "created_at",
            "feedback_id",
            name=op.f("pk_feedback_facts"),
        ),
        sqlite_with_rowid=False,
    )
    op.create_index("ux_feedback_facts_feedback_id", "feedback_facts", ["feedback_id"], unique=True)
    op.create_index("ix_feedback_facts_untagged", "feedback_facts", ["feedback_id"], sqlite_where=sa.text("themes < 0"))
    op.execute(
        "CREATE TRIGGER customer_feedback_facts AFTER INSERT ON customer_feedback BEGIN "
        f"INSERT OR IGNORE INTO feedback_facts ({_COLUMNS}) VALUES ({_FACTS.format(row='NEW')}); END"
    )
    op.execute(
        f"INSERT OR IGNORE INTO feedback_facts ({_COLUMNS}) SELECT {_FACTS.format(row='f')} FROM customer_feedback AS f"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS customer_feedback_facts")
    op.drop_index("ix_feedback_facts_untagged", table_name="feedback_facts")
    op.drop_index("ux_feedback_facts_feedback_id", table_name="feedback_facts")
    op.drop_table("feedback_facts")
