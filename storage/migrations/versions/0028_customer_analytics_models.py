"""customer_analytics: the lifetime-value models' figures, RFM, the next likely purchase and why

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-04 03:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

COLUMNS = (
    ("p_alive_pm", sa.Integer()),
    ("expected_90d_x100", sa.Integer()),
    ("clv_fils", sa.Integer()),
    ("purchases", sa.Integer()),
    ("mean_gap_days", sa.Integer()),
    ("rfm_r", sa.Integer()),
    ("rfm_f", sa.Integer()),
    ("rfm_m", sa.Integer()),
    ("rfm_segment", sa.String(length=12)),
    ("next_family", sa.String(length=20)),
    ("next_brand", sa.String(length=60)),
    ("next_why", sa.String(length=10)),
    ("reason", sa.String(length=16)),
    ("model_status", sa.String(length=12)),
    ("computed_at", sa.DateTime()),
)


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy): a copy would drop the table's trigger (logged updates, 0005).
    for name, kind in COLUMNS:
        op.add_column("customer_analytics", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customer_analytics") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
