"""`talentflow ingest --ray`: a batch read and extracted on Ray (the cluster of $TALENTFLOW_TEST_RAY,
which CI starts on 127.0.0.1, else a local Ray) into PostgreSQL when $TALENTFLOW_TEST_POSTGRES is
set (else SQLite) gives the same documents, claims and moves as a single-process ingest into
SQLite, and a killed batch resumes without duplicates. Bulk records are ours, written for tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conftest import SAMPLES
from talentflow.pipeline import IngestSummary, run_ingest
from talentflow.schema import claims, documents, metadata, moves, organizations, people
from talentflow.store import Store

ray = pytest.importorskip("ray")
ADDRESS = os.environ.get("TALENTFLOW_TEST_RAY")
POSTGRES = os.environ.get("TALENTFLOW_TEST_POSTGRES")

RECORDS = [
    {"id": "wire-1", "title": "Globex hires Acme's robotics chief", "published": "2025-06-03",
     "text": "Dana Whitfield, the head of robotics at Acme Robotics, has left the company to join Globex, "
             "Globex said on Tuesday."},
    {"id": "wire-2", "title": "Initech names a research director", "published": "2025-06-04",
     "text": "Initech has hired Tunde Okafor, formerly a principal scientist at Hooli, as its research director, "
             "the company said on Monday."},
]


def _inputs(tmp_path: Path) -> list[str]:
    bulk = tmp_path / "wire.jsonl"
    bulk.write_text("".join(json.dumps(r) + "\n" for r in RECORDS) + "{not json\n")
    return [str(SAMPLES), str(bulk), str(tmp_path / "missing.txt")]


def _target(tmp_path: Path, name: str) -> str:
    """Where the Ray batch writes: the test PostgreSQL emptied, else a SQLite file."""
    if not POSTGRES:
        return str(tmp_path / f"{name}.db")
    store = Store(POSTGRES)
    with store.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    store.close()
    return POSTGRES


def _graph(store: Store) -> dict[str, list[tuple]]:
    """What an ingest leaves, without ids that depend on the order rows were inserted in."""
    with store.engine.connect() as conn:
        name = {r.id: r.name for r in conn.execute(select(people.c.id, people.c.name))}
        org = {r.id: r.name for r in conn.execute(select(organizations.c.id, organizations.c.name))}
        return {
            "documents": sorted(conn.execute(select(documents.c.id, documents.c.label, documents.c.copy_of,
                                                    documents.c.published)).all()),
            "claims": sorted((r.document_id, r.kind, r.person_name, r.from_org or "", r.to_org or "", r.status,
                              r.date or "", r.evidence_start) for r in conn.execute(select(claims))),
            "moves": sorted((name[r.person_id], r.kind, org.get(r.from_org_id) or "", org.get(r.to_org_id) or "",
                             r.status, r.date or "", r.sources) for r in conn.execute(select(moves))),
        }


@pytest.fixture(scope="module")
def ray_address() -> str | None:
    """The CI cluster's address; else a local Ray for this module (started once, stopped after)."""
    if ADDRESS:
        yield ADDRESS
        return
    ray.init(num_cpus=3, include_dashboard=False, log_to_driver=False)
    yield None
    ray.shutdown()


@pytest.fixture(scope="module")
def single_process(tmp_path_factory: pytest.TempPathFactory) -> tuple[IngestSummary, dict[str, list[tuple]]]:
    """The same inputs ingested in this process into SQLite, once for the module: its summary and graph."""
    folder = tmp_path_factory.mktemp("single")
    local = Store(str(folder / "local.db"))
    summary = run_ingest(_inputs(folder), local)
    graph = _graph(local)
    local.close()
    return summary, graph


def test_a_ray_batch_gives_what_a_single_process_ingest_gives(tmp_path: Path, ray_address: str | None,
                                                              single_process):
    from talentflow.distributed import ingest_on_ray

    expected, local = single_process
    on_ray = Store(_target(tmp_path, "ray"))
    errors: list[str] = []
    summary = ingest_on_ray(_inputs(tmp_path), on_ray, address=ray_address, workers=2,
                            on_error=lambda e: errors.append(str(e)))
    assert (summary.new, summary.claims, summary.failed) == (expected.new, expected.claims, expected.failed)
    assert summary.new == 29 and summary.failed == 2
    assert any("missing.txt: no such file" in e for e in errors) and any("wire.jsonl:3" in e for e in errors)
    assert _graph(on_ray) == local


def test_a_batch_run_again_after_part_was_stored_adds_nothing_twice(tmp_path: Path, ray_address: str | None,
                                                                   single_process):
    from talentflow.distributed import ingest_on_ray

    on_ray = Store(_target(tmp_path, "resumed"))
    first_half = sorted(SAMPLES.glob("*.txt"))[:10]
    run_ingest([str(p) for p in first_half], on_ray)  # as far as a killed batch had got
    summary = ingest_on_ray(_inputs(tmp_path), on_ray, address=ray_address, workers=2)
    assert summary.unchanged == 10 and summary.new == 19
    assert _graph(on_ray) == single_process[1]


def test_a_killed_ray_ingest_resumes_without_duplicates(tmp_path: Path, ray_address: str | None, single_process):
    db = str(tmp_path / "killed.db")
    command = [sys.executable, "-m", "talentflow.cli", "ingest", *_inputs(tmp_path), "--ray", "--jobs", "2",
               "--db", db, *(["--ray-address", ray_address] if ray_address else [])]
    Store(db).close()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    store = Store(db)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with store.engine.connect() as conn:
            if conn.execute(select(func.count()).select_from(documents)).scalar_one() >= 3:
                break
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 1  # the two bad inputs
    assert "29 new" not in again.stdout and "unchanged" in again.stdout
    assert _graph(Store(db)) == single_process[1]


def test_the_extraction_settings_set_here_reach_the_ray_workers(monkeypatch, tmp_path):
    from talentflow.distributed import extraction_env

    monkeypatch.setenv("TALENTFLOW_ORGS", str(tmp_path / "orgs.json"))
    monkeypatch.setenv("TALENTFLOW_CASCADE", "off")
    monkeypatch.delenv("TALENTFLOW_SPACY_MODEL", raising=False)
    monkeypatch.setenv("TALENTFLOW_TOKEN", "not for the workers")
    assert extraction_env() == {"TALENTFLOW_ORGS": str(tmp_path / "orgs.json"), "TALENTFLOW_CASCADE": "off"}
