"""The knowledge graph built from articles we wrote (tests/fixtures/graph): several outlets telling
one move, two people sharing a surname, a unit named without its parent, a cohort whose members
stayed, left, and left to found a company. Every answer is checked exactly."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import networkx
import pytest
from followthemoney import model
from sqlalchemy import select, text

from conftest import FIXTURES, flows_recount, summaries_disagree
from talentflow.export import export
from talentflow.ingest import IngestError, iter_documents
from talentflow.models import Claim, Document, Evidence
from talentflow.orgs import load_gazetteer
from talentflow.query import (
    NotFound,
    _people_named_with,
    alumni,
    career,
    cohort_status,
    counts,
    doubtful_pairs,
    flows,
    list_moves,
    net_flow,
    org_report,
    search,
)
from talentflow.schema import metadata, person_names
from talentflow.store import Store

GRAPH = FIXTURES / "graph"
LATER = FIXTURES / "graph-later"


def ingest(store: Store, extractor, *paths: Path) -> None:
    for doc in iter_documents([str(p) for p in paths]):
        assert not isinstance(doc, IngestError), doc
        store.save(doc, extractor.extract(doc))


POSTGRES = os.environ.get("TALENTFLOW_TEST_POSTGRES")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not POSTGRES, reason="set TALENTFLOW_TEST_POSTGRES to a URL"))])
def store(request, tmp_path, extractor) -> Iterator[Store]:
    """The graph of tests/fixtures/graph, in a SQLite file and (when given) on a PostgreSQL server."""
    if request.param == "sqlite":
        store = Store(str(tmp_path / "graph.db"))
    else:
        store = Store(POSTGRES)
        with store.engine.begin() as conn:
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())
    ingest(store, extractor, GRAPH)
    yield store
    store.close()


def test_three_outlets_reporting_one_move_make_one_move_with_three_sources(store):
    (move,) = list_moves(store, person="Lena Hartmann")
    assert (move["from_org"], move["to_org"], move["to_unit"]) == ("OpenAI", "Meta", "Meta Superintelligence Labs")
    assert (move["sources"], move["status"], move["denials"]) == (3, "confirmed", 0)
    assert (move["first_seen"], move["first_seen_precision"]) == ("2025-06-10", "day")
    assert (move["effective_date"], move["effective_precision"]) == ("2025-06-09", "day")
    assert [e["url"] for e in move["evidence"]] == [
        "https://wire.example/hartmann-meta",
        "https://daily.example/2025/06/11/meta-hires",
        "https://weekly.example/talent/hartmann",
    ]
    assert career(store, "lena hartmann")["names"] == ["Lena Hartmann", "Lena M. Hartmann"]


def test_reingesting_or_adding_a_source_never_duplicates_a_move(store, extractor):
    before = counts(store)
    ingest(store, extractor, GRAPH)
    assert counts(store) == before
    ingest(store, extractor, LATER / "l-silva-again.txt")
    (move,) = list_moves(store, person="Ana Silva")
    assert move["sources"] == 2 and move["effective_date"] == "2025-07"
    assert counts(store)["moves"] == before["moves"]


def test_two_people_sharing_a_surname_stay_apart(store):
    assert [s["to_org"] for s in career(store, "Wei Zhang")["steps"]] == ["Google"]
    assert [s["to_org"] for s in career(store, "Hui Zhang")["steps"]] == ["Anthropic"]
    with pytest.raises(NotFound, match="several people match"):
        career(store, "Zhang")
    assert not any("Zhang" in p["person_a"] for p in doubtful_pairs(store))


def test_a_unit_named_without_its_parent_counts_for_the_parent(store):
    (move,) = list_moves(store, person="Omar Haddad")
    assert (move["from_org"], move["from_unit"], move["to_org"], move["to_unit"]) == (
        "Meta", "FAIR", "Google", "Google DeepMind")
    assert {m["person"] for m in list_moves(store, org="Facebook")} >= {"Omar Haddad"}
    assert {m["person"] for m in list_moves(store, org="DeepMind")} == {"Omar Haddad", "Wei Zhang"}
    report = org_report(store, "Meta")
    assert report["kind"] == "company"
    assert {"FAIR", "Meta Superintelligence Labs"} <= set(report["units"])
    # Alumni of Meta, read from the departures the store keeps, count FAIR's: as counted from moves.
    assert "Omar Haddad" in {r["person"] for r in alumni(store, "Meta")["alumni"]}
    assert summaries_disagree(store) == []


def test_flows_count_moves_between_organizations(store):
    pairs = {(f["from_org"], f["to_org"]): f["moves"] for f in flows(store)}
    assert pairs == {
        ("OpenAI", "Meta"): 2,
        ("Google", "Anthropic"): 2,  # Alexei and Aleksei Petrov: doubtful, so two people until merged
        ("Meta", "Google"): 1,
        ("Meta", "OpenAI"): 1,
        ("Microsoft", "Google"): 1,
        ("OpenAI", "Anthropic"): 1,
    }
    assert {(f["from_org"], f["to_org"]) for f in flows(store, org="Anthropic")} == {
        ("Google", "Anthropic"), ("OpenAI", "Anthropic")}
    assert {(f["from_org"], f["to_org"]) for f in flows(store, since="2025-06", until="2025-07")} == {
        ("OpenAI", "Meta")}


def test_net_flow_between_two_organizations_in_a_window(store):
    result = net_flow(store, "OpenAI", "Facebook")
    assert (result["a"], result["b"], result["a_to_b"], result["b_to_a"], result["net_to_b"]) == (
        "OpenAI", "Meta", 2, 1, 1)
    assert [m["person"] for m in result["moves_a_to_b"]] == ["Ana Silva", "Lena Hartmann"]
    assert [m["person"] for m in result["moves_b_to_a"]] == ["Carlos Mendes"]
    later = net_flow(store, "OpenAI", "Meta", since="2025-08")
    assert (later["a_to_b"], later["b_to_a"], later["net_to_b"]) == (0, 1, -1)


def test_alumni_lists_where_each_went_and_what_they_founded(store):
    result = alumni(store, "Meta")
    rows = [(r["person"], r["left_date"], r["went_to"], [f["org"] for f in r["founded"]]) for r in result["alumni"]]
    assert rows == [
        ("Carlos Mendes", "2025-08-20", "OpenAI", []),
        ("Omar Haddad", "2025-02-05", "Google", []),
        ("Tomas Berg", "2025-01", "Fathomline", ["Fathomline"]),
    ]
    assert all(r["evidence"] for r in result["alumni"])
    assert [r["person"] for r in alumni(store, "FAIR")["alumni"]] == ["Omar Haddad"]
    assert [r["person"] for r in alumni(store, "Meta", since="2025-02")["alumni"]] == ["Carlos Mendes", "Omar Haddad"]


def test_cohort_status_counts_who_stayed_left_and_founded(store):
    names = [n for n in (FIXTURES / "orchid-authors.txt").read_text().splitlines() if n and not n.startswith("#")]
    assert store.create_cohort("orchid", "Facebook", names) == 4
    result = cohort_status(store, "orchid")
    assert (result["org"], result["members"], result["left"], result["stayed"], result["no_reports"],
            result["founded"]) == ("Meta", 4, 2, 1, 1, 1)
    assert [(p["name"], p["status"], p.get("went_to")) for p in result["people"]] == [
        ("Priya Raman", "no reports", None),
        ("Lena Hartmann", "stayed", None),
        ("Omar Haddad", "left", "Google"),
        ("Tomas Berg", "left", "Fathomline"),
    ]
    with pytest.raises(ValueError, match="exists already"):
        store.create_cohort("orchid", "Meta", names)
    with pytest.raises(NotFound):
        cohort_status(store, "nope")


def test_a_career_is_told_in_time_order_with_stints(store):
    result = career(store, "Tomas Berg")
    assert [(s["kind"], s["from_org"], s["to_org"], s["date"]) for s in result["steps"]] == [
        ("move", "Meta", None, "2025-01"),
        ("founding", None, "Fathomline", "2025-05-20"),
    ]
    assert [(s["org"], s["start"], s["end"], s["founder"]) for s in result["stints"]] == [
        ("Meta", None, "2025-01", False),
        ("Fathomline", "2025-05-20", None, True),
    ]
    assert all(s["evidence"][0]["url"] == "https://wire.example/fathomline" for s in result["steps"])


def test_doubtful_names_wait_for_a_merge_that_later_reports_respect(store, extractor):
    (pair,) = doubtful_pairs(store)
    assert {pair["person_a"], pair["person_b"]} == {"Alexei Petrov", "Aleksei Petrov"}
    assert pair["reason"] == "first names spelt alike"
    store.merge_people("Alexei Petrov", "Aleksei Petrov")
    (move,) = list_moves(store, person="Petrov")
    assert (move["person"], move["sources"], move["from_org"], move["to_org"]) == (
        "Alexei Petrov", 2, "Google", "Anthropic")
    assert doubtful_pairs(store) == []
    ingest(store, extractor, LATER / "m-petrov-profile.txt")  # a new report under the merged name
    (move,) = list_moves(store, person="Petrov")
    assert move["sources"] == 3
    assert career(store, "Aleksei Petrov")["person"] == "Alexei Petrov"


def test_a_split_name_becomes_its_own_person_and_stays_apart(store, extractor):
    store.split_person("Lena M. Hartmann")
    (move,) = list_moves(store, person="Lena Hartmann")
    assert (move["person"], move["sources"]) == ("Lena Hartmann", 2)
    (split,) = list_moves(store, person="Lena M. Hartmann")
    assert (split["person"], split["sources"]) == ("Lena M. Hartmann", 1)
    with pytest.raises(ValueError, match="nothing to split"):
        store.split_person("Lena M. Hartmann")
    later = Document.from_text("Lena M. Hartmann joined Meta from OpenAI in June.", published="2025-07-01",
                               label="later")
    store.save(later, extractor.extract(later))  # a later report under the split name follows the split
    assert [m["sources"] for m in list_moves(store, person="Lena M. Hartmann")] == [2]
    store.merge_people("Lena Hartmann", "Lena M. Hartmann")
    assert list_moves(store, person="Lena M. Hartmann")[0]["sources"] == 4
    # The flow counts the store keeps follow splits and merges: they are a recount of the moves.
    recount = flows_recount(store)
    assert {(f["from_org"], f["to_org"]): f["moves"] for f in flows(store)} == recount and recount
    assert summaries_disagree(store) == []


def test_a_search_for_part_of_a_name_finds_every_spelling_that_contains_it(store, extractor):
    store.split_person("Lena M. Hartmann")  # a spelling changes person, twice
    store.merge_people("Lena Hartmann", "Lena M. Hartmann")
    with store.engine.connect() as conn:
        keys = list(conn.execute(select(person_names.c.key)).scalars())
        parts = {k[i : i + n] for k in keys for i in range(0, len(k), 2) for n in (3, 6)} | {"zzz", "ann"}
        for part in parts:
            indexed = set(conn.execute(_people_named_with(conn, part)).scalars())
            scanned = set(conn.execute(select(person_names.c.person_id).where(
                person_names.c.key.contains(part, autoescape=True))).scalars())
            assert indexed == scanned, part
        if store.engine.dialect.name == "sqlite":  # read from the trigram index, not every spelling
            plan = conn.execute(text("EXPLAIN QUERY PLAN SELECT rowid FROM person_names_search "
                                     "WHERE key LIKE '%hartm%'")).all()
            assert "VIRTUAL TABLE" in str(plan)
    assert [p["name"] for p in search(store, "m. hartm")["people"]] == ["Lena Hartmann"]
    assert [p["name"] for p in search(store, "Hartmann")["people"]] == ["Lena Hartmann"]


def test_dates_filter_on_the_effective_or_the_reported_date(store):
    effective = list_moves(store, since="2025-06", dates="effective")
    assert [m["person"] for m in effective] == ["Lena Hartmann"]
    reported = list_moves(store, since="2025-06", until="2025-07", dates="reported")
    assert [m["person"] for m in reported] == ["Ana Silva", "Lena Hartmann"]
    assert [m["person"] for m in list_moves(store, until="2025-01")] == ["Tomas Berg"]


def test_a_user_organizations_file_sets_kinds_and_units(tmp_path, extractor):
    store = Store(str(tmp_path / "orgs.db"), gazetteer=load_gazetteer(str(FIXTURES / "my-orgs.json")))
    ingest(store, extractor, GRAPH / "i-berg.txt", GRAPH / "a-hartmann-wire.txt")
    assert org_report(store, "Fathomline Inc.")["org"] == "Fathomline"
    assert org_report(store, "OpenAI")["kind"] == "lab"
    assert load_gazetteer(str(FIXTURES / "my-orgs.json")).company_and_unit("Orchid Lab").org == "Meta"
    assert load_gazetteer(str(FIXTURES / "my-orgs.json")).lookup("Facebook").name == "Meta"


def test_an_organization_that_becomes_a_unit_counts_its_departures_for_its_parent(tmp_path):
    db = str(tmp_path / "units.db")
    store = Store(db)  # the bundled organizations: Orchid Lab is nobody's unit
    text = "Rosa Lind left Orchid Lab for Globex."  # our own sentence
    doc = Document.from_text(text, published="2025-03-02", label="lind")
    store.save(doc, [Claim(kind="move", person="Rosa Lind", from_org="Orchid Lab", to_org="Globex",
                           status="confirmed", date="2025-03", evidence=Evidence(text, 0, len(text)))])
    assert alumni(store, "Orchid Lab")["total"] == 1
    store.close()
    store = Store(db, gazetteer=load_gazetteer(str(FIXTURES / "my-orgs.json")))  # now a unit of Meta
    assert [r["person"] for r in alumni(store, "Meta")["alumni"]] == ["Rosa Lind"]
    assert summaries_disagree(store) == []
    store.close()


def test_export_csv_and_jsonl(store):
    out = io.StringIO()
    assert export(store, "csv", out) == counts(store)["moves"]
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    lena = next(r for r in rows if r["person"] == "Lena Hartmann")
    assert (lena["from_org"], lena["to_org"], lena["sources"]) == ("OpenAI", "Meta", "3")
    assert len(lena["urls"].split()) == 3
    out = io.StringIO()
    export(store, "jsonl", out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {r["type"] for r in records} == {"organization", "person", "move"}
    assert sum(r["type"] == "move" for r in records) == counts(store)["moves"]
    assert next(r for r in records if r.get("name") == "FAIR")["parent"] == "Meta"


def test_export_graphml_loads_in_networkx_with_flows_weighted(store):
    out = io.StringIO()
    export(store, "graphml", out)
    graph = networkx.read_graphml(io.BytesIO(out.getvalue().encode()))
    labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    assert len(graph.nodes) == counts(store)["organizations"] + counts(store)["people"]
    by_label = {v: k for k, v in labels.items()}
    flow = graph.get_edge_data(by_label["OpenAI"], by_label["Meta"])
    assert (flow["relation"], flow["weight"]) == ("flow", 2)
    founded = graph.get_edge_data(by_label["Tomas Berg"], by_label["Fathomline"])
    assert founded["relation"] == "founded"


def test_export_ftm_gives_valid_followthemoney_entities(store):
    out = io.StringIO()
    export(store, "ftm", out)
    entities = [model.get_proxy(json.loads(line)) for line in out.getvalue().splitlines()]
    by_id = {e.id: e for e in entities}
    names = {e.first("name"): e for e in entities if e.schema.is_a("LegalEntity")}
    assert names["Tomas Berg"].schema.name == "Person" and names["FAIR"].schema.name == "Organization"
    assert by_id[names["FAIR"].first("parent")].first("name") == "Meta"
    jobs = [(by_id[e.first("employer")].first("name"), e.first("startDate"), e.first("endDate"), e.first("role"))
            for e in entities if e.schema.name == "Employment" and e.first("employee") == names["Tomas Berg"].id]
    assert jobs == [("Meta", None, "2025-01", None), ("Fathomline", "2025-05-20", None, "Founder")]


def test_a_syndicated_copy_counts_beside_its_original_not_as_a_source(store: Store):
    from talentflow.pipeline import run_ingest

    syndication = FIXTURES / "syndication"
    summary = run_ingest([syndication / "original.txt", syndication / "copy-elsewhere.html",
                          syndication / "original.txt"], store)
    assert (summary.new, summary.copies, summary.unchanged) == (1, 1, 1)
    (move,) = [m for m in list_moves(store, person="Sarah Whitfield") if m["to_org"] == "Nimbus Robotics"]
    assert (move["sources"], move["copies"]) == (1, 1)
    assert run_ingest([syndication / "copy-elsewhere.html"], store).unchanged == 1


def test_a_review_changes_the_graph_at_once(store: Store):
    (move,) = list_moves(store, person="Lena Hartmann")
    first, *others = [e["claim"] for e in move["evidence"]]
    store.review_claim(first, "wrong")
    (move,) = list_moves(store, person="Lena Hartmann")
    assert move["sources"] == 2 and first not in [e["claim"] for e in move["evidence"]]
    new_move = store.review_claim(others[0], "correct", to_org="Anthropic")
    assert new_move != move["id"]
    assert {m["to_org"] for m in list_moves(store, person="Lena Hartmann")} == {"Meta", "Anthropic"}
