"""Reviews: a person's verdict on a claim (correct, wrong, corrected) and what they changed.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("review", sa.String(10)))
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
        sa.Column("verdict", sa.String(10), nullable=False),
        sa.Column("changes", sa.Text),
        sa.Column("reviewed_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_reviews_claim", "reviews", ["claim_id"])


def downgrade() -> None:
    op.drop_index("ix_reviews_claim", "reviews")
    op.drop_table("reviews")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("review")
