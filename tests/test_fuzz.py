"""Fuzzing (hypothesis): the ingest readers and the API take whatever they are given and answer with
documents or one-line errors, 2xx or 4xx; never an exception, never a 500. Bounded in examples
and time so that CI runs it on every change."""

from __future__ import annotations

import json
import string
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentflow.ingest import IngestError, iter_documents
from talentflow.models import Claim, Document, Evidence
from talentflow.store import Store
from talentflow.web.app import create_app

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
WORDS = st.text(alphabet=string.printable + "éü漢\x00\x1b\u2028\ufeff\"',;<>&[]{}", max_size=80)


def _read(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    for item in iter_documents([str(path)]):
        assert isinstance(item, Document | IngestError)
        if isinstance(item, IngestError):
            assert "\n" not in str(item)  # one line each


json_values = st.recursive(st.none() | st.booleans() | st.integers() | WORDS,
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(WORDS, inner, max_size=4),
                           max_leaves=12)


@FUZZ
@given(records=st.lists(st.one_of(st.dictionaries(st.sampled_from(["id", "text", "url", "published", "title"]),
                                                   json_values, max_size=5).map(json.dumps),
                                   WORDS), max_size=6))
def test_jsonl_reader_never_raises(tmp_path_factory, records):
    _read(tmp_path_factory.mktemp("jsonl"), "feed.jsonl", "\n".join(records).encode("utf-8", "surrogatepass"))


@FUZZ
@given(rows=st.lists(st.lists(WORDS, max_size=4), max_size=6), header=st.booleans())
def test_csv_reader_never_raises(tmp_path_factory, rows, header):
    lines = (["id,text,published"] if header else []) + [",".join(row) for row in rows]
    _read(tmp_path_factory.mktemp("csv"), "feed.csv", "\n".join(lines).encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".html", ".xml", ".md", ".jsonl", ".csv"]))
def test_every_reader_takes_any_bytes(tmp_path_factory, data, suffix):
    _read(tmp_path_factory.mktemp("bytes"), "input" + suffix, data)


@FUZZ
@given(body=st.lists(st.sampled_from(["<rss>", "<channel>", "<item>", "<title>", "</title>", "<link>", "</link>",
                                      "<description>", "</description>", "</item>", "<feed>", "<entry>", "<p>",
                                      "</p>", "<![CDATA[", "]]>", "&amp;", "&bogus;", "<html>", "<body>"])
                     | WORDS, max_size=20))
def test_feed_and_page_readers_take_broken_markup(tmp_path_factory, body):
    markup = "".join(body).encode("utf-8", "surrogatepass")
    folder = tmp_path_factory.mktemp("markup")
    _read(folder, "feed.xml", markup)
    _read(folder, "page.html", markup)


# -- the API ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    db = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    store = Store(str(db))
    text = "Ana Ruiz has left Acme for Globex."
    doc = Document.from_text(text, published="2025-03-02", label="a")
    store.save(doc, [Claim(kind="move", person="Ana Ruiz", from_org="Acme", to_org="Globex", date="2025-03-02",
                           evidence=Evidence(text, 0, len(text)), doc="a")])
    store.create_cohort("c", "Acme", ["Ana Ruiz", "Bo Lin"])
    return TestClient(create_app(store, token="t"), raise_server_exceptions=False)


VALUES = st.one_of(WORDS, st.integers(-2**70, 2**70).map(str), st.sampled_from(["", "2025", "2025-13", "Acme"]))
PATHS = ["/api/moves", "/api/flows", "/api/flows/net", "/api/orgs/{}", "/api/orgs/{}/alumni", "/api/orgs/{}/sankey",
         "/api/orgs/{}/timeline", "/api/people/{}", "/api/cohorts/{}", "/api/search", "/api/claims", "/api/claims/{}",
         "/api/moves/{}", "/org/{}", "/person/{}", "/move/{}", "/cohort/{}", "/search", "/review", "/",
         "/api/flows/net/quarters", "/api/compare", "/api/people", "/api/orgs", "/api/orgs/{}/trend",
         "/api/orgs/{}/counts", "/api/alerts", "/api/watchlists", "/moves", "/compare", "/flows/net", "/people",
         "/orgs", "/review/claim/{}", "/watchlists", "/watchlists/{}.atom", "/add/jobs/{}", "/signin", "/add", "/docs"]
PARAMS = ["org", "person", "since", "until", "status", "kind", "dates", "limit", "offset", "undated", "a", "b", "q",
          "review", "unreviewed", "done", "from", "to", "role", "unknown", "by", "sort", "format", "state",
          "min_confidence", "max_confidence", "watchlist", "next"]


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(path=st.sampled_from(PATHS), segment=VALUES,
       params=st.dictionaries(st.sampled_from(PARAMS), VALUES, max_size=4))
def test_the_api_answers_anything_without_a_500(client, path, segment, params):
    url = path.format(quote(segment, safe="") or "x") if "{}" in path else path
    answer = client.get(url, params=params)
    assert answer.status_code < 500, (url, params, answer.status_code)
    assert "Traceback" not in answer.text


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.dictionaries(st.sampled_from(["verdict", "person", "from_org", "to_org", "status"]),
                            st.one_of(VALUES, st.none(), st.integers()), max_size=5),
       claim=st.sampled_from(["1", "999", "-1", "abc", str(2**40)]),
       auth=st.sampled_from(["Bearer t", "t", "Bearer wrong", ""]))
def test_reviews_answer_anything_without_a_500(client, body, claim, auth):
    answer = client.post(f"/api/claims/{claim}/review", json=body, headers={"Authorization": auth} if auth else {})
    assert answer.status_code < 500, (body, claim, auth, answer.status_code, answer.text)
