"""Flow counts: moves per pair of organizations, in all and per fact status, kept on every write, so that all-time
flows are read without grouping every move; filled from the moves already stored.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "flow_counts",
        sa.Column("from_org_id", sa.Integer, sa.ForeignKey("organizations.id"), primary_key=True),
        sa.Column("to_org_id", sa.Integer, sa.ForeignKey("organizations.id"), primary_key=True),
        sa.Column("confirmed", sa.Integer, nullable=False),
        sa.Column("reported", sa.Integer, nullable=False),
        sa.Column("planned", sa.Integer, nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
    )
    op.create_index("ix_flow_counts_n", "flow_counts", ["n"])
    op.execute("INSERT INTO flow_counts (from_org_id, to_org_id, confirmed, reported, planned, n) "
               "SELECT from_org_id, to_org_id, SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN status = 'reported' THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN status = 'planned' THEN 1 ELSE 0 END), COUNT(*) FROM moves WHERE kind = 'move' "
               "AND status IN ('confirmed', 'reported', 'planned') "
               "AND from_org_id IS NOT NULL AND to_org_id IS NOT NULL GROUP BY from_org_id, to_org_id")


def downgrade() -> None:
    op.drop_index("ix_flow_counts_n", "flow_counts")
    op.drop_table("flow_counts")
