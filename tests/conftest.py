from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from talentflow.extract import Extractor
from talentflow.models import Document

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = Path(__file__).parent.parent / "src" / "talentflow" / "data" / "samples"


@pytest.fixture(autouse=True)
def own_settings() -> Iterator[None]:
    """Each test starts with the settings the environment gave the run: a command run in-process
    sets some for the rest of its process (``--orgs`` sets $TALENTFLOW_ORGS for every stage of an
    ingest, ``serve`` sets $TALENTFLOW_DB for its workers), which would reach the next test."""
    kept = {k: v for k, v in os.environ.items() if k.startswith("TALENTFLOW_")}
    yield
    for key in [k for k in os.environ if k.startswith("TALENTFLOW_") and k not in kept]:
        del os.environ[key]
    os.environ.update(kept)


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


def claims_of(extractor: Extractor, text: str, published: str | None = "2025-06-01", all_statuses: bool = False):
    from talentflow.models import FACT_STATUSES

    doc = Document.from_text(text, published=published, label="t")
    return [c for c in extractor.extract(doc) if all_statuses or c.status in FACT_STATUSES]


def summary(claims) -> set[tuple]:
    """(kind, person, from_org, to_org) of each claim: what a reader checks first."""
    return {(c.kind, c.person, c.from_org, c.to_org) for c in claims}


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: a slow server
    drip: float = 0.0  # seconds between bytes of the body: a server that never quite stops


class LocalWeb:
    """A web server on 127.0.0.1 for tests: pages, feeds and faults, with a log of the paths asked."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self.conditional: list[str] = []  # paths answered 304 Not Modified
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                web.requests.append((self.path, self.headers.get("User-Agent", "")))
                route = web.routes.get(self.path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                time.sleep(route.delay)
                etag = route.headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    web.conditional.append(self.path)
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if not route.drip:
                    self.wfile.write(route.body)
                    return
                for byte in route.body:
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:  # the client gave up
                        return
                    time.sleep(route.drip)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, path: str, body: str | bytes = b"", **route: object) -> str:
        self.routes[path] = Route(body.encode() if isinstance(body, str) else body, **route)  # type: ignore[arg-type]
        return self.base + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def web() -> Iterator[LocalWeb]:
    server = LocalWeb()
    yield server
    server.close()


BENCHMARKS = Path(__file__).parent.parent / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))  # the article generator is shared with the benchmarks


CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).parent.parent / "test-output" / "screenshots"


@contextmanager
def serve_app(app: object) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free port of 127.0.0.1 in a thread; its base URL."""
    import socket

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    web = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))  # type: ignore[arg-type]
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not web.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        web.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.dialogs = dialogs
    yield tab
    context.close()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> str:
    """The sample articles (and our hostile page) ingested once, with the sample cohort: tests copy it."""
    from talentflow.pipeline import run_ingest
    from talentflow.store import Store

    db = str(tmp_path_factory.mktemp("web") / "web.db")
    store = Store(db)
    run_ingest([SAMPLES, FIXTURES / "web" / "hostile.txt"], store)
    cohort = SAMPLES.parent / "cohorts" / "openai-2024.txt"
    members = [line.strip() for line in cohort.read_text().splitlines() if line.strip() and not line.startswith("#")]
    store.create_cohort("openai-2024", "OpenAI", members)
    store.close()
    return db


def sample_copy(sample_db: str, folder: Path) -> str:
    """A copy of the sample database for one test, so that its writes change no other test's data."""
    db = folder / "samples-copy.db"
    db.write_bytes(Path(sample_db).read_bytes())
    return str(db)


def flows_recount(store) -> dict[tuple[str, str], int]:  # type: ignore[no-untyped-def]
    """Moves per pair of organizations counted from the moves themselves, to check ``flow_counts``."""
    from talentflow.query import list_moves

    found: dict[tuple[str, str], int] = {}
    for m in list_moves(store, limit=None, kinds=("move",)):
        if m["from_org"] and m["to_org"]:
            found[(m["from_org"], m["to_org"])] = found.get((m["from_org"], m["to_org"]), 0) + 1
    return found


WINDOWS = [(None, None), ("2017", None), ("2024-02", None), (None, "2017"), (None, "2024-02-14"),
           ("2017-03", "2024-03"), ("2024", "2024")]


def summaries_disagree(store, reads: bool = True) -> list[str]:  # type: ignore[no-untyped-def]
    """What the summaries the store keeps (``flow_counts``, ``org_departures``, ``org_move_counts``, and the counts
    read from the side indexes) say differently from a recount: empty when they agree. With ``reads``,
    also checks every stored organization and the windows of ``WINDOWS``: alumni and totals read from
    the summaries against alumni and totals counted from moves (the slow part)."""
    from sqlalchemy import func, select

    from talentflow.models import FACT_STATUSES
    from talentflow.query import (
        _alumni_counted,
        _alumni_summarized,
        _touches,
        count_in_scope,
        kept_count,
        org_scope,
        window_condition,
    )
    from talentflow.schema import flow_counts, moves, org_departures, org_move_counts, organizations
    from talentflow.summaries import recount

    KEPT = (flow_counts, org_departures, org_move_counts)

    problems = []
    with store.engine.connect() as conn:
        transaction = conn.begin()
        kept = {table.name: {tuple(r) for r in conn.execute(select(table))} for table in KEPT}
        recount(conn)
        fresh = {table.name: {tuple(r) for r in conn.execute(select(table))} for table in KEPT}
        transaction.rollback()
        for table, rows in kept.items():
            if rows != fresh[table]:
                problems.append(f"{table} kept {sorted(rows - fresh[table])} recounted {sorted(fresh[table] - rows)}")
        names = list(conn.execute(select(organizations.c.name)).scalars()) if reads else []
        for name in names:
            scope = org_scope(store, conn, name)
            for since, until in WINDOWS:
                for undated in ("exclude", "include") if scope.root is not None else ():
                    for limit, offset in ((100, 0), (1, 1)):
                        args = (since, until, undated, limit, offset)
                        summarized = _alumni_summarized(conn, scope, *args)
                        counted = _alumni_counted(conn, scope, since, until, FACT_STATUSES, undated, limit, offset)
                        if summarized != counted:
                            problems.append(f"alumni {name} {args}: {summarized} != {counted}")
            for side in ("from", "to", "either"):  # kept counts, against counting
                for kinds in (["move"], ["founding"], ["move", "founding"]):
                    summed = kept_count(conn, scope, side, kinds, FACT_STATUSES)  # type: ignore[arg-type]
                    counted = count_in_scope(conn, [moves.c.kind.in_(kinds), moves.c.status.in_(FACT_STATUSES)],
                                             scope, side)  # type: ignore[arg-type]
                    if summed not in (None, counted):
                        problems.append(f"{kinds} {side} of {name}: kept {summed}, counted {counted}")
            for since, until in WINDOWS:  # counted by parts, against one OR over the four columns
                window = window_condition(since, until, "best")
                for side in ("from", "to", "either"):
                    by_parts = count_in_scope(conn, [window], scope, side)  # type: ignore[arg-type]
                    by_or = conn.execute(select(func.count()).select_from(moves).where(
                        window, _touches(scope, side))).scalar_one()  # type: ignore[arg-type]
                    if by_parts != by_or:
                        problems.append(f"count {side} of {name} {since}-{until}: {by_parts} != {by_or}")
    return problems
