"""Scaling per worker: the same articles ingested with ``--jobs 1`` and ``--jobs 2`` (processes on
this machine) and on Ray with 1 and 2 extraction actors (a local Ray started for the run), each into
a fresh SQLite file. Prints articles/s for each, with and without Ray's start-up, and the speed-up
over one worker, so that the scaling per worker is visible.

    .venv/bin/python benchmarks/bench_scaling.py [ARTICLES] [CORPUS_JSONL]

Default: the first 120 articles of ``../shared/corpus/general/articles.jsonl`` (real news excerpts
of every topic; read, never copied into the project).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from talentflow.pipeline import run_ingest
from talentflow.store import Store

ROOT = Path(__file__).resolve().parent.parent
GENERAL = ROOT.parent / "shared" / "corpus" / "general" / "articles.jsonl"


def sample(source: Path, count: int, folder: Path) -> tuple[Path, int]:
    """The first ``count`` records of a JSON Lines corpus, as a file of their own, and their words."""
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()[:count]]
    path = folder / "sample.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path, sum(len(str(r.get("text", "")).split()) for r in records)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    source = Path(sys.argv[2]) if len(sys.argv) > 2 else GENERAL
    import ray

    from talentflow.distributed import ingest_on_ray

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path, words = sample(source, count, folder)
        print(f"{count} articles, {words:,} words ({source.name})")
        print(f"{'run':28} {'articles/s':>11} {'words/s':>9} {'speed-up':>9} {'with start-up':>14}")
        base: float | None = None
        for label, jobs, on_ray in (("ingest --jobs 1", 1, False), ("ingest --jobs 2", 2, False),
                                    ("ingest --ray, 1 actor", 1, True), ("ingest --ray, 2 actors", 2, True)):
            store = Store(str(folder / f"{label.replace(' ', '_')}.db"))
            started = time.perf_counter()
            if on_ray:
                ray.init(num_cpus=jobs + 1, include_dashboard=False, log_to_driver=False)
            ready = time.perf_counter()
            summary = (ingest_on_ray([str(path)], store, workers=jobs) if on_ray
                       else run_ingest([str(path)], store, jobs=jobs))
            done = time.perf_counter()
            if on_ray:
                ray.shutdown()
            assert summary.new + summary.copies + summary.unchanged == count, summary.line()
            rate = count / (done - ready)
            base = base or rate
            print(f"{label:28} {rate:>11.2f} {words / (done - ready):>9,.0f} {rate / base:>8.2f}x "
                  f"{count / (done - started):>13.2f}/s")
            store.close()


if __name__ == "__main__":
    main()
