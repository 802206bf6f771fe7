"""``talentflow serve``: server-rendered pages and a JSON API over one database, both thin layers
over ``query.py`` and ``explore.py`` (``pages.py``, ``api.py``). Reading is open; writing needs the token
in ``TALENTFLOW_TOKEN`` (``session.py``).

Article text is untrusted: templates escape everything (Jinja autoescape), chart data travels as
JSON inside ``<script type="application/json">`` blocks, links to sources are kept only when they
are http(s), and a Content-Security-Policy allows scripts from this server only.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Sequence
from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import FastAPI, Header, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from talentflow import __version__, query
from talentflow.explore import move_label
from talentflow.ingest import FetchPolicy, IngestOptions
from talentflow.store import Store
from talentflow.web.api import api_router
from talentflow.web.pages import page_router
from talentflow.web.session import COOKIE, TOKEN_ENV, Sessions, check_token

__all__ = ["TOKEN_ENV", "allowed_hosts_for", "create_app", "run_server"]

# Answers kept per worker process until the database changes: $TALENTFLOW_CACHE_MB megabytes (0: none).
CACHE_ENV = "TALENTFLOW_CACHE_MB"
CACHE_BYTES = 64 * 1024 * 1024
HOSTS_ENV = "TALENTFLOW_ALLOWED_HOSTS"  # comma-separated, for the worker processes of `serve --workers`
# Hosts the "Add articles" form may fetch from although private (HOST[:PORT], comma-separated), as --allow-private.
ALLOW_PRIVATE_ENV = "TALENTFLOW_ALLOW_PRIVATE"
log = logging.getLogger("talentflow.web")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def create_app(db: str | Store | None = None, token: str | None = None,
               allowed_hosts: Sequence[str] | None = None, allow_private: Sequence[str] | None = None) -> FastAPI:
    """The app over the database ``db`` (an open Store, or a path or URL; default as for the CLI).
    ``token`` defaults to ``$TALENTFLOW_TOKEN``; without one, writing is refused. ``allowed_hosts``
    are the names a request's Host header may give (``talentflow serve`` always sets them: a page
    on another site cannot reach the server through DNS rebinding); None allows any.
    ``allow_private`` names the private hosts that articles may be added from (default
    ``$TALENTFLOW_ALLOW_PRIVATE``)."""
    store = db if isinstance(db, Store) else Store(db)
    write_token = token if token is not None else os.environ.get(TOKEN_ENV) or None
    sessions = Sessions(write_token)
    private = tuple(allow_private if allow_private is not None
                    else [h for h in os.environ.get(ALLOW_PRIVATE_ENV, "").split(",") if h])
    app = FastAPI(title="talentflow", version=__version__, docs_url=None, redoc_url=None,
                  description="Talent moves with their evidence. Reading is open; writes need "
                              "`Authorization: Bearer $TALENTFLOW_TOKEN`.")
    app.state.store = store
    folder = resources.files("talentflow.web")
    templates = Jinja2Templates(directory=str(folder / "templates"))
    templates.env.filters["url"] = safe_url
    templates.env.filters["q"] = lambda value: quote(str(value), safe="")
    templates.env.filters["host"] = lambda value: urlsplit(str(value)).hostname or str(value)
    templates.env.filters["qs"] = lambda params: urlencode({k: v for k, v in params.items() if v}, doseq=True)
    templates.env.filters["label"] = move_label
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

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        """An API client gets FastAPI's JSON; a person gets a page that says what was wrong."""
        if request.url.path.startswith("/api/"):
            return await request_validation_exception_handler(request, exc)
        return templates.TemplateResponse(request, "error.html", {"message": "; ".join(
            validation_message(e) for e in exc.errors())}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return await http_exception_handler(request, exc)
        return templates.TemplateResponse(request, "error.html", {"message": exc.detail,
                                                                  "signin": exc.status_code == 401},
                                          status_code=exc.status_code, headers=getattr(exc, "headers", None))

    def require_token(authorization: Annotated[str | None, Header()] = None) -> None:
        scheme, _, given = (authorization or "").partition(" ")
        check_token(write_token, given.strip() if scheme.lower() == "bearer" else None)

    app.include_router(api_router(store, require_token))
    app.include_router(page_router(store, templates, sessions,
                                   IngestOptions(fetch=FetchPolicy(allow_private=private, timeout=20.0))))
    return app


def validation_message(error: Any) -> str:
    """One of FastAPI's validation errors in words: "since: '2025-13' is not a date (...)"."""
    where = ".".join(str(p) for p in error.get("loc", ())[1:]) or "request"
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}"


class AnswerCache:
    """Answers to GET requests, kept until the database changes (``Store.data_version``): the same
    page asked by many readers is computed once per write. Bounded by ``CACHE_BYTES``; only 200s."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self.version: tuple[object, ...] | None = None
        self.answers: OrderedDict[str, tuple[int, bytes, str]] = OrderedDict()
        self.size = 0

    async def answer(self, request: Request, call_next: Any, store: Store) -> Response:
        if (request.method != "GET" or request.url.path.startswith("/static/") or self.limit <= 0
                or COOKIE in request.cookies):  # a signed-in page carries its own CSRF token: never shared
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


def safe_url(value: str | None) -> str | None:
    """A source link only when it is http(s): a ``javascript:`` URL in a document must not become a link."""
    return value if value and value.lower().startswith(("http://", "https://")) else None
