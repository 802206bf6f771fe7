"""Resolution: which names are one person, which claims are one move, and what a move's status
and dates are, given all its claims.

These are pure functions over plain values; ``store.py`` applies them inside its transactions.
The rules lean towards keeping things apart: two records wrongly merged hide a person, while two
records wrongly kept apart only wait for ``talentflow people merge``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
    reported: str | None = None  # for a claim: when its document was published


def same_move(a: MoveShape, b: MoveShape) -> bool:
    """Two reports of one move: same kind, no contradicting organization, close dates, and either a
    shared organization or a leaving and a joining that complete each other within weeks. A person
    founds a company once, whenever it is told."""
    if a.kind != b.kind:
        return False
    if a.kind == "founding":
        return a.to_org is not None and a.to_org == b.to_org
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
    # Leaving X and joining X are two moves (a return), never one move from X to X.
    returns = {a.from_org, b.from_org} & {a.to_org, b.to_org} - {None}
    return complementary and not returns and gap is not None and gap <= COMPLEMENTARY_MONTHS


def undated_conflict(claim: MoveShape, move: MoveShape, others: Iterable[MoveShape]) -> str | None:
    """Why an undated claim may not join a dated move that its organizations agree with, or None.

    - the move is dated after the document that tells of it was published;
    - the claim would add an organization to the move while the person's career has another move
      on the other side of that organization (a return: "left OpenAI" and "joined OpenAI" again),
      so the claim could tell of either."""
    if claim.date is not None or move.date is None or claim.kind == "founding":
        return None
    if claim.reported and _month_index(move.date) > _month_index(claim.reported):
        return "the move is dated after the report that would tell of it"
    added = [org for org, have in ((claim.from_org, move.from_org), (claim.to_org, move.to_org))
             if org is not None and have is None]
    for org in (claim.from_org, claim.to_org):
        if added and org is not None and any(
                (o.from_org == org and claim.to_org == org) or (o.to_org == org and claim.from_org == org)
                for o in others):
            return "the person both left and joined this organization; the claim could tell of either"
    return None


def pick_move(claim: MoveShape, moves: Sequence[tuple[int, MoveShape]]) -> int | None:
    """The move a claim tells of among a person's moves, or None when it starts a move of its own.
    A dated claim goes to the closest agreeing move; an undated one only to the one move it fits
    without contradiction (two candidates: it could be either, so it stays apart)."""
    fits = [(move_id, shape) for move_id, shape in moves if same_move(shape, claim) and not undated_conflict(
        claim, shape, [s for i, s in moves if i != move_id])]
    if not fits:
        return None
    if claim.date is None:
        return fits[0][0] if len(fits) == 1 or claim.kind == "founding" else None
    return min(fits, key=lambda f: months_apart(f[1].date, claim.date) or 0)[0]


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


def merge_reasons(kind: str, facts: Sequence[dict]) -> list[str]:
    """Why these claims (person_name, from_org, to_org, date of each fact) were made one move, in
    words a reader can check against the evidence."""
    if len(facts) < 2:
        return []
    names = sorted({f["person_name"] for f in facts})
    reasons = ["same person: " + (names[0] if len(names) == 1 else " / ".join(names) + " (spellings of one name)")]
    if kind == "founding":
        reasons.append(f"same company founded ({facts[0]['to_org']}): a person founds a company once")
        return reasons
    for side, word in (("from_org", "left"), ("to_org", "joined")):
        named = sorted({f[side] for f in facts if f[side]})
        silent = sum(1 for f in facts if not f[side])
        if named:
            reasons.append(f"organizations agree: {len(facts) - silent} claim(s) say {word} {named[0]}"
                           + (f", {silent} name(s) no organization there" if silent else ""))
    dated = sorted(f["date"] for f in facts if f["date"])
    if len(dated) > 1:
        gap = months_apart(dated[0], dated[-1]) or 0
        reasons.append(f"dates agree: {dated[0]} to {dated[-1]}, {gap} month(s) apart "
                       f"(reports of one move are at most {SAME_MOVE_MONTHS} apart)")
    undated = len(facts) - len(dated)
    if undated:
        reasons.append(f"{undated} undated claim(s): this is the only move of the person they fit")
    return reasons
