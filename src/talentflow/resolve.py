"""Resolution: which names are one person, which claims are one move, and what a move's status
and dates are, given all its claims.

These are pure functions over plain values; ``store.py`` applies them inside its transactions.
The rules lean towards keeping things apart: two records wrongly merged hide a person, while two
records wrongly kept apart only wait for ``talentflow people merge``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import JaroWinkler

from talentflow.models import Status, name_key

# Name parts that say nothing about who someone is.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "dr", "prof"})
# Jaro-Winkler similarity (0 to 1), which weighs the start of a name most. A first name this similar
# to another ("Alexei" / "Aleksei" 0.89, "Ilya" / "Ilia" 0.87) may be a spelling variant: doubtful.
# "Wei" / "Hui" (0.56) or "Mark" / "Mike" (0.67) are other people.
SIMILAR_FIRST_NAME = 0.85
# A surname this similar with the same first name may be a typo ("Sutskever" / "Sutskevar"): doubtful.
SIMILAR_LAST_NAME = 0.9
# Reports of one move are at most this many months apart (Karpathy left OpenAI in 2017 and 2024).
SAME_MOVE_MONTHS = 12
# "X left A" and "X joined B" from different reports are one move A -> B when this close.
COMPLEMENTARY_MONTHS = 3
# A move's status is the strongest its claims support; a denial only wins when nothing else is said.
STATUS_RANK: dict[str, int] = {"confirmed": 5, "reported": 4, "planned": 3, "rumored": 2, "denied": 1}

Verdict = Literal["same", "doubtful", "different"]


@dataclass(frozen=True)
class NameParts:
    key: str
    first: str
    middle: tuple[str, ...]
    last: str

    @classmethod
    def of(cls, name: str) -> NameParts:
        tokens = [t for t in name_key(name).split() if t not in NAME_SUFFIXES] or name_key(name).split() or [""]
        return cls(key=" ".join(tokens), first=tokens[0], middle=tuple(tokens[1:-1]), last=tokens[-1])


def compare_names(a: str, b: str) -> tuple[Verdict, str]:
    """Whether two full names are one person, with the reason.

    Same key (case, accents, punctuation ignored), or the same first and last name where the middle
    names and initials do not contradict each other: the same person. A first initial for a first
    name, a near-identical spelling: doubtful. Anything else, including a shared surname: different.
    """
    x, y = NameParts.of(a), NameParts.of(b)
    if x.key == y.key:
        return "same", "same name"
    if x.last == y.last:
        if x.first == y.first:
            if _middles_agree(x.middle, y.middle):
                return "same", "same first and last name; middle names agree"
            return "doubtful", "same first and last name, different middle names"
        if _initial_of(x.first, y.first) or _initial_of(y.first, x.first):
            return "doubtful", "a first initial for a first name"
        if JaroWinkler.similarity(x.first, y.first) >= SIMILAR_FIRST_NAME:
            return "doubtful", "first names spelt alike"
        return "different", "same surname, another first name"
    if x.first == y.first and JaroWinkler.similarity(x.last, y.last) >= SIMILAR_LAST_NAME:
        return "doubtful", "surnames spelt alike"
    return "different", "different names"


def _initial_of(short: str, full: str) -> bool:
    return len(short) == 1 and len(full) > 1 and full.startswith(short)


def _middles_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Missing middle names agree with anything; "A" agrees with "Anne"; "A" disagrees with "B"."""
    return all(x == y or _initial_of(x, y) or _initial_of(y, x) for x, y in zip(a, b, strict=False))


# -- moves ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveShape:
    """What decides whether two reports tell of the same move."""

    kind: str
    from_org: int | None
    to_org: int | None
    date: str | None  # the best date known: the move's own, else when it was reported


def same_move(a: MoveShape, b: MoveShape) -> bool:
    """Two reports of one move: same kind, no contradicting organization, close dates, and either a
    shared organization or a leaving and a joining that complete each other within weeks."""
    if a.kind != b.kind:
        return False
    for x, y in ((a.from_org, b.from_org), (a.to_org, b.to_org)):
        if x is not None and y is not None and x != y:
            return False
    gap = months_apart(a.date, b.date)
    shares = (a.from_org is not None and a.from_org == b.from_org) or (a.to_org is not None and a.to_org == b.to_org)
    if shares:
        return gap is None or gap <= SAME_MOVE_MONTHS
    complementary = a.kind == "move" and (
        (a.from_org is not None and a.to_org is None and b.from_org is None and b.to_org is not None)
        or (a.to_org is not None and a.from_org is None and b.to_org is None and b.from_org is not None)
    )
    return complementary and gap is not None and gap <= COMPLEMENTARY_MONTHS


def months_apart(a: str | None, b: str | None) -> int | None:
    """Whole months between two dates of any precision, or None when either is unknown."""
    if not a or not b:
        return None
    return abs(_month_index(a) - _month_index(b))


def _month_index(value: str) -> int:
    parts = value.split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else 6  # a bare year sits mid-year, half a year from either end
    return year * 12 + month


def precision(value: str | None) -> str | None:
    """day, month or year: how much of a YYYY[-MM[-DD]] date is known."""
    if not value:
        return None
    return {1: "year", 2: "month", 3: "day"}[len(value.split("-"))]


def move_status(statuses: Iterable[str]) -> Status:
    """The strongest status its claims support (confirmed > reported > planned > rumored > denied)."""
    best: Status = max(statuses, key=lambda s: STATUS_RANK[s])  # type: ignore[arg-type]
    return best


def effective_date(stated: Iterable[str]) -> str | None:
    """The move's own date from the texts that state one: the most precise, then the earliest."""
    values = sorted(set(stated), key=lambda d: (-len(d), d))
    return values[0] if values else None
