"""The analyst's views over the graph, for the web app and the API: a moves browser with every
filter (what each number on a page links to), flows per quarter between two organizations, two
windows compared, indexes of people and organizations, search over everything, and the review
queue. Built on ``query.py``'s pieces, with the same meaning of an organization (its units too), a
person (any spelling) and a window (undated moves left out, and counted)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args
from urllib.parse import quote

from sqlalchemy import func, or_, select

from talentflow.models import ALL_STATUSES, FACT_STATUSES
from talentflow.query import (
    DATE_COLUMNS,
    DEFAULT_LIMIT,
    DateField,
    FromOrg,
    NotFound,
    OrgScope,
    Side,
    ToOrg,
    UndatedChoice,
    _newest_first,
    _org_suggestions,
    _person_ids,
    _person_suggestions,
    _touches,
    _window,
    attach_evidence,
    claims_select,
    count_in_scope,
    dicts,
    kept_count,
    move_row,
    moves_select,
    newest_of_scope,
    org_scope,
    org_timeline,
    person_condition,
    search,
    window_condition,
)
from talentflow.schema import claims, moves, organizations, people
from talentflow.store import Store, not_rejected

MoveKind = Literal["move", "founding"]


@dataclass(frozen=True)
class MoveFilter:
    """What a moves browser URL says: ``/moves?org=&from=&to=&person=&kind=&status=&since=&until=&role=``."""

    org: str | None = None  # either side
    from_org: str | None = None
    to_org: str | None = None
    person: str | None = None
    kind: MoveKind | None = None
    statuses: tuple[str, ...] = FACT_STATUSES
    since: str | None = None
    until: str | None = None
    role: str | None = None  # words of the role ("chief scientist")
    undated: UndatedChoice = "exclude"
    unknown: Literal["from", "to"] | None = None  # only moves whose other side no source names
    dates: DateField = "best"  # which date the window is on (query.DATE_COLUMNS)

    def params(self) -> dict[str, Any]:
        """The filter as URL parameters (what is set only)."""
        values = asdict(self)
        out = {"org": values["org"], "from": values["from_org"], "to": values["to_org"], "person": values["person"],
               "kind": values["kind"], "since": values["since"], "until": values["until"], "role": values["role"],
               "unknown": values["unknown"]}
        if tuple(values["statuses"]) != FACT_STATUSES:
            out["status"] = list(values["statuses"])
        if values["undated"] != "exclude":
            out["undated"] = values["undated"]
        if values["dates"] != "best":
            out["dates"] = values["dates"]
        return {k: v for k, v in out.items() if v}


def move_conditions(store: Store, conn: Any, f: MoveFilter) -> tuple[list[Any], tuple[OrgScope, Side] | None]:
    """What a filter asks of a move, as conditions on ``moves`` (unwindowed). When it names one
    organization, that one is given apart, as (scope, side), for a page to be read newest first
    (``query.newest_of_scope``) and counted (``query.count_in_scope``) from indexes; else None and
    the organizations are among the conditions."""
    conditions: list[Any] = [moves.c.status.in_(list(f.statuses))]
    if f.kind:
        conditions.append(moves.c.kind == f.kind)
    sides = [(name, side) for name, side in ((f.org, "either"), (f.from_org, "from"), (f.to_org, "to")) if name]
    scoped = None
    for name, side in sides:
        scope = org_scope(store, conn, name)
        if len(sides) == 1:
            scoped = (scope, side)
        else:
            conditions.append(_touches(scope, side))  # type: ignore[arg-type]
    if f.person:
        conditions.append(person_condition(conn, f.person))
    if f.role:
        conditions.append(func.lower(moves.c.role).contains(f.role.lower(), autoescape=True))
    if f.unknown == "from":
        conditions += [moves.c.from_org_id.is_(None), moves.c.from_unit.is_(None)]
    elif f.unknown == "to":
        conditions += [moves.c.to_org_id.is_(None), moves.c.to_unit.is_(None)]
    return conditions, scoped  # type: ignore[return-value]


def browse_moves(store: Store, f: MoveFilter, limit: int | None = 50, offset: int = 0) -> dict[str, Any]:
    """A page of the moves a filter selects, newest first, with evidence, the total, and how many
    undated moves the window left out."""
    with store.engine.connect() as conn:
        conditions, scoped = move_conditions(store, conn, f)
        window = window_condition(f.since, f.until, f.dates, f.undated)
        total = _total(conn, f, [*conditions, window], scoped)
        query = moves_select().where(*conditions, window)
        if scoped is not None:
            scope, side = scoped
            query = query.where(moves.c.id.in_(newest_of_scope(query, scope, side, offset + limit))
                                if limit else _touches(scope, side))
        windowed = bool(f.since or f.until) and f.undated == "exclude"  # undated moves left out
        page = _newest_first(query, f.dates, windowed).offset(offset)
        rows = [move_row(r) for r in conn.execute(page.limit(limit) if limit else page)]
        attach_evidence(conn, rows)
        left_out = _count(conn, [*conditions, DATE_COLUMNS[f.dates].is_(None)], scoped) if windowed else 0
    for row in rows:
        row["label"] = move_label(row)
    return {"filter": f.params(), "total": total, "offset": offset, "limit": limit, "items": rows,
            "undated_left_out": left_out}


def _total(conn: Any, f: MoveFilter, conditions: list[Any], scoped: tuple[OrgScope, Side] | None) -> int:
    """How many moves a filter selects: an organization's all-time moves of some kinds and statuses
    from the counts the store keeps, anything else counted (``_count``)."""
    if scoped is not None and not (f.since or f.until or f.person or f.role or f.unknown):
        kinds = [f.kind] if f.kind else list(get_args(MoveKind))
        summed = kept_count(conn, scoped[0], scoped[1], kinds, f.statuses)
        if summed is not None:
            return summed
    return _count(conn, conditions, scoped)


def _count(conn: Any, conditions: list[Any], scoped: tuple[OrgScope, Side] | None) -> int:
    """How many moves meet the conditions (and touch the one organization given apart): on
    ``moves`` alone, no joins."""
    if scoped is not None:
        return count_in_scope(conn, conditions, *scoped)
    return int(conn.execute(select(func.count()).select_from(moves).where(*conditions)).scalar_one())


def count_moves(store: Store, f: MoveFilter) -> int:
    with store.engine.connect() as conn:
        conditions, scoped = move_conditions(store, conn, f)
        return _total(conn, f, [*conditions, window_condition(f.since, f.until, f.dates, f.undated)], scoped)


def move_label(m: dict[str, Any]) -> str:
    """A move in words: "left OpenAI for Meta", "joined Meta", "left OpenAI", "co-founded Quillwork"."""
    if m["kind"] == "founding":
        return f"founded {m.get('to_org') or 'a company'}"
    source, target = m.get("from_org"), m.get("to_org")
    if source and target:
        return f"left {source} for {target}"
    return f"left {source}" if source else f"joined {target or 'an unknown organization'}"


# -- an organization in one window -----------------------------------------------------------------


def org_filters(org: str, since: str | None, until: str | None,
                undated: UndatedChoice = "exclude") -> dict[str, MoveFilter]:
    """The moves an organization's page counts in a window: who joined, who left, what was founded."""
    return {
        "joined": MoveFilter(to_org=org, kind="move", since=since, until=until, undated=undated),
        "left": MoveFilter(from_org=org, kind="move", since=since, until=until, undated=undated),
        "founded": MoveFilter(to_org=org, kind="founding", since=since, until=until, undated=undated),
    }


