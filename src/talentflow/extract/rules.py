"""Rule-based extraction of claims (moves and foundings) from a document.

The pipeline for one document:

1. spaCy parses the text (``nlp.load_pipeline``); ``mentions.find_mentions`` finds people and
   organizations and ties surnames to full names.
2. Each sentence that is not page noise is searched for trigger words (``data/triggers.json``):
   verbs of leaving, joining, hiring and founding, and nouns such as "founder" or "departure".
3. Each trigger has a rule that reads the dependency parse to find who moved and which
   organizations are involved (subject, object, "from", "to", "by", premodifiers such as "OpenAI
   researcher X").
4. The status comes from the words that govern the trigger ("will", "reportedly", "tried to",
   "declined"), the date from the date phrases attached to it or else the publication date.

Every candidate, kept or dropped, is recorded as a ``Trace`` so that ``talentflow explain`` can
show why a sentence did or did not produce a claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from spacy.tokens import Doc, Span, Token

from talentflow.dates import DATE_PREFIX, resolve_date
from talentflow.extract.base import DocumentExtractor
from talentflow.mentions import PRONOUNS, Mention, Mentions, find_mentions, is_field_name
from talentflow.models import Claim, ClaimKind, Document, Evidence, Status, name_key
from talentflow.nlp import load_pipeline
from talentflow.orgs import CompanyUnit, Gazetteer, load_gazetteer, load_not_organizations, load_triggers

EXTRACTOR = "rules"
EXTRACTOR_VERSION = "0.1"

# The word lists of data/triggers.json that the rules read.
RULE_WORD_LISTS = ("leave_verbs", "departure_nouns", "found_verbs", "hire_verbs", "join_needs_to", "welcome_verbs",
                   "own_departure_verbs", "purpose_verbs", "leading_verbs", "tenure_verbs", "tenure_spans",
                   "incoming_words", "anaphor_blockers", "anaphor_nouns", "announcing_verbs", "former_words",
                   "found_needs_company_word_or_known_org", "hire_nouns", "not_founded_things", "org_name_words",
                   "reported_markers", "future_time_markers", "group_nouns", "not_role_heads",
                   "move_nouns", "move_making_verbs", "losing_verbs", "affiliation_verbs", "companion_words",
                   "return_verbs", "current_words", "education_words", "replace_verbs")
# Titles of people one "joins" without being hired: "joined President Trump at dinner".
PERSON_TITLES = {
    "president",
    "senator",
    "governor",
    "minister",
    "king",
    "queen",
    "pope",
    "chancellor",
    "mayor",
    "secretary",
    "ambassador",
    "prince",
    "princess",
}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
GROUP_NOUNS = {"pair", "duo", "trio"}  # "the pair left Google": the people last named together
OBJECT_PRONOUNS = {"him", "her", "them", "me", "us"}
# Words of a description before its noun: "the Boston-based warehouse startup", "a rental startup".
DESCRIPTION_POS = {"DET", "ADJ", "NOUN", "PROPN", "NUM", "ADV", "VERB"}
# Parents whose subject a trigger inherits: "left OpenAI to join Meta", "has left and joined".
INHERIT_DEPS = {"conj", "xcomp", "advcl", "pcomp", "ccomp"}


@dataclass
class Trace:
    """What one rule saw in one sentence, and what became of it."""

    sentence: str
    rule: str
    trigger: str
    kept: bool
    reason: str
    claim: Claim | None = None


@dataclass
class Extraction:
    claims: list[Claim] = field(default_factory=list)
    traces: list[Trace] = field(default_factory=list)


@dataclass
class Affiliation:
    """An employer named around a person: "OpenAI researcher X", "X, formerly of Scale AI"."""

    org: Mention
    role: str | None
    former: bool


@dataclass
class Candidate:
    kind: ClaimKind
    person: Mention
    trigger: Token
    rule: str
    from_org: Mention | None = None
    to_org: Mention | None = None
    role: str | None = None
    confidence: float = 0.8
    history: bool = False  # career history ("spent years at X before joining Y"): not news of the day


@dataclass(frozen=True)
class TriggerRule:
    """A trigger word's rule: when it applies to a word, and what it reads from the parse."""

    name: str
    applies: Callable[[Token], bool]
    run: Callable[[Token, Mentions, Discourse], Iterator[Candidate]]


@dataclass
class Discourse:
    """What earlier sentences of the document established, for resolving later ones."""

    founded_by: dict[str, Mention] = field(default_factory=dict)  # person -> the company they founded
    came_from: dict[str, Mention] = field(default_factory=dict)  # person -> the employer they left
    went_to: dict[str, Mention] = field(default_factory=dict)  # person -> where they went
    last_destination: Mention | None = None  # the organization last joined or founded
    new_company: Mention | None = None  # the company last said to be founded: "the new startup"

    def founded(self, person: Mention) -> Mention | None:
        return self.founded_by.get(name_key(person.name))

    def remember(self, c: Candidate, claim: Claim) -> None:
        key = name_key(claim.person)
        if claim.kind == "founding" and c.to_org is not None:
            self.founded_by[key] = c.to_org
            if c.rule.startswith("found:"):  # an event, not a description ("an OpenAI co-founder")
                self.new_company = c.to_org
        if claim.kind == "move" and c.from_org is not None:
            self.came_from.setdefault(key, c.from_org)
        if claim.kind == "move" and c.to_org is not None:
            self.went_to.setdefault(key, c.to_org)
        if c.to_org is not None:
            self.last_destination = c.to_org


