"""Candidate generators: every (person, organization) pair that a cue sentence could be telling a
move about, with high recall. The scorer decides which of them are moves.

Each generator is a small function registered by name in ``GENERATORS``; it reads one sentence
with what the document established around it (``SentenceContext``) and yields pairs. The pairs of
all generators are merged per sentence, the closest mention winning, and each pair is given the
cue nearest to it in the parse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from talentflow.extract.cues import Cue, cues_in
from talentflow.extract.rules import PERSON_TITLES
from talentflow.mentions import Mention, Mentions
from talentflow.models import Claim, Status, name_key
from talentflow.orgs import Gazetteer
from talentflow.registry import registrar

# Where an organization of a pair was found, best first: a pair found two ways keeps the first.
ORG_SOURCES = ("sentence", "propn", "rule", "previous", "topic", "first")
# Where an unknown proper noun stands when it names an employer: "at Ultraleap", "from Acme", "joined Acme".
EMPLOYER_PREPS = {"at", "from", "for", "with", "of", "to", "by"}


@dataclass(frozen=True)
class OrgRef:
    """An organization of a pair: company-level name and unit, and where the text gives it."""

    org: str
    unit: str | None
    known: bool
    kind: str | None  # company, lab, media, government ... from the gazetteer
    token: Token | None  # its word in the sentence; None when it comes from the context
    source: str  # one of ORG_SOURCES


@dataclass
class Candidate:
    """One person and one organization in one sentence, with the cue that may tie them."""

    sent: Span
    person: str
    person_words: Span  # the person's name as written here, or the pronoun that stands for them
    org: OrgRef
    cue: Cue
    status: Status = "confirmed"
    rule_types: dict[str, str] = field(default_factory=dict)  # type -> rule, where the rules found it here
    rule_role: str | None = None
    history: bool = False  # told as career history ("spent years at X before joining Y"): no date of its own
    sentence_cues: list[Cue] = field(default_factory=list)
    noise: str | None = None  # why the sentence looks like page furniture (a caption, a link list)
    # How many other people the rules read leaving, joining, founding this organization anywhere in
    # the document: an article about an exodus tells its departures in many shapes.
    org_others: dict[str, int] = field(default_factory=dict)
    # How many other organizations the rules read this person leaving, joining, founding in the
    # document: "X, CEO of Initech since 2021" says she left Initech when she joins Globex.
    person_elsewhere: dict[str, int] = field(default_factory=dict)
    features: list[str] = field(default_factory=list)

    @property
    def person_token(self) -> Token:
        return self.person_words.root

    @property
    def key(self) -> tuple[str, str]:
        return name_key(self.person), name_key(self.org.org)


@dataclass
class SentenceContext:
    sent: Span
    mentions: Mentions
    cues: list[Cue]
    rule_claims: list[Claim]  # the rules' claims from this sentence
    gazetteer: Gazetteer
    antecedent: Callable[[Token, Mentions], Mention | None]


Pair = tuple[str, Span, OrgRef]  # the person's name, their words here, an organization
Generator = Callable[[SentenceContext], Iterator[Pair]]
GENERATORS: dict[str, Generator] = {}
generator = registrar(GENERATORS)


def org_ref(m: Mention, doc: Doc, gazetteer: Gazetteer, source: str, in_sentence: bool) -> OrgRef:
    company = m.company
    known = gazetteer.lookup(m.name)
    return OrgRef(
        company.org if company else m.name,
        company.unit if company else None,
        m.known,
        known.kind if known else None,
        doc[m.start:m.end].root if in_sentence else None,
        source,
    )


def _people(ctx: SentenceContext) -> list[tuple[str, Span]]:
    """People named in the sentence, with those the model took for an organization ("Nadia Petrov"
    tagged ORG) where nothing else names them."""
    sent = ctx.sent
    named = [p for p in ctx.mentions.people if sent.start <= p.start < sent.end]
    named += [o for o in ctx.mentions.orgs if o.person_like and sent.start <= o.start < sent.end]
    return [(p.name, sent.doc[p.start:p.end]) for p in named if len(p.name.split()) >= 2]


def _org_refs(ctx: SentenceContext) -> list[OrgRef]:
    """The organizations the sentence names."""
    sent = ctx.sent
    return [org_ref(o, sent.doc, ctx.gazetteer, "sentence", True) for o in ctx.mentions.orgs
            if sent.start <= o.start < sent.end and not o.person_like]


@generator("named_pairs")
def named_pairs(ctx: SentenceContext) -> Iterator[Pair]:
    """Every person named in the sentence with every organization named in it."""
    orgs = _org_refs(ctx)
    for name, words in _people(ctx):
        for org in orgs:
            yield name, words, org


@generator("pronoun_subjects")
def pronoun_subjects(ctx: SentenceContext) -> Iterator[Pair]:
    """ "She left Acme": the person a subject pronoun stands for, with the sentence's organizations."""
    orgs = _org_refs(ctx)
    for t in ctx.sent:
        if t.lower_ in ("he", "she") and t.dep_ in ("nsubj", "nsubjpass"):
            person = ctx.antecedent(t, ctx.mentions)
            if person is not None and len(person.name.split()) >= 2:
                for org in orgs:
                    yield person.name, ctx.sent.doc[t.i : t.i + 1], org


