"""Extraction: a parsed document -> claims (moves and foundings), decided by a learned scorer.

    document --spaCy--> parse --mentions--> people, organizations
                                   |
          cues (cues.py) ----------+---- hand-written rules (rules.py): their claims
                                   v
     candidates (candidates.py): each person x organization of a cue sentence
                                   v
     features (features.py) --> scorer (scorer.py, weights in data/scorer.json)
                                   v
     claims: p(left), p(joined), p(founded) over each type's threshold; status, date, evidence

Each stage is a small unit with one interface, registered by name where there are several of a
kind (generators, feature functions). ``talentflow train`` fits the scorer on labelled corpora
(``train.py``); extraction itself only sums weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from talentflow.extract.base import DocumentExtractor
from talentflow.extract.candidates import Candidate, SentenceContext, candidates, tree_distance
from talentflow.extract.cascade import Cascade, cascade_wanted
from talentflow.extract.cues import Cue, CueFinder, cues_in
from talentflow.extract.features import CONTEXT_SOURCES, Lexicon, featurize
from talentflow.extract.groups import GroupClaim, GroupFinder
from talentflow.extract.rules import RuleExtractor, _antecedent, _date_marker, _evidence, _governing_chain
from talentflow.extract.scorer import TYPES, Scorer, load_scorer
from talentflow.mentions import Mentions
from talentflow.models import FACT_STATUSES, REPORT_STATUSES, Claim, ClaimKind, Document, name_key
from talentflow.orgs import Gazetteer

EXTRACTOR = "scorer"
EXTRACTOR_VERSION = "1.0"
# A probability at which both leaving and joining the same organization are claimed.
SURE = 0.5
# Edges from a cue to an organization it governs: its object (1) or the object of its preposition (2).
GOVERNS = 2


@dataclass
class Trace:
    """One candidate of one sentence and what the scorer made of it, for ``talentflow explain``."""

    sentence: str
    person: str
    org: str
    cue: str
    probabilities: dict[str, float]
    accepted: list[str]
    status: str
    features: list[str]
    scorer: Scorer

    def contributions(self, kind: str) -> list[tuple[str, float]]:
        """What each feature added to the probability of ``kind``, largest first (computed on demand:
        only ``explain`` needs it)."""
        return self.scorer.models[kind].contributions(self.features)


@dataclass
class Extraction:
    claims: list[Claim] = field(default_factory=list)
    traces: list[Trace] = field(default_factory=list)
    groups: list[GroupClaim] = field(default_factory=list)


@dataclass
class PairEvidence:
    """Everything a document says about one person and one organization: the candidates of every
    sentence that names both, and the union of their features. The scorer decides on this."""

    candidates: list[Candidate]
    features: list[str]

    @property
    def first(self) -> Candidate:
        return self.candidates[0]


def pair_evidence(candidates: list[Candidate]) -> list[PairEvidence]:
    """Candidates grouped by (person, organization) across the document; attempts and denials apart,
    one group each, so that a refusal never lends its words to a move told elsewhere."""
    groups: dict[tuple[str, str, str], list[Candidate]] = {}
    for cand in candidates:
        fact = cand.status in FACT_STATUSES
        groups.setdefault((*cand.key, "fact" if fact else f"{cand.sent.start}"), []).append(cand)
    out = []
    for group in groups.values():
        # Where a sentence names the organization, guesses from other sentences' context add nothing.
        named = [c for c in group if c.org.source not in CONTEXT_SOURCES]
        group = named or group
        features = sorted({f for c in group for f in c.features})
        features.append(f"sentences={min(len(group), 4)}")
        out.append(PairEvidence(group, features))
    return out


@dataclass
class DocumentCandidates:
    """A document's candidates with their features: what the scorer decides on (and trains on)."""

    document: Document
    candidates: list[Candidate]
    published: str | None
    mentions: Mentions
    cues: list[Cue]
    pairs: list[PairEvidence] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pairs = pair_evidence(self.candidates)


