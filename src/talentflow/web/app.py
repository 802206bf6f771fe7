"""``talentflow serve``: server-rendered pages and a JSON API over one database, both thin layers
over ``query.py``. Reading is open; writing (reviews) needs the token in ``TALENTFLOW_TOKEN``.

Article text is untrusted: templates escape everything (Jinja autoescape), chart data travels as
JSON inside ``<script type="application/json">`` blocks, links to sources are kept only when they
are http(s), and a Content-Security-Policy allows scripts from this server only.
"""

from __future__ import annotations

import hmac
import logging
import os
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date, timedelta
from importlib import resources
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, FastAPI, Form, Header, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import AfterValidator, BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.middleware.trustedhost import TrustedHostMiddleware

from talentflow import __version__, alerts, query
from talentflow.dates import first_day, valid_date
from talentflow.models import ALL_STATUSES, FACT_STATUSES
from talentflow.notify import atom_feed
from talentflow.store import Store

TOKEN_ENV = "TALENTFLOW_TOKEN"
# Answers kept per worker process until the database changes: $TALENTFLOW_CACHE_MB megabytes (0: none).
CACHE_ENV = "TALENTFLOW_CACHE_MB"
CACHE_BYTES = 64 * 1024 * 1024
HOSTS_ENV = "TALENTFLOW_ALLOWED_HOSTS"  # comma-separated, for the worker processes of `serve --workers`
log = logging.getLogger("talentflow.web")
WINDOW_DAYS = 90
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _a_date(value: str | None) -> str | None:
    if value is not None and not valid_date(value):
        raise ValueError(f"{value[:40]!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD of the calendar)")
    return value


