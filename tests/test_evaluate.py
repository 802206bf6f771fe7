"""Scoring against gold labels, on a tiny corpus of our own."""

from __future__ import annotations

import json
from pathlib import Path

from talentflow.cli import app
from talentflow.evaluate import same_person


def _corpus(tmp_path: Path) -> Path:
    """A corpus folder in the shared layout: gold/ and articles.jsonl."""
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a1.gold.json").write_text(json.dumps({"doc": "a1.txt", "items": [
        {"type": "joined", "person": "Lena Park", "org": "Google", "unit": "Google DeepMind", "optional": False},
        {"type": "left", "person": "Lena Park", "org": "OpenAI", "optional": False},
        {"type": "left", "person": "Omar Haddad", "org": "Apple", "optional": False},
        {"type": "joined", "person": "Iris Wong", "org": "Meta", "optional": True},
    ]}), encoding="utf-8")
    (gold / "a2.gold.json").write_text(json.dumps({"doc": "a2.txt", "items": []}), encoding="utf-8")
    articles = tmp_path / "articles.jsonl"
    articles.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a1", "text": "OpenAI researcher Lena Park has joined DeepMind. Iris Wong joined Meta. "
                             "Carl Berg has left Amazon."},
        {"id": "a2", "text": "Meta CEO Mark Zuckerberg spoke at a conference on Tuesday."},
    ]), encoding="utf-8")
    return tmp_path


def test_eval_counts_matches_misses_and_ignores_optional_items(runner, tmp_path: Path):
    corpus = _corpus(tmp_path)
    result = runner.invoke(app, ["eval", str(corpus), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)["scores"]
    # joined Google via the unit alias DeepMind; left OpenAI from the premodifier; Iris Wong is optional.
    assert (scores["joined"]["tp"], scores["joined"]["fp"], scores["joined"]["fn"]) == (1, 0, 0)
    assert (scores["left"]["tp"], scores["left"]["fp"], scores["left"]["fn"]) == (1, 1, 1)  # Carl Berg; Omar Haddad
    assert scores["overall"]["precision"] == round(2 / 3, 3)
    assert json.loads(result.stdout)["claims_on_negative_docs"] == {f"{corpus.name}/a2": 0}


def test_eval_show_errors_and_floors(runner, tmp_path: Path):
    corpus = _corpus(tmp_path)
    shown = runner.invoke(app, ["eval", str(corpus), "--show-errors"])
    assert f"false positive: {corpus.name}/a1 left Carl Berg | Amazon" in shown.stdout
    assert f"false negative: {corpus.name}/a1 left Omar Haddad | Apple" in shown.stdout
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"overall": {"precision": 0.9}}), encoding="utf-8")
    failed = runner.invoke(app, ["eval", str(corpus), "--floors", str(floors)])
    assert failed.exit_code == 1 and "overall precision 0.667 < 0.9" in failed.stderr


def test_names_match_ignoring_case_accents_and_initials():
    assert same_person("Karén Simonyan", "karen simonyan")
    assert same_person("J. Schulman", "John Schulman")
    assert same_person("Daniel De Freitas", "daniel de-freitas")
    assert not same_person("Daniel Gross", "Daniel Levy")
    assert not same_person("Anna Wang", "Alexandr Wang")


def test_names_match_with_or_without_a_generation():
    assert same_person("Wright Olsen III", "Wright Olsen")
    assert same_person("Tom Fisk Jr.", "Tom Fisk")
    assert not same_person("Tom Fisk Jr.", "Tom Jr.")


def test_eval_graph_scores_the_claims_per_article_and_the_resolved_moves_once_per_person(runner, tmp_path: Path):
    gold = tmp_path / "gold"
    gold.mkdir()
    lena = [{"type": "left", "person": "Lena Park", "org": "OpenAI"},
            {"type": "joined", "person": "Lena Park", "org": "Anthropic"}]
    (gold / "b1.gold.json").write_text(json.dumps({"doc": "b1.txt", "items": lena}), encoding="utf-8")
    (gold / "b2.gold.json").write_text(json.dumps({"doc": "b2.txt", "items": [
        *lena, {"type": "left", "person": "Omar Haddad", "org": "Apple"}]}), encoding="utf-8")
    (tmp_path / "articles.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "b1", "url": "https://example.org/2025/03/04/park", "text": "Lena Park has left OpenAI to join "
                                                                           "Anthropic, she said on Monday."},
        {"id": "b2", "url": "https://example.org/2025/03/09/moves", "text": "Anthropic hired Lena Park from OpenAI "
                                                                            "last week. Carl Berg has left Amazon."},
    ]), encoding="utf-8")
    result = runner.invoke(app, ["eval", "--graph", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    overall = figures["graph"]["overall"]
    # Lena Park's move told twice counts once; Carl Berg is not in the gold; Omar Haddad is missed.
    assert (overall["tp"], overall["fp"], overall["fn"]) == (2, 1, 1)
    # The same run scores the claims per article, where her move counts in each article that tells it.
    claims = figures["scores"]["overall"]
    assert (claims["tp"], claims["fp"], claims["fn"]) == (4, 1, 1)
    assert figures["unsupported"] == [] and figures["moves"] == 2
