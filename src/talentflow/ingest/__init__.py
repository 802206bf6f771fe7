"""Ingest: everything users point talentflow at, turned into Documents.

- text and Markdown files (``text.py``), web pages (``html.py``), RSS and Atom feeds (``feeds.py``),
  JSON Lines and CSV bulk files (``bulk.py``), and directories of any mix, recursively;
- URLs, on the command line or in a file, fetched safely (``fetch.py``).

Bad input never stops a batch: each problem is yielded as an ``IngestError`` that names the input
and the reason, and the caller goes on with the next one. Nothing is held in memory longer than one
document: bulk files and directories are streamed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from talentflow.dates import date_from_text, date_from_url
from talentflow.ingest.bulk import Columns, read_csv, read_jsonl, read_lines
from talentflow.ingest.feeds import FEED_SUFFIXES, is_feed, read_feed
from talentflow.ingest.fetch import FEED_TYPES, Fetcher, FetchPolicy, document_from_fetched
from talentflow.ingest.html import HTML_SUFFIXES, parse_html
from talentflow.ingest.text import (
    Ingested,
    IngestError,
    decode_bytes,
    parse_article,
    read_article_bytes,
    read_text,
)
from talentflow.models import Document

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv", ".tsv"}
BULK_SUFFIXES = JSONL_SUFFIXES | CSV_SUFFIXES
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | BULK_SUFFIXES

__all__ = [
    "BULK_SUFFIXES",
    "HTML_SUFFIXES",
    "SUPPORTED_SUFFIXES",
    "TEXT_SUFFIXES",
    "Columns",
    "FetchPolicy",
    "IngestError",
    "IngestOptions",
    "Ingested",
    "is_url",
    "iter_documents",
    "read_jsonl",
    "read_text",
    "read_url_list",
    "with_publication_date",
]


@dataclass
class IngestOptions:
    columns: Columns = field(default_factory=Columns)
    fetch: FetchPolicy = field(default_factory=FetchPolicy)


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def iter_documents(inputs: Iterable[str | Path], options: IngestOptions | None = None) -> Iterator[Ingested]:
    """Every document found in the given files, directories and URLs, in order, with an error for
    each bad input. A document whose input gives no publication date takes the one its URL path or
    its dateline tells."""
    for item in _documents(inputs, options):
        yield with_publication_date(item) if isinstance(item, Document) else item


def with_publication_date(document: Document) -> Document:
    """The document, with the publication date its URL path or dateline tells when it has none."""
    if document.published:
        return document
    found = date_from_url(document.url) or date_from_text(document.text)
    return replace(document, published=found) if found else document


def input_units(inputs: Iterable[str | Path]) -> Iterator[str | IngestError]:
    """The inputs as units of reading, in order: a URL, a file; a directory becomes its supported
    files (sorted, walked lazily), and what cannot be listed is an error in its place."""
    for raw in inputs:
        path = Path(raw)
        if (isinstance(raw, str) and is_url(raw)) or not path.is_dir():
            yield str(raw)
            continue
        found = False
        for file in _walk(path, set()):
            if isinstance(file, IngestError):
                yield file
                continue
            found = True
            yield str(file)
        if not found:
            yield IngestError(str(raw), "directory holds no articles, pages, feeds or bulk files")


def _documents(inputs: Iterable[str | Path], options: IngestOptions | None) -> Iterator[Ingested]:
    options = options or IngestOptions()
    fetcher = Fetcher(options.fetch)
    try:
        for unit in input_units(inputs):
            if isinstance(unit, IngestError):
                yield unit
            elif is_url(unit):
                yield from _one_input(unit, _read_url(unit, fetcher))
            elif not Path(unit).exists():
                yield IngestError(unit, "no such file or directory")
            else:
                yield from _one_input(unit, _read_file(Path(unit), unit, options, fetcher))
    finally:
        fetcher.close()


def _one_input(label: str, items: Iterator[Ingested]) -> Iterator[Ingested]:
    """The documents of one input; whatever goes wrong reading it becomes one error line for it, and
    the batch goes on with the next input."""
    try:
        yield from items
    except Exception as exc:  # a reader's bug or a library's surprise must not end the batch
        reason = str(exc).splitlines()[0] if str(exc) else ""
        yield IngestError(label, f"cannot read ({type(exc).__name__}: {reason})")


def read_url_list(path: Path) -> Iterator[str | IngestError]:
    """The URLs in a file, one per line; blank lines and ``#`` comments are skipped."""
    for item in read_lines(path, str(path)):
        if isinstance(item, IngestError):
            yield item
            continue
        number, line = item
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        yield line if is_url(line) else IngestError(f"{path}:{number}", f"not an http(s) URL: {line[:80]}")


def _walk(root: Path, seen: set[tuple[int, int]]) -> Iterator[Path | IngestError]:
    """Supported files under a directory, sorted, without building the whole list of a big tree. A
    directory is read once, however many links lead to it (a link loop ends there); one that cannot
    be read is an error."""
    try:
        info = root.stat()
    except OSError as exc:
        yield IngestError(str(root), f"cannot read directory: {exc.strerror or exc}")
        return
    if (info.st_dev, info.st_ino) in seen:
        if root.is_symlink():
            yield IngestError(str(root), "link to a directory already read (skipped: a loop or a second way in)")
        return
    seen.add((info.st_dev, info.st_ino))
    try:
        entries = sorted(root.iterdir())
    except OSError as exc:
        yield IngestError(str(root), f"cannot read directory: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() and not entry.exists():
            yield IngestError(str(entry), "broken link (it points to nothing)")
        elif entry.is_dir():
            yield from _walk(entry, seen)
        elif entry.is_file() and entry.suffix.lower() in SUPPORTED_SUFFIXES:
            yield entry


def _read_file(path: Path, label: str, options: IngestOptions, fetcher: Fetcher) -> Iterator[Ingested]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path, label, options.columns)
        return
    if suffix in CSV_SUFFIXES:
        yield from read_csv(path, label, options.columns)
        return
    data = read_article_bytes(path, label)
    if isinstance(data, IngestError):
        yield data
    elif suffix in FEED_SUFFIXES or is_feed(data):
        yield from read_feed(data, label, fetcher, source_path=str(path))
    elif suffix in HTML_SUFFIXES:
        yield parse_html(data, label, source_path=str(path))
    else:
        text = decode_bytes(data, label)
        yield text if isinstance(text, IngestError) else parse_article(text, label=label, source_path=str(path))


def _read_url(url: str, fetcher: Fetcher) -> Iterator[Ingested]:
    fetched = fetcher.fetch(url)
    if isinstance(fetched, IngestError):
        yield fetched
    elif fetched.content_type in FEED_TYPES or (fetched.content_type != "text/html" and is_feed(fetched.body)):
        yield from read_feed(fetched.body, url, fetcher, feed_url=fetched.url)
    else:
        yield document_from_fetched(fetched, url)
