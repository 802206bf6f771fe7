"""The ingest job end to end: syndicated copies, failures counted, --jobs, and a process killed
in the middle of a large ingest."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from synthetic import write_jsonl

from conftest import FIXTURES
from talentflow.cli import app
from talentflow.ingest import IngestOptions
from talentflow.models import Document
from talentflow.pipeline import run_ingest
from talentflow.query import list_moves
from talentflow.store import Store

SYNDICATION = FIXTURES / "syndication"


def _whitfield(store: Store) -> list[dict]:
    return [m for m in list_moves(store, person="Sarah Whitfield") if m["to_org"] == "Nimbus Robotics"]


def test_a_syndicated_copy_is_stored_as_a_copy_not_a_second_source(db: str):
    store = Store(db)
    summary = run_ingest([SYNDICATION / "original.txt", SYNDICATION / "copy-elsewhere.html"], store)
    assert (summary.new, summary.copies, summary.failed) == (1, 1, 0)
    (move,) = _whitfield(store)
    assert (move["sources"], move["copies"]) == (1, 1)
    (copy,) = move["evidence"][0]["copies"]
    assert copy["url"] == "https://valley-digest.example/tech/nimbus-lands-whitfield"
    with sqlite3.connect(db) as conn:
        copy_id, original_id = conn.execute("SELECT id, copy_of FROM documents WHERE copy_of IS NOT NULL").fetchone()
        assert conn.execute("SELECT count(*) FROM claims WHERE document_id = ?", (copy_id,)).fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM claims WHERE document_id = ?", (original_id,)).fetchone()[0] > 0


def test_an_independent_report_in_other_words_is_a_second_source(db: str):
    store = Store(db)
    run_ingest([SYNDICATION], store)
    (move,) = _whitfield(store)
    assert (move["sources"], move["copies"]) == (2, 1)


def test_a_copy_is_recognised_in_a_later_run(db: str):
    run_ingest([SYNDICATION / "original.txt"], Store(db))
    summary = run_ingest([SYNDICATION / "copy-elsewhere.html"], Store(db))
    assert (summary.new, summary.copies) == (0, 1)
    assert _whitfield(Store(db))[0]["copies"] == 1


def test_a_copy_cut_short_is_still_a_copy(db: str, tmp_path: Path):
    text = (SYNDICATION / "original.txt").read_text()
    body = text.split("\n\n", 1)[1]
    short = tmp_path / "brief.txt"
    short.write_text("TITLE: In brief\n\n" + body[: int(len(body) * 0.6)] + "\n\nMore at our site.")
    summary = run_ingest([SYNDICATION / "original.txt", short], Store(db))
    assert summary.copies == 1


def test_failures_are_counted_the_batch_goes_on_and_the_exit_status_is_1(runner, db: str, tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.rss").write_text("<rss version='2.0'><channel><title>cut", encoding="utf-8")
    (tmp_path / "rows.jsonl").write_text('{"id": "r1", "text": "Jane Roe joined Acme Robotics."}\n{oops\n',
                                         encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(SYNDICATION / "original.txt"), str(tmp_path), "--db", db])
    assert result.exit_code == 1
    assert f"{tmp_path / 'empty.txt'}: empty file" in result.stderr
    assert f"{tmp_path / 'broken.rss'}: broken feed (" in result.stderr
    assert f"{tmp_path / 'rows.jsonl'}:2: not valid JSON" in result.stderr
    assert result.stdout.startswith("2 new, 0 unchanged, 3 failed documents;")
    again = runner.invoke(app, ["ingest", str(SYNDICATION / "original.txt"), "--db", db])
    assert again.exit_code == 0 and again.stdout.startswith("0 new, 1 unchanged, 0 failed documents;")


def test_urls_file_with_a_bad_line_counts_it_as_a_failure(runner, db: str, tmp_path: Path, web):
    url = web.add("/story", (SYNDICATION / "original.txt").read_text(), content_type="text/plain")
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# today's links\n{url}\nftp://files.example/x\n\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", "--urls", str(listing), "--allow-private", "127.0.0.1", "--rate", "100",
                                 "--db", db])
    assert result.exit_code == 1
    assert f"{listing}:3: not an http(s) URL: ftp://files.example/x" in result.stderr
    assert result.stdout.startswith("1 new, 0 unchanged, 1 failed documents;")


def test_a_url_on_a_private_address_is_refused_without_allow_private(runner, db: str, web):
    url = web.add("/story", "Jane Roe joined Acme Robotics.", content_type="text/plain")
    result = runner.invoke(app, ["ingest", url, "--db", db])
    assert result.exit_code == 1 and "use --allow-private" in result.stderr


def _counts(db: str) -> tuple[int, ...]:
    with sqlite3.connect(db) as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                     for table in ("documents", "claims", "moves", "people", "organizations"))


def _claims_per_document(db: str) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT d.label, count(c.id) FROM documents d LEFT JOIN claims c "
                                 "ON c.document_id = d.id GROUP BY d.label").fetchall())


def test_jobs_give_the_same_database_as_one_process(tmp_path: Path):
    bulk = tmp_path / "bulk.jsonl"
    write_jsonl(bulk, 40)
    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    run_ingest([bulk], Store(one), IngestOptions())
    summary = run_ingest([bulk], Store(two), IngestOptions(), jobs=2)
    assert summary.new == 40 and summary.failed == 0
    assert _counts(one) == _counts(two)
    assert _claims_per_document(one) == _claims_per_document(two)


def test_a_process_killed_mid_ingest_leaves_whole_documents_and_a_rerun_finishes_the_work(tmp_path: Path):
    bulk = tmp_path / "bulk.jsonl"
    write_jsonl(bulk, 150)
    command = [sys.executable, "-m", "talentflow.cli", "ingest", str(bulk), "--db"]
    reference = str(tmp_path / "reference.db")
    subprocess.run([*command, reference], check=True, capture_output=True)

    killed = str(tmp_path / "killed.db")
    process = subprocess.Popen([*command, killed], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if os.path.exists(killed) and _stored(killed) >= 20:
            break
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(killed) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    partial, complete = _claims_per_document(killed), _claims_per_document(reference)
    assert 20 <= len(partial) < 150
    assert all(partial[label] == complete[label] for label in partial)  # no document without its claims

    subprocess.run([*command, killed], check=True, capture_output=True)
    assert _counts(killed) == _counts(reference)
    assert _claims_per_document(killed) == complete


def _stored(db: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_document_that_cannot_be_extracted_fails_alone_in_its_batch(extractor):
    from talentflow.pipeline import extract_batch

    good = Document.from_text("Orchid Lab has hired Jo Pike as head of research.", label="good",
                              published="2025-06-01")
    broken = Document(id="broken", text=None, label="broken")  # type: ignore[arg-type]
    found = extract_batch(extractor, [good, broken, good])
    assert isinstance(found[1], str) and found[1].startswith("TypeError")
    assert found[0] == found[2] and {c.person for c in found[0]} == {"Jo Pike"}  # type: ignore[union-attr]
