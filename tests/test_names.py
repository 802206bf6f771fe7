"""People and organizations in the text: names the tokenizer and the model get wrong, on sentences
we wrote ourselves."""

from __future__ import annotations

import json
from importlib import resources

from talentflow.orgs import load_gazetteer, tidy_org_name


def _mentions(extractor, text: str) -> tuple[list[str], list[str]]:
    m = extractor.rules.mentions(extractor.nlp(text))
    return [p.name for p in m.people], [o.name for o in m.orgs]


def test_a_name_keeps_its_lowercase_particles(extractor):
    people, _ = _mentions(extractor, "Initech has hired Frans van Houten and Maria de Souza from Hooli.")
    assert {"Frans van Houten", "Maria de Souza"} <= set(people)


def test_a_surname_with_its_particle_is_the_person_named_in_full_before(extractor):
    people, _ = _mentions(extractor, "Databricks hired Marco De Luca. De Luca will join in May.")
    assert set(people) == {"Marco De Luca"}


def test_a_companys_field_after_its_possessive_is_not_part_of_its_name(extractor):
    _, orgs = _mentions(extractor, "Tom Fisk will oversee HP’s AI push.")
    assert orgs == ["HP"]


def test_ai_written_with_periods_is_a_field_not_an_organization(extractor):
    _, orgs = _mentions(extractor, "Lena Vogt, who headed A.I. efforts at Nvidia, recently launched a school.")
    assert orgs == ["Nvidia"]


def test_a_datelines_dash_is_not_part_of_a_name(extractor):
    people, _ = _mentions(extractor, "May 2 -- Jun-Ho Park, who chairs Halvik Ventures, wants to build a firm.")
    assert people == ["Jun-Ho Park"]


def test_an_untagged_hyphenated_given_name_is_part_of_the_name(extractor):
    # The model tags no entity here; the name was cut to "Ling Zhou" before.
    people, _ = _mentions(extractor, "(Daily Wire) May 2 -- Mei-Ling Zhou, who chairs Halvik Ventures, wants to "
                                     "build a robotics firm.")
    assert "Mei-Ling Zhou" in people and "Ling Zhou" not in people


def test_a_verb_in_ing_is_not_part_of_a_name(extractor):
    people, _ = _mentions(extractor, "Joining Karin Olsen at Globex is Tom Fisk, a speech researcher.")
    assert "Karin Olsen" in people and not any(p.startswith("Joining") for p in people)


def test_a_name_ending_in_ing_is_a_name(extractor):
    people, _ = _mentions(extractor, "Ruoming Pang, who led the models team, is leaving Apple.")
    assert "Ruoming Pang" in people


def test_bylines_and_photo_credits_are_not_people_in_the_story(extractor):
    people, _ = _mentions(extractor, "By Jane Roebuck\nPhoto: Tom Fiskar/Reuters\nKarin Olsen has left Globex.")
    assert people == ["Karin Olsen"]


def test_a_name_with_a_digit_is_a_product_not_a_person(extractor):
    # The small model tags both PERSON; "he" after them must not stand for a model release.
    people, _ = _mentions(extractor, "Boris Mentor 4 Turbo beat rivals. Lena Vogt 3 Large was released by Initech.")
    assert people == []


def test_a_generation_after_a_surname_is_part_of_the_name(extractor):
    people, _ = _mentions(extractor, "Wright Olsen III left Initech. Olsen joined Globex in May.")
    assert people == ["Wright Olsen III", "Wright Olsen III"]


def test_ive_is_a_surname(extractor):
    people, _ = _mentions(extractor, "Jony Ive left Apple in 2019.")
    assert people == ["Jony Ive"]


def test_a_known_name_with_a_period_inside_is_one_word_and_ends_no_sentence(extractor):
    doc = extractor.nlp("Investors paid Character.AI roughly $2 billion for a license while hiring its founders Tomas "
                        "Brandt and Ana Ruiz.")
    assert "Character.AI" in [t.text for t in doc] and len(list(doc.sents)) == 1
    _, orgs = _mentions(extractor, doc.text)
    assert orgs == ["Character.AI"]


def test_an_organizations_name_ends_in_a_capitalised_word(extractor):
    # The model runs "United" into the verb after it: "United marks".
    _, orgs = _mentions(extractor, "Her appointment at United marks the first step taken by the new owners.")
    assert orgs == ["United"]


def test_hyphenated_first_names_are_written_as_in_the_text(extractor):
    people, _ = _mentions(extractor, "Li-Wei Zhang has joined Globex.")
    assert "Li-Wei Zhang" in people


def test_a_role_tagged_with_a_name_is_a_person(extractor):
    people, orgs = _mentions(extractor, "CTO Barret Zoph and co-founder Luke Metz joined OpenAI last month.")
    assert "Barret Zoph" in people and all("Zoph" not in o for o in orgs)