class Extractor(DocumentExtractor["Extraction"]):
    """Turns a Document into Claims. One instance holds the pipeline, the word lists and the scorer."""

    def __init__(self, gazetteer: Gazetteer | None = None, scorer: Scorer | None = None,
                 cascade: bool | None = None) -> None:
        self.rules = RuleExtractor(gazetteer)
        self.nlp = self.rules.nlp
        self.gazetteer = self.rules.gazetteer
        self.cues = CueFinder(self.nlp, self.rules.words)
        # Only the sentences that can carry a move, with their context, are parsed (cascade.py).
        if cascade is None:  # $TALENTFLOW_CASCADE=off parses every sentence (to compare, or to time)
            cascade = cascade_wanted()
        self.cascade = Cascade(self.nlp, self.cues) if cascade else None
        self.lexicon = Lexicon.load(self.rules.words)
        self.report_denial_verbs = self.rules.words.words("report_denial_verbs")
        self.group_finder = GroupFinder(self.rules.words)
        self.type_cue_classes = {t: frozenset(classes) for t, classes in
                                 self.rules.words.table("type_cue_classes").items()}
        self.scorer = scorer or load_scorer()

    # -- public (extract, run and pipe come from DocumentExtractor) -----------------------------

    def run_parsed(self, document: Document, doc: Doc) -> Extraction:
        dc = self.candidates(document, doc)
        result = self.decide(dc)
        result.groups = self.groups(dc, doc)
        return result

    def groups(self, dc: DocumentCandidates, doc: Doc) -> list[GroupClaim]:
        """Unnamed groups that left or joined an organization (not claims about a person)."""
        mentions = dc.mentions
        found: list[GroupClaim] = []
        for sent in doc.sents:
            for cue, kind, phrase, org_word in self.group_finder.find(sent, dc.cues, mentions):
                org = mentions.org_at(org_word)
                name = org.name if org else " ".join(
                    w.text for w in doc[org_word.left_edge.i : org_word.i + 1] if w.pos_ == "PROPN")
                company = org.company if org and org.company else self.gazetteer.company_and_unit(name)
                found.append(GroupClaim(
                    dc.document.reference, kind,
                    company.org, company.unit, phrase.text,
                    self.rules._status(cue.token, sent), _evidence(sent, dc.document.text)))
        return found

    # -- stages -----------------------------------------------------------------------------

    def candidates(self, document: Document, doc: Doc) -> DocumentCandidates:
        """Every candidate of the document, with its status and features."""
        mentions = self.rules.mentions(doc)
        rule_claims = self.rules.run_parsed(document, doc, mentions).claims
        by_sentence: dict[int, list[Claim]] = {}
        for claim in rule_claims:
            by_sentence.setdefault(claim.evidence.start, []).append(claim)
        cues = self.cues.find(doc)
        found: list[Candidate] = []
        for sent in doc.sents:
            ctx = SentenceContext(sent, mentions, cues, by_sentence.get(sent.start_char, []), self.gazetteer,
                                  _antecedent)
            noise = self.rules._noise_reason(sent)
            for cand in candidates(ctx):
                cand.status = self.rules._status(cand.cue.token, sent)
                cand.noise = noise
                found.append(cand)
        by_org, by_person = _movers(rule_claims)  # who moved at each organization; where each person moved
        for cand in found:
            person, org = cand.key
            cand.org_others = {kind: len(by_org.get((org, kind), set()) - {person}) for kind in TYPES}
            cand.person_elsewhere = {kind: len(by_person.get((person, kind), set()) - {org}) for kind in TYPES}
            cand.features = featurize(cand, self.lexicon, self.scorer.features)
        return DocumentCandidates(document, found, document.published or _date_marker(document.text), mentions,
                                  cues)

    def decide(self, dc: DocumentCandidates, scorer: Scorer | None = None) -> Extraction:
        """The claims the scorer accepts: per sentence and person, a move from what they left to
        what they joined, and a founding per company founded."""
        scorer = scorer or self.scorer
        result = Extraction()
        groups: dict[tuple[int, str], list[tuple[Candidate, str, float]]] = {}
        # Every pair, and every candidate of a pair told in several sentences, scored in one batch.
        several = [c for pair in dc.pairs if len(pair.candidates) > 1 for c in pair.candidates]
        scored = scorer.probabilities_of([p.features for p in dc.pairs] + [c.features for c in several])
        by_candidate = {id(c): probs for c, probs in zip(several, scored[len(dc.pairs):], strict=True)}
        for pair, probs in zip(dc.pairs, scored[: len(dc.pairs)], strict=True):
            accepted = [t for t in TYPES if probs[t] >= scorer.models[t].threshold]
            if {"left", "joined"} <= set(accepted) and min(probs["left"], probs["joined"]) < SURE:
                # Leaving and joining one organization is rare (a return): claim only the likelier.
                accepted.remove("left" if probs["left"] < probs["joined"] else "joined")
            cand = pair.first
            result.traces.append(Trace(
                " / ".join(dict.fromkeys(c.sent.text.strip() for c in pair.candidates)), cand.person,
                cand.org.org, cand.cue.feature, probs, accepted, cand.status, pair.features, scorer))
            for t in accepted:
                for cand in _telling(pair, t, by_candidate, scorer.models[t].threshold):
                    groups.setdefault((cand.sent.start, name_key(cand.person)), []).append((cand, t, probs[t]))
        for items in groups.values():
            result.claims += self._claims(dc, items)
        denied = self._denied_moves(dc)
        for claim in result.claims:
            # "Roe dismissed talk of her departure from Acme" in one sentence, "a report said Roe plans
            # to leave Acme" in another: the report is of a move the article says was denied (a
            # founding is never: only leaving and joining are, DENIABLE_CUES).
            for side, org, _unit in claim.items():
                orgs = denied.get((name_key(claim.person), side))
                if orgs is not None and (not orgs or name_key(org) in orgs):
                    claim.status = "denied"
        return result

    def _denied_moves(self, dc: DocumentCandidates) -> dict[tuple[str, str], set[str]]:
        """(person, "left" or "joined") -> the organizations named with it, for each person named in
        a sentence whose leave or join cue is denied ("dismissed speculation about an imminent
        departure", "declined to join Acme"); no organization named stands for any."""
        found: dict[tuple[str, str], set[str]] = {}
        for cue in dc.cues:
            side = DENIABLE_CUES.get(cue.cls)
            if side is None:
                continue
            # Only a report denied ("denied reports of", "dismissed speculation about"; these verbs are
            # denial words of `status_lemmas` too): one who "declined to comment on" a move, or refused
            # an offer, says nothing of other sentences.
            if not {w.lemma_.lower() for w in _governing_chain(cue.token)[1:]} & self.report_denial_verbs:
                continue
            sent = cue.token.sent
            orgs = {name_key(o.company.org if o.company else o.name) for o in dc.mentions.orgs
                    if sent.start <= o.start < sent.end}
            for p in dc.mentions.people:
                if sent.start <= p.start < sent.end:
                    found.setdefault((name_key(p.name), side), set()).update(orgs)
        return found

    def _claims(self, dc: DocumentCandidates, items: list[tuple[Candidate, str, float]]) -> list[Claim]:
        founded = [(c, p) for c, t, p in items if t == "founded"]
        # "left Google to start the company": the company a verb of the sentence founds is not one it
        # leaves unsaid (a founder noun may be: "co-founder Jane Roe left for Globex"; and where the
        # sentence names it, it may be both: "left Acme, which she co-founded").
        started = {c.org.org for c, _ in founded
                   if any(q.cls == "found" and q.token.pos_ == "VERB" for q in c.sentence_cues)}
        left = [(c, p) for c, t, p in items if t == "left" and not (c.org.token is None and c.org.org in started)]
        joined = [(c, p) for c, t, p in items if t == "joined"]
        pairs: list[tuple[tuple[Candidate, float] | None, tuple[Candidate, float] | None]] = []
        if len(joined) == 1:
            to = joined[0]
            froms = [f for f in left if f[0].org.org != to[0].org.org]
            pairs += [(f, to) for f in froms] or [(None, to)]
            pairs += [(f, None) for f in left if f[0].org.org == to[0].org.org]
        else:
            pairs += [(None, j) for j in joined] + [(f, None) for f in left]
        claims = [self._claim(dc, "move", f, t) for f, t in pairs]
        claims += [self._claim(dc, "founding", None, f) for f in founded]
        return claims

    def _claim(self, dc: DocumentCandidates, kind: ClaimKind, source: tuple[Candidate, float] | None,
               target: tuple[Candidate, float] | None) -> Claim:
        parts = [x for x in (source, target) if x is not None]
        cand = parts[-1][0]
        sent: Span = cand.sent
        cue = self._telling_cue(cand, "founded" if kind == "founding" else "joined" if target else "left", dc)
        stated = self.rules._stated_date(cue.token, sent, dc.published)
        # "is leaving Meta at the end of the year" tells a plan, whatever the pair's nearest cue says.
        status = cand.status if cue is cand.cue else self.rules._status(cue.token, sent)
        if kind == "founding" and cue.cls not in self.type_cue_classes["founded"] and status in REPORT_STATUSES:
            # "Acme denied a report that its co-founder A is leaving": the denial is of the leave; the
            # founding, told only by a title, is not what the sentence denies or rumours.
            status = "confirmed"
        # A founding is dated by its report only when told as news ("has founded", "is launching");
        # "founded xAI", "the founder of" tell history: no date unless the text gives one.
        undated = cand.history or (kind == "founding" and not told_as_news(cand.cue.token))
        document = dc.document
        return Claim(
            kind=kind,
            person=cand.person,
            from_org=source[0].org.org if source else None,
            from_unit=source[0].org.unit if source else None,
            to_org=target[0].org.org if target else None,
            to_unit=target[0].org.unit if target else None,
            role=cand.rule_role,
            date=stated or (None if undated else dc.published),
            date_stated=stated is not None,
            status=status,
            confidence=round(min(p for _, p in parts), 3),
            evidence=_evidence(sent, document.text),
            extractor=EXTRACTOR,
            extractor_version=EXTRACTOR_VERSION,
            doc=document.reference,
            rule=cand.cue.feature,
        )

    def _telling_cue(self, cand: Candidate, kind: str, dc: DocumentCandidates) -> Cue:
        """The cue that gives a claim of ``kind`` its date and status: the candidate's own, unless it
        tells another kind of move and a cue of this kind, not part of the candidate cue's clause,
        governs a mention of the organization more closely. "left Acme in 2017 and rejoined Acme in
        2023" pairs the person with Acme through "left"; the rejoin is dated by "rejoined". "who left
        Acme in 2021, is returning to Acme" dates the return by "returning". But "left Acme in 2018 to
        join Globex" is one move, dated 2018, and "left Acme in 2017 to work at Globex" keeps 2017."""
        other = {c for t, classes in self.type_cue_classes.items() if t != kind for c in classes}
        if cand.cue.cls not in other or cand.org.token is None:
            return cand.cue
        sent, name = cand.sent, _name_words(cand.org.token)
        places = [w for w in sent if w.lower_ == cand.org.token.lower_ and _name_words(w) == name]
        near = [(d, c) for c in cues_in(dc.cues, sent) if c.cls in self.type_cue_classes[kind]
                for p in places if (d := tree_distance(c.token, p)) <= GOVERNS
                and d < tree_distance(cand.cue.token, p) and not _in_clause_of(c.token, cand.cue.token)]
        return min(near, key=lambda x: (x[0], x[1].token.i))[1] if near else cand.cue


