"""survey invitations; a feedback answer's invitation, sentiment score and low-score mark

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 18:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_invitations",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=True),
        sa.Column("visit_id", sa.String(length=36), nullable=True),
        sa.Column("token", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("communication_id", sa.String(length=36), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("field_hlc", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["branches.id"],
            name=op.f("fk_survey_invitations_branch_id_branches"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_survey_invitations_customer_id_customers"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_survey_invitations_order_id_orders"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["communication_id"],
            ["communications.id"],
            name=op.f("fk_survey_invitations_communication_id_communications"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_invitations")),
        sa.UniqueConstraint("token", name=op.f("uq_survey_invitations_token")),
    )
    op.create_index(op.f("ix_survey_invitations_branch_id"), "survey_invitations", ["branch_id"], unique=False)
    op.create_index(op.f("ix_survey_invitations_customer_id"), "survey_invitations", ["customer_id"], unique=False)
    op.create_index(op.f("ix_survey_invitations_order_id"), "survey_invitations", ["order_id"], unique=False)
    # As every register (0005): an UPDATE must bring a stamp logged in the change log, or another replica's.
    op.execute(
        "CREATE TRIGGER survey_invitations_logged_update BEFORE UPDATE ON survey_invitations "
        "WHEN coalesce(("
        "SELECT min(instr(s.value, '|') > 0 OR EXISTS ("
        "SELECT 1 FROM change_log AS c WHERE c.op = 'update' AND c.hlc = s.value "
        "AND c.entity = 'survey_invitations' AND c.row_id = NEW.id)) "
        "FROM json_each(NEW.field_hlc) AS s "
        "WHERE instr(OLD.field_hlc, '\"' || s.value || '\"') = 0"
        "), 0) = 0 "
        "BEGIN SELECT RAISE(ABORT, 'survey_invitations is updated only with its change-log row'); END"
    )
    # Plain ALTER TABLE (no batch copy): a copy would drop the ledger's append-only triggers. SQLite cannot add a
    # foreign key by ALTER TABLE; the invitation is checked by the code that writes the answer.
    op.add_column("customer_feedback", sa.Column("invitation_id", sa.String(length=36), nullable=True))
    op.add_column("customer_feedback", sa.Column("sentiment_score", sa.Float(), nullable=True))
    op.add_column("customer_feedback", sa.Column("low_score", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index(
        "ix_customer_feedback_low", "customer_feedback", ["created_at"], sqlite_where=sa.text("low_score = 1")
    )
    op.create_index(
        "ix_customer_feedback_nps", "customer_feedback", ["created_at"], sqlite_where=sa.text("nps IS NOT NULL")
    )


def downgrade() -> None:
    op.drop_index("ix_customer_feedback_nps", table_name="customer_feedback")
    op.drop_index("ix_customer_feedback_low", table_name="customer_feedback")
    with op.batch_alter_table("customer_feedback") as batch:
        batch.drop_column("low_score")
        batch.drop_column("sentiment_score")
        batch.drop_column("invitation_id")
    op.execute("DROP TRIGGER IF EXISTS survey_invitations_logged_update")
    op.drop_index(op.f("ix_survey_invitations_order_id"), table_name="survey_invitations")
    op.drop_index(op.f("ix_survey_invitations_customer_id"), table_name="survey_invitations")
    op.drop_index(op.f("ix_survey_invitations_branch_id"), table_name="survey_invitations")
    op.drop_table("survey_invitations")