def org_counts(store: Store, org: str, since: str | None, until: str | None,
               undated: UndatedChoice = "exclude") -> dict[str, Any]:
    """How many joined, left and founded an organization in a window, and the filters that list them."""
    return {name: {"count": count_moves(store, f), "filter": f.params()}
            for name, f in org_filters(org, since, until, undated).items()}


def timeline(store: Store, org: str, since: str | None = None, until: str | None = None,
             by: Literal["month", "quarter"] = "month") -> list[dict[str, Any]]:
    """Inflow (joined), outflow (left) and foundings of an organization per month or quarter, each
    period with its window (what its numbers link to) and net; ``query.org_timeline``'s months."""
    periods: dict[str, Counter[str]] = defaultdict(Counter)
    for month in org_timeline(store, org, since=since, until=until):
        periods[month["month"] if by == "month" else quarter(month["month"])].update(
            {k: month[k] for k in ("joined", "left", "founded")})
    return [{"period": p, **period_window(p), "joined": c["joined"], "left": c["left"], "founded": c["founded"],
             "net": c["joined"] - c["left"]} for p, c in sorted(periods.items())]


def quarter(day: str) -> str:
    return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"


def period_window(period: str) -> dict[str, str]:
    """The since/until of a month ("2025-03") or a quarter ("2025-Q1")."""
    if "-Q" in period:
        year, q = period.split("-Q")
        first = (int(q) - 1) * 3 + 1
        return {"since": f"{year}-{first:02d}", "until": f"{year}-{first + 2:02d}"}
    return {"since": period, "until": period}


