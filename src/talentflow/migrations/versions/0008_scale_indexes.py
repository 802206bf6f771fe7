"""Indexes for large graphs: an organization's moves newest first, one side at a time (see
``query.newest_of_scope``).

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_moves_from_org_date": ["from_org_id", "date"],
    "ix_moves_to_org_date": ["to_org_id", "date"],
    "ix_moves_from_unit_date": ["from_unit", "date"],
    "ix_moves_to_unit_date": ["to_unit", "date"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "moves", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, "moves")
