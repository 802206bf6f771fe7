"""Processes: ingest workers die with the ingest that started them, and processes opening a new
database together migrate it once."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from talentflow.store import Store

POSTGRES = os.environ.get("TALENTFLOW_TEST_POSTGRES")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")
def test_killing_a_parallel_ingest_kills_its_workers(tmp_path: Path):
    from synthetic import write_jsonl  # benchmarks/synthetic.py: generated articles

    articles = tmp_path / "articles.jsonl"
    write_jsonl(articles, 400)
    ingest = subprocess.Popen([sys.executable, "-c", "from talentflow.cli import app; app()", "ingest",
                               str(articles), "--jobs", "2", "--db", str(tmp_path / "kill.db")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.5)
            workers = [p for p in _children(ingest.pid) if "spawn_main" in
                       (Path("/proc") / str(p) / "cmdline").read_bytes().decode(errors="replace")]
        assert len(workers) >= 2, "the workers did not start"
        ingest.send_signal(signal.SIGKILL)
        ingest.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.2)
        assert not any(_alive(p) for p in workers)
    finally:
        if ingest.poll() is None:
            ingest.kill()


def _open(url: str, ready, go, results) -> None:  # type: ignore[no-untyped-def]
    ready.wait()
    go.wait()
    try:
        Store(url).close()
        results.put("ok")
    except Exception as exc:  # the test reports what went wrong
        results.put(f"{type(exc).__name__}: {exc}")


def _open_together(url: str, processes: int = 4) -> list[str]:
    context = multiprocessing.get_context("spawn")
    ready, go, results = context.Barrier(processes + 1), context.Event(), context.Queue()
    started = [context.Process(target=_open, args=(url, ready, go, results)) for _ in range(processes)]
    for p in started:
        p.start()
    ready.wait()
    go.set()
    outcome = [results.get(timeout=120) for _ in started]
    for p in started:
        p.join()
    return outcome


def test_processes_opening_a_new_sqlite_database_together_migrate_it_once(tmp_path: Path):
    for trial in range(3):
        assert _open_together(str(tmp_path / f"fresh-{trial}.db")) == ["ok"] * 4


@pytest.mark.skipif(not POSTGRES, reason="set TALENTFLOW_TEST_POSTGRES to a URL")
def test_processes_opening_a_new_postgresql_database_together_migrate_it_once():
    assert POSTGRES is not None
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    base = POSTGRES.rsplit("/", 1)[0]
    try:
        for trial in range(3):
            name = f"talentflow_fresh_{trial}"
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
                conn.execute(text(f"CREATE DATABASE {name}"))
            assert _open_together(f"{base}/{name}") == ["ok"] * 4
    finally:
        with admin.connect() as conn:
            for trial in range(3):
                conn.execute(text(f"DROP DATABASE IF EXISTS talentflow_fresh_{trial} WITH (FORCE)"))
        admin.dispose()