@generator("context_orgs")
def context_orgs(ctx: SentenceContext) -> Iterator[Pair]:
    """The organization named last before the sentence, the one the document names most and the
    one it names first: "Roe joins as chief scientist", "co-founder Jane Roe left for Globex" often
    leave it unsaid."""
    doc, start = ctx.sent.doc, ctx.sent.start
    first = next((o for o in ctx.mentions.orgs if not o.person_like and not ctx.mentions.is_dateline(o)),
                 None)  # the headline's, often
    found = [("previous", ctx.mentions.last_org_before(start)), ("topic", ctx.mentions.topic_org_before(start)),
             ("first", first if first is not None and first.end <= start else None)]
    refs = [org_ref(m, doc, ctx.gazetteer, source, False) for source, m in found if m is not None]
    for name, words in _people(ctx):
        for org in refs:
            yield name, words, org


@generator("proper_noun_orgs")
def proper_noun_orgs(ctx: SentenceContext) -> Iterator[Pair]:
    """An unknown proper noun in an employer's place that the model tagged as something else or
    nothing: "after working at Tesla and Ultraleap" (tagged a place), "joined Quillwork"."""
    m = ctx.mentions
    refs: list[OrgRef] = []
    for t in ctx.sent:
        if t.pos_ != "PROPN" or not t.text[:1].isupper() or m.at(t) is not None or t.ent_type_ == "DATE":
            continue
        if t.dep_ == "compound":
            continue  # part of a longer name: its head is the candidate
        slot = t
        while slot.dep_ == "conj":
            slot = slot.head
        if t.ent_type_ in ("GPE", "LOC") and (slot is t or m.org_at(slot) is None):
            continue  # a place ("went to Lisbon"), unless listed with organizations ("at Tesla and Ultraleap")
        hirer = slot.dep_ == "nsubj" and any(c.token.i == slot.head.i and c.cls == "hire" for c in ctx.cues)
        employer = (slot.dep_ == "pobj" and slot.head.lower_ in EMPLOYER_PREPS) or slot.dep_ == "dobj" \
            or hirer or (slot is not t and m.org_at(slot) is not None)
        if not employer:
            continue
        span = ctx.sent.doc[t.left_edge.i : t.i + 1]
        if any(w.lower_ in PERSON_TITLES for w in span):
            continue  # "joined President Lee at dinner": a person with a title, not an employer
        name = " ".join(w.text for w in span if w.pos_ == "PROPN" and m.at(w) is None)
        if name:
            company = ctx.gazetteer.company_and_unit(name)
            refs.append(OrgRef(company.org, company.unit, False, None, t, "propn"))
    for name, words in _people(ctx):
        for org in refs:
            yield name, words, org


