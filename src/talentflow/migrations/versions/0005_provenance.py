"""Provenance of a document that is not the original report: who wrote it (``origin``: "written
for the talentflow demo, after Bloomberg, 2024-05-28") and the report it retells (``reported_by``),
which is not where its sentences can be found.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("origin", sa.Text))
        batch.add_column(sa.Column("reported_by", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("reported_by")
        batch.drop_column("origin")