class RuleExtractor(DocumentExtractor["Extraction"]):
    """The hand-written rules: each trigger word has a rule that reads the parse. Their claims are one
    candidate generator and one feature of the learned scorer (see ``talentflow.extract``)."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.nlp = load_pipeline()
        self.gazetteer = gazetteer or load_gazetteer()
        self.words = load_triggers()
        self.blocked = load_not_organizations()
        self.role_words = self.words.words("role_words")
        self.company_words = self.words.words("company_words")
        self._lists = {key: self.words.words(key) for key in RULE_WORD_LISTS}
        self._leave_ending = self.words.table("leave_ending")
        self._role_taking = self.words.table("role_taking")
        self._role_taking_as = self.words.table("role_taking_as")
        self._join_phrasal = self.words.table("join_phrasal")
        self._status_lemmas = {k: frozenset(v) for k, v in self.words.table("status_lemmas").items()}
        self._leave_phrasal = self.words.table("leave_phrasal")
        self._verb_rules, self._noun_rules = self._trigger_rules()

    # -- public (extract, run and pipe come from DocumentExtractor) -----------------------------

    def mentions(self, doc: Doc) -> Mentions:
        return find_mentions(doc, self.gazetteer, self.role_words, self._lists["org_name_words"])

    def run_parsed(self, document: Document, doc: Doc, mentions: Mentions | None = None) -> Extraction:
        result = Extraction()
        mentions = mentions or self.mentions(doc)
        published = document.published or _date_marker(document.text)
        discourse = Discourse()
        seen: dict[tuple, Claim] = {}
        for sent in doc.sents:
            noise = self._noise_reason(sent)
            # Lazily, so that a claim informs the next candidates of its sentence ("Acme co-founders X and Y
            # are returning to Google": they leave what they founded); then what is read with the moves
            # the sentence told ("co-founder A departed", "A will replace B, who is stepping down as ...").
            told: list[Candidate] = []
            for cand in chain(self._candidates(sent, mentions, discourse),
                              self._founders_leaving(sent, mentions, told),
                              self._successions(sent, mentions, told)):
                if noise:
                    result.traces.append(Trace(sent.text, cand.rule, cand.trigger.text, False, noise))
                    continue
                claim, reason = self._to_claim(cand, sent, document, published)
                if claim is None:
                    result.traces.append(Trace(sent.text, cand.rule, cand.trigger.text, False, reason))
                    continue
                key = (claim.kind, name_key(claim.person), claim.from_org, claim.to_org, claim.evidence.start)
                if key in seen:
                    result.traces.append(Trace(sent.text, cand.rule, cand.trigger.text, False, "duplicate"))
                    continue
                seen[key] = claim
                told.append(cand)
                discourse.remember(cand, claim)
                result.traces.append(Trace(sent.text, cand.rule, cand.trigger.text, True, reason, claim))
                result.claims.append(claim)
        result.claims = _merge_sentence_moves(result.claims)
        return result

    # -- sentences --------------------------------------------------------------------------

    def _noise_reason(self, sent: Span) -> str | None:
        text = sent.text
        words = [t for t in sent if t.is_alpha]
        if len(words) < 4:
            return "too short to be a sentence"
        if not any(t.pos_ in ("VERB", "AUX") for t in sent):
            return "no verb: a heading, caption or link"
        if text.count("|") >= 2 or text.count("•") >= 2 or text.count("http") >= 2:
            return "link list or navigation"
        if re.search(r"\((left|right|center|centre|pictured|above|below)\)|,\s*(left|right),", text, re.I):
            return "photo caption"
        if re.search(r"\b[A-Z]{1,5}\s*[+-]\d+(\.\d+)?%", text):
            return "stock ticker"
        return None

    # -- candidates -------------------------------------------------------------------------

    def _trigger_rules(self) -> tuple[list[TriggerRule], list[TriggerRule]]:
        """The rules for verbs and for nouns, in order: a word takes the first rule that applies."""
        L = self._lists

        def lemma(t: Token) -> str:
            return t.lemma_.lower()

        verbs = [
            TriggerRule("leave", lambda t: lemma(t) in L["leave_verbs"] or self._phrasal_leave(t)
                        or self._ended_tenure(t) is not None, self._leave),
            TriggerRule("role as", self._takes_role_as, lambda t, m, d: self._takes_role(t, m)),
            TriggerRule("join at", self._joins_at, lambda t, m, d: self._join_at(t, m, d)),
            TriggerRule("join", lambda t: lemma(t) in ("join", "rejoin"),
                        lambda t, m, d: self._join(t, m, d, needs_to=False)),
            TriggerRule("join to", lambda t: lemma(t) in L["join_needs_to"],
                        lambda t, m, d: self._join(t, m, d, needs_to=True)),
            TriggerRule("hire", lambda t: lemma(t) in L["hire_verbs"], self._hire),
            TriggerRule("welcome", lambda t: lemma(t) in L["welcome_verbs"], lambda t, m, d: self._welcome(t, m)),
            TriggerRule("found", lambda t: lemma(t) in L["found_verbs"] or t.lower_.startswith(("co-found", "cofound"))
                        or _to_found(t), self._found),
            TriggerRule("include", lambda t: lemma(t) == "include" and t.dep_ != "prep", self._hires_list),
            TriggerRule("no longer", _no_longer, lambda t, m, d: self._no_longer_at(t, m, d)),
            TriggerRule("lose", lambda t: lemma(t) in L["losing_verbs"], lambda t, m, d: self._lose(t, m, d)),
            TriggerRule("role", lambda t: lemma(t) in self._role_taking, lambda t, m, d: self._takes_role(t, m)),
        ]
        nouns = [
            TriggerRule("founder", lambda t: "founder" in t.lower_, self._founder_noun),
            TriggerRule("departure", lambda t: lemma(t) in L["departure_nouns"],
                        lambda t, m, d: self._departure_noun(t, m)),
            TriggerRule("move", lambda t: lemma(t) in L["move_nouns"], lambda t, m, d: self._move_noun(t, m)),
            TriggerRule("hire noun", lambda t: lemma(t) in L["hire_nouns"], lambda t, m, d: self._hire_noun(t, m)),
            TriggerRule("incoming", self._is_incoming_role, lambda t, m, d: self._incoming_role(t, m)),
        ]
        return verbs, nouns

    def _candidates(self, sent: Span, m: Mentions, discourse: Discourse) -> Iterator[Candidate]:
        for t in sent:
            lower = t.lower_
            if t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB"):
                rule = next((r for r in self._verb_rules if r.applies(t)), None)
                if rule is not None:
                    yield from rule.run(t, m, discourse)
            if t.pos_ in ("NOUN", "PROPN") or lower.endswith("founder") or lower.endswith("founders"):
                rule = next((r for r in self._noun_rules if r.applies(t)), None)
                if rule is not None:
                    yield from rule.run(t, m, discourse)

    def _ended_tenure(self, t: Token) -> Token | None:
        """ "ended his tenure as CFO of X", "concluded a six-year stint at X": the tenure noun."""
        nouns = self._leave_ending.get(t.lemma_.lower(), ())
        return next((c for c in t.children if c.dep_ == "dobj" and c.lemma_.lower() in nouns), None)

    def _phrasal_leave(self, t: Token) -> bool:
        particles = self._leave_phrasal.get(t.lemma_.lower()) or []
        return bool(particles) and any(c.lower_ in particles for c in t.children if c.dep_ in ("prt", "advmod", "dobj"))

    # Subjects and objects -----------------------------------------------------------------

    def _subjects(self, t: Token, depth: int = 0) -> list[Token]:
        subs = [c for c in t.children if c.dep_ in SUBJECT_DEPS]
        if subs:
            return _with_conjuncts(subs)
        if depth > 3:
            return []
        if t.dep_ == "relcl" and t.head.dep_ == "attr" and t.head.pos_ in ("PROPN", "NOUN", "PRON", "ADJ") \
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
            return self._subjects(t.head.head, depth + 1)  # "X is (being) the latest (researcher) to leave Acme"
        if t.dep_ == "relcl" and t.head.pos_ in ("PROPN", "NOUN", "PRON"):
            return _with_conjuncts([t.head])
        if t.dep_ == "acl" and t.head.dep_ == "npadvmod" and (t.head.lower_ == "time"
                                                                or t.head.ent_type_ in ("DATE", "TIME")):
            return self._subjects(t.head.head, depth + 1)  # "Acme hired A, this time bringing on B": no "time" acts
        # (a company word is a noun however tagged: "the AI startup founded by", "startup" read as a verb)
        if t.dep_ == "acl" and (t.head.pos_ in ("PROPN", "NOUN", "PRON")
                                or t.head.lemma_.lower() in self.company_words):
            noun = t.head
            if noun.pos_ == "PROPN" or noun.dep_ not in ("dobj", "pobj", "attr"):
                return _with_conjuncts([noun])  # "Jane Roe, having left OpenAI, ..."
            if t.tag_ == "VBN" and not any(c.dep_ == "aux" for c in t.children):
                return []  # "with two minutes left": the noun is what is left, and no one leaves
            verb = noun.head.head if noun.dep_ == "pobj" else noun.head
            return self._subjects(verb, depth + 1)  # "declined an offer to join Meta"
        if t.dep_ == "pcomp" and t.head.dep_ == "prep" and t.tag_ == "VBG":
            # "Since leaving OpenAI, Murati has ..." / "A month after leaving OpenAI, Sutskever has ...":
            # the clause's subject is the subject of the verb the phrase modifies.
            head = t.head.head
            if head.dep_ == "npadvmod":
                head = head.head
            if head.pos_ in ("VERB", "AUX"):
                return self._subjects(head, depth + 1)
            return []
        if t.dep_ == "conj" and (clause_subject := _misparsed_clause_subject(t)) is not None:
            return [clause_subject]
        if t.dep_ in ("advcl", "acl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children):
            # "..., with CFO Jane Roe and COO Tom Fisk to depart the bank": "with" names who departs.
            # Only for the move's own verb: "work with Roe to ensure a transition before leaving" is
            # the worker's leaving.
            with_objects = [o for w in t.head.children if w.dep_ == "prep" and w.lower_ == "with" and w.i < t.i
                            for o in w.children if o.dep_ == "pobj" and o.pos_ == "PROPN"] if depth == 0 else []
            if with_objects:
                return _with_conjuncts(with_objects)
            # Object control: "convinced Tom Fisk to join", "hired her to lead", "enticing researchers to
            # join": the person the verb acts on does the infinitive, not its subject. "left Acme to
            # join" keeps its subject: an organization or a thing cannot be the one who joins.
            people = [o for o in t.head.children if o.dep_ == "dobj" and o.i < t.i and self._is_someone(o)]
            if people:
                return _with_conjuncts(people)
        if t.dep_ in INHERIT_DEPS and t.head.i != t.i:
            return self._subjects(t.head, depth + 1)
        return []

    def _companions(self, holders: Iterable[Token], m: Mentions) -> list[Mention]:
        """People hired with the one hired: "hired A along with B", "hired A together with B"."""
        return self._persons([o for h in holders for c in h.children
                              if c.lower_ in self._lists["companion_words"] and c.dep_ in ("prep", "advmod")
                              for w in c.children if w.lower_ == "with" and w.dep_ == "prep"
                              for o in w.children if o.dep_ == "pobj"], m)

    def _listed_after_dash(self, t: Token, subjects: list[Token], m: Mentions) -> list[Mention]:
        """ "three engineers quit — storage chief A and designer B", "two researchers joined Acme: A and
        B": a plural subject whose members are listed after a dash or colon."""
        if not any(s.tag_ == "NNS" and s.lemma_.lower() in self._lists["group_nouns"] for s in subjects):
            return []
        dash = next((w for w in t.doc[t.i + 1 : t.sent.end] if w.text in ("–", "—", "-", ":")), None)
        return _items_listed(dash, m) if dash is not None else []

    def _is_someone(self, tok: Token) -> bool:
        """A word that names a person or people: a name, a personal pronoun, "researchers"."""
        return (tok.ent_type_ == "PERSON" or tok.lower_ in OBJECT_PRONOUNS
                or (tok.pos_ == "NOUN" and tok.lemma_.lower() in self._lists["group_nouns"]))

    def _persons(self, tokens: Iterable[Token], m: Mentions) -> list[Mention]:
        people: list[Mention] = []
        for tok in tokens:
            listed = [c for c in tok.children if c.dep_ == "appos" and m.person_at(c)] \
                if tok.tag_ == "NNS" and not m.person_at(tok) else []
            described = [c for c in tok.children if c.dep_ == "appos" and c.tag_ == "NNS"] \
                if tok.tag_ == "NNS" and not listed and not m.person_at(tok) else []
            for noun in described:  # "the two co-founders — former Acme engineers A and B —": each of them
                listed += [g for g in noun.children if g.dep_ == "appos" and m.person_at(g)]
                tok = noun if listed else tok
            found: list[Mention | None]
            if listed:  # "the three co-founders, A, B and C, will join": each of them
                found = [self._person(x, m) for x in _listed_people(tok, listed)]
            elif self._is_group_reference(tok):
                found = list(self._group(tok, m))
            else:
                found = [self._person(tok, m)]
            for p in found:
                if p and all(p.name != q.name for q in people):
                    people.append(p)
        return people

    def _is_group_reference(self, tok: Token) -> bool:
        """ "they", "both", "the pair", "the two founders": people named together before."""
        if tok.lower_ in ("they", "both"):
            return True
        if tok.tag_ != "NNS" and tok.lemma_.lower() not in GROUP_NOUNS:
            return False
        return any(c.lower_ == "the" for c in tok.children) and (
            tok.lemma_.lower() in GROUP_NOUNS
            or any(c.dep_ == "nummod" and c.lower_ in ("two", "three", "four", "both") for c in tok.children))

    def _group(self, tok: Token, m: Mentions) -> list[Mention]:
        """The people last named together (as conjuncts) before tok."""
        for person in reversed([p for p in m.people if p.end <= tok.i]):
            head = m.doc[person.end - 1]
            group = [p for p in (m.person_at(x) for x in [head, *head.conjuncts]) if p]
            if len({p.name for p in group}) >= 2:
                return sorted(group, key=lambda p: p.start)
        return []

    def _person(self, tok: Token, m: Mentions) -> Mention | None:
        p = m.person_at(tok)
        if p:
            return p
        if tok.lower_ in PRONOUNS or tok.lower_ == "who":
            if tok.lower_ == "who" and tok.head.dep_ == "relcl":
                described = tok.head.head  # "Jane Roe, the head of X, who joined ...": the role is Jane Roe
                apposed = described.dep_ == "appos" and described.tag_ != "NNS"  # not "A and B, the researchers who"
                return m.person_at(described) or (m.person_at(described.head) if apposed else None)
            return _antecedent(tok, m)
        for child in tok.children:  # "the researcher, Jane Roe" / "its chief scientist Jane Roe"
            if child.dep_ in ("appos", "compound") and m.person_at(child):
                return m.person_at(child)
        return None

    def _org(self, tok: Token, m: Mentions, discourse: Discourse | None = None) -> Mention | None:
        """The organization a token names, looking inside its noun phrase for units and owners."""
        direct = m.org_at(tok)
        if direct:
            return direct
        if m.person_at(tok):
            return None  # never look for an employer inside another person's name or title
        found: list[Mention] = []
        owner: Mention | None = None
        for child in tok.children:
            if child.dep_ in ("compound", "poss", "amod", "nmod", "appos", "nn", "oprd"):
                org = m.org_at(child) or (self._org(child, m) if child.dep_ in ("compound", "appos") else None)
                if org:
                    found.append(org)
                elif child.dep_ == "poss" and discourse is not None:
                    person = self._person(child, m)
                    if person and tok.lemma_.lower() in self.company_words:
                        owner = discourse.founded(person)
            if child.dep_ == "acl" and child.lemma_.lower() in ("call", "name", "dub", "know"):
                called = [o for o in (m.org_at(g) or self._named_thing(g, m) for g in child.children) if o]
                after = m.org_at(tok.doc[child.i + 1]) if child.i + 1 < len(tok.doc) else None
                found += called or ([after] if after else [])  # "dubbed Safe Superintelligence Inc." split off
        if found:
            units = [o for o in found if o.company and o.company.unit]
            return units[0] if units else found[-1]
        named = self._org_named_after(tok, m)
        if named:
            return named
        if owner:
            return owner
        if discourse and discourse.new_company and tok.lemma_.lower() in self.company_words \
                and {"the", "new"} <= {c.lower_ for c in tok.children}:
            return discourse.new_company  # "joined the new startup": the one last said to be founded
        if self._is_anaphor(tok):
            return self._antecedent_org(tok, m)
        if (
            tok.ent_type_ in ("PERSON", "ORG", "", "PRODUCT", "WORK_OF_ART", "FAC")
            and tok.pos_ == "PROPN"
            and m.at(tok) is None
            and tok.dep_ in ("nsubj", "dobj", "pobj")
            and tok.text[:1].isupper()
        ):
            # A startup the model took for a person ("Hooli has hired ..."): a one-word name in an
            # organization's place that is nobody's name in this document.
            return self._named_thing(tok, m)
        return None

    def _is_anaphor(self, tok: Token) -> bool:
        """ "the company", "the bank's", "the banking giant": a definite noun standing for an
        organization named before (not "the new company", "the other firm")."""
        return (
            tok.lemma_.lower() in self._lists["anaphor_nouns"]
            and any(c.lower_ == "the" and c.dep_ == "det" for c in tok.children)
            and not any(c.lower_ in self._lists["anaphor_blockers"] for c in tok.children)
        )

    def _antecedent_org(self, tok: Token, m: Mentions) -> Mention | None:
        """What "the company" refers to: the organization named last. A described one ("the coffee
        chain", "the Canadian lender") often introduces another organization, so it is resolved only
        to the one organization its own sentence names before it, outside a clause about someone
        else ("X, who led Chipotle, replaces Y, who leaves the coffee chain")."""
        if not any(c.dep_ in ("amod", "compound", "nmod") for c in tok.children):
            return m.last_org_before(tok.i)
        sent = tok.sent
        named = [o for o in m.orgs if sent.start <= o.start and o.end <= tok.i]
        if len({o.company.org if o.company else o.name for o in named}) != 1:
            return None
        org = named[-1]
        if any(a.dep_ in ("relcl", "appos", "acl") for a in m.doc[org.start].ancestors if a.i >= sent.start):
            return None
        return org

    def _orgs(self, tokens: Iterable[Token], m: Mentions,
              discourse: Discourse | None = None) -> list[Mention]:
        """The organizations a list of tokens names, in order."""
        return [o for o in (self._org(x, m, discourse) for x in tokens) if o]

    def _named_thing(self, tok: Token, m: Mentions) -> Mention | None:
        """A startup named by an untagged proper noun: "a startup called Periodic Labs"."""
        if tok.pos_ != "PROPN" or m.person_at(tok):
            return None
        span = tok.doc[tok.left_edge.i : tok.i + 1]
        words = [t for t in span if t.pos_ == "PROPN"]
        name = " ".join(t.text for t in words)
        if not name or name in self.blocked.get("products", ()):
            return None
        fields = [t for t in words if is_field_name(t.text)]
        after = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if fields and after is not None and after.lower_ in self.company_words \
                and all(t in fields or t.ent_type_ in ("GPE", "NORP", "LOC") for t in words):
            return None  # "the UK AI startup": a description (a place and the field), not a name
        company = self.gazetteer.company_and_unit(name)
        return Mention(span.start, span.end, "org", company.org, company, False)

    def _prep_objects(self, t: Token, preps: tuple[str, ...]) -> list[Token]:
        found: list[Token] = []
        for child in t.children:
            if child.dep_ in ("prep", "dative", "agent") and child.lower_ in preps:
                found += _with_conjuncts([c for c in child.children if c.dep_ == "pobj"])
        return found

    def _objects(self, t: Token) -> list[Token]:
        return _with_conjuncts([c for c in t.children if c.dep_ in ("dobj", "oprd", "attr")])

    def _affiliation(self, person: Mention, m: Mentions) -> Affiliation | None:
        """The employer written around a person mention, if any."""
        doc = m.doc
        head = doc[person.end - 1]
        former = False
        org: Mention | None = None
        role_tokens: list[Token] = []
        i = person.start - 1
        # Premodifiers: "former OpenAI researcher X", "Meta's senior director X".
        while i >= 0 and person.start - i <= 7:
            tok = doc[i]
            if tok.lower_ in self._lists["former_words"] or tok.lower_.startswith("ex-"):
                former = True
                i -= 1
                continue
            if tok.text in ("’s", "'s", "-", "co") or (tok.dep_ == "cc" and role_tokens and i > 0
                                                        and doc[i - 1].lower_ in self.role_words):
                i -= 1  # "Acme co-founder and CEO Jane Roe": roles joined by "and" share the employer
                continue
            om = m.org_at(tok)
            if om:
                org = org or om
                i = om.start - 1
                continue
            if tok.lower_ == "its" and role_tokens:  # "Acme said its CFO Jane Roe ..."
                org = org or m.last_org_before(tok.i)
                break
            # Roles and their modifiers, also names of products or teams: "Google AI researcher X".
            if tok.lower_ in self.role_words or (tok.pos_ in ("NOUN", "ADJ") and tok.dep_ in ("compound", "amod")) \
                    or (tok.pos_ == "PROPN" and tok.dep_ == "compound" and not m.person_at(tok)):
                role_tokens.insert(0, tok)
                i -= 1
                continue
            break
        if org is None and not role_tokens and not former:
            # A plural title before a list is every name's: "OpenAI researchers A and B" (B's too).
            first = self._first_listed(person, m)
            if first.start != person.start and first.start > 0 and doc[first.start - 1].tag_ == "NNS":
                return self._affiliation(first, m)
        if org is None:
            # Appositions: "X, formerly of Scale AI", "X, a former Google engineer,"; also one the parser
            # hung on the verb ("hired X, Acme's lead researcher, in a move ...": a second object).
            misplaced: list[Token] = []
            if person.end + 1 < len(doc) and doc[person.end].text == ",":
                misplaced = [w for w in head.head.children if w.left_edge.i in (person.end, person.end + 1)
                             and w.i != head.i and w.lower_ in self.role_words]
            # What follows a whole list is every name's: "A and B, previously listed as founding members
            # at Acme," (the parser hangs it on A).
            shared = [w for w in list_head(head).children if w.left_edge.i >= person.end
                      and (w.dep_ in ("acl", "relcl") or (w.dep_ == "appos" and w.tag_ == "NNS"))] \
                if head.dep_ == "conj" else []
            for child in [*head.children, *misplaced, *shared]:
                if child.dep_ not in ("appos", "relcl", "acl", "advmod") and child not in misplaced:
                    continue
                if child.lemma_.lower() in self._lists["education_words"]:
                    continue  # "X, a Stanford graduate,": where X studied, not an employer
                sub = list(child.subtree)
                # "X, who ran Y," / "X, who holds a CFO post at Y,": a relative clause that places X
                if child.dep_ == "relcl" and child.lemma_.lower() not in self._lists["affiliation_verbs"]:
                    continue
                orgs = [o for o in (m.org_at(t) or (self._org(t, m) if self._is_anaphor(t) else None)
                                    for t in sub) if o]
                orgs.sort(key=lambda o: not o.known)  # "Mira Murati's Thinking Machines Lab"
                if orgs:
                    org = orgs[0]
                    former = (
                        former
                        or any(t.lower_ in self._lists["former_words"] for t in sub)
                        # "X, who ran Y," worked there; "X, who joined Y in 2018," still does.
                        or (child.dep_ == "relcl" and child.tag_ == "VBD" and child.lemma_.lower() != "join")
                    )
                    break
        if org is None and head.dep_ == "appos" and (head.head.pos_ == "NOUN" or head.head.lower_ in self.role_words):
            # The person is in apposition to a role: "Acme's legal chief, Jane Roe," / "the head of Acme, Jane Roe".
            noun = head.head
            slots = [c for c in noun.children if c.dep_ in ("poss", "compound", "nmod")]
            slots += [g for c in noun.children if c.dep_ == "prep" and c.lower_ in ("at", "of")
                      for g in c.children if g.dep_ == "pobj"]
            org = next((o for o in (m.org_at(x) or (m.last_org_before(x.i) if x.lower_ == "its" else None)
                                    for x in slots) if o), None)
            former = former or any(c.lower_ in self._lists["former_words"] for c in noun.children)
            if org is not None and noun.lower_ in self.role_words:
                role_tokens = [noun]
        if org is None and any(r.lower_ in self.role_words for r in role_tokens):
            org = self._list_employer(person, m)
        if org is None or any(r.lemma_.lower() in self._lists["education_words"] for r in role_tokens):
            return None  # "Stanford graduate Jane Roe": where she studied
        role = _verbatim(role_tokens) if any(r.lower_ in self.role_words for r in role_tokens) else None
        return Affiliation(org, role, former)

    def _list_employer(self, person: Mention, m: Mentions) -> Mention | None:
        """The employer written at the first name of the list a person is in: "Acme CEO Jane Roe,
        co-founder Tom Fisk and ...": Fisk's bare title is held at Acme too."""
        listed = self._first_listed(person, m)
        if listed.start == person.start:
            return None
        written = self._affiliation(listed, m)
        return written.org if written is not None else None

    def _first_listed(self, person: Mention, m: Mentions) -> Mention:
        """The first name of the list a person is in ("A, B and C": A), the person when in none."""
        return m.person_at(list_head(m.doc[person.end - 1])) or person

    def _bare_founder_company(self, person: Mention, m: Mentions) -> Mention | None:
        """What a bare founder title written before a name (or before the first name of its list)
        holds the person at: "Globex bought Halvik and hired co-founders Jane Roe and Tom Fisk"."""
        first = self._first_listed(person, m)
        title = m.doc[first.start - 1] if first.start > 0 else None
        if title is None or "founder" not in title.lower_ or title.pos_ not in ("NOUN", "PROPN"):
            return None
        return self._company_named_before(title, m)

    def _company_named_before(self, t: Token, m: Mentions) -> Mention | None:
        """The organization the sentence names last before a word, unless it is someone else's: with
        a person named between them, where a person moved ("A left for Globex, while co-founder B"),
        or the subject that acts on the word's clause ("Globex hired co-founder B")."""
        org = m.last_org_before(t.i)
        if org is None or org.start < t.sent.start or any(org.end <= p.start < t.i for p in m.people):
            return None
        root = m.doc[org.start : org.end].root
        if root.dep_ == "nsubj" and root.head == _clause_verb(t) and t not in root.subtree:
            return None
        prep = root.head if root.dep_ == "pobj" else None
        if prep is not None and prep.lower_ in ("for", "to", "from") and self._persons(self._subjects(prep.head), m):
            return None
        return org

    # Rules -------------------------------------------------------------------------------

    def _leave(self, t: Token, m: Mentions, discourse: Discourse) -> Iterator[Candidate]:
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children)
        lemma = t.lemma_.lower()
        subjects = self._subjects(t)
        orgs_obj = [self._org(o, m) for o in self._objects(t)]
        from_tokens = self._prep_objects(t, ("from", "at", "of"))
        # "stepped down from his perch at Acme": where the post left was held
        from_tokens += [x for f in from_tokens if f.pos_ == "NOUN" for x in self._prep_objects(f, ("at", "with"))]
        if self._phrasal_leave(t):  # "parted ways with X", "cut ties with X"
            from_tokens += [x for h in [t, *self._objects(t)] for x in self._prep_objects(h, ("with",))]
        as_tokens = self._prep_objects(t, ("as",))
        tenure = self._ended_tenure(t)
        if tenure is not None:  # "her tenure at X", "her tenure as CFO of X"
            from_tokens += self._prep_objects(tenure, ("at", "of", "with"))
            as_tokens += self._prep_objects(tenure, ("as",))
        for a in _with_conjuncts(as_tokens):  # "stepped down as CEO of Westpac", "as president and CEO of X"
            from_tokens += self._prep_objects(a, ("of", "at"))
        to_tokens = self._prep_objects(t, ("for", "to"))
        # "left X for Y to focus on Z", parsed as "for Y to focus" with Y its subject.
        to_tokens += [s for c in t.children if c.dep_ == "advcl" and any(g.lower_ == "for" and g.dep_ == "mark"
                                                                         for g in c.children)
                      for s in c.children if s.dep_ == "nsubj"]
        parted_with = self._persons([x for x in from_tokens if m.person_at(x)], m) \
            if self._phrasal_leave(t) else []  # "Acme parted ways with X"
        if (lemma in ("oust", "fire", "dismiss", "sack") or parted_with) and not passive:
            people = parted_with or self._persons(self._objects(t), m)
            from_orgs = [self._org(s, m) for s in subjects]
            from_tokens = [x for x in from_tokens if not m.person_at(x)]
        else:
            people = self._persons(subjects, m) or self._listed_after_dash(t, subjects, m)
            from_orgs = orgs_obj
        from_orgs = [o for o in from_orgs + [self._org(x, m) for x in from_tokens] if o]
        if not from_orgs and (after := self._tenure_after(t, m)):
            from_orgs = [after]  # "retired after 40 years with the company"
        vague = any(self._is_anaphor(o) for o in self._objects(t) + from_tokens)
        to_org = next(iter(self._orgs(to_tokens, m)), None) or self._purpose_org(t, m)
        role = _verbatim(list(as_tokens[0].subtree)) if as_tokens else None
        for person in people:
            aff = self._affiliation(person, m)
            # With no organization said, a former one is what was left when no destination is either:
            # "former Acme CEO A was fired"; "former Acme engineer A left for Globex" leaves it open.
            from_org = from_orgs[0] if from_orgs else (aff.org if aff and (not aff.former or to_org is None) else None)
            if from_org is not None and vague:
                if aff and not aff.former:
                    from_org = aff.org  # "Globex engineer Tom Fisk has left the company"
                else:  # "the company" is where this person was said to come from, never where they went
                    went = discourse.went_to.get(name_key(person.name))
                    from_org = discourse.came_from.get(name_key(person.name)) or (
                        None if went and _same_company(went, from_org) else from_org)
            if from_org is None and to_org is None and aff is None:
                from_org = self._announcer(t, m)  # "Jane Roe will retire in March, the bank said"
            if from_org is None and aff is None and not passive and not self._unknown_employer(person, m):
                unsaid = self._unsaid_org(t, m, to_org)
                if unsaid is not None and (to_org is None or not _same_company(unsaid, to_org)):
                    yield Candidate("move", person, t, f"unsaid:{lemma}", from_org=unsaid, confidence=0.5)
            if from_org is None and to_org is None:
                continue
            yield Candidate(
                "move",
                person,
                t,
                f"leave:{lemma}",
                from_org=from_org,
                to_org=to_org,
                role=role,
                confidence=0.85 if from_orgs else 0.6,
            )

    def _join(self, t: Token, m: Mentions, discourse: Discourse, needs_to: bool) -> Iterator[Candidate]:
        lemma = t.lemma_.lower()
        targets = self._prep_objects(t, ("to",)) if needs_to else self._objects(t) + self._prep_objects(t, ("to",))
        if not targets and not needs_to and t.i + 1 < t.sent.end and m.org_at(t.doc[t.i + 1]):
            targets = [t.doc[t.i + 1]]  # "quit to join Acme Corp." with the name the parser did not hang on "join"
        if needs_to and lemma == "return" and not targets:
            targets = [o for o in self._objects(t)]
        if any(self._is_person_or_place(x, m) for x in targets):
            # "joined Mira Murati at her new venture, X" is a move; "joined President Trump at the
            # White House" is not (a government is not an employer one joins as a guest).
            at = self._prep_objects(t, ("at",)) + [a for x in targets for a in self._prep_objects(x, ("at",))]
            targets = [x for x in at if (o := self._org(x, m, discourse)) and not self._is_government(o)]
            if not targets:
                return
        to_orgs = self._orgs(targets, m, discourse)
        if not to_orgs and needs_to:
            to_orgs = [o for o in (self._purpose_org(t, m),) if o]  # "moved to New York to become CEO of X"
        from_org = next(iter(self._orgs(self._prep_objects(t, ("from",)), m)), None)
        if not to_orgs and not needs_to and not targets:
            yield from self._join_unsaid(t, m, from_org)  # "Tom Fisk joins as chief scientist", "joined from Globex"
            return
        if not to_orgs and needs_to and not targets:
            yield from self._comes_from(t, m, from_org)  # "Globex's new CTO, Jane Roe, comes over from Initech"
            return
        if not to_orgs:
            return
        head = t.head
        if from_org is None and t.dep_ in ("xcomp", "advcl") and head.lemma_.lower() in self._lists["leave_verbs"]:
            # "departed Anthropic to join Murati's venture": this move starts where that one left.
            from_org = next(iter(self._orgs(self._objects(head) + self._prep_objects(head, ("from",)), m)), None)
        history = False
        if from_org is None and (before := self._tenure_before(t, m)):
            # "spent eleven years at Facebook before joining OpenAI": where it started, and when is not said
            from_org, history = before[0], True
        if from_org is None:
            from_org = self._tenure_after(t, m)  # "joined OpenAI in 2018 after working at Tesla"
        role = self._role_as(t)
        anaphoric = any(self._is_anaphor(x) for x in targets)
        subjects = self._subjects(t)
        for person in self._persons(subjects, m) or self._listed_after_dash(t, subjects, m):
            aff = self._affiliation(person, m)
            to_org, rule = to_orgs[0], f"join:{lemma}"
            if anaphoric and any(_same_company(o, to_org) for o in self._former_employers(person, m, discourse)):
                # "X, former CEO of A, will join the company": not A, where X comes from (here or in
                # an earlier sentence), but the company the article is about
                topic = m.topic_org_before(t.sent.start)
                if topic is None or _same_company(topic, to_org):
                    continue
                to_org, rule = topic, f"unsaid:{lemma}"
            start = from_org
            if start is None and aff and not aff.former and not _same_company(aff.org, to_org):
                start = aff.org
            founded = discourse.founded(person)
            if start is None and founded is not None and not _same_company(founded, to_org):
                start = founded  # "Acme co-founders X and Y are returning to Google": they leave Acme
            if start is None and aff and not _same_company(aff.org, to_org):
                start = aff.org  # "former Acme engineer X joins Globex", when X founded nothing since
            if start is None and aff is None and self._has_bare_role(person, m):
                # "CTO Jane Roe joined Globex": she left the company the article is about
                unsaid = self._unsaid_org(t, m, to_org)
                if unsaid is not None and not _same_company(unsaid, to_org):
                    yield Candidate("move", person, t, f"unsaid:{lemma}", from_org=unsaid, confidence=0.5)
            yield Candidate(
                "move",
                person,
                t,
                rule,
                from_org=start,
                to_org=to_org,
                role=role or (aff.role if aff and aff.org is to_org else None),
                confidence=0.85,
                history=history,
            )
            if lemma in self._lists["return_verbs"]:  # "returned to Acme": had left it, when is not said
                yield Candidate("move", person, t, f"history:{lemma}", from_org=to_org, confidence=0.7, history=True)

    def _welcome(self, t: Token, m: Mentions) -> Iterator[Candidate]:
        """ "(We are excited to) welcome X, Y and Z (back) to Acme": an organization announcing hires.
        Only an organization after "to" counts ("welcome X to the show" is not a hire)."""
        tokens: list[Token] = []
        for obj in self._objects(t):
            appositions = [c for c in obj.children if c.dep_ == "appos"]  # "X, Y, and Z" parsed as appositions
            tokens += [obj, *_with_conjuncts(appositions)]
        people = self._persons(tokens, m)
        to_words = [w for w in t.subtree if w.lower_ == "to" and w.dep_ == "prep"]
        targets = [c for w in to_words for c in w.children if c.dep_ == "pobj"]
        orgs = [o for o in self._orgs(targets, m) if not self._is_government(o)]
        if not orgs:
            return
        for person in people:
            aff = self._affiliation(person, m)
            start = aff.org if aff and not _same_company(aff.org, orgs[0]) else None
            yield Candidate("move", person, t, f"welcome:{t.lemma_.lower()}", from_org=start, to_org=orgs[0],
                            confidence=0.8)

    def _announcer(self, t: Token, m: Mentions) -> Mention | None:
        """The organization that announces the sentence's news, and so employs the person it is
        about: "X will retire, the bank said", "Acme announced that X is stepping down"."""
        verbs = [a for a in t.ancestors if a.pos_ in ("VERB", "AUX")]
        verbs += [c for c in t.sent.root.children if c.dep_ in ("parataxis", "ccomp", "conj") and c.i > t.i]
        for verb in verbs:
            if verb.lemma_.lower() not in self._lists["announcing_verbs"]:
                continue
            for subject in (c for c in verb.children if c.dep_ == "nsubj"):
                org = None if self._person(subject, m) else self._org(subject, m)
                if org is not None and not self._is_media(org):
                    return org
        return None

    def _is_media(self, org: Mention) -> bool:
        return self._kind(org) == "media"

    def _is_government(self, org: Mention) -> bool:
        return self._kind(org) == "government"

    def _kind(self, org: Mention) -> str | None:
        known = self.gazetteer.lookup(org.name)
        return known.kind if known else None

    def _purpose_org(self, t: Token, m: Mentions) -> Mention | None:
        """The employer named in a purpose clause: "to become CEO of X", "to lead research at X"."""
        for child in t.children:
            if child.dep_ not in ("xcomp", "advcl") or child.lemma_.lower() not in self._lists["purpose_verbs"]:
                continue
            objects = self._objects(child)
            named = next((o for o in map(m.org_at, objects) if o is not None), None)
            # "to lead Globex": the organization led, by name (leading verbs can take it as their object)
            if named and child.lemma_.lower() in self._lists["leading_verbs"]:
                return named
            roles = objects + self._prep_objects(child, ("as",))  # "to serve as CEO of Globex"
            for target in [child, *_with_conjuncts(roles)]:
                for x in self._prep_objects(target, ("at", "of", "for")):
                    org = self._org(x, m)
                    if org:
                        return org
            # "to become CMO of Louisville, Ky.-based Globex", parsed with the company as a second complement
            # (only after a verb whose complement is a role: "went on to start Acme" founds it)
            if named and self._role_taking.get(child.lemma_.lower()) == []:
                return named
        return None

    def _unsaid_org(self, t: Token, m: Mentions, named: Mention | None = None) -> Mention | None:
        """The organization a sentence leaves unsaid ("Lena Vogt leaves" in an article about Globex):
        the one the article has named most so far, when the sentence names no organization but
        ``named`` (where the person goes, or comes from). A rule that reads it names itself
        ``unsaid:...``, so that the scorer weighs these guesses on their own."""
        sent = t.sent
        if any(not o.person_like and not (named is not None and _same_company(o, named))
               for o in m.orgs if sent.start <= o.start < sent.end):
            return None
        return m.topic_org_before(sent.start)

    def _unsaid_founded(self, t: Token, m: Mentions, discourse: Discourse) -> Mention | None:
        """What "his co-founders" founded: what he did. ("co-founder Jane Roe" alone is not guessed to be
        the article's company: across the corpora that guess was wrong as often as right.)"""
        owners = [c for c in t.children if c.dep_ == "poss" and c.lower_ in ("his", "her", "their")]
        if owners:
            person = _antecedent(owners[0], m)
            return discourse.founded(person) if person is not None else None
        return None

    def _former_employers(self, person: Mention, m: Mentions, discourse: Discourse) -> list[Mention]:
        """Where the article has this person working before: "former Acme banker Jane Roe" at any
        mention of her up to this one, and where an earlier sentence had her leave."""
        key = name_key(person.name)
        left = discourse.came_from.get(key)
        return [aff.org for p in m.people if p.start <= person.start and name_key(p.name) == key
                if (aff := self._affiliation(p, m)) is not None and aff.former] + ([left] if left else [])

    def _has_bare_role(self, person: Mention, m: Mentions) -> bool:
        """ "CTO Jane Roe", "co-founder Tom Fisk": a role written before a name with no employer."""
        before = m.doc[person.start - 1] if person.start > 0 else None
        return before is not None and (before.lower_ in self.role_words or "founder" in before.lower_) \
            and m.org_at(before) is None and not self._unknown_employer(person, m)

    def _join_unsaid(self, t: Token, m: Mentions, from_org: Mention | None) -> Iterator[Candidate]:
        """A join that names only where the person comes from (``from_org``), or nothing: the article's company."""
        lemma, role = t.lemma_.lower(), self._role_as(t)
        to_org = self._announcer(t, m)  # "Acme said Jane Roe will join as CTO"
        if to_org is not None and not (from_org is not None and _same_company(from_org, to_org)):
            rule, confidence = f"join:{lemma}", 0.7
        elif (to_org := self._unsaid_org(t, m, from_org)) is not None \
                and not (from_org is not None and _same_company(from_org, to_org)):
            rule, confidence = f"unsaid:{lemma}", 0.5
        elif from_org is not None:  # "Tom Fisk joined from Intel": where he joined is not said
            to_org, rule, role, confidence = None, f"join:{lemma}", None, 0.6
        else:
            return
        for person in self._persons(self._subjects(t), m):
            yield Candidate("move", person, t, rule, from_org=from_org, to_org=to_org, role=role, confidence=confidence)

    def _comes_from(self, t: Token, m: Mentions, from_org: Mention | None) -> Iterator[Candidate]:
        """A move that names only where it starts (``from_org``), by someone whose new role is written at
        the name: "Globex's new CTO, Jane Roe, comes over from Initech" (she joins Globex)."""
        if from_org is None:
            return
        for person in self._persons(self._subjects(t), m):
            aff = self._affiliation(person, m)
            new_role = any(w.lower_ in self._lists["incoming_words"] for w in _title_words(person, m))
            if aff is not None and not aff.former and new_role and not _same_company(aff.org, from_org):
                yield Candidate("move", person, t, f"join:{t.lemma_.lower()}", from_org=from_org, to_org=aff.org,
                                confidence=0.7)

    def _tenure_before(self, t: Token, m: Mentions) -> list[Mention]:
        """ "spent years at Acme before joining", "was an engineer at Acme and Globex before founding":
        the employers of the tenure a move ended."""
        head = t.head
        if t.dep_ != "pcomp" or head.lower_ != "before" or head.head.lemma_.lower() not in self._lists["tenure_verbs"]:
            return []
        verb = head.head
        places = [verb, *self._objects(verb)]  # "worked at X", "was a researcher at X"
        where = [x for p in places for x in self._prep_objects(p, ("at", "for", "with", "on"))]
        # "worked on the Acme robotics team": the team's company
        where += [c for x in where if m.org_at(x) is None for c in x.children if c.dep_ in ("compound", "poss")]
        return self._orgs(where, m)

    def _tenure_after(self, t: Token, m: Mentions) -> Mention | None:
        """ "after working at Tesla", "after 15 years at Intel": the employer of the tenure before a move."""
        for after in (c for c in t.children if c.dep_ == "prep" and c.lower_ == "after"):
            for x in after.children:
                if (x.dep_ == "pcomp" and x.lemma_.lower() in self._lists["tenure_verbs"]) \
                        or (x.dep_ == "pobj" and x.lemma_.lower() in self._lists["tenure_spans"]):
                    org = next(iter(self._orgs(self._prep_objects(x, ("at", "for", "with")), m)), None)
                    if org is not None:
                        return org
        return None

    def _unknown_employer(self, person: Mention, m: Mentions) -> bool:
        """ "Southwest CEO Gary Kelly" with "Southwest" not recognised: an employer is written, unread."""
        doc = m.doc
        i = person.start - 1
        while i >= 0 and doc[i].lower_ in self.role_words:
            i -= 1
        if not (i < person.start - 1 and i >= 0 and m.at(doc[i]) is None):
            return False
        # Tagged as a name, or a capitalised noun the model did not tag ("Gap CEO Art Peck")
        return doc[i].ent_type_ in ("ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT") \
            or (doc[i].pos_ in ("NOUN", "PROPN") and doc[i].text[:1].isupper()
                and doc[i].lower_ not in self._lists["former_words"])

    def _is_person_or_place(self, x: Token, m: Mentions) -> bool:
        if m.person_at(x) or any(w.lower_ in PERSON_TITLES for w in x.subtree):
            return True
        if x.lemma_.lower() in self._lists["group_nouns"] \
                and any(c.dep_ == "poss" and c.lower_ in ("his", "her", "their") for c in x.children):
            return True  # "joined his former Acme colleagues at Globex": people, wherever they were before
        doc = x.doc
        multi_word_person = x.ent_type_ == "PERSON" and (
            x.ent_iob_ == "I" or (x.i + 1 < len(doc) and doc[x.i + 1].ent_iob_ == "I")
        )
        return multi_word_person or (x.ent_type_ in ("GPE", "LOC") and not m.org_at(x))

    def _hire(self, t: Token, m: Mentions, discourse: Discourse) -> Iterator[Candidate]:
        lemma = t.lemma_.lower()
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children)
        if passive:
            people = self._persons(self._subjects(t), m)
            hirers = [self._org(x, m, discourse) for x in self._prep_objects(t, ("by", "to", "at"))]
            # "was named the new CEO of CNN", "was selected as president of Globex"
            for title in _with_conjuncts(self._objects(t) + self._prep_objects(t, ("as",))):
                hirers += [self._org(x, m) for x in self._prep_objects(title, ("of", "at"))]
                # "was tapped as Globex's new chief scientist"
                hirers += [self._org(x, m) for x in title.children if x.dep_ in ("poss", "compound")]
            hirers.append(self._purpose_org(t, m))  # "was appointed to replace Y as CEO of Globex"
        else:
            objects = self._objects(t)
            if lemma == "bring":  # "brought on X", "brought X aboard"
                objects = objects or self._prep_objects(t, ("on", "in"))
            people = self._persons(objects, m)
            people += [p for p in self._companions([t, *objects], m) if p not in people]
            subjects = self._subjects(t)
            hirers = [self._org(s, m, discourse) for s in subjects]
            for s in subjects:
                # "Murati recruited X": the founder hires for the company she founded.
                if lemma not in ("hire", "recruit", "poach", "lure"):
                    break
                person = self._person(s, m)
                if person:
                    hirers.append(discourse.founded(person))
            if not any(hirers) and any(s.lower_ in ("it", "company") for s in subjects):
                hirers = [m.last_org_before(t.i)]
        hirer = next((h for h in hirers if h), None)
        if hirer is None:
            return
        from_tokens = self._prep_objects(t, ("from", "away"))
        # "hired X from Y as Z": the parser hangs the prepositions on X; "hired away from Y" on "away"
        for holder in self._objects(t) + [c for c in t.children if c.lower_ == "away"]:
            from_tokens += self._prep_objects(holder, ("from",))
        from_org = next(iter(self._orgs(from_tokens, m)), None)
        role = self._role_as(t) or next((r for r in (self._role_as(o) for o in self._objects(t)) if r), None)
        for person in people:
            aff = self._affiliation(person, m)
            if self._promoted_inside(person, aff, hirer, m):
                continue
            start = from_org
            if start is None and aff and not _same_company(aff.org, hirer):
                start = aff.org
            if start is None and aff is None and (held := self._bare_founder_company(person, m)) is not None \
                    and not _same_company(held, hirer):
                start = held  # "Globex paid Halvik ... while hiring co-founders A and B": they left Halvik
            yield Candidate(
                "move", person, t, f"hire:{lemma}", from_org=start, to_org=hirer, role=role, confidence=0.85
            )

    def _found(self, t: Token, m: Mentions, discourse: Discourse) -> Iterator[Candidate]:
        lemma = "found" if _to_found(t) else t.lemma_.lower()
        # "was founded by", and a participle with its agent: "Founded in 2023 by A and B, Acme has ..."
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children) \
            or (t.tag_ == "VBN" and any(c.dep_ == "agent" for c in t.children))
        strict = lemma in self._lists["found_needs_company_word_or_known_org"]
        if passive:
            people = self._persons(self._prep_objects(t, ("by",)), m)
            targets = self._subjects(t)
        else:
            subjects = self._subjects(t)
            people = self._persons(subjects, m)
            targets = self._objects(t)
            if lemma == "set" and not any(c.lower_ == "up" for c in t.children):
                return
            if t.dep_ == "relcl" and (t.head.lemma_.lower() in self.company_words or m.org_at(t.head)) and all(
                    x.lower_ in ("that", "which") for x in targets):
                targets = [t.head]  # "the startup (that) she co-founded", "Acme, which she founded"
            if all(x.lower_ in ("what", "something") for x in targets):
                # "to establish what sources say will be called Thinking Machines Lab"
                subject_words = {w.i for x in subjects for w in x.subtree}
                named = [c for w in t.subtree if w.i not in subject_words and w.i != t.i
                         and w.lemma_.lower() in ("call", "name", "dub") for c in w.children
                         if c.dep_ in ("oprd", "attr") or (c.dep_ == "dobj" and w.tag_ == "VBN")]
                targets, strict = targets + named, strict and not named  # a name given is a company's name
            for subject in subjects:  # "NFDG, the venture firm Gross co-founded", parsed with the firm as subject
                founder = next((c for c in subject.children if c.dep_ in ("appos", "compound")
                                and c.i > subject.i and m.person_at(c)), None)
                if not targets and founder is not None and subject.lemma_.lower() in self.company_words:
                    people, targets = self._persons([founder], m), [subject]
        # "founded several startups, including Acme and Globex": each one named.
        targets += [x for target in targets if target.tag_ == "NNS" and target.lemma_.lower() in self.company_words
                    for x in self._prep_objects(target, ("including",))]
        # "co-founded Thinking Machines with Zoph and Metz": the partners are founders too.
        people += [p for p in self._persons(self._prep_objects(t, ("with",)), m) if p not in people]
        respectively = any(w.lower_ == "respectively" for w in t.sent)
        if respectively and t.dep_ == "relcl" and not passive:  # "A and B, who founded X and Y, respectively"
            people = self._persons(_with_conjuncts([t.head]), m) or people
        founded: list[Mention] = []
        for target in targets:
            if target.lemma_.lower() in self._lists["not_founded_things"] and not m.org_at(target):
                continue  # "set up OpenAI's Zurich office" founds an office, not OpenAI
            org = self._apposed_org(target, m) or self._org_named_after(target, m)
            if org is None and self._is_anaphor(target) and not any(c.dep_ != "det" for c in target.children):
                # "left Google DeepMind to start the company": not one named in the same sentence; the
                # one the article said they founded ("founders A and B ... before founding the startup")
                known = [discourse.founded(p) for p in people]
                same = bool(known) and known[0] is not None and all(
                    k is not None and _same_company(k, known[0]) for k in known)
                org = known[0] if same else m.last_org_before(target.sent.start)
                if org is None:
                    continue
            org = org or self._org(target, m) or (
                self._named_thing(target, m) if not strict else None)
            if org is None and target.lemma_.lower() in self.company_words:
                # "is building a new company, Quillwork"
                for child in target.children:
                    if child.dep_ == "appos":
                        org = org or self._named_thing(child, m)
            if org is None:
                continue
            if strict and not (
                org.known
                or target.lemma_.lower() in self.company_words
                or any(c.lemma_.lower() in self.company_words for c in target.children)
            ) and not (m.org_at(target) and target.ent_type_ == "ORG"):
                continue
            founded.append(org)
        pairs = [(p, o) for o in founded for p in people]
        if respectively and t.dep_ == "relcl" and len(people) < len(founded):
            # The list misparsed ("A and B" read as "A" modifying "B"): the people its phrase names.
            phrase = m.doc[t.head.left_edge.i : t.head.i + 1]
            people = [p for p in m.people if phrase.start <= p.start < phrase.end]
        if respectively and len(people) == len(founded) > 1:  # the first founded the first, and so on
            pairs = list(zip(sorted(people, key=lambda p: p.start), sorted(founded, key=lambda o: o.start),
                             strict=True))
        for person, org in pairs:
            yield Candidate("founding", person, t, f"found:{lemma}", to_org=org, confidence=0.8)
            aff = self._affiliation(person, m)
            earlier = [aff.org] if aff is not None and aff.former else []  # "ex-Revolut CRO A founded Acme"
            for before in self._tenure_before(t, m) or earlier:  # "worked at Google before co-founding Acme"
                if not _same_company(before, org):
                    yield Candidate("move", person, t, f"history:{lemma}", from_org=before, confidence=0.7,
                                    history=True)

    def _apposed_org(self, noun: Token, m: Mentions) -> Mention | None:
        """The organization a company noun describes: "NFDG, the venture firm ...", "Acme, a startup"."""
        if noun.lemma_.lower() not in self.company_words:
            return None
        named = next((o for c in noun.children if c.dep_ == "appos" and c.i > noun.i
                      if (o := m.org_at(c) or self._named_thing(c, m))), None)
        if named is not None:
            return named  # "the marketing firm Quillwork": its name follows it
        if noun.dep_ == "appos":
            # "Quillon, a rental startup": what a company noun is apposed to is a company's name
            org = m.org_at(noun.head) or self._named_thing(noun.head, m)
            if org is not None:
                return org
        # The description's first word, however the parser hung it: "Acme, the Boston-based
        # warehouse startup founded by ..." (the model often reads "startup" as a verb there).
        doc, i = noun.doc, noun.i - 1
        while i > noun.sent.start and noun.i - i <= 8 and (doc[i].pos_ in DESCRIPTION_POS or doc[i].text == "-"):
            i -= 1
        if i >= 1 and doc[i].text == ",":
            return m.org_at(doc[i - 1]) or self._named_thing(doc[i - 1], m)
        return None

    def _org_named_after(self, noun: Token, m: Mentions) -> Mention | None:
        """ "at her new venture, Thinking Machines Lab": a company noun followed by its name, however
        the parser attached the name (not "joined the company, Acme said")."""
        doc = noun.doc
        if noun.lemma_.lower() not in self.company_words or noun.i + 2 >= len(doc) or doc[noun.i + 1].text != ",":
            return None
        org = m.org_at(doc[noun.i + 2])
        if org is None or org.start != noun.i + 2 or doc[org.end - 1].dep_ in SUBJECT_DEPS:
            return None
        return org

    def _hires_list(self, t: Token, m: Mentions, discourse: Discourse) -> Iterator[Candidate]:
        """"The new hires include A, B and C from OpenAI": one move per person listed."""
        subjects = [c for c in t.children if c.dep_ in SUBJECT_DEPS]
        if not subjects:
            return
        subject = subjects[0]
        nouns = [subject, *(x for x in self._prep_objects(subject, ("of",)))]
        if not any(n.lemma_.lower() in self._lists["hire_nouns"] | {"recruit", "addition", "newcomer"} for n in nouns):
            return
        # With no hirer named, the recruits are the latest organization's that people were said to
        # join, else the organization the document is about.
        hirer = next(iter(self._orgs(nouns, m)), None) or discourse.last_destination or m.topic_org_before(subject.i)
        if hirer is None:
            return
        # "a number of people from OpenAI, including A, B and C"
        listed = [*self._objects(t), *(x for obj in self._objects(t) for x in self._prep_objects(obj, ("including",)))]
        from_tokens = [c for obj in self._objects(t) for w in obj.subtree if w.dep_ == "prep" and w.lower_ == "from"
                       for c in w.children if c.dep_ == "pobj"]
        from_org = next(iter(self._orgs(from_tokens, m)), None)
        people = self._persons(listed, m)
        people += _listed_after(max(people, key=lambda p: p.end), m) if people else []
        for person in people:
            aff = self._affiliation(person, m)
            if aff and aff.former and _same_company(aff.org, hirer):
                continue  # "former head of X at OpenAI": OpenAI is where they came from, not the hirer
            start = from_org or (aff.org if aff and not _same_company(aff.org, hirer) else None)
            yield Candidate("move", person, t, "list:include", from_org=start, to_org=hirer, confidence=0.7)
        for person, employer in _semicolon_list(t, m):
            # "include A, a manager at X; B, from Y's team; and C": the parser loses such lists.
            if all(person.name != p.name for p in people):
                start = employer if employer and not _same_company(employer, hirer) else None
                yield Candidate("move", person, t, "list:include", from_org=start, to_org=hirer, confidence=0.7)

    def _takes_role(self, t: Token, m: Mentions) -> Iterator[Candidate]:
        """ "became chief scientist at Globex", "took a position with Globex": a role taken at an
        organization. (Whether it is a move or a promotion inside is the scorer's to weigh.)"""
        wanted = self._role_taking.get(t.lemma_.lower(), [])
        roles = [c for c in t.children if c.dep_ in ("attr", "dobj", "oprd")
                 and (c.lemma_.lower() in wanted if wanted else any(w.lower_ in self.role_words for w in c.subtree))]
        if self._takes_role_as(t):  # "came aboard as CTO of Globex"
            roles, wanted = [r for r in self._prep_objects(t, ("as",)) if r.lower_ in self.role_words], []
        if not roles:
            return
        at_verb = self._prep_objects(t, ("at", "with", "for"))  # "took a job last year with Globex"
        people = self._persons(self._subjects(t), m)
        for role in roles:
            orgs = self._orgs(self._prep_objects(role, ("of", "at", "with", "for")) + at_verb
                              + [c for c in role.children if c.dep_ in ("compound", "poss")], m)
            if not orgs:
                continue
            complements = {w.i for c in role.children if c.dep_ == "prep" for w in c.subtree}  # "of Globex"
            words = [w for w in role.subtree if w.dep_ not in ("det", "poss") and w.i not in complements]
            for person in people:
                aff = self._affiliation(person, m)
                for org in orgs:
                    if self._promoted_inside(person, aff, org, m):
                        continue
                    yield Candidate("move", person, t, f"role:{t.lemma_.lower()}", to_org=org,
                                    role=_verbatim(words) if not wanted else None, confidence=0.7)

    def _promoted_inside(self, person: Mention, aff: Affiliation | None, org: Mention, m: Mentions) -> bool:
        """ "Acme's current COO, Jane Roe, will become (was named) CEO of Acme": a promotion inside the
        organization the person works at now, which the guide does not count as a move. Only with
        "current" said: an employer written at the name is as often the role the move gives ("its new
        CEO, Jane Roe", "Jane Roe, who now serves as its CTO")."""
        if aff is None or aff.former or not _same_company(aff.org, org):
            return False
        return self._has_current_title(person, m)

    def _has_current_title(self, person: Mention, m: Mentions) -> bool:
        """ "Acme's current COO Jane Roe": the title is said to be the person's now."""
        return any(w.lower_ in self._lists["current_words"] for w in _title_words(person, m))

    def _takes_role_as(self, t: Token) -> bool:
        """ "came aboard as", "signed on as": a verb and particle (``role_taking_as``) whose "as" names
        a role taken."""
        particles = self._role_taking_as.get(t.lemma_.lower(), [])
        return any(c.dep_ in ("prt", "advmod") and c.lower_ in particles for c in t.children) \
            and any(c.dep_ == "prep" and c.lower_ == "as" for c in t.children)

    def _founder_noun(self, t: Token, m: Mentions, discourse: Discourse) -> Iterator[Candidate]:
        """ "Scale AI founder Alexandr Wang", "X, co-founder of Y", "X is the founder of Y"; and with the
        company unsaid, "her co-founders A and B": what she founded."""
        orgs = self._orgs(self._prep_objects(t, ("of", "at")), m)
        orgs += self._orgs([c for c in t.children if c.dep_ in ("compound", "poss")], m)  # "the company's co-founder"
        if not orgs and any(c.dep_ == "poss" and c.lower_ == "its" for c in t.children):
            orgs = [o for o in (self._company_named_before(t, m),) if o]  # "Acme denied that its co-founder A ..."
        if not orgs:
            # A proper noun in the founded slot that the model took for a place or nothing: "a co-founder
            # of Halvik", "Another Covarion co-founder" (what a founder noun names is a company).
            slots = self._prep_objects(t, ("of",)) + [c for c in t.children if c.dep_ == "compound"
                                                      or (c.dep_ in ("amod", "poss") and c.pos_ == "PROPN")]
            orgs = [o for o in (self._named_thing(x, m) for x in slots
                                if x.ent_type_ in ("", "ORG", "GPE", "NORP", "PRODUCT", "FAC")) if o]
        if not orgs:
            # Coordinated roles share their complement: "a co-founder and former chief scientist of
            # OpenAI", "OpenAI's former chief scientist and co-founder".
            shared = [c for c in t.conjuncts if c.i > t.i]
            orgs = self._orgs([x for c in shared for x in self._prep_objects(c, ("of", "at"))], m)
            if t.dep_ == "conj":
                orgs += self._orgs([c for c in t.head.children if c.dep_ in ("compound", "poss")], m)
        i = t.i - 1
        doc = t.doc
        while i >= 0 and t.i - i <= 4 and not orgs:  # "OpenAI co-founder": an org just before
            om = m.org_at(doc[i])
            if om:
                orgs.append(om)
                break
            if doc[i].pos_ not in ("ADJ", "NOUN", "PROPN", "PART", "PUNCT", "CCONJ") or doc[i].text == ",":
                break
            i -= 1
        for org_token in [c for c in t.children if c.dep_ in ("compound", "poss") and m.org_at(c)]:
            orgs += [o for o in map(m.org_at, org_token.conjuncts) if o]  # "DeepMind and Inflection co-founder"
        head_org = m.org_at(t.head) if t.dep_ == "conj" else None
        if head_org and orgs:
            orgs.append(head_org)  # the same, parsed as "DeepMind" and "Inflection co-founder"
        rule = "founder-noun"
        if not orgs and t.dep_ == "compound" and (titled := m.person_at(t.head)) is not None \
                and (employer := self._list_employer(titled, m)) is not None:
            orgs = [employer]  # "Acme CEO A, co-founder B"
        if not orgs and _names_people(t, m) and (before := self._company_named_before(t, m)) is not None:
            # A bare title at a name is held at the company the sentence named last: "Globex bought
            # Halvik and hired co-founders A and B", "Halvik's team, including founders A and B, ..."
            orgs, rule = [before], "founder-noun:before"
        if not orgs:
            unsaid = self._unsaid_founded(t, m, discourse)
            if unsaid is None:
                return
            orgs, rule = [unsaid], "unsaid:founder-noun"
        people: list[Mention] = []
        head = t.head
        if t.dep_ in ("compound", "amod") and m.person_at(head):
            # "Acme co-founders A, B and C": all of them; "Acme co-founder A": A alone
            people = self._persons(_with_conjuncts([head]), m) if t.tag_ == "NNS" else [m.person_at(head)]  # type: ignore[list-item]
        elif t.dep_ == "appos":
            if t.tag_ == "NNS" and head.dep_ == "conj":  # "A and B, the co-founders of X": both of them
                head = head.head
            people = self._persons([head, *head.conjuncts], m) if t.tag_ == "NNS" else self._persons([head], m)
        elif t.dep_ in ("attr", "conj") and head.lemma_ in ("be", "remain"):
            people = self._persons(self._subjects(head), m)
        elif t.dep_ == "conj":
            people = self._persons([head.head], m) if head.dep_ == "appos" else []
        if not people:
            listed = [c for c in t.children if c.dep_ == "appos"]
            people = self._persons(_listed_people(t, listed) if t.tag_ == "NNS" and listed else listed, m)
        if not people:
            # "Character.AI co-founders and former Google engineers Noam Shazeer and Daniel De Freitas"
            for tok in doc[t.i + 1 : min(len(doc), t.i + 9)]:
                if tok.pos_ in ("VERB", "AUX", "ADP") or tok.text in (";", ":", "(", ")"):
                    break
                first = m.person_at(tok)
                if first:
                    head = doc[first.end - 1]
                    people = self._persons([head, *head.conjuncts], m)
                    break
        for person in people:
            for org in orgs:
                yield Candidate("founding", person, t, rule, to_org=org, confidence=0.75)

    def _founders_leaving(self, sent: Span, m: Mentions, told: list[Candidate]) -> Iterator[Candidate]:
        """ "Co-founder Jane Roe left Globex", "two leaders departed: cofounder A and researcher B": a
        founder's title with no company, on one who leaves an organization in a sentence that founds
        nothing, is a title at the organization left."""
        if any(c.kind == "founding" or c.trigger.lemma_.lower() in self._lists["found_verbs"] for c in told):
            return
        for c in list(told):
            if c.kind != "move" or c.from_org is None or c.history:
                continue
            # the word just before the name ("cofounder A") or one apposed to it ("A, a co-founder,")
            words = [x for x in m.doc[c.person.end - 1].children if x.dep_ == "appos"]
            if c.person.start > 0:
                words.insert(0, m.doc[c.person.start - 1])
            title = next((w for w in words if "founder" in w.lower_), None)
            if title is None or any(x.dep_ in ("poss", "compound", "prep") for x in title.children) \
                    or m.org_at(title) is not None:
                continue
            yield Candidate("founding", c.person, title, "founder-noun:left", to_org=c.from_org, confidence=0.75)

    def _successions(self, sent: Span, m: Mentions, told: list[Candidate]) -> Iterator[Candidate]:
        """ "A, who has led Acme since 2018, will replace B as chief executive of Globex", "B will be
        succeeded at Globex by A, the CFO of Acme": the one replaced leaves the post's organization
        (said with the verb, or where the sentence has them leave), and the successor joins it from
        the employer written at their name; a successor with none written may be promoted from
        inside, which is no move."""
        def moves_of(person: Mention) -> list[Candidate]:  # told so far, this pass's own included
            return [c for c in told if c.kind == "move" and c.person.start == person.start]

        for t in sent:
            if t.pos_ != "VERB" or t.lemma_.lower() not in self._lists["replace_verbs"]:
                continue
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children)
            named = self._persons(self._subjects(t), m)
            others = self._persons(self._prep_objects(t, ("by",)) if passive else self._objects(t), m)
            successors, predecessors = (others, named) if passive else (named, others)
            posts = [x for role in self._prep_objects(t, ("as",)) for x in self._prep_objects(role, ("of", "at"))]
            orgs = self._orgs(posts + self._prep_objects(t, ("at",)), m)
            left = [c.from_org for p in predecessors for c in moves_of(p) if c.from_org is not None]
            # The post the one replaced holds, unless it is said to be theirs now ("succeeding current
            # Globex CEO A" at another company: A has moved on).
            held = [a.org for p in predecessors if (a := self._affiliation(p, m)) is not None and not a.former
                    and not self._has_current_title(p, m)]
            post = next(iter(orgs + left + held), None)
            if post is None:
                continue
            for person in predecessors:
                if not moves_of(person):
                    yield Candidate("move", person, t, f"succession:{t.lemma_.lower()}", from_org=post,
                                    confidence=0.6)
            for person in successors:
                aff = self._affiliation(person, m)
                if aff is None or _same_company(aff.org, post) or moves_of(person):
                    continue
                # "A, who is also a vice president at Initech, replaced B": a post A keeps, not one left.
                kept = any(w.lower_ == "also" for w in m.doc[person.end - 1].subtree)
                yield Candidate("move", person, t, f"succession:{t.lemma_.lower()}",
                                from_org=None if kept else aff.org, to_org=post, confidence=0.6)

    def _departure_noun(self, t: Token, m: Mentions) -> Iterator[Candidate]:
        """ "his departure from OpenAI", "Pang's exit from Apple", and with the employer written
        around the person: "X CEO Linda Yaccarino's departure"."""
        owners = [c for c in t.children if c.dep_ == "poss"]
        from_orgs = self._orgs(self._prep_objects(t, ("from", "at")), m)
        own = t.dep_ == "dobj" and t.head.lemma_.lower() in self._lists["own_departure_verbs"]
        subjects = self._persons(self._subjects(t.head), m) if own else []
        # "A and B announced their exits": each subject's own.
        people = subjects if own and any(o.lower_ == "their" for o in owners) else self._persons(owners, m)
        people += [p for p in self._persons(self._prep_objects(t, ("of",)), m) if p not in people]  # "the exit of X"
        for person in people:
            org = from_orgs[0] if from_orgs else None
            # The owner is this person, not "his"; or "his" is the subject's own: "Acme CEO Jane Roe
            # submitted her resignation".
            if org is None and (m.doc[person.end - 1].dep_ == "poss" or person in subjects):
                aff = self._affiliation(person, m)
                org = aff.org if aff is not None and not aff.former else None
                if org is None and person not in subjects:
                    org = self._announcer(t, m) or self._confirming_colleague_employer(t, m)
                if aff is None and person in subjects and not self._unknown_employer(person, m) \
                        and (unsaid := self._unsaid_org(t, m)) is not None:
                    # "CTO Jane Roe announced her departure" in an article about Acme
                    yield Candidate("move", person, t, f"unsaid:{t.lemma_.lower()}", from_org=unsaid,
                                    confidence=0.5)
            if org is not None:
                yield Candidate("move", person, t, f"noun:{t.lemma_.lower()}", from_org=org, confidence=0.7)
        yield from self._departures_listed(t, m, from_orgs)

    def _confirming_colleague_employer(self, t: Token, m: Mentions) -> Mention | None:
        """Where the person who confirms someone's departure works: "Acme's chief scientist Jane Roe
        confirmed Tom Fisk's departure" (an employer speaks of its own people's departures)."""
        if t.dep_ != "dobj" or t.head.lemma_.lower() not in self._lists["own_departure_verbs"]:
            return None
        for subject in self._subjects(t.head):
            speaker = self._person(subject, m)
            aff = self._affiliation(speaker, m) if speaker is not None else None
            if aff is not None and not aff.former:
                return aff.org
        return None

    def _departures_listed(self, t: Token, m: Mentions, from_orgs: list[Mention]) -> Iterator[Candidate]:
        """ "a wave of departures from Acme, including CTO A and CFO B", "Acme's exits include A": each
        person listed left the organization the departures are from (else the article's company)."""
        if t.tag_ != "NNS" and not any(c.lower_ == "their" for c in t.children):
            return
        listing = _listing_word(t)
        if listing is None:
            return
        people = _items_listed(listing, m)
        if not people:
            return
        orgs = from_orgs or self._orgs([c for c in t.children if c.dep_ in ("compound", "poss")], m)
        org = orgs[0] if orgs else self._unsaid_org(t, m)
        if org is None:
            return
        family = "noun" if orgs else "unsaid"
        for person in people:
            yield Candidate("move", person, t, f"{family}:departures", from_org=org, confidence=0.6)

    def _hire_noun(self, t: Token, m: Mentions) -> Iterator[Candidate]:
        """ "Acme announced the hiring of Jane Roe", "the appointment of Jane Roe as CEO of Acme",
        "Jane Roe's arrival at Acme": a hire told by its noun."""
        people = self._persons(self._prep_objects(t, ("of",)) + [c for c in t.children if c.dep_ == "poss"], m)
        if not people:
            return
        titles = self._prep_objects(t, ("as",))
        slots = self._prep_objects(t, ("at", "to")) + [x for a in titles for x in self._prep_objects(a, ("of", "at"))]
        slots += [c for x in [t, *titles] for c in x.children if c.dep_ in ("poss", "compound") and not m.person_at(c)]
        if t.dep_ == "dobj":  # "Acme announced the hiring of"
            slots += [s for s in self._subjects(t.head) if not m.person_at(s)]
        org = next(iter(self._orgs(slots, m)), None) or self._announcer(t, m)
        if org is None:
            return
        for person in people:
            aff = self._affiliation(person, m)
            start = aff.org if aff is not None and not _same_company(aff.org, org) else None
            yield Candidate("move", person, t, f"noun:{t.lemma_.lower()}", from_org=start, to_org=org,
                            role=self._role_as(t), confidence=0.6)

    def _joins_at(self, t: Token) -> bool:
        particles = self._join_phrasal.get(t.lemma_.lower())
        return particles is not None and (not particles or any(
            c.dep_ in ("prt", "advmod") and c.lower_ in particles for c in t.children))

    def _join_at(self, t: Token, m: Mentions, discourse: Discourse) -> Iterator[Candidate]:
        """ "X landed at Acme", "X signed on with Acme": X joined Acme."""
        org = next(iter(self._orgs(self._prep_objects(t, ("at", "with")), m, discourse)), None)
        if org is None:
            return
        for person in self._persons(self._subjects(t), m):
            aff = self._affiliation(person, m)
            start = aff.org if aff is not None and not _same_company(aff.org, org) else self._tenure_after(t, m)
            yield Candidate("move", person, t, f"join:{t.lemma_.lower()}", from_org=start, to_org=org,
                            role=self._role_as(t), confidence=0.7)

    def _lose(self, t: Token, m: Mentions, discourse: Discourse) -> Iterator[Candidate]:
        """ "Acme has lost Jane Roe to Globex", "Acme lost ten researchers, including Jane Roe": each
        person left the organization that lost them (and joined the one they were lost to)."""
        from_org = next((o for o in (self._org(s, m, discourse) for s in self._subjects(t)
                                     if not m.person_at(s)) if o), None)
        if from_org is None:
            return
        listed = [x for h in [t, *self._objects(t)] for x in self._prep_objects(h, ("including",))]
        to_org = next(iter(self._orgs(self._prep_objects(t, ("to",)), m, discourse)), None)
        for person in self._persons(self._objects(t) + listed, m):
            yield Candidate("move", person, t, f"lose:{t.lemma_.lower()}", from_org=from_org, to_org=to_org,
                            confidence=0.7)

    def _no_longer_at(self, t: Token, m: Mentions, discourse: Discourse) -> Iterator[Candidate]:
        """ "X is no longer with the company", "X no longer works at Acme": X left it."""
        if t.lemma_.lower() not in self._lists["tenure_verbs"]:
            return
        org = next(iter(self._orgs(self._prep_objects(t, ("with", "at", "for")), m, discourse)), None)
        if org is None:
            return
        for person in self._persons(self._subjects(t), m):
            yield Candidate("move", person, t, "leave:no-longer", from_org=org, confidence=0.7)

    def _move_noun(self, t: Token, m: Mentions) -> Iterator[Candidate]:
        """ "Jane Roe's move from Acme to Globex", "Jane Roe made the switch to Globex": a move told
        by its noun, from and to the organizations its prepositions name."""
        holders, owners = [t], [c for c in t.children if c.dep_ == "poss"]
        if t.dep_ == "dobj" and t.head.lemma_.lower() in self._lists["move_making_verbs"]:
            holders.append(t.head)  # the parser hangs "to Globex" on "made"
            owners += self._subjects(t.head)
        to_orgs = self._orgs([x for h in holders for x in self._prep_objects(h, ("to",))], m)
        from_orgs = self._orgs([x for h in holders for x in self._prep_objects(h, ("from",))], m)
        if not to_orgs and not from_orgs:
            return
        for person in self._persons(owners, m):
            yield Candidate("move", person, t, f"noun:{t.lemma_.lower()}", from_org=next(iter(from_orgs), None),
                            to_org=next(iter(to_orgs), None), confidence=0.6)

    def _is_incoming_role(self, t: Token) -> bool:
        """ "the new chief product officer", "the next Acme CEO": a role someone is taking up."""
        if t.lower_ not in self.role_words:
            return False
        modifiers = [c for c in t.children if c.dep_ in ("amod", "compound")]
        modifiers += [g for c in t.children if c.dep_ in ("poss", "compound") for g in c.children
                      if g.dep_ in ("amod", "compound")]
        return any(c.lower_ in self._lists["incoming_words"] for c in modifiers)

    def _incoming_role(self, t: Token, m: Mentions) -> Iterator[Candidate]:
        """ "Jane Roe, the new chief product officer at Acme", "incoming Acme CEO Jane Roe": joined Acme."""
        orgs = self._orgs([c for c in t.children if c.dep_ in ("poss", "compound")]
                          + self._prep_objects(t, ("at", "of")), m)
        if not orgs:
            return
        people = self._persons([t.head], m) if t.dep_ == "appos" else []
        people += self._persons([c for c in t.children if c.dep_ == "appos"], m)
        if t.dep_ == "compound":
            people += self._persons([t.head], m)
        role = _verbatim([w for w in t.subtree if w.i <= t.i and w.dep_ not in ("det", "poss", "case")
                          and m.org_at(w) is None and w.lower_ not in self._lists["incoming_words"]])
        for person in people:
            yield Candidate("move", person, t, f"incoming:{t.lower_}", to_org=orgs[0], role=role, confidence=0.7)

    def _role_as(self, t: Token) -> str | None:
        for child in t.children:
            if child.dep_ == "prep" and child.lower_ == "as":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                # "as part of a deal", "as a result": a phrase, not the role taken
                if objs and objs[0].lemma_.lower() not in self._lists["not_role_heads"]:
                    # "as chief scientist in 2022": when and where are not part of the role
                    aside = {x.i for p in objs[0].subtree if p.dep_ == "prep" and p.lower_ not in ("of", "at", "for")
                             for x in p.subtree}
                    words = [
                        w
                        for w in objs[0].subtree
                        if w.dep_ not in ("det", "poss", "case") and w.lower_ not in ("its", "his", "her", "their")
                        and w.i not in aside
                    ]
                    return _verbatim(words[:8])
        return None

    # Claims ------------------------------------------------------------------------------

    def _to_claim(
        self, c: Candidate, sent: Span, document: Document, published: str | None
    ) -> tuple[Claim | None, str]:
        if len(c.person.name.split()) < 2:
            return None, f"person '{c.person.name}' has no full name in the document"
        if c.kind == "move" and c.from_org and c.to_org and c.from_org.name == c.to_org.name:
            return None, "same organization on both sides: an internal change"
        for org in (c.from_org, c.to_org):
            if org and org.name in self.blocked.get("products", ()):
                return None, f"'{org.name}' is a product, not an employer"
            if org and not org.known and all(w.lower() in self.role_words for w in org.name.split()):
                return None, f"'{org.name}' is a role, not an employer"  # "returning to her CTO role"
        status = self._status(c.trigger, sent)
        stated = self._stated_date(c.trigger, sent, published)
        # A departure told as history alone ("returned to X in March", "worked at X before founding Y in
        # 2020") happened before the date the sentence gives, which is the other move's.
        date = None if c.history and c.to_org is None else stated or (None if c.history else published)
        from_cu = c.from_org.company if c.from_org and c.from_org.company else _plain(c.from_org)
        to_cu = c.to_org.company if c.to_org and c.to_org.company else _plain(c.to_org)
        confidence = c.confidence * (
            1.0 if (c.from_org is None or c.from_org.known) and (c.to_org is None or c.to_org.known) else 0.85
        )
        claim = Claim(
            kind=c.kind,
            person=c.person.name,
            from_org=from_cu.org if from_cu else None,
            to_org=to_cu.org if to_cu else None,
            from_unit=from_cu.unit if from_cu else None,
            to_unit=to_cu.unit if to_cu else None,
            role=c.role,
            date=date,
            date_stated=stated is not None,
            status=status,
            confidence=round(confidence, 3),
            evidence=_evidence(sent, document.text),
            extractor=EXTRACTOR,
            extractor_version=EXTRACTOR_VERSION,
            doc=document.reference,
            rule=c.rule,
        )
        return claim, f"{c.rule} -> {status}"

    def _status(self, t: Token, sent: Span) -> Status:
        text = " " + sent.text.lower() + " "
        governing = _governing_chain(t)
        above = governing[1:]  # the trigger's own lemma ("set up") is not a status word
        words = {a.lemma_.lower() for a in above} | {a.lower_ for a in above}
        modifiers = [c for a in governing for c in a.children]
        if any(c.dep_ == "neg" for c in modifiers):
            return "denied"
        if words & self._status_lemmas["denied"]:
            return "denied"
        if words & self._status_lemmas["rumored"]:
            return "rumored"
        if any(c.lower_ in ("could", "may", "might") for c in modifiers):
            return "rumored"
        # "going to" + a verb: the cue may be the verb or, where "go" is a cue itself, "going".
        going = next((a for a in governing if a.lemma_ == "go" and a.tag_ == "VBG"
                      and (a is not t or any(c.dep_ == "xcomp" for c in t.children))), None)
        if going is not None and any(c.dep_ == "aux" and c.lower_ in ("was", "were") for c in going.children):
            return "rumored"  # "was going to join": a plan told as not carried out
        if going is not None or any(c.lower_ in ("will", "'ll", "’ll", "shall") for c in modifiers) \
                or words & self._status_lemmas["planned"]:
            return "planned"
        if self._progressive_with_future_time(t, sent):
            return "planned"
        if any(marker in text for marker in self._lists["reported_markers"]):
            return "reported"
        return "confirmed"

    def _progressive_with_future_time(self, t: Token, sent: Span) -> bool:
        """ "is leaving at the end of the year", "is joining next month": a present progressive with a
        time still to come tells a plan, not a move made."""
        if t.tag_ != "VBG" or not any(c.dep_ == "aux" and c.lemma_ == "be" for c in t.children):
            return False
        times = [e.text.lower() for e in sent.ents if e.label_ in ("DATE", "TIME")
                 and any(a.i == t.i for w in e for a in w.ancestors)]
        return any(marker in time for time in times for marker in self._lists["future_time_markers"])

    def _stated_date(self, t: Token, sent: Span, published: str | None) -> str | None:
        """The move's own date, when the sentence gives one for the trigger."""
        # Date phrases attached to the trigger, not those inside the subject ("since 2021").
        subject_tokens = {w.i for c in t.children if c.dep_ in SUBJECT_DEPS for w in c.subtree}
        for ent in sent.ents:
            if ent.label_ != "DATE" or any(w.i in subject_tokens for w in ent):
                continue
            if not any(a.i == t.i for w in ent for a in w.ancestors):
                continue
            # Not a date that describes someone: "hired X, who left Google in 2020".
            path = [a for a in ent.root.ancestors if a.i != t.i and t in a.ancestors]
            if any(a.dep_ in ("relcl", "appos", "acl") for a in path):
                continue
            date = resolve_date(ent.text, published)
            if date:
                return date
        return None


