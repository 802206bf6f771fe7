"""Bulk files: JSON Lines and CSV, one article per record, streamed record by record so that a file
of any size is read in constant memory. Column names are configurable (``--column text=body``)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from talentflow.dates import parse_published
from talentflow.ingest.text import Ingested, IngestError, decode_line, megabytes, mostly_control
from talentflow.models import Document

MAX_RECORD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Columns:
    """Which column (CSV) or key (JSON Lines) holds each field of an article."""

    text: str = "text"
    id: str = "id"
    url: str = "url"
    title: str = "title"
    published: str = "published"
    author: str = "author"

    @classmethod
    def parse(cls, settings: list[str]) -> Columns:
        """From ``FIELD=COLUMN`` settings; an unknown field or a malformed setting is a ValueError."""
        known = [f.name for f in fields(cls)]
        chosen: dict[str, str] = {}
        for setting in settings:
            field_name, sep, column = setting.partition("=")
            if not sep or not column.strip():
                raise ValueError(f"--column {setting!r}: expected FIELD=COLUMN, e.g. text=body")
            if field_name.strip() not in known:
                raise ValueError(f"--column {setting!r}: unknown field {field_name!r} (one of {', '.join(known)})")
            chosen[field_name.strip()] = column.strip()
        return replace(cls(), **chosen)


def read_lines(path: Path, label: str) -> Iterator[tuple[int, str] | IngestError]:
    """Numbered, decoded lines of a bulk file; an over-long line is skipped with an error."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield IngestError(label, f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        first = handle.read(8192)
        if not first:
            yield IngestError(label, "empty file")
            return
        if mostly_control(first):
            yield IngestError(label, "binary file, not text")
            return
        handle.seek(0)
        number = 0
        while line := handle.readline(MAX_RECORD_BYTES + 1):
            number += 1
            if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
                while (rest := handle.readline(MAX_RECORD_BYTES)) and not rest.endswith(b"\n"):
                    pass
                yield IngestError(f"{label}:{number}", f"record longer than {megabytes(MAX_RECORD_BYTES)}")
                continue
            yield number, decode_line(line).lstrip("\ufeff") if number == 1 else decode_line(line)


def _record_document(record: dict[str, Any], columns: Columns, path: Path, where: str) -> Ingested:
    body = record.get(columns.text)
    if not isinstance(body, str) or not body.strip():
        return IngestError(where, f"record has no {columns.text!r} text (choose the column with --column text=NAME)")

    def value(name: str) -> str | None:
        raw = record.get(name)
        return str(raw).strip() or None if raw not in (None, "") else None

    record_id = value(columns.id)
    return Document.from_text(
        body,
        exact=True,  # evidence offsets index the record's text as given
        url=value(columns.url),
        title=value(columns.title),
        author=value(columns.author),
        published=parse_published(value(columns.published)),
        source_path=str(path),
        label=record_id or where,
    )


def read_jsonl(path: Path, label: str | None = None, columns: Columns | None = None) -> Iterator[Ingested]:
    """Records of a JSON Lines file; a bad line is an error naming the file and line number."""
    label, columns = label or str(path), columns or Columns()
    for item in read_lines(path, label):
        if isinstance(item, IngestError):
            yield item
            continue
        number, line = item
        if not line.strip():
            continue
        where = f"{label}:{number}"
        try:
            # strict=False: a raw control character (a stray NUL) in a string spoils no record
            record = json.loads(line, strict=False)
        except ValueError as exc:
            yield IngestError(where, f"not valid JSON ({getattr(exc, 'msg', exc)})")
            continue
        except RecursionError:
            yield IngestError(where, "JSON nested too deeply to read")
            continue
        if not isinstance(record, dict):
            yield IngestError(where, "a record must be a JSON object")
            continue
        yield _record_document(record, columns, path, where)


def read_csv(path: Path, label: str | None = None, columns: Columns | None = None) -> Iterator[Ingested]:
    """Rows of a CSV (or, by its suffix, TSV) file with a header row naming the columns. A broken
    row (a field over the size limit, stray quotes) is an error naming its first line, and reading
    goes on with the next row; a quote never closed is an error too, and the rows it swallowed are
    read again from the line after it."""
    label, columns = label or str(path), columns or Columns()
    csv.field_size_limit(MAX_RECORD_BYTES)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    header: list[str] | None = None
    resume = 0  # lines of the file already read (after an unclosed quote: up to its line)
    while True:
        lines = _CsvLines(path, label, resume)
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        if header is None:
            try:
                header = next(reader, None)
            except csv.Error as exc:
                yield IngestError(f"{label}:1", f"broken CSV header ({exc})")
                return
            yield from lines.take_errors()
            if header is None:
                return
            if columns.text not in header:
                yield IngestError(label, f"no {columns.text!r} column (the columns are {', '.join(header)}; "
                                         f"choose one with --column text=NAME)")
                return
        unclosed = None
        while True:
            start = lines.number + 1  # a quoted field may span lines: name the record's first
            try:
                row = next(reader, None)
            except csv.Error as exc:
                yield from lines.take_errors()
                if "unexpected end of data" in str(exc):
                    unclosed = start
                    yield IngestError(f"{label}:{start}", "broken CSV (a quote opened here is never closed; "
                                                          "the rows after it are read again)")
                    break
                if "field larger than field limit" in str(exc):
                    lines.skip_rest_of_field(start)
                yield IngestError(f"{label}:{start}", f"broken CSV ({exc})")
                continue
            yield from lines.take_errors()
            if row is None:
                return
            if not any(cell.strip() for cell in row):
                continue
            yield _record_document(dict(zip(header, row, strict=False)), columns, path, f"{label}:{start}")
        if unclosed is None:
            return
        resume = unclosed  # read again from the line after the one that opened the quote


class _CsvLines:
    """The decoded lines of a CSV file after the first ``skip``, for ``csv.reader``; it knows the
    number of the last line given, collects line errors, and can skip the rest of a quoted field
    that the reader gave up on (its lines would otherwise be read as rows)."""

    def __init__(self, path: Path, label: str, skip: int) -> None:
        self._items = read_lines(path, label)
        self._skip = skip
        self._skipping_field = False
        self._last = ""
        self._errors: list[IngestError] = []
        self.number = skip

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        for item in self._items:
            if isinstance(item, IngestError):
                self._errors.append(item)
                continue
            number, line = item
            if number <= self._skip:
                continue
            self.number = number
            if self._skipping_field:
                if line.count('"') % 2:  # the quote that closes the field: go on after this line
                    self._skipping_field = False
                continue
            self._last = line
            return line
        raise StopIteration

    def skip_rest_of_field(self, start: int) -> None:
        # The field closed on the line the reader stopped at unless that line has an even count of
        # quotes or is the record's first (which opened it).
        self._skipping_field = self.number == start or self._last.count('"') % 2 == 0

    def take_errors(self) -> list[IngestError]:
        errors, self._errors = self._errors, []
        return errors