# -- flows between two organizations, and two windows compared ------------------------------------


def net_flow_by_quarter(store: Store, a: str, b: str, since: str | None = None,
                        until: str | None = None) -> list[dict[str, Any]]:
    """Moves from A to B and from B to A per quarter, and B's net gain; undated moves apart."""
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    with store.engine.connect() as conn:
        scope_a, scope_b = org_scope(store, conn, a), org_scope(store, conn, b)
        base = select(moves.c.date).where(moves.c.kind == "move", moves.c.status.in_(list(FACT_STATUSES)))
        for way, src, dst in (("a_to_b", scope_a, scope_b), ("b_to_a", scope_b, scope_a)):
            query = _window(base.where(_touches(src, "from"), _touches(dst, "to")), since, until, "best")
            for r in conn.execute(query):
                rows[quarter(r.date) if r.date and len(r.date) >= 7 else (r.date or "undated")][way] += 1
    return [{"quarter": q, "a_to_b": c["a_to_b"], "b_to_a": c["b_to_a"], "net_to_b": c["a_to_b"] - c["b_to_a"],
             **(period_window(q) if "-Q" in q else {"since": q, "until": q} if q != "undated" else {})}
            for q, c in sorted(rows.items())]


def compare_windows(store: Store, org: str, a: str, b: str, limit: int = 10) -> dict[str, Any]:
    """Where an organization's joiners came from and its leavers went, in window ``a`` ("2025")
    against window ``b`` ("2024"): each other organization's count in both and the change."""
    with store.engine.connect() as conn:
        scope = org_scope(store, conn, org)

        def tally(side: str, window: str) -> Counter[str]:
            other = FromOrg.c.name if side == "sources" else ToOrg.c.name
            touch = _touches(scope, "to" if side == "sources" else "from")
            query = (select(other.label("org")).select_from(moves)
                     .outerjoin(FromOrg, FromOrg.c.id == moves.c.from_org_id)
                     .outerjoin(ToOrg, ToOrg.c.id == moves.c.to_org_id)
                     .where(moves.c.kind == "move", moves.c.status.in_(list(FACT_STATUSES)), touch))
            found: Counter[str] = Counter()
            for r in conn.execute(_window(query, window, window, "best")):
                if r.org is None or r.org not in scope.names:
                    found[r.org or "unknown"] += 1
            return found

        out: dict[str, Any] = {"org": scope.name, "a": a, "b": b}
        for side in ("sources", "destinations"):
            now, then = tally(side, a), tally(side, b)
            names = sorted(set(now) | set(then), key=lambda o: (-now[o], -then[o], o))
            out[side] = [{"org": o, "a": now[o], "b": then[o], "change": now[o] - then[o]} for o in names[:limit]]
            out[f"{side}_total"] = {"a": sum(now.values()), "b": sum(then.values())}
    return out