# Dependencies through which a governing word ("tried to hire", "in talks to join", "will step down
# and retire") still speaks of the trigger; the climb stops at the clause that holds the trigger.
GOVERNING_DEPS = {"xcomp", "acl", "pobj", "prep", "dobj", "pcomp", "conj", "aux", "auxpass"}


def _governing_chain(t: Token) -> list[Token]:
    chain = [t]
    while chain[-1].dep_ in GOVERNING_DEPS and chain[-1].head.i != chain[-1].i and len(chain) < 8:
        chain.append(chain[-1].head)
    return chain


# Prepositions that the parser takes for the head of a clause: "after Jane Roe, the lab's head, resigned".
CLAUSE_PREPOSITIONS = {"after", "before", "since", "until", "as", "when", "while", "because"}


def _misparsed_clause_subject(verb: Token) -> Token | None:
    """ "X left after Jane Roe, the lab's head, resigned" is parsed with "resigned" as a second verb
    of X, with no "and" between them; its subject is the noun the preposition governs, which ends
    just before the verb."""
    head = verb.head
    if any(c.dep_ == "cc" and head.i < c.i < verb.i for c in head.children):
        return None
    before = verb.i - 1
    while before > head.i and verb.doc[before].is_punct:
        before -= 1
    for noun in verb.doc[head.i + 1 : before + 1]:
        if (
            noun.dep_ == "pobj"
            and noun.head.lower_ in CLAUSE_PREPOSITIONS
            and noun.head.head.i == head.i
            and max(w.i for w in noun.subtree if not w.is_punct) == before
            and noun.pos_ in ("PROPN", "NOUN", "PRON")
        ):
            return noun
    return None


