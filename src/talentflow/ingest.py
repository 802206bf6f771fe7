"""Ingest: turn files on disk into Documents.

Supported now: plain-text and Markdown files (optionally starting with ``URL:``, ``DATE:`` and
``TITLE:`` header lines and a blank line, the format of the bundled samples and the dev corpus),
JSON Lines bulk files with records ``{"id", "text", "url"?, "published"?, "title"?}``, and
directories of those, recursively.

Bad input never stops a batch: each problem is yielded as an ``IngestError`` that names the input
and the reason, and the caller goes on with the next one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from talentflow.dates import parse_published
from talentflow.models import Document

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
MAX_FILE_BYTES = 50 * 1024 * 1024
HEADER = re.compile(r"^(URL|DATE|TITLE|PUBLISHED|SOURCE):[ \t]*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class IngestError:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


Ingested = Document | IngestError


def iter_documents(paths: Iterable[str | Path]) -> Iterator[Ingested]:
    """Every document found under the given paths, in order, with an error for each bad input."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield IngestError(str(raw), "no such file or directory")
        elif path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _supported(p))
            if not files:
                yield IngestError(str(raw), "directory holds no .txt, .md or .jsonl files")
            for file in files:
                yield from _read_file(file, str(file))
        else:
            yield from _read_file(path, str(raw))


def _supported(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES and not path.name.startswith(".")


def _read_file(path: Path, label: str) -> Iterator[Ingested]:
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from read_jsonl(path, label)
        return
    text = read_text(path, label)
    if isinstance(text, IngestError):
        yield text
        return
    yield parse_article(text, label=label, source_path=str(path))


def read_text(path: Path, label: str | None = None) -> str | IngestError:
    """The decoded text of a file, or an error saying why it cannot be read as text."""
    label = label or str(path)
    try:
        size = path.stat().st_size
        if size == 0:
            return IngestError(label, "empty file")
        if size > MAX_FILE_BYTES:
            return IngestError(label, f"file too large ({size // (1024 * 1024)} MB; the limit is "
                                      f"{MAX_FILE_BYTES // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except OSError as exc:
        return IngestError(label, f"cannot read file: {exc.strerror or exc}")
    return decode_bytes(data, label)


def decode_bytes(data: bytes, label: str) -> str | IngestError:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return IngestError(label, "binary file, not text")
    for encoding in ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        try:
            text = data.decode("cp1252")  # the usual non-UTF-8 encoding of saved Western news pages
        except UnicodeDecodeError:
            return IngestError(label, "not UTF-8 or Windows-1252 text")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 100):
        return IngestError(label, "binary file, not text")
    if not text.strip():
        return IngestError(label, "empty file (only white space)")
    return text


def parse_article(text: str, label: str, source_path: str | None = None) -> Document | IngestError:
    """A text file, with optional header lines (URL, DATE, TITLE) before a blank line."""
    meta: dict[str, str] = {}
    lines = text.lstrip("\ufeff").split("\n")
    i = 0
    while i < len(lines) and HEADER.match(lines[i].strip()):
        key, value = HEADER.match(lines[i].strip()).groups()  # type: ignore[union-attr]
        meta[key.upper()] = value.strip()
        i += 1
    body = "\n".join(lines[i:]) if meta else text
    title = meta.get("TITLE")
    if title is None:
        heading = re.match(r"\s*#\s+(.+)", body)  # Markdown: the first heading is the title
        title = heading.group(1).strip() if heading else None
    if not body.strip():
        return IngestError(label, "no article text after the header")
    url = meta.get("URL") or meta.get("SOURCE")
    return Document.from_text(
        body,
        url=None if not url or url.lower() == "unknown" else url,
        title=title,
        published=parse_published(meta.get("DATE") or meta.get("PUBLISHED")),
        source_path=source_path,
        label=label,
    )


def read_jsonl(path: Path, label: str | None = None) -> Iterator[Ingested]:
    """Records of a JSON Lines file; a bad line is an error naming the file and line number."""
    label = label or str(path)
    text = read_text(path, label)
    if isinstance(text, IngestError):
        yield text
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{label}:{number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield IngestError(where, f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield IngestError(where, "a record must be a JSON object")
            continue
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            yield IngestError(where, "record has no \"text\"")
            continue
        record_id = record.get("id")
        yield Document.from_text(
            body,
            url=record.get("url") or None,
            title=record.get("title") or None,
            published=parse_published(record.get("published")),
            source_path=str(path),
            label=str(record_id) if record_id is not None else where,
        )
