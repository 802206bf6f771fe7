"""The data model of talentflow, in one place.

Every stage passes these plain, typed objects to the next: ingest makes Documents, extract makes
Claims (one fact stated by one document, with its evidence), resolve and store turn claims into
People, Organizations and Moves.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Literal

ClaimKind = Literal["move", "founding"]
Status = Literal["confirmed", "reported", "planned", "rumored", "denied"]

# Statuses that describe something that happened or is agreed; the others are kept but not shown
# by default (attempts, talks, refusals).
FACT_STATUSES: tuple[Status, ...] = ("confirmed", "reported", "planned")
ALL_STATUSES: tuple[Status, ...] = ("confirmed", "reported", "planned", "rumored", "denied")
# Attempts, talks and refusals: kept as claims and shown beside moves, but they never make one.
REPORT_STATUSES: tuple[Status, ...] = tuple(s for s in ALL_STATUSES if s not in FACT_STATUSES)


def normalize_text(text: str) -> str:
    """The text a document is identified by: NFC, unified line ends, trimmed trailing spaces, NUL
    as a space (PostgreSQL cannot store it; neither can a reader see it)."""
    text = unicodedata.normalize("NFC", text.replace("\x00", " ")).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def document_id(text: str) -> str:
    """Hash of the normalized text: the same article ingested twice gets the same id."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()[:32]


# What may follow a surname as part of the name, a generation: "Wright Lassiter III", "Tom Fisk Jr."
NAME_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A comparison key for names: accents, case and punctuation ignored. (Cached: extraction asks it
    of every capitalised word.)"""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", ascii_only.lower()).strip()


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    url: str | None = None
    title: str | None = None
    published: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    author: str | None = None
    source_path: str | None = None
    # What a user calls this document: the JSONL record id or the path as given.
    label: str | None = None
    # A retelling, not the report itself (the bundled samples are our own words): who wrote it
    # ("written for the talentflow demo, after Bloomberg, 2024-05-28"), and the URL of the report it
    # follows. That URL is credit, not the place where the evidence sentences stand; `url` is.
    origin: str | None = None
    reported_by: str | None = None

    @property
    def reference(self) -> str:
        """How claims name the document: its label, else its path, else its id."""
        return self.label or self.source_path or self.id

    @classmethod
    def from_text(cls, text: str, exact: bool = False, **meta: Any) -> Document:
        """A document of the text, normalized, or as given with ``exact`` (what the user gave:
        evidence offsets then index their text). The id is the hash of the normalized text either
        way, so that the same article is one document however it was spaced."""
        # NUL becomes a space even in exact text: same length, so evidence offsets still hold.
        return cls(id=document_id(text), text=text.replace("\x00", " ") if exact else normalize_text(text), **meta)


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int
    end: int


@dataclass
class Claim:
    """One fact extracted from one document."""

    kind: ClaimKind
    person: str
    evidence: Evidence
    from_org: str | None = None
    to_org: str | None = None
    from_unit: str | None = None
    to_unit: str | None = None
    role: str | None = None
    date: str | None = None  # the move's own date when the text states one, else the publication date
    date_stated: bool = False  # whether `date` comes from the text
    status: Status = "confirmed"
    confidence: float = 0.5
    extractor: str = "rules"
    extractor_version: str = "0"
    doc: str | None = None  # the document's label (record id or path)
    rule: str | None = None  # which rule produced it, for `talentflow explain`

    def items(self) -> list[tuple[str, str, str | None]]:
        """(type, organization, unit) of each fact the claim states: "founded" the company of a founding,
        "left" and "joined" the organizations a move names."""
        if self.kind == "founding":
            sides = [("founded", self.to_org, self.to_unit)]
        else:
            sides = [("left", self.from_org, self.from_unit), ("joined", self.to_org, self.to_unit)]
        return [(kind, org, unit) for kind, org, unit in sides if org]

    def to_contract(self) -> dict[str, Any]:
        """The `extract --format jsonl` contract documented in the README."""
        return {
            "doc": self.doc,
            "kind": self.kind,
            "person": self.person,
            "from_org": self.from_org,
            "to_org": self.to_org,
            "from_unit": self.from_unit,
            "to_unit": self.to_unit,
            "role": self.role,
            "date": self.date,
            "status": self.status,
            "confidence": round(self.confidence, 3),
            "evidence": asdict(self.evidence),
        }


@dataclass(frozen=True)
class Organization:
    name: str
    kind: str = "company"  # company, lab, university, government, media, unit
    parent: str | None = None  # FAIR is a unit of Meta
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    name: str
    key: str = ""


@dataclass
class Move:
    """What happened, as told by one or more claims from different documents."""

    id: int | None
    kind: ClaimKind
    person: str
    from_org: str | None
    to_org: str | None
    from_unit: str | None = None
    to_unit: str | None = None
    role: str | None = None
    date: str | None = None
    status: Status = "confirmed"
    sources: int = 1
    first_seen: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
