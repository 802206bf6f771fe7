"""Queries at a million moves: covering indexes per side of a move (an organization's moves are
counted from the index alone), a partial index of syndicated copies (a planner that knows most
documents are no copy read the whole table), ``org_departures`` (who left each organization and
has not come back, one row per organization and person) and ``org_move_counts`` (moves per
organization, side, kind and status), both filled from the moves stored.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OLD_INDEXES = {
    "ix_moves_from_org": ["from_org_id"],
    "ix_moves_to_org": ["to_org_id"],
    "ix_moves_from_unit": ["from_unit"],
    "ix_moves_to_unit": ["to_unit"],
    "ix_moves_from_org_date": ["from_org_id", "date"],
    "ix_moves_to_org_date": ["to_org_id", "date"],
    "ix_moves_from_unit_date": ["from_unit", "date"],
    "ix_moves_to_unit_date": ["to_unit", "date"],
}
SIDE_INDEXES = {
    "ix_moves_from_side": ["from_org_id", "date", "kind", "status", "to_org_id", "to_unit"],
    "ix_moves_to_side": ["to_org_id", "date", "kind", "status", "from_org_id", "from_unit"],
    "ix_moves_from_unit_side": ["from_unit", "date", "kind", "status", "from_org_id", "to_org_id", "to_unit"],
    "ix_moves_to_unit_side": ["to_unit", "date", "kind", "status", "to_org_id", "from_org_id", "from_unit"],
}
# As store.DEPARTURES_SQL was at this revision, for everyone.
FILL_DEPARTURES = """
WITH RECURSIVE leg(person_id, side, org_id, date) AS (
    SELECT person_id, 'from', from_org_id, date FROM moves
     WHERE kind = 'move' AND status IN ('confirmed', 'reported', 'planned') AND from_org_id IS NOT NULL
    UNION ALL
    SELECT m.person_id, 'from', o.id, m.date FROM moves m JOIN organizations o ON o.name = m.from_unit
     WHERE m.kind = 'move' AND m.status IN ('confirmed', 'reported', 'planned')
    UNION ALL
    SELECT person_id, 'to', to_org_id, date FROM moves
     WHERE kind = 'move' AND status IN ('confirmed', 'reported', 'planned') AND to_org_id IS NOT NULL
    UNION ALL
    SELECT m.person_id, 'to', o.id, m.date FROM moves m JOIN organizations o ON o.name = m.to_unit
     WHERE m.kind = 'move' AND m.status IN ('confirmed', 'reported', 'planned')
), up(person_id, side, org_id, date) AS (
    SELECT person_id, side, org_id, date FROM leg
    UNION
    SELECT up.person_id, up.side, o.parent_id, up.date FROM up JOIN organizations o ON o.id = up.org_id
     WHERE o.parent_id IS NOT NULL
), per_org AS (
    SELECT org_id, person_id,
           MAX(CASE WHEN side = 'from' THEN COALESCE(date, '9999') END) AS left_at,
           MAX(CASE WHEN side = 'to' THEN COALESCE(date, '9999') END) AS back_at,
           MIN(CASE WHEN side = 'from' THEN date END) AS first_dated,
           MAX(CASE WHEN side = 'from' THEN date END) AS last_dated
      FROM up GROUP BY org_id, person_id
)
INSERT INTO org_departures (org_id, person_id, left_at, back_at, first_dated, last_dated, gone)
SELECT org_id, person_id, left_at, back_at, first_dated, last_dated,
       CASE WHEN left_at IS NOT NULL AND (back_at IS NULL OR back_at <= left_at) THEN 1 ELSE 0 END
  FROM per_org
