"""The questions our users ask of the graph: moves with filters, flows between organizations,
alumni, cohorts, a person's career, doubtful pairs of people.

The CLI (and later the web app) only format what these functions return: plain dicts, ready for
JSON, each move with the evidence of every claim behind it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    sql,
    true,
    union,
)

from talentflow.models import FACT_STATUSES, REPORT_STATUSES, name_key
from talentflow.resolve import merge_reasons, precision
from talentflow.schema import (
    claims,
    cohort_members,
    cohorts,
    documents,
    flow_counts,
    moves,
    org_departures,
    org_move_counts,
    organizations,
    people,
    person_names,
    person_pairs,
    reviews,
)
from talentflow.store import Store, not_rejected

FromOrg = organizations.alias("from_org")
ToOrg = organizations.alias("to_org")
# Which date --since and --until filter on: the move's own date where a text states it
# (effective), the first report of it (reported), or the first of these that is known (best).
DateField = Literal["best", "effective", "reported"]
Side = Literal["from", "to", "either"]  # which side of a move an organization is on
DATE_COLUMNS = {"best": moves.c.date, "effective": moves.c.effective_date, "reported": moves.c.first_seen}
DEFAULT_LIMIT = 100
UNDATED = "9999"  # where moves are put in time order, an undated one counts as the latest
CHUNK = 5000  # ids per IN (...) list; SQLite allows 32,766 parameters, PostgreSQL 65,535


class NotFound(LookupError):
    """A person, organization or cohort the database does not know, with the names it may have meant."""

    def __init__(self, message: str, suggestions: Sequence[str] = (), kind: str = "") -> None:
        self.suggestions = list(suggestions)
        self.kind = kind  # "organization" or "person" when suggestions name one
        if self.suggestions:
            message += "; did you mean " + " or ".join(self.suggestions) + "?"
        super().__init__(message)


# A name this similar (rapidfuzz, 0-100) to a stored one is offered as "did you mean": whole names
# for organizations ("Metta" / "Meta" 89; "Meta" / "Meta AI" only 73), the best-matching part for
# people, so that a surname alone finds them ("Sutskevar" / "Ilya Sutskever").
SUGGESTION_SCORE = 80
SUGGESTIONS = 3
UndatedChoice = Literal["exclude", "include"]


def similar_names(name: str, choices: dict[str, str], whole: bool = True) -> list[str]:
    """Stored names that look like ``name``: ``choices`` maps every spelling (names, aliases) to the
    name to offer; ``whole`` compares whole names, else the best-matching part."""
    from rapidfuzz import fuzz, process, utils

    found: list[str] = []
    scorer = fuzz.ratio if whole else fuzz.WRatio
    for spelling, _, _ in process.extract(name, list(choices), scorer=scorer, processor=utils.default_process,
                                          limit=SUGGESTIONS * 3, score_cutoff=SUGGESTION_SCORE):
        if choices[spelling] not in found:
            found.append(choices[spelling])
    return found[:SUGGESTIONS]


def _org_suggestions(store: Store, conn: Connection, name: str) -> list[str]:
    stored = [r.name for r in conn.execute(select(organizations.c.name))]
    choices = {n: n for n in stored}
    known = set(stored)
    for org in store.gazetteer.by_name.values():
        if org.name in known:
            choices.update({alias: org.name for alias in org.aliases})
    return similar_names(name, choices)


# -- organizations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgScope:
    """An organization as a filter: its stored ids and names, its units' included."""

    name: str
    ids: tuple[int, ...]
    names: tuple[str, ...]
    root: int | None = None  # the one stored organization whose own scope this is exactly, if any

    def holds(self, org_id: int | None, unit: str | None) -> bool:
        return org_id in self.ids or (unit is not None and unit in self.names)


def org_scope(store: Store, conn: Connection, org: str, known: bool = True) -> OrgScope:
    """FAIR, Meta Superintelligence Labs and TBD Lab are in Meta's scope; "Facebook" names Meta.
    An organization the database does not hold is NotFound, with suggestions, unless ``known`` is
    False (a cohort's organization, say, before any move of it is stored)."""
    canonical = store.gazetteer.canonical(org)
    wanted = {canonical.lower(), org.lower()}
    rows = conn.execute(select(organizations.c.id, organizations.c.name).where(
        func.lower(organizations.c.name).in_(wanted))).all()
    ids, names = [r.id for r in rows], {r.name for r in rows}
    frontier = list(ids)
    while frontier:  # walk down to units, and units of units
        found = conn.execute(select(organizations.c.id, organizations.c.name).where(
            organizations.c.parent_id.in_(frontier))).all()
        found = [r for r in found if r.id not in ids]
        ids += [r.id for r in found]
        names |= {r.name for r in found}
        frontier = [r.id for r in found]
    if known and not ids:
        raise NotFound(f"{org}: no such organization",
                       _org_suggestions(store, conn, org), "organization")
    shown = rows[0].name if rows else canonical
    # Summaries per organization (org_departures) answer for it when one stored organization and
    # what lies below it is the whole scope.
    root = rows[0].id if len(rows) == 1 and canonical in names else None
    return OrgScope(shown, tuple(ids), tuple(sorted(names | {canonical})), root)


def _touches(scope: OrgScope, side: Side) -> ColumnElement[bool]:
    from_side = or_(moves.c.from_org_id.in_(scope.ids), moves.c.from_unit.in_(scope.names))
    to_side = or_(moves.c.to_org_id.in_(scope.ids), moves.c.to_unit.in_(scope.names))
    return {"from": from_side, "to": to_side, "either": or_(from_side, to_side)}[side]


def _in_window(column: ColumnElement[Any], since: str | None, until: str | None) -> ColumnElement[bool]:
    conditions = []
    if since:
        conditions.append(column >= since)
    if until:
        # "2025" as an upper bound includes all of 2025: compare on the same prefix length.
        conditions.append(func.substr(column, 1, len(until)) <= until)
    return and_(true(), *conditions)


def window_condition(since: str | None, until: str | None, dates: DateField,
                     undated: UndatedChoice = "exclude") -> ColumnElement[bool]:
    """Moves dated within the window; ``undated="include"`` keeps those with no known date too."""
    if not (since or until):
        return true()
    inside = _in_window(DATE_COLUMNS[dates], since, until)
    return or_(inside, DATE_COLUMNS[dates].is_(None)) if undated == "include" else inside


def _window(query: Select, since: str | None, until: str | None, dates: DateField,
            undated: UndatedChoice = "exclude") -> Select:
    return query.where(window_condition(since, until, dates, undated)) if since or until else query


def _undated(conn: Connection, query: Select, dates: DateField) -> int:
    """How many moves of a query (before any window) have no known date: what a window leaves out."""
    return conn.execute(select(func.count()).select_from(
        query.where(DATE_COLUMNS[dates].is_(None)).subquery())).scalar_one()


