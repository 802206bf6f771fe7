"""Features of candidates: general shapes of the parse, on sentences we wrote ourselves."""

from __future__ import annotations

from talentflow.extract.features import list_head, title
from talentflow.models import Document
from talentflow.nlp import load_pipeline


def _tok(doc, word: str):
    return next(t for t in doc if t.text == word)


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


def _title_features(extractor, text: str, person: str) -> dict[str, list[str]]:
    document = Document.from_text(text, label="t")
    dc = extractor.candidates(document, extractor.nlp(document.text))
    return {c.org.org: list(title(c, extractor.lexicon)) for c in dc.candidates if c.person == person}


def test_a_founders_title_says_whose_founder_the_person_is(extractor):
    by_org = _title_features(extractor, "Microsoft hired Dana Whitlock, co-founder and former CEO of Inflection AI.",
                             "Dana Whitlock")
    assert "title=founder&this" in by_org["Inflection AI"]
    assert "title=role&this&former=True" in by_org["Inflection AI"]
    assert "title=founder&other" in by_org["Microsoft"]


def test_a_bare_founders_title_names_no_company(extractor):
    # "Co-founder Jane Roe" alone: whose founder she is, the sentence does not say (often the article's company).
    by_org = _title_features(extractor, "Halvik Robotics is losing its early team. Co-founder Jane Roe left for "
                             "Globex last year.", "Jane Roe")
    assert "title=founder&bare" in by_org["Halvik Robotics"]


def test_a_relative_clause_after_a_name_is_not_a_title_written_at_it(extractor):
    by_org = _title_features(extractor, "Jane Roe, who co-founded Halvik Robotics in 2019, said she was leaving "
                             "the company to travel.", "Jane Roe")
    assert by_org["Halvik Robotics"] == []


def test_a_bare_founders_title_in_a_list_after_a_named_employer_is_told_apart(extractor):
    # "Initech CEO Jane Roe, co-founder Tom Fisk": the list may say whose co-founder he is; and the
    # title after Jane Roe's comma is Tom Fisk's, not hers.
    text = "Globex hired Initech CEO Jane Roe, co-founder Tom Fisk and two engineers."
    fisk = _title_features(extractor, text, "Tom Fisk")
    roe = _title_features(extractor, text, "Jane Roe")
    assert fisk and all("title=founder&bare_listed" in f for f in fisk.values())
    assert roe and not any(f.startswith("title=founder") for fs in roe.values() for f in fs)


def test_a_plural_title_is_shared_by_every_name_of_its_list(extractor):
    # "co-founders Jane Roe and Tom Fisk": both are co-founders; a singular title is the first name's alone.
    text = "Globex paid Halvik Robotics for a licence while hiring co-founders Jane Roe and Tom Fisk."
    for person in ("Jane Roe", "Tom Fisk"):
        assert "title=founder&bare" in _title_features(extractor, text, person)["Halvik Robotics"]
    fisk = _title_features(extractor, "Globex has hired Halvik co-founder Jane Roe and Tom Fisk.", "Tom Fisk")
    assert fisk and not any(f.startswith("title=") for fs in fisk.values() for f in fs)


def test_a_bare_title_after_the_organization_the_sentence_names_last_is_marked(extractor):
    by_org = _title_features(extractor, "Globex paid Halvik Robotics for a licence while hiring co-founders Jane Roe "
                             "and Tom Fisk.", "Tom Fisk")
    assert "title=founder&bare&org_just_before" in by_org["Halvik Robotics"]
    assert "title=founder&bare&org_just_before" not in by_org["Globex"]  # Halvik Robotics comes between


def test_a_title_is_read_before_the_whole_name_of_the_person(extractor):
    # The name's edges come from the person's mention. Read from the model's tags word by word, the
    # hyphen inside the surname cut the name short and the title before it was never reached.
    by_org = _title_features(extractor, "Halvik Robotics is losing staff. Co-founder Ngozi Okafor-Bassey left "
                             "for Globex.", "Ngozi Okafor-Bassey")
    assert "title=founder&bare" in by_org["Halvik Robotics"]


def test_others_leaving_the_same_organization_in_the_article_are_counted(extractor):
    # An article about an exodus: a third person's move names no organization she left, but two
    # others are read leaving the one the sentence before names.
    document = Document.from_text("Halvik Robotics is losing its engineers. Jane Roe left Halvik Robotics in May. "
                                  "Tom Fisk quit Halvik Robotics in June. Ana Ruiz has joined Globex.", label="t")
    dc = extractor.candidates(document, extractor.nlp(document.text))
    by_pair = {(c.person, c.org.org): c for c in dc.candidates}
    assert by_pair["Ana Ruiz", "Halvik Robotics"].org_others == {"left": 2, "joined": 0, "founded": 0}
    assert by_pair["Jane Roe", "Halvik Robotics"].org_others["left"] == 1  # herself not counted
    assert "ctx|org_others_left=3" in by_pair["Ana Ruiz", "Halvik Robotics"].features


def test_a_person_the_rules_read_moving_to_another_organization_is_marked(extractor):
    # Nothing in the second sentence says she left Initech; that she joins Globex in the article does.
    document = Document.from_text("Globex has hired Dana Whitlock as its chief executive. Whitlock, who has run "
                                  "Initech since 2021, starts in May.", label="t")
    dc = extractor.candidates(document, extractor.nlp(document.text))
    by_org = {c.org.org: c for c in dc.candidates if c.person == "Dana Whitlock"}
    assert by_org["Initech"].person_elsewhere == {"left": 0, "joined": 1, "founded": 0}
    assert "person_elsewhere_joined" in by_org["Initech"].features
    assert by_org["Globex"].person_elsewhere["joined"] == 0  # the organization she joins is not elsewhere
