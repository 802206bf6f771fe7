"""The knowledge graph: name variants and doubtful pairs of people, effective dates and denials of
moves, whether a claim's date was stated, and cohorts.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from talentflow.resolve import NameParts

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_names",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("first_key", sa.String(100), nullable=False),
        sa.Column("last_key", sa.String(100), nullable=False),
    )
    op.create_index("ix_person_names_person", "person_names", ["person_id"])
    op.create_index("ix_person_names_first", "person_names", ["first_key"])
    op.create_index("ix_person_names_last", "person_names", ["last_key"])
    op.create_table(
        "person_pairs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_a", sa.String(200), nullable=False),
        sa.Column("key_b", sa.String(200), nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text),
        sa.UniqueConstraint("key_a", "key_b", name="uq_person_pair"),
    )
    with op.batch_alter_table("moves") as batch:
        batch.add_column(sa.Column("effective_date", sa.String(10)))
        batch.add_column(sa.Column("denials", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_moves_first_seen", "moves", ["first_seen"])
    op.create_index("ix_moves_effective_date", "moves", ["effective_date"])
    op.create_index("ix_moves_from_unit", "moves", ["from_unit"])
    op.create_index("ix_moves_to_unit", "moves", ["to_unit"])
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("date_stated", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("ix_claims_person", "claims", ["person_id"])
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("org", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "cohort_members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cohort_id", sa.Integer, sa.ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.UniqueConstraint("cohort_id", "key", name="uq_cohort_member"),
    )
    # Existing people keep their one name.
    conn = op.get_bind()
    people = conn.execute(sa.text("SELECT id, name, key FROM people")).all()
    names = sa.table("person_names", *(sa.column(c) for c in ("key", "person_id", "name", "first_key", "last_key")))
    for person_id, name, key in people:
        parts = NameParts.of(name)
        conn.execute(sa.insert(names).values(key=key, person_id=person_id, name=name, first_key=parts.first,
                                             last_key=parts.last))


def downgrade() -> None:
    op.drop_table("cohort_members")
    op.drop_table("cohorts")
    op.drop_index("ix_claims_person", "claims")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("date_stated")
    op.drop_index("ix_moves_to_unit", "moves")
    op.drop_index("ix_moves_from_unit", "moves")
    op.drop_index("ix_moves_effective_date", "moves")
    op.drop_index("ix_moves_first_seen", "moves")
    with op.batch_alter_table("moves") as batch:
        batch.drop_column("denials")
        batch.drop_column("effective_date")
    op.drop_table("person_pairs")
    op.drop_table("person_names")
