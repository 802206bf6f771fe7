"""The JSON API over the sample articles: every endpoint, paging, each error, the token on writes,
and escaping of hostile article text in the pages."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from conftest import FIXTURES, SAMPLES, sample_copy
from talentflow.pipeline import run_ingest
from talentflow.web.app import create_app

TOKEN = "s3cret-token"
COHORT = SAMPLES.parent / "cohorts" / "openai-2024.txt"


@pytest.fixture
def client(sample_db: str, tmp_path: Path) -> TestClient:
    return TestClient(create_app(sample_copy(sample_db, tmp_path), token=TOKEN))


def test_home_gives_latest_moves_and_the_largest_flows_of_the_last_90_days(client: TestClient):
    home = client.get("/api/home").json()
    assert home["window"] == {"since": "2025-09-03", "until": "2025-12-02"}  # the newest sample report
    assert home["latest"] and all(m["evidence"] for m in home["latest"])
    assert home["top"]["inflow"][0]["inflow"] >= home["top"]["inflow"][-1]["inflow"]


def test_moves_filter_and_page(client: TestClient):
    first = client.get("/api/moves", params={"org": "Meta", "limit": 3}).json()
    assert len(first["items"]) == 3 and first["next_offset"] == 3
    second = client.get("/api/moves", params={"org": "Meta", "limit": 3, "offset": 3}).json()
    assert not {m["id"] for m in first["items"]} & {m["id"] for m in second["items"]}
    everything = client.get("/api/moves", params={"org": "Meta", "limit": 500}).json()
    assert everything["next_offset"] is None
    assert len(everything["items"]) == len(first["items"]) + len(second["items"]) + len(everything["items"][6:])
    people = client.get("/api/moves", params={"person": "Alexandr Wang", "kind": "founding"}).json()["items"]
    assert [(m["person"], m["to_org"]) for m in people] == [("Alexandr Wang", "Scale AI")]
    windowed = client.get("/api/moves", params={"since": "2025-07", "until": "2025-07"}).json()["items"]
    assert windowed and all(m["date"].startswith("2025-07") for m in windowed)


def test_a_move_has_its_sources_with_the_sentence_in_its_paragraph(client: TestClient):
    move = next(m for m in client.get("/api/moves", params={"limit": 500}).json()["items"] if m["sources"] == 2)
    detail = client.get(f"/api/moves/{move['id']}").json()
    assert len({e["doc"] for e in detail["evidence"]}) == 2
    for e in detail["evidence"]:
        assert e["paragraph"]["text"] == e["text"]


def test_flows_net_flow_alumni_sankey_and_timeline(client: TestClient):
    flows = client.get("/api/flows", params={"org": "Meta"}).json()
    openai_meta = next(f for f in flows if (f["from_org"], f["to_org"]) == ("OpenAI", "Meta"))
    assert openai_meta["moves"] >= 6  # the samples tell seven; the extractor finds at least six
    net = client.get("/api/flows/net", params={"a": "OpenAI", "b": "Meta", "since": "2025"}).json()
    assert net["a_to_b"] == len(net["moves_a_to_b"]) >= 1
    assert net["net_to_b"] == net["a_to_b"] - net["b_to_a"]
    alumni = client.get("/api/orgs/OpenAI/alumni", params={"limit": 2}).json()
    assert alumni["total"] >= len(alumni["alumni"]) == 2
    sankey = client.get("/api/orgs/Meta/sankey").json()
    names = {n["name"] for n in sankey["nodes"]}
    assert {"Meta", "from OpenAI", "from Apple"} <= names
    assert all(link["source"] in names and link["target"] in names for link in sankey["links"])
    timeline = client.get("/api/orgs/Meta/timeline").json()
    assert [m["month"] for m in timeline] == sorted(m["month"] for m in timeline)
    joined = client.get("/api/orgs/Meta").json()["joined"]
    assert sum(m["joined"] for m in timeline) == sum(1 for j in joined if j["date"] and len(j["date"]) >= 7) > 0


def test_org_person_cohorts_and_search(client: TestClient):
    org = client.get("/api/orgs/Meta").json()
    assert "Meta Superintelligence Labs" in org["units"] and org["joined"]
    person = client.get("/api/people/Alexandr Wang").json()
    assert person["person"] == "Alexandr Wang" and person["steps"]
    assert [c["name"] for c in client.get("/api/cohorts").json()] == ["openai-2024"]
    cohort = client.get("/api/cohorts/openai-2024").json()
    assert cohort["members"] == len(cohort["people"]) and cohort["org"] == "OpenAI"
    found = client.get("/api/search", params={"q": "meta"}).json()
    assert "Meta" in [o["name"] for o in found["organizations"]]
    assert "Alexandr Wang" in [p["name"] for p in client.get("/api/search", params={"q": "wang"}).json()["people"]]


@pytest.mark.parametrize(("path", "params", "status"), [
    ("/api/moves", {"limit": 0}, 422),
    ("/api/moves", {"limit": 501}, 422),
    ("/api/moves", {"offset": -1}, 422),
    ("/api/moves", {"since": "last year"}, 422),
    ("/api/moves", {"status": "maybe"}, 422),
    ("/api/moves", {"kind": "promotion"}, 422),
    ("/api/moves/999999", {}, 404),
    ("/api/moves/not-a-number", {}, 422),
    ("/api/orgs/No Such Org/alumni", {}, 404),
    ("/api/people/Nobody Anybody", {}, 404),
    ("/api/flows/net", {"a": "OpenAI", "b": "Nowhere Inc"}, 404),
    ("/api/flows/net", {"a": "OpenAI"}, 422),
    ("/api/cohorts/none", {}, 404),
    ("/api/search", {"q": ""}, 422),
    ("/api/claims/999999", {}, 404),
])
def test_bad_parameters_are_clear_4xx_errors(client: TestClient, path: str, params: dict, status: int):
    response = client.get(path, params=params)
    assert response.status_code == status
    assert response.json()["detail"]


def test_sql_in_a_parameter_is_only_text(client: TestClient):
    nothing = {"people": [], "organizations": [], "hits": []}
    assert client.get("/api/search", params={"q": "' OR 1=1 --"}).json() == nothing
    answer = client.get("/api/moves", params={"person": "x' OR '1'='1"})
    assert answer.status_code == 404 and "no such person" in answer.json()["detail"]
    assert client.get("/api/search", params={"q": "%"}).json() == nothing


def _a_claim(client: TestClient, person: str) -> dict:
    claims = client.get("/api/claims", params={"limit": 500}).json()["claims"]
    return next(c for c in claims if c["person"] == person)


def test_writing_refuses_a_missing_or_wrong_token(client: TestClient):
    claim = _a_claim(client, "Jane Hollister")
    url = f"/api/claims/{claim['id']}/review"
    assert client.post(url, json={"verdict": "wrong"}).status_code == 401
    assert client.post(url, json={"verdict": "wrong"}, headers={"Authorization": "Bearer nope"}).status_code == 403
    assert client.get(f"/api/claims/{claim['id']}").json()["review"] is None
    read_only = TestClient(create_app(str(client.app.state.store.url.removeprefix("sqlite:///")), token=None))
    refused = read_only.post(url, json={"verdict": "wrong"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert refused.status_code == 403 and "TALENTFLOW_TOKEN" in refused.json()["detail"]


def test_a_claim_marked_wrong_leaves_the_graph_at_once_and_stays_out_after_reingest(client: TestClient):
    claim = _a_claim(client, "Jane Hollister")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = client.post(f"/api/claims/{claim['id']}/review", json={"verdict": "wrong"}, headers=auth)
    assert response.status_code == 200 and response.json()["move"] is None
    assert client.get("/api/moves", params={"person": "Jane Hollister"}).json()["items"] == []
    store = client.app.state.store
    run_ingest([SAMPLES, FIXTURES / "web" / "hostile.txt"], store)
    assert client.get("/api/moves", params={"person": "Jane Hollister"}).json()["items"] == []
    assert client.get(f"/api/claims/{claim['id']}").json()["reviews"][0]["verdict"] == "wrong"


def test_a_corrected_claim_moves_to_its_right_place(client: TestClient):
    claim = _a_claim(client, "Jane Hollister")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"verdict": "correct", "from_org": "Globex", "status": "reported", "person": "Janet Holloway"}
    move_id = client.post(f"/api/claims/{claim['id']}/review", json=body, headers=auth).json()["move"]
    move = client.get(f"/api/moves/{move_id}").json()
    assert (move["person"], move["from_org"], move["to_org"], move["status"]) == (
        "Janet Holloway", "Globex", "Acme Robotics", "reported")
    assert client.get(f"/api/claims/{claim['id']}").json()["review"] == "corrected"
    bad = client.post(f"/api/claims/{claim['id']}/review", json={"verdict": "maybe"}, headers=auth)
    assert bad.status_code == 422


def test_openapi_document_lists_every_endpoint(client: TestClient):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/home", "/api/moves", "/api/moves/{move_id}", "/api/flows", "/api/flows/net",
                 "/api/orgs/{name}", "/api/orgs/{name}/alumni", "/api/orgs/{name}/sankey", "/api/orgs/{name}/timeline",
                 "/api/people/{name}", "/api/cohorts", "/api/cohorts/{name}", "/api/search", "/api/claims",
                 "/api/claims/{claim_id}", "/api/claims/{claim_id}/review"):
        assert path in paths


def test_pages_escape_article_text_and_drop_unsafe_links(client: TestClient):
    move = client.get("/api/moves", params={"person": "Jane Hollister"}).json()["items"][0]
    for path in (f"/move/{move['id']}", "/person/Jane Hollister", "/review", "/"):
        page = client.get(path)
        assert page.status_code == 200
        assert "<script>window.__xss" not in page.text and "<img src=x" not in page.text
        assert "javascript:" not in page.text.lower()
        assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "&lt;img src=x onerror=" in client.get(f"/move/{move['id']}").text


def test_pages_say_not_found_in_a_page(client: TestClient):
    page = client.get("/org/No Such Org")
    assert page.status_code == 404 and "No Such Org" in page.text and "<h1>Not possible</h1>" in page.text


def test_an_unknown_organization_is_a_404_with_suggestions(client: TestClient):
    answer = client.get("/api/orgs/Antropic/alumni")
    assert answer.status_code == 404
    assert answer.json()["suggestions"] == ["Anthropic"] and "did you mean Anthropic" in answer.json()["detail"]
    assert client.get("/api/moves", params={"org": "Metta"}).json()["suggestions"] == ["Meta"]
    page = client.get("/org/Metta")
    assert page.status_code == 404 and '<a href="/org/Meta">Meta</a>' in page.text


def test_a_window_says_how_many_undated_moves_it_left_out(client: TestClient):
    everything = client.get("/api/moves", params={"limit": 500}).json()["items"]
    undated = sum(1 for m in everything if m["date"] is None)
    dated = sum(1 for m in everything if m["date"] is not None)
    windowed = client.get("/api/moves", params={"since": "1900", "limit": 500}).json()
    assert (len(windowed["items"]), windowed["undated_left_out"]) == (dated, undated)
    included = client.get("/api/moves", params={"since": "1900", "undated": "include", "limit": 500}).json()
    assert (len(included["items"]), included["undated_left_out"]) == (dated + undated, 0)


def test_a_cohort_member_no_source_names_is_no_reports_and_links_to_a_search(client: TestClient):
    cohort = client.get("/api/cohorts/openai-2024").json()
    assert cohort["members"] == cohort["left"] + cohort["stayed"] + cohort["no_reports"]
    unknown = [p for p in cohort["people"] if not p["known"]]
    assert unknown and all(p["status"] == "no reports" for p in unknown)
    page = client.get("/cohort/openai-2024").text
    assert "still there" not in page
    assert f'href="/search?q={quote(unknown[0]["name"], safe="")}"' in page


def test_a_sample_credits_the_report_it_retells_without_calling_it_the_source(client: TestClient):
    move = client.get("/api/moves", params={"person": "Jan Leike"}).json()["items"][0]
    evidence = move["evidence"][0]
    assert evidence["url"] is None and evidence["origin"].startswith("written for the talentflow demo")
    page = client.get(f"/move/{move['id']}").text
    assert "reported by" in page and 'class="reported-by"' in page


def test_the_move_page_says_why_its_reports_are_one_move(client: TestClient):
    (zhao,) = client.get("/api/moves", params={"person": "Shengjia Zhao"}).json()["items"]
    assert zhao["sources"] == 2
    page = client.get(f"/move/{zhao['id']}").text
    assert "Why these reports are one move" in page and "same person: Shengjia Zhao" in page


def test_the_org_page_counts_the_undated_moves_its_window_leaves_out(client: TestClient):
    # An organization of an undated move of the samples, whichever the extractor finds.
    everything = client.get("/api/moves", params={"limit": 500}).json()["items"]
    org = next(m["from_org"] or m["to_org"] for m in everything if m["date"] is None)
    left_out = client.get("/api/moves", params={"org": org, "since": "2000"}).json()["undated_left_out"]
    assert left_out > 0
    page = client.get(f"/org/{org}", params={"since": "2000"}).text
    assert re.search(rf"\b{left_out} moves? of {re.escape(html.escape(org))} (have|has) no known date", page) \
        and "undated=include" in page
