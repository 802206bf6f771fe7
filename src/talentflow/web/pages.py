"""The web app's pages: server-rendered HTML over ``query.py`` and ``explore.py``. Every number on
a page links to the moves it counts (the moves browser, ``/moves?...``); writes go through a
signed-in session with a CSRF token on each form (``session.py``). None of these routes is part
of the API, so none is in the OpenAPI document."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from talentflow import __version__, alerts, explore, query
from talentflow.dates import first_day
from talentflow.ingest import IngestOptions, is_url
from talentflow.ingest.text import MAX_ARTICLE_BYTES, megabytes
from talentflow.models import ALL_STATUSES, FACT_STATUSES
from talentflow.notify import atom_feed
from talentflow.store import Store
from talentflow.web import jobs
from talentflow.web.forms import ReviewIn, WatchlistIn, add_watchlist_from, apply_review
from talentflow.web.params import Id, Name, Offset, Since, StatusName, Text, Undated, Until
from talentflow.web.session import Sessions

PAGE = 50
WINDOW_DAYS = 90
Status = Annotated[list[StatusName] | None, Query()]


def home_data(store: Store) -> dict[str, Any]:
    """Latest moves, and the largest inflows and outflows in the 90 days up to the newest report."""
    until = query.latest_report(store) or date.today().isoformat()
    start = first_day(until)
    since = (start - timedelta(days=WINDOW_DAYS)).date().isoformat() if start else None
    return {"latest": query.list_moves(store, limit=15), "window": {"since": since, "until": until},
            "top": query.top_flows(store, limit=8, since=since, until=until)}


def page_router(store: Store, templates: Jinja2Templates, sessions: Sessions,
                ingest_options: IngestOptions) -> APIRouter:
    """The HTML routes over ``store``."""
    router = APIRouter(include_in_schema=False)

    def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {
            "version": __version__, "signed_in": sessions.nonce(request) is not None,
            "csrf": sessions.csrf(request), "writable": sessions.writable, **context}, status_code=status_code)

    def refused(request: Request, exc: HTTPException) -> HTMLResponse:
        return render(request, "error.html", status_code=exc.status_code, message=exc.detail,
                      signin=exc.status_code == 401)

    # -- reading -------------------------------------------------------------------------------

    @router.get("/", response_class=HTMLResponse)
    def home_page(request: Request) -> HTMLResponse:
        return render(request, "home.html", **home_data(store))

    @router.get("/search", response_class=HTMLResponse)
    def search_page(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
        return render(request, "search.html", q=q, hits=explore.search_all(store, q))

    @router.get("/moves", response_model=None)
    def moves_page(
        request: Request, org: Text = None, person: Text = None,
        from_org: Annotated[str | None, Query(alias="from", max_length=200)] = None,
        to_org: Annotated[str | None, Query(alias="to", max_length=200)] = None,
        kind: Literal["move", "founding"] | None = None, status: Status = None,
        since: Since = None, until: Until = None, role: Text = None, undated: Undated = "exclude",
        unknown: Literal["from", "to"] | None = None, offset: Offset = 0,
        format: Literal["html", "csv", "jsonl"] = "html",
    ) -> Response:
        f = explore.MoveFilter(org or None, from_org or None, to_org or None, person or None, kind,
                               tuple(status or FACT_STATUSES), since or None, until or None, role or None, undated,
                               unknown)
        if format != "html":
            found = explore.browse_moves(store, f, limit=None)
            return download(found["items"], format)
        found = explore.browse_moves(store, f, limit=PAGE, offset=offset)
        params = f.params()
        return render(request, "moves.html", found=found, f=f, params=params, offset=offset, page=PAGE,
                      query_string=urlencode(params, doseq=True), statuses=FACT_STATUSES)

    @router.get("/org/{name:path}", response_class=HTMLResponse)
    def org_page(request: Request, name: Name, since: Since = None, until: Until = None,
                 undated: Undated = "exclude", by: Literal["month", "quarter"] = "month") -> HTMLResponse:
        name = query.require_org(store, name)
        window = explore.MoveFilter(since=since, until=until, undated=undated)
        # Each section's page also counts it: the counts on the page are the sections' totals.
        sections = {key: explore.browse_moves(store, f, limit=25)
                    for key, f in explore.org_filters(name, since, until, undated).items()}
        counts = {key: {"count": found["total"], "filter": found["filter"]} for key, found in sections.items()}
        return render(request, "org.html", report=query.org_about(store, name), since=since, until=until,
                      undated=undated, by=by, counts=counts, sections=sections, window=window.params(),
                      undated_left_out=query.count_undated(store, since, until, undated, org=name),
                      sankey=query.org_sankey(store, name, since=since, until=until),
                      timeline=explore.timeline(store, name, since=since, until=until, by=by),
                      alumni=query.alumni(store, name, since=since, until=until, limit=200, undated=undated))

    @router.get("/compare", response_class=HTMLResponse)
    def compare_page(request: Request, org: Annotated[str, Query(min_length=1, max_length=200)],
                     a: Since = None, b: Until = None) -> HTMLResponse:
        org = query.require_org(store, org)
        latest = (query.latest_report(store) or "2025")[:4]
        a = a or latest
        b = b or str(int(a[:4]) - 1) + a[4:]
        return render(request, "compare.html", cmp=explore.compare_windows(store, org, a, b))

    @router.get("/flows/net", response_class=HTMLResponse)
    def net_flow_page(request: Request, a: Text = None, b: Text = None, since: Since = None,
                      until: Until = None) -> HTMLResponse:
        if not a or not b:
            return render(request, "netflow.html", flow=None, a=a or "", b=b or "", since=since, until=until)
        a, b = query.require_org(store, a), query.require_org(store, b)
        return render(request, "netflow.html", a=a, b=b, since=since, until=until,
                      flow=query.net_flow(store, a, b, since=since, until=until, limit=PAGE),
                      quarters=explore.net_flow_by_quarter(store, a, b, since=since, until=until))

    @router.get("/people", response_class=HTMLResponse)
    def people_page(request: Request, sort: Literal["name", "moves", "latest"] = "name",
                    offset: Offset = 0) -> HTMLResponse:
        return render(request, "people.html", index=explore.people_index(store, sort, limit=PAGE, offset=offset))

    @router.get("/orgs", response_class=HTMLResponse)
    def orgs_page(request: Request, sort: Literal["name", "joined", "left", "net", "founded"] = "joined",
                  offset: Offset = 0) -> HTMLResponse:
        return render(request, "orgs.html", index=explore.orgs_index(store, sort, limit=PAGE, offset=offset))

    @router.get("/person/{name:path}", response_class=HTMLResponse)
    def person_page(request: Request, name: Name) -> HTMLResponse:
        return render(request, "person.html", career=query.career(store, name))

    @router.get("/move/{move_id}", response_class=HTMLResponse)
    def move_page(request: Request, move_id: Id) -> HTMLResponse:
        move = query.get_move(store, move_id)
        return render(request, "move.html", move=move, label=explore.move_label(move))

    @router.get("/cohorts", response_class=HTMLResponse)
    def cohorts_page(request: Request) -> HTMLResponse:
        return render(request, "cohorts.html", cohorts=query.list_cohorts(store))

    @router.get("/cohort/{name:path}", response_class=HTMLResponse)
    def cohort_page(request: Request, name: Name) -> HTMLResponse:
        return render(request, "cohort.html", cohort=query.cohort_status(store, name))

    @router.get("/docs", response_class=HTMLResponse)
    def api_docs_page(request: Request) -> HTMLResponse:
        return render(request, "docs.html")

    # -- signing in ------------------------------------------------------------------------------

    @router.get("/signin", response_class=HTMLResponse)
    def signin_page(request: Request, next: Annotated[str, Query(max_length=500)] = "/") -> HTMLResponse:
        return render(request, "signin.html", next=_local(next))

    @router.post("/signin", response_model=None)
    def signin(request: Request, token: Annotated[str, Form(max_length=500)] = "",
               next: Annotated[str, Form(max_length=500)] = "/") -> Response:
        response = RedirectResponse(_local(next), status_code=303)
        try:
            sessions.sign_in(response, token or None, secure=request.url.scheme == "https")
        except HTTPException as exc:
            return render(request, "signin.html", status_code=exc.status_code, next=_local(next), error=exc.detail)
        return response

    @router.post("/signout", response_model=None)
    def signout() -> Response:
        response = RedirectResponse("/", status_code=303)
        sessions.sign_out(response)
        return response

    # -- reviewing -------------------------------------------------------------------------------

    @router.get("/review", response_class=HTMLResponse)
    def review_page(
        request: Request, org: Text = None, person: Text = None,
        status: Annotated[list[str] | None, Query()] = None,
        min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
        max_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
        state: Literal["unreviewed", "reviewed", "all"] = "unreviewed", offset: Offset = 0,
    ) -> HTMLResponse:
        bad = [s for s in status or [] if s not in ALL_STATUSES]
        if bad:
            raise HTTPException(422, f"status {bad[0]!r}: one of {', '.join(ALL_STATUSES)}")
        f = explore.ClaimFilter(org or None, person or None, tuple(status or ()), min_confidence, max_confidence, state)
        params = {k: v for k, v in {"org": org, "person": person, "status": status or None,
                                    "min_confidence": min_confidence, "max_confidence": max_confidence,
                                    "state": state if state != "unreviewed" else None}.items() if v is not None}
        return render(request, "review.html", queue=explore.review_queue(store, f, limit=PAGE, offset=offset),
                      f=f, offset=offset, page=PAGE, statuses=ALL_STATUSES, query_string=urlencode(params, doseq=True))

    @router.get("/review/claim/{claim_id}", response_class=HTMLResponse)
    def claim_page(request: Request, claim_id: Id, done: bool = False) -> HTMLResponse:
        return render(request, "claim.html", c=explore.claim_for_review(store, claim_id), done=done,
                      statuses=ALL_STATUSES, reviews=query.get_claim(store, claim_id)["reviews"])

    @router.post("/review/{claim_id}", response_model=None)
    def review_form(
        request: Request, claim_id: Id, csrf: Annotated[str, Form(max_length=200)] = "",
        verdict: Annotated[Literal["correct", "wrong"], Form()] = "correct",
        person: Annotated[str, Form(max_length=200)] = "", from_org: Annotated[str, Form(max_length=200)] = "",
        to_org: Annotated[str, Form(max_length=200)] = "", status: Annotated[str, Form(max_length=20)] = "",
    ) -> Response:
        try:
            sessions.require(request, csrf)
        except HTTPException as exc:
            return refused(request, exc)
        claim = query.get_claim(store, claim_id)
        if status and status not in ALL_STATUSES:
            return refused(request, HTTPException(422, f"status {status!r}: one of {', '.join(ALL_STATUSES)}"))
        decision = ReviewIn(verdict=verdict, person=person or None, status=status or None,  # type: ignore[arg-type]
                            from_org=from_org if from_org != (claim["from_org"] or "") else None,
                            to_org=to_org if to_org != (claim["to_org"] or "") else None)
        apply_review(store, claim_id, decision)
        return RedirectResponse(f"/review/claim/{claim_id}?done=true", status_code=303)

    # -- watchlists ------------------------------------------------------------------------------

    @router.get("/watchlists/{name}.atom", response_model=None)
    def watchlist_feed(request: Request, name: Name) -> Response:
        return Response(atom_feed(store, name, str(request.base_url)), media_type="application/atom+xml")

    @router.get("/watchlists", response_class=HTMLResponse)
    def watchlists_page(request: Request, done: Annotated[str | None, Query(max_length=200)] = None) -> HTMLResponse:
        return render(request, "watchlists.html", watchlists=alerts.list_watchlists(store),
                      alerts=alerts.list_alerts(store, limit=30), done=done)

    @router.post("/watchlists", response_model=None)
    def watchlist_form(
        request: Request, csrf: Annotated[str, Form(max_length=200)] = "",
        name: Annotated[str, Form(max_length=200)] = "", org: Annotated[str, Form(max_length=200)] = "",
        person: Annotated[str, Form(max_length=200)] = "", cohort: Annotated[str, Form(max_length=200)] = "",
        query_text: Annotated[str, Form(max_length=500)] = "", webhook: Annotated[str, Form(max_length=2000)] = "",
        email: Annotated[str, Form(max_length=320)] = "",
    ) -> Response:
        try:
            sessions.require(request, csrf)
            added = add_watchlist_from(store, WatchlistIn(name=name or " ", org=org or None, person=person or None,
                                                          cohort=cohort or None, query=query_text or None,
                                                          webhook=webhook or None, email=email or None))
        except HTTPException as exc:
            return refused(request, exc)
        except ValueError as exc:
            return refused(request, HTTPException(422, str(exc)))
        return RedirectResponse(f"/watchlists?done={added.name}", status_code=303)

    @router.post("/watchlists/{name}/remove", response_model=None)
    def watchlist_remove_form(request: Request, name: Name,
                              csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
        try:
            sessions.require(request, csrf)
        except HTTPException as exc:
            return refused(request, exc)
        alerts.remove_watchlist(store, name)
        return RedirectResponse("/watchlists", status_code=303)

    # -- adding articles -------------------------------------------------------------------------

    @router.get("/add", response_class=HTMLResponse)
    def add_page(request: Request) -> HTMLResponse:
        return render(request, "add.html", max_urls=jobs.MAX_URLS, max_size=megabytes(MAX_ARTICLE_BYTES))

    @router.post("/add", response_model=None)
    async def add_form(request: Request, csrf: Annotated[str, Form(max_length=200)] = "",
                       urls: Annotated[str, Form(max_length=100_000)] = "",
                       files: Annotated[list[UploadFile] | None, File()] = None) -> Response:
        try:
            sessions.require(request, csrf)
            given = [u.strip() for u in urls.splitlines() if u.strip() and not u.strip().startswith("#")]
            bad = [u for u in given if not is_url(u)]
            if bad:
                raise HTTPException(422, f"{bad[0][:200]}: not an http(s) URL")
            if len(given) > jobs.MAX_URLS:
                raise HTTPException(422, f"{len(given)} URLs: at most {jobs.MAX_URLS} at a time")
            uploaded = []
            for upload in [f for f in files or [] if f.filename]:
                data = await upload.read(MAX_ARTICLE_BYTES + 1)
                if len(data) > MAX_ARTICLE_BYTES:
                    raise HTTPException(413, f"{upload.filename}: file too large (the limit is "
                                             f"{megabytes(MAX_ARTICLE_BYTES)})")
                if not data:
                    raise HTTPException(422, f"{upload.filename}: empty file")
                uploaded.append((upload.filename or "upload", data))
            if not given and not uploaded:
                raise HTTPException(422, "nothing to add: give URLs or choose a file")
        except HTTPException as exc:
            return refused(request, exc)
        saved, folder = jobs.save_uploads(uploaded) if uploaded else ([], None)
        job_id = jobs.start_job(store, ingest_options, given, saved, folder)
        return RedirectResponse(f"/add/jobs/{job_id}", status_code=303)

    @router.get("/add/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(request: Request, job_id: Id) -> HTMLResponse:
        return render(request, "job.html", job=jobs.get_job(store, job_id))

    return router


def _local(target: str) -> str:
    """Where to go after signing in: a path of this site only (never another site: an open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


DOWNLOAD_COLUMNS = ("id", "date", "person", "kind", "label", "from_org", "from_unit", "to_org", "to_unit", "role",
                    "status", "sources", "evidence", "source_url", "source_title")


def download(rows: list[dict[str, Any]], format: str) -> Response:
    """The moves of a browser page as CSV or JSON Lines, each with its first source."""
    flat = []
    for m in rows:
        first = m["evidence"][0] if m["evidence"] else {}
        flat.append({**{k: m.get(k) for k in DOWNLOAD_COLUMNS}, "evidence": first.get("text"),
                     "source_url": first.get("url"), "source_title": first.get("title")})
    if format == "jsonl":
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in flat)
        return Response(body, media_type="application/x-ndjson",
                        headers={"Content-Disposition": 'attachment; filename="moves.jsonl"'})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DOWNLOAD_COLUMNS)
    writer.writeheader()
    writer.writerows(flat)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="moves.csv"'})
