"""The graph tells the truth: every organization and date on a move is stated by one of its facts
(confirmed, reported or planned claims no reviewer rejected), rumours and denials never make or
change a move, and answers say what they do not know. Checked on generated claim sets and on
articles we wrote ourselves, on SQLite and (when given) PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import flows_recount, summaries_disagree
from talentflow.evaluate import unsupported_moves
from talentflow.models import ALL_STATUSES, FACT_STATUSES, Claim, Document, Evidence
from talentflow.query import NotFound, alumni, flows, list_moves, list_reports, net_flow
from talentflow.schema import claims, metadata
from talentflow.store import Store

POSTGRES = os.environ.get("TALENTFLOW_TEST_POSTGRES")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not POSTGRES, reason="set TALENTFLOW_TEST_POSTGRES to a URL"))]


def _empty(store: Store) -> Store:
    with store.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    return store


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path: Path) -> Iterator[Store]:
    opened = Store(str(tmp_path / "truth.db")) if request.param == "sqlite" else _empty(Store(POSTGRES))
    yield opened
    opened.close()


def _save(store: Store, text: str, published: str | None, *found: Claim, url: str | None = None) -> Document:
    doc = Document.from_text(text, published=published, label=text[:20], url=url)
    for claim in found:
        claim.evidence = Evidence(text, 0, len(text))
        claim.doc = doc.label
    store.save(doc, list(found))
    return doc


def _claim(person: str, from_org: str | None = None, to_org: str | None = None, kind: str = "move",
           status: str = "confirmed", date: str | None = None, stated: bool = False) -> Claim:
    return Claim(kind=kind, person=person, from_org=from_org, to_org=to_org, status=status,  # type: ignore[arg-type]
                 date=date, date_stated=stated, evidence=Evidence("", 0, 0))


def _shapes(store: Store) -> set[tuple]:
    return {(m["kind"], m["person"], m["from_org"], m["to_org"], m["date"]) for m in list_moves(store, limit=None)}


# -- the invariant, on generated claim sets ---------------------------------------------------------

ORGS = [None, "Acme", "Globex", "Initech"]
DATES = [None, "2017", "2017-03", "2024-02-14", "2024-03", "2025-06"]
PUBLISHED = [None, "2017-03-20", "2024-02-20", "2025-06-30"]


@st.composite
def claim_sets(draw) -> list[tuple[str | None, Claim]]:
    found = []
    for _ in range(draw(st.integers(1, 9))):
        kind = draw(st.sampled_from(["move", "move", "founding"]))
        to_org = draw(st.sampled_from(ORGS[1:] if kind == "founding" else ORGS))
        from_org = None if kind == "founding" else draw(st.sampled_from(ORGS[1:] if to_org is None else ORGS))
        date = draw(st.sampled_from(DATES))
        claim = _claim(draw(st.sampled_from(["Ana Ruiz", "Ben Cole"])), from_org, to_org, kind,
                       draw(st.sampled_from(ALL_STATUSES)), date, stated=date is not None and draw(st.booleans()))
        found.append((draw(st.sampled_from(PUBLISHED)), claim))
    return found


def _check_invariant(store: Store, reads: bool = True) -> None:
    assert unsupported_moves(store) == []
    with store.engine.connect() as conn:
        rows = conn.execute(claims.select()).all()
    for r in rows:
        if r.review == "wrong":
            assert r.move_id is None  # a rejected claim leaves its move
        elif r.status in FACT_STATUSES:
            assert r.move_id is not None  # every fact is part of a move
    assert {m["status"] for m in list_moves(store, limit=None, statuses=ALL_STATUSES)} <= set(FACT_STATUSES)
    # The flow counts the store keeps are a recount of the moves, after every write.
    assert {(f["from_org"], f["to_org"]): f["moves"] for f in flows(store)} == flows_recount(store)
    for status in FACT_STATUSES:
        moves_of_status = list_moves(store, limit=None, kinds=("move",), statuses=[status])
        assert sum(f["moves"] for f in flows(store, statuses=[status])) == sum(
            1 for m in moves_of_status if m["from_org"] and m["to_org"])
    # So are the departures per organization, and alumni read from them are those counted from moves.
    assert summaries_disagree(store, reads) == []


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=claim_sets(), rejected=st.lists(st.integers(0, 8), max_size=4))
def test_every_organization_and_date_of_a_move_is_stated_by_one_of_its_facts(tmp_path_factory, backend, generated,
                                                                               rejected):
    url = POSTGRES if backend == "postgresql" else str(tmp_path_factory.getbasetemp() / "property.db")
    store = _empty(Store(url))
    try:
        for i, (published, claim) in enumerate(generated):
            _save(store, f"Report {i}: {claim.person} and {claim.from_org} / {claim.to_org}.", published, claim)
        with store.engine.connect() as conn:
            ids = [r.id for r in conn.execute(claims.select().order_by(claims.c.id))]
        reviewed = sorted({i for i in rejected if i < len(ids)})
        # After every write, at once; what is read from the summaries (the slow part) after the last.
        _check_invariant(store, reads=not reviewed)
        for n, i in enumerate(reviewed):
            store.review_claim(ids[i], "wrong")
            _check_invariant(store, reads=n == len(reviewed) - 1)
    finally:
        store.close()


# -- denials and rumours ------------------------------------------------------------------------------


def test_a_denial_next_to_a_confirmed_departure_adds_nothing_to_the_move(store: Store):
    _save(store, "Ana Ruiz has left Acme, the company said.", "2025-03-02", _claim("Ana Ruiz", "Acme", None,
                                                                                   date="2025-03-02"))
    _save(store, "Ana Ruiz declined an offer to join Globex.", "2025-03-05",
          _claim("Ana Ruiz", "Acme", "Globex", status="denied", date="2025-03-05"))
    (move,) = list_moves(store)
    assert (move["from_org"], move["to_org"], move["status"], move["denials"]) == ("Acme", None, "confirmed", 1)
    assert net_flow(store, "Acme", "Globex")["a_to_b"] == 0
    (denial,) = list_reports(store, person="Ana Ruiz")
    assert (denial["status"], denial["move_id"]) == ("denied", move["id"])  # shown beside the move


def test_rumours_alone_make_no_move_and_a_later_fact_takes_them_in(store: Store):
    _save(store, "Ben Cole is said to be in talks to join Globex.", "2025-04-01",
          _claim("Ben Cole", None, "Globex", status="rumored", date="2025-04-01"))
    assert list_moves(store) == []
    _save(store, "Globex has hired Ben Cole.", "2025-04-20", _claim("Ben Cole", None, "Globex", date="2025-04-20"))
    (move,) = list_moves(store)
    assert [e["status"] for e in move["evidence"]] == ["rumored", "confirmed"] and move["sources"] == 1


def test_a_review_that_rejects_a_fact_recomputes_its_move_at_once(store: Store):
    _save(store, "Ana Ruiz left Acme.", "2025-01-10", _claim("Ana Ruiz", "Acme", None, date="2025-01-10"))
    _save(store, "Globex hired Ana Ruiz from Acme.", "2025-01-20", _claim("Ana Ruiz", "Acme", "Globex",
                                                                          date="2025-01-20"))
    (move,) = list_moves(store)
    assert move["to_org"] == "Globex"
    hire = next(e["claim"] for e in move["evidence"] if "Globex" in e["text"])
    store.review_claim(hire, "wrong")
    (move,) = list_moves(store)
    assert (move["from_org"], move["to_org"], move["date"], move["sources"]) == ("Acme", None, "2025-01-10", 1)


# -- which claims are one move ------------------------------------------------------------------------


def test_leaving_the_same_company_twice_years_apart_is_two_moves(store: Store):
    _save(store, "Ana Ruiz left Acme for Globex in 2017.", "2017-05-01",
          _claim("Ana Ruiz", "Acme", "Globex", date="2017", stated=True))
    _save(store, "Ana Ruiz rejoined Acme in 2022.", "2022-02-01",
          _claim("Ana Ruiz", None, "Acme", date="2022", stated=True))
    _save(store, "Ana Ruiz is leaving Acme again.", "2024-09-01", _claim("Ana Ruiz", "Acme", None, date="2024-09-01"))
    assert _shapes(store) == {("move", "Ana Ruiz", "Acme", "Globex", "2017"),
                              ("move", "Ana Ruiz", None, "Acme", "2022"),
                              ("move", "Ana Ruiz", "Acme", None, "2024-09-01")}
    assert [r["person"] for r in alumni(store, "Acme")["alumni"]] == ["Ana Ruiz"]  # gone again


def test_co_founders_who_return_keep_the_startup_they_leave(store: Store):
    _save(store, "Ben Cole joined Acme in 2019.", "2019-04-01", _claim("Ben Cole", None, "Acme", date="2019",
                                                                       stated=True))
    _save(store, "Ben Cole left Acme to co-found Lumen.", "2024-02-01",
          _claim("Ben Cole", "Acme", None, date="2024-02-01"),
          _claim("Ben Cole", None, "Lumen", kind="founding"))
    # an undated report of the return: it could be the 2019 joining or a new one, so it stays apart
    _save(store, "Lumen co-founder Ben Cole is returning to Acme.", None, _claim("Ben Cole", "Lumen", "Acme"))
    assert ("move", "Ben Cole", "Lumen", "Acme", None) in _shapes(store)
    assert ("move", "Ben Cole", "Lumen", "Acme", "2019") not in _shapes(store)


def test_an_undated_claim_does_not_join_a_move_dated_after_its_report(store: Store):
    _save(store, "Ana Ruiz joined Globex in March 2025.", "2025-04-01",
          _claim("Ana Ruiz", None, "Globex", date="2025-03", stated=True))
    _save(store, "Before joining Globex, Ana Ruiz worked at Initech.", "2023-01-01",
          _claim("Ana Ruiz", "Initech", "Globex"))
    assert ("move", "Ana Ruiz", "Initech", "Globex", "2025-03") not in _shapes(store)


def test_a_founding_told_years_later_is_one_founding_dated_only_by_the_text(store: Store):
    _save(store, "Ana Ruiz founded Lumen in 2019.", "2025-05-01",
          _claim("Ana Ruiz", None, "Lumen", kind="founding", date="2019", stated=True))
    _save(store, "Lumen founder Ana Ruiz spoke on Monday.", "2025-06-01",
          _claim("Ana Ruiz", None, "Lumen", kind="founding"))
    _save(store, "Ana Ruiz, who founded Lumen, joined a board.", "2026-01-01",
          _claim("Ana Ruiz", None, "Lumen", kind="founding"))
    (founding,) = list_moves(store)
    assert (founding["kind"], founding["date"], founding["sources"]) == ("founding", "2019", 3)


def test_foundings_told_in_the_past_tense_have_no_date_of_their_own(extractor):
    from conftest import claims_of

    (history,) = [c for c in claims_of(extractor, "Jane Roe founded Lumen Labs.") if c.kind == "founding"]
    (news,) = [c for c in claims_of(extractor, "Jane Roe has left Acme to found Lumen Labs.") if c.kind == "founding"]
    assert (history.date, news.date) == (None, "2025-06-01")


def test_leaving_at_the_end_of_the_year_is_planned(extractor):
    from conftest import claims_of

    (claim,) = claims_of(extractor, "Jane Roe is leaving Acme at the end of the year.")
    assert (claim.status, claim.date, claim.date_stated) == ("planned", "2025", True)


# -- answers that say what they do not know -----------------------------------------------------------


def test_a_misspelled_organization_or_person_is_an_error_with_a_suggestion(store: Store):
    _save(store, "Ana Ruiz left Anthropic for Globex.", "2025-03-02",
          _claim("Ana Ruiz", "Anthropic", "Globex", date="2025-03-02"))
    with pytest.raises(NotFound, match="did you mean Anthropic"):
        alumni(store, "Antropic")
    with pytest.raises(NotFound, match="did you mean Ana Ruiz") as found:
        list_moves(store, person="Ana Ruis")
    assert (found.value.kind, found.value.suggestions) == ("person", ["Ana Ruiz"])
    with pytest.raises(NotFound):
        net_flow(store, "Globex", "Nowhere Corp")


def test_a_date_window_counts_the_undated_moves_it_leaves_out(store: Store):
    _save(store, "Ana Ruiz left Acme for Globex.", "2025-03-02", _claim("Ana Ruiz", "Acme", "Globex",
                                                                        date="2025-03-02"))
    _save(store, "Ben Cole, who left Acme for Globex, spoke.", None, _claim("Ben Cole", "Acme", "Globex"))
    between = net_flow(store, "Acme", "Globex", since="2025")
    assert (between["a_to_b"], between["undated_left_out"]) == (1, 1)
    assert net_flow(store, "Acme", "Globex", since="2025", undated="include")["a_to_b"] == 2
    gone = alumni(store, "Acme", since="2025")
    assert (gone["total"], gone["undated_left_out"]) == (1, 1)
    assert alumni(store, "Acme", since="2025", undated="include")["total"] == 2


def test_the_move_page_says_why_its_reports_are_one_move(store: Store):
    from talentflow.query import get_move

    _save(store, "Ana Ruiz left Acme.", "2025-01-10", _claim("Ana Ruiz", "Acme", None, date="2025-01-10"))
    _save(store, "Globex hired Ana Ruiz from Acme.", "2025-02-20", _claim("Ana Ruiz", "Acme", "Globex",
                                                                          date="2025-02-20"))
    (move,) = list_moves(store)
    reasons = get_move(store, move["id"])["merged_because"]
    assert reasons == ["same person: Ana Ruiz", "organizations agree: 2 claim(s) say left Acme",
                       "organizations agree: 1 claim(s) say joined Globex, 1 name(s) no organization there",
                       "dates agree: 2025-01-10 to 2025-02-20, 1 month(s) apart "
                       "(reports of one move are at most 12 apart)"]


def test_a_nul_in_an_article_its_name_or_a_claim_is_stored_on_every_backend(store: Store):
    text = "Ana Ruiz has left\x00 Acme."
    doc = Document.from_text(text, published="2025-03-02", label="record\x00 7", exact=True)
    claim = _claim("Ana\x00 Ruiz", "Acme", None, date="2025-03-02")
    claim.evidence = Evidence(text, 0, len(text))  # as a reader that kept the raw text would give it
    assert store.save(doc, [claim]).new and store.has_document(doc.id)
    (move,) = list_moves(store)
    assert "\x00" not in move["evidence"][0]["text"] and "\x00" not in move["evidence"][0]["doc"]


def test_a_table_of_flows_counts_only_the_undated_moves_it_would_hold(store: Store):
    from talentflow.query import count_undated, flows

    _save(store, "Ana Ruiz left Acme for Globex.", "2025-03-02",
          _claim("Ana Ruiz", "Acme", "Globex", date="2025-03-02"))
    _save(store, "Ben Cole, who left Acme for Globex, spoke.", None, _claim("Ben Cole", "Acme", "Globex"))
    _save(store, "Cy Park, who left Acme, spoke.", None, _claim("Cy Park", "Acme", None))
    assert flows(store, since="2025") == [{"from_org": "Acme", "to_org": "Globex", "moves": 1}]
    assert count_undated(store, "2025", None, kinds=("move",), both_sides=True) == 1  # Cy Park's move is in no flow
    assert flows(store, since="2025", undated="include")[0]["moves"] == 2


def test_the_data_version_holds_while_only_reading_and_moves_on_a_write(store: Store):
    before = store.data_version()
    list_moves(store)
    assert store.data_version() == before  # the web app's cached answers stay valid
    _save(store, "Ana Ruiz left Acme.", "2025-01-10", _claim("Ana Ruiz", "Acme", None, date="2025-01-10"))
    assert store.data_version() != before


def test_a_person_page_shows_rumours_that_stand_beside_no_move(store: Store):
    from fastapi.testclient import TestClient

    from talentflow.query import career
    from talentflow.web.app import create_app

    _save(store, "Ben Cole is said to be in talks to join Globex.", "2025-04-01",
          _claim("Ben Cole", None, "Globex", status="rumored", date="2025-04-01"))
    told = career(store, "Ben Cole")
    assert told["steps"] == [] and [r["status"] for r in told["reports"]] == ["rumored"]
    page = TestClient(create_app(store)).get("/person/Ben%20Cole").text
    assert "Rumours and denials (not moves)" in page and "in talks to join Globex" in page
