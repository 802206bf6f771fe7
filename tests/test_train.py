"""Fitting and cross-validating the scorer on a tiny corpus we wrote (tests/fixtures/corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES
from talentflow.cli import app
from talentflow.extract.scorer import load_scorer
from talentflow.extract.train import THRESHOLDS, fit, folds_of, label, load_corpus, prepare

CORPUS = FIXTURES / "corpus"


@pytest.fixture(autouse=True)
def few_trees(monkeypatch):
    # These tests check fitting, folds and reports, not the forest's figures: 15 trees instead of the
    # shipped 150 make each fit ten times faster (sklearn's cost is per tree on a corpus this small).
    monkeypatch.setattr("talentflow.extract.train.TREES", 15)


@pytest.fixture(scope="module")
def prepared(extractor):
    corpus = load_corpus(CORPUS)
    return corpus, prepare([corpus], extractor)


def test_train_writes_weights_that_the_same_corpus_reproduces(runner, tmp_path: Path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        result = runner.invoke(app, ["train", str(CORPUS), "--output", str(path)])
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    scorer = load_scorer(first)
    assert set(scorer.models) == {"left", "joined", "founded"} and scorer.meta["corpora"] == {"corpus": 10}


def test_folds_split_articles_never_one_in_two_folds(prepared):
    _, docs = prepared
    folds = folds_of(docs, 3)
    seen = [i for fold in folds for i in fold]
    assert sorted(seen) == list(range(len(docs))) and all(folds)


def test_labels_follow_the_gold_and_leave_refusals_out(prepared, extractor):
    corpus, docs = prepared
    by_doc = {d.doc: d for d in docs}
    hired = by_doc["c02"]
    pairs = zip(hired.candidates.pairs, hired.labels, strict=True)
    labels = {(p.first.person, p.first.org.org): lab for p, lab in pairs}
    assert labels[("Omar Haddad", "Initech")] == {"left": 0, "joined": 1, "founded": 0}
    refusal = by_doc["c05"]
    relabelled = label(refusal.candidates, corpus.gold["c05"], extractor.gazetteer)
    denied = [lab for p, lab in zip(refusal.candidates.pairs, relabelled, strict=True) if p.first.status == "denied"]
    assert denied and all(set(lab.values()) == {None} for lab in denied)


def test_eval_cross_validates_by_article_and_reports_per_corpus(runner):
    result = runner.invoke(app, ["eval", "--folds", "2", str(CORPUS), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["folds"] == 2 and set(report["per_corpus"]) == {"corpus"}
    assert report["candidate_recall"]["items"] == 15
    assert set(report["scores"]) == {"left", "joined", "founded", "overall"}


def test_eval_refuses_a_folder_that_is_not_a_corpus(runner, tmp_path: Path):
    result = runner.invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2 and "not a corpus" in result.stderr


def test_eval_reports_each_forest_seed_and_keeps_seed_0_as_the_figure(runner):
    one = json.loads(runner.invoke(app, ["eval", "--folds", "2", str(CORPUS), "--format", "jsonl"]).stdout)
    result = runner.invoke(app, ["eval", "--folds", "2", "--seeds", "2", str(CORPUS), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [s["seed"] for s in report["seeds"]] == [0, 1]
    assert report["seeds"][0]["scores"] == report["scores"] == one["scores"]
    table = runner.invoke(app, ["eval", "--folds", "2", "--seeds", "2", str(CORPUS)])
    assert "cross-validated over 2 forest seeds" in table.stdout and "mean" in table.stdout
    refused = runner.invoke(app, ["eval", "--seeds", "2", str(CORPUS)])
    assert refused.exit_code == 2 and "--seeds 2" in refused.stderr


def test_a_forest_seed_gives_other_trees_and_the_same_seed_the_same(prepared):
    _, docs = prepared
    def trees(seed: int) -> list:
        # Uncalibrated: the calibration's inner forests would only repeat the same check five times over.
        return [fit(docs, seed=seed, calibrated=False).models[t].to_json() for t in ("left", "joined", "founded")]
    assert trees(0) == trees(0) and trees(0) != trees(1)


def test_each_type_is_claimed_over_its_own_threshold(prepared):
    # A departure needs more than a join or a founding (its claims are the least precise); a threshold
    # given to fit replaces its type's.
    _, docs = prepared
    assert THRESHOLDS["left"] > max(THRESHOLDS["joined"], THRESHOLDS["founded"])
    scorer = fit(docs, thresholds={"founded": 0.7}, calibrated=False)
    assert {t: m.threshold for t, m in scorer.models.items()} == {**THRESHOLDS, "founded": 0.7}