def _names_people(title: Token, m: Mentions) -> bool:
    """Whether a title is written at the names it is theirs: "co-founder A", "the co-founders, A and B,",
    "the co-founders — former Acme engineers A and B —"."""
    doc = title.doc
    return (title.i + 1 < len(doc) and m.person_at(doc[title.i + 1]) is not None) or any(
        c.dep_ == "appos" and (m.person_at(c) or any(g.dep_ == "appos" and m.person_at(g) for g in c.children))
        for c in title.children)


def _title_words(person: Mention, m: Mentions) -> list[Token]:
    """The words of a title written at a name: just before it ("Acme's current COO Jane Roe") or on
    the role it is apposed to ("Acme's new CTO, Jane Roe,")."""
    head = m.doc[person.end - 1]
    return [*m.doc[max(0, person.start - 4) : person.start], *(head.head.children if head.dep_ == "appos" else [])]


def _clause_verb(t: Token) -> Token:
    """The verb of the clause a word is in (the sentence's root when there is none)."""
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def _listed_after(last: Mention, m: Mentions) -> list[Mention]:
    """People that continue a list after its last parsed item, by the words ", and D": the parser
    sometimes runs the list's end into the next sentence."""
    found: list[Mention] = []
    i = last.end
    while i < len(m.doc) and m.doc[i].lower_ in (",", "and", "or"):
        i += 1
        person = m.person_at(m.doc[i]) if i < len(m.doc) else None
        if person is not None and person.start == i and m.doc[i - 1].lower_ in (",", "and", "or"):
            found.append(person)
            i = person.end
    return found


