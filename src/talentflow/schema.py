"""The database schema, as SQLAlchemy Core tables. Migrations in ``migrations/versions`` create and
change these tables; keep both in step (``tests/test_store.py`` checks that they agree)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

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
    Column("author", Text),
    # A near-duplicate (a syndicated copy) of an earlier document: stored and shown as a source of
    # the original's moves, but not extracted and not counted as an independent source.
    Column("copy_of", String(64), ForeignKey("documents.id")),
    # A text that retells a report rather than being it (our demo samples): who wrote it, and the
    # report it follows, which is not where its sentences can be found (see Document).
    Column("origin", Text),
    Column("reported_by", Text),
)
# Partial: most documents are no copy, and a planner that counted them (ANALYZE) would read the table.
Index("ix_documents_copy_of", documents.c.copy_of, sqlite_where=documents.c.copy_of.is_not(None),
      postgresql_where=documents.c.copy_of.is_not(None))

# MinHash fingerprints of documents (see dedup.py): the signature, and one row per band for lookups.
document_fingerprints = Table(
    "document_fingerprints",
    metadata,
    Column("document_id", String(64), ForeignKey("documents.id"), primary_key=True),
    Column("shingles", Integer, nullable=False),
    Column("signature", LargeBinary, nullable=False),
)

document_bands = Table(
    "document_bands",
    metadata,
    Column("band_key", BigInteger, nullable=False),
    Column("document_id", String(64), ForeignKey("documents.id"), nullable=False),
)
Index("ix_document_bands_key", document_bands.c.band_key)

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

# Every spelling a person is known by ("Alexandr Wang", "Alexandr W. Wang"): a new report under any
# of them, or a re-ingest after a merge, finds the same person.
person_names = Table(
    "person_names",
    metadata,
    Column("key", String(200), primary_key=True),  # name_key(name)
    Column("person_id", Integer, ForeignKey("people.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("first_key", String(100), nullable=False),
    Column("last_key", String(100), nullable=False),
)
Index("ix_person_names_person", person_names.c.person_id)
Index("ix_person_names_first", person_names.c.first_key)
Index("ix_person_names_last", person_names.c.last_key)

# Pairs of names that may be one person: found doubtful (candidate) or decided by a user (merged,
# apart). Keyed by names, not ids, so that decisions outlive the rows they were made on.
person_pairs = Table(
    "person_pairs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key_a", String(200), nullable=False),
    Column("key_b", String(200), nullable=False),
    Column("decision", String(10), nullable=False),  # candidate | merged | apart
    Column("reason", Text),
    UniqueConstraint("key_a", "key_b", name="uq_person_pair"),
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
    Column("date", String(10)),  # the best date known: effective_date, else first_seen
    Column("status", String(10), nullable=False),
    Column("first_seen", String(10)),  # first publication that reported it
    Column("sources", Integer, nullable=False, default=1),  # independent documents
    Column("effective_date", String(10)),  # when it takes effect, where a text says so
    Column("denials", Integer, nullable=False, default=0, server_default="0"),  # documents denying it
    Column("copies", Integer, nullable=False, default=0, server_default="0"),  # syndicated copies of its sources
)
Index("ix_moves_person", moves.c.person_id)
Index("ix_moves_date", moves.c.date)
Index("ix_moves_first_seen", moves.c.first_seen)
Index("ix_moves_effective_date", moves.c.effective_date)
# An organization's moves, one side at a time: newest first (query.newest_of_scope), and counted
# without reading the table (query.scope_parts): each index holds what a count of its side filters on.
Index("ix_moves_from_side", moves.c.from_org_id, moves.c.date, moves.c.kind, moves.c.status, moves.c.to_org_id,
      moves.c.to_unit)
Index("ix_moves_to_side", moves.c.to_org_id, moves.c.date, moves.c.kind, moves.c.status, moves.c.from_org_id,
      moves.c.from_unit)
Index("ix_moves_from_unit_side", moves.c.from_unit, moves.c.date, moves.c.kind, moves.c.status, moves.c.from_org_id,
      moves.c.to_org_id, moves.c.to_unit)
Index("ix_moves_to_unit_side", moves.c.to_unit, moves.c.date, moves.c.kind, moves.c.status, moves.c.to_org_id,
      moves.c.from_org_id, moves.c.from_unit)
# How many moves go from one organization to another, in all and per fact status: what all-time
# flows are read from at scale (the largest first, through the index on ``n``). Kept (summaries.py)
# on every write that adds, changes or deletes a move.
flow_counts = Table(
    "flow_counts",
    metadata,
    Column("from_org_id", Integer, ForeignKey("organizations.id"), primary_key=True),
    Column("to_org_id", Integer, ForeignKey("organizations.id"), primary_key=True),
    Column("confirmed", Integer, nullable=False, default=0),
    Column("reported", Integer, nullable=False, default=0),
    Column("planned", Integer, nullable=False, default=0),
    Column("n", Integer, nullable=False),
)
Index("ix_flow_counts_n", flow_counts.c.n)

# How many moves touch each organization (or any unit below it) from each side and from either
# (a move from one unit to another of the same company counts once there), per kind and status:
# what an organization's totals are read from at scale. Kept on every write (summaries.py).
org_move_counts = Table(
    "org_move_counts",
    metadata,
    Column("org_id", Integer, ForeignKey("organizations.id"), primary_key=True),
    Column("side", String(6), primary_key=True),  # from | to | either
    Column("kind", String(10), primary_key=True),
    Column("status", String(10), primary_key=True),
    Column("n", Integer, nullable=False),
)

# Who left an organization (or any unit below it) and has not come back, one row per organization
# and person: what alumni lists are paged from at scale. Kept (summaries.py) for the people whose
# moves a write changed; ``left_at``/``back_at`` are the latest departure and return, an undated
# one counting as the latest ("9999"), ``first_dated``/``last_dated`` bound the dated departures
# (what a window asks), ``gone`` says they left and did not come back.
org_departures = Table(
    "org_departures",
    metadata,
    Column("org_id", Integer, ForeignKey("organizations.id"), primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id"), primary_key=True),
    Column("left_at", String(10)),
    Column("back_at", String(10)),
    Column("first_dated", String(10)),
    Column("last_dated", String(10)),
    Column("gone", Integer, nullable=False),
)
Index("ix_org_departures_page", org_departures.c.org_id, org_departures.c.gone, org_departures.c.left_at,
      org_departures.c.person_id, org_departures.c.first_dated, org_departures.c.last_dated)
Index("ix_org_departures_person", org_departures.c.person_id)

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
    Column("date_stated", Boolean, nullable=False, default=False, server_default=false()),  # date from the text
    Column("review", String(10)),  # correct | wrong | corrected, by a person (see `reviews`)
    UniqueConstraint("document_id", "kind", "person_id", "from_org", "to_org", "evidence_start",
                     name="uq_claim_in_document"),
)
Index("ix_claims_document", claims.c.document_id)
Index("ix_claims_move", claims.c.move_id)
Index("ix_claims_person", claims.c.person_id)

# What reviewers decided about claims, oldest first: the verdict and the fields they corrected.
reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("verdict", String(10), nullable=False),  # correct | wrong | corrected
    Column("changes", Text),  # JSON: {"person": [old, new], "status": [old, new], ...}
    Column("reviewed_at", String(32), nullable=False),
)
Index("ix_reviews_claim", reviews.c.claim_id)

# Named sets of people followed over time, such as the authors of a paper, and the organization
# they are measured against ("how many of the Llama authors are still at Meta?").
cohorts = Table(
    "cohorts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("org", String(200), nullable=False),
    Column("created_at", String(32), nullable=False),
)

cohort_members = Table(
    "cohort_members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("cohort_id", Integer, ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("key", String(200), nullable=False),
    UniqueConstraint("cohort_id", "key", name="uq_cohort_member"),
)

# -- watching the news (watch.py) and telling people (alerts.py, notify.py) -----------------------

# Sources `talentflow watch` polls, with what it needs to poll them politely and to resume after a
# restart: the validators of the last answer, when the source is next due, and its failures so far.
watch_sources = Table(
    "watch_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("every", Float, nullable=False),  # seconds between polls
    Column("etag", Text),
    Column("last_modified", Text),
    Column("next_due", Float, nullable=False, default=0.0),  # Unix time
    Column("failures", Integer, nullable=False, default=0),  # in a row; the backoff grows with them
    Column("last_polled", String(32)),
    Column("last_status", Text),
)

# Entries of a source already read (a feed's entries, a list's URLs), so that each page is fetched once.
watch_seen = Table(
    "watch_seen",
    metadata,
    Column("source_id", Integer, ForeignKey("watch_sources.id", ondelete="CASCADE"), primary_key=True),
    Column("entry", String(64), primary_key=True),  # hash of the entry's link or id
)

# What a user wants to hear about: moves matching filters (org, person, cohort, kind, status), told
# on the channels named (a webhook, an e-mail address; the Atom feed and `talentflow alerts` always).
watchlists = Table(
    "watchlists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("filters", Text, nullable=False),  # JSON: {"org": .., "person": .., "kind": .., "status": [..]}
    Column("webhook", Text),
    Column("email", Text),
    Column("after_claim", Integer, nullable=False, default=0),  # events of later claims only
    Column("created_at", String(32), nullable=False),
)

# One row per event per watchlist, recorded once (the unique event key) in the transaction that
# moves the claim cursor on, with the move, its sentence, source and status as they were then.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("watchlist_id", Integer, ForeignKey("watchlists.id", ondelete="CASCADE"), nullable=False),
    Column("event_key", String(100), nullable=False),
    Column("event", String(20), nullable=False),  # new_move | new_source | status_change | denial
    Column("claim_id", Integer, nullable=False),
    Column("move_id", Integer),
    Column("payload", Text, nullable=False),  # JSON: what every channel tells
    Column("created_at", String(32), nullable=False),
    UniqueConstraint("watchlist_id", "event_key", name="uq_alert_event"),
)
Index("ix_alerts_watchlist", alerts.c.watchlist_id)

# Each alert on each channel that sends it: pending until sent; a retry resumes what is pending.
alert_deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True),
    Column("channel", String(20), primary_key=True),  # webhook | email
    Column("target", Text, nullable=False),
    Column("state", String(10), nullable=False),  # pending | sent | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt", Float, nullable=False, default=0.0),
    Column("last_error", Text),
    Column("sent_at", String(32)),
)
Index("ix_alert_deliveries_state", alert_deliveries.c.state)

# Small named values the process keeps between runs: the id of the last claim alerts were looked for in.
settings = Table(
    "settings",
    metadata,
    Column("name", String(50), primary_key=True),
    Column("value", Text, nullable=False),
)

# Ingest jobs started from the web app's "Add articles" form (web/jobs.py), readable by any worker.
ingest_jobs = Table(
    "ingest_jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("inputs", Text, nullable=False),  # JSON: the URLs and file names given
    Column("state", String(10), nullable=False),  # running | done | failed
    Column("read", Integer, nullable=False, default=0),  # documents and errors read so far
    Column("summary", Text),  # the ingest summary line
    Column("errors", Text),  # JSON list of one-line errors
    Column("documents", Text),  # JSON list of the new documents' ids
    Column("created_at", String(32), nullable=False),
    Column("finished_at", String(32)),
)