Since = Annotated[str | None, Query(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD"), AfterValidator(_a_date)]
Until = Annotated[str | None, Query(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD"), AfterValidator(_a_date)]
Limit = Annotated[int, Query(ge=1, le=500)]
Undated = Annotated[Literal["exclude", "include"],
                    Query(description="moves with no known date: left out of a window (and counted), or included")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000)]
# Ids fit a 32-bit integer column (PostgreSQL's); names are short. Larger is a 422, never a 500.
Id = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
Name = Annotated[str, PathParam(min_length=1, max_length=300)]
StatusName = Literal["confirmed", "reported", "planned"]  # rumours and denials make no move


class WatchlistIn(BaseModel):
    """A new watchlist: its name, filters (or a moves query) and channels."""

    name: str = Field(min_length=1, max_length=200)
    org: str | None = Field(default=None, max_length=200)
    person: str | None = Field(default=None, max_length=200)
    cohort: str | None = Field(default=None, max_length=200)
    query: str | None = Field(default=None, max_length=500)
    webhook: str | None = Field(default=None, max_length=2000)
    email: str | None = Field(default=None, max_length=320)


def add_watchlist_from(store: Store, given: WatchlistIn) -> alerts.Watchlist:
    """The same checks as the command line; ValueError says what is wrong."""
    filters = alerts.parse_query(given.query) if given.query else {}
    filters.update({k: v for k, v in (("org", given.org), ("person", given.person), ("cohort", given.cohort)) if v})
    return alerts.add_watchlist(store, given.name, filters, given.webhook or None, given.email or None)


class ReviewIn(BaseModel):
    """A reviewer's decision: the verdict and, optionally, corrected fields ("" clears an organization)."""

    verdict: Literal["correct", "wrong"]
    person: str | None = Field(default=None, max_length=200)
    from_org: str | None = Field(default=None, max_length=200)
    to_org: str | None = Field(default=None, max_length=200)
    status: StatusName | None = None


def create_app(db: str | Store | None = None, token: str | None = None,
               allowed_hosts: Sequence[str] | None = None) -> FastAPI:
    """The app over the database ``db`` (an open Store, or a path or URL; default as for the CLI).
    ``token`` defaults to ``$TALENTFLOW_TOKEN``; without one, writing is refused. ``allowed_hosts``
    are the names a request's Host header may give (``talentflow serve`` always sets them: a page
    on another site cannot reach the server through DNS rebinding); None allows any."""
    store = db if isinstance(db, Store) else Store(db)
    write_token = token if token is not None else os.environ.get(TOKEN_ENV) or None
    app = FastAPI(title="talentflow", version=__version__, docs_url=None, redoc_url=None,
                  description="Talent moves with their evidence. Reading is open; POST needs "
                              "`Authorization: Bearer $TALENTFLOW_TOKEN`.")
    app.state.store = store
    folder = resources.files("talentflow.web")
    templates = Jinja2Templates(directory=str(folder / "templates"))
    templates.env.filters["url"] = safe_url
    templates.env.filters["q"] = lambda value: quote(str(value), safe="")
    templates.env.filters["host"] = lambda value: urlsplit(str(value)).hostname or str(value)
    app.mount("/static", StaticFiles(directory=str(folder / "static")), name="static")

    cache = AnswerCache(int(float(os.environ.get(CACHE_ENV, CACHE_BYTES / 2**20)) * 2**20))

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        try:
            response = await cache.answer(request, call_next, store)
        except Exception:  # nothing internal (paths, SQL, URLs, tracebacks) goes out; the log keeps it
            log.exception("error answering %s", request.url.path)
            if request.url.path.startswith("/api/"):
                response = JSONResponse({"detail": "internal error"}, status_code=500)
            else:
                response = templates.TemplateResponse(request, "error.html", {"message": "Something went wrong."},
                                                      status_code=500)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    if allowed_hosts is not None:  # added last, so it runs first: before the cache and everything else
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    @app.exception_handler(query.NotFound)
    async def not_found(request: Request, exc: query.NotFound) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc), "suggestions": exc.suggestions}, status_code=404)
        pages = {"organization": "/org/", "person": "/person/"}
        links = [(s, pages[exc.kind] + quote(s, safe="")) for s in exc.suggestions if exc.kind in pages]
        return templates.TemplateResponse(request, "error.html", {"message": str(exc), "suggestions": links},
                                          status_code=404)

    def require_token(authorization: Annotated[str | None, Header()] = None) -> None:
        scheme, _, given = (authorization or "").partition(" ")
        check_token(write_token, given.strip() if scheme.lower() == "bearer" else None)

    api = APIRouter(prefix="/api")

    @api.get("/home")
    def api_home() -> dict[str, Any]:
        return home_data(store)

    @api.get("/moves")
    def api_moves(org: str | None = None, person: str | None = None, since: Since = None, until: Until = None,
                  status: Annotated[list[StatusName] | None, Query()] = None,
                  kind: Literal["move", "founding"] | None = None,
                  dates: Literal["best", "effective", "reported"] = "best", limit: Limit = 50,
                  offset: Offset = 0, undated: Undated = "exclude") -> dict[str, Any]:
        kinds = (kind,) if kind else ("move", "founding")
        statuses = status or FACT_STATUSES
        items = query.list_moves(store, org=org, person=person, since=since, until=until, statuses=statuses,
                                 kinds=kinds, dates=dates, limit=limit + 1, offset=offset, undated=undated)
        left_out = query.count_undated(store, since, until, undated, org=org, person=person, statuses=statuses,
                                       kinds=kinds, dates=dates)
        return {**page(items, limit, offset), "undated_left_out": left_out}

    @api.get("/moves/{move_id}")
    def api_move(move_id: Id) -> dict[str, Any]:
        return query.get_move(store, move_id)

    @api.get("/flows")
    def api_flows(org: str | None = None, since: Since = None, until: Until = None,
                  limit: Limit = 50) -> list[dict[str, Any]]:
        return query.flows(store, org=org, since=since, until=until, limit=limit)

    @api.get("/flows/net")
    def api_net(a: str, b: str, since: Since = None, until: Until = None,
                undated: Undated = "exclude") -> dict[str, Any]:
        return query.net_flow(store, query.require_org(store, a), query.require_org(store, b), since=since,
                              until=until, undated=undated)

    @api.get("/orgs/{name:path}/alumni")
    def api_alumni(name: Name, since: Since = None, until: Until = None, limit: Limit = 50,
                   offset: Offset = 0, undated: Undated = "exclude") -> dict[str, Any]:
        return query.alumni(store, query.require_org(store, name), since=since, until=until, limit=limit,
                            offset=offset, undated=undated)

    @api.get("/orgs/{name:path}/sankey")
    def api_sankey(name: Name, since: Since = None, until: Until = None) -> dict[str, Any]:
        return query.org_sankey(store, query.require_org(store, name), since=since, until=until)

    @api.get("/orgs/{name:path}/timeline")
    def api_timeline(name: Name, since: Since = None, until: Until = None) -> list[dict[str, Any]]:
        return query.org_timeline(store, query.require_org(store, name), since=since, until=until)

    @api.get("/orgs/{name:path}")
    def api_org(name: Name) -> dict[str, Any]:
        return query.org_report(store, query.require_org(store, name))

    @api.get("/people/{name:path}")
    def api_person(name: Name) -> dict[str, Any]:
        return query.career(store, name)

    @api.get("/cohorts")
    def api_cohorts() -> list[dict[str, Any]]:
        return query.list_cohorts(store)

    @api.get("/cohorts/{name:path}")
    def api_cohort(name: Name) -> dict[str, Any]:
        return query.cohort_status(store, name)

    @api.get("/search")
    def api_search(q: Annotated[str, Query(min_length=1, max_length=200)]) -> dict[str, Any]:
        return query.search(store, q)

    @api.get("/claims")
    def api_claims(review: Literal["correct", "wrong", "corrected"] | None = None, unreviewed: bool = False,
                   limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return query.list_claims(store, review=review, unreviewed=unreviewed, limit=limit, offset=offset)

    @api.get("/claims/{claim_id}")
    def api_claim(claim_id: Id) -> dict[str, Any]:
        return query.get_claim(store, claim_id)

    @api.post("/claims/{claim_id}/review", dependencies=[Depends(require_token)])
    def api_review(claim_id: Id, decision: ReviewIn) -> dict[str, Any]:
        move_id = apply_review(store, claim_id, decision)
        return {"claim": query.get_claim(store, claim_id), "move": move_id}

    @api.get("/watchlists")
    def api_watchlists() -> list[dict[str, Any]]:
        return [w.to_json() for w in alerts.list_watchlists(store)]

    @api.post("/watchlists", dependencies=[Depends(require_token)], status_code=201)
    def api_add_watchlist(given: WatchlistIn) -> dict[str, Any]:
        try:
            return add_watchlist_from(store, given).to_json()
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc

    @api.delete("/watchlists/{name}", dependencies=[Depends(require_token)], status_code=204)
    def api_remove_watchlist(name: Name) -> Response:
        alerts.remove_watchlist(store, name)
        return Response(status_code=204)

    @api.get("/alerts")
    def api_alerts(watchlist: str | None = None, limit: Limit = 50) -> list[dict[str, Any]]:
        return alerts.list_alerts(store, watchlist, limit=limit)

    app.include_router(api)

    # -- pages ------------------------------------------------------------------------------

    def render(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"version": __version__, **context})

    @app.get("/", response_class=HTMLResponse)
    def home_page(request: Request) -> HTMLResponse:
        return render(request, "home.html", **home_data(store))

    @app.get("/search", response_class=HTMLResponse)
    def search_page(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
        return render(request, "search.html", q=q, found=query.search(store, q))

    @app.get("/org/{name:path}", response_class=HTMLResponse)
    def org_page(request: Request, name: Name, since: Since = None, until: Until = None,
                 undated: Undated = "exclude") -> HTMLResponse:
        name = query.require_org(store, name)
        report = query.org_report(store, name)
        left_out = query.count_undated(store, since, until, undated, org=name)
        return render(request, "org.html", report=report, since=since, until=until, undated_left_out=left_out,
                      sankey=query.org_sankey(store, name, since=since, until=until),
                      timeline=query.org_timeline(store, name, since=since, until=until),
                      alumni=query.alumni(store, name, since=since, until=until, limit=200, undated=undated))

    @app.get("/person/{name:path}", response_class=HTMLResponse)
    def person_page(request: Request, name: Name) -> HTMLResponse:
        return render(request, "person.html", career=query.career(store, name))

    @app.get("/move/{move_id}", response_class=HTMLResponse)
    def move_page(request: Request, move_id: Id) -> HTMLResponse:
        return render(request, "move.html", move=query.get_move(store, move_id))

    @app.get("/cohorts", response_class=HTMLResponse)
    def cohorts_page(request: Request) -> HTMLResponse:
        return render(request, "cohorts.html", cohorts=query.list_cohorts(store))

    @app.get("/cohort/{name:path}", response_class=HTMLResponse)
    def cohort_page(request: Request, name: Name) -> HTMLResponse:
        return render(request, "cohort.html", cohort=query.cohort_status(store, name))

    @app.get("/watchlists/{name}.atom")
    def watchlist_feed(request: Request, name: Name) -> Response:
        return Response(atom_feed(store, name, str(request.base_url)), media_type="application/atom+xml")

    @app.get("/watchlists", response_class=HTMLResponse)
    def watchlists_page(request: Request, done: Annotated[str | None, Query(max_length=200)] = None) -> HTMLResponse:
        return render(request, "watchlists.html", watchlists=alerts.list_watchlists(store),
                      alerts=alerts.list_alerts(store, limit=30), done=done, writable=write_token is not None)

    @app.post("/watchlists", response_class=HTMLResponse)
    def watchlist_form(
        request: Request, token: Annotated[str, Form()] = "", name: Annotated[str, Form(max_length=200)] = "",
        org: Annotated[str, Form(max_length=200)] = "", person: Annotated[str, Form(max_length=200)] = "",
        cohort: Annotated[str, Form(max_length=200)] = "", query_text: Annotated[str, Form(max_length=500)] = "",
        webhook: Annotated[str, Form(max_length=2000)] = "", email: Annotated[str, Form(max_length=320)] = "",
    ) -> Response:
        try:
            check_token(write_token, token or None)
            added = add_watchlist_from(store, WatchlistIn(name=name or " ", org=org or None, person=person or None,
                                                          cohort=cohort or None, query=query_text or None,
                                                          webhook=webhook or None, email=email or None))
        except HTTPException as exc:
            return templates.TemplateResponse(request, "error.html", {"message": exc.detail},
                                              status_code=exc.status_code)
        except ValueError as exc:
            return templates.TemplateResponse(request, "error.html", {"message": str(exc)}, status_code=422)
        return RedirectResponse(f"/watchlists?done={quote(added.name)}", status_code=303)

    @app.post("/watchlists/{name}/remove", response_class=HTMLResponse)
    def watchlist_remove_form(request: Request, name: Name, token: Annotated[str, Form()] = "") -> Response:
        try:
            check_token(write_token, token or None)
        except HTTPException as exc:
            return templates.TemplateResponse(request, "error.html", {"message": exc.detail},
                                              status_code=exc.status_code)
        alerts.remove_watchlist(store, name)
        return RedirectResponse("/watchlists", status_code=303)

    @app.get("/review", response_class=HTMLResponse)
    def review_page(request: Request, offset: Offset = 0,
                    done: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> HTMLResponse:
        return render(request, "review.html", claims=query.list_claims(store, limit=50, offset=offset),
                      offset=offset, done=done, statuses=ALL_STATUSES, writable=write_token is not None)

    @app.post("/review/{claim_id}", response_class=HTMLResponse)
    def review_form(
        request: Request, claim_id: Id, token: Annotated[str, Form()] = "",
        verdict: Annotated[Literal["correct", "wrong"], Form()] = "correct",
        person: Annotated[str, Form(max_length=200)] = "", from_org: Annotated[str, Form(max_length=200)] = "",
        to_org: Annotated[str, Form(max_length=200)] = "", status: Annotated[str, Form()] = "",
    ) -> Response:
        try:
            check_token(write_token, token or None)
        except HTTPException as exc:
            return templates.TemplateResponse(request, "error.html", {"message": exc.detail},
                                              status_code=exc.status_code)
        claim = query.get_claim(store, claim_id)
        decision = ReviewIn(verdict=verdict, person=person or None, status=status or None,  # type: ignore[arg-type]
                            from_org=from_org if from_org != (claim["from_org"] or "") else None,
                            to_org=to_org if to_org != (claim["to_org"] or "") else None)
        apply_review(store, claim_id, decision)
        return RedirectResponse(f"/review?done={claim_id}#claim-{claim_id}", status_code=303)

    return app


class AnswerCache:
    """Answers to GET requests, kept until the database changes (``Store.data_version``): the same
    page asked by many readers is computed once per write. Bounded by ``CACHE_BYTES``; only 200s."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self.version: tuple[object, ...] | None = None
        self.answers: OrderedDict[str, tuple[int, bytes, str]] = OrderedDict()
        self.size = 0

    async def answer(self, request: Request, call_next: Any, store: Store) -> Response:
        if request.method != "GET" or request.url.path.startswith("/static/") or self.limit <= 0:
            return await call_next(request)
        version = await run_in_threadpool(store.data_version)
        if version != self.version:
            self.version, self.size = version, 0
            self.answers.clear()
        key = str(request.url.include_query_params())
        if key in self.answers:
            self.answers.move_to_end(key)
            status, body, media = self.answers[key]
            return Response(body, status_code=status, media_type=media)
        response = await call_next(request)
        if response.status_code != 200:
            return response
        body = b"".join([chunk async for chunk in response.body_iterator])
        media = response.headers.get("content-type", "application/octet-stream")
        if len(body) <= self.limit // 8:
            self.answers[key] = (200, body, media)
            self.size += len(body)
            while self.size > self.limit and self.answers:
                self.size -= len(self.answers.popitem(last=False)[1][1])
        return Response(body, status_code=200, media_type=media,
                        headers={k: v for k, v in response.headers.items() if k.lower() not in ("content-length",)})


def app_from_env() -> FastAPI:
    """The app as ``talentflow serve --workers N`` starts it in each worker process: the database
    from ``$TALENTFLOW_DB`` and the allowed hosts from ``$TALENTFLOW_ALLOWED_HOSTS``."""
    hosts = os.environ.get(HOSTS_ENV)
    return create_app(allowed_hosts=[h for h in hosts.split(",") if h] if hosts is not None else None)


def run_server(host: str, port: int, workers: int = 1) -> None:
    """Serve ``app_from_env`` with uvicorn, in ``workers`` processes sharing one listening socket.
    The socket is made here, as a TCP socket by name: uvicorn's own is made without a protocol, so
    its connections keep Nagle's algorithm, and every answer written in two parts waited 40 ms for
    the client's delayed acknowledgement (with several workers: 225 requests/s instead of 1,700)."""
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("talentflow.web.app:app_from_env", factory=True, host=host, port=port,
                            workers=workers, log_level="warning")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    if workers > 1:
        Multiprocess(config, sockets=[sock]).run()
    else:
        config.load_app()
        uvicorn.Server(config).run(sockets=[sock])


def allowed_hosts_for(host: str, extra: Sequence[str] = ()) -> list[str]:
    """The Host headers to accept when listening on ``host``: that address, the loopback names when
    it is a loopback one, the machine's names when it is every address, and ``extra``."""
    import socket

    names = {host.strip("[]")}
    if host in ("127.0.0.1", "localhost", "::1", "[::1]"):
        names |= {"127.0.0.1", "localhost", "[::1]"}
    if host in ("0.0.0.0", "::", "[::]"):
        names |= {"127.0.0.1", "localhost", "[::1]", socket.gethostname(), socket.getfqdn()}
    return sorted(names | set(extra))


def page(items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    """A page of items read with ``limit + 1`` so that we know whether another page follows."""
    more = len(items) > limit
    return {"items": items[:limit], "limit": limit, "offset": offset, "next_offset": offset + limit if more else None}


def check_token(expected: str | None, given: str | None) -> None:
    if expected is None:
        raise HTTPException(403, f"writing is disabled: start the server with {TOKEN_ENV} set")
    if not given:
        raise HTTPException(401, "a token is needed to write", headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(403, "wrong token")


def apply_review(store: Store, claim_id: int, decision: ReviewIn) -> int | None:
    try:
        return store.review_claim(claim_id, decision.verdict, person=decision.person, from_org=decision.from_org,
                                  to_org=decision.to_org, status=decision.status)
    except LookupError as exc:
        raise query.NotFound(str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc


def home_data(store: Store) -> dict[str, Any]:
    """Latest moves, and the largest inflows and outflows in the 90 days up to the newest report."""
    until = query.latest_report(store) or date.today().isoformat()
    start = first_day(until)
    since = (start - timedelta(days=WINDOW_DAYS)).date().isoformat() if start else None
    return {"latest": query.list_moves(store, limit=15), "window": {"since": since, "until": until},
            "top": query.top_flows(store, limit=8, since=since, until=until)}


def safe_url(value: str | None) -> str | None:
    """A source link only when it is http(s): a ``javascript:`` URL in a document must not become a link."""
    return value if value and value.lower().startswith(("http://", "https://")) else None
