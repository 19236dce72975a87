"""gift cards keep who the card is from

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The sell form always asked "From"; the name went only to the sale's event and was lost. It is printed on
    # the card and on the sale slip, and replicates with the card like its recipient's name.
    op.add_column("gift_cards", sa.Column("from_name", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("gift_cards") as batch_op:
        batch_op.drop_column("from_name")
