"""The ingest job: documents from ``ingest`` -> near-duplicate check -> claims from ``extract`` ->
``store``, one transaction per document.

Documents stream through: at most a small window of them is in memory at once, whatever the size
of the input. With ``jobs > 1`` the parsing and extraction run in that many worker processes while
this process checks duplicates and writes, in input order, so the result does not depend on
``jobs``.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from talentflow.dedup import Fingerprint, fingerprint
from talentflow.extract import Extractor
from talentflow.ingest import IngestError, IngestOptions, iter_documents
from talentflow.ingest.text import Ingested
from talentflow.models import Claim, Document
from talentflow.store import SaveResult, Store

PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies
# Documents parsed together in one process (spaCy's batched pipe: about 17% faster than one by one
# on the general news corpus, with the same claims).
BATCH = 16
WORKER_BATCH = 8  # documents sent to a worker at once (each worker parses them as one batch)


@dataclass
class IngestSummary:
    new: int = 0
    unchanged: int = 0
    copies: int = 0
    failed: int = 0
    claims: int = 0
    errors: list[IngestError] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)  # the documents stored by this run

    def fail(self, error: IngestError, on_error: Callable[[IngestError], None] | None = None) -> None:
        self.failed += 1
        self.errors.append(error)
        if on_error:
            on_error(error)

    def saved(self, result: SaveResult, document_id: str) -> None:
        if result.new:
            self.new += 1
            self.claims += result.claims
            self.new_ids.append(document_id)
        else:
            self.unchanged += 1

    def copied(self, result: SaveResult) -> None:
        self.copies += result.new
        self.unchanged += not result.new

    def line(self) -> str:
        copies = f", {self.copies} copies of earlier documents" if self.copies else ""
        return (f"{self.new} new, {self.unchanged} unchanged{copies}, {self.failed} failed documents; "
                f"{self.claims} claims found")


@dataclass
class _Pending:
    document: Document
    fingerprint: Fingerprint
    original: str | None = None  # set when the document is a copy of this one
    claims: Future[list[list[Claim] | str]] | None = None  # its batch's, from a worker, with --jobs
    index: int = 0  # its place in that batch
    found: list[Claim] | str | None = None  # this process's (or why not), parsed with its batch


def run_ingest(
    inputs: Iterable[str | Path],
    store: Store,
    options: IngestOptions | None = None,
    jobs: int = 1,
    on_item: Callable[[], None] | None = None,
    on_error: Callable[[IngestError], None] | None = None,
) -> IngestSummary:
    """Ingest every input into the store. ``on_item`` is called once per document or error read
    (for a progress bar), ``on_error`` with each failure as it happens."""
    return ingest_documents(iter_documents(inputs, options), store, jobs, on_item, on_error)


def ingest_documents(
    items: Iterable[Ingested],
    store: Store,
    jobs: int = 1,
    on_item: Callable[[], None] | None = None,
    on_error: Callable[[IngestError], None] | None = None,
) -> IngestSummary:
    """Store documents already read (and the errors met reading them), as ``run_ingest`` does."""
    summary = IngestSummary()
    pending: dict[str, _Pending] = {}  # by document id, in input order: the oldest is written first
    extractor: Extractor | None = None
    pool = _pool(jobs) if jobs > 1 else None
    window = jobs * WORKER_BATCH * 2 if pool else BATCH  # two batches in flight per worker
    unsent: list[_Pending] = []  # documents waiting to be sent to a worker as one batch

    def send() -> None:
        nonlocal pool
        if pool is None or not unsent:
            return
        batch = unsent[:]
        unsent.clear()
        try:
            future = pool.submit(_extract_batch_in_worker, [p.document for p in batch])
        except BrokenProcessPool:  # a worker died (out of memory, say): go on in this process
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
            return
        for index, entry in enumerate(batch):
            entry.claims, entry.index = future, index

    def finish_oldest() -> None:
        nonlocal extractor
        item = pending.pop(next(iter(pending)))
        try:
            if item.original is not None:
                summary.copied(store.save_copy(item.document, item.original, item.fingerprint))
                return
            if any(p is item for p in unsent):
                send()
            found = _worker_result(item) if item.claims is not None else None
            if found is None:
                if item.found is None:
                    extractor = extractor or Extractor()
                    batch = [item, *(p for p in pending.values() if p.original is None and p.claims is None
                                     and p.found is None)][:BATCH]
                    for entry, claims in zip(batch, extract_batch(extractor, [p.document for p in batch]),
                                             strict=True):
                        entry.found = claims
                found = _claims_or_raise(item.found)
            result = store.save(item.document, found, item.fingerprint)
        except Exception as exc:  # one bad document must not stop the batch
            summary.fail(IngestError(item.document.label or item.document.id, f"{type(exc).__name__}: {exc}"),
                         on_error)
            return
        summary.saved(result, item.document.id)

    try:
        for item in items:
            if on_item:
                on_item()
            if isinstance(item, IngestError):
                summary.fail(item, on_error)
                continue
            if item.id in pending or store.has_document(item.id):
                summary.unchanged += 1
                continue
            fp = fingerprint(item.text)
            original = store.find_original(fp) or next(
                (p.original or p.document.id for p in pending.values() if fp.is_copy_of(p.fingerprint)), None)
            entry = _Pending(item, fp, original)
            if pool is not None and original is None:
                unsent.append(entry)
                if len(unsent) >= WORKER_BATCH:
                    send()
            pending[item.id] = entry
            while len(pending) > window:
                finish_oldest()
        while pending:
            finish_oldest()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return summary


def store_one(store: Store, summary: IngestSummary, item: Ingested, print_: Fingerprint | None,
              found: list[Claim] | str | None, seen: set[str],
              on_error: Callable[[IngestError], None] | None = None) -> None:
    """Store one document whose claims were extracted elsewhere (``distributed.py``), as the local
    ingest does: an error counts as failed, a stored document as unchanged, a near-copy of a stored
    one as its copy (its claims unused), anything else with its claims in one transaction."""
    if isinstance(item, IngestError):
        summary.fail(item, on_error)
        return
    if item.id in seen or store.has_document(item.id):
        summary.unchanged += 1
        return
    seen.add(item.id)
    try:
        original = store.find_original(print_) if print_ is not None else None
        if original is not None:
            summary.copied(store.save_copy(item, original, print_))
            return
        result = store.save(item, _claims_or_raise(found), print_)
    except Exception as exc:  # one bad document must not stop the batch
        summary.fail(IngestError(item.label or item.id, f"{type(exc).__name__}: {exc}"), on_error)
        return
    summary.saved(result, item.id)


def extract_batch(extractor: Extractor, documents: list[Document]) -> list[list[Claim] | str]:
    """The claims of each document, parsed as one batch (spaCy's pipe); a document that cannot be
    extracted gives the reason instead, and the others still give their claims."""
    try:
        return [extraction.claims for _, extraction in extractor.pipe(documents)]
    except Exception:  # one bad document: extract them one by one
        found: list[list[Claim] | str] = []
        for document in documents:
            try:
                found.append(extractor.extract(document))
            except Exception as exc:
                found.append(f"{type(exc).__name__}: {exc}")
        return found


def _claims_or_raise(found: list[Claim] | str | None) -> list[Claim]:
    """Claims, or the failure of the one document they were to come from."""
    if isinstance(found, str) or found is None:
        raise RuntimeError(found or "no claims extracted")
    return found


# -- worker processes -----------------------------------------------------------------------------

_worker: Extractor | None = None


def _pool(jobs: int) -> ProcessPoolExecutor:
    # spawn, not fork: a forked child would share the parent's database connections and threads
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker, initargs=(os.getpid(),))


def _worker_result(item: _Pending) -> list[Claim] | None:
    """A worker's claims for the document; None when its worker died, so the caller extracts it
    itself. A document the worker could not extract raises, to fail on its own."""
    if item.claims is None:
        return None
    try:
        result = item.claims.result()[item.index]
    except BrokenProcessPool:
        return None
    return _claims_or_raise(result)


def _start_worker(parent: int) -> None:
    global _worker
    _die_with_parent(parent)
    _worker = Extractor()


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive the ingest that started it (killed, say, with SIGKILL): Linux kills
    it at once (PR_SET_PDEATHSIG); elsewhere a watch thread ends it within half a second. The ingest
    may already be gone when the worker gets here (it starts slowly): then it ends at once."""
    if os.getppid() != parent:
        os._exit(1)
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the call
            os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _extract_batch_in_worker(documents: list[Document]) -> list[list[Claim] | str]:
    assert _worker is not None, "worker started without its extractor"
    return extract_batch(_worker, documents)
