"""Scoring the extractor against hand-made gold labels (format: shared/corpus/ANNOTATION.md).

A claim becomes gold-style items: a move gives ``left`` from_org and ``joined`` to_org, a founding
gives ``founded``. Items are compared per document on (type, person, organization):

- people match on the full name with case, accents and punctuation ignored, and a first-name
  initial matching the full first name ("J. Schulman" = "John Schulman");
- organizations match through the gazetteer's aliases and units (a claim about Google DeepMind
  matches gold org "Google" with unit "Google DeepMind", and the reverse);
- gold items marked ``optional`` neither reward nor penalise.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from talentflow.models import FACT_STATUSES, NAME_SUFFIXES, Claim, name_key
from talentflow.orgs import Gazetteer
from talentflow.schema import claims, moves

if TYPE_CHECKING:
    from talentflow.store import Store

TYPES = ("left", "joined", "founded")


@dataclass(frozen=True)
class Item:
    doc: str
    type: str
    person: str
    org: str
    unit: str | None = None
    optional: bool = False
    evidence: str = ""


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in (*TYPES, "overall")})
    false_positives: list[Item] = field(default_factory=list)
    false_negatives: list[Item] = field(default_factory=list)
    claims_on_negative_docs: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            name: {"precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3),
                   "tp": s.tp, "fp": s.fp, "fn": s.fn}
            for name, s in self.scores.items()
        }


def load_gold(gold_dir: Path) -> dict[str, list[Item]]:
    gold: dict[str, list[Item]] = {}
    files = sorted(gold_dir.glob("*.gold.json"))
    if not files:
        raise ValueError(f"{gold_dir}: no *.gold.json files")
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        doc = Path(data.get("doc") or path.name.removesuffix(".gold.json")).stem
        gold[doc] = [
            Item(doc, i["type"], i["person"], i["org"], i.get("unit"), bool(i.get("optional")), i.get("evidence", ""))
            for i in data.get("items", [])
        ]
    return gold


def claim_items(claim: Claim, doc: str) -> list[Item]:
    return [Item(doc, kind, claim.person, org, unit, evidence=claim.evidence.text)
            for kind, org, unit in claim.items()]


# A generation after a surname ("Wright Lassiter III"): the same person with it or without it.
GENERATIONS = {name_key(suffix) for suffix in NAME_SUFFIXES}


def same_person(a: str, b: str) -> bool:
    ka, kb = _without_generation(name_key(a).split()), _without_generation(name_key(b).split())
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if ka[-1] != kb[-1]:
        return False
    fa, fb = ka[0], kb[0]
    return fa == fb or (len(fa) == 1 and fb.startswith(fa)) or (len(fb) == 1 and fa.startswith(fb))


def _without_generation(words: list[str]) -> list[str]:
    return words[:-1] if len(words) > 2 and words[-1] in GENERATIONS else words


def _org_names(gazetteer: Gazetteer, org: str, unit: str | None) -> set[str]:
    names = {name_key(org)}
    for value in (org, unit):
        if value:
            names.add(name_key(value))
            cu = gazetteer.company_and_unit(value)
            names.add(name_key(cu.org))
    return names


def same_org(gazetteer: Gazetteer, pred: Item, gold: Item) -> bool:
    pred_company = name_key(gazetteer.company_and_unit(pred.org).org)
    gold_names = _org_names(gazetteer, gold.org, gold.unit)
    return pred_company in gold_names or name_key(pred.org) in gold_names


def same_item(gazetteer: Gazetteer, pred: Item, gold: Item) -> bool:
    """A predicted item states a gold item: same type, person and organization."""
    return pred.type == gold.type and same_person(pred.person, gold.person) and same_org(gazetteer, pred, gold)


def score(
    gold: dict[str, list[Item]],
    claims_by_doc: dict[str, Iterable[Claim]],
    gazetteer: Gazetteer,
) -> Report:
    report = Report()
    for doc, gold_items in gold.items():
        predicted: list[Item] = []
        for claim in claims_by_doc.get(doc, ()):
            if claim.status not in FACT_STATUSES:
                continue
            for item in claim_items(claim, doc):
                duplicate = any(
                    same_item(gazetteer, item, p)
                    for p in predicted
                )
                if not duplicate:
                    predicted.append(item)
        if not gold_items:
            report.claims_on_negative_docs[doc] = len(predicted)
        matched: set[int] = set()
        for item in predicted:
            hit = next(
                (
                    (k, g)
                    for k, g in enumerate(gold_items)
                    if same_item(gazetteer, item, g) and (k not in matched or g.optional)
                ),
                None,
            )
            if hit is None:
                report.scores[item.type].fp += 1
                report.false_positives.append(item)
                continue
            k, g = hit
            matched.add(k)
            if not g.optional:
                report.scores[item.type].tp += 1
        for k, g in enumerate(gold_items):
            if not g.optional and k not in matched:
                report.scores[g.type].fn += 1
                report.false_negatives.append(g)
    overall = report.scores["overall"]
    for t in TYPES:
        overall.tp += report.scores[t].tp
        overall.fp += report.scores[t].fp
        overall.fn += report.scores[t].fn
    return report



# -- the resolved graph -----------------------------------------------------------------------------


@dataclass
class GraphReport:
    """The graph against the gold of every article, per person: does the graph assert (person,
    left/joined/founded, organization) that some article states, and the reverse."""

    report: Report
    moves: int
    unsupported: list[dict]  # moves with an organization or date that none of their facts states


def graph_items(store: Store) -> list[Item]:
    """What the resolved graph asserts, as gold-style items (one per side of each move)."""
    from talentflow.query import moves_select

    items = []
    with store.engine.connect() as conn:
        for m in conn.execute(moves_select().where(moves.c.status.in_(list(FACT_STATUSES)))):
            if m.kind == "founding":
                items += [Item("graph", "founded", m.person, m.to_org, m.to_unit)] if m.to_org else []
                continue
            if m.from_org:
                items.append(Item("graph", "left", m.person, m.from_org, m.from_unit))
            if m.to_org:
                items.append(Item("graph", "joined", m.person, m.to_org, m.to_unit))
    return items


def unsupported_moves(store: Store) -> list[dict]:
    """Moves that say something none of their facts (confirmed, reported or planned claims a
    reviewer has not rejected) states: an organization, a date, or no fact at all. Must be empty."""
    from talentflow.query import dicts, moves_select
    from talentflow.store import not_rejected

    with store.engine.connect() as conn:
        found = dicts(conn.execute(moves_select()))
        facts: dict[int, list[dict]] = {}
        for c in dicts(conn.execute(
                select(claims.c.move_id, claims.c.from_org, claims.c.to_org, claims.c.date, claims.c.status)
                .where(claims.c.move_id.is_not(None), claims.c.status.in_(list(FACT_STATUSES)), not_rejected()))):
            facts.setdefault(c["move_id"], []).append(c)
    bad = []
    for m in found:
        theirs = facts.get(m["id"], [])
        why = [] if theirs else ["no fact"]
        for side in ("from_org", "to_org"):
            if m[side] and m[side] not in {c[side] for c in theirs}:
                why.append(f"{side} {m[side]} stated by no fact")
        if m["date"] and m["date"] not in {c["date"] for c in theirs}:
            why.append(f"date {m['date']} stated by no fact")
        if m["status"] not in FACT_STATUSES:
            why.append(f"status {m['status']}")
        if why:
            bad.append({"move": m["id"], "person": m["person"], "why": "; ".join(why)})
    return bad


def score_graph(gold: dict[str, list[Item]], store: Store) -> GraphReport:
    """Score the graph against the union of the gold items of all articles, per person: an item
    stated by several articles counts once; one stated only as optional neither rewards nor
    penalises."""
    gazetteer = store.gazetteer
    union: list[Item] = []
    for items in gold.values():
        for item in items:
            same = next((i for i, u in enumerate(union) if same_item(gazetteer, item, u)), None)
            if same is None:
                union.append(replace(item, doc="gold"))
            elif union[same].optional and not item.optional:
                union[same] = replace(union[same], optional=False)
    report = Report()
    asserted: list[Item] = []
    for item in graph_items(store):
        if not any(same_item(gazetteer, item, a) for a in asserted):
            asserted.append(item)
    matched: set[int] = set()
    for item in asserted:
        hits = [i for i, g in enumerate(union) if same_item(gazetteer, item, g)]
        if any(not union[i].optional for i in hits):
            matched.update(hits)
            for s in (report.scores[item.type], report.scores["overall"]):
                s.tp += 1
        elif not hits:
            report.false_positives.append(item)
            for s in (report.scores[item.type], report.scores["overall"]):
                s.fp += 1
    for i, g in enumerate(union):
        if i not in matched and not g.optional:
            report.false_negatives.append(g)
            for s in (report.scores[g.type], report.scores["overall"]):
                s.fn += 1
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(moves)).scalar_one()
    return GraphReport(report, total, unsupported_moves(store))
