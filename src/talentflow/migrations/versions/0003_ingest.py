"""Ingest of pages and feeds: authors, syndicated copies and MinHash fingerprints of documents, and
the number of copies of a move's sources.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("author", sa.Text))
        batch.add_column(sa.Column("copy_of", sa.String(64),
                                   sa.ForeignKey("documents.id", name="fk_documents_copy_of")))
    op.create_index("ix_documents_copy_of", "documents", ["copy_of"])
    with op.batch_alter_table("moves") as batch:
        batch.add_column(sa.Column("copies", sa.Integer, nullable=False, server_default="0"))
    op.create_table(
        "document_fingerprints",
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("shingles", sa.Integer, nullable=False),
        sa.Column("signature", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "document_bands",
        sa.Column("band_key", sa.BigInteger, nullable=False),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id"), nullable=False),
    )
    op.create_index("ix_document_bands_key", "document_bands", ["band_key"])


def downgrade() -> None:
    op.drop_index("ix_document_bands_key", "document_bands")
    op.drop_table("document_bands")
    op.drop_table("document_fingerprints")
    with op.batch_alter_table("moves") as batch:
        batch.drop_column("copies")
    op.drop_index("ix_documents_copy_of", "documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("copy_of")
        batch.drop_column("author")
