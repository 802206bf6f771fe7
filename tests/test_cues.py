"""Move cues: words and phrases from the vocabulary, found in sentences we wrote ourselves."""

from __future__ import annotations

from talentflow.extract.cues import CueFinder
from talentflow.nlp import load_pipeline
from talentflow.orgs import Vocabulary, load_triggers


def _cues(text: str, finder: CueFinder | None = None) -> set[str]:
    nlp = load_pipeline()
    finder = finder or CueFinder(nlp, load_triggers())
    return {c.feature for c in finder.find(nlp(text))}


def test_verbs_and_event_nouns_are_cues_of_their_class():
    assert "leave:resign" in _cues("Jane Roe resigned from Globex on Monday.")
    assert "join:appointment" in _cues("The appointment of Jane Roe surprised analysts.")
    assert "hire:poach" in _cues("Initech poached two engineers from Hooli.")


def test_phrases_are_cues():
    assert "leave:cut ties with" in _cues("Jane Roe cut ties with Globex last year.")
    assert "join:took the reins" in _cues("Tom Fisk took the reins at Initech in May.")
    assert "history:prior to joining" in _cues("Prior to joining Hooli, Roe ran a small lab.")


def test_founding_words_are_cues_but_not_found_of_find_nor_foundation():
    assert "found:found" in _cues("Quorvex co-founder Nadia Petrov spoke first.")
    assert "found:found" in _cues("She left to found Quorvex.")
    assert not any(c.startswith("found:") for c in _cues("Researchers found that the Foundation models failed."))


def test_a_cue_is_a_line_of_data():
    data = {"cue_classes": {"join": ["extra_join_verbs"]}, "extra_join_verbs": ["enlist"],
            "cue_phrases": {"leave": ["hung up her boots"]}}
    finder = CueFinder(load_pipeline(), Vocabulary(data))
    assert _cues("Initech enlisted Jane Roe. Tom Fisk hung up her boots.", finder) == {
        "join:enlist", "leave:hung up her boots"}


def test_every_key_of_the_vocabulary_is_read_by_the_extractor(extractor):
    assert extractor.rules.words.unread() == set()


def test_the_pipeline_keeps_a_co_founder_one_word():
    # A fresh pipeline (load_pipeline is cached): the words come from the vocabulary, not from whoever
    # loaded the pipeline first.
    doc = load_pipeline.__wrapped__()("Co-founder Jane Roe and the other co-founders co-founded Halvik.")
    assert {"Co-founder", "co-founders", "co-founded"} <= {t.text for t in doc}
    assert "co" not in {t.lower_ for t in doc}
