"""Unnamed groups that move, on sentences we wrote ourselves."""

from __future__ import annotations

import json

from talentflow.cli import app
from talentflow.models import Document


def _groups(extractor, text: str) -> set[tuple[str, str, str]]:
    result = extractor.run(Document.from_text(text, label="t"))
    return {(g.type, g.org, g.count_text) for g in result.groups}


def test_a_counted_group_that_leaves_is_a_group_claim(extractor):
    groups = _groups(extractor, "Over half of the 14 authors of the paper have left Globex since then.")
    assert groups == {("left", "Globex", "half of the 14 authors of the paper")}


def test_a_hired_group_joins_the_hirer(extractor):
    assert _groups(extractor, "Meta hired several OpenAI researchers last month.") == {
        ("joined", "Meta", "several OpenAI researchers")}


def test_named_people_are_not_a_group(extractor):
    assert _groups(extractor, "Nadia Petrov and Ben Ito left Globex.") == set()


def test_groups_are_printed_only_when_asked(runner, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Dozens of Initech engineers joined Hooli in May. Dana Roe left Initech.", encoding="utf-8")
    plain = [json.loads(x) for x in runner.invoke(app, ["extract", str(path), "--format", "jsonl"]).stdout.splitlines()]
    asked = runner.invoke(app, ["extract", str(path), "--format", "jsonl", "--groups"]).stdout.splitlines()
    groups = [g for g in map(json.loads, asked) if g["kind"] == "group"]
    assert all(c["kind"] != "group" for c in plain)
    assert [(g["type"], g["org"], g["count_text"]) for g in groups] == [
        ("joined", "Hooli", "Dozens of Initech engineers")]
    text = path.read_text(encoding="utf-8")
    assert text[groups[0]["evidence"]["start"] : groups[0]["evidence"]["end"]] == groups[0]["evidence"]["text"]
