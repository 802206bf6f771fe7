"""The summaries the store keeps beside the moves, so that questions over a million moves read a
few rows instead of every move:

- ``flow_counts``: moves per pair of organizations (all-time flows, the net flow's counts);
- ``org_move_counts``: moves per organization (units counted for the organizations above them),
  side, kind and status (an organization's totals);
- ``org_departures``: per organization and person, the latest departure and return (alumni pages).

Every write that adds, changes or deletes moves tells ``moves_changing`` before (-1) and after (+1);
what the transaction changed is settled once, at its end (``settle``): a move's contribution when
the transaction first touched it is taken away and its final one added, so a move refreshed without
change costs no update, and its people's departures are counted afresh. ``recount`` rebuilds them
all (moves written around the store, or organizations that changed parents).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, text, true, update

from talentflow.models import FACT_STATUSES
from talentflow.schema import flow_counts, moves, org_departures, org_move_counts

FlowKey = tuple[int, int, str]  # from organization, to organization, status
OrgKey = tuple[int, str, str, str]  # organization, side, kind, status
CHUNK = 1000  # ids per IN (...) list
# The info key of a connection under which its write transaction keeps its ``Changes``.
CHANGES = "talentflow_summary_changes"

# Every departure and return of a person, at the organization it names and every organization
# above it (a unit's departure is also one from its parent; a unit may be named by ``from_unit``
# only), then one row per organization and person: what ``query.alumni`` pages from.
DEPARTURES_SQL = """
WITH RECURSIVE leg(person_id, side, org_id, date) AS (
    SELECT person_id, 'from', from_org_id, date FROM moves
     WHERE kind = 'move' AND status IN :statuses AND from_org_id IS NOT NULL {people}
    UNION ALL
    SELECT m.person_id, 'from', o.id, m.date FROM moves m JOIN organizations o ON o.name = m.from_unit
     WHERE m.kind = 'move' AND m.status IN :statuses {m_people}
    UNION ALL
    SELECT person_id, 'to', to_org_id, date FROM moves
     WHERE kind = 'move' AND status IN :statuses AND to_org_id IS NOT NULL {people}
    UNION ALL
    SELECT m.person_id, 'to', o.id, m.date FROM moves m JOIN organizations o ON o.name = m.to_unit
     WHERE m.kind = 'move' AND m.status IN :statuses {m_people}
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


# Each side of a move at the organization it names and every organization above it, counted per
# organization, side (and either side: a move once), kind and status.
ORG_MOVES_SQL = """
WITH RECURSIVE leg(move_id, kind, status, side, org_id) AS (
    SELECT id, kind, status, 'from', from_org_id FROM moves WHERE from_org_id IS NOT NULL {ids}
    UNION ALL
    SELECT m.id, m.kind, m.status, 'from', o.id FROM moves m JOIN organizations o ON o.name = m.from_unit
     WHERE 1 = 1 {m_ids}
    UNION ALL
    SELECT id, kind, status, 'to', to_org_id FROM moves WHERE to_org_id IS NOT NULL {ids}
    UNION ALL
    SELECT m.id, m.kind, m.status, 'to', o.id FROM moves m JOIN organizations o ON o.name = m.to_unit
     WHERE 1 = 1 {m_ids}
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


@dataclass
class Changes:
    """What one write transaction has changed so far: the moves it touched, each with what it
    counted for before the transaction touched it, and their people."""

    flows_before: Counter[FlowKey] = field(default_factory=Counter)
    orgs_before: Counter[OrgKey] = field(default_factory=Counter)
    touched: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)


def moves_changing(conn: Connection, which: Any, sign: int) -> None:
    """The moves ``which`` selects are about to change (``sign`` -1) or have changed (+1). Their
    people's departures are deleted at once: a merge is about to delete one of them."""
    found = conn.execute(select(moves.c.id, moves.c.person_id).where(which)).all()
    if not found:
        return
    changes: Changes = conn.info.setdefault(CHANGES, Changes())
    new = sorted({r.id for r in found} - changes.touched)
    if sign < 0 and new:  # what they counted for as the transaction found them (a new move: nothing)
        changes.flows_before.update(flow_contributions(conn, new))
        changes.orgs_before.update(org_contributions(conn, new))
    changes.touched.update(new)
    people = sorted({r.person_id for r in found} - changes.people)
    if sign < 0 and people:
        conn.execute(delete(org_departures).where(org_departures.c.person_id.in_(people)))
    changes.people.update(people)


def settle(conn: Connection) -> None:
    """At the end of a write transaction: the summaries of the moves it touched, as they are now."""
    changes: Changes | None = conn.info.pop(CHANGES, None)
    if changes is None:
        return
    touched = sorted(changes.touched)
    flows = flow_contributions(conn, touched)
    flows.subtract(changes.flows_before)
    _add_flows(conn, flows)
    orgs = org_contributions(conn, touched)
    orgs.subtract(changes.orgs_before)
    _add_org_moves(conn, orgs)
    _count_departures(conn, sorted(changes.people))


def recount(conn: Connection) -> None:
    """Every summary afresh, from the moves."""
    conn.info.pop(CHANGES, None)
    for table in (flow_counts, org_move_counts, org_departures):
        conn.execute(delete(table))
    _add_flows(conn, flow_contributions(conn, None))
    _add_org_moves(conn, org_contributions(conn, None))
    _count_departures(conn, None)


def flow_contributions(conn: Connection, ids: list[int] | None) -> Counter[FlowKey]:
    """What these moves (every move with None) count for in ``flow_counts``."""
    counted: Counter[FlowKey] = Counter()
    query = (select(moves.c.from_org_id, moves.c.to_org_id, moves.c.status, func.count().label("n"))
             .where(moves.c.kind == "move", moves.c.from_org_id.is_not(None), moves.c.to_org_id.is_not(None),
                    moves.c.status.in_(FACT_STATUSES))
             .group_by(moves.c.from_org_id, moves.c.to_org_id, moves.c.status))
    for chunk in _chunks(ids):
        for r in conn.execute(query.where(moves.c.id.in_(chunk) if chunk is not None else true())):
            counted[(r.from_org_id, r.to_org_id, r.status)] += r.n
    return counted


def org_contributions(conn: Connection, ids: list[int] | None) -> Counter[OrgKey]:
    """What these moves (every move with None) count for in ``org_move_counts``."""
    counted: Counter[OrgKey] = Counter()
    for chunk in _chunks(ids):
        statement = text(ORG_MOVES_SQL.format(ids="" if chunk is None else "AND id IN :ids",
                                              m_ids="" if chunk is None else "AND m.id IN :ids"))
        if chunk is not None:
            statement = statement.bindparams(bindparam("ids", chunk, expanding=True))
        for r in conn.execute(statement):
            counted[(r.org_id, r.side, r.kind, r.status)] += r.n
    return counted


def _count_departures(conn: Connection, people: list[int] | None) -> None:
    """The ``org_departures`` rows of these people (everyone with None) afresh, from their moves."""
    for chunk in _chunks(people):
        where = "" if chunk is None else "AND person_id IN :people"
        statement = text(DEPARTURES_SQL.format(people=where, m_people=where.replace("person_id", "m.person_id")))
        statement = statement.bindparams(bindparam("statuses", list(FACT_STATUSES), expanding=True))
        if chunk is not None:
            conn.execute(delete(org_departures).where(org_departures.c.person_id.in_(chunk)))
            statement = statement.bindparams(bindparam("people", chunk, expanding=True))
        conn.execute(statement)


def _chunks(ids: list[int] | None) -> list[list[int] | None]:
    if ids is None:
        return [None]
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _add_flows(conn: Connection, steps: Counter[FlowKey]) -> None:
    """Add these (signed) counts to ``flow_counts``; pairs left with none are deleted."""
    for (from_id, to_id, status), step in steps.items():
        if not step:
            continue
        pair = and_(flow_counts.c.from_org_id == from_id, flow_counts.c.to_org_id == to_id)
        if not conn.execute(update(flow_counts).where(pair).values(
                {flow_counts.c[status]: flow_counts.c[status] + step, flow_counts.c.n: flow_counts.c.n + step})
                ).rowcount:
            conn.execute(insert(flow_counts).values(from_org_id=from_id, to_org_id=to_id, n=step,
                                                    **{s: (step if s == status else 0) for s in FACT_STATUSES}))
    if any(step < 0 for step in steps.values()):
        conn.execute(delete(flow_counts).where(flow_counts.c.n <= 0))


def _add_org_moves(conn: Connection, steps: Counter[OrgKey]) -> None:
    """Add these (signed) counts to ``org_move_counts``; rows left with none are deleted."""
    c = org_move_counts.c
    for (org_id, side, kind, status), step in steps.items():
        if not step:
            continue
        row = and_(c.org_id == org_id, c.side == side, c.kind == kind, c.status == status)
        if not conn.execute(update(org_move_counts).where(row).values(n=c.n + step)).rowcount:
            conn.execute(insert(org_move_counts).values(org_id=org_id, side=side, kind=kind, status=status, n=step))
    if any(step < 0 for step in steps.values()):
        conn.execute(delete(org_move_counts).where(c.n <= 0))
