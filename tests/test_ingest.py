"""Ingest: text, Markdown and JSON Lines files, directories, and clear errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES
from talentflow.ingest import Columns, IngestError, IngestOptions, iter_documents
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
    assert errors[1].startswith(f"{path}:3: record has no 'text' text")


# -- web pages, feeds and bulk files ----------------------------------------------------------------

WEB = FIXTURES / "web"


def test_html_page_gives_main_text_and_metadata_without_boilerplate():
    (doc,) = _ingest(WEB / "lumen-hires.html")
    assert isinstance(doc, Document)
    assert doc.title.startswith("Lumen Robotics hires Orchid Labs vision lead Priya Natarajan")
    assert doc.author == "Tomas Berg"
    assert doc.published == "2025-04-08"
    assert doc.url == "https://circuit-ledger.example/2025/04/lumen-hires-natarajan"
    assert "has joined Lumen Robotics as head of research" in doc.text
    for boilerplate in ("Subscribe", "LUMN 41.20", "Ten robots to watch", "All rights reserved"):
        assert boilerplate not in doc.text


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.html", "<html><head><title>Nothing here</title></head></html>", "no article text found in the HTML"),
    ("broken.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>Cut off', "broken feed ("),
    ("config.xml", '<?xml version="1.0"?><settings><colour>blue</colour></settings>', "not an RSS or Atom feed"),
])
def test_pages_and_feeds_that_hold_no_article_are_clear_errors(tmp_path: Path, name: str, content: str, reason: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    (err,) = _ingest(path)
    assert isinstance(err, IngestError) and str(err).startswith(f"{path}: {reason}")


def test_rss_entry_with_full_content_is_read_from_the_feed(tmp_path: Path):
    path = tmp_path / "ledger.rss"
    path.write_text((WEB / "feed.rss").read_text().replace("{base}", "https://circuit-ledger.example"))
    first = next(iter_documents([path]))
    assert isinstance(first, Document)
    assert first.title == "Quillwork names a new chief scientist"
    assert first.published == "2025-05-06"
    assert first.url == "https://circuit-ledger.example/2025/05/quillwork-chief-scientist"
    assert first.text.startswith("Quillwork has hired Dmitri Volkov")
    assert "teaser" not in first.text


def test_atom_feed_entries_become_documents():
    (doc,) = _ingest(WEB / "feed.atom")
    assert doc.title == "Hollis Mbeki leaves Quillwork to start a chip company"
    assert doc.published == "2025-06-02"
    assert doc.url == "https://robot-weekly.example/mbeki"
    assert "to found Tessellate Silicon" in doc.text


def test_csv_columns_are_configurable(tmp_path: Path):
    path = tmp_path / "export.csv"
    path.write_text('story_id,headline,body,link,pub_date\n'
                    'n1,Roe moves,"Jane Roe joined Acme, the firm said.\nShe starts in May.",https://x.example/1,2025-03-01\n'
                    'n2,Empty,,https://x.example/2,2025-03-02\n', encoding="utf-8")
    options = IngestOptions(columns=Columns.parse(["text=body", "id=story_id", "title=headline", "url=link",
                                                   "published=pub_date"]))
    doc, err = list(iter_documents([path], options))
    assert (doc.label, doc.title, doc.url, doc.published) == ("n1", "Roe moves", "https://x.example/1", "2025-03-01")
    assert doc.text == "Jane Roe joined Acme, the firm said.\nShe starts in May."
    assert str(err).startswith(f"{path}:4: record has no 'body' text")


def test_csv_without_the_text_column_names_the_columns_it_has(tmp_path: Path):
    path = tmp_path / "export.csv"
    path.write_text("id,body\n1,Jane Roe joined Acme.\n", encoding="utf-8")
    (err,) = _ingest(path)
    assert str(err) == f"{path}: no 'text' column (the columns are id, body; choose one with --column text=NAME)"


def test_a_csv_column_name_with_a_line_break_is_still_named_on_one_line(tmp_path: Path):
    path = tmp_path / "export.csv"
    path.write_text('"first\nline",body\n1,Jane Roe joined Acme.\n', encoding="utf-8")
    (err,) = _ingest(path)
    assert "\n" not in str(err) and "first\\nline, body" in str(err)


def test_jsonl_keys_are_configurable(tmp_path: Path):
    path = tmp_path / "bulk.jsonl"
    path.write_text('{"uid": 7, "content": "Jane Roe joined Acme.", "date": "March 3, 2025"}\n', encoding="utf-8")
    (doc,) = list(iter_documents([path], IngestOptions(columns=Columns.parse(["text=content", "id=uid",
                                                                                "published=date"]))))
    assert (doc.label, doc.published) == ("7", "2025-03-03")


def test_a_bad_column_setting_is_refused():
    with pytest.raises(ValueError, match="unknown field 'body'"):
        Columns.parse(["body=text"])
    with pytest.raises(ValueError, match="expected FIELD=COLUMN"):
        Columns.parse(["text"])


def test_mixed_encodings_are_decoded_line_by_line(tmp_path: Path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("Zoë Kessler joined Acme.\n".encode() + "René Dupont left Acme – reportedly.\n".encode("cp1252"))
    (doc,) = _ingest(path)
    assert doc.text == "Zoë Kessler joined Acme.\nRené Dupont left Acme – reportedly."


def test_a_200_mb_article_file_is_refused_without_reading_it(tmp_path: Path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    (err,) = _ingest(path)
    assert str(err) == f"{path}: file too large for one article (200 MB; the limit is 10 MB)"


def test_an_over_long_record_in_a_bulk_file_is_skipped_and_the_rest_read(tmp_path: Path):
    from talentflow.ingest import bulk

    path = tmp_path / "bulk.jsonl"
    long_text = "x" * (bulk.MAX_RECORD_BYTES + 10)
    path.write_text(f'{{"id": "a", "text": "{long_text}"}}\n{{"id": "b", "text": "Jane Roe joined Acme."}}\n')
    err, doc = _ingest(path)
    assert str(err) == f"{path}:1: record longer than 10 MB"
    assert doc.label == "b"


def test_binary_bulk_file_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "photo.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (err,) = _ingest(path)
    assert str(err) == f"{path}: binary file, not text"


def test_directories_of_any_mix_are_read(tmp_path: Path):
    import shutil

    shutil.copy(WEB / "lumen-hires.html", tmp_path / "page.html")
    (tmp_path / "sub").mkdir()
    shutil.copy(WEB / "feed.atom", tmp_path / "sub" / "feed.atom")
    (tmp_path / "notes.txt").write_text("Jane Roe joined Acme.", encoding="utf-8")
    (tmp_path / "rows.csv").write_text("text\nJohn Roe left Acme.\n", encoding="utf-8")
    docs = _ingest(tmp_path)
    assert all(isinstance(d, Document) for d in docs), docs
    assert sorted(Path(d.source_path).name for d in docs) == ["feed.atom", "notes.txt", "page.html", "rows.csv"]


def test_the_same_page_read_twice_gives_the_same_document():
    first, second = _ingest(WEB / "lumen-hires.html", WEB / "lumen-hires.html")
    assert isinstance(second, Document) and first.id == second.id


def test_a_saved_page_without_a_declared_charset_is_read_as_utf8_or_windows_1252(tmp_path: Path):
    page = "<html><body><article><p>René Dupont has joined Acme Robotics – the firm said so.</p></article></body>"
    (tmp_path / "utf8.html").write_bytes(page.encode("utf-8"))
    (tmp_path / "old.html").write_bytes(page.encode("cp1252"))
    old, utf8 = _ingest(tmp_path / "old.html", tmp_path / "utf8.html")
    assert old.text == utf8.text == "René Dupont has joined Acme Robotics – the firm said so."


def test_a_document_without_a_publication_date_takes_the_one_of_its_url_or_dateline(tmp_path: Path):
    from talentflow.dates import date_from_text, date_from_url

    assert date_from_url("https://example.org/2026/01/30/lab-head-leaves") == "2026-01-30"
    assert date_from_url("https://example.org/tech/2023/05/story") == "2023-05"
    assert date_from_url("https://example.org/ai-talent-war-2024-4") == "2024-04"
    assert date_from_url("https://example.org/news/2025-02-30-story") is None  # no such day
    assert date_from_text("SAN MATEO, March 3, 2025 -- Orchid Lab hired Jo Pike.") == "2025-03-03"
    assert date_from_text("Orchid news\nPublished: 14 March 2025\n\nJo Pike left.") == "2025-03-14"
    assert date_from_text("On March 3, 2021, Jo Pike founded Orchid Lab.") is None  # a date in the story
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps({"id": "r1", "url": "https://example.org/2025/06/02/pike",
                                   "text": "Jo Pike has left Orchid Lab."}) + "\n", encoding="utf-8")
    (doc,) = iter_documents([records])
    assert doc.published == "2025-06-02"
