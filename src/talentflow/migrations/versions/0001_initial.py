"""The first tables: documents, organizations, people, moves, claims.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("label", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("source_path", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("organizations.id")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
    )
    op.create_table(
        "moves",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("from_org_id", sa.Integer, sa.ForeignKey("organizations.id")),
        sa.Column("to_org_id", sa.Integer, sa.ForeignKey("organizations.id")),
        sa.Column("from_unit", sa.String(200)),
        sa.Column("to_unit", sa.String(200)),
        sa.Column("role", sa.Text),
        sa.Column("date", sa.String(10)),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("first_seen", sa.String(10)),
        sa.Column("sources", sa.Integer, nullable=False),
    )
    op.create_index("ix_moves_person", "moves", ["person_id"])
    op.create_index("ix_moves_from_org", "moves", ["from_org_id"])
    op.create_index("ix_moves_to_org", "moves", ["to_org_id"])
    op.create_index("ix_moves_date", "moves", ["date"])
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("move_id", sa.Integer, sa.ForeignKey("moves.id")),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("person_name", sa.String(200), nullable=False),
        sa.Column("from_org", sa.String(200)),
        sa.Column("to_org", sa.String(200)),
        sa.Column("from_unit", sa.String(200)),
        sa.Column("to_unit", sa.String(200)),
        sa.Column("role", sa.Text),
        sa.Column("date", sa.String(10)),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("evidence_text", sa.Text, nullable=False),
        sa.Column("evidence_start", sa.Integer, nullable=False),
        sa.Column("evidence_end", sa.Integer, nullable=False),
        sa.Column("extractor", sa.String(40), nullable=False),
        sa.Column("extractor_version", sa.String(20), nullable=False),
        sa.Column("rule", sa.String(60)),
        sa.UniqueConstraint("document_id", "kind", "person_id", "from_org", "to_org", "evidence_start",
                            name="uq_claim_in_document"),
    )
    op.create_index("ix_claims_document", "claims", ["document_id"])
    op.create_index("ix_claims_move", "claims", ["move_id"])


def downgrade() -> None:
    for table in ("claims", "moves", "people", "organizations", "documents"):
        op.drop_table(table)