"""
# As store.ORG_MOVES_SQL was at this revision.
FILL_ORG_MOVE_COUNTS = """
INSERT INTO org_move_counts (org_id, side, kind, status, n)
WITH RECURSIVE leg(move_id, kind, status, side, org_id) AS (
    SELECT id, kind, status, 'from', from_org_id FROM moves WHERE from_org_id IS NOT NULL
    UNION ALL
    SELECT m.id, m.kind, m.status, 'from', o.id FROM moves m JOIN organizations o ON o.name = m.from_unit
     WHERE 1 = 1
    UNION ALL
    SELECT id, kind, status, 'to', to_org_id FROM moves WHERE to_org_id IS NOT NULL
    UNION ALL
    SELECT m.id, m.kind, m.status, 'to', o.id FROM moves m JOIN organizations o ON o.name = m.to_unit
     WHERE 1 = 1
), up(move_id, kind, status, side, org_id) AS (
    SELECT move_id, kind, status, side, org_id FROM leg
    UNION
    SELECT up.move_id, up.kind, up.status, up.side, o.parent_id FROM up JOIN organizations o ON o.id = up.org_id
     WHERE o.parent_id IS NOT NULL
)
SELECT org_id, side, kind, status, COUNT(*) AS n FROM up GROUP BY org_id, side, kind, status
UNION ALL
SELECT org_id, 'either', kind, status, COUNT(DISTINCT move_id) FROM up GROUP BY org_id, kind, status
"""

# SQLite: a trigram index of every spelling's key, kept by triggers, so that a search for a part of
# a name (three characters or more) does not read every spelling (query.search).
NAMES_SEARCH = [
    "CREATE VIRTUAL TABLE person_names_search USING fts5(key, content='person_names', tokenize='trigram')",
    "CREATE TRIGGER person_names_search_insert AFTER INSERT ON person_names BEGIN "
    "INSERT INTO person_names_search (rowid, key) VALUES (new.rowid, new.key); END",
    "CREATE TRIGGER person_names_search_delete AFTER DELETE ON person_names BEGIN "
    "INSERT INTO person_names_search (person_names_search, rowid, key) VALUES ('delete', old.rowid, old.key); END",
    "CREATE TRIGGER person_names_search_update AFTER UPDATE OF key ON person_names BEGIN "
    "INSERT INTO person_names_search (person_names_search, rowid, key) VALUES ('delete', old.rowid, old.key); "
    "INSERT INTO person_names_search (rowid, key) VALUES (new.rowid, new.key); END",
    "INSERT INTO person_names_search (person_names_search) VALUES ('rebuild')",
]


def upgrade() -> None:
    for name in OLD_INDEXES:
        op.drop_index(name, "moves")
    for name, columns in SIDE_INDEXES.items():
        op.create_index(name, "moves", columns)
    op.drop_index("ix_documents_copy_of", "documents")
    op.create_index("ix_documents_copy_of", "documents", ["copy_of"], sqlite_where=sa.text("copy_of IS NOT NULL"),
                    postgresql_where=sa.text("copy_of IS NOT NULL"))
    op.create_table(
        "org_departures",
        sa.Column("org_id", sa.Integer, sa.ForeignKey("organizations.id"), primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("left_at", sa.String(10)),
        sa.Column("back_at", sa.String(10)),
        sa.Column("first_dated", sa.String(10)),
        sa.Column("last_dated", sa.String(10)),
        sa.Column("gone", sa.Integer, nullable=False),
    )
    op.create_index("ix_org_departures_page", "org_departures", ["org_id", "gone", "left_at", "person_id",
                                                                 "first_dated", "last_dated"])
    op.create_index("ix_org_departures_person", "org_departures", ["person_id"])
    op.execute(FILL_DEPARTURES)
    op.create_table(
        "org_move_counts",
        sa.Column("org_id", sa.Integer, sa.ForeignKey("organizations.id"), primary_key=True),
        sa.Column("side", sa.String(6), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("status", sa.String(10), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
    )
    op.execute(FILL_ORG_MOVE_COUNTS)
    if op.get_bind().dialect.name == "sqlite":
        for statement in NAMES_SEARCH:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("person_names_search_insert", "person_names_search_delete", "person_names_search_update"):
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE person_names_search")
    op.drop_table("org_move_counts")
    op.drop_index("ix_org_departures_person", "org_departures")
    op.drop_index("ix_org_departures_page", "org_departures")
    op.drop_table("org_departures")
    op.drop_index("ix_documents_copy_of", "documents")
    op.create_index("ix_documents_copy_of", "documents", ["copy_of"])
    for name in SIDE_INDEXES:
        op.drop_index(name, "moves")
    for name, columns in OLD_INDEXES.items():
        op.create_index(name, "moves", columns)