@generator("rule_claims")
def rule_claims(ctx: SentenceContext) -> Iterator[Pair]:
    """The organizations the hand-written rules resolved for a person here ("the company", "its
    CFO"), when the sentence does not name them itself."""
    people = {name_key(n): (n, t) for n, t in _people(ctx)}
    for claim in ctx.rule_claims:
        found = people.get(name_key(claim.person))
        if found is None:
            continue
        for org, unit in ((claim.from_org, claim.from_unit), (claim.to_org, claim.to_unit)):
            if org:
                known = ctx.gazetteer.lookup(org)
                yield found[0], found[1], OrgRef(org, unit, known is not None, known.kind if known else None,
                                                 None, "rule")


def tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one parse (a large number across sentences)."""
    up_a = [a, *a.ancestors]
    depth_b = {t.i: k for k, t in enumerate([b, *b.ancestors])}
    for k, t in enumerate(up_a):
        if t.i in depth_b:
            return k + depth_b[t.i]
    return 99


def nearest_cue(cues: list[Cue], person: Token, org: Token | None) -> Cue:
    def cost(c: Cue) -> tuple[int, int]:
        d = tree_distance(c.token, person) + (tree_distance(c.token, org) if org is not None else 0)
        # An event (a verb, "departure") over a word of career history or a role noun.
        return d + (0 if c.token.pos_ in ("VERB", "AUX") and c.cls != "history" else 1), abs(c.token.i - person.i)

    return min(cues, key=cost)


def rule_types(claims: list[Claim]) -> dict[tuple[str, str], dict[str, str]]:
    """(person, organization) -> {type: rule} for the rules' claims of a sentence."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for c in claims:
        person = name_key(c.person)
        for kind, org, _unit in c.items():
            found.setdefault((person, name_key(org)), {})[kind] = c.rule or "rule"
    return found


def candidates(ctx: SentenceContext, generators: dict[str, Generator] | None = None) -> list[Candidate]:
    """The merged pairs of all generators for one sentence (nothing when it has no cue)."""
    cues = cues_in(ctx.cues, ctx.sent)
    if not cues:
        return []
    by_key: dict[tuple[str, str], Candidate] = {}
    for gen in (generators or GENERATORS).values():
        for person, words, org in gen(ctx):
            token = words.root
            if org.token is not None and _across_semicolon(token, org.token):
                continue
            cand = Candidate(ctx.sent, person, words, org, nearest_cue(cues, token, org.token), sentence_cues=cues)
            old = by_key.get(cand.key)
            if old is None or _better(cand, old):
                by_key[cand.key] = cand
            kept, other = by_key[cand.key], old if old is not None and by_key[cand.key] is cand else cand
            if other is not kept and kept.org.unit is None and other.org.unit is not None:
                # "left FAIR after eight years at Meta": one company, and the unit is worth keeping
                kept.org = replace(kept.org, unit=other.org.unit)
    found = rule_types(ctx.rule_claims)
    roles = {name_key(c.person): c.role for c in ctx.rule_claims if c.role}
    # The rules leave a claim undated when the sentence tells history, not news.
    history = {name_key(c.person) for c in ctx.rule_claims if c.date is None and not c.date_stated}
    for key, cand in by_key.items():
        cand.rule_types = found.get(key, {})
        cand.rule_role = roles.get(key[0])
        cand.history = cand.cue.cls == "history" or key[0] in history
    return sorted(by_key.values(), key=lambda c: (c.person_token.i, c.org.token.i if c.org.token else -1))


def _across_semicolon(a: Token, b: Token) -> bool:
    """A semicolon between two words: they are in different items of a list ("A, CEO of X; B, a
    designer; C") or different clauses, and one item's organization is not another's."""
    lo, hi = sorted((a.i, b.i))
    return any(w.text == ";" for w in a.doc[lo + 1 : hi])


def _better(new: Candidate, old: Candidate) -> bool:
    rank_new, rank_old = ORG_SOURCES.index(new.org.source), ORG_SOURCES.index(old.org.source)
    if rank_new != rank_old:
        return rank_new < rank_old
    if new.org.token is None or old.org.token is None:
        return False
    return abs(new.person_token.i - new.org.token.i) < abs(old.person_token.i - old.org.token.i)