def _no_longer(t: Token) -> bool:
    return any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children) for c in t.children)


def _listing_word(noun: Token) -> Token | None:
    """The "including" or "include" that introduces the members of a plural noun: "departures,
    including", "a run of exits, including", "exits include", "departures, which included", or
    "announced their departure, including"."""
    def includes(t: Token) -> bool:
        return t.lemma_.lower() == "include" or t.lower_ == "including"

    if noun.dep_ in SUBJECT_DEPS and includes(noun.head):
        return noun.head
    holders = [noun, noun.head]
    if noun.head.dep_ == "prep":  # "a wave of departures": the list hangs on "wave"
        holders.append(noun.head.head)
    return next((c for h in holders for c in h.children if includes(c) and c.i > noun.i
                 and c.dep_ in ("prep", "relcl", "acl", "advcl")), None)


def _items_listed(listing: Token, m: Mentions) -> list[Mention]:
    """The people of a list after ``listing``, read from the words: items split at commas and "and",
    each a person with the words of their role ("former CTO A, VP B and C"); the list ends at the
    first item that names no one."""
    items: list[list[Token]] = [[]]
    for w in listing.doc[listing.i + 1 : listing.sent.end]:
        if w.lower_ in (",", "and", ";"):
            items.append([])
        else:
            items[-1].append(w)
    found: list[Mention] = []
    for item in items:
        if not item:
            continue
        people = {p.start: p for p in (m.person_at(w) for w in item) if p is not None}
        if len(people) != 1 or any(w.tag_ in ("VBD", "VBZ", "VBP", "MD") for w in item):  # a clause, not a name
            break
        found.append(next(iter(people.values())))
    return found