# -- moves --------------------------------------------------------------------------------------


def moves_select() -> Select:
    return (
        select(
            moves.c.id, moves.c.kind, moves.c.person_id, people.c.name.label("person"),
            FromOrg.c.name.label("from_org"), moves.c.from_unit, ToOrg.c.name.label("to_org"), moves.c.to_unit,
            moves.c.role, moves.c.date, moves.c.effective_date, moves.c.first_seen, moves.c.status, moves.c.denials,
            moves.c.sources, moves.c.copies, moves.c.from_org_id, moves.c.to_org_id,
        )
        .join(people, people.c.id == moves.c.person_id)
        .outerjoin(FromOrg, FromOrg.c.id == moves.c.from_org_id)
        .outerjoin(ToOrg, ToOrg.c.id == moves.c.to_org_id)
    )


def _newest_first(query: Select, dates: DateField = "best", windowed: bool = False) -> Select:
    """Newest first by the best date, dated moves first (False sorts before True on SQLite and
    PostgreSQL alike). A move's best date is its effective date whenever it has one, so a window
    on effective dates that leaves undated moves out is read in that index's order instead."""
    if dates == "effective" and windowed:
        return query.order_by(moves.c.effective_date.desc(), moves.c.id)
    return query.order_by(moves.c.date.is_(None), moves.c.date.desc(), moves.c.id)


def dicts(result: Any) -> list[dict[str, Any]]:
    """Rows as plain dicts (zipping with the keys once is several times faster than ``row._mapping``
    on the tens of thousands of rows an alumni list of a large company reads)."""
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


def move_row(r: Any) -> dict[str, Any]:
    """A move as the questions return it: a plain dict with the precision of each date."""
    row = dict(r) if isinstance(r, dict) else dict(r._mapping)
    for field in ("from_org_id", "to_org_id"):
        row.pop(field, None)
    row["date_precision"] = precision(row["date"])
    row["effective_precision"] = precision(row["effective_date"])
    row["first_seen_precision"] = precision(row["first_seen"])
    return row


def _person_ids(conn: Connection, name: str) -> Select:
    """The people a name given by a user means: whoever is known by exactly that name (any case or
    accents), else everyone whose name contains it ("Wang"). The exact case is an index lookup; the
    other reads every name."""
    key = name_key(name)
    exact = select(person_names.c.person_id).where(person_names.c.key == key)
    if conn.execute(exact.limit(1)).first() is not None:
        return exact
    return select(person_names.c.person_id).where(person_names.c.key.like(f"%{key}%"))


def _moves_query(store: Store, conn: Connection, org: str | None, person: str | None, statuses: Sequence[str],
                 kinds: Sequence[str]) -> Select:
    query = moves_select().where(moves.c.status.in_(list(statuses)), moves.c.kind.in_(list(kinds)))
    if org:
        query = query.where(_touches(org_scope(store, conn, org), "either"))
    if person:
        query = query.where(person_condition(conn, person))
    return query


def person_condition(conn: Connection, name: str) -> ColumnElement[bool]:
    """Moves of the people a name means (``_person_ids``); NotFound, with suggestions, when it
    means nobody."""
    ids = _person_ids(conn, name)
    if conn.execute(ids.limit(1)).first() is None:
        raise NotFound(f"{name}: no such person", _person_suggestions(conn, name), "person")
    return moves.c.person_id.in_(ids)


def _scope_columns(scope: OrgScope, side: Side) -> list[tuple[Any, Any]]:
    """The (column, value) tests whose OR is ``_touches``: one per organization id or unit name and side."""
    columns = {"from": [(moves.c.from_org_id, scope.ids), (moves.c.from_unit, scope.names)],
               "to": [(moves.c.to_org_id, scope.ids), (moves.c.to_unit, scope.names)]}
    sides = ["from", "to"] if side == "either" else [side]
    return [(column, value) for s in sides for column, values in columns[s] for value in values]


def scope_move_ids(scope: OrgScope, side: Side) -> Select:
    """The ids of the moves that touch an organization's scope, one index lookup per organization
    id or unit name and side, united: given an OR over the four columns, a planner that knows many
    people (after ANALYZE) reads every move in person order to group them."""
    parts = [select(moves.c.id).where(column == value) for column, value in _scope_columns(scope, side)]
    return union(*parts) if parts else select(moves.c.id).where(false())  # type: ignore[return-value]


def scope_parts(scope: OrgScope, side: Side) -> list[ColumnElement[bool]]:
    """``_touches`` as conditions that no move meets twice, each led by one side's column, so that
    a count over them is a sum of counts, each read from that side's covering index."""
    def named(column: Any, values: tuple[Any, ...]) -> ColumnElement[bool]:
        return column.in_(values) if values else false()

    def not_named(column: Any, values: tuple[Any, ...]) -> ColumnElement[bool]:
        return or_(column.is_(None), column.not_in(values)) if values else true()

    def parts(org_id: Any, unit: Any) -> list[ColumnElement[bool]]:
        return [named(org_id, scope.ids), and_(named(unit, scope.names), not_named(org_id, scope.ids))]

    from_parts = parts(moves.c.from_org_id, moves.c.from_unit)
    to_parts = parts(moves.c.to_org_id, moves.c.to_unit)
    if side != "either":
        return from_parts if side == "from" else to_parts
    not_from = and_(not_named(moves.c.from_org_id, scope.ids), not_named(moves.c.from_unit, scope.names))
    return from_parts + [and_(part, not_from) for part in to_parts]


def count_in_scope(conn: Connection, conditions: Sequence[Any], scope: OrgScope,
                   side: Side) -> int:
    """How many moves meet ``conditions`` and touch the scope on ``side``: one count per part of
    ``scope_parts``, each from an index (an OR over the four columns reads every move it finds)."""
    counts = [select(func.count()).select_from(moves).where(*conditions, part).scalar_subquery()
              for part in scope_parts(scope, side)]
    return int(conn.execute(select(sum(counts, start=literal(0)))).scalar_one())


def kept_count(conn: Connection, scope: OrgScope, side: Side, kinds: Sequence[str],
               statuses: Sequence[str]) -> int | None:
    """All-time moves of these kinds and statuses touching an organization's scope on ``side``, from
    ``org_move_counts`` (which the store keeps); None when the scope is not one stored organization
    with what lies below it (then count them: ``count_in_scope``)."""
    if scope.root is None:
        return None
    c = org_move_counts.c
    return int(conn.execute(select(func.coalesce(func.sum(c.n), 0)).where(
        c.org_id == scope.root, c.side == side, c.kind.in_(list(kinds)), c.status.in_(list(statuses)))).scalar_one())