# -- indexes and search ------------------------------------------------------------------------------


def people_index(store: Store, sort: Literal["name", "moves", "latest"] = "name", limit: int = 100,
                 offset: int = 0) -> dict[str, Any]:
    """Everyone with a move: how many moves, the latest date."""
    count = func.count(moves.c.id).label("moves")
    latest = func.max(moves.c.date).label("latest")
    query = (select(people.c.name, count, latest).join(moves, moves.c.person_id == people.c.id)
             .where(moves.c.status.in_(list(FACT_STATUSES))).group_by(people.c.id, people.c.name))
    orders: dict[str, list[Any]] = {"name": [people.c.name], "moves": [count.desc(), people.c.name],
                                    "latest": [latest.is_(None), latest.desc(), people.c.name]}
    order = orders[sort]
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = dicts(conn.execute(query.order_by(*order).offset(offset).limit(limit)))
    return {"total": total, "offset": offset, "limit": limit, "sort": sort, "items": rows}


def orgs_index(store: Store, sort: Literal["name", "joined", "left", "net", "founded"] = "joined",
               limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Every organization with a move: joined, left, founded (its own rows; units are listed apart)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    query = (select(moves.c.kind, FromOrg.c.name.label("from_org"), ToOrg.c.name.label("to_org")).select_from(moves)
             .outerjoin(FromOrg, FromOrg.c.id == moves.c.from_org_id)
             .outerjoin(ToOrg, ToOrg.c.id == moves.c.to_org_id)
             .where(moves.c.status.in_(list(FACT_STATUSES))))
    with store.engine.connect() as conn:
        kinds = dict(conn.execute(select(organizations.c.name, organizations.c.kind)).all())
        for r in conn.execute(query):
            if r.kind == "founding":
                if r.to_org:
                    counts[r.to_org]["founded"] += 1
                continue
            if r.to_org:
                counts[r.to_org]["joined"] += 1
            if r.from_org:
                counts[r.from_org]["left"] += 1
    order = sorted(counts, key=str.lower) if sort == "name" else sorted(
        counts, key=lambda o: (-(counts[o]["joined"] - counts[o]["left"]) if sort == "net" else -counts[o][sort],
                               o.lower()))
    rows = [{"org": o, "kind": kinds.get(o), "joined": counts[o]["joined"], "left": counts[o]["left"],
             "founded": counts[o]["founded"], "net": counts[o]["joined"] - counts[o]["left"]} for o in order]
    return {"total": len(rows), "offset": offset, "limit": limit, "sort": sort, "items": rows[offset : offset + limit]}


def search_all(store: Store, text: str, limit: int = 20,
               names: dict[str, list[dict[str, Any]]] | None = None) -> list[dict[str, Any]]:
    """Hits of every kind, best first: people and organizations by name (``query.search``, or its
    answer when given as ``names``), organizations by alias ("facebook" -> Meta), names that look
    like the text (misspellings, as "did you mean" finds them), roles, evidence sentences. Each hit
    says its kind and what it links to."""
    needle = text.strip()
    if not needle:
        return []
    hits: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, name: str, link: str, detail: str | None = None) -> None:
        if (kind, name) not in seen and ("organization", name) not in seen and len(hits) < limit * 3:
            seen.add((kind, name))
            hits.append({"kind": kind, "name": name, "link": link, "detail": detail})

    names = names or search(store, needle, limit)
    with store.engine.connect() as conn:
        stored_orgs = {r.name for r in conn.execute(select(organizations.c.name))}
        for p in names["people"]:
            add("person", p["name"], f"/person/{quote(p['name'], safe='')}")
        for o in names["organizations"]:
            add("organization", o["name"], f"/org/{quote(o['name'], safe='')}")
        for alias, org in store.gazetteer.aliases():
            top = store.gazetteer.top(org).name if org.parent else org.name
            if needle.lower() == alias.lower() or (len(needle) >= 3 and needle.lower() in alias.lower()):
                target = org.name if org.name in stored_orgs else top
                if target in stored_orgs:
                    add("alias", target, f"/org/{quote(target, safe='')}", f"also called {alias}")
        if not any(h["kind"] in ("person", "organization", "alias") for h in hits):
            # Misspelt names and misspelt aliases ("Facebok" -> Meta) alike.
            for name in _org_suggestions(store, conn, needle):
                add("similar organization", name, f"/org/{quote(name, safe='')}", f"looks like {needle!r}")
            for name in _person_suggestions(conn, needle):
                add("similar person", name, f"/person/{quote(name, safe='')}", f"looks like {needle!r}")
        if len(needle) >= 3:
            for r in conn.execute(select(moves.c.id, moves.c.role, people.c.name).join(people)
                                  .where(func.lower(moves.c.role).contains(needle.lower(), autoescape=True),
                                         moves.c.status.in_(list(FACT_STATUSES))).limit(limit)):
                add("role", f"{r.name}: {r.role}", f"/move/{r.id}", r.role)
            for r in conn.execute(select(claims.c.move_id, claims.c.evidence_text, claims.c.person_name)
                                  .where(func.lower(claims.c.evidence_text).contains(needle.lower(), autoescape=True),
                                         claims.c.move_id.is_not(None), not_rejected())
                                  .order_by(claims.c.id.desc()).limit(limit)):
                add("evidence", r.person_name, f"/move/{r.move_id}", r.evidence_text)
    return hits[: limit * 3]


