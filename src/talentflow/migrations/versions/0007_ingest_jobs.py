"""Ingest jobs started from the web app: what was asked, how far it got, and its result, so that
any worker process can show a job's progress.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ingest_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("inputs", sa.Text, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("read", sa.Integer, nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("errors", sa.Text),
        sa.Column("documents", sa.Text),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32)),
    )


def downgrade() -> None:
    op.drop_table("ingest_jobs")
