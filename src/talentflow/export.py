"""The whole graph in files other tools read: CSV for spreadsheets, JSON Lines for programs,
GraphML for Gephi, and FollowTheMoney entities for the tools of open-data journalism.

Every writer streams: people, organizations and moves are read in chunks, never all at once.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import Any, Literal, TextIO
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy import select

from talentflow.models import FACT_STATUSES
from talentflow.query import attach_evidence, by_person, move_row, moves_select, stints
from talentflow.schema import moves, organizations, people, person_names
from talentflow.store import Store

ExportFormat = Literal["csv", "jsonl", "graphml", "ftm"]
CHUNK = 2000
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CSV_COLUMNS = ("id", "kind", "person", "from_org", "from_unit", "to_org", "to_unit", "role", "date",
               "date_precision", "effective_date", "first_seen", "status", "denials", "sources", "copies",
               "evidence", "urls")
# FollowTheMoney schemata for our kinds of organization.
FTM_SCHEMA = {"company": "Company", "government": "PublicBody"}


def export(store: Store, format: ExportFormat, out: TextIO, statuses: tuple[str, ...] = FACT_STATUSES) -> int:
    """Write the graph to ``out``; returns the number of records written."""
    writer = {"csv": _csv, "jsonl": _jsonl, "graphml": _graphml, "ftm": _ftm}[format]
    return writer(store, out, statuses)


def _moves(store: Store, statuses: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Every move with its evidence, in id order, chunk by chunk."""
    last = 0
    with store.engine.connect() as conn:
        while True:
            query = (moves_select().where(moves.c.id > last, moves.c.status.in_(statuses))
                     .order_by(moves.c.id).limit(CHUNK))
            rows = [move_row(r) for r in conn.execute(query)]
            if not rows:
                return
            attach_evidence(conn, rows)
            yield from rows
            last = rows[-1]["id"]


def _people_with_moves(store: Store, statuses: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], list[dict]]]:
    """Each person with their moves, oldest first, a chunk of people at a time."""
    batch: list[dict[str, Any]] = []
    for person in (*_people(store), None):
        if person is not None:
            batch.append(person)
        if batch and (person is None or len(batch) == CHUNK):
            with store.engine.connect() as conn:
                steps = by_person(conn, [p["id"] for p in batch], statuses)
                for p in batch:
                    rows = [move_row(s) for s in steps.get(p["id"], [])]
                    attach_evidence(conn, rows)
                    yield p, rows
            batch = []


def _people(store: Store) -> Iterator[dict[str, Any]]:
    with store.engine.connect() as conn:
        names: dict[int, list[str]] = {}
        for r in conn.execute(select(person_names.c.person_id, person_names.c.name)):
            names.setdefault(r.person_id, []).append(r.name)
        for r in conn.execute(select(people.c.id, people.c.name).order_by(people.c.id)):
            yield {"id": r.id, "name": r.name, "names": sorted(set(names.get(r.id, [])) - {r.name})}


def _organizations(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(organizations).order_by(organizations.c.id)).all()
    by_id = {r.id: r.name for r in rows}
    return [{"id": r.id, "name": r.name, "kind": r.kind, "parent": by_id.get(r.parent_id)} for r in rows]


def _csv(store: Store, out: TextIO, statuses: tuple[str, ...]) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    n = 0
    for m in _moves(store, statuses):
        writer.writerow(csv_row(m))
        n += 1
    return n


def csv_row(move: dict[str, Any]) -> list[Any]:
    """A move as a CSV row: its fields, the first source's sentence, and every source's address
    (copies included)."""
    first = move["evidence"][0]["text"] if move["evidence"] else ""
    urls = " ".join(dict.fromkeys(d["url"] or d["doc"] or "" for e in move["evidence"]
                                  for d in (e, *e.get("copies", ()))))
    return [*(move.get(c) for c in CSV_COLUMNS[:-2]), first, urls]


def _jsonl(store: Store, out: TextIO, statuses: tuple[str, ...]) -> int:
    n = 0
    for org in _organizations(store):
        out.write(json.dumps({"type": "organization", **org}, ensure_ascii=False) + "\n")
        n += 1
    for person in _people(store):
        out.write(json.dumps({"type": "person", **person}, ensure_ascii=False) + "\n")
        n += 1
    for move in _moves(store, statuses):
        out.write(json.dumps({"type": "move", **move}, ensure_ascii=False) + "\n")
        n += 1
    return n