def _semicolon_list(t: Token, m: Mentions) -> list[tuple[Mention, Mention | None]]:
    """The people itemised after t in a list separated by semicolons, each with the organization
    its item places them at ("a manager at X", "from X's team"), read from the words, not the parse."""
    words = list(t.doc[t.i + 1 : t.sent.end])
    if not any(w.text == ";" for w in words):
        return []
    items: list[list[Token]] = [[]]
    for w in words:
        if w.text == ";":
            items.append([])
        else:
            items[-1].append(w)
    found: list[tuple[Mention, Mention | None]] = []
    for item in items:
        first = next((w for w in item if not (w.is_punct or w.lower_ in ("and", "or"))), None)
        person = m.person_at(first) if first is not None else None
        if person is None:
            continue
        orgs = [o for o in (m.org_at(w) for w in item) if o is not None and o.start > 0]
        employer = next((o for o in orgs if t.doc[o.start - 1].lower_ in ("at", "from", "of", "with")), None)
        found.append((person, employer))
    return found


def _verbatim(tokens: list[Token]) -> str | None:
    """The text from the first to the last of the tokens, as written (a role is a span of the
    text, never words joined by us), without punctuation at its ends."""
    words = [t for t in tokens if not (t.is_punct or t.is_space)]
    if not words:
        return None
    doc = words[0].doc
    start, end = min(t.i for t in words), max(t.i for t in words)
    return doc[start : end + 1].text


