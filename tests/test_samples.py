"""The bundled sample articles: enough of them, well-formed, and the moves they tell are found."""

from __future__ import annotations

import pytest

from conftest import SAMPLES
from talentflow.ingest import iter_documents
from talentflow.models import Document
from talentflow.query import NotFound, alumni, cohort_status, list_moves, net_flow, top_flows
from talentflow.store import Store


def test_there_are_at_least_25_dated_sample_articles():
    docs = list(iter_documents([SAMPLES]))
    assert len(docs) >= 25
    assert all(isinstance(d, Document) and d.published and d.title for d in docs)
    # Our own words: each sample says so, and the real report it follows is credited, never given as
    # the place where its sentences stand.
    assert all(d.url is None and d.origin and d.origin.startswith("written for the talentflow demo") for d in docs)
    assert all(d.reported_by is None or d.reported_by.startswith("https://") for d in docs)


def test_samples_give_the_moves_they_report(db):
    from talentflow.extract import Extractor

    store = Store(db)
    extractor = Extractor()
    for doc in iter_documents([SAMPLES]):
        store.save(doc, extractor.extract(doc))
    moves = {(m["kind"], m["person"], m["from_org"], m["to_org"]) for m in list_moves(store)}
    assert ("move", "Ruoming Pang", "Apple", "Meta") in moves
    assert ("move", "Brian Niccol", "Chipotle", "Starbucks") in moves
    assert ("move", "John Schulman", "OpenAI", "Anthropic") in moves
    assert ("founding", "Mira Murati", None, "Thinking Machines Lab") in moves
    for bystander in ("Kamala Harris", "Dario Amodei"):  # named in the samples, but they moved nowhere
        with pytest.raises(NotFound):
            list_moves(store, person=bystander)
    assert top_flows(store)["outflow"][0]["org"] == "OpenAI"
    # Two sample articles report the June 2025 hires: one move each, with both sources.
    (zhao,) = list_moves(store, person="Shengjia Zhao")
    assert (zhao["from_org"], zhao["to_org"], zhao["sources"]) == ("OpenAI", "Meta", 2)
    between = net_flow(store, "OpenAI", "Meta", since="2025")
    assert between["a_to_b"] >= 6 and between["b_to_a"] == 0
    assert {"Jan Leike", "John Schulman", "Mira Murati"} <= {r["person"] for r in alumni(store, "OpenAI")["alumni"]}
    names = (SAMPLES.parent / "cohorts" / "openai-2024.txt").read_text().splitlines()
    store.create_cohort("openai-2024", "OpenAI", [n for n in names if not n.startswith("#")])
    status = cohort_status(store, "openai-2024")
    assert status["members"] == 10 and status["left"] >= 8
