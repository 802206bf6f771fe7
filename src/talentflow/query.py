"""Questions over the store: moves with filters, a person's moves, an organization's joins and
departures, and the organizations with the largest inflow and outflow.

The CLI (and later the web app) only format what these functions return: plain dicts, ready for
JSON, each move with the evidence of every claim behind it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from talentflow.models import FACT_STATUSES, name_key
from talentflow.schema import claims, documents, moves, organizations, people
from talentflow.store import Store

FromOrg = aliased(organizations, name="from_org")
ToOrg = aliased(organizations, name="to_org")


def _org_names(store: Store, org: str) -> list[str]:
    """The stored names an organization filter should match: itself (by alias) and its units."""
    canonical = store.gazetteer.canonical(org)
    names = {canonical, org}
    with store.engine.connect() as conn:
        ids = [r.id for r in conn.execute(select(organizations.c.id).where(
            func.lower(organizations.c.name).in_([n.lower() for n in names])))]
        while ids:  # walk down to units, and units of units
            rows = conn.execute(select(organizations.c.id, organizations.c.name).where(
                organizations.c.parent_id.in_(ids))).all()
            new = [r for r in rows if r.name not in names]
            names |= {r.name for r in new}
            ids = [r.id for r in new]
    return sorted(names)


def _moves_select() -> Select:
    return (
        select(
            moves.c.id, moves.c.kind, people.c.name.label("person"), FromOrg.c.name.label("from_org"),
            ToOrg.c.name.label("to_org"), moves.c.from_unit, moves.c.to_unit, moves.c.role, moves.c.date,
            moves.c.status, moves.c.first_seen, moves.c.sources,
        )
        .join(people, people.c.id == moves.c.person_id)
        .outerjoin(FromOrg, FromOrg.c.id == moves.c.from_org_id)
        .outerjoin(ToOrg, ToOrg.c.id == moves.c.to_org_id)
    )


def list_moves(
    store: Store,
    org: str | None = None,
    person: str | None = None,
    since: str | None = None,
    until: str | None = None,
    statuses: Sequence[str] = FACT_STATUSES,
    kinds: Sequence[str] = ("move", "founding"),
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Moves, newest first, each with the evidence of every claim behind it."""
    query = _moves_select().where(moves.c.status.in_(list(statuses)), moves.c.kind.in_(list(kinds)))
    if org:
        names = _org_names(store, org)
        query = query.where(or_(FromOrg.c.name.in_(names), ToOrg.c.name.in_(names),
                                moves.c.from_unit.in_(names), moves.c.to_unit.in_(names)))
    if person:
        key = name_key(person)
        query = query.where(or_(people.c.key == key, people.c.key.like(f"%{key}%")))
    when = func.coalesce(moves.c.date, moves.c.first_seen)
    if since:
        query = query.where(when >= since)
    if until:
        # "2025" as an upper bound includes all of 2025: compare on the same prefix length.
        query = query.where(func.substr(when, 1, len(until)) <= until)
    # Dated moves first (False sorts before True on SQLite and PostgreSQL alike), newest first.
    query = query.order_by(when.is_(None), when.desc(), moves.c.id)
    if limit:
        query = query.limit(limit)
    with store.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
        _attach_evidence(conn, rows)
    return rows


def _attach_evidence(conn, rows: list[dict[str, Any]]) -> None:  # type: ignore[no-untyped-def]
    if not rows:
        return
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        r["evidence"] = []
    ids = list(by_id)
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        query = (
            select(claims.c.move_id, claims.c.evidence_text, claims.c.evidence_start, claims.c.evidence_end,
                   claims.c.status, claims.c.date, claims.c.confidence, documents.c.label, documents.c.url,
                   documents.c.title, documents.c.published)
            .join(documents, documents.c.id == claims.c.document_id)
            .where(claims.c.move_id.in_(chunk))
            .order_by(claims.c.id)
        )
        for c in conn.execute(query):
            by_id[c.move_id]["evidence"].append({
                "text": c.evidence_text, "start": c.evidence_start, "end": c.evidence_end,
                "status": c.status, "doc": c.label, "url": c.url, "title": c.title, "published": c.published,
            })


def person_moves(store: Store, name: str) -> list[dict[str, Any]]:
    """A person's moves and foundings in time order, oldest first."""
    rows = list_moves(store, person=name, statuses=("confirmed", "reported", "planned", "rumored", "denied"))
    return sorted(rows, key=lambda r: (r["date"] or r["first_seen"] or "9999", r["id"]))


def org_report(store: Store, org: str) -> dict[str, Any]:
    """Who joined, who left and who founded an organization (including its units)."""
    names = set(_org_names(store, org))
    rows = list_moves(store, org=org)
    return {
        "org": store.gazetteer.canonical(org),
        "units": sorted(n for n in names if n != store.gazetteer.canonical(org) and n != org),
        "joined": [r for r in rows if r["kind"] == "move" and (r["to_org"] in names or r["to_unit"] in names)],
        "left": [r for r in rows if r["kind"] == "move" and (r["from_org"] in names or r["from_unit"] in names)],
        "founded": [r for r in rows if r["kind"] == "founding" and (r["to_org"] in names or r["to_unit"] in names)],
    }


def top_flows(store: Store, limit: int = 10) -> dict[str, list[dict[str, Any]]]:
    """Organizations with the largest inflow and outflow of people (moves only)."""
    query = (
        select(FromOrg.c.name.label("from_org"), ToOrg.c.name.label("to_org"))
        .select_from(moves)
        .outerjoin(FromOrg, FromOrg.c.id == moves.c.from_org_id)
        .outerjoin(ToOrg, ToOrg.c.id == moves.c.to_org_id)
        .where(and_(moves.c.kind == "move", moves.c.status.in_(list(FACT_STATUSES))))
    )
    inflow: Counter[str] = Counter()
    outflow: Counter[str] = Counter()
    with store.engine.connect() as conn:
        for r in conn.execute(query):
            if r.to_org:
                inflow[r.to_org] += 1
            if r.from_org:
                outflow[r.from_org] += 1
    orgs = set(inflow) | set(outflow)
    table = [{"org": o, "inflow": inflow[o], "outflow": outflow[o], "net": inflow[o] - outflow[o]} for o in orgs]
    return {
        "inflow": sorted(table, key=lambda r: (-r["inflow"], r["org"]))[:limit],
        "outflow": sorted(table, key=lambda r: (-r["outflow"], r["org"]))[:limit],
    }


def counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in (("documents", documents), ("claims", claims), ("moves", moves),
                                ("people", people), ("organizations", organizations))
        }
