"""Storage: documents, claims, people, organizations and moves in SQLite (default) or PostgreSQL.

``Store(url)`` opens the database and brings its schema up to date with Alembic. Each document is
saved with all its claims in one transaction, so an interrupted ingest never leaves half a
document behind, and a document already stored (same text hash) is left untouched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, insert, select, update

from talentflow.models import Claim, Document, name_key
from talentflow.orgs import Gazetteer, load_gazetteer
from talentflow.schema import claims, documents, moves, organizations, people

DB_ENV = "TALENTFLOW_DB"
DEFAULT_DB = "talentflow.db"
# A move's status is the strongest its claims support; denials are kept but rank last.
STATUS_RANK = {"confirmed": 5, "reported": 4, "planned": 3, "rumored": 2, "denied": 1}


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
        self.engine: Engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.migrate()

    def migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(resources.files("talentflow") / "migrations"))
        with self.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()

    # -- writing ----------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).where(documents.c.id == doc_id)).first() is not None

    def save(self, document: Document, found: list[Claim]) -> SaveResult:
        """Store a document and its claims in one transaction; nothing if it is already stored."""
        with self.engine.begin() as conn:
            if conn.execute(select(documents.c.id).where(documents.c.id == document.id)).first():
                return SaveResult(new=False, claims=0)
            conn.execute(insert(documents).values(
                id=document.id, label=document.label, url=document.url, title=document.title,
                published=document.published, source_path=document.source_path, text=document.text,
                ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
            ))
            stored = 0
            for claim in found:
                if self._save_claim(conn, document, claim):
                    stored += 1
            return SaveResult(new=True, claims=stored)

    def _save_claim(self, conn: Connection, document: Document, claim: Claim) -> bool:
        person_id = self._person_id(conn, claim.person)
        from_id = self._org_id(conn, claim.from_org) if claim.from_org else None
        to_id = self._org_id(conn, claim.to_org) if claim.to_org else None
        for unit in (claim.from_unit, claim.to_unit):
            if unit:
                self._org_id(conn, unit)
        exists = conn.execute(select(claims.c.id).where(
            claims.c.document_id == document.id, claims.c.kind == claim.kind, claims.c.person_id == person_id,
            claims.c.from_org.is_(None) if claim.from_org is None else claims.c.from_org == claim.from_org,
            claims.c.to_org.is_(None) if claim.to_org is None else claims.c.to_org == claim.to_org,
            claims.c.evidence_start == claim.evidence.start,
        )).first()
        if exists:
            return False
        move_id = self._merge_into_move(conn, claim, person_id, from_id, to_id, document)
        conn.execute(insert(claims).values(
            document_id=document.id, move_id=move_id, kind=claim.kind, person_id=person_id,
            person_name=claim.person, from_org=claim.from_org, to_org=claim.to_org,
            from_unit=claim.from_unit, to_unit=claim.to_unit, role=claim.role, date=claim.date,
            status=claim.status, confidence=claim.confidence, evidence_text=claim.evidence.text,
            evidence_start=claim.evidence.start, evidence_end=claim.evidence.end,
            extractor=claim.extractor, extractor_version=claim.extractor_version, rule=claim.rule,
        ))
        return True

    def _person_id(self, conn: Connection, name: str) -> int:
        key = name_key(name)
        row = conn.execute(select(people.c.id).where(people.c.key == key)).first()
        if row:
            return row.id
        return conn.execute(insert(people).values(name=name, key=key)).inserted_primary_key[0]

    def _org_id(self, conn: Connection, name: str) -> int:
        row = conn.execute(select(organizations.c.id).where(organizations.c.name == name)).first()
        if row:
            return row.id
        known = self.gazetteer.lookup(name)
        parent_id = None
        if known and known.parent and known.parent != name:
            parent_id = self._org_id(conn, known.parent)
        kind = known.kind if known else "company"
        return conn.execute(
            insert(organizations).values(name=name, kind=kind, parent_id=parent_id)
        ).inserted_primary_key[0]

    def _merge_into_move(self, conn: Connection, claim: Claim, person_id: int, from_id: int | None,
                         to_id: int | None, document: Document) -> int:
        """Attach the claim to the move it tells of, or start a new move.

        Two claims tell of the same move when they name the same person and kind and their
        organizations agree where both name one ("left OpenAI" and "left OpenAI for Meta").
        """
        published = document.published
        candidates = conn.execute(select(moves).where(moves.c.person_id == person_id,
                                                      moves.c.kind == claim.kind)).all()
        for move in candidates:
            same_from = move.from_org_id == from_id or None in (move.from_org_id, from_id)
            same_to = move.to_org_id == to_id or None in (move.to_org_id, to_id)
            shares = (from_id is not None and move.from_org_id == from_id) or (
                to_id is not None and move.to_org_id == to_id)
            if not (same_from and same_to and shares and _close_dates(move.date, claim.date)):
                continue
            status = move.status
            if STATUS_RANK[claim.status] > STATUS_RANK[move.status]:
                status = claim.status
            # Sources are documents: a second sentence of the same article adds no source.
            same_doc = conn.execute(select(claims.c.id).where(
                claims.c.move_id == move.id, claims.c.document_id == document.id)).first()
            first_seen = min(d for d in (move.first_seen, published) if d) if (move.first_seen or published) else None
            conn.execute(update(moves).where(moves.c.id == move.id).values(
                from_org_id=move.from_org_id or from_id, to_org_id=move.to_org_id or to_id,
                from_unit=move.from_unit or claim.from_unit, to_unit=move.to_unit or claim.to_unit,
                role=move.role or claim.role, date=_earliest(move.date, claim.date), status=status,
                first_seen=first_seen, sources=move.sources + (0 if same_doc else 1),
            ))
            return move.id
        return conn.execute(insert(moves).values(
            kind=claim.kind, person_id=person_id, from_org_id=from_id, to_org_id=to_id,
            from_unit=claim.from_unit, to_unit=claim.to_unit, role=claim.role, date=claim.date,
            status=claim.status, first_seen=published, sources=1,
        )).inserted_primary_key[0]


def _close_dates(a: str | None, b: str | None) -> bool:
    """Two reports of one move: dates unknown, or at most a year apart (Karpathy left OpenAI in
    2017 and again in 2024: two moves)."""
    if not a or not b:
        return True
    return abs(int(a[:4]) - int(b[:4])) <= 1


def _earliest(a: str | None, b: str | None) -> str | None:
    values = [v for v in (a, b) if v]
    return min(values) if values else None


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
