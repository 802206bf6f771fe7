"""The scorer and the claims it decides, on sentences we wrote ourselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SAMPLES, claims_of, summary
from talentflow.extract import Extractor
from talentflow.extract.features import FEATURES
from talentflow.extract.scorer import ForestModel, Scorer, Tree, TypeModel, load_scorer
from talentflow.models import Document


def _forest() -> ForestModel:
    # Two stumps and a two-level tree: "a" raises the probability, "b" lowers it.
    trees = [
        Tree([0, -1, -1], [1, -1, -1], [2, -1, -1], [0.4, 0.1, 0.9]),
        Tree([1, -1, -1], [1, -1, -1], [2, -1, -1], [0.5, 0.7, 0.2]),
        Tree([0, 1, -1, -1, -1], [1, 3, -1, -1, -1], [4, 2, -1, -1, -1], [0.3, 0.2, 0.0, 0.25, 0.8]),
    ]
    return ForestModel(["a", "b"], trees, threshold=0.5)


def test_forest_probability_is_the_mean_of_its_leaves():
    forest = _forest()
    assert forest.probability(["a"]) == pytest.approx((0.9 + 0.7 + 0.8) / 3)
    assert forest.probability(["b", "unknown"]) == pytest.approx((0.1 + 0.2 + 0.0) / 3)


def test_forest_scores_many_pairs_at_once_as_it_scores_each():
    forest = _forest()
    lists = [[], ["a"], ["b"], ["a", "b"], ["unknown"], ["b", "a", "a"]]
    # Each tree walked by hand along its path: the leaf it ends in, averaged over the trees.
    walked = [sum(t.value[(t.path(forest._present(f)) or [(0, 0)])[-1][1]] for t in forest.trees) / 3 for f in lists]
    assert forest.votes(lists) == pytest.approx(walked)
    assert forest.votes([]) == []
    scorer = Scorer({"left": forest, "joined": TypeModel(-1.0, {"a": 2.0}, 0.4), "founded": forest}, ["cue"])
    assert scorer.probabilities_of(lists) == [pytest.approx(scorer.probabilities(f)) for f in lists]


def test_forest_contributions_add_up_to_the_probability():
    forest = _forest()
    for features in ([], ["a"], ["b"], ["a", "b"]):
        total = forest.base + sum(w for _, w in forest.contributions(features))
        assert total == pytest.approx(forest.probability(features))
    assert dict(forest.contributions(["a"]))["a"] > 0 and dict(forest.contributions(["b"]))["b"] < 0


def test_weights_survive_a_round_trip_through_json(tmp_path: Path):
    scorer = Scorer({"left": _forest(), "joined": TypeModel(-1.0, {"a": 2.0}, 0.4), "founded": _forest()}, ["cue"])
    path = tmp_path / "scorer.json"
    scorer.save(path)
    again = load_scorer(path)
    assert again.probabilities(["a"]) == pytest.approx(scorer.probabilities(["a"]))
    assert again.models["joined"].threshold == 0.4


def test_unreadable_weights_are_a_clear_error(tmp_path: Path):
    path = tmp_path / "scorer.json"
    path.write_text(json.dumps({"features": [], "types": {"left": {"kind": "oracle"}}}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"scorer\.json: cannot read the scorer's weights .*unknown model kind"):
        load_scorer(path)


def _taking_the_rules(*types: str) -> Scorer:
    """A scorer that takes every move of ``types`` the rules read, and nothing else, so that a test
    reads only how claims are made from them."""
    return Scorer({t: TypeModel(-4.0, {f"rule={t}": 8.0}) if t in types else TypeModel(-10.0, {})
                   for t in ("left", "joined", "founded")}, list(FEATURES))


def test_each_sentence_that_tells_a_move_on_its_own_is_a_claim_with_its_date():
    text = ("Priya Raman left Google in 2019 to study in Paris. She returned to California in 2022. "
            "Raman left Google again in March 2025.")
    claims = Extractor(scorer=_taking_the_rules("left")).extract(Document.from_text(text, label="t"))
    assert sorted((c.from_org, c.date) for c in claims) == [("Google", "2019"), ("Google", "2025-03")]


def test_a_return_told_with_the_first_departure_is_dated_by_its_own_verb():
    extractor = Extractor(scorer=_taking_the_rules("left", "joined"))
    text = ("Priya Raman departed Acme Robotics in 2017 to work at Globex, and rejoined Acme Robotics in "
            "February 2023 as its chief scientist.")
    claims = extractor.extract(Document.from_text(text, label="t", published="2024-08-02"))
    dates = {(c.from_org, c.to_org): c.date for c in claims}
    assert dates[(None, "Acme Robotics")] == "2023-02"
    assert dates[("Acme Robotics", None)] == "2017"
    text = "Tom Fisk, who left Initech in 2021 to build Quillwork, is returning to Initech this week."
    claims = extractor.extract(Document.from_text(text, label="t", published="2024-08-02"))
    assert [c.date for c in claims if c.to_org == "Initech"] == ["2024-08-02"]


def test_a_departure_takes_its_status_from_its_own_verb_not_from_a_nearer_founder_noun():
    extractor = Extractor(scorer=_taking_the_rules("left", "joined"))
    text = ("Dana Whitfield, Acme's chief scientist and the founder of its robotics lab, said she is leaving "
            "Acme at the end of the year to start a company.")
    claims = extractor.run(Document.from_text(text, label="t", published="2025-11-19")).claims
    assert [(c.from_org, c.date, c.status) for c in claims] == [("Acme", "2025", "planned")]


def test_a_founding_told_by_a_title_is_not_denied_with_the_move_the_sentence_denies():
    extractor = Extractor(scorer=_taking_the_rules("left", "founded"))
    text = "Halvik Bank has denied a report that its co-founder Dana Whitfield is leaving the bank."
    claims = extractor.run(Document.from_text(text, label="t", published="2025-11-19")).claims
    assert {(c.kind, c.status) for c in claims} == {("move", "denied"), ("founding", "confirmed")}


def test_a_departure_to_join_another_is_one_move_dated_by_the_departure():
    extractor = Extractor(scorer=_taking_the_rules("left", "joined"))
    text = "Priya Raman left Acme Robotics in 2018, joining Globex as head of research."
    claims = extractor.extract(Document.from_text(text, label="t", published="2024-08-02"))
    assert [(c.from_org, c.to_org, c.date) for c in claims] == [("Acme Robotics", "Globex", "2018")]


def test_a_plain_move_with_both_organizations_is_one_claim(extractor):
    claims = claims_of(extractor, "Priya Raman has left Google to join Microsoft as head of research.")
    assert ("move", "Priya Raman", "Google", "Microsoft") in summary(claims)


def test_a_founding_is_claimed(extractor):
    claims = claims_of(extractor, "Nadia Petrov co-founded Quorvex, a startup for editors, in 2024.")
    assert ("founding", "Nadia Petrov", None, "Quorvex") in summary(claims)


def test_a_current_role_is_not_a_move(extractor):
    assert claims_of(extractor, "Meta CEO Mark Zuckerberg spoke at a conference on Tuesday.") == []


def test_a_refusal_is_kept_apart_as_denied(extractor):
    text = "Ben Ito declined an offer to join Initech, saying he is not looking for a new role."
    assert claims_of(extractor, text) == []
    assert {c.status for c in claims_of(extractor, text, all_statuses=True)} <= {"denied", "rumored"}


def test_confidence_is_the_scorers_probability(extractor):
    document = Document.from_text("Priya Raman has left Google to join Microsoft.", label="t")
    result = extractor.run(document)
    (claim,) = [c for c in result.claims if c.from_org == "Google"]
    trace = next(t for t in result.traces if t.org == "Google")
    assert claim.confidence == pytest.approx(min(trace.probabilities["left"], next(
        t.probabilities["joined"] for t in result.traces if t.org == "Microsoft")), abs=1e-3)


def test_career_history_is_undated(extractor):
    claims = claims_of(extractor, "Tom Fisk spent nine years at Globex before joining Initech in 2021.")
    moves = [c for c in claims if c.from_org == "Globex"]
    assert moves and all(c.date in (None, "2021") for c in moves)


def test_evidence_indexes_the_text_as_given(extractor):
    text = "  Priya Raman has left Google.   \r\nShe joined Microsoft in May.  "
    document = Document.from_text(text, exact=True, label="t")
    for claim in extractor.extract(document):
        assert text[claim.evidence.start : claim.evidence.end] == claim.evidence.text


def test_a_role_is_a_verbatim_span(extractor):
    text = "Initech has hired Omar Haddad from Hooli as its new head of research , the company said."
    document = Document.from_text(text, label="t")
    roles = [c.role for c in extractor.rules.extract(document) if c.role]
    assert roles and all(r in text and not r.endswith((",", " ")) for r in roles)


def test_a_report_of_a_move_the_article_says_was_denied_is_denied(extractor):
    text = ("Halvik Bank chief stays put\n\n"
            "Halvik Bank's long-time chief executive Dana Whitfield dismissed speculation about an imminent "
            "departure, telling reporters that she expected to stay for years.\n"
            "A newspaper reported in May that Whitfield planned to leave Halvik Bank next year.")
    claims = claims_of(extractor, text, all_statuses=True)
    assert [(c.person, c.from_org, c.status) for c in claims] == [("Dana Whitfield", "Halvik Bank", "denied")]
    # A verb that denies a report is a denial word wherever it governs a move.
    assert extractor.report_denial_verbs <= extractor.rules._status_lemmas["denied"]


def test_the_company_someone_leaves_a_job_to_start_is_not_one_they_leave(extractor):
    # Our sample on Mistral AI says "Mensch left Google DeepMind in Paris to start the company."
    text = (SAMPLES / "21-mistral.txt").read_text(encoding="utf-8")
    claims = [c for c in claims_of(extractor, text) if c.person == "Arthur Mensch"]
    assert ("move", "Arthur Mensch", "Google", None) in summary(claims)
    assert ("founding", "Arthur Mensch", None, "Mistral AI") in summary(claims)
    assert not any(c.kind == "move" and c.from_org == "Mistral AI" for c in claims)
