"""RSS and Atom feeds: each entry becomes a document. An entry that carries its full text is read
from the feed; one that holds only a summary has its page fetched (when a fetcher is given)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import feedparser

from talentflow.ingest.fetch import Fetcher, document_from_fetched
from talentflow.ingest.html import parse_html
from talentflow.ingest.text import Ingested, IngestError, looks_binary
from talentflow.models import Document

FEED_SUFFIXES = {".rss", ".atom", ".xml", ".rdf"}


def is_feed(data: bytes) -> bool:
    """Whether bytes look like an RSS, RDF or Atom document (sniffed from the first root element)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


def read_feed(data: bytes, label: str, fetcher: Fetcher | None = None, source_path: str | None = None,
              feed_url: str | None = None) -> Iterator[Ingested]:
    entries = feed_entries(data, label, feed_url)
    if isinstance(entries, IngestError):
        yield entries
        return
    for number, entry in enumerate(entries, start=1):
        yield entry_document(entry, f"{label} entry {number}", fetcher, source_path)


def feed_entries(data: bytes, label: str, feed_url: str | None = None) -> list[Any] | IngestError:
    """The entries of a feed (feedparser's), or why there are none."""
    if looks_binary(data):
        return IngestError(label, "binary file, not a feed")
    parsed = feedparser.parse(data, response_headers={"content-location": feed_url} if feed_url else None)
    if parsed.entries:
        return list(parsed.entries)
    if parsed.get("bozo"):
        return IngestError(label, f"broken feed ({_first_line(parsed.get('bozo_exception'))})")
    if not parsed.get("version"):
        return IngestError(label, "not an RSS or Atom feed")
    return IngestError(label, "feed has no entries")


def entry_key(entry: Any) -> str:
    """What names an entry across polls: its id, else its link, else its title."""
    return str(entry.get("id") or entry.get("link") or entry.get("title") or "")


def entry_document(entry: Any, where: str, fetcher: Fetcher | None, source_path: str | None) -> Ingested:
    """The entry's article: its full content when the feed carries it, else its page, else (no
    fetcher, or the page cannot be fetched) its summary."""
    link = entry.get("link") or None
    title = entry.get("title") or None
    published = _entry_date(entry)
    label = link or entry.get("id") or where
    content = entry.get("content") or []
    if content:
        body = "\n\n".join(part.get("value", "") for part in content)
        return _from_markup(body, content[0].get("type", "text/html"), label, link, title, published, source_path)
    summary = entry.get("summary")
    if link and fetcher is not None:
        fetched = fetcher.fetch(link, label=f"{where} ({link})")
        if not isinstance(fetched, IngestError):
            document = document_from_fetched(fetched, link, title=title, published=published)
            if not isinstance(document, IngestError) or not summary:
                return document
        elif not summary:
            return fetched
        # The page is out of reach (gone, refused, too slow): the feed's own summary still tells the news.
    if not summary:
        return IngestError(where, "entry has no text and no link to fetch")
    return _from_markup(summary, entry.get("summary_detail", {}).get("type", "text/html"), label, link, title,
                        published, source_path)


def _from_markup(body: str, kind: str, label: str, link: str | None, title: str | None, published: str | None,
                 source_path: str | None) -> Ingested:
    if "html" in kind:
        return parse_html(f"<html><body><article>{body}</article></body></html>", label, url=link,
                          source_path=source_path, published=published, title=title)
    if not body.strip():
        return IngestError(label, "entry has no text")
    return Document.from_text(body, url=link, title=title, published=published, source_path=source_path,
                              label=label)


def _entry_date(entry: Any) -> str | None:
    parsed: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def _first_line(exc: object) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0] if exc else "unreadable XML"