# The side of a move that a denied cue of each class denies.
DENIABLE_CUES = {"leave": "left", "join": "joined", "hire": "joined"}


def _movers(claims: list[Claim]) -> tuple[dict[tuple[str, str], set[str]], dict[tuple[str, str], set[str]]]:
    """What the claims have people leave, join or found, both ways: (organization, type) -> the
    people, and (person, type) -> the organizations."""
    people: dict[tuple[str, str], set[str]] = {}
    orgs: dict[tuple[str, str], set[str]] = {}
    for claim in claims:
        person = name_key(claim.person)
        for kind, org, _unit in claim.items():
            people.setdefault((name_key(org), kind), set()).add(person)
            orgs.setdefault((person, kind), set()).add(name_key(org))
    return people, orgs


def _in_clause_of(word: Token, head: Token) -> bool:
    """Whether ``word`` hangs below ``head`` other than through a coordinated clause ("left ... to
    join", "left ..., joining" are one event; "left ... and rejoined" are two)."""
    w = word
    while w.head.i != w.i and w.dep_ != "conj":
        w = w.head
        if w.i == head.i:
            return True
    return False


def _name_words(head: Token) -> str:
    """The words of the name a head word ends ("Acme Robotics" for "Robotics")."""
    return " ".join(w.lower_ for w in head.subtree if w is head or w.dep_ in ("compound", "flat"))