def _to_found(t: Token) -> bool:
    """ "to found X": the model lemmatises this "found" as "find"."""
    return t.lower_ == "found" and any(c.lower_ == "to" and c.dep_ == "aux" for c in t.children)


def list_head(t: Token) -> Token:
    """The first item of the list a name is in ("Acme co-founders A, B and C": A for B and C), so
    that every item stands to the words around the list as the first one does."""
    while t.dep_ == "conj" and t.head.pos_ in ("PROPN", "NOUN") and t.head.i < t.i:
        t = t.head
    return t


def _with_conjuncts(tokens: list[Token]) -> list[Token]:
    """The tokens and all that they are coordinated with, also through chains the parser nests
    ("A, B, C, and D" as A <- B <- C <- D, or as B an apposition of A and C, D conjuncts of B)."""
    out: list[Token] = []
    todo = list(tokens)
    while todo:
        tok = todo.pop(0)
        if tok not in out:
            out.append(tok)
            todo += [c for c in tok.conjuncts if c not in out]
            todo += [c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c not in out
                     and any(g.dep_ == "conj" for g in c.children)]
    return out


def _listed_people(noun: Token, apposed: list[Token]) -> list[Token]:
    """The names listed after a plural noun ("co-founders A, B, and C"): its appositions with all that
    they are coordinated with, and a last name the parser coordinated with the noun itself."""
    return _with_conjuncts(apposed) + [c for c in noun.conjuncts if c.pos_ == "PROPN" and c not in apposed]


