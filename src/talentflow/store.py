"""Storage: documents, claims, people, organizations and moves in SQLite (default) or PostgreSQL.

``Store(url)`` opens the database and brings its schema up to date with Alembic. Each document is
saved with all its claims in one transaction, so an interrupted ingest never leaves half a
document behind, and a document already stored (same text hash) is left untouched. Claims are
resolved as they are saved: names to people, claims to moves (the rules are in ``resolve.py``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError

from talentflow import summaries
from talentflow.models import ALL_STATUSES, FACT_STATUSES, Claim, Document, Evidence, name_key
from talentflow.orgs import Gazetteer, load_gazetteer
from talentflow.resolve import MoveShape, NameParts, compare_names, effective_date, move_status, pick_move
from talentflow.schema import (
    claims,
    cohort_members,
    cohorts,
    document_bands,
    document_fingerprints,
    documents,
    moves,
    organizations,
    people,
    person_names,
    person_pairs,
    reviews,
)

if TYPE_CHECKING:
    from talentflow.dedup import Fingerprint

Verdict = Literal["correct", "wrong", "corrected"]
VERDICTS: tuple[Verdict, ...] = ("correct", "wrong", "corrected")

DB_ENV = "TALENTFLOW_DB"
# The newest migration in migrations/versions (tests/test_store.py checks that they agree): a database
# at it needs no Alembic at all.
SCHEMA_HEAD = "0010"
POOL_SIZE, POOL_OVERFLOW, POOL_TIMEOUT = 8, 40, 60
DEFAULT_DB = "talentflow.db"


def database_url(db: str | None = None) -> str:
    """``--db`` or ``$TALENTFLOW_DB`` or ./talentflow.db; a plain path means a SQLite file."""
    value = db or os.environ.get(DB_ENV) or DEFAULT_DB
    return value if "://" in value else f"sqlite:///{Path(value)}"


@dataclass
class SaveResult:
    new: bool
    claims: int


class Store:
    def __init__(self, url: str | None = None, gazetteer: Gazetteer | None = None) -> None:
        self.url = database_url(url)
        self.gazetteer = gazetteer or load_gazetteer()
        # Pooled connections, as many as the web server's threads may ask for at once (40 by default).
        self.engine: Engine = create_engine(self.url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW,
                                            pool_timeout=POOL_TIMEOUT, pool_pre_ping=self.url.startswith("postgres"))
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.migrate()
        self.sync_organizations()

    def schema_revision(self) -> str | None:
        """The migration the database is at (Alembic's version table), or None for a new one."""
        try:
            with self.engine.connect() as conn:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:  # no version table: a new database
            return None

    def data_version(self) -> tuple[object, ...]:
        """Something that changes whenever any process commits a write, cheap to ask (the web app
        caches answers until it changes): the SQLite file and its write-ahead log as the file system
        sees them, or PostgreSQL's next transaction id (only a transaction that writes takes one; the
        write-ahead log position also moves on reads, so it would never stay the same)."""
        database = self.engine.url.database
        if self.engine.dialect.name == "sqlite" and database and database != ":memory:":
            found: list[object] = []
            for path in (database, f"{database}-wal"):
                try:
                    info = os.stat(path)
                    found += [info.st_mtime_ns, info.st_size, info.st_ino]
                except OSError:
                    found.append(None)
            return tuple(found)
        if self.engine.dialect.name == "postgresql":
            try:
                with self.engine.connect() as conn:
                    query = "SELECT txid_snapshot_xmax(txid_current_snapshot())::text"
                    return (conn.exec_driver_sql(query).scalar_one(),)
            except DBAPIError:  # no snapshot to read: fall through, cache nothing
                pass
        return (object(),)  # unknown: never the same twice, so nothing is served from a cache

    @property
    def display_url(self) -> str:
        """The database as messages name it: never with its password."""
        return self.engine.url.render_as_string(hide_password=True)

    def migrate(self) -> None:
        """Bring the schema to the newest migration, once, however many processes open a new
        database together (an flock on the SQLite file, which SQLite's own locks ignore; an advisory
        lock on PostgreSQL). A database already up to date is only read."""
        # The first connection to a new SQLite file turns on its write-ahead log, which needs the
        # file to itself: it too waits for the lock.
        with _migration_lock(self.engine):
            if self.schema_revision() == SCHEMA_HEAD:
                return  # no Alembic to import, nothing written: a command that only reads starts fast
            from alembic import command
            from alembic.config import Config

            config = Config()
            config.set_main_option("script_location", str(resources.files("talentflow") / "migrations"))
            with self.engine.begin() as conn:
                if self.engine.dialect.name == "postgresql":
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
                config.attributes["connection"] = conn
                command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction. On PostgreSQL writers take turns (a transaction-level advisory lock):
        resolving names to people and claims to moves reads what other writers stored, and two at
        once would both make the same person or move. SQLite lets one writer in at a time itself."""
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
            yield conn
            summaries.settle(conn)  # what it changed, counted once its moves are final

    # -- writing ----------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).where(documents.c.id == doc_id)).first() is not None

    def save(self, document: Document, found: list[Claim], fingerprint: Fingerprint | None = None) -> SaveResult:
        """Store a document, its fingerprint and its claims in one transaction; nothing if it is
        already stored."""
        document, found = _storable(document), [_storable(c) for c in found]
        with self.writing() as conn:
            if not self._insert_document(conn, document, fingerprint):
                return SaveResult(new=False, claims=0)
            stored = 0
            for claim in found:
                if self._save_claim(conn, document, claim):
                    stored += 1
            return SaveResult(new=True, claims=stored)

    def save_copy(self, document: Document, original: str, fingerprint: Fingerprint | None = None) -> SaveResult:
        """Store a near-duplicate of a stored document: no claims of its own, but the original's
        moves count it as a copy."""
        with self.writing() as conn:
            if not self._insert_document(conn, document, fingerprint, copy_of=original):
                return SaveResult(new=False, claims=0)
            touched = conn.execute(select(claims.c.move_id).where(claims.c.document_id == original).distinct())
            for move_id in [r.move_id for r in touched if r.move_id is not None]:
                self._refresh_move(conn, move_id)
            return SaveResult(new=True, claims=0)

    def _insert_document(self, conn: Connection, document: Document, fingerprint: Fingerprint | None,
                         copy_of: str | None = None) -> bool:
        if conn.execute(select(documents.c.id).where(documents.c.id == document.id)).first():
            return False
        conn.execute(insert(documents).values(
            id=document.id, label=document.label, url=document.url, title=document.title, author=document.author,
            published=document.published, source_path=document.source_path, text=document.text,
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"), copy_of=copy_of,
            origin=document.origin, reported_by=document.reported_by,
        ))
        if fingerprint is not None:
            conn.execute(insert(document_fingerprints).values(
                document_id=document.id, shingles=fingerprint.shingles, signature=fingerprint.signature))
            conn.execute(insert(document_bands), [{"band_key": key, "document_id": document.id}
                                                  for key in fingerprint.bands()])
        return True

    def find_original(self, fingerprint: Fingerprint) -> str | None:
        """The stored document this fingerprint is a near-duplicate of (the first one ingested),
        or None."""
        from talentflow.dedup import Fingerprint
        with self.engine.connect() as conn:
            query = (
                select(documents.c.id, documents.c.copy_of, document_fingerprints.c.shingles,
                       document_fingerprints.c.signature)
                .join(document_fingerprints, document_fingerprints.c.document_id == documents.c.id)
                .where(documents.c.id.in_(select(document_bands.c.document_id)
                                          .where(document_bands.c.band_key.in_(fingerprint.bands()))))
                .order_by(documents.c.ingested_at, documents.c.id)
            )
            for row in conn.execute(query):
                if fingerprint.is_copy_of(Fingerprint(bytes(row.signature), row.shingles)):
                    return row.copy_of or row.id
        return None

    def _save_claim(self, conn: Connection, document: Document, claim: Claim) -> bool:
        person_id = self._person_id(conn, claim.person)
        for name in (claim.from_org, claim.to_org, claim.from_unit, claim.to_unit):
            self._org_ref(conn, name)
        exists = conn.execute(select(claims.c.id).where(
            claims.c.document_id == document.id, claims.c.kind == claim.kind, claims.c.person_id == person_id,
            claims.c.from_org.is_(None) if claim.from_org is None else claims.c.from_org == claim.from_org,
            claims.c.to_org.is_(None) if claim.to_org is None else claims.c.to_org == claim.to_org,
            claims.c.evidence_start == claim.evidence.start,
        )).first()
        if exists:
            return False
        claim_id = _new_id(conn.execute(insert(claims).values(
            document_id=document.id, kind=claim.kind, person_id=person_id,
            person_name=claim.person, from_org=claim.from_org, to_org=claim.to_org,
            from_unit=claim.from_unit, to_unit=claim.to_unit, role=claim.role, date=claim.date,
            date_stated=claim.date_stated, status=claim.status, confidence=claim.confidence,
            evidence_text=claim.evidence.text, evidence_start=claim.evidence.start, evidence_end=claim.evidence.end,
            extractor=claim.extractor, extractor_version=claim.extractor_version, rule=claim.rule,
        )))
        self._attach(conn, claim_id)
        return True

    # -- organizations ----------------------------------------------------------------------------

    def _org_id(self, conn: Connection, name: str) -> int:
        """The stored organization of this name (any case), created when unknown: never dropped."""
        row = conn.execute(select(organizations.c.id).where(organizations.c.name == name)).first() or conn.execute(
            select(organizations.c.id).where(func.lower(organizations.c.name) == name.lower())).first()
        if row:
            return row.id
        known = self.gazetteer.lookup(name)
        parent_id = None
        if known and known.parent and known.parent != name:
            parent_id = self._org_id(conn, known.parent)
        kind = known.kind if known else "company"
        return _new_id(conn.execute(
            insert(organizations).values(name=name, kind=kind, parent_id=parent_id)
        ))

    def sync_organizations(self) -> int:
        """Bring stored kinds and parents in line with the gazetteer (a user file may have changed
        them since); returns how many organizations changed."""
        changed = 0
        # Not a turn at the writers' lock: every process opening the store runs this, readers too,
        # and it neither reads nor makes people or moves.
        with self.engine.begin() as conn:
            rows = conn.execute(select(organizations)).all()
            ids = {r.name: r.id for r in rows}
            for r in rows:
                known = self.gazetteer.lookup(r.name)
                if known is None or known.name != r.name:
                    continue
                parent_id = r.parent_id
                if known.parent and known.parent != r.name:
                    parent_id = ids.get(known.parent) or self._org_id(conn, known.parent)
                if (known.kind, parent_id) != (r.kind, r.parent_id):
                    conn.execute(update(organizations).where(organizations.c.id == r.id).values(
                        kind=known.kind, parent_id=parent_id))
                    changed += 1
        if changed:  # a unit's moves count for the organizations above it
            with self.writing() as conn:
                summaries.recount(conn)
        return changed

    # -- people -----------------------------------------------------------------------------------

    def _person_id(self, conn: Connection, name: str) -> int:
        """The person this name belongs to: a known spelling, else the one person whose name agrees
        (middle names and initials tolerated), else a new person. Doubtful matches stay apart and
        are recorded as candidate pairs for ``talentflow people merge``."""
        key = name_key(name)
        row = conn.execute(select(person_names.c.person_id).where(person_names.c.key == key)).first()
        if row:
            return row.person_id
        parts = NameParts.of(name)
        apart = self._apart_keys(conn, key)
        agreeing: list[tuple[str, int]] = []  # (name key, person) of names that agree with this one
        doubtful: list[tuple[str, str]] = []
        for other in conn.execute(select(person_names).where(
                or_(person_names.c.last_key == parts.last, person_names.c.first_key == parts.first))):
            if other.key in apart:
                continue
            verdict, reason = compare_names(name, other.name)
            if verdict == "same":
                agreeing.append((other.key, other.person_id))
            elif verdict == "doubtful":
                doubtful.append((other.key, reason))
        if len({person for _, person in agreeing}) == 1:
            person_id = agreeing[0][1]
        else:
            doubtful += [(k, "agrees with several people") for k, _ in agreeing]
            person_id = _new_id(conn.execute(insert(people).values(name=name, key=key)))
            for other_key, reason in doubtful:
                self._record_pair(conn, key, other_key, "candidate", reason, overwrite=False)
        conn.execute(insert(person_names).values(key=key, person_id=person_id, name=name, first_key=parts.first,
                                                 last_key=parts.last))
        return person_id

    def _apart_keys(self, conn: Connection, key: str) -> set[str]:
        rows = conn.execute(select(person_pairs.c.key_a, person_pairs.c.key_b).where(
            person_pairs.c.decision == "apart", or_(person_pairs.c.key_a == key, person_pairs.c.key_b == key)))
        return {b if a == key else a for a, b in rows}

    def _record_pair(self, conn: Connection, key_a: str, key_b: str, decision: str, reason: str,
                     overwrite: bool = True) -> None:
        a, b = sorted((key_a, key_b))
        row = conn.execute(select(person_pairs.c.id).where(person_pairs.c.key_a == a,
                                                           person_pairs.c.key_b == b)).first()
        if row is None:
            conn.execute(insert(person_pairs).values(key_a=a, key_b=b, decision=decision, reason=reason))
        elif overwrite:
            conn.execute(update(person_pairs).where(person_pairs.c.id == row.id).values(decision=decision,
                                                                                        reason=reason))

    def _find_person(self, conn: Connection, name: str) -> int:
        row = conn.execute(select(person_names.c.person_id).where(person_names.c.key == name_key(name))).first()
        if row is None:
            raise LookupError(f"{name}: no person of that name in {self.url}")
        return row.person_id

    def merge_people(self, keep: str, other: str) -> str:
        """Make two people one: every name, claim and move of ``other`` goes to ``keep``. The
        decision is kept: later reports under either name find the merged person."""
        with self.writing() as conn:
            keep_id, other_id = self._find_person(conn, keep), self._find_person(conn, other)
            if keep_id == other_id:
                raise ValueError(f"{keep} and {other} are already one person")
            keep_keys = [r.key for r in conn.execute(select(person_names.c.key).where(
                person_names.c.person_id == keep_id))]
            other_keys = [r.key for r in conn.execute(select(person_names.c.key).where(
                person_names.c.person_id == other_id))]
            conn.execute(update(person_names).where(person_names.c.person_id == other_id).values(person_id=keep_id))
            conn.execute(update(claims).where(claims.c.person_id.in_([keep_id, other_id])).values(move_id=None))
            summaries.moves_changing(conn, moves.c.person_id.in_([keep_id, other_id]), -1)
            conn.execute(delete(moves).where(moves.c.person_id.in_([keep_id, other_id])))
            signature = (claims.c.document_id, claims.c.kind, claims.c.from_org, claims.c.to_org,
                         claims.c.evidence_start)
            kept = {tuple(r) for r in conn.execute(select(*signature).where(claims.c.person_id == keep_id))}
            for r in conn.execute(select(claims.c.id, *signature).where(claims.c.person_id == other_id)).all():
                if tuple(r)[1:] in kept:  # the same sentence already claimed for the kept person
                    conn.execute(delete(claims).where(claims.c.id == r.id))
            conn.execute(update(claims).where(claims.c.person_id == other_id).values(person_id=keep_id))
            conn.execute(update(cohort_members).where(cohort_members.c.key.in_(other_keys)).values(
                key=name_key(keep)))
            conn.execute(delete(people).where(people.c.id == other_id))
            for a in keep_keys:
                for b in other_keys:
                    self._record_pair(conn, a, b, "merged", "merged by a user")
            self._recluster(conn, keep_id)
            return conn.execute(select(people.c.name).where(people.c.id == keep_id)).scalar_one()

    def split_person(self, name: str) -> str:
        """Undo a merge: the name ``name`` becomes a person of its own, with the claims made under
        it, and stays apart from the person's other names from now on."""
        key = name_key(name)
        with self.writing() as conn:
            person_id = self._find_person(conn, name)
            others = conn.execute(select(person_names.c.key, person_names.c.name).where(
                person_names.c.person_id == person_id, person_names.c.key != key)).all()
            if not others:
                raise ValueError(f"{name}: only one name for this person, nothing to split")
            spelled = conn.execute(select(person_names.c.name).where(person_names.c.key == key)).scalar_one()
            current = conn.execute(select(people.c.key).where(people.c.id == person_id)).scalar_one()
            if current == key:  # the person was shown under the split name: show another one
                conn.execute(update(people).where(people.c.id == person_id).values(name=others[0].name,
                                                                                   key=others[0].key))
            new_id = _new_id(conn.execute(insert(people).values(name=spelled, key=key)))
            conn.execute(update(person_names).where(person_names.c.key == key).values(person_id=new_id))
            moved = [r.id for r in conn.execute(select(claims.c.id, claims.c.person_name).where(
                claims.c.person_id == person_id)) if name_key(r.person_name) == key]
            if moved:
                conn.execute(update(claims).where(claims.c.id.in_(moved)).values(person_id=new_id))
            for other in others:
                self._record_pair(conn, key, other.key, "apart", "split by a user")
            for pid in (person_id, new_id):
                self._recluster(conn, pid)
            return spelled

    # -- moves ------------------------------------------------------------------------------------

    def _attach(self, conn: Connection, claim_id: int) -> int | None:
        """Attach a claim to the move it tells of (see ``resolve.pick_move``). A fact (confirmed,
        reported, planned) joins its move or starts one; a rumour or a denial only sits beside a
        move that facts made (and is picked up when one appears later), never making one itself."""
        claim = conn.execute(
            select(claims.c.person_id, claims.c.kind, claims.c.from_org, claims.c.to_org, claims.c.date,
                   claims.c.status, documents.c.published)
            .join(documents, documents.c.id == claims.c.document_id).where(claims.c.id == claim_id)).one()
        shape = self._claim_shape(conn, claim.kind, claim)
        move_id = pick_move(shape, self._move_shapes(conn, claim.person_id, claim.kind))
        if move_id is None:
            if claim.status not in FACT_STATUSES:
                return None
            move_id = _new_id(conn.execute(insert(moves).values(
                kind=claim.kind, person_id=claim.person_id, from_org_id=shape.from_org, to_org_id=shape.to_org,
                date=claim.date, status=claim.status)))
            summaries.moves_changing(conn, moves.c.id == move_id, +1)
        conn.execute(update(claims).where(claims.c.id == claim_id).values(move_id=move_id))
        self._refresh_move(conn, move_id)
        if claim.status in FACT_STATUSES:
            self._adopt_reports(conn, move_id, claim.person_id, claim.kind)
        return move_id

    def _org_ref(self, conn: Connection, name: str | None) -> int | None:
        return self._org_id(conn, name) if name else None

    def _claim_shape(self, conn: Connection, kind: str, claim: Any) -> MoveShape:
        """A claim row (from_org, to_org, date and its document's published) as ``resolve`` sees it."""
        return MoveShape(kind, self._org_ref(conn, claim.from_org), self._org_ref(conn, claim.to_org), claim.date,
                         claim.published)

    def _move_shapes(self, conn: Connection, person_id: int, kind: str) -> list[tuple[int, MoveShape]]:
        rows = conn.execute(select(moves.c.id, moves.c.from_org_id, moves.c.to_org_id, moves.c.date).where(
            moves.c.person_id == person_id, moves.c.kind == kind).order_by(moves.c.id))
        return [(r.id, MoveShape(kind, r.from_org_id, r.to_org_id, r.date)) for r in rows]

    def _adopt_reports(self, conn: Connection, move_id: int, person_id: int, kind: str) -> None:
        """Rumours and denials waiting without a move that this move now answers."""
        waiting = conn.execute(
            select(claims.c.id, claims.c.from_org, claims.c.to_org, claims.c.date, documents.c.published)
            .join(documents, documents.c.id == claims.c.document_id)
            .where(claims.c.person_id == person_id, claims.c.kind == kind, claims.c.move_id.is_(None),
                   claims.c.status.notin_(list(FACT_STATUSES)), not_rejected())).all()
        if not waiting:
            return
        (target,) = [s for s in self._move_shapes(conn, person_id, kind) if s[0] == move_id]
        adopted = [r.id for r in waiting if pick_move(self._claim_shape(conn, kind, r), [target]) == move_id]
        if adopted:
            conn.execute(update(claims).where(claims.c.id.in_(adopted)).values(move_id=move_id))
            self._refresh_move(conn, move_id)

    def _refresh_move(self, conn: Connection, move_id: int) -> None:
        """Derive everything a move says from its facts: organizations, status, dates, units, role
        and source count. Rumours and denials beside it are only counted; a move left with no fact
        is deleted and they wait for another."""
        rows = conn.execute(
            select(claims.c.document_id, claims.c.status, claims.c.date, claims.c.date_stated, claims.c.from_org,
                   claims.c.to_org, claims.c.from_unit, claims.c.to_unit, claims.c.role, documents.c.published)
            .join(documents, documents.c.id == claims.c.document_id)
            .where(claims.c.move_id == move_id).order_by(claims.c.id)
        ).all()
        facts = [r for r in rows if r.status in FACT_STATUSES]
        summaries.moves_changing(conn, moves.c.id == move_id, -1)
        if not facts:
            conn.execute(update(claims).where(claims.c.move_id == move_id).values(move_id=None))
            conn.execute(delete(moves).where(moves.c.id == move_id))
            return
        effective = effective_date(r.date for r in facts if r.date_stated and r.date)
        copies = conn.execute(select(documents.c.published).where(
            documents.c.copy_of.in_(sorted({r.document_id for r in facts})))).all()
        published = [r.published for r in [*facts, *copies] if r.published]
        reported = sorted(r.date for r in facts if r.date)
        conn.execute(update(moves).where(moves.c.id == move_id).values(
            from_org_id=self._org_ref(conn, next((r.from_org for r in facts if r.from_org), None)),
            to_org_id=self._org_ref(conn, next((r.to_org for r in facts if r.to_org), None)),
            status=move_status(r.status for r in facts),
            denials=len({r.document_id for r in rows if r.status == "denied"}),
            sources=len({r.document_id for r in facts}),
            copies=len(copies),
            first_seen=min(published) if published else None,
            effective_date=effective,
            # A move told only as undated history ("before joining X", "founded X") has no date.
            date=effective or (reported[0] if reported else None),
            from_unit=next((r.from_unit for r in facts if r.from_unit), None),
            to_unit=next((r.to_unit for r in facts if r.to_unit), None),
            role=next((r.role for r in facts if r.role), None),
        ))
        summaries.moves_changing(conn, moves.c.id == move_id, +1)

    def rebuild_summaries(self) -> None:
        """Count the summaries afresh from the moves (after moves were written by other means, such
        as a benchmark's bulk insert)."""
        with self.writing() as conn:
            summaries.recount(conn)

    def _recluster(self, conn: Connection, person_id: int) -> None:
        """Group a person's claims into moves afresh, oldest report first (after a merge or split)."""
        theirs = select(moves.c.id).where(moves.c.person_id == person_id).scalar_subquery()
        conn.execute(update(claims).where(or_(claims.c.person_id == person_id, claims.c.move_id.in_(theirs)))
                     .values(move_id=None))
        summaries.moves_changing(conn, moves.c.person_id == person_id, -1)
        conn.execute(delete(moves).where(moves.c.person_id == person_id))
        rows = conn.execute(
            select(claims.c.id).join(documents, documents.c.id == claims.c.document_id)
            .where(claims.c.person_id == person_id, not_rejected())
            .order_by(documents.c.published, claims.c.id)
        ).all()
        for r in rows:
            self._attach(conn, r.id)

    # -- reviews ----------------------------------------------------------------------------------

    def review_claim(self, claim_id: int, verdict: Verdict, person: str | None = None, from_org: str | None = None,
                     to_org: str | None = None, status: str | None = None) -> int | None:
        """Record a reviewer's decision on a claim and change the graph at once: a wrong claim
        leaves its move (a move with no claim left is deleted); a corrected one (person,
        organizations, status; an empty organization clears it) is attached again where it now
        belongs. Returns the claim's move. Documents already stored are never re-extracted, so
        the decision survives re-ingest."""
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
        if status is not None and status not in ALL_STATUSES:
            raise ValueError(f"status must be one of {', '.join(ALL_STATUSES)}, not {status!r}")
        with self.writing() as conn:
            claim = conn.execute(select(claims).where(claims.c.id == claim_id)).first()
            if claim is None:
                raise LookupError(f"claim {claim_id}: no such claim")
            if person is not None and not person.strip():
                raise ValueError("a claim needs a person: the name cannot be blank")
            # Names as given, without surrounding white space; a blank organization clears it.
            person, from_org, to_org = (v.strip() if v is not None else None for v in (person, from_org, to_org))
            wanted = {"person_name": person, "from_org": from_org, "to_org": to_org, "status": status}
            changes = {field: [getattr(claim, field), value or None] for field, value in wanted.items()
                       if value is not None and (value or None) != getattr(claim, field)}
            if changes and verdict == "correct":
                verdict = "corrected"
            values: dict[str, object] = {field: new for field, (_, new) in changes.items()}
            if "person_name" in changes:
                if not person:
                    raise ValueError("a claim needs a person")
                values["person_id"] = self._person_id(conn, person)
            values["review"] = verdict
            conn.execute(update(claims).where(claims.c.id == claim_id).values(move_id=None, **values))
            conn.execute(insert(reviews).values(claim_id=claim_id, verdict=verdict,
                                                changes=json.dumps(changes, ensure_ascii=False) if changes else None,
                                                reviewed_at=datetime.now(UTC).isoformat(timespec="seconds")))
            if claim.move_id is not None:
                self._refresh_move(conn, claim.move_id)
            if verdict == "wrong":
                return None
            return self._attach(conn, claim_id)

    # -- cohorts ----------------------------------------------------------------------------------

    def create_cohort(self, name: str, org: str, members: list[str], replace: bool = False) -> int:
        """A named set of people measured against one organization; returns the number of members."""
        keys = {name_key(m): m.strip() for m in members if name_key(m)}
        if not keys:
            raise ValueError(f"cohort {name}: no member names given")
        with self.writing() as conn:
            existing = conn.execute(select(cohorts.c.id).where(cohorts.c.name == name)).first()
            if existing and not replace:
                raise ValueError(f"cohort {name} exists already (use --replace to redefine it)")
            if existing:
                conn.execute(delete(cohort_members).where(cohort_members.c.cohort_id == existing.id))
                conn.execute(delete(cohorts).where(cohorts.c.id == existing.id))
            created = datetime.now(UTC).isoformat(timespec="seconds")
            cohort_id = _new_id(conn.execute(insert(cohorts).values(
                name=name, org=self.gazetteer.canonical(org), created_at=created)))
            conn.execute(insert(cohort_members), [{"cohort_id": cohort_id, "name": m, "key": k}
                                                  for k, m in keys.items()])
        return len(keys)


# Any fixed numbers: the PostgreSQL advisory locks that migrating and writing processes take in turn.
MIGRATION_LOCK_KEY = 7_310_420_025
WRITE_LOCK_KEY = 7_310_420_026


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Hold an exclusive flock on a SQLite file while it is opened and migrated (SQLite locks with
    fcntl byte ranges, which flock does not touch)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    import fcntl

    try:
        lock = open(database, "ab")  # noqa: SIM115 - held for the whole block below
    except OSError:  # a file this user may only read: nothing to migrate here, and no lock to take
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


Stored = TypeVar("Stored", Document, Claim, Evidence)


def _storable(item: Stored) -> Stored:
    """The item with NUL as a space in every text (PostgreSQL stores no NUL; the same length keeps
    evidence offsets): a record id, a name or an evidence sentence may hold one."""
    changes: dict[str, Any] = {}
    for f in fields(item):
        value = getattr(item, f.name)
        if isinstance(value, str) and "\x00" in value:
            changes[f.name] = value.replace("\x00", " ")
        elif isinstance(value, Evidence):
            changes[f.name] = _storable(value)
    return replace(item, **changes) if changes else item


def not_rejected() -> Any:
    """Claims a reviewer has not marked wrong (the condition, for a query's where)."""
    return or_(claims.c.review.is_(None), claims.c.review != "wrong")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _new_id(result: Any) -> int:
    """The primary key of the row an insert just wrote."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the database returned no key for an inserted row")
    return int(key[0])
