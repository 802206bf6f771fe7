"""PostgreSQL as a team's server: two ingests and a watch writing at once, with the web app reading,
lose and duplicate no document, claim or move (the result is what one ingest gives). Runs against
the real server of $TALENTFLOW_TEST_POSTGRES. The feed's articles are ours."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import SAMPLES, LocalWeb
from talentflow.ingest import FetchPolicy, IngestOptions, iter_documents
from talentflow.pipeline import ingest_documents
from talentflow.schema import metadata
from talentflow.store import Store
from talentflow.web.app import create_app
from test_ray import _graph
from test_watch import feed, item

POSTGRES = os.environ.get("TALENTFLOW_TEST_POSTGRES")
pytestmark = pytest.mark.skipif(not POSTGRES, reason="set TALENTFLOW_TEST_POSTGRES to a URL")


def _talentflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "talentflow.cli", *args]


def test_two_ingests_and_a_watch_at_once_with_the_web_app_reading(web: LocalWeb, tmp_path: Path):
    store = Store(POSTGRES)
    with store.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    url = web.add("/feed", feed(item("whitfield", web.base), item("okafor", web.base), item("lindqvist", web.base)),
                  content_type="application/rss+xml")
    samples = sorted(str(p) for p in SAMPLES.glob("*.txt"))
    writers = [
        subprocess.Popen(_talentflow("ingest", *samples, "--db", str(POSTGRES)), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True),
        subprocess.Popen(_talentflow("ingest", *reversed(samples), "--db", str(POSTGRES)), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True),
        subprocess.Popen(_talentflow("watch", "--once", url, "--allow-private", "127.0.0.1", "--db", str(POSTGRES)),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
    ]
    reads: list[int] = []
    done = threading.Event()

    def read() -> None:
        client = TestClient(create_app(POSTGRES))
        while not done.is_set():
            answer = client.get("/api/moves", params={"limit": 500})
            assert answer.status_code == 200
            reads.append(answer.json()["total"])

    reader = threading.Thread(target=read)
    reader.start()
    outputs = [w.communicate(timeout=300) for w in writers]
    done.set()
    reader.join(30)
    assert [w.returncode for w in writers] == [0, 0, 0], outputs
    assert all("0 failed" in out for out, _ in outputs[:2])
    assert reads and reads == sorted(reads)  # the readers saw the graph grow, never shrink or break

    local = Store(str(tmp_path / "one.db"))
    options = IngestOptions(fetch=FetchPolicy(allow_private=("127.0.0.1",), rate=0))
    ingest_documents(iter_documents([*samples, url], options), local)
    assert _graph(Store(POSTGRES)) == _graph(local)
