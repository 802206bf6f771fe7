"""Candidate generators on sentences we wrote ourselves: which (person, organization) pairs the
scorer gets to decide on, and where each organization came from."""

from __future__ import annotations

from talentflow.models import Document


def _pairs(extractor, text: str) -> set[tuple[str, str, str]]:
    document = Document.from_text(text, label="t")
    dc = extractor.candidates(document, extractor.nlp(document.text))
    return {(c.person, c.org.org, c.org.source) for c in dc.candidates}


def test_every_person_meets_every_organization_of_a_cue_sentence(extractor):
    pairs = _pairs(extractor, "Meta hired Lena Park and Omar Haddad from OpenAI.")
    assert {(p, o) for p, o, _ in pairs} >= {("Lena Park", "Meta"), ("Lena Park", "OpenAI"),
                                            ("Omar Haddad", "Meta"), ("Omar Haddad", "OpenAI")}


def test_a_sentence_without_a_cue_gives_no_candidate(extractor):
    assert _pairs(extractor, "Lena Park and Omar Haddad spoke about OpenAI and Meta at a conference.") == set()


def test_an_organization_only_in_the_context_is_a_candidate(extractor):
    # An organization the gazetteer does not know, so that the rules do not guess it ("unsaid").
    text = "Northwind Robotics Inc. is reorganising its AI unit. Karin Olsen joins as chief scientist."
    pairs = _pairs(extractor, text)
    assert ("Karin Olsen", "Northwind Robotics", "previous") in pairs


def test_an_unknown_proper_noun_in_an_employer_slot_is_a_candidate(extractor):
    pairs = _pairs(extractor, "Jane Roebuck joined Anthropic after working at Tesla and Quorvex.")
    assert ("Jane Roebuck", "Quorvex", "propn") in pairs


def test_a_subject_pronoun_stands_for_the_person_named_before(extractor):
    pairs = _pairs(extractor, "Karin Olsen ran research at Globex for years. She has left Anthropic.")
    assert ("Karin Olsen", "Anthropic", "sentence") in pairs


def test_the_rules_resolve_the_company(extractor):
    pairs = _pairs(extractor, "Citigroup announced record sales. Its CFO Jane Roe will leave the company in March.")
    assert any(p == "Jane Roe" and o == "Citi" for p, o, _ in pairs)


def test_items_of_a_list_set_apart_by_semicolons_keep_their_own_organizations(extractor):
    text = ("Her new venture was backed by names like Omar Haddad, the co-founder and CEO of Reddit; "
            "Dana Whitfield, former CEO of Nest; and Brennan Lowe.")
    assert {(p, o) for p, o, _ in _pairs(extractor, text)} == {("Omar Haddad", "Reddit"), ("Dana Whitfield", "Nest")}


def test_the_news_agency_of_a_dateline_is_not_the_organization_in_the_context(extractor):
    text = "(CNN) - Halvik Bank is reorganising. Dana Whitfield joins as chief risk officer."
    orgs = {o for p, o, src in _pairs(extractor, text) if src != "sentence"}
    assert "CNN" not in orgs and "Halvik Bank" in orgs