def newest_of_scope(query: Select, scope: OrgScope, side: Side, count: int) -> Select:
    """The ids of the newest ``count`` moves of ``query`` that touch an organization's scope (dated
    ones newest first, then undated), for a page of them. One index-ordered scan per organization id
    or unit name and side, merged: an OR over the four columns would sort every move of a large
    organization to show its first hundred."""
    parts = []
    for column, value in _scope_columns(scope, side):
        matching = query.with_only_columns(moves.c.id).where(column == value).order_by(None)
        parts.append(matching.where(moves.c.date.is_not(None)).order_by(moves.c.date.desc(), moves.c.id)
                     .limit(count).subquery())
        parts.append(matching.where(moves.c.date.is_(None)).order_by(moves.c.id).limit(count).subquery())
    if not parts:
        return select(moves.c.id).where(false())
    return union(*(select(p.c.id) for p in parts))  # type: ignore[return-value]


def list_moves(
    store: Store,
    org: str | None = None,
    person: str | None = None,
    since: str | None = None,
    until: str | None = None,
    statuses: Sequence[str] = FACT_STATUSES,
    kinds: Sequence[str] = ("move", "founding"),
    dates: DateField = "best",
    limit: int | None = DEFAULT_LIMIT,
    offset: int = 0,
    undated: UndatedChoice = "exclude",
) -> list[dict[str, Any]]:
    """Moves, newest first, each with the evidence of every claim behind it. A window leaves out
    moves with no known date unless ``undated="include"`` (``count_undated`` says how many)."""
    with store.engine.connect() as conn:
        query = _window(_moves_query(store, conn, None, person, statuses, kinds), since, until, dates, undated)
        if org:
            scope = org_scope(store, conn, org)
            query = query.where(moves.c.id.in_(newest_of_scope(query, scope, "either", offset + limit))
                                if limit else _touches(scope, "either"))
        query = _newest_first(query, dates, bool(since or until) and undated == "exclude").offset(offset)
        if limit:
            query = query.limit(limit)
        rows = [move_row(r) for r in conn.execute(query)]
        attach_evidence(conn, rows)
    return rows


def count_undated(
    store: Store,
    since: str | None,
    until: str | None,
    undated: UndatedChoice = "exclude",
    org: str | None = None,
    person: str | None = None,
    statuses: Sequence[str] = FACT_STATUSES,
    kinds: Sequence[str] = ("move", "founding"),
    dates: DateField = "best",
    both_sides: bool = False,
) -> int:
    """How many moves of these filters the window ``since``-``until`` leaves out for having no known
    date, so that a windowed answer can say so: 0 with no window, or when ``undated="include"``.
    ``both_sides`` counts only moves whose two organizations are known (what a table of flows counts)."""
    if not (since or until) or undated == "include":
        return 0
    with store.engine.connect() as conn:
        query = _moves_query(store, conn, org, person, statuses, kinds)
        if both_sides:
            query = query.where(moves.c.from_org_id.is_not(None), moves.c.to_org_id.is_not(None))
        return _undated(conn, query, dates)


