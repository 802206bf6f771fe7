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
from talentflow.ingest.text import Ingested, IngestError, decode_line, looks_binary, megabytes
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
        if looks_binary(first):
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
            record = json.loads(line)
        except ValueError as exc:
            yield IngestError(where, f"not valid JSON ({getattr(exc, 'msg', exc)})")
            continue
        if not isinstance(record, dict):
            yield IngestError(where, "a record must be a JSON object")
            continue
        yield _record_document(record, columns, path, where)


def read_csv(path: Path, label: str | None = None, columns: Columns | None = None) -> Iterator[Ingested]:
    """Rows of a CSV (or, by its suffix, TSV) file with a header row naming the columns."""
    label, columns = label or str(path), columns or Columns()
    errors: list[IngestError] = []

    def lines() -> Iterator[str]:
        for item in read_lines(path, label):
            if isinstance(item, IngestError):
                errors.append(item)
            else:
                yield item[1]

    csv.field_size_limit(MAX_RECORD_BYTES)
    reader = csv.DictReader(lines(), delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
    try:
        header = reader.fieldnames
        yield from errors
        errors.clear()
        if header is None:
            return
        if columns.text not in header:
            yield IngestError(label, f"no {columns.text!r} column (the columns are {', '.join(header)}; "
                                     f"choose one with --column text=NAME)")
            return
        while True:
            start = reader.line_num + 1  # a quoted field may span lines: name the record's first
            row = next(reader, None)
            yield from errors
            errors.clear()
            if row is None:
                break
            yield _record_document(row, columns, path, f"{label}:{start}")
        yield from errors
    except csv.Error as exc:
        yield IngestError(f"{label}:{reader.line_num}", f"broken CSV ({exc})")
