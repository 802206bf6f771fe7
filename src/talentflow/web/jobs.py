"""Ingest started from the web app: URLs and uploaded files go through the same ingest as the
command line (the same fetch limits and address checks, the same readers and size caps), in a
background thread, with the job's progress and result in the database so that any worker can
show them."""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from talentflow.alerts import now_iso, record_alerts
from talentflow.ingest import IngestError, IngestOptions, iter_documents
from talentflow.ingest.text import Ingested
from talentflow.pipeline import ingest_documents
from talentflow.query import NotFound, move_row, moves_select
from talentflow.schema import claims, ingest_jobs, moves
from talentflow.store import Store

MAX_URLS = 100


@dataclasses.dataclass(frozen=True)
class Upload:
    name: str  # as the user's browser gave it
    path: Path  # where it was saved


def start_job(store: Store, options: IngestOptions, urls: list[str], uploads: list[Upload],
              workdir: Path | None = None) -> int:
    """Record a job and run it in a thread; its id."""
    with store.engine.begin() as conn:
        job_id = int(conn.execute(insert(ingest_jobs).values(
            inputs=json.dumps(urls + [u.name for u in uploads]), state="running", read=0,
            created_at=now_iso())).inserted_primary_key[0])  # type: ignore[index]
    threading.Thread(target=_run, args=(store, job_id, options, urls, uploads, workdir), daemon=True,
                     name=f"ingest-job-{job_id}").start()
    return job_id


def _run(store: Store, job_id: int, options: IngestOptions, urls: list[str], uploads: list[Upload],
         workdir: Path | None) -> None:
    read = 0

    def progress() -> None:
        nonlocal read
        read += 1
        with store.engine.begin() as conn:
            conn.execute(update(ingest_jobs).where(ingest_jobs.c.id == job_id).values(read=read))

    try:
        summary = ingest_documents(_items(options, urls, uploads), store, on_item=progress)
        record_alerts(store)
        values: dict[str, Any] = {"state": "done", "summary": summary.line(),
                                  "errors": json.dumps([str(e) for e in summary.errors]),
                                  "documents": json.dumps(summary.new_ids)}
    except Exception as exc:  # the job fails alone; the server goes on
        values = {"state": "failed", "summary": f"{type(exc).__name__}: {exc}".splitlines()[0]}
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    with store.engine.begin() as conn:
        conn.execute(update(ingest_jobs).where(ingest_jobs.c.id == job_id).values(finished_at=now_iso(), **values))


def _items(options: IngestOptions, urls: list[str], uploads: list[Upload]) -> Iterator[Ingested]:
    yield from iter_documents(urls, options)
    for upload in uploads:
        for item in iter_documents([upload.path], options):
            # Named as the user knows it, not by the temporary file it was saved to.
            if isinstance(item, IngestError):
                yield IngestError(upload.name, item.reason)
            else:
                yield dataclasses.replace(item, label=f"upload: {upload.name}", source_path=None)


def interrupt_unfinished(store: Store) -> int:
    """Mark the jobs a stopped server left running as failed (``serve`` calls it before any worker
    starts, when no job can be running); how many."""
    with store.engine.begin() as conn:
        return int(conn.execute(update(ingest_jobs).where(ingest_jobs.c.state == "running").values(
            state="failed", summary="interrupted: the server stopped before the job finished; add the articles again",
            finished_at=now_iso())).rowcount or 0)


def get_job(store: Store, job_id: int) -> dict[str, Any]:
    """A job with its progress, and once done its result and the moves of its new documents."""
    with store.engine.connect() as conn:
        row = conn.execute(select(ingest_jobs).where(ingest_jobs.c.id == job_id)).first()
        if row is None:
            raise NotFound(f"job {job_id}: no such job")
        job = dict(row._mapping)
        job["inputs"] = json.loads(job["inputs"])
        job["errors"] = json.loads(job["errors"] or "[]")
        ids = json.loads(job.pop("documents") or "[]")
        job["moves"] = [move_row(r) for r in conn.execute(moves_select().where(moves.c.id.in_(
            select(claims.c.move_id).where(claims.c.document_id.in_(ids)))).order_by(moves.c.id))] if ids else []
        job["new_documents"] = len(ids)
    return job


def save_uploads(files: list[tuple[str, bytes]]) -> tuple[list[Upload], Path]:
    """Uploaded files saved under a fresh temporary folder (removed when the job ends)."""
    folder = Path(tempfile.mkdtemp(prefix="talentflow-upload-"))
    uploads = []
    for number, (name, data) in enumerate(files):
        safe = "".join(c for c in Path(name).name if c.isalnum() or c in "._-")[-80:] or "upload"
        path = folder / f"{number}-{safe}"
        path.write_bytes(data)
        uploads.append(Upload(name, path))
    return uploads, folder

