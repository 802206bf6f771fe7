"""The web app against an attacker or an unlucky client: no internal detail in any answer, only our
own Host names, no 500 from odd parameters, writes only with a proper token."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from talentflow.models import Claim, Document, Evidence
from talentflow.store import Store
from talentflow.web.app import allowed_hosts_for, create_app

TOKEN = "s3cret-token"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "hostile-web.db"
    store = Store(str(path))
    text = "Ana Ruiz has left Acme for Orchid/Lumen Labs."
    doc = Document.from_text(text, published="2025-03-02", label="a")
    store.save(doc, [Claim(kind="move", person="Ana Ruiz", from_org="Acme", to_org="Orchid/Lumen Labs",
                           date="2025-03-02", evidence=Evidence(text, 0, len(text)), doc="a")])
    store.close()
    return path


@pytest.fixture
def client(db: Path) -> TestClient:
    return TestClient(create_app(str(db), token=TOKEN), raise_server_exceptions=False)


def test_no_answer_names_the_database_or_its_files(client: TestClient, db: Path):
    for url in ("/api/people/Nobody", "/person/Nobody", "/api/orgs/Nowhere", "/org/Nowhere", "/api/moves/999",
                "/api/cohorts/none", "/cohort/none", "/api/moves?org=Nowhere"):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert str(db) not in answer.text and "sqlite" not in answer.text and db.name not in answer.text, url


def test_a_server_fault_is_a_plain_500_with_the_security_headers(db: Path):
    client = TestClient(create_app(str(db), token=TOKEN), raise_server_exceptions=False)
    with client.app.state.store.engine.begin() as conn:  # a database broken under the running server
        conn.exec_driver_sql("DROP TABLE cohort_members")
    for url, kind in (("/api/cohorts", "application/json"), ("/cohorts", "text/html")):
        answer = client.get(url)
        assert answer.status_code == 500 and answer.headers["content-type"].startswith(kind)
        assert "Content-Security-Policy" in answer.headers
        assert "cohort_members" not in answer.text and "Traceback" not in answer.text and str(db) not in answer.text


def test_only_our_own_host_names_are_answered(db: Path):
    app = create_app(str(db), token=TOKEN, allowed_hosts=allowed_hosts_for("127.0.0.1", ["talent.example"]))
    client = TestClient(app)
    assert client.get("/api/home", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/api/home", headers={"Host": "localhost:8000"}).status_code == 200
    assert client.get("/api/home", headers={"Host": "talent.example"}).status_code == 200
    assert client.get("/api/home", headers={"Host": "attacker.example:8000"}).status_code == 400  # DNS rebinding


@pytest.mark.parametrize("url", [
    "/api/moves/99999999999999999999999", "/move/99999999999999999999", "/api/claims/-1",
    "/api/moves?offset=99999999999999999999", "/api/moves?limit=100000", "/review?offset=10000000000000",
    "/api/people/" + "x" * 50_000, "/person/" + "x" * 50_000, "/org/" + "y" * 50_000, "/api/search?q=" + "z" * 50_000,
    "/api/moves?since=2025-13", "/review/claim/99999999999999999999", "/review?min_confidence=2", "/moves?offset=-1",
])
def test_odd_parameters_are_4xx_never_500(client: TestClient, url: str):
    answer = client.get(url)
    assert 400 <= answer.status_code < 500, (url, answer.status_code)
    assert "Content-Security-Policy" in answer.headers


def test_a_name_with_a_slash_has_working_links(client: TestClient):
    assert client.get("/org/Orchid%2FLumen%20Labs").status_code == 200
    assert client.get("/api/orgs/Orchid%2FLumen%20Labs/alumni").status_code == 200
    assert client.get("/api/orgs/Orchid%2FLumen%20Labs").json()["org"] == "Orchid/Lumen Labs"
    page = client.get("/person/Ana%20Ruiz").text
    assert 'href="/org/Orchid%2FLumen%20Labs"' in page


def test_writes_need_a_bearer_token_and_a_real_name(client: TestClient):
    claim = client.get("/api/claims").json()["claims"][0]
    url = f"/api/claims/{claim['id']}/review"
    assert client.post(url, json={"verdict": "correct"}, headers={"Authorization": TOKEN}).status_code == 401
    assert client.post(url, json={"verdict": "correct"}, headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for blank in ("", "   "):
        answer = client.post(url, json={"verdict": "correct", "person": blank}, headers=auth)
        assert answer.status_code == 400 and "cannot be blank" in answer.json()["detail"]
    assert client.post(url, json={"verdict": "correct", "person": "  Ana Ruiz "}, headers=auth).status_code == 200
    assert client.get(f"/api/claims/{claim['id']}").json()["person_name"] == "Ana Ruiz"


@pytest.mark.parametrize("bad", ["2025-13", "2025-02-30", "2025-00", "20255"])
def test_dates_that_are_not_on_the_calendar_are_refused(client: TestClient, bad: str):
    assert client.get("/api/moves", params={"since": bad}).status_code == 422


def test_cached_answers_follow_every_write(db: Path):
    client = TestClient(create_app(str(db), token=TOKEN))
    assert client.get("/api/moves").json()["items"][0]["to_org"] == "Orchid/Lumen Labs"
    store = Store(str(db))  # another writer: an ingest running beside the server
    text = "Bo Lin has joined Acme."
    doc = Document.from_text(text, published="2025-04-01", label="b")
    store.save(doc, [Claim(kind="move", person="Bo Lin", to_org="Acme", date="2025-04-01",
                           evidence=Evidence(text, 0, len(text)), doc="b")])
    store.close()
    assert [m["person"] for m in client.get("/api/moves").json()["items"]] == ["Bo Lin", "Ana Ruiz"]
    claim = client.get("/api/claims").json()["claims"][0]
    client.post(f"/api/claims/{claim['id']}/review", json={"verdict": "wrong"},
                headers={"Authorization": f"Bearer {TOKEN}"})
    assert [m["person"] for m in client.get("/api/moves").json()["items"]] == ["Ana Ruiz"]


def test_serve_with_two_workers_answers_its_own_names_only(db: Path):
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", "from talentflow.cli import app; app()", "serve", "--db", str(db),
                               "--port", str(port), "--workers", "2", "--allowed-host", "talent.example"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(base + "/api/home", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert httpx.get(base + "/api/moves").json()["items"][0]["person"] == "Ana Ruiz"
        assert httpx.get(base + "/api/home", headers={"Host": "talent.example"}).status_code == 200
        assert httpx.get(base + "/api/home", headers={"Host": "rebound.attacker.example"}).status_code == 400
    finally:
        server.terminate()
        server.wait(timeout=30)
