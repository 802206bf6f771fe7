"""Features of candidates: general shapes of the parse, on sentences we wrote ourselves."""

from __future__ import annotations

from talentflow.extract.features import list_head, relation
from talentflow.models import Document
from talentflow.nlp import load_pipeline


def _tok(doc, word: str):
    return next(t for t in doc if t.text == word)


def test_relation_names_subject_object_and_preposition_of_a_cue():
    doc = load_pipeline()("Priya Raman left Google for Microsoft.")
    cue = _tok(doc, "left")
    assert relation(_tok(doc, "Raman"), cue) == "nsubj"
    assert relation(_tok(doc, "Google"), cue) == "dobj"
    assert relation(_tok(doc, "Microsoft"), cue) == "prep_for"


def test_every_item_of_a_list_stands_for_its_first_item():
    doc = load_pipeline()("Adept co-founders Ana Ruiz, Ben Ito and Chloe Dumas joined Amazon.")
    assert list_head(_tok(doc, "Dumas")).text == list_head(_tok(doc, "Ruiz")).text


def test_an_organization_from_the_context_has_features_of_its_own(extractor):
    # Not a company the gazetteer knows, so that no rule guesses it ("unsaid") and it stays the context's.
    document = Document.from_text("Northwind Robotics Inc. is reorganising. Karin Olsen joins as chief scientist.",
                                  label="t")
    dc = extractor.candidates(document, extractor.nlp(document.text))
    (cand,) = [c for c in dc.candidates if c.org.source == "previous"]
    assert cand.features and all(f.startswith("ctx|") for f in cand.features)


def test_a_refusal_is_marked_in_status_and_features(extractor):
    document = Document.from_text("Ben Ito declined an offer to join Initech.", label="t")
    dc = extractor.candidates(document, extractor.nlp(document.text))
    cand = next(c for c in dc.candidates if c.person == "Ben Ito")
    assert cand.status == "denied" and "status=denied" in cand.features
