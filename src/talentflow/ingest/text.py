"""Plain-text and Markdown articles, and the decoding every file reader shares.

A text article may start with ``URL:``, ``DATE:`` and ``TITLE:`` header lines and a blank line (the
format of the bundled samples and the dev corpus). Bytes are decoded as UTF-8 (UTF-16 with a byte
order mark), else in the encoding charset-normalizer finds (UTF-16 without a byte order mark,
Shift-JIS, GB18030, ...), else as Windows-1252, line by line, so a file that mixes UTF-8 and
Windows-1252 still reads right. Binary is told by what the decoded text holds, not by one byte.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from pathlib import Path

from talentflow.dates import parse_published
from talentflow.models import Document

MAX_ARTICLE_BYTES = 10 * 1024 * 1024  # one article (parsed in pieces); bulk files are streamed and have no limit
HEADER = re.compile(r"^(URL|DATE|TITLE|PUBLISHED|SOURCE|AUTHOR|ORIGIN|REPORTED-BY):[ \t]*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class IngestError:
    """One input that could not be read, and why: printed as one line, counted as a failure."""

    source: str
    reason: str

    def __str__(self) -> str:
        # One line, whatever the input put into the source or the reason (a CSV column name can
        # hold a line break): a line break is shown as the two characters "\n".
        return f"{self.source}: {self.reason}".replace("\r", "\\r").replace("\n", "\\n")


Ingested = Document | IngestError


def megabytes(size: int) -> str:
    """A size for a message: whole megabytes, or bytes below one."""
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def read_article_bytes(path: Path, label: str) -> bytes | IngestError:
    """The bytes of a one-article file, refused when empty or larger than one article can be.
    A pipe (``<(command)``) has no size until read, so it is read up to the limit."""
    too_large = f"file too large for one article (%s; the limit is {megabytes(MAX_ARTICLE_BYTES)})"
    try:
        info = path.stat()
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_ARTICLE_BYTES:
            return IngestError(label, too_large % megabytes(info.st_size))
        with path.open("rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        return IngestError(label, f"cannot read file: {exc.strerror or exc}")
    if not data:
        return IngestError(label, "empty file")
    if len(data) > MAX_ARTICLE_BYTES:
        return IngestError(label, too_large % f"over {megabytes(MAX_ARTICLE_BYTES)}")
    return data


def read_text(path: Path, label: str | None = None) -> str | IngestError:
    """The decoded text of a file, or an error saying why it cannot be read as text."""
    label = label or str(path)
    data = read_article_bytes(path, label)
    return data if isinstance(data, IngestError) else decode_bytes(data, label)


SNIFF_BYTES = 64 * 1024  # what encoding detection reads of a file
# Encodings a detector names for Western text where the line-by-line UTF-8 / Windows-1252 reading is
# right (and more robust on files that mix the two).
WESTERN = {"ascii", "utf_8", "cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman"}


def looks_binary(data: bytes) -> bool:
    """Whether bytes are not text in any encoding: many control characters once decoded."""
    sample = data[:8192]
    if b"\x00" not in sample:
        return _too_many_controls(sample.decode("latin-1"))
    detected = _detected_encoding(sample)
    if detected is None:
        return True
    return _too_many_controls(sample.decode(detected, errors="replace"))


def mostly_control(data: bytes) -> bool:
    """Whether the start of a bulk file is binary: many control bytes (one stray NUL in a record is
    that record's problem, not the file's)."""
    return _too_many_controls(data[:8192].decode("latin-1"))


def _too_many_controls(sample: str) -> bool:
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > max(8, len(sample) // 100)


def _detected_encoding(data: bytes) -> str | None:
    """The encoding charset-normalizer finds most likely, or None."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:SNIFF_BYTES]).best()
    return best.encoding if best is not None else None


def decode_line(line: bytes) -> str:
    """One line of a file that may mix encodings: UTF-8 when it is, else Windows-1252."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 leaves five bytes undefined; latin-1 reads those as control characters.
        return line.decode("cp1252", errors="ignore") if _cp1252_ok(line) else line.decode("latin-1")


def _cp1252_ok(line: bytes) -> bool:
    return not any(b in line for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"))


def decode_bytes(data: bytes, label: str, charset: str | None = None) -> str | IngestError:
    """Text from bytes: the declared charset when given and valid, else UTF-8 / UTF-16 with a BOM,
    else each line as UTF-8 or Windows-1252 (the usual encoding of older saved Western pages)."""
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return IngestError(label, "broken UTF-16 text")
    elif charset:
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None and b"\x00" not in data[:8192]:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
    if text is None:
        detected = _detected_encoding(data)
        if detected and detected not in WESTERN:
            try:
                text = data.decode(detected)
            except (LookupError, UnicodeDecodeError):
                text = None
    if text is None:
        text = "".join(decode_line(line) for line in data.splitlines(keepends=True))
    if _too_many_controls(text[:8192]):
        return IngestError(label, "binary file, not text")
    if not text.strip():
        return IngestError(label, "empty file (only white space)")
    return text


def parse_article(text: str, label: str, source_path: str | None = None) -> Document | IngestError:
    """A text file, with optional header lines (URL, DATE, TITLE, AUTHOR) before a blank line. A
    retelling says so with ORIGIN (who wrote it) and REPORTED-BY (the report it follows: credited,
    but not where its sentences stand)."""
    meta: dict[str, str] = {}
    lines = text.lstrip("\ufeff").split("\n")
    i = 0
    while i < len(lines) and (header := HEADER.match(lines[i].strip())):
        key, value = header.groups()
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
        body.strip(),
        exact=True,  # evidence offsets index the file's text after the header
        url=None if not url or url.lower() == "unknown" else url,
        title=title,
        author=meta.get("AUTHOR") or None,
        published=parse_published(meta.get("DATE") or meta.get("PUBLISHED")),
        source_path=source_path,
        label=label,
        origin=meta.get("ORIGIN") or None,
        reported_by=meta.get("REPORTED-BY") or None,
    )
