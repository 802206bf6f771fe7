"""Hostile and unlucky input, each case a file we generate: nothing hangs, nothing is lost silently,
and one bad input is one error line while the rest of the batch goes on."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from talentflow.ingest import IngestError, iter_documents
from talentflow.models import Document

STORY = "Orchid Lab has hired Jo Pike as head of research."


def _read(*paths: Path) -> tuple[list[Document], list[IngestError]]:
    items = list(iter_documents([str(p) for p in paths]))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, IngestError)]


def test_directory_link_loops_are_read_once_and_reported(tmp_path: Path):
    root = tmp_path / "news"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "story.txt").write_text(STORY, encoding="utf-8")
    for name, target in (("loop1", root), ("loop2", root / "a"), ("loop3", root / "a" / "b")):
        (root / "a" / "b" / name).symlink_to(target, target_is_directory=True)
    docs, errors = _read(root)
    assert len(docs) == 1
    assert len(errors) == 3 and all("already read" in e.reason for e in errors)


def test_a_broken_link_is_an_error_not_a_silence(tmp_path: Path):
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    docs, errors = _read(tmp_path)
    assert len(docs) == 1 and [e.reason for e in errors] == ["broken link (it points to nothing)"]


def test_an_unreadable_subdirectory_is_an_error(tmp_path: Path):
    (tmp_path / "ok.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "secret.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "locked").chmod(0o000)
    command = [sys.executable, "-c", "from talentflow.cli import app; app()", "extract", str(tmp_path),
               "--format", "jsonl"]
    if os.geteuid() == 0:  # root reads any directory: run without the capabilities that allow it
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot make a directory unreadable")
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--", *command]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert f"{tmp_path / 'locked'}: cannot read directory: Permission denied" in result.stderr, result.stderr
    assert result.returncode == 1 and "Jo Pike" in result.stdout


def test_a_deeply_nested_jsonl_record_fails_alone(tmp_path: Path):
    records = tmp_path / "feed.jsonl"
    nested = "[" * 100_000 + "]" * 100_000
    records.write_text("\n".join([json.dumps({"id": "a", "text": STORY}), '{"id": "b", "x": ' + nested + "}",
                                  json.dumps({"id": "c", "text": STORY.replace("Jo", "Al")})]), encoding="utf-8")
    docs, errors = _read(records)
    assert [d.label for d in docs] == ["a", "c"]
    assert [str(e) for e in errors] == [f"{records}:2: JSON nested too deeply to read"]


def test_one_nul_byte_spoils_only_its_own_text(tmp_path: Path):
    records = tmp_path / "feed.jsonl"
    records.write_bytes(json.dumps({"id": "a", "text": STORY}).encode() + b"\n"
                        + b'{"id": "b", "text": "Al Roe has left Orchid\x00 Lab."}\n')
    docs, errors = _read(records)
    assert errors == [] and [d.label for d in docs] == ["a", "b"]
    assert "\x00" not in docs[1].text


def test_a_csv_field_over_the_limit_fails_alone_and_is_named_by_its_line(tmp_path: Path):
    table = tmp_path / "feed.csv"
    big = "word " * (2_200_000 + 1)  # over 10 MB, on lines of its own
    lines = big.replace("word word word word word ", "word word word word word\n")
    table.write_text(f'id,text\na,"{STORY}"\nb,"{lines}"\nc,"{STORY.replace("Jo", "Al")}"\n', encoding="utf-8")
    docs, errors = _read(table)
    assert [d.label for d in docs] == ["a", "c"]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{table}:3: broken CSV (field larger than field limit")


def test_an_unclosed_csv_quote_is_an_error_and_the_rows_after_it_are_read(tmp_path: Path):
    table = tmp_path / "feed.csv"
    table.write_text(f'id,text\na,"{STORY}\nb,Al Roe has left Orchid Lab.\nc,Mo Li has joined Orchid Lab.\n',
                     encoding="utf-8")
    docs, errors = _read(table)
    assert [d.label for d in docs] == ["b", "c"]
    assert len(errors) == 1 and str(errors[0]).startswith(f"{table}:2: broken CSV (a quote opened here is never closed")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "shift_jis", "gb18030"])
def test_text_in_other_encodings_is_read_right(tmp_path: Path, encoding: str):
    text = ("オーキッド研究所はジョー・パイクを研究責任者として採用したと発表した。" * 3 if encoding == "shift_jis"
            else "兰花实验室宣布聘请乔·派克担任研究主管。" * 3 if encoding == "gb18030" else STORY * 3)
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode(encoding))
    docs, errors = _read(path)
    assert errors == [] and docs[0].text == text


def test_binary_files_are_still_refused(tmp_path: Path):
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 64)
    docs, errors = _read(path)
    assert docs == [] and errors[0].reason == "binary file, not text"


def test_markup_and_escape_sequences_in_names_and_text_print_as_plain_text(runner, tmp_path: Path, monkeypatch):
    from talentflow.cli import app

    monkeypatch.chdir(tmp_path)  # short relative names: the table shows them whole
    marked = Path("x [bold].txt")
    marked.write_text("Orchid Lab has hired Jo Pike [red]as head of research[/red].", encoding="utf-8")
    escaping = Path("evil\x1b[2J.txt")
    escaping.write_text("Orchid Lab has hired Al Roe\x1b]0;pwned\x07 as head of research.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(marked), str(escaping), "gone [/i].txt"])
    assert result.exit_code == 1  # the missing file
    flat = re.sub(r"[\s│┃]", "", result.stdout)  # the table wraps long cells
    assert "x[bold].txt" in flat
    assert "error: gone [/i].txt: no such file or directory" in result.stderr
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr and "\x07" not in result.stdout


def test_an_article_over_a_million_characters_is_read_in_pieces(extractor):
    first, last = "Orchid Lab has hired Jo Pike as head of research.", "Globex has hired Al Roe as chief scientist."
    filler = ("q" * 999 + " ") * 1_050  # long words: more than a million characters, cheap to parse
    text = f"{first}\n\n{filler}\n\n{last}"
    assert len(text) > 1_000_000
    document = Document.from_text(text, label="long", published="2025-06-01")
    found = {c.person: c for c in extractor.extract(document)}
    assert {"Jo Pike", "Al Roe"} <= set(found)
    evidence = found["Al Roe"].evidence  # offsets index the whole text, not its last piece
    assert document.text[evidence.start:evidence.end] == evidence.text == last
