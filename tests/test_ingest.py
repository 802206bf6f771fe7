"""Ingest: text, Markdown and JSON Lines files, directories, and clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES
from talentflow.ingest import IngestError, iter_documents
from talentflow.models import Document, document_id


def _ingest(*paths) -> list[Document | IngestError]:
    return list(iter_documents([str(p) for p in paths]))


def test_text_file_header_gives_url_date_and_title():
    (doc,) = _ingest(FIXTURES / "articles" / "acme-hires.txt")
    assert isinstance(doc, Document)
    assert doc.url == "https://example.org/news/acme-hires-roe"
    assert doc.published == "2025-03-04"
    assert doc.title == "Acme AI hires Globex researcher Jane Roe"
    assert doc.text.startswith("Globex researcher Jane Roe")


def test_markdown_title_comes_from_the_first_heading():
    (doc,) = _ingest(FIXTURES / "articles" / "founders.md")
    assert doc.title == "Two researchers leave Initech to start Quillwork"
    assert doc.published == "2024-11-20"


def test_jsonl_records_become_documents_labelled_by_id():
    docs = _ingest(FIXTURES / "bulk.jsonl")
    assert [d.label for d in docs] == ["rec-1", "rec-2", "rec-3"]
    assert docs[0].url == "https://example.org/hooli" and docs[0].published == "2025-05-02"


def test_directory_is_read_recursively(tmp_path: Path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (tmp_path / "one.txt").write_text("Jane Roe joined Acme.", encoding="utf-8")
    (nested / "two.md").write_text("John Roe left Acme.", encoding="utf-8")
    (nested / "ignored.png").write_bytes(b"\x89PNG")
    docs = _ingest(tmp_path)
    assert sorted(Path(d.source_path).name for d in docs) == ["one.txt", "two.md"]


def test_same_text_gets_the_same_id_whatever_the_line_endings():
    assert document_id("Jane Roe joined Acme.\r\n") == document_id("Jane Roe joined Acme.\n")


def test_missing_file_is_a_clear_error():
    (err,) = _ingest("/no/such/article.txt")
    assert isinstance(err, IngestError)
    assert str(err) == "/no/such/article.txt: no such file or directory"


def test_empty_file_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    (err,) = _ingest(path)
    assert str(err) == f"{path}: empty file"


def test_binary_file_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 20)
    (err,) = _ingest(path)
    assert str(err) == f"{path}: binary file, not text"


def test_windows_1252_text_is_decoded(tmp_path: Path):
    path = tmp_path / "old.txt"
    path.write_bytes("Ren\xe9 Dupont joined Acme \x96 reportedly.".encode("latin-1"))
    (doc,) = _ingest(path)
    assert doc.text == "René Dupont joined Acme – reportedly."


def test_bad_jsonl_line_is_reported_and_the_rest_is_read(tmp_path: Path):
    path = tmp_path / "bulk.jsonl"
    path.write_text('{"id": "a", "text": "Jane Roe joined Acme."}\nnot json\n{"id": "c"}\n'
                    '{"id": "d", "text": "John Roe left Acme."}\n', encoding="utf-8")
    items = _ingest(path)
    assert [d.label for d in items if isinstance(d, Document)] == ["a", "d"]
    errors = [str(e) for e in items if isinstance(e, IngestError)]
    assert errors[0].startswith(f"{path}:2: not valid JSON")
    assert errors[1] == f'{path}:3: record has no "text"'
