"""The JSON API under ``/api``, described by ``/openapi.json`` (and the offline page ``/docs``).
Every endpoint declares the shape of its answer; writes need ``Authorization: Bearer TOKEN``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict

from talentflow import alerts, explore, query
from talentflow.models import FACT_STATUSES
from talentflow.store import Store
from talentflow.web.forms import ReviewIn, WatchlistIn, add_watchlist_from, apply_review
from talentflow.web.params import Id, Limit, Name, Offset, Since, StatusName, Text, Undated, Until


class Open(BaseModel):
    """A typed answer that may carry more fields than it names (added ones do not break clients)."""

    model_config = ConfigDict(extra="allow")


class Evidence(Open):
    claim: int
    text: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    status: str | None = None


class Move(Open):
    id: int
    kind: Literal["move", "founding"]
    person: str
    from_org: str | None = None
    from_unit: str | None = None
    to_org: str | None = None
    to_unit: str | None = None
    role: str | None = None
    date: str | None = None
    effective_date: str | None = None
    first_seen: str | None = None
    status: str
    sources: int
    denials: int = 0
    copies: int = 0
    evidence: list[Evidence] = []


class MoveDetail(Move):
    merged_because: list[str] = []


class MovesPage(Open):
    items: list[Move]
    limit: int
    offset: int
    next_offset: int | None
    total: int
    undated_left_out: int


class Flow(Open):
    from_org: str
    to_org: str
    moves: int


class NetFlow(Open):
    a: str
    b: str
    since: str | None
    until: str | None
    a_to_b: int
    b_to_a: int
    net_to_b: int
    undated_left_out: int
    moves_a_to_b: list[Move]
    moves_b_to_a: list[Move]


class Quarter(Open):
    quarter: str
    a_to_b: int
    b_to_a: int
    net_to_b: int


class Period(Open):
    period: str
    since: str
    until: str
    joined: int
    left: int
    founded: int
    net: int


class Month(Open):
    month: str
    joined: int
    left: int
    founded: int


class CompareRow(Open):
    org: str
    a: int
    b: int
    change: int


class Comparison(Open):
    org: str
    a: str
    b: str
    sources: list[CompareRow]
    destinations: list[CompareRow]
    sources_total: dict[str, int]
    destinations_total: dict[str, int]


class Count(Open):
    count: int
    filter: dict[str, Any]


class OrgCounts(Open):
    joined: Count
    left: Count
    founded: Count


class Sankey(Open):
    org: str
    nodes: list[dict[str, Any]]
    links: list[dict[str, Any]]
    inflow: int
    outflow: int


class Alumni(Open):
    total: int
    alumni: list[dict[str, Any]]


class OrgReport(Open):
    org: str
    kind: str | None
    parent: str | None
    units: list[str]
    joined: list[Move]
    left: list[Move]
    founded: list[Move]


class Career(Open):
    person: str


class Cohort(Open):
    name: str
    org: str


class Hit(Open):
    kind: str
    name: str
    link: str
    detail: str | None


class Search(Open):
    people: list[dict[str, Any]]
    organizations: list[dict[str, Any]]
    hits: list[Hit]


class IndexPage(Open):
    total: int
    offset: int
    limit: int
    sort: str
    items: list[dict[str, Any]]


class Claim(Open):
    id: int
    kind: str
    person: str | None = None
    from_org: str | None
    to_org: str | None
    status: str
    review: str | None


class Claims(Open):
    total: int
    claims: list[Claim]


class Reviewed(Open):
    claim: dict[str, Any]
    move: int | None


class Watchlist(Open):
    name: str
    filters: dict[str, Any]
    webhook: str | None
    email: str | None
    created_at: str


class Alert(Open):
    id: int
    created_at: str
    watchlist: str
    event: str
    summary: str
    status: str
    evidence: dict[str, Any]
    deliveries: dict[str, str]


class Home(Open):
    latest: list[Move]
    window: dict[str, str | None]
    top: dict[str, list[dict[str, Any]]]


def api_router(store: Store, require_token: Callable[..., None]) -> APIRouter:
    api = APIRouter(prefix="/api")
    writer = [Depends(require_token)]

    @api.get("/home")
    def api_home() -> Home:
        from talentflow.web.pages import home_data

        return Home(**home_data(store))

    @api.get("/moves")
    def api_moves(org: Text = None, person: Text = None,
                  from_org: Annotated[str | None, Query(alias="from", max_length=200)] = None,
                  to_org: Annotated[str | None, Query(alias="to", max_length=200)] = None,
                  since: Since = None, until: Until = None, role: Text = None,
                  status: Annotated[list[StatusName] | None, Query()] = None,
                  kind: Literal["move", "founding"] | None = None,
                  dates: Literal["best", "effective", "reported"] = "best", limit: Limit = 50,
                  offset: Offset = 0, undated: Undated = "exclude") -> MovesPage:
        """Moves with every filter of the moves browser, newest first, with the total."""
        found = explore.browse_moves(store, explore.MoveFilter(
            org, from_org, to_org, person, kind, tuple(status or FACT_STATUSES), since, until, role, undated,
            dates=dates), limit=limit, offset=offset)
        more = offset + limit < found["total"]
        return MovesPage(items=[Move(**m) for m in found["items"]], limit=limit, offset=offset, total=found["total"],
                         next_offset=offset + limit if more else None, undated_left_out=found["undated_left_out"])

    @api.get("/moves/{move_id}")
    def api_move(move_id: Id) -> MoveDetail:
        return MoveDetail(**query.get_move(store, move_id))

    @api.get("/flows")
    def api_flows(org: Text = None, since: Since = None, until: Until = None, limit: Limit = 50) -> list[Flow]:
        return [Flow(**f) for f in query.flows(store, org=org, since=since, until=until, limit=limit)]

    @api.get("/flows/net")
    def api_net(a: Annotated[str, Query(max_length=200)], b: Annotated[str, Query(max_length=200)],
                since: Since = None, until: Until = None, undated: Undated = "exclude", limit: Limit = 100) -> NetFlow:
        """Counts of the moves each way, and the newest ``limit`` of them each way."""
        return NetFlow(**query.net_flow(store, query.require_org(store, a), query.require_org(store, b), since=since,
                                        until=until, undated=undated, limit=limit))

    @api.get("/flows/net/quarters")
    def api_net_quarters(a: Annotated[str, Query(max_length=200)], b: Annotated[str, Query(max_length=200)],
                         since: Since = None, until: Until = None) -> list[Quarter]:
        """Moves each way between A and B per quarter, and B's net gain (undated moves as "undated")."""
        rows = explore.net_flow_by_quarter(store, query.require_org(store, a), query.require_org(store, b),
                                           since=since, until=until)
        return [Quarter(**r) for r in rows]

    @api.get("/compare")
    def api_compare(org: Annotated[str, Query(min_length=1, max_length=200)], a: Since, b: Until) -> Comparison:
        """Where an organization's joiners came from and its leavers went, in window ``a`` against ``b``."""
        if not a or not b:
            raise HTTPException(422, "give both windows: a=2025&b=2024")
        return Comparison(**explore.compare_windows(store, query.require_org(store, org), a, b))

    @api.get("/people")
    def api_people(sort: Literal["name", "moves", "latest"] = "name", limit: Limit = 100,
                   offset: Offset = 0) -> IndexPage:
        return IndexPage(**explore.people_index(store, sort, limit=limit, offset=offset))

    @api.get("/orgs")
    def api_orgs(sort: Literal["name", "joined", "left", "net", "founded"] = "joined", limit: Limit = 100,
                 offset: Offset = 0) -> IndexPage:
        return IndexPage(**explore.orgs_index(store, sort, limit=limit, offset=offset))

    @api.get("/orgs/{name:path}/alumni")
    def api_alumni(name: Name, since: Since = None, until: Until = None, limit: Limit = 50,
                   offset: Offset = 0, undated: Undated = "exclude") -> Alumni:
        return Alumni(**query.alumni(store, query.require_org(store, name), since=since, until=until, limit=limit,
                                     offset=offset, undated=undated))

    @api.get("/orgs/{name:path}/sankey")
    def api_sankey(name: Name, since: Since = None, until: Until = None) -> Sankey:
        return Sankey(**query.org_sankey(store, query.require_org(store, name), since=since, until=until))

    @api.get("/orgs/{name:path}/timeline")
    def api_timeline(name: Name, since: Since = None, until: Until = None) -> list[Month]:
        return [Month(**m) for m in query.org_timeline(store, query.require_org(store, name), since=since,
                                                       until=until)]

    @api.get("/orgs/{name:path}/trend")
    def api_trend(name: Name, since: Since = None, until: Until = None,
                  by: Literal["month", "quarter"] = "month") -> list[Period]:
        """Inflow, outflow, foundings and net per month or quarter, each with its window."""
        return [Period(**p) for p in explore.timeline(store, query.require_org(store, name), since, until, by)]

    @api.get("/orgs/{name:path}/counts")
    def api_counts(name: Name, since: Since = None, until: Until = None, undated: Undated = "exclude") -> OrgCounts:
        """How many joined, left and founded in a window, each with the moves filter that lists them."""
        return OrgCounts(**explore.org_counts(store, query.require_org(store, name), since, until, undated))

    @api.get("/orgs/{name:path}")
    def api_org(name: Name) -> OrgReport:
        return OrgReport(**query.org_report(store, query.require_org(store, name)))

    @api.get("/people/{name:path}")
    def api_person(name: Name) -> Career:
        return Career(**query.career(store, name))

    @api.get("/cohorts")
    def api_cohorts() -> list[Cohort]:
        return [Cohort(**c) for c in query.list_cohorts(store)]

    @api.get("/cohorts/{name:path}")
    def api_cohort(name: Name) -> Cohort:
        found = query.cohort_status(store, name)
        return Cohort(**{"name": name, **found})

    @api.get("/search")
    def api_search(q: Annotated[str, Query(min_length=1, max_length=200)]) -> Search:
        """People and organizations by name, and hits of every kind (alias, misspelling, role, evidence)."""
        names = query.search(store, q)
        return Search(**names, hits=[Hit(**h) for h in explore.search_all(store, q, names=names)])

    @api.get("/claims")
    def api_claims(review: Literal["correct", "wrong", "corrected"] | None = None, unreviewed: bool = False,
                   org: Text = None, person: Text = None,
                   status: Annotated[list[Literal["confirmed", "reported", "planned", "rumored", "denied"]] | None,
                                     Query()] = None,
                   min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
                   max_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
                   limit: Limit = 50, offset: Offset = 0) -> Claims:
        """Claims for review: by verdict, or with the review queue's filters."""
        if review or not any((org, person, status, min_confidence is not None, max_confidence is not None)):
            return Claims(**query.list_claims(store, review=review, unreviewed=unreviewed, limit=limit, offset=offset))
        f = explore.ClaimFilter(org, person, tuple(status or ()), min_confidence, max_confidence,
                                "unreviewed" if unreviewed else "all")
        return Claims(**explore.review_queue(store, f, limit=limit, offset=offset))

    @api.get("/claims/{claim_id}")
    def api_claim(claim_id: Id) -> Claim:
        return Claim(**query.get_claim(store, claim_id))

    @api.post("/claims/{claim_id}/review", dependencies=writer)
    def api_review(claim_id: Id, decision: ReviewIn) -> Reviewed:
        move_id = apply_review(store, claim_id, decision)
        return Reviewed(claim=query.get_claim(store, claim_id), move=move_id)

    @api.get("/watchlists")
    def api_watchlists() -> list[Watchlist]:
        return [Watchlist(**w.to_json()) for w in alerts.list_watchlists(store)]

    @api.post("/watchlists", dependencies=writer, status_code=201)
    def api_add_watchlist(given: WatchlistIn) -> Watchlist:
        try:
            return Watchlist(**add_watchlist_from(store, given).to_json())
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc

    @api.delete("/watchlists/{name}", dependencies=writer, status_code=204, response_class=Response)
    def api_remove_watchlist(name: Name) -> None:
        alerts.remove_watchlist(store, name)

    @api.get("/alerts")
    def api_alerts(watchlist: Text = None, limit: Limit = 50) -> list[Alert]:
        return [Alert(**a) for a in alerts.list_alerts(store, watchlist, limit=limit)]

    return api
