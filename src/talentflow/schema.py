"""The database schema, as SQLAlchemy Core tables. Migrations in ``migrations/versions`` create and
change these tables; keep both in step (``tests/test_store.py`` checks that they agree)."""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),  # hash of the normalized text
    Column("label", Text),  # record id or path as the user gave it
    Column("url", Text),
    Column("title", Text),
    Column("published", String(10)),  # YYYY, YYYY-MM or YYYY-MM-DD
    Column("source_path", Text),
    Column("text", Text, nullable=False),
    Column("ingested_at", String(32), nullable=False),
)

organizations = Table(
    "organizations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("kind", String(20), nullable=False, default="company"),
    Column("parent_id", Integer, ForeignKey("organizations.id")),
)

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("key", String(200), nullable=False, unique=True),  # name_key(name)
)

moves = Table(
    "moves",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(10), nullable=False),  # move | founding
    Column("person_id", Integer, ForeignKey("people.id"), nullable=False),
    Column("from_org_id", Integer, ForeignKey("organizations.id")),
    Column("to_org_id", Integer, ForeignKey("organizations.id")),
    Column("from_unit", String(200)),
    Column("to_unit", String(200)),
    Column("role", Text),
    Column("date", String(10)),
    Column("status", String(10), nullable=False),
    Column("first_seen", String(10)),
    Column("sources", Integer, nullable=False, default=1),
)
Index("ix_moves_person", moves.c.person_id)
Index("ix_moves_from_org", moves.c.from_org_id)
Index("ix_moves_to_org", moves.c.to_org_id)
Index("ix_moves_date", moves.c.date)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("move_id", Integer, ForeignKey("moves.id")),
    Column("kind", String(10), nullable=False),
    Column("person_id", Integer, ForeignKey("people.id"), nullable=False),
    Column("person_name", String(200), nullable=False),
    Column("from_org", String(200)),
    Column("to_org", String(200)),
    Column("from_unit", String(200)),
    Column("to_unit", String(200)),
    Column("role", Text),
    Column("date", String(10)),
    Column("status", String(10), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("evidence_text", Text, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("extractor", String(40), nullable=False),
    Column("extractor_version", String(20), nullable=False),
    Column("rule", String(60)),
    UniqueConstraint("document_id", "kind", "person_id", "from_org", "to_org", "evidence_start",
                     name="uq_claim_in_document"),
)
Index("ix_claims_document", claims.c.document_id)
Index("ix_claims_move", claims.c.move_id)
