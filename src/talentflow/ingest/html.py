"""Web pages: the article's main text and its metadata (title, author, date, canonical URL), with
menus, tickers, related-article lists and footers left out, by trafilatura."""

from __future__ import annotations

import re
from typing import Any

import trafilatura

from talentflow.dates import parse_published
from talentflow.ingest.text import IngestError, decode_bytes, looks_binary
from talentflow.models import Document

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=|<\?xml[^>]+encoding\s*=", re.IGNORECASE)


def parse_html(data: bytes | str, label: str, url: str | None = None, source_path: str | None = None,
               published: str | None = None, title: str | None = None) -> Document | IngestError:
    """One article from a page. ``url`` is where the page came from; the page's own canonical link
    wins. ``published`` and ``title`` given by the caller (a feed entry's) win over what trafilatura
    finds, since a page fragment has no metadata and its date would be guessed from the text."""
    if isinstance(data, bytes) and looks_binary(data):
        return IngestError(label, "binary file, not HTML")
    if isinstance(data, bytes) and not META_CHARSET.search(data[:4096]):
        # No declared encoding: UTF-8, else Windows-1252, beats trafilatura's guess on short pages.
        decoded = decode_bytes(data, label)
        if isinstance(decoded, IngestError):
            return decoded
        data = decoded
    try:
        extracted = trafilatura.bare_extraction(data, url=url, with_metadata=True, include_comments=False,
                                                include_tables=False)
    except Exception as exc:  # trafilatura raises parser errors of lxml on hopeless markup
        return IngestError(label, f"broken HTML ({type(exc).__name__}: {exc})")
    text = getattr(extracted, "text", None)
    if extracted is None or not text or not text.strip():
        return IngestError(label, "no article text found in the HTML")
    meta: Any = extracted  # trafilatura's Document; its stubs also allow a dict
    return Document.from_text(
        text,
        url=meta.url or url,
        title=title or meta.title,
        author=meta.author or None,
        published=published or parse_published(meta.date),
        source_path=source_path,
        label=label,
    )