def test_organizations_are_normalised_through_aliases_and_legal_suffixes():
    gazetteer = load_gazetteer()
    assert gazetteer.canonical("Citigroup Inc.") == "Citi"
    assert gazetteer.canonical("The Walt Disney Company") == "Disney"
    assert tidy_org_name("Reckitt Benckiser Group Plc") == "Reckitt Benckiser"
    assert tidy_org_name("Carlsberg A/S") == "Carlsberg"
    assert tidy_org_name("Group") == "Group"


def test_a_short_organization_name_is_the_full_one_named_in_the_document(extractor):
    text = "Arizona State University named Jane Roe dean. Roe joins Arizona State from Globex."
    _, orgs = _mentions(extractor, text)
    assert "Arizona State" not in orgs


def test_an_organization_named_with_its_place_and_state_keeps_the_place_not_the_brackets(extractor):
    _, orgs = _mentions(extractor, "Lena Park left her role as CEO of Denver (Colo.) University Health System.")
    assert "Denver University Health System" in orgs
    _, orgs = _mentions(extractor, "Bristol (Tenn.) Regional Medical Center CEO Omar Reyes stepped down.")
    assert "Bristol Regional Medical Center" in orgs
    assert tidy_org_name("Lakeview (Minn.) Hospital") == "Lakeview Hospital"


def test_an_institution_of_a_place_is_named_with_the_place(extractor):
    _, orgs = _mentions(extractor, "Dana Whitfield has been appointed president of the University System of Georgia.")
    assert "University System of Georgia" in orgs
    _, orgs = _mentions(extractor, "Globex hired Omar Reyes, a professor at Rice University in Texas.")
    assert "Rice University" in orgs  # "in Texas" is where it is, not its name


def test_a_company_named_with_a_descriptive_suffix_is_named_as_the_article_also_names_it(extractor):
    _, orgs = _mentions(extractor, "Jose Ramos left Nissan Motor Co in January. Nissan declined to comment.")
    assert orgs == ["Nissan", "Nissan"]
    _, orgs = _mentions(extractor, "Vantalis Motors hired Jane Roe as its finance chief last week.")
    assert orgs == ["Vantalis Motors"]  # never named in short: the full name stands


def test_a_dateline_dash_is_not_part_of_an_organization():
    assert tidy_org_name("-Initech") == "Initech"
    assert tidy_org_name("— Globex Corp") == "Globex"


def test_an_organization_tagged_once_is_the_same_organization_where_it_comes_again_untagged(extractor):
    text = ("Halvik Robotics loses its founder\n\nHalvik Robotics is going through a hard year. "
            "Dana Whitfield left Halvik Robotics in May.")
    _, orgs = _mentions(extractor, text)
    assert orgs == ["Halvik Robotics"] * 3


def test_the_gazetteer_gives_each_name_one_organization_and_a_known_kind():
    data = json.loads(resources.files("talentflow.data").joinpath("organizations.json").read_text(encoding="utf-8"))
    owners: dict[str, str] = {}
    for org in data["organizations"]:
        assert org["kind"] in {"company", "lab", "university", "media", "government"}, org["name"]
        for name in [org["name"], *org["aliases"]]:
            assert owners.setdefault(name.lower(), org["name"]) == org["name"], f"{name} names two organizations"
    data_file = resources.files("talentflow.data").joinpath("not_organizations.json")
    blocked = json.loads(data_file.read_text(encoding="utf-8"))
    sources = {n.lower() for n in blocked["media_sources"] + blocked["products"]}
    assert not sources & set(owners), "a name is both an organization and a source or product"
    gazetteer = load_gazetteer()
    assert gazetteer.canonical("Hyundai Motor Co") == "Hyundai"
    assert gazetteer.lookup("JLR") is not None and gazetteer.canonical("JLR") == "Jaguar Land Rover"


def test_a_one_word_brand_ending_in_an_institution_word_is_an_organization(extractor):
    # The model tags "QuillworkAI" as a person and leaves "HalvikBio" untagged.
    people, orgs = _mentions(extractor, "Lena Vogt, a co-founder of QuillworkAI, has joined Nvidia.")
    assert "QuillworkAI" in orgs and "QuillworkAI" not in people
    _, orgs = _mentions(extractor, "HalvikBio has hired Tom Fisk as chief executive.")
    assert "HalvikBio" in orgs


def test_a_brand_in_short_is_the_brand_named_in_full(extractor):
    text = "HalvikBio has hired Tom Fisk as chief executive. Fisk comes to Halvik from Nvidia."
    _, orgs = _mentions(extractor, text)
    assert "Halvik" not in orgs and "HalvikBio" in orgs


def test_an_ex_before_an_organization_is_no_part_of_its_name(extractor):
    _, orgs = _mentions(extractor, "Ex-Nvidia CRO Jane Roe and special projects lead Tom Fisk founded the business.")
    assert orgs == ["Nvidia"]


def test_capitalised_words_inside_a_title_are_not_a_name(extractor):
    people, _ = _mentions(extractor, "Globex appointed Omar Reyes as Chief Human Resources Officer.")
    assert people == ["Omar Reyes"]
