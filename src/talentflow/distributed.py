"""Ingest on a Ray cluster: ``talentflow ingest --ray [ADDRESS]``.

Reading, fingerprinting and extraction run on the cluster as one Ray Data pipeline:

    inputs --driver--> units (a file, a URL, a bulk file; directories listed here)
           --tasks--> documents (ingest's own readers: every limit and check of a local ingest)
           --actors--> documents with fingerprints and claims (each actor loads spaCy and the scorer once)
           --driver--> the store, in input order, one transaction per document

The driver writes exactly as a single-process ingest does (``pipeline.store_one``): the same
documents, claims and moves. A document already stored is skipped, so a killed batch is resumed by
running it again. Without an address a local Ray is started for the run; with one (``HOST:PORT``
or ``auto``) the run joins that cluster, whose workers must have talentflow installed.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from talentflow.dedup import fingerprint
from talentflow.extract.cascade import CASCADE_ENV
from talentflow.ingest import IngestError, IngestOptions, input_units, iter_documents
from talentflow.ingest.text import Ingested
from talentflow.models import Document
from talentflow.nlp import SPACY_MODEL_ENV
from talentflow.orgs import ORGS_ENV
from talentflow.pipeline import IngestSummary, extract_batch, store_one
from talentflow.store import Store

# The settings that shape extraction, handed to every Ray worker as they are here (a local
# ingest's processes inherit them): another organizations file, another spaCy model, no cascade.
EXTRACTION_SETTINGS = (ORGS_ENV, SPACY_MODEL_ENV, CASCADE_ENV)
RAY_BATCH = 8  # documents an actor parses as one batch
BLOCK_BYTES = 16 * 1024


def extraction_env() -> dict[str, str]:
    """The extraction settings set here, for the workers' environment."""
    return {name: os.environ[name] for name in EXTRACTION_SETTINGS if os.environ.get(name)}


class ReadUnit:
    """A Ray task: one unit's documents (and errors), each pickled with its place in the unit."""

    def __init__(self, options: IngestOptions) -> None:
        self.options = options

    def __call__(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        given = pickle.loads(row["unit"])
        if isinstance(given, IngestError):
            return [{"item": row["unit"]}]
        return [{"item": pickle.dumps(item)} for item in iter_documents([given], self.options)]


class ExtractBatch:
    """A Ray actor: the spaCy pipeline and the scorer, loaded once, over batches of documents."""

    def __init__(self) -> None:
        from talentflow.extract import Extractor

        self.extractor = Extractor()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        items: list[Ingested] = [pickle.loads(b) for b in batch["item"]]
        documents = [i for i in items if isinstance(i, Document)]
        found = iter(extract_batch(self.extractor, documents)) if documents else iter(())
        out = []
        for item in items:
            if isinstance(item, IngestError):
                out.append(pickle.dumps((item, None, None)))
            else:
                out.append(pickle.dumps((item, fingerprint(item.text), next(found))))
        return {"item": out}


def ingest_on_ray(
    inputs: Iterable[str | Path],
    store: Store,
    options: IngestOptions | None = None,
    address: str | None = None,
    workers: int = 2,
    on_item: Callable[[], None] | None = None,
    on_error: Callable[[IngestError], None] | None = None,
) -> IngestSummary:
    """Ingest every input through Ray into the store, as ``pipeline.run_ingest`` would."""
    import ray
    from ray.data import DataContext

    options = options or IngestOptions()
    env = extraction_env()
    for name in ("ray", "ray.data"):  # Ray's own progress lines would drown ingest's one-line errors
        logging.getLogger(name).setLevel(logging.ERROR)
    started_here = not ray.is_initialized()
    if started_here:
        if address:
            ray.init(address=address, runtime_env={"env_vars": env}, log_to_driver=False,
                     logging_level=logging.WARNING)
        else:
            ray.init(num_cpus=workers + 1, include_dashboard=False, log_to_driver=False,
                     runtime_env={"env_vars": env}, logging_level=logging.WARNING)
    try:
        context = DataContext.get_current()
        context.execution_options.preserve_order = True  # written in input order, as a local ingest does
        context.enable_progress_bars = False
        # Small blocks: the documents of one bulk file are spread over every actor, not handed to one.
        context.target_max_block_size = BLOCK_BYTES
        listed = [pickle.dumps(u) for u in input_units(inputs)]
        summary = IngestSummary()
        if not listed:
            return summary
        dataset = (ray.data.from_items([{"unit": u} for u in listed], override_num_blocks=len(listed))
                   .flat_map(ReadUnit(options))
                   .map_batches(ExtractBatch, batch_size=RAY_BATCH, num_cpus=1,
                                compute=ray.data.ActorPoolStrategy(size=workers)))
        seen: set[str] = set()
        for row in dataset.iter_rows():
            item, print_, claims = pickle.loads(row["item"])
            if on_item:
                on_item()
            store_one(store, summary, item, print_, claims, seen, on_error)
        return summary
    finally:
        if started_here:
            ray.shutdown()