def attach_evidence(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Give each move row the list of its claims' evidence, oldest claim first; each with the
    syndicated copies of its document (same story, other sites: not independent sources)."""
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        r["evidence"] = []
    ids = list(by_id)
    for chunk in (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)):
        query = (
            select(claims.c.move_id, claims.c.id.label("claim"), claims.c.evidence_text.label("text"),
                   claims.c.evidence_start.label("start"), claims.c.evidence_end.label("end"), claims.c.status,
                   claims.c.review, claims.c.document_id, documents.c.label.label("doc"), documents.c.url,
                   documents.c.title, documents.c.published, documents.c.origin, documents.c.reported_by)
            .join(documents, documents.c.id == claims.c.document_id)
            .where(claims.c.move_id.in_(chunk))
            .order_by(claims.c.id)
        )
        found = dicts(conn.execute(query))
        copies: dict[str, list[dict[str, Any]]] = {}
        copy_query = (select(documents.c.copy_of, documents.c.label.label("doc"), documents.c.url,
                             documents.c.title, documents.c.published)
                      .where(documents.c.copy_of.is_not(None),  # what the partial index holds
                             documents.c.copy_of.in_(sorted({c["document_id"] for c in found})))
                      .order_by(documents.c.published, documents.c.label))
        for copy in dicts(conn.execute(copy_query)):
            copies.setdefault(copy.pop("copy_of"), []).append(copy)
        for c in found:
            c["copies"] = copies.get(c.pop("document_id"), [])
            by_id[c.pop("move_id")]["evidence"].append(c)


# -- flows --------------------------------------------------------------------------------------


def flows(
    store: Store,
    org: str | None = None,
    since: str | None = None,
    until: str | None = None,
    statuses: Sequence[str] = FACT_STATUSES,
    dates: DateField = "best",
    limit: int | None = None,
    undated: UndatedChoice = "exclude",
) -> list[dict[str, Any]]:
    """How many people moved from one organization to another, largest flows first. Units count
    for their parent; moves with an unknown side are left out (see ``top_flows`` for those). All-time
    flows of every organization are read from ``flow_counts``, which the store keeps."""
    if not (org or since or until):
        return _all_time_flows(store, statuses, limit)
    conditions = [moves.c.kind == "move", moves.c.status.in_(list(statuses)), moves.c.from_org_id.is_not(None),
                  moves.c.to_org_id.is_not(None), window_condition(since, until, dates, undated)]
    with store.engine.connect() as conn:
        # One grouping per part of the organization's scope (each from an index), added up.
        parts = scope_parts(org_scope(store, conn, org), "either") if org else [true()]
        counted: Counter[tuple[int, int]] = Counter()
        for part in parts:
            for r in conn.execute(select(moves.c.from_org_id, moves.c.to_org_id, func.count().label("n"))
                                  .where(*conditions, part).group_by(moves.c.from_org_id, moves.c.to_org_id)):
                counted[(r.from_org_id, r.to_org_id)] += r.n
        return _ranked_flows(conn, counted, limit)


def _ranked_flows(conn: Connection, counted: dict[tuple[int, int], int], limit: int | None) -> list[dict[str, Any]]:
    """Flows by organization ids as rows with names, largest first (ties by name), the first ``limit``."""
    if limit and len(counted) > limit:  # names only for the flows that can make the cut (ties at it too)
        least = sorted(counted.values(), reverse=True)[limit - 1]
        counted = {pair: n for pair, n in counted.items() if n >= least}
    ids = {i for pair in counted for i in pair}
    names_query = select(organizations.c.id, organizations.c.name)
    if len(ids) < CHUNK:  # else read whole
        names_query = names_query.where(organizations.c.id.in_(sorted(ids)))
    names: dict[int, str] = dict(conn.execute(names_query).all())  # type: ignore[arg-type]
    found = sorted(((names[a], names[b], n) for (a, b), n in counted.items()), key=lambda f: (-f[2], f[0], f[1]))
    return [{"from_org": a, "to_org": b, "moves": n} for a, b, n in (found[:limit] if limit else found)]


def _all_time_flows(store: Store, statuses: Sequence[str], limit: int | None) -> list[dict[str, Any]]:
    """All-time flows from ``flow_counts``: with every fact status, the largest ``limit`` through
    the index on the total (ties at the last place read whole, then ordered by name)."""
    chosen = [s for s in FACT_STATUSES if s in statuses]
    total = flow_counts.c.n if len(chosen) == len(FACT_STATUSES) else sum(
        (flow_counts.c[s] for s in chosen), start=literal(0))
    with store.engine.connect() as conn:
        query = select(flow_counts.c.from_org_id, flow_counts.c.to_org_id, total.label("moves")).where(total > 0)
        if limit and total is flow_counts.c.n:
            least = conn.execute(select(flow_counts.c.n).order_by(flow_counts.c.n.desc()).offset(limit - 1)
                                 .limit(1)).scalar()
            if least is not None:
                query = query.where(flow_counts.c.n >= least)
        return _ranked_flows(conn, {(r.from_org_id, r.to_org_id): int(r.moves) for r in conn.execute(query)}, limit)


def net_flow(
    store: Store,
    a: str,
    b: str,
    since: str | None = None,
    until: str | None = None,
    statuses: Sequence[str] = FACT_STATUSES,
    dates: DateField = "best",
    undated: UndatedChoice = "exclude",
    limit: int | None = None,
) -> dict[str, Any]:
    """The moves from A to B and from B to A in a window, and the net gain of B (units included):
    the counts of all of them, and the moves themselves, newest first (the newest ``limit`` each
    way when a limit is given). ``undated_left_out`` counts the moves of either way that the window
    left out for having no date."""
    with store.engine.connect() as conn:
        scope_a, scope_b = org_scope(store, conn, a), org_scope(store, conn, b)
        conditions = [moves.c.kind == "move", moves.c.status.in_(list(statuses))]
        window = window_condition(since, until, dates, undated)
        directions, counts = {}, {}
        left_out = 0
        for name, src, dst in (("a_to_b", scope_a, scope_b), ("b_to_a", scope_b, scope_a)):
            between = [*conditions, _touches(dst, "to")]
            if since or until or not set(statuses) <= set(FACT_STATUSES):
                counts[name] = count_in_scope(conn, [*between, window], src, "from")
            else:
                counts[name] = _count_between(conn, src, dst, statuses)
            windowed = moves_select().where(*between, window)
            # The newest of the source's moves, one index-ordered scan per side and unit; the page
            # is read by id alone (given the other conditions too, a planner reads every move to B).
            page = _newest_first(moves_select().where(moves.c.id.in_(newest_of_scope(windowed, src, "from", limit)))
                                 if limit else windowed.where(_touches(src, "from"))).limit(limit)
            rows = [move_row(r) for r in conn.execute(page)]
            attach_evidence(conn, rows)
            directions[name] = rows
            if (since or until) and undated == "exclude":
                left_out += count_in_scope(conn, [*between, DATE_COLUMNS[dates].is_(None)], src, "from")
    return {
        "a": scope_a.name, "b": scope_b.name, "since": since, "until": until, "undated_left_out": left_out,
        "a_to_b": counts["a_to_b"], "b_to_a": counts["b_to_a"], "net_to_b": counts["a_to_b"] - counts["b_to_a"],
        "moves_a_to_b": directions["a_to_b"], "moves_b_to_a": directions["b_to_a"],
    }


def _count_between(conn: Connection, src: OrgScope, dst: OrgScope, statuses: Sequence[str]) -> int:
    """All-time moves from one scope to another: ``flow_counts`` where both organizations are
    known by id, plus the few where a side is known only by a unit's name (counted from indexes)."""
    chosen = [s for s in FACT_STATUSES if s in statuses]
    by_ids = conn.execute(select(func.coalesce(func.sum(sum((flow_counts.c[s] for s in chosen), start=literal(0))), 0))
                          .where(flow_counts.c.from_org_id.in_(src.ids), flow_counts.c.to_org_id.in_(dst.ids)))
    _, from_unit_only = scope_parts(src, "from")
    _, to_unit_only = scope_parts(dst, "to")
    # "+ 0" keeps a planner from reading all of a large organization's moves by its id: the unit leads.
    from_ids, to_ids = (moves.c.from_org_id + 0).in_(src.ids), (moves.c.to_org_id + 0).in_(dst.ids)
    moved = [moves.c.kind == "move", moves.c.status.in_(list(statuses))]
    others = [select(func.count()).select_from(moves).where(*moved, *pair).scalar_subquery()
              for pair in ((from_ids, to_unit_only), (from_unit_only, to_ids), (from_unit_only, to_unit_only))]
    return int(by_ids.scalar_one()) + int(conn.execute(select(sum(others, start=literal(0)))).scalar_one())


def top_flows(store: Store, limit: int = 10, since: str | None = None,
              until: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Organizations with the largest inflow and outflow of people (moves only)."""
    query = (
        select(FromOrg.c.name.label("from_org"), ToOrg.c.name.label("to_org"))
        .select_from(moves)
        .outerjoin(FromOrg, FromOrg.c.id == moves.c.from_org_id)
        .outerjoin(ToOrg, ToOrg.c.id == moves.c.to_org_id)
        .where(and_(moves.c.kind == "move", moves.c.status.in_(list(FACT_STATUSES))))
    )
    query = _window(query, since, until, "best")
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
        "inflow": sorted(table, key=lambda r: (-inflow[str(r["org"])], str(r["org"])))[:limit],
        "outflow": sorted(table, key=lambda r: (-outflow[str(r["org"])], str(r["org"])))[:limit],
    }


# -- alumni and cohorts -------------------------------------------------------------------------


def by_person(conn: Connection, person_ids: Iterable[int] | Select, statuses: Sequence[str]) -> dict[int, list[dict]]:
    """Every move of these people (a list of ids, or a query that selects them), oldest first."""
    found: dict[int, list[dict]] = defaultdict(list)
    if isinstance(person_ids, Select):
        chunks: Iterable[Any] = [person_ids]
    else:
        ids = sorted(set(person_ids))
        chunks = (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK))
    for chunk in chunks:
        query = moves_select().where(moves.c.person_id.in_(chunk), moves.c.status.in_(list(statuses)))
        for row in dicts(conn.execute(query.order_by(moves.c.date.is_(None), moves.c.date, moves.c.id))):
            found[row["person_id"]].append(row)
    return found


def _story_at(steps: list[dict], scope: OrgScope) -> dict[str, Any]:
    """What a person's moves say about them and one organization: whether they left it (and are not
    back), when, where they went next, and what they founded after leaving."""
    leaves = [s for s in steps if s["kind"] == "move" and scope.holds(s["from_org_id"], s["from_unit"])]
    if not leaves:
        return {"left": False}
    left = max(leaves, key=lambda s: (_when(s["date"]), s["id"]))
    if any(s["kind"] == "move" and scope.holds(s["to_org_id"], s["to_unit"]) and _when(s["date"]) > _when(left["date"])
           for s in steps):
        return {"left": False}  # came back
    # Later steps that lead elsewhere: founding or joining the organization itself is not leaving it.
    later = [s for s in steps if s is not left and (s["date"] or "9999") >= (left["date"] or "")
             and s["to_org"] and not scope.holds(s["to_org_id"], s["to_unit"])]
    founded = [{"org": s["to_org"], "date": s["date"]} for s in later if s["kind"] == "founding"]
    # Where they went: the leaving move's destination, else the next place they joined or founded.
    went_to = left["to_org"] or next((s["to_org"] for s in later), None)
    return {
        "left": True, "left_date": left["date"], "left_precision": precision(left["date"]),
        "left_status": left["status"], "went_to": went_to, "founded": founded, "move_id": left["id"],
    }


def alumni(
    store: Store,
    org: str,
    since: str | None = None,
    until: str | None = None,
    statuses: Sequence[str] = FACT_STATUSES,
    limit: int | None = DEFAULT_LIMIT,
    offset: int = 0,
    undated: UndatedChoice = "exclude",
) -> dict[str, Any]:
    """People who left an organization (units included) and have not come back, latest departure
    first: where each went, what each founded. ``total`` counts them all; ``alumni`` holds one page;
    ``undated_left_out`` counts those a window left out because their departure has no date."""
    with store.engine.connect() as conn:
        scope = org_scope(store, conn, org)
        if scope.root is not None and set(statuses) == set(FACT_STATUSES):
            total, left_out, page = _alumni_summarized(conn, scope, since, until, undated, limit, offset)
        else:
            total, left_out, page = _alumni_counted(conn, scope, since, until, statuses, undated, limit, offset)
        steps = by_person(conn, page, statuses)
        people_rows = [{"person": steps[p][0]["person"], **_story_at(steps[p], scope)} for p in page]
        _attach_move_evidence(conn, people_rows)
    return {"org": scope.name, "units": [n for n in scope.names if n != scope.name], "total": total,
            "undated_left_out": left_out, "alumni": people_rows}


def _alumni_counted(conn: Connection, scope: OrgScope, since: str | None, until: str | None,
                    statuses: Sequence[str], undated: UndatedChoice, limit: int | None,
                    offset: int) -> tuple[int, int, list[int]]:
    """Alumni from the moves themselves: (how many, how many the window left out, one page of
    people ids, latest departure first)."""
    # Who is an alumnus is decided in SQL, one row per person (their last departure, their last
    # return); the full story (where they went, what they founded) is read for one page only.
    when = func.coalesce(moves.c.date, UNDATED)
    leave = and_(moves.c.kind == "move", _touches(scope, "from"))
    back = and_(moves.c.kind == "move", _touches(scope, "to"))
    query = (
        select(moves.c.person_id, func.max(case((leave, when))).label("left_at"),
               func.max(case((back, when))).label("back_at"),
               func.max(case((and_(leave, _in_window(moves.c.date, since, until)), 1))).label("in_window"),
               func.max(case((and_(leave, moves.c.date.is_(None)), 1))).label("undated"))
        .where(moves.c.status.in_(list(statuses)), moves.c.id.in_(scope_move_ids(scope, "either")))
        .group_by(moves.c.person_id)
    )
    windowed = since or until
    gone = [r for r in conn.execute(query).all()
            if r.left_at is not None and (r.back_at is None or r.back_at <= r.left_at)]
    last_left = {r.person_id: r.left_at for r in gone
                 if r.in_window or (windowed and undated == "include" and r.undated)}
    left_out = sum(1 for r in gone if windowed and undated == "exclude" and r.undated and not r.in_window)
    # Latest departure first, in the order `moves` uses (2025-06-30, 2025-06, 2025), undated last.
    ordered = sorted(last_left)
    ordered.sort(key=lambda p: last_left[p] if last_left[p] != UNDATED else "", reverse=True)
    return len(ordered), left_out, ordered[offset : offset + limit if limit else None]


def _alumni_summarized(conn: Connection, scope: OrgScope, since: str | None, until: str | None,
                       undated: UndatedChoice, limit: int | None, offset: int) -> tuple[int, int, list[int]]:
    """The same as ``_alumni_counted``, read from ``org_departures`` (fact statuses only): the
    count and one page come from its index on (organization, gone, latest departure)."""
    d = org_departures
    gone = [d.c.org_id == scope.root, d.c.gone == 1]

    def in_window(last: Any) -> ColumnElement[bool]:
        """A dated departure in the window: the first or the ``last`` one is, or (both bounds, rare)
        one between them. Where no departure is undated, the last one is ``left_at`` (indexed)."""
        def within(column: Any) -> ColumnElement[bool]:
            return and_(column.is_not(None), _in_window(column, since, until))

        if not until:
            return within(last)
        if not since:
            return within(d.c.first_dated)
        return or_(within(d.c.first_dated), within(last), and_(
            d.c.first_dated < since, func.substr(last, 1, len(until)) > until,
            select(moves.c.id).where(
                moves.c.person_id == d.c.person_id, moves.c.kind == "move", moves.c.status.in_(list(FACT_STATUSES)),
                _touches(scope, "from"), _in_window(moves.c.date, since, until)).exists()))

    dated, last = [*gone, d.c.left_at != UNDATED], [*gone, d.c.left_at == UNDATED]  # an undated one is the latest
    left_out = 0
    if since or until:
        dated.append(in_window(d.c.left_at))
        if undated == "exclude":  # (included, all of them are in)
            last.append(in_window(d.c.last_dated))
            left_out = conn.execute(select(func.count()).where(
                *gone, d.c.left_at == UNDATED, ~in_window(d.c.last_dated))).scalar_one()
    n_dated = conn.execute(select(func.count()).where(*dated)).scalar_one()
    n_last = conn.execute(select(func.count()).where(*last)).scalar_one()
    # Latest departure first (ties by person, as `_alumni_counted`), those with an undated one last.
    page = list(conn.execute(select(d.c.person_id).where(*dated).order_by(d.c.left_at.desc(), d.c.person_id)
                             .offset(offset).limit(limit)).scalars())
    if limit is None or len(page) < limit:
        page += conn.execute(select(d.c.person_id).where(*last).order_by(d.c.person_id)
                             .offset(max(0, offset - n_dated)).limit(limit - len(page) if limit else None)).scalars()
    return n_dated + n_last, left_out, page


def _when(date: str | None) -> str:
    return date or UNDATED


def _attach_move_evidence(conn: Connection, rows: list[dict[str, Any]]) -> None:
    moves_ = [{"id": r["move_id"]} for r in rows if r.get("move_id")]
    attach_evidence(conn, moves_)
    evidence = {m["id"]: m["evidence"] for m in moves_}
    for r in rows:
        r["evidence"] = evidence.get(r.get("move_id"), [])


def cohort_status(store: Store, name: str) -> dict[str, Any]:
    """Each member of a cohort: left (when, where to, what they founded, with the evidence), stayed
    (reported, with no departure from the cohort's organization), or no reports at all: a member no
    source mentions is never counted as still there."""
    with store.engine.connect() as conn:
        cohort = conn.execute(select(cohorts).where(cohorts.c.name == name)).first()
        if cohort is None:
            raise NotFound(f"cohort {name}: no such cohort")
        scope = org_scope(store, conn, cohort.org, known=False)
        members = conn.execute(
            select(cohort_members.c.name, cohort_members.c.key, person_names.c.person_id)
            .outerjoin(person_names, person_names.c.key == cohort_members.c.key)
            .where(cohort_members.c.cohort_id == cohort.id).order_by(cohort_members.c.id)
        ).all()
        steps = by_person(conn, [m.person_id for m in members if m.person_id], FACT_STATUSES)
        rows = []
        for m in members:
            story = _story_at(steps.get(m.person_id, []), scope)
            status = "left" if story["left"] else ("stayed" if m.person_id in steps else "no reports")
            # "known": the database holds this person (link to their page); else a search is all we have.
            rows.append({"name": m.name, "status": status, "known": m.person_id is not None, **story})
        _attach_move_evidence(conn, rows)
    tally = Counter(r["status"] for r in rows)
    return {
        "cohort": cohort.name, "org": scope.name, "members": len(rows), "left": tally["left"],
        "stayed": tally["stayed"], "no_reports": tally["no reports"],
        "founded": sum(1 for r in rows if r.get("founded")), "people": rows,
    }


def list_cohorts(store: Store) -> list[dict[str, Any]]:
    count = func.count(cohort_members.c.id).label("members")
    query = (select(cohorts.c.name, cohorts.c.org, cohorts.c.created_at, count)
             .outerjoin(cohort_members, cohort_members.c.cohort_id == cohorts.c.id)
             .group_by(cohorts.c.id, cohorts.c.name, cohorts.c.org, cohorts.c.created_at).order_by(cohorts.c.name))
    with store.engine.connect() as conn:
        return dicts(conn.execute(query))


# -- people -------------------------------------------------------------------------------------


def _person_suggestions(conn: Connection, name: str) -> list[str]:
    spellings = conn.execute(select(person_names.c.name, people.c.name.label("shown"))
                             .join(people, people.c.id == person_names.c.person_id))
    return similar_names(name, {r.name: r.shown for r in spellings}, whole=False)


def find_person(store: Store, conn: Connection, name: str) -> int:
    """The one person a name points to: an exact spelling, else the only name containing it."""
    key = name_key(name)
    row = conn.execute(select(person_names.c.person_id).where(person_names.c.key == key)).first()
    if row:
        return row.person_id
    matches = conn.execute(select(people.c.id, people.c.name).where(people.c.id.in_(_person_ids(conn, name)))).all()
    if len(matches) == 1:
        return matches[0].id
    if not matches:
        raise NotFound(f"{name}: no such person", _person_suggestions(conn, name), "person")
    raise NotFound(f"{name}: several people match ({', '.join(sorted(m.name for m in matches))}); give a full name")


def career(store: Store, name: str, statuses: Sequence[str] = FACT_STATUSES) -> dict[str, Any]:
    """A person's career as far as the sources tell it: every move in time order with its sources,
    and the stints (employer, start, end) they add up to."""
    with store.engine.connect() as conn:
        person_id = find_person(store, conn, name)
        shown = conn.execute(select(people.c.name).where(people.c.id == person_id)).scalar_one()
        spellings = [r.name for r in conn.execute(select(person_names.c.name).where(
            person_names.c.person_id == person_id).order_by(person_names.c.name))]
        steps = by_person(conn, [person_id], statuses).get(person_id, [])
        steps = [move_row(s) for s in steps]
        attach_evidence(conn, steps)
        doubtful = _pairs(conn, decision="candidate", person_id=person_id)
        # Rumours and denials that stand beside no move (those beside a move are in its evidence).
        reports = dicts(conn.execute(_reports_select().where(claims.c.person_id == person_id,
                                                             claims.c.move_id.is_(None))))
    return {"person": shown, "names": spellings, "steps": steps, "stints": stints(steps),
            "maybe_same_as": doubtful, "reports": reports}


def stints(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Employment periods from a person's moves, oldest first: joining opens a stint, leaving closes
    the open stint at that organization (or records one whose start is unknown), founding opens a
    founder's stint. Dates are those of the moves, with their precision."""
    out: list[dict[str, Any]] = []
    open_at: dict[str, dict[str, Any]] = {}
    for s in steps:
        if s["from_org"]:
            stint = open_at.pop(s["from_org"], None)
            if stint is None:
                stint = {"org": s["from_org"], "unit": s["from_unit"], "role": None, "start": None, "founder": False}
                out.append(stint)
            stint["end"] = s["date"]
            stint.setdefault("moves", []).append(s["id"])
        if s["to_org"]:
            stint = {"org": s["to_org"], "unit": s["to_unit"], "role": s["role"], "start": s["date"], "end": None,
                     "founder": s["kind"] == "founding", "moves": [s["id"]]}
            open_at[s["to_org"]] = stint
            out.append(stint)
    for stint in out:
        stint.setdefault("end", None)
    return out


def _pairs(conn: Connection, decision: str, person_id: int | None = None) -> list[dict[str, Any]]:
    """Pairs of names recorded as possibly one person, while they are still two people."""
    a_names, b_names = person_names.alias("a_names"), person_names.alias("b_names")
    a_people, b_people = people.alias("a_people"), people.alias("b_people")
    query = (
        select(a_names.c.name.label("name_a"), b_names.c.name.label("name_b"), a_people.c.name.label("person_a"),
               b_people.c.name.label("person_b"), person_pairs.c.reason, person_pairs.c.decision,
               a_names.c.person_id.label("id_a"), b_names.c.person_id.label("id_b"))
        .join(a_names, a_names.c.key == person_pairs.c.key_a)
        .join(b_names, b_names.c.key == person_pairs.c.key_b)
        .join(a_people, a_people.c.id == a_names.c.person_id)
        .join(b_people, b_people.c.id == b_names.c.person_id)
        .where(person_pairs.c.decision == decision, a_names.c.person_id != b_names.c.person_id)
        .order_by(a_people.c.name, b_people.c.name)
    )
    if person_id is not None:
        query = query.where(or_(a_names.c.person_id == person_id, b_names.c.person_id == person_id))
    return [{k: v for k, v in r._mapping.items() if k not in ("id_a", "id_b")} for r in conn.execute(query)]


def doubtful_pairs(store: Store) -> list[dict[str, Any]]:
    """Names that may be one person, kept apart until someone decides (``people merge``)."""
    with store.engine.connect() as conn:
        return _pairs(conn, decision="candidate")


# -- organizations and totals -------------------------------------------------------------------


def org_facts(store: Store, conn: Connection, scope: OrgScope) -> dict[str, Any]:
    """What an organization is: its name, kind, parent and units."""
    row = conn.execute(select(organizations.c.kind, organizations.c.parent_id).where(
        organizations.c.name == scope.name)).first()
    parent = None
    if row and row.parent_id:
        parent = conn.execute(select(organizations.c.name).where(organizations.c.id == row.parent_id)).scalar_one()
    known = store.gazetteer.lookup(scope.name)
    kind = row.kind if row else (known.kind if known else None)
    return {"org": scope.name, "kind": kind, "parent": parent, "units": [n for n in scope.names if n != scope.name]}


def org_report(store: Store, org: str) -> dict[str, Any]:
    """An organization: its kind, parent and units, and who joined, left and founded it."""
    with store.engine.connect() as conn:
        scope = org_scope(store, conn, org)
        facts = org_facts(store, conn, scope)
        query = _newest_first(moves_select().where(moves.c.status.in_(list(FACT_STATUSES)),
                                                    _touches(scope, "either")))
        rows = dicts(conn.execute(query))
        sections: dict[str, list[dict[str, Any]]] = {"joined": [], "left": [], "founded": []}
        for r in rows:
            if r["kind"] == "founding":
                sections["founded"].append(r)
            else:
                if scope.holds(r["to_org_id"], r["to_unit"]):
                    sections["joined"].append(r)
                if scope.holds(r["from_org_id"], r["from_unit"]):
                    sections["left"].append(r)
        for section in sections.values():
            section[:] = [move_row(r) for r in section]
            attach_evidence(conn, section)
    return {**facts, **sections}


def org_about(store: Store, org: str) -> dict[str, Any]:
    """What an organization is (``org_facts``), without reading its moves."""
    with store.engine.connect() as conn:
        return org_facts(store, conn, org_scope(store, conn, org))


def org_timeline(store: Store, org: str, since: str | None = None,
                 until: str | None = None) -> list[dict[str, Any]]:
    """Joins, departures and foundings of an organization (units included) per month, oldest first;
    moves dated only to the year are left out."""
    months: dict[str, Counter[str]] = defaultdict(Counter)
    with store.engine.connect() as conn:
        scope = org_scope(store, conn, org)
        query = _window(select(moves.c.kind, moves.c.date, moves.c.from_org_id, moves.c.from_unit, moves.c.to_org_id,
                               moves.c.to_unit)
                        .where(moves.c.status.in_(list(FACT_STATUSES)), _touches(scope, "either")),
                        since, until, "best")
        for r in conn.execute(query):
            if not r.date or len(r.date) < 7:
                continue
            month = months[r.date[:7]]
            if r.kind == "founding":
                month["founded"] += 1
                continue
            month["joined"] += scope.holds(r.to_org_id, r.to_unit)
            month["left"] += scope.holds(r.from_org_id, r.from_unit)
    return [{"month": m, "joined": c["joined"], "left": c["left"], "founded": c["founded"]}
            for m, c in sorted(months.items())]


def org_sankey(store: Store, org: str, since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """Where an organization's people came from and went to, as Sankey nodes and links: sources on
    the left, the organization in the middle, destinations on the right. An organization on both
    sides appears twice ("from X", "to X") so that the diagram has no cycle."""
    inbound: Counter[str] = Counter()
    outbound: Counter[str] = Counter()
    with store.engine.connect() as conn:
        scope = org_scope(store, conn, org)
        for pair in flows(store, org=scope.name, since=since, until=until):
            came, went = pair["to_org"] in scope.names, pair["from_org"] in scope.names
            if came and not went:
                inbound[pair["from_org"]] += pair["moves"]
            elif went and not came:
                outbound[pair["to_org"]] += pair["moves"]
        # Moves whose other side no source names: an "unknown" node, so that the diagram's totals are
        # the page's counts of who joined and left.
        base = select(func.count()).select_from(moves).where(moves.c.kind == "move",
                                                             moves.c.status.in_(list(FACT_STATUSES)))
        came_unknown = conn.execute(_window(base.where(_touches(scope, "to"), moves.c.from_org_id.is_(None),
                                                       moves.c.from_unit.is_(None)), since, until, "best")).scalar_one()
        went_unknown = conn.execute(_window(base.where(_touches(scope, "from"), moves.c.to_org_id.is_(None),
                                                       moves.c.to_unit.is_(None)), since, until, "best")).scalar_one()
    nodes: list[dict[str, Any]] = [{"name": scope.name, "org": scope.name, "side": "center"}]
    nodes += [{"name": f"from {o}", "org": o, "side": "from"} for o in sorted(inbound)]
    nodes += [{"name": f"to {o}", "org": o, "side": "to"} for o in sorted(outbound)]
    links: list[dict[str, Any]] = [{"source": f"from {o}", "target": scope.name, "value": n,
                                    "filter": {"from": o, "to": scope.name}} for o, n in sorted(inbound.items())]
    links += [{"source": scope.name, "target": f"to {o}", "value": n, "filter": {"from": scope.name, "to": o}}
              for o, n in sorted(outbound.items())]
    if came_unknown:
        nodes.append({"name": "from unknown", "org": None, "side": "from"})
        links.append({"source": "from unknown", "target": scope.name, "value": came_unknown,
                      "filter": {"to": scope.name, "unknown": "from", "kind": "move"}})
    if went_unknown:
        nodes.append({"name": "to unknown", "org": None, "side": "to"})
        links.append({"source": scope.name, "target": "to unknown", "value": went_unknown,
                      "filter": {"from": scope.name, "unknown": "to", "kind": "move"}})
    for link in links:
        link["filter"].update({k: v for k, v in (("since", since), ("until", until)) if v})
    return {"org": scope.name, "since": since, "until": until, "nodes": nodes, "links": links,
            "inflow": sum(inbound.values()) + came_unknown, "outflow": sum(outbound.values()) + went_unknown}


def require_org(store: Store, org: str) -> str:
    """The stored name of an organization (aliases and case tolerated), or NotFound."""
    with store.engine.connect() as conn:
        return org_scope(store, conn, org).name


def measurable_org(store: Store, org: str) -> str:
    """An organization a cohort can be measured against: one the organizations file knows (a cohort
    may be defined before any move of it is stored) or the database holds; else NotFound with
    suggestions, so that "Metta" does not make a cohort of people with no reports."""
    known = store.gazetteer.lookup(org)
    return known.name if known else require_org(store, org)


def get_move(store: Store, move_id: int) -> dict[str, Any]:
    """One move with every source, each evidence sentence in its paragraph (``before``, ``text``,
    ``after``) so that a page can show the sentence highlighted where it stands."""
    with store.engine.connect() as conn:
        row = conn.execute(moves_select().where(moves.c.id == move_id)).first()
        if row is None:
            raise NotFound(f"move {move_id}: no such move")
        move = move_row(row)
        attach_evidence(conn, [move])
        texts = dict(conn.execute(select(claims.c.id, documents.c.text)
                                  .join(documents, documents.c.id == claims.c.document_id)
                                  .where(claims.c.id.in_([e["claim"] for e in move["evidence"]]))).all())
        facts = dicts(conn.execute(select(claims.c.person_name, claims.c.from_org, claims.c.to_org, claims.c.date)
                                   .where(claims.c.move_id == move_id, claims.c.status.in_(list(FACT_STATUSES)))
                                   .order_by(claims.c.id)))
        move["merged_because"] = merge_reasons(move["kind"], facts)
        for e in move["evidence"]:
            text = texts[e["claim"]]
            start = text.rfind("\n", 0, e["start"]) + 1
            end = text.find("\n", e["end"])
            end = len(text) if end < 0 else end
            e["paragraph"] = {"before": text[start : e["start"]], "text": text[e["start"] : e["end"]],
                              "after": text[e["end"] : end]}
    return move


def search(store: Store, text: str, limit: int = 20) -> dict[str, list[dict[str, Any]]]:
    """People and organizations whose name contains the text (any case, accents ignored for people)."""
    needle = text.strip()
    key = name_key(needle)
    if not needle:
        return {"people": [], "organizations": []}
    with store.engine.connect() as conn:
        found_people = []
        if key:  # the first ``limit`` by name, then their moves counted
            first = (select(people.c.id, people.c.name).where(people.c.id.in_(_people_named_with(conn, key)))
                     .order_by(people.c.name).limit(limit).subquery())
            found_people = dicts(conn.execute(
                select(first.c.name, func.count(moves.c.id).label("moves"))
                .outerjoin(moves, moves.c.person_id == first.c.id)
                .group_by(first.c.id, first.c.name).order_by(first.c.name)))
        found_orgs = dicts(conn.execute(
            select(organizations.c.name, organizations.c.kind)
            .where(func.lower(organizations.c.name).contains(needle.lower(), autoescape=True))
            .order_by(func.length(organizations.c.name), organizations.c.name).limit(limit)))
    return {"people": found_people, "organizations": found_orgs}


# SQLite's trigram index of every spelling's key (migration 0010): what a search for a part of a
# name reads instead of every spelling, for three characters or more.
NAMES_SEARCH = sql.table("person_names_search", sql.column("rowid"), sql.column("key"))


def _people_named_with(conn: Connection, key: str) -> Select:
    """The ids of the people one of whose spellings contains ``key`` (a ``name_key``)."""
    if conn.dialect.name == "sqlite" and len(key) >= 3 and not set(key) & {"%", "_", "\\"}:
        rows = select(NAMES_SEARCH.c.rowid).where(NAMES_SEARCH.c.key.like(f"%{key}%"))
        return select(person_names.c.person_id).where(literal_column("person_names.rowid").in_(rows))
    return select(person_names.c.person_id).where(person_names.c.key.contains(key, autoescape=True))


def claims_select() -> Select:
    """Claims as a reviewer reads them: what each says, its confidence and review, its evidence and
    document."""
    return (select(claims.c.id, claims.c.kind, claims.c.person_name.label("person"), claims.c.from_org,
                   claims.c.to_org, claims.c.role, claims.c.date, claims.c.status, claims.c.confidence,
                   claims.c.review, claims.c.move_id, claims.c.evidence_text.label("evidence"), claims.c.rule,
                   documents.c.label.label("doc"), documents.c.url, documents.c.title, documents.c.published)
            .join(documents, documents.c.id == claims.c.document_id))


def list_claims(store: Store, review: str | None = None, unreviewed: bool = False, limit: int = DEFAULT_LIMIT,
                offset: int = 0) -> dict[str, Any]:
    """Claims for review, newest first, with their evidence, document and move."""
    query = claims_select()
    if review:
        query = query.where(claims.c.review == review)
    if unreviewed:
        query = query.where(claims.c.review.is_(None))
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = dicts(conn.execute(query.order_by(claims.c.id.desc()).offset(offset).limit(limit)))
    return {"total": total, "claims": rows}


def list_reports(store: Store, person: str | None = None, org: str | None = None,
                 statuses: Sequence[str] = REPORT_STATUSES, limit: int | None = DEFAULT_LIMIT) -> list[dict[str, Any]]:
    """Rumours and denials, newest report first. They never make a move: each names the move it
    stands beside (``move_id``), or none when no source states the move as a fact."""
    query = _reports_select(statuses)
    with store.engine.connect() as conn:
        if person:
            query = query.where(claims.c.person_id.in_(_person_ids(conn, person)))
        if org:
            scope = org_scope(store, conn, org)
            query = query.where(or_(claims.c.from_org.in_(scope.names), claims.c.to_org.in_(scope.names)))
        return dicts(conn.execute(query.limit(limit) if limit else query))


def _reports_select(statuses: Sequence[str] = REPORT_STATUSES) -> Select:
    return (select(claims.c.id, claims.c.kind, claims.c.person_name.label("person"), claims.c.from_org,
                   claims.c.to_org, claims.c.date, claims.c.status, claims.c.move_id,
                   claims.c.evidence_text.label("evidence"), documents.c.label.label("doc"), documents.c.url,
                   documents.c.title, documents.c.published, documents.c.origin, documents.c.reported_by)
            .join(documents, documents.c.id == claims.c.document_id)
            .where(claims.c.status.in_(list(statuses)), not_rejected())
            .order_by(documents.c.published.is_(None), documents.c.published.desc(), claims.c.id))


def get_claim(store: Store, claim_id: int) -> dict[str, Any]:
    with store.engine.connect() as conn:
        row = conn.execute(select(claims, documents.c.label.label("doc"), documents.c.url)
                           .join(documents, documents.c.id == claims.c.document_id)
                           .where(claims.c.id == claim_id)).first()
        if row is None:
            raise NotFound(f"claim {claim_id}: no such claim")
        claim = dict(row._mapping)
        claim["reviews"] = dicts(conn.execute(select(reviews.c.verdict, reviews.c.changes, reviews.c.reviewed_at)
                                              .where(reviews.c.claim_id == claim_id).order_by(reviews.c.id)))
    return claim


def latest_report(store: Store) -> str | None:
    """The newest publication date among stored moves: where "the last 90 days" ends."""
    with store.engine.connect() as conn:
        return conn.execute(select(func.max(moves.c.first_seen))).scalar_one()


def counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in (("documents", documents), ("claims", claims), ("moves", moves),
                                ("people", people), ("organizations", organizations))
        }
