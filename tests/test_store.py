"""The store: migrations, one transaction per document, moves merged across documents."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import inspect

from talentflow.models import Claim, Document, Evidence
from talentflow.query import career, list_moves, list_reports, org_report, top_flows
from talentflow.schema import metadata
from talentflow.store import Store, database_url


def _claim(doc: Document, person: str, from_org: str | None, to_org: str | None, status: str = "confirmed",
           from_unit: str | None = None, to_unit: str | None = None, kind: str = "move") -> Claim:
    return Claim(kind=kind, person=person, from_org=from_org, to_org=to_org, from_unit=from_unit, to_unit=to_unit,
                 status=status, date=doc.published, evidence=Evidence(doc.text, 0, len(doc.text)), doc=doc.label)


def _doc(text: str, published: str, label: str) -> Document:
    return Document.from_text(text, published=published, label=label, url=f"https://example.org/{label}")


def test_plain_path_means_a_sqlite_file():
    assert database_url("x.db") == "sqlite:///x.db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_migrations_create_every_table_and_column_of_the_schema(db):
    store = Store(db)
    inspector = inspect(store.engine)
    for table in metadata.sorted_tables:
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name
    assert "alembic_version" in inspector.get_table_names()


def test_saving_the_same_document_twice_changes_nothing(db):
    store = Store(db)
    doc = _doc("Jane Roe has left Acme for Globex.", "2025-01-02", "a")
    first = store.save(doc, [_claim(doc, "Jane Roe", "Acme", "Globex")])
    second = store.save(doc, [_claim(doc, "Jane Roe", "Acme", "Globex")])
    assert (first.new, first.claims) == (True, 1)
    assert (second.new, second.claims) == (False, 0)
    assert len(list_moves(store)) == 1


def test_claims_from_several_documents_become_one_move_with_all_sources(db):
    store = Store(db)
    a = _doc("Jane Roe has left Acme.", "2025-01-02", "a")
    b = _doc("Globex hired Jane Roe, formerly of Acme.", "2025-01-05", "b")
    store.save(a, [_claim(a, "Jane Roe", "Acme", None)])
    store.save(b, [_claim(b, "Jane Roe", "Acme", "Globex", status="reported")])
    (move,) = list_moves(store)
    assert (move["from_org"], move["to_org"], move["sources"]) == ("Acme", "Globex", 2)
    assert move["status"] == "confirmed"  # confirmed beats reported
    assert move["first_seen"] == "2025-01-02"
    assert [e["doc"] for e in move["evidence"]] == ["a", "b"]


def test_units_are_stored_under_their_parent_and_found_through_it(db):
    store = Store(db)
    doc = _doc("Ravi Shah has joined Google DeepMind from Microsoft.", "2025-02-01", "c")
    store.save(doc, [_claim(doc, "Ravi Shah", "Microsoft", "Google", to_unit="Google DeepMind")])
    report = org_report(store, "Google")
    assert [r["person"] for r in report["joined"]] == ["Ravi Shah"]
    assert "Google DeepMind" in report["units"]
    assert [r["person"] for r in list_moves(store, org="DeepMind")] == ["Ravi Shah"]


def test_filters_on_person_dates_and_status(db):
    store = Store(db)
    a = _doc("Jane Roe has left Acme.", "2024-03-02", "a")
    b = _doc("Hugo Lam was in talks to join Acme.", "2025-06-01", "b")
    c = _doc("Mia Chen joined Acme.", "2025-07-01", "c")
    store.save(a, [_claim(a, "Jane Roe", "Acme", None)])
    store.save(b, [_claim(b, "Hugo Lam", None, "Acme", status="rumored")])
    store.save(c, [_claim(c, "Mia Chen", None, "Acme")])
    assert [m["person"] for m in list_moves(store)] == ["Mia Chen", "Jane Roe"]
    assert [m["person"] for m in list_moves(store, since="2025")] == ["Mia Chen"]
    assert [m["person"] for m in list_moves(store, until="2024")] == ["Jane Roe"]
    assert [m["person"] for m in list_moves(store, person="jane ROE")] == ["Jane Roe"]
    assert career(store, "Hugo Lam")["steps"] == []  # a rumour alone makes no move
    (rumour,) = list_reports(store, org="Acme")
    assert (rumour["person"], rumour["status"], rumour["move_id"]) == ("Hugo Lam", "rumored", None)
    flows = top_flows(store)
    assert flows["inflow"][0] == {"org": "Acme", "inflow": 1, "outflow": 1, "net": 0}


def test_a_failing_claim_rolls_back_the_whole_document(db):
    store = Store(db)
    doc = _doc("Jane Roe has left Acme.", "2025-01-02", "a")
    bad = _claim(doc, "Jane Roe", "Acme", None)
    bad.evidence = None  # type: ignore[assignment]  # no evidence: saving it fails mid-transaction
    store.save(doc, [_claim(doc, "Jane Roe", "Acme", None)])
    other = _doc("John Roe has left Acme.", "2025-01-03", "b")
    with pytest.raises(AttributeError):
        store.save(other, [_claim(other, "John Roe", "Acme", None), bad])
    assert not store.has_document(other.id)
    assert [m["person"] for m in list_moves(store)] == ["Jane Roe"]


@pytest.mark.skipif(not os.environ.get("TALENTFLOW_TEST_POSTGRES"), reason="set TALENTFLOW_TEST_POSTGRES to a URL")
def test_postgresql_backend_stores_and_answers_like_sqlite():
    url = os.environ["TALENTFLOW_TEST_POSTGRES"]
    store = Store(url)
    with store.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    a = _doc("Jane Roe has left Acme.", "2025-01-02", "pg-a")
    b = _doc("Globex hired Jane Roe.", "2025-01-05", "pg-b")
    store.save(a, [_claim(a, "Jane Roe", "Acme", None)])
    store.save(b, [_claim(b, "Jane Roe", "Acme", "Globex")])
    assert not store.save(a, [_claim(a, "Jane Roe", "Acme", None)]).new
    (move,) = list_moves(store, org="Globex", since="2025")
    assert (move["person"], move["from_org"], move["to_org"], move["sources"]) == ("Jane Roe", "Acme", "Globex", 2)
    store.close()


def test_database_file_is_created_where_asked(tmp_path: Path):
    path = tmp_path / "sub.db"
    Store(str(path)).close()
    assert path.exists()


def test_the_same_person_leaving_the_same_company_years_apart_is_two_moves(db):
    store = Store(db)
    a = _doc("Jane Roe left Acme in 2017.", "2017-03-01", "a")
    b = _doc("Jane Roe has left Acme again.", "2024-02-14", "b")
    store.save(a, [_claim(a, "Jane Roe", "Acme", None)])
    store.save(b, [_claim(b, "Jane Roe", "Acme", None)])
    assert sorted(m["date"] for m in list_moves(store)) == ["2017-03-01", "2024-02-14"]


def test_a_denial_is_kept_and_shown_but_does_not_undo_a_confirmed_move(db):
    store = Store(db)
    a = _doc("Jane Roe has left Acme for Globex.", "2025-01-02", "a")
    b = _doc("Jane Roe denied that she had left Acme.", "2025-01-03", "b")
    c = _doc("Hugo Lam denied reports that he is leaving Acme.", "2025-01-04", "c")
    store.save(a, [_claim(a, "Jane Roe", "Acme", "Globex")])
    store.save(b, [_claim(b, "Jane Roe", "Acme", None, status="denied")])
    store.save(c, [_claim(c, "Hugo Lam", "Acme", None, status="denied")])
    (move,) = list_moves(store)
    assert (move["person"], move["status"], move["denials"], move["sources"]) == ("Jane Roe", "confirmed", 1, 1)
    assert [e["status"] for e in move["evidence"]] == ["confirmed", "denied"]
    # A denial with no move to stand beside makes none; it is kept and listed as a report.
    assert {r["person"]: r["move_id"] for r in list_reports(store)} == {"Jane Roe": move["id"], "Hugo Lam": None}


def test_a_stated_date_is_the_effective_date_and_the_publication_the_reported_one(db):
    store = Store(db)
    a = _doc("Jane Roe joined Globex in March.", "2025-04-10", "a")
    claim = _claim(a, "Jane Roe", None, "Globex")
    claim.date, claim.date_stated = "2025-03", True
    store.save(a, [claim])
    (move,) = list_moves(store)
    assert (move["effective_date"], move["effective_precision"]) == ("2025-03", "month")
    assert (move["first_seen"], move["first_seen_precision"]) == ("2025-04-10", "day")
    assert list_moves(store, since="2025-04", dates="effective") == []
    assert len(list_moves(store, since="2025-04", dates="reported")) == 1


def test_a_move_told_only_as_undated_history_has_no_best_date(db):
    store = Store(db)
    a = _doc("Jane Roe spent nine years at Globex before joining Initech.", "2025-04-10", "a")
    claim = _claim(a, "Jane Roe", "Globex", "Initech")
    claim.date = None
    store.save(a, [claim])
    (move,) = list_moves(store)
    assert (move["date"], move["first_seen"]) == (None, "2025-04-10")
    assert list_moves(store, since="2025") == []


def test_the_schema_head_the_store_knows_is_alembics(db):
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from talentflow.store import SCHEMA_HEAD

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent.parent / "src" / "talentflow" / "migrations"))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD
    assert Store(db).schema_revision() == SCHEMA_HEAD


def test_migration_0010_fills_the_summaries_of_a_database_that_has_moves(db):
    """Down to 0009 (no summaries, no name index) and up again: the migration counts what is stored."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import select

    from conftest import summaries_disagree
    from talentflow.query import search
    from talentflow.schema import flow_counts, org_departures, org_move_counts

    store = Store(db)
    first, later = _doc("Ana Ruiz left FAIR for OpenAI.", "2025-03-02", "a"), _doc("x", "2025-06-01", "b")
    store.save(first, [_claim(first, "Ana Ruiz", "Meta", "OpenAI", from_unit="FAIR")])
    store.save(later, [_claim(later, "Ben Cole", "OpenAI", "Meta"), _claim(later, "Ana Ruiz", "OpenAI", None)])
    with store.engine.connect() as conn:
        kept = {t.name: {tuple(r) for r in conn.execute(select(t))} for t in (flow_counts, org_departures,
                                                                                org_move_counts)}
    assert all(kept.values())
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent.parent / "src" / "talentflow" / "migrations"))
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0009")
    assert "org_departures" not in inspect(store.engine).get_table_names()
    store.close()
    store = Store(db)  # back to the head, the summaries filled from the moves
    assert summaries_disagree(store) == []
    with store.engine.connect() as conn:
        assert {t.name: {tuple(r) for r in conn.execute(select(t))}
                for t in (flow_counts, org_departures, org_move_counts)} == kept
    assert [p["name"] for p in search(store, "ruiz")["people"]] == ["Ana Ruiz"]
    store.close()
