"""Ingest speed: the bundled samples, repeated with distinct text, into a fresh SQLite file.

Prints documents per second and words per second for the whole path (parse, extract, store) and,
beside it, spaCy's own ``nlp.pipe`` speed on the same texts.

    .venv/bin/python benchmarks/bench_ingest.py [copies]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from talentflow.extract import Extractor
from talentflow.ingest import iter_documents
from talentflow.models import Document
from talentflow.store import Store

SAMPLES = Path(__file__).parent.parent / "src" / "talentflow" / "data" / "samples"


def main(copies: int = 8) -> None:
    base = [d for d in iter_documents([SAMPLES]) if isinstance(d, Document)]
    docs = [Document.from_text(f"{d.text}\n\nCopy {i}.", published=d.published, label=f"{d.label}#{i}")
            for i in range(copies) for d in base]
    words = sum(len(d.text.split()) for d in docs)
    extractor = Extractor()
    start = time.perf_counter()
    for _ in extractor.nlp.pipe(d.text for d in docs):
        pass
    spacy_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "bench.db"))
        start = time.perf_counter()
        claims = 0
        for doc, extraction in extractor.pipe(docs):
            claims += store.save(doc, extraction.claims).claims
        seconds = time.perf_counter() - start
    print(f"documents: {len(docs)}, words: {words}, claims: {claims}")
    print(f"talentflow ingest: {len(docs) / seconds:.1f} docs/s, {words / seconds:.0f} words/s")
    print(f"spaCy nlp.pipe:    {len(docs) / spacy_seconds:.1f} docs/s, {words / spacy_seconds:.0f} words/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