# -- the review queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimFilter:
    org: str | None = None
    person: str | None = None
    statuses: tuple[str, ...] = ()
    min_confidence: float | None = None
    max_confidence: float | None = None
    state: Literal["unreviewed", "reviewed", "all"] = "unreviewed"


def review_queue(store: Store, f: ClaimFilter, limit: int = DEFAULT_LIMIT, offset: int = 0) -> dict[str, Any]:
    """Claims for review, lowest confidence first among the unreviewed (where a reviewer helps most),
    newest first otherwise; every claim with its evidence, document, move and label."""
    query = claims_select()
    if f.state == "unreviewed":
        query = query.where(claims.c.review.is_(None))
    elif f.state == "reviewed":
        query = query.where(claims.c.review.is_not(None))
    if f.statuses:
        query = query.where(claims.c.status.in_([s for s in f.statuses if s in ALL_STATUSES]))
    if f.min_confidence is not None:
        query = query.where(claims.c.confidence >= f.min_confidence)
    if f.max_confidence is not None:
        query = query.where(claims.c.confidence <= f.max_confidence)
    with store.engine.connect() as conn:
        if f.org:
            scope = org_scope(store, conn, f.org)
            query = query.where(or_(claims.c.from_org.in_(scope.names), claims.c.to_org.in_(scope.names)))
        if f.person:
            query = query.where(claims.c.person_id.in_(_person_ids(conn, f.person)))
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        order = [claims.c.confidence, claims.c.id.desc()] if f.state == "unreviewed" else [claims.c.id.desc()]
        rows = dicts(conn.execute(query.order_by(*order).offset(offset).limit(limit)))
    for row in rows:
        row["label"] = move_label(row)
    return {"total": total, "offset": offset, "limit": limit, "claims": rows}


def claim_for_review(store: Store, claim_id: int) -> dict[str, Any]:
    """One claim as the queue shows it: the page every "review this claim" link lands on."""
    with store.engine.connect() as conn:
        found = dicts(conn.execute(claims_select().where(claims.c.id == claim_id)))
    if not found:
        raise NotFound(f"claim {claim_id}: no such claim")
    found[0]["label"] = move_label(found[0])
    return found[0]
