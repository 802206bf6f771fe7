"""Every CLI command, run as a user runs it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import FIXTURES
from talentflow.cli import app
from talentflow.ingest import iter_documents


def _jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_extract_jsonl_follows_the_contract(runner):
    result = runner.invoke(app, ["extract", str(FIXTURES / "articles"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    claims = _jsonl(result.stdout)
    assert claims
    texts = {str(d.label): d.text for d in iter_documents([str(FIXTURES / "articles")])}
    keys = {
        "doc",
        "kind",
        "person",
        "from_org",
        "to_org",
        "from_unit",
        "to_unit",
        "role",
        "date",
        "status",
        "confidence",
        "evidence",
    }
    for c in claims:
        assert set(c) == keys
        assert c["kind"] in ("move", "founding")
        assert c["status"] in ("confirmed", "reported", "planned")
        assert 0 <= c["confidence"] <= 1
        text = texts[c["doc"]]
        assert text[c["evidence"]["start"] : c["evidence"]["end"]] == c["evidence"]["text"]
    assert {"kind": "founding", "person": "Maria Ortiz", "to_org": "Quillwork"}.items() <= next(
        c for c in claims if c["kind"] == "founding" and c["person"] == "Maria Ortiz"
    ).items()


def test_extract_hides_refusals_unless_all_statuses(runner):
    path = str(FIXTURES / "bulk.jsonl")
    default = _jsonl(runner.invoke(app, ["extract", path, "--format", "jsonl"]).stdout)
    everything = _jsonl(runner.invoke(app, ["extract", path, "--format", "jsonl", "--all-statuses"]).stdout)
    assert all(c["person"] != "Sam Vega" for c in default)
    assert any(c["person"] == "Sam Vega" and c["status"] == "denied" for c in everything)
    assert all(c["person"] != "Richard Hendricks" for c in everything)  # a dinner is not a job


def test_extract_table_is_the_default(runner):
    result = runner.invoke(app, ["extract", str(FIXTURES / "bulk.jsonl")])
    assert result.exit_code == 0
    assert "Dana Whitlock" in result.stdout and "claims" in result.stdout


def test_ingest_is_idempotent_and_prints_a_summary(runner, db):
    args = ["ingest", str(FIXTURES / "articles"), str(FIXTURES / "bulk.jsonl"), "--db", db]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("5 new, 0 unchanged, 0 failed documents;")
    moves_before = runner.invoke(app, ["moves", "--db", db, "--format", "jsonl", "--all-statuses"]).stdout
    second = runner.invoke(app, args)
    assert second.stdout.startswith("0 new, 5 unchanged, 0 failed documents; 0 claims found")
    assert runner.invoke(app, ["moves", "--db", db, "--format", "jsonl", "--all-statuses"]).stdout == moves_before


def test_ingest_reports_bad_inputs_and_goes_on(runner, db, tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    result = runner.invoke(
        app,
        ["ingest", "/no/such.txt", str(empty), str(binary), str(FIXTURES / "articles" / "acme-hires.txt"), "--db", db],
    )
    assert result.exit_code == 1
    assert "/no/such.txt: no such file or directory" in result.stderr
    assert f"{empty}: empty file" in result.stderr
    assert f"{binary}: binary file, not text" in result.stderr
    assert result.stdout.startswith("1 new, 0 unchanged, 3 failed documents;")


def test_moves_filters_and_formats(runner, db):
    runner.invoke(app, ["ingest", str(FIXTURES / "bulk.jsonl"), str(FIXTURES / "articles"), "--db", db])
    rows = _jsonl(runner.invoke(app, ["moves", "--db", db, "--org", "Hooli", "--format", "jsonl"]).stdout)
    assert [(r["person"], r["from_org"], r["to_org"]) for r in rows] == [("Dana Whitlock", "Pied Piper", "Hooli")]
    assert rows[0]["evidence"][0]["url"] == "https://example.org/hooli"
    out = runner.invoke(app, ["moves", "--db", db, "--format", "csv", "--since", "2025-05"]).stdout
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert {r["person"] for r in parsed} == {"Dana Whitlock"}
    assert runner.invoke(app, ["moves", "--db", db, "--until", "2024"]).exit_code == 0
    bad = runner.invoke(app, ["moves", "--db", db, "--since", "last tuesday"])
    assert bad.exit_code == 2 and "--since 'last tuesday': not a date" in bad.stderr
    table = runner.invoke(app, ["moves", "--db", db, "--person", "maria ortiz"]).stdout
    assert "Maria Ortiz" in table and "Initech" in table


def test_person_and_org_commands(runner, db):
    runner.invoke(app, ["ingest", str(FIXTURES / "articles"), "--db", db])
    person = runner.invoke(app, ["person", "Maria Ortiz", "--db", db, "--format", "jsonl"])
    rows = _jsonl(person.stdout)
    assert {(r["kind"], r["from_org"], r["to_org"]) for r in rows} == {
        ("move", "Initech", None),
        ("founding", None, "Quillwork"),
    }
    org = runner.invoke(app, ["org", "Initech", "--db", db, "--format", "jsonl"])
    assert {(r["relation"], r["person"]) for r in _jsonl(org.stdout)} == {
        ("left", "Maria Ortiz"),
        ("left", "Ben Adler"),
    }
    assert "left Initech" in runner.invoke(app, ["org", "Initech", "--db", db]).stdout
    missing = runner.invoke(app, ["person", "Nobody Here", "--db", db])
    assert missing.exit_code == 1 and "Nobody Here: no such person" in missing.stderr


def test_flows_lists_inflow_and_outflow(runner, db):
    runner.invoke(app, ["ingest", str(FIXTURES / "articles"), str(FIXTURES / "bulk.jsonl"), "--db", db])
    rows = _jsonl(runner.invoke(app, ["flows", "--db", db, "--format", "jsonl"]).stdout)
    outflow = {r["org"]: r["outflow"] for r in rows if r["list"] == "outflow"}
    assert outflow["Initech"] == 2
    assert "largest inflow" in runner.invoke(app, ["flows", "--db", db]).stdout


def test_explain_shows_kept_and_dropped_candidates(runner):
    result = runner.invoke(app, ["explain", str(FIXTURES / "bulk.jsonl")])
    assert result.exit_code == 0
    assert "hire:hire" in result.stdout and "Dana Whitlock" in result.stdout


def test_every_command_has_help(runner):
    for command in ("ingest", "extract", "explain", "moves", "person", "org", "flows", "eval"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Example" in result.stdout, command