GRAPHML_KEYS = (
    ("label", "node", "string"), ("type", "node", "string"), ("kind", "node", "string"),
    ("relation", "edge", "string"), ("date", "edge", "string"), ("status", "edge", "string"),
    ("sources", "edge", "int"), ("weight", "edge", "int"), ("evidence", "edge", "string"),
)


def _graphml(store: Store, out: TextIO, statuses: tuple[str, ...]) -> int:
    """People and organizations as nodes; each move as edges from the person (left, joined,
    founded); and org -> org edges weighted by the number of people who moved."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    for name, domain, kind in GRAPHML_KEYS:
        out.write(f'  <key id="{name}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>\n')
    out.write('  <graph id="talentflow" edgedefault="directed">\n')

    def node(node_id: str, **data: Any) -> None:
        out.write(f"    <node id={quoteattr(node_id)}>{_data(data)}</node>\n")

    def edge(source: str, target: str, **data: Any) -> None:
        out.write(f"    <edge source={quoteattr(source)} target={quoteattr(target)}>{_data(data)}</edge>\n")

    n = 0
    org_ids = {}
    for o in _organizations(store):
        org_ids[o["name"]] = f"org{o['id']}"
        node(f"org{o['id']}", label=o["name"], type="organization", kind=o["kind"])
        n += 1
    for p in _people(store):
        node(f"person{p['id']}", label=p["name"], type="person")
        n += 1
    flow: dict[tuple[str, str], int] = {}
    for m in _moves(store, statuses):
        person = f"person{m['person_id']}"
        common = {"date": m["date"], "status": m["status"], "sources": m["sources"],
                  "evidence": m["evidence"][0]["text"] if m["evidence"] else None}
        if m["from_org"]:
            edge(person, org_ids[m["from_org"]], relation="left", **common)
        if m["to_org"]:
            edge(person, org_ids[m["to_org"]], relation="founded" if m["kind"] == "founding" else "joined", **common)
        if m["kind"] == "move" and m["from_org"] and m["to_org"]:
            pair = (org_ids[m["from_org"]], org_ids[m["to_org"]])
            flow[pair] = flow.get(pair, 0) + 1
        n += 1
    for (source, target), weight in sorted(flow.items()):
        edge(source, target, relation="flow", weight=weight)
    out.write("  </graph>\n</graphml>\n")
    return n


def _data(values: dict[str, Any]) -> str:
    return "".join(f'<data key="{k}">{escape(_xml_chars(str(v)))}</data>' for k, v in values.items() if v is not None)


def _xml_chars(text: str) -> str:
    """Drop the control characters XML 1.0 cannot hold (article text may contain them)."""
    return INVALID_XML.sub("", text)


def _ftm(store: Store, out: TextIO, statuses: tuple[str, ...]) -> int:
    """FollowTheMoney entities: Person, Company / Organization / PublicBody (units with their
    parent), and one Employment per stint, with start and end dates and the sources' sentences."""
    n = 0

    def write(entity_id: str, schema: str, **properties: Any) -> None:
        nonlocal n
        props = {k: [str(x) for x in (v if isinstance(v, list) else [v]) if x] for k, v in properties.items()}
        out.write(json.dumps({"id": entity_id, "schema": schema,
                              "properties": {k: v for k, v in props.items() if v}}, ensure_ascii=False) + "\n")
        n += 1

    orgs = _organizations(store)
    org_ids = {o["name"]: f"talentflow-org-{o['id']}" for o in orgs}
    for o in orgs:
        write(org_ids[o["name"]], FTM_SCHEMA.get(o["kind"], "Organization"), name=o["name"],
              parent=org_ids.get(o["parent"]) if o["parent"] else None)
    for p, steps in _people_with_moves(store, statuses):
        person_id = f"talentflow-person-{p['id']}"
        write(person_id, "Person", name=p["name"], alias=p["names"])
        by_move = {s["id"]: s for s in steps}
        for i, stint in enumerate(stints(steps)):
            evidence = [e for move_id in stint["moves"] for e in by_move[move_id]["evidence"]]
            role = "Founder" if stint["founder"] else stint["role"]
            write(f"{person_id}-employment-{i + 1}", "Employment", employee=person_id,
                  employer=org_ids[stint["unit"]] if stint["unit"] in org_ids else org_ids[stint["org"]],
                  startDate=stint["start"], endDate=stint["end"], role=role,
                  description=[e["text"] for e in evidence],
                  sourceUrl=list(dict.fromkeys(e["url"] for e in evidence if e["url"])))
    return n
