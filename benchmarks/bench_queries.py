"""Query speed on a large graph: generates N moves (default 100,000) in a fresh SQLite file (or the
PostgreSQL database of ``--db URL``, emptied first) and prints p50 and p95 of every question the CLI
asks. Target: p95 under 50 ms for pages of 100 rows (issue 18); questions that return every row
("flows, every one") are timed too, for scale.

Organizations are drawn with a Zipf-like skew, so the largest ones (which users ask about most)
hold thousands of moves; a third of the moves have a second source; dates span 2015 to 2026 at
day, month and year precision.

    .venv/bin/python benchmarks/bench_queries.py [moves] [--keep FILE] [--db URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from talentflow.explore import MoveFilter, browse_moves
from talentflow.models import name_key
from talentflow.query import alumni, career, cohort_status, flows, list_moves, net_flow, org_report, search
from talentflow.resolve import NameParts
from talentflow.schema import claims, documents, moves, organizations, people, person_names
from talentflow.store import Store

TARGET_MS = 50
SYLLABLES = ("an", "bel", "cor", "da", "el", "fin", "ga", "hel", "io", "ja", "ka", "lin", "mo", "na", "or", "pa",
             "ri", "sa", "ta", "ul", "ve", "wen", "xi", "yo", "zu")
STATUSES = ("confirmed",) * 16 + ("reported",) * 2 + ("planned", "rumored", "denied")


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _date(rng: random.Random) -> str:
    year, month, day = rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice((f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}",
                       f"{year}-{month:02d}-{day:02d}"))


def generate(store: Store, n_moves: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    n_orgs, n_people = max(50, n_moves // 200), max(100, n_moves * 2 // 5)
    org_rows = [{"id": i + 1, "name": f"{_word(rng, 2)} {i}", "kind": "company", "parent_id": None}
                for i in range(n_orgs)]
    for i in range(0, 40, 4):  # units of the largest organizations
        org_rows.append({"id": len(org_rows) + 1, "name": f"{org_rows[i]['name']} Research", "kind": "lab",
                         "parent_id": org_rows[i]["id"]})
    units = {o["parent_id"]: o["name"] for o in org_rows if o["parent_id"]}
    weights = [1 / (rank + 1) ** 1.1 for rank in range(n_orgs)]
    person_rows, name_rows = [], []
    for i in range(n_people):
        name = f"{_word(rng, 2)} {_word(rng, 3)} {i}"
        parts = NameParts.of(name)
        person_rows.append({"id": i + 1, "name": name, "key": name_key(name)})
        name_rows.append({"key": name_key(name), "person_id": i + 1, "name": name, "first_key": parts.first,
                          "last_key": parts.last})
    move_rows, claim_rows, doc_rows = [], [], []
    for i in range(n_moves):
        kind = "founding" if rng.random() < 0.08 else "move"
        src, dst = rng.choices(range(1, n_orgs + 1), weights, k=2)
        from_id = None if kind == "founding" or rng.random() < 0.15 else src
        to_id = dst if kind == "founding" or rng.random() > 0.25 or from_id is None else None
        if from_id == to_id:
            to_id = None
        from_unit = to_unit = None
        if from_id in units and rng.random() < 0.3:
            from_unit = units[from_id]
        if to_id in units and rng.random() < 0.3:
            to_unit = units[to_id]
        published, stated = _date(rng), rng.random() < 0.4
        effective = _date(rng) if stated else None
        move_rows.append({
            "id": i + 1, "kind": kind, "person_id": rng.randint(1, n_people), "from_org_id": from_id,
            "to_org_id": to_id, "from_unit": from_unit, "to_unit": to_unit, "date": effective or published,
            "effective_date": effective, "first_seen": published,
            "status": rng.choice(STATUSES), "sources": 1, "denials": 0,
        })
        copies = 2 if rng.random() < 0.33 else 1
        move_rows[-1]["sources"] = copies
        for copy in range(copies):
            doc_id = f"{i:08d}-{copy}"
            text = f"Report {i}/{copy}: a generated sentence about move {i}."
            doc_rows.append({"id": doc_id, "label": doc_id, "url": f"https://news.example/{doc_id}",
                             "title": f"Move {i}", "published": published, "text": text, "ingested_at": "2026-01-01"})
            claim_rows.append({
                "document_id": doc_id, "move_id": i + 1, "kind": kind, "person_id": move_rows[-1]["person_id"],
                "person_name": person_rows[move_rows[-1]["person_id"] - 1]["name"], "status": move_rows[-1]["status"],
                "confidence": 0.8, "evidence_text": text, "evidence_start": 0, "evidence_end": len(text),
                "extractor": "bench", "extractor_version": "0", "date": effective or published,
                "date_stated": stated,
            })
    with store.engine.begin() as conn:
        for table, rows in ((organizations, org_rows), (people, person_rows), (person_names, name_rows),
                            (moves, move_rows), (documents, doc_rows), (claims, claim_rows)):
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(table), rows[start : start + 20_000])
    members = [person_rows[m["person_id"] - 1]["name"] for m in move_rows if m["from_org_id"] == 1][:60]
    members += [person_rows[i]["name"] for i in range(20)]
    store.create_cohort("paper-authors", org_rows[0]["name"], members)
    store.rebuild_summaries()  # the moves were written around the store
    with store.engine.begin() as conn:  # the planner's statistics, as a database in use has them
        conn.exec_driver_sql("ANALYZE")
    return describe(store)


def describe(store: Store) -> dict[str, Any]:
    """What the questions ask about, read from a generated database: the largest, second and a
    middle organization (by generation order), a unit, and the person with most moves."""
    with store.engine.connect() as conn:
        orgs = conn.execute(select(organizations.c.id, organizations.c.name, organizations.c.parent_id)
                            .order_by(organizations.c.id)).all()
        n_moves = conn.execute(select(func.count()).select_from(moves)).scalar_one()
        n_claims = conn.execute(select(func.count()).select_from(claims)).scalar_one()
        busiest = conn.execute(select(people.c.name).join(moves, moves.c.person_id == people.c.id)
                               .group_by(people.c.id, people.c.name).order_by(func.count().desc(), people.c.id)
                               .limit(1)).scalar_one()
    companies = [o for o in orgs if o.parent_id is None]
    return {"orgs": orgs, "largest": companies[0].name, "second": companies[1].name,
            "unit": next(o.name for o in orgs if o.parent_id is not None), "mid": companies[len(companies) // 10].name,
            "person": busiest, "moves": n_moves, "claims": n_claims}


def timed(fn: Callable[[], Any], runs: int = 20) -> tuple[float, float, Any]:
    """p50 and p95 in ms of ``runs`` calls, after one that warms the caches (as a running server's)."""
    fn()
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))], result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("moves", nargs="?", type=int, default=100_000)
    parser.add_argument("--keep", help="write the database here instead of a temporary file")
    parser.add_argument("--db", help="a PostgreSQL URL to fill instead (emptied first)")
    parser.add_argument("--reuse", help="time the questions on a database that --keep or --db filled before "
                                        "(brought up to date first, as any store is)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.reuse or args.db or args.keep or str(Path(tmp) / "bench.db")
        start = time.perf_counter()
        store = Store(path)
        if args.reuse:
            print(f"opened (and migrated) in {time.perf_counter() - start:.1f} s")
        if args.db and not args.reuse:
            from talentflow.schema import metadata

            with store.engine.begin() as conn:  # TRUNCATE: a DELETE would leave a million dead rows to scan
                conn.exec_driver_sql(f"TRUNCATE {', '.join(t.name for t in metadata.sorted_tables)} CASCADE")
        start = time.perf_counter()
        g = describe(store) if args.reuse else generate(store, args.moves)
        print(f"{'read' if args.reuse else 'generated'} {g['moves']:,} moves, {g['claims']:,} claims, "
              f"{len(g['orgs'])} organizations in {time.perf_counter() - start:.1f} s")
        big, second = g["largest"], g["second"]
        questions: list[tuple[str, Callable[[], Any], Callable[[Any], int]]] = [
            (f"moves --org '{big}' (first 100)", lambda: list_moves(store, org=big), len),
            (f"moves --org '{g['mid']}' --since 2024 --until 2025", lambda: list_moves(
                store, org=g["mid"], since="2024", until="2025"), len),
            (f"moves --org '{g['unit']}' (a unit)", lambda: list_moves(store, org=g["unit"]), len),
            ("moves --since 2026-01 --dates effective", lambda: list_moves(store, since="2026-01", dates="effective"),
             len),
            (f"moves --person '{g['person']}'", lambda: list_moves(store, person=g["person"]), len),
            (f"moves browser ?org='{big}' (page of 100 and the total)", lambda: browse_moves(
                store, MoveFilter(org=big), limit=100), lambda r: len(r["items"])),
            ("flows (all pairs, top 20)", lambda: flows(store, limit=20), len),
            ("flows (all pairs, every one)", lambda: flows(store), len),
            (f"flows --org '{big}' --since 2025 (the largest 100)", lambda: flows(
                store, org=big, since="2025", limit=100), len),
            (f"flows --between '{big}' '{second}' (the newest 100 each way)", lambda: net_flow(
                store, big, second, limit=100), lambda r: len(r["moves_a_to_b"]) + len(r["moves_b_to_a"])),
            (f"alumni '{g['mid']}'", lambda: alumni(store, g["mid"]), lambda r: len(r["alumni"])),
            (f"alumni '{big}' --since 2025", lambda: alumni(store, big, since="2025"), lambda r: len(r["alumni"])),
            (f"alumni '{big}' (all years)", lambda: alumni(store, big), lambda r: len(r["alumni"])),
            ("cohort status paper-authors", lambda: cohort_status(store, "paper-authors"),
             lambda r: r["members"]),
            (f"person '{g['person']}'", lambda: career(store, g["person"]), lambda r: len(r["steps"])),
            (f"org '{g['mid']}'", lambda: org_report(store, g["mid"]),
             lambda r: len(r["joined"]) + len(r["left"]) + len(r["founded"])),
            (f"search '{g['person'][:9]}' (part of a name)", lambda: search(store, g["person"][:9]),
             lambda r: len(r["people"]) + len(r["organizations"])),
            (f"search '{g['largest'][:3]}'", lambda: search(store, g["largest"][:3]),
             lambda r: len(r["people"]) + len(r["organizations"])),
        ]
        print(f"{'question':62} {'rows':>7} {'p50 ms':>8} {'p95 ms':>8}")
        slow = paged = 0
        for label, fn, size in questions:
            p50, p95, result = timed(fn)
            whole = "every one" in label  # not a page: timed for scale, outside the target
            paged += not whole
            slow += p95 > TARGET_MS and not whole
            mark = "  (every row)" if whole else "  SLOW" if p95 > TARGET_MS else ""
            print(f"{label[:62]:62} {size(result):>7,} {p50:>8.1f} {p95:>8.1f}{mark}")
        print(f"{paged - slow} of {paged} questions asking for a page with p95 under {TARGET_MS} ms")
        store.close()


if __name__ == "__main__":
    main()
