"""Ingest speed and memory, side by side with spaCy, on real news and on generated articles.

For each input, in one run:
- spaCy's full pipeline (``nlp.pipe``, one process): what every article costs today;
- spaCy's sentencizer alone: the floor of any cascade that reads every sentence;
- ``talentflow ingest`` with ``--jobs 1`` and ``--jobs 2`` into a fresh SQLite file (read,
  near-duplicate check, first pass, parse of what it keeps, extract, store), and with ``--jobs 1``
  and the cascade off (``TALENTFLOW_CASCADE=off``: every sentence parsed, as before the cascade);
each as words per second and as a ratio to the full pipeline, with the resident memory of the
ingest process as documents stream through (it must stay flat), and the start-up time of a
read-only command.

    .venv/bin/python benchmarks/bench_ingest.py [GENERATED_ARTICLES] [GENERAL_CORPUS]

The general corpus (default ``../shared/corpus/general/articles.jsonl``, about 400 excerpts of news
on every topic) is read where it is and never copied."""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import spacy
from bench_startup import first_and_median
from synthetic import write_jsonl

from talentflow.extract import Extractor
from talentflow.extract.cascade import CASCADE_ENV
from talentflow.nlp import load_pipeline
from talentflow.pipeline import run_ingest
from talentflow.store import Store

ROOT = Path(__file__).resolve().parent.parent
GENERAL = ROOT.parent / "shared" / "corpus" / "general" / "articles.jsonl"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


def words_per_second(run: object, words: int) -> tuple[float, float]:
    started = time.perf_counter()
    run()  # type: ignore[operator]
    seconds = time.perf_counter() - started
    return words / seconds, seconds


def measure(name: str, path: Path) -> None:
    articles = texts(path)
    words = sum(len(t.split()) for t in articles)
    print(f"\n{name}: {len(articles)} articles, {words:,} words ({path})")
    nlp = load_pipeline()
    sentencizer = spacy.blank("en")
    sentencizer.add_pipe("sentencizer")
    full, _ = words_per_second(lambda: [None for _ in nlp.pipe(articles)], words)
    floor, _ = words_per_second(lambda: [None for _ in sentencizer.pipe(articles)], words)
    rows = [("spaCy full pipeline (nlp.pipe)", full), ("spaCy sentencizer alone", floor)]
    memory: list[tuple[int, float]] = []
    os.environ[CASCADE_ENV] = "off"  # before the cascade: every sentence parsed
    rows.append(("talentflow ingest --jobs 1, no cascade", ingest_speed(path, words, 1, None)))
    del os.environ[CASCADE_ENV]
    for jobs in (1, 2):
        speed = ingest_speed(path, words, jobs, memory if jobs == 1 else None)
        rows.append((f"talentflow ingest --jobs {jobs}", speed))
    cascade = Extractor().cascade
    if cascade is not None:
        kept_per_article = [cascade.kept_sentences(cascade.first_pass(text)) for text in articles]
        kept = sum(end - start for spans in kept_per_article for start, end in spans)
        skipped = sum(1 for spans in kept_per_article if not spans)
        print(f"  the cascade sends {kept / sum(len(t) for t in articles):.0%} of the characters to the full "
              f"pipeline; {skipped} of {len(articles)} articles have no cue")
    for label, speed in rows:
        print(f"  {label:<34} {speed:9,.0f} words/s   {speed / full:5.2f} x the full pipeline")
    if memory:
        print("  resident memory of ingest --jobs 1, MB, after N documents: "
              + "  ".join(f"{n}: {mb:.0f}" for n, mb in memory))


def ingest_speed(path: Path, words: int, jobs: int, memory: list[tuple[int, float]] | None) -> float:
    """Words per second of a whole ingest into a fresh database; ``memory`` gets (documents, MB)."""
    count = sum(1 for _ in path.open(encoding="utf-8"))
    seen = 0

    def sample() -> None:
        nonlocal seen
        seen += 1
        if memory is not None and seen % max(1, count // 8) == 0:
            memory.append((seen, rss_mb()))

    with tempfile.TemporaryDirectory() as folder:
        store = Store(str(Path(folder) / "bench.db"))
        started = time.perf_counter()
        run_ingest([path], store, jobs=jobs, on_item=sample)
        seconds = time.perf_counter() - started
        store.close()
    return words / seconds


def startup(db_folder: Path) -> None:
    db = str(db_folder / "startup.db")
    Store(db).close()
    first, median = first_and_median([sys.executable, "-c", "from talentflow.cli import app; app()", "moves",
                                      "--db", db], 5)
    print(f"\nstart-up of a read-only command (talentflow moves, median of 5 after a first run): {median:.2f} s"
          f" (first run, compiling talentflow's bytecode: {first:.2f} s)")


def main() -> None:
    generated = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    general = Path(sys.argv[2]) if len(sys.argv) > 2 else GENERAL
    print(f"{sys.platform}, one process unless --jobs says otherwise")
    if general.is_file():
        measure("general news", general)
    else:
        print(f"\n{general}: not found, general news not measured")
    with tempfile.TemporaryDirectory() as folder:
        bulk = Path(folder) / "generated.jsonl"
        write_jsonl(bulk, generated)
        measure("generated articles (benchmarks/synthetic.py)", bulk)
        startup(Path(folder))


if __name__ == "__main__":
    main()
