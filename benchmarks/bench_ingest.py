"""Ingest speed and memory: generated articles (``synthetic.py``) from a JSON Lines file into a
fresh SQLite database, through the whole path (read, near-duplicate check, parse, extract, store).

Prints articles and words per second beside spaCy's own ``nlp.pipe`` speed on the same texts, and
the resident memory of this process as the count of documents grows: it must stay flat, because
documents are streamed, never held as a batch.

    .venv/bin/python benchmarks/bench_ingest.py [articles] [jobs]
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from synthetic import write_jsonl

from talentflow.nlp import load_pipeline
from talentflow.pipeline import run_ingest
from talentflow.store import Store


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(count: int = 2000, jobs: int = 1) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bulk = Path(tmp) / "articles.jsonl"
        words = write_jsonl(bulk, count)
        print(f"articles: {count}, words: {words} ({words / count:.0f} per article), jobs: {jobs}")

        nlp = load_pipeline()
        start = time.perf_counter()
        with bulk.open(encoding="utf-8") as handle:
            for _ in nlp.pipe(json.loads(line)["text"] for line in handle):
                pass
        spacy_seconds = time.perf_counter() - start

        store = Store(str(Path(tmp) / "bench.db"))
        memory: list[tuple[int, float]] = [(0, rss_mb())]
        seen = 0

        def sample() -> None:
            nonlocal seen
            seen += 1
            if seen % (count // 8) == 0:
                memory.append((seen, rss_mb()))

        start = time.perf_counter()
        summary = run_ingest([bulk], store, jobs=jobs, on_item=sample)
        seconds = time.perf_counter() - start
        store.close()

    print(summary.line())
    print(f"talentflow ingest: {count / seconds:7.1f} articles/s, {words / seconds:8.0f} words/s ({seconds:.1f} s)")
    print(f"spaCy nlp.pipe:    {count / spacy_seconds:7.1f} articles/s, {words / spacy_seconds:8.0f} words/s")
    print("resident memory of the ingest process, MB, after N documents read:")
    print("  " + "  ".join(f"{n}: {mb:.0f}" for n, mb in memory))
    later = [mb for n, mb in memory if n >= count // 4]
    print(f"growth from {count // 4} to {count} documents: {later[-1] - later[0]:+.1f} MB; "
          f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