def _telling(pair: PairEvidence, kind: str, by_candidate: dict[int, dict[str, float]],
             threshold: float) -> list[Candidate]:
    """The sentences of an accepted pair that become claims of ``kind``: each that says it on its own
    ("left in 2017 ... left again in February": two departures, each with its date), else the one that
    says it best. ``by_candidate`` holds the candidates' own probabilities (pairs of several sentences)."""
    if len(pair.candidates) == 1:
        return [pair.first]
    own = {id(c): by_candidate[id(c)][kind] for c in pair.candidates}
    return [c for c in pair.candidates if own[id(c)] >= threshold] or [
        max(pair.candidates, key=lambda c: own[id(c)])]


# Auxiliaries and verb tags of the present, the present perfect, the progressive and the future.
NEWS_AUXILIARIES = {"have", "be", "will"}
NEWS_TAGS = {"VBZ", "VBP", "VBG"}


def told_as_news(token: Token) -> bool:
    """Whether a cue verb tells something happening now rather than history: present, present
    perfect, progressive or future, itself or through the verb governing it ("has left to found").
    A noun ("the founder of") tells history."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    for verb in (token, *[a for a in token.ancestors if a.pos_ in ("VERB", "AUX")][:2]):
        auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if any(a.lemma_ in NEWS_AUXILIARIES and a.tag_ != "VBD" for a in auxiliaries):
            return True
        if verb.tag_ in NEWS_TAGS and verb.dep_ not in ("acl", "relcl", "amod"):
            return True
        if verb.tag_ == "VBD" or verb.dep_ not in ("xcomp", "advcl", "conj"):
            return False
    return False


__all__ = ["EXTRACTOR", "TYPES", "DocumentCandidates", "Extraction", "Extractor", "Trace"]
