"""The analyst's endpoints of the JSON API over the sample articles: the moves browser's filters,
flows per quarter, two windows compared, indexes, search of every kind, the review queue, the
OpenAPI document (the API only, typed), and their 4xx answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from conftest import sample_copy
from talentflow import explore, query
from talentflow.schema import ingest_jobs
from talentflow.store import Store
from talentflow.web import jobs
from talentflow.web.app import create_app

TOKEN = "explore-token"


@pytest.fixture
def client(sample_db: str, tmp_path: Path) -> TestClient:
    return TestClient(create_app(sample_copy(sample_db, tmp_path), token=TOKEN))


def test_the_moves_browser_filters_by_side_role_kind_and_window(client: TestClient):
    store: Store = client.app.state.store
    both = client.get("/api/moves", params={"from": "OpenAI", "to": "Meta"}).json()
    assert both["total"] == query.net_flow(store, "OpenAI", "Meta")["a_to_b"] > 0
    assert all(m["from_org"] == "OpenAI" and m["to_org"] == "Meta" for m in both["items"])
    assert all(m["label"] == "left OpenAI for Meta" for m in both["items"])
    into = client.get("/api/moves", params={"to": "Meta", "kind": "move", "since": "2025"}).json()
    assert into["total"] == client.get("/api/orgs/Meta/counts", params={"since": "2025"}).json()["joined"]["count"]
    role = next(m["role"] for m in client.get("/api/moves", params={"limit": 500}).json()["items"] if m["role"])
    found = client.get("/api/moves", params={"role": role.split()[-1].upper()}).json()["items"]
    assert found and all(role.split()[-1].lower() in m["role"].lower() for m in found)
    page = client.get("/api/moves", params={"org": "Meta", "limit": 2, "offset": 2}).json()
    assert page["offset"] == 2 and page["next_offset"] == 4 and page["total"] > 4


def test_unknown_sides_make_the_sankey_add_up_to_the_counts(client: TestClient):
    counts = client.get("/api/orgs/Meta/counts").json()
    sankey = client.get("/api/orgs/Meta/sankey").json()
    assert (sankey["inflow"], sankey["outflow"]) == (counts["joined"]["count"], counts["left"]["count"])
    unknown = next(link for link in sankey["links"] if link["source"] == "from unknown")
    moves = client.get("/api/moves", params={"to": "Meta", "kind": "move"}).json()["items"]
    assert unknown["value"] == sum(1 for m in moves if m["from_org"] is None and m["from_unit"] is None)


def test_net_flow_per_quarter_and_two_windows_compared(client: TestClient):
    quarters = client.get("/api/flows/net/quarters", params={"a": "OpenAI", "b": "Meta"}).json()
    net = client.get("/api/flows/net", params={"a": "OpenAI", "b": "Meta"}).json()
    assert sum(q["a_to_b"] for q in quarters) == net["a_to_b"] and sum(q["b_to_a"] for q in quarters) == net["b_to_a"]
    assert [q["quarter"] for q in quarters] == sorted(q["quarter"] for q in quarters)
    cmp = client.get("/api/compare", params={"org": "Meta", "a": "2025", "b": "2024"}).json()
    openai = next(r for r in cmp["sources"] if r["org"] == "OpenAI")
    assert openai["change"] == openai["a"] - openai["b"] and openai["a"] > 0
    assert cmp["sources_total"]["a"] == sum(r["a"] for r in cmp["sources"]) or len(cmp["sources"]) == 10
    trend = client.get("/api/orgs/Meta/trend", params={"by": "quarter"}).json()
    assert all(p["period"][4:6] == "-Q" and p["net"] == p["joined"] - p["left"] for p in trend)


def test_indexes_sort_and_page(client: TestClient):
    people = client.get("/api/people", params={"sort": "moves", "limit": 5}).json()
    counts = [p["moves"] for p in people["items"]]
    assert counts == sorted(counts, reverse=True) and people["total"] > 5
    orgs = client.get("/api/orgs", params={"sort": "net"}).json()["items"]
    assert orgs[0]["org"] == "Meta" and [o["net"] for o in orgs] == sorted((o["net"] for o in orgs), reverse=True)
    by_name = client.get("/api/orgs", params={"sort": "name"}).json()["items"]
    assert [o["org"].lower() for o in by_name] == sorted(o["org"].lower() for o in by_name)


@pytest.mark.parametrize(("q", "kind", "name"), [
    ("facebook", "alias", "Meta"),
    ("Facebok", "similar organization", "Meta"),
    ("Metta", "similar organization", "Meta"),
    ("Anthropic", "organization", "Anthropic"),
    ("Karpathy", "person", "Andrej Karpathy"),
    ("Andrej Karpaty", "similar person", "Andrej Karpathy"),
    ("the company confirmed", "evidence", None),
])
def test_search_finds_names_aliases_misspellings_and_evidence(client: TestClient, q: str, kind: str, name: str | None):
    hits = client.get("/api/search", params={"q": q}).json()["hits"]
    assert any(h["kind"] == kind and (name is None or h["name"] == name) for h in hits), hits


def test_the_review_queue_filters_by_organization_confidence_and_state(client: TestClient):
    store: Store = client.app.state.store
    every = client.get("/api/claims", params={"org": "OpenAI", "limit": 500}).json()["claims"]
    cut = sorted(c["confidence"] for c in every)[len(every) // 2]  # about half of them, whatever the scorer's figures
    low = client.get("/api/claims", params={"org": "OpenAI", "max_confidence": cut, "limit": 500}).json()
    assert 0 < low["total"] == len(low["claims"]) == sum(c["confidence"] <= cut for c in every) < len(every)
    assert all(c["confidence"] <= cut and "OpenAI" in (c["from_org"], c["to_org"]) for c in low["claims"])
    queue = explore.review_queue(store, explore.ClaimFilter(state="unreviewed"), limit=500)
    confidences = [c["confidence"] for c in queue["claims"]]
    assert confidences == sorted(confidences)  # where a reviewer helps most first
    claim_id = queue["claims"][0]["id"]
    client.post(f"/api/claims/{claim_id}/review", json={"verdict": "correct"},
                headers={"Authorization": f"Bearer {TOKEN}"})
    after = explore.review_queue(store, explore.ClaimFilter(state="unreviewed"), limit=500)
    assert after["total"] == queue["total"] - 1
    assert explore.review_queue(store, explore.ClaimFilter(state="reviewed"))["claims"][0]["id"] == claim_id


def test_openapi_lists_the_api_only_with_typed_answers(client: TestClient):
    spec = client.get("/openapi.json").json()
    assert all(path.startswith("/api/") for path in spec["paths"])
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            answer = next(iter(operation["responses"].values()))
            if method == "delete":
                continue
            schema = answer["content"]["application/json"]["schema"]
            assert schema != {} and ("$ref" in schema or "items" in schema), (path, method)
    assert "Move" in spec["components"]["schemas"] and "MovesPage" in spec["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert client.get("/static/vendor/swagger-ui/LICENSE").status_code == 200


@pytest.mark.parametrize(("path", "params", "status"), [
    ("/api/moves", {"since": "2025-02-30"}, 422),
    ("/api/moves", {"kind": "hire"}, 422),
    ("/api/moves", {"from": "Metta"}, 404),
    ("/api/flows/net/quarters", {"a": "OpenAI"}, 422),
    ("/api/flows/net/quarters", {"a": "OpenAI", "b": "Nowhere Inc"}, 404),
    ("/api/compare", {"org": "Meta", "a": "2025"}, 422),
    ("/api/compare", {"org": "Meta", "a": "2025-13", "b": "2024"}, 422),
    ("/api/people", {"sort": "age"}, 422),
    ("/api/orgs", {"limit": 0}, 422),
    ("/api/orgs/Meta/trend", {"by": "week"}, 422),
    ("/api/claims", {"max_confidence": 2}, 422),
    ("/api/claims", {"status": "maybe", "org": "Meta"}, 422),
])
def test_bad_parameters_of_the_new_endpoints_are_4xx(client: TestClient, path: str, params: dict, status: int):
    answer = client.get(path, params=params)
    assert answer.status_code == status and answer.json()["detail"]


@pytest.mark.parametrize(("path", "message"), [
    ("/moves?since=2025-13", "since: &#39;2025-13&#39; is not a date"),
    ("/org/Meta?until=2025-02-30", "until: &#39;2025-02-30&#39; is not a date"),
    ("/moves?kind=hire", "kind: Input should be"),
    ("/people?offset=-3", "offset: Input should be greater than or equal to 0"),
    ("/compare?org=Metta", "Metta: no such organization"),
])
def test_bad_input_on_a_page_is_an_html_page_that_says_what_was_wrong(client: TestClient, path: str, message: str):
    answer = client.get(path)
    assert 400 <= answer.status_code < 500 and answer.headers["content-type"].startswith("text/html")
    assert message in answer.text


def test_writes_from_pages_need_a_session_and_its_csrf_token(client: TestClient):
    import re

    assert client.post("/review/1", data={"verdict": "wrong"}).status_code == 401
    signed = client.post("/signin", data={"token": TOKEN, "next": "https://elsewhere.example/"},
                         follow_redirects=False)
    cookie = signed.headers["set-cookie"]
    assert signed.headers["location"] == "/" and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.post("/review/1", data={"verdict": "wrong", "csrf": "forged"}).status_code == 403
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', client.get("/review/claim/1").text).group(1)
    done = client.post("/review/1", data={"verdict": "correct", "csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/review/claim/1?done=true"
    client.post("/signout")
    assert client.post("/review/1", data={"verdict": "wrong", "csrf": csrf}).status_code == 401
    assert client.post("/signin", data={"token": "wrong"}).status_code == 403


def test_a_job_a_stopped_server_left_running_is_marked_interrupted(client: TestClient):
    store: Store = client.app.state.store
    with store.engine.begin() as conn:
        job_id = conn.execute(insert(ingest_jobs).values(inputs="[]", state="running", read=3,
                                                         created_at="2026-01-01T00:00:00+00:00")).inserted_primary_key[0]
    assert jobs.interrupt_unfinished(store) == 1
    page = client.get(f"/add/jobs/{job_id}")
    assert "Failed: interrupted" in page.text and 'http-equiv="refresh"' not in page.text


def test_adding_articles_refuses_bad_input_with_a_reason_and_reads_an_upload(client: TestClient):
    import re
    import time

    client.post("/signin", data={"token": TOKEN})
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', client.get("/add").text).group(1)
    for data, files, status, message in [
        ({}, None, 422, "nothing to add"),
        ({"urls": "ftp://example.org/x"}, None, 422, "not an http(s) URL"),
        ({"urls": "\n".join(f"https://example.org/{i}" for i in range(101))}, None, 422, "at most 100"),
        ({}, {"files": ("big.txt", b"x" * (10 * 1024 * 1024 + 1), "text/plain")}, 413, "file too large"),
        ({}, {"files": ("empty.txt", b"", "text/plain")}, 422, "empty file"),
    ]:
        answer = client.post("/add", data={"csrf": csrf, **data}, files=files)
        assert answer.status_code == status and message in answer.text, (data, answer.status_code)
    ours = (b"Title: Globex hires a robotics chief\n\n"
            b"Dana Whitfield has left Acme Robotics to join Globex, Globex said.\n")
    started = client.post("/add", data={"csrf": csrf}, follow_redirects=False,
                          files=[("files", ("ours.txt", ours, "text/plain")),
                                 ("files", ("noise.bin", bytes(range(256)) * 40, "application/octet-stream"))])
    job = started.headers["location"]
    for _ in range(600):
        page = client.get(job).text
        if "Done:" in page:
            break
        time.sleep(0.1)
    assert "1 new" in page and "1 failed" in page and "noise.bin: binary file" in page
    (move,) = query.list_moves(client.app.state.store, person="Dana Whitfield")
    assert move["evidence"][0]["doc"] == "upload: ours.txt"  # named as the user knows it, not by a temporary path


def test_moves_windowed_on_another_date_field_have_a_true_total_and_every_filter(client: TestClient):
    everything = client.get("/api/moves", params={"dates": "effective", "since": "2025", "limit": 500}).json()
    assert everything["total"] == len(everything["items"]) > 0
    page = client.get("/api/moves", params={"dates": "effective", "since": "2025", "limit": 2}).json()
    assert page["total"] == everything["total"] and page["next_offset"] == 2
    into = client.get("/api/moves", params={"dates": "reported", "since": "2025", "to": "Meta", "limit": 500}).json()
    assert into["items"] and all(m["to_org"] == "Meta" for m in into["items"])
