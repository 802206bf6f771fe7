"""Long articles: extraction time and peak memory of one generated article of growing length (a
long text is parsed in pieces, so both should grow in step with the text, not faster).

    python benchmarks/bench_long_article.py [CHARACTERS...]   (default 100000 400000 900000)

Each length runs in a fresh process, so each peak memory figure is its own."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def one(length: int) -> None:
    from synthetic import articles

    from talentflow.extract import Extractor
    from talentflow.models import Document

    extractor = Extractor()
    paragraphs: list[str] = []
    for item in articles(max(10, length // 300)):
        paragraphs.append(item["text"])
        if sum(map(len, paragraphs)) > length:
            break
    text = "\n\n".join(paragraphs)[:length]
    started = time.perf_counter()
    claims = extractor.extract(Document.from_text(text, label="long"))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{length:>10,} chars  {seconds:7.1f} s  {length / seconds:9,.0f} chars/s  peak {peak:6.0f} MB  "
          f"{len(claims)} claims", flush=True)


def main() -> None:
    lengths = [int(a) for a in sys.argv[1:]] or [100_000, 400_000, 900_000]
    print("one article, extraction only (parsed in pieces of 50,000 characters)")
    for length in lengths:
        subprocess.run([sys.executable, __file__, "--one", str(length)], check=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        one(int(sys.argv[2]))
    else:
        main()