def _antecedent(pronoun: Token, m: Mentions) -> Mention | None:
    """The person a pronoun most likely refers to: in reported speech, the person named just before
    in the sentence; else the latest person who was a subject, in this sentence or before (also as
    the name beside a subject role), else the latest person named."""
    subject = ("nsubj", "nsubjpass")
    if pronoun.dep_ in subject and pronoun.head.dep_ == "ccomp" and pronoun.head.head.i < pronoun.i:
        # Reported speech: "Jane Roe said she was leaving": the speaker; where the parse lost the
        # speaker ("after former Acme chief Jane Roe announced she ..."), the person just named.
        speaker = next((m.person_at(c) for c in pronoun.head.head.children if c.dep_ in subject), None)
        named = [p for p in m.people if pronoun.sent.start <= p.start < pronoun.i]
        if speaker or named:
            return speaker or named[-1]
    for person in reversed([p for p in m.people if p.start < pronoun.i]):
        head = m.doc[person.end - 1]
        if head.dep_ in subject or (head.dep_ == "appos" and head.head.dep_ in subject):
            return person
    return m.last_person_before(pronoun.i)


def _same_company(a: Mention, b: Mention) -> bool:
    ca = a.company.org if a.company else a.name
    cb = b.company.org if b.company else b.name
    return ca == cb


def _plain(m: Mention | None) -> CompanyUnit | None:
    return CompanyUnit(m.name, None) if m else None


def _evidence(sent: Span, text: str) -> Evidence:
    """The sentence as ``text`` (the document's own) has it, without the whitespace the parse ends
    it with (or the sentences the cascade blanked after it)."""
    start, end = sent.start_char, sent.end_char
    parsed = sent.doc.text
    while end > start and parsed[end - 1].isspace():
        end -= 1
    return Evidence(text[start:end], start, end)


def _date_marker(text: str) -> str | None:
    match = DATE_PREFIX.match(text)
    return match.group(1) if match else None


def _merge_sentence_moves(claims: list[Claim]) -> list[Claim]:
    """Within one sentence, "left A" and "joined B" by the same person are one move from A to B."""
    out: list[Claim] = []
    for claim in claims:
        partner = next(
            (
                o
                for o in out
                if o.kind == "move" == claim.kind
                and o.evidence.start == claim.evidence.start
                and name_key(o.person) == name_key(claim.person)
                and o.status == claim.status
                and not (o.rule or "").startswith("unsaid:") and not (claim.rule or "").startswith("unsaid:")
                and (
                    (o.to_org is None and claim.from_org is None and o.from_org != claim.to_org)
                    or (o.from_org is None and claim.to_org is None and o.to_org != claim.from_org)
                )
            ),
            None,
        )
        if partner is None:
            if any(_covers(o, claim) for o in out):
                continue
            out = [o for o in out if not _covers(claim, o)]
            out.append(claim)
            continue
        partner.from_org = partner.from_org or claim.from_org
        partner.from_unit = partner.from_unit or claim.from_unit
        partner.to_org = partner.to_org or claim.to_org
        partner.to_unit = partner.to_unit or claim.to_unit
        partner.role = partner.role or claim.role
        if claim.date_stated and not partner.date_stated:
            partner.date, partner.date_stated = claim.date, True
        partner.confidence = max(partner.confidence, claim.confidence)
    return out


def _covers(a: Claim, b: Claim) -> bool:
    """a says all that b says, from the same sentence."""
    return (
        a.kind == b.kind
        and a.evidence.start == b.evidence.start
        and name_key(a.person) == name_key(b.person)
        and (b.from_org is None or a.from_org == b.from_org)
        and (b.to_org is None or a.to_org == b.to_org)
        and (a.from_org, a.to_org) != (b.from_org, b.to_org)
    )
