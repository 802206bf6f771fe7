"""Features of a candidate: what the scorer weighs to decide left / joined / founded / none.

Each feature function is registered by name in ``FEATURES``, reads one candidate and yields
strings ("cue=leave", "org_prep=from"); the scorer has a weight for each string it saw in training.
The weights file names the functions it was fitted with, so a model and its features stay together.
Features are deliberately general (words on the parse path, prepositions, tense, the kind of
organization), never a sentence of the corpora.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from talentflow.extract.candidates import Candidate, tree_distance
from talentflow.extract.rules import list_head
from talentflow.orgs import Vocabulary
from talentflow.registry import registrar


@dataclass(frozen=True)
class Lexicon:
    """The word lists features read, from ``data/triggers.json``."""

    markers: dict[str, frozenset[str]]  # planned / reported / attempt / denial phrases
    source_verbs: frozenset[str]
    not_a_move_objects: frozenset[str]
    former_words: frozenset[str]
    role_words: frozenset[str]
    company_words: frozenset[str]
    modal_auxiliaries: frozenset[str]  # "will join", "could leave"

    @classmethod
    def load(cls, vocabulary: Vocabulary) -> Lexicon:
        markers = {name: vocabulary.words(f"{name}_markers") for name in ("planned", "reported", "attempt", "denial")}
        return cls(markers, vocabulary.words("source_verbs"), vocabulary.words("not_a_move_objects"),
                   vocabulary.words("former_words"), vocabulary.words("role_words"),
                   vocabulary.words("company_words"), vocabulary.words("modal_auxiliaries"))


Feature = Callable[[Candidate, Lexicon], Iterable[str]]
FEATURES: dict[str, Feature] = {}
feature = registrar(FEATURES)


# Organizations guessed from the context rather than read in the sentence.
CONTEXT_SOURCES = {"previous", "topic", "first"}


def featurize(cand: Candidate, lexicon: Lexicon, names: Iterable[str] | None = None) -> list[str]:
    """The candidate's features. A pair whose organization comes from the context gets its own
    copy of each ("ctx|..."): that the sentence is about leaving says little about an organization
    it does not name, and the scorer should weigh such pairs apart."""
    out: list[str] = []
    for name in names or FEATURES:
        out += FEATURES[name](cand, lexicon)
    if cand.org.source in CONTEXT_SOURCES:
        out = [f"ctx|{f}" for f in out]
    return sorted(set(out))


def _bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 3, 5, 8, 12)) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def _path(a: Token, b: Token) -> list[str]:
    """Dependency labels from a up to the common head and down to b."""
    up_a = [a, *a.ancestors]
    depth_b = {t.i: k for k, t in enumerate([b, *b.ancestors])}
    for k, t in enumerate(up_a):
        if t.i in depth_b:
            down = [b, *b.ancestors][: depth_b[t.i]]
            return [f"{x.dep_}^" for x in up_a[:k]] + [f"v{x.dep_}" for x in reversed(down)]
    return ["far"]


@feature("cue")
def cue_words(c: Candidate, lex: Lexicon) -> Iterable[str]:
    """Which cue ties the pair, and its form."""
    t = c.cue.token
    yield f"cue={c.cue.cls}"
    yield f"cue_word={c.cue.feature}"
    yield f"cue_pos={t.pos_}"
    yield f"cue={c.cue.cls}&tag={t.tag_}"
    if any(w.lower_ == "to" and w.dep_ == "aux" for w in t.children):
        yield f"cue={c.cue.cls}&to_infinitive"
    if any(w.dep_ == "auxpass" for w in t.children):
        yield f"cue={c.cue.cls}&passive"


@feature("person_path")
def person_path(c: Candidate, lex: Lexicon) -> Iterable[str]:
    """How the person hangs on the cue: subject, object, apposition ..."""
    path = _path(c.person_token, c.cue.token)
    yield f"p_dep={c.person_token.dep_}"
    yield f"p_len={_bucket(len(path))}"
    if len(path) <= 3:
        yield f"cue={c.cue.cls}&p_path={'/'.join(path)}"
    if c.person_token.i == c.cue.token.i:
        yield "p_is_cue"


@feature("org_path")
def org_path(c: Candidate, lex: Lexicon) -> Iterable[str]:
    """How the organization hangs on the cue, and the preposition before it."""
    o = c.org.token
    if o is None:
        yield f"org_src={c.org.source}"
        yield f"cue={c.cue.cls}&org_src={c.org.source}"
        return
    yield "org_src=sentence"
    path = _path(o, c.cue.token)
    yield f"o_len={_bucket(len(path))}"
    if len(path) <= 3:
        yield f"cue={c.cue.cls}&o_path={'/'.join(path)}"
    prep = o.head.lower_ if o.dep_ == "pobj" else o.dep_
    yield f"o_prep={prep}"
    yield f"cue={c.cue.cls}&o_prep={prep}"
    if o.dep_ == "pobj" and o.head.head.i == c.cue.token.i:
        yield f"cue={c.cue.cls}&o_prep_on_cue={prep}"
    if o.dep_ == "pobj" and o.head.head.i == c.person_token.i:
        yield f"o_prep_on_person={prep}"


@feature("pair")
def pair_shape(c: Candidate, lex: Lexicon) -> Iterable[str]:
    """Where person and organization stand to each other: "OpenAI researcher X", "X, formerly of Y"."""
    o = c.org.token
    if o is None:
        return
    p = list_head(c.person_token)
    if p.i != c.person_token.i:
        yield "list_item"
    doc = p.doc
    gap = abs(p.i - o.i)
    yield f"order={'po' if p.i < o.i else 'op'}"
    yield f"gap={_bucket(gap)}"
    yield f"tree={_bucket(tree_distance(p, o))}"
    lo, hi = sorted((p.i, o.i))
    between = doc[lo + 1 : hi]
    if gap <= 8:
        for w in between:
            if not (w.is_punct or w.pos_ in ("PROPN", "NUM", "DET")):
                yield f"between={w.lemma_.lower()}"
        if any(w.lower_ in lex.role_words for w in between):
            yield f"role_between&order={'po' if p.i < o.i else 'op'}"
    if o.i < p.i and gap <= 5 and not any(w.is_punct or w.pos_ == "VERB" for w in between):
        yield "org_premodifies_person"
        if any(_former_word(w, lex) for w in doc[max(0, o.i - 3) : p.i]):
            yield "former_org_premodifier"
    if any(w.lower_ in lex.former_words for w in doc[max(c.sent.start, min(p.i, o.i) - 3) : hi]):
        yield "former_near"
    if any(w.is_punct and w.text in ",;" for w in between):
        yield "comma_between"


@feature("organization")
def organization(c: Candidate, lex: Lexicon) -> Iterable[str]:
    """What kind of organization it is: a known company, a news outlet, a government, a lab."""
    yield f"org_kind={c.org.kind or 'unknown'}"
    yield f"org_known={c.org.known}"
    yield f"cue={c.cue.cls}&org_kind={c.org.kind or 'unknown'}"
    o = c.org.token
    if o is not None and any(w.lemma_.lower() in lex.source_verbs for w in [o.head, *o.head.children]
                             if w.dep_ in ("ROOT", "ccomp", "parataxis") or w is o.head):
        yield "org_is_a_source"  # "Bloomberg reported", "according to Reuters"
    if c.org.unit:
        yield "org_has_unit"


@feature("modality")
def modality(c: Candidate, lex: Lexicon) -> Iterable[str]:
    """Tense, modality and negation around the cue, and the sentence's hedges."""
    t = c.cue.token
    chain = [t, *list(t.ancestors)[:3]]
    for w in chain:
        for child in w.children:
            if child.dep_ == "neg":
                yield "negated"
            if child.dep_ == "aux" and child.lower_ in lex.modal_auxiliaries:
                yield f"modal={child.lower_}"
    yield f"status={c.status}"
    text = " " + c.sent.text.lower() + " "
    for name, markers in lex.markers.items():
        if any(m in text for m in markers):
            yield f"marker={name}"
    if any(phrase in text for phrase in lex.not_a_move_objects):
        yield "not_a_move_object"


@feature("sentence")
def sentence_shape(c: Candidate, lex: Lexicon) -> Iterable[str]:
    """How crowded the sentence is, and whether it looks like a sentence at all."""
    sent = c.sent
    words = sum(1 for w in sent if w.is_alpha)
    yield f"words={_bucket(words, (5, 10, 20, 35, 60))}"
    yield f"verbless={not any(w.pos_ in ('VERB', 'AUX') for w in sent)}"
    if sent.start == 0:
        yield "first_sentence"
    if c.noise:
        yield f"noise={c.noise}"
    if sent.text.rstrip().endswith("?"):
        yield "question"
    if '"' in sent.text or "“" in sent.text:
        yield "quoted"


@feature("exodus")
def exodus(c: Candidate, lex: Lexicon) -> Iterable[str]:
    """How many others the rules read leaving, joining or founding this organization in the article."""
    for kind, n in c.org_others.items():
        yield f"org_others_{kind}={_bucket(n, (0, 1, 3))}"


@feature("elsewhere")
def elsewhere(c: Candidate, lex: Lexicon) -> Iterable[str]:
    """Whether the rules read this person leaving, joining or founding another organization in the
    article: a role held here is then often one they left."""
    for kind, n in c.person_elsewhere.items():
        if n:
            yield f"person_elsewhere_{kind}"


@feature("rules")
def rules(c: Candidate, lex: Lexicon) -> Iterable[str]:
    """Whether the hand-written rules read this pair as a move here, and which way."""
    if not c.rule_types:
        yield "rule=none"
    for kind, rule in c.rule_types.items():
        yield f"rule={kind}"
        yield f"rule={kind}&{rule.split(':')[0]}"
        yield f"rule={kind}&{rule}"  # the rule itself: some are surer than others of their family


def _near(a: int, b: int, span: int) -> bool:
    return abs(a - b) <= span


def _former_word(w: Token, lex: Lexicon) -> bool:
    """ "former", "previously", "ex-Acme": what a person was."""
    return w.lower_ in lex.former_words or w.lower_.startswith("ex-")


def _founder_word(w: Token) -> bool:
    """A founder's title or its verb: founder, co-founders, founding, founded (not the verbs "founds",
    "co-found" that `cues.is_founding_word` also takes: they are no title)."""
    return "founde" in w.lower_ or "founding" in w.lower_


def _title_word(w: Token, lex: Lexicon) -> bool:
    """A word of a title: a founder's or a role's ("co-founder", "CEO", "researcher")."""
    return _founder_word(w) or w.lower_ in lex.role_words


@feature("links")
def links(c: Candidate, lex: Lexicon) -> Iterable[str]:
    """Short noun-phrase links between the organization and the person through one word: a founder
    noun ("Acme co-founder X", "X, a co-founder of Acme"), a role ("Acme researcher X", "X, CEO of
    Acme"), each with "former" or not. They say what tied the person to the organization before the
    sentence's event."""
    o = c.org.token
    if o is None:
        return
    p = list_head(c.person_token)
    doc = p.doc
    lo, hi = sorted((p.i, o.i))
    window = doc[max(c.sent.start, lo - 1) : min(c.sent.end, hi + 2)]
    if hi - lo > 12:
        return
    clauses = sum(1 for w in doc[lo:hi] if w.pos_ in ("VERB", "AUX"))
    if clauses:
        return
    former = any(_former_word(w, lex) for w in doc[max(c.sent.start, lo - 3) : hi])
    tag = "former_" if former else ""
    if any(_founder_word(w) for w in window):
        yield f"link={tag}founder"
        yield f"link={tag}founder&cue={c.cue.cls}"
    elif any(w.lower_ in lex.role_words for w in window):
        yield f"link={tag}role"
        yield f"link={tag}role&cue={c.cue.cls}&order={'op' if o.i < p.i else 'po'}"


# Words that may stand in a title written at a name: "the company's former co-founder and CEO Jane Roe".
TITLE_POS = {"NOUN", "PROPN", "ADJ", "CCONJ", "PART", "DET", "PRON"}
TITLE_PUNCT = ("-", "'s", "’s")


def _name_word(w: Token) -> bool:
    return w.ent_type_ == "PERSON" and w.pos_ == "PROPN"


def title_window(c: Candidate, lex: Lexicon) -> list[Token]:
    """The words of the titles written at the person: before the name ("Acme co-founder Jane Roe") and
    in an apposition after it ("Jane Roe, a co-founder of Acme,"). A later name of a list shares a
    plural title written at the first: "co-founders Jane Roe and Tom Fisk"."""
    window = _title_words(c.sent, c.person_words.start, c.person_words.end - 1, lex)
    head = list_head(c.person_token)
    if head.i != c.person_token.i and not any(_title_word(w, lex) for w in window):
        start = head.i
        while start > c.sent.start and _name_word(head.doc[start - 1]):
            start -= 1
        shared = _title_words(c.sent, start, head.i, lex)
        if any(w.tag_ == "NNS" and (_founder_word(w) or w.lemma_.lower() in lex.role_words) for w in shared):
            return shared
    return window


def _title_words(sent: Span, lo: int, hi: int, lex: Lexicon) -> list[Token]:
    """The title words before a name at ``lo``..``hi`` and in an apposition after it."""
    doc = sent.doc
    before: list[Token] = []
    i = lo - 1
    while i >= sent.start and lo - i <= 6 and (doc[i].pos_ in TITLE_POS or doc[i].text in TITLE_PUNCT
                                                 or _title_word(doc[i], lex)) \
            and not _name_word(doc[i]):
        before.append(doc[i])
        i -= 1
    after: list[Token] = []
    if hi + 1 < sent.end and doc[hi + 1].text == ",":
        for w in doc[hi + 2 : min(sent.end, hi + 10)]:
            if _name_word(w):
                after = []  # "Jane Roe, co-founder Tom Fisk": the title is the next name's
                break
            if (w.is_punct and w.text not in TITLE_PUNCT) or w.tag_ in ("WP", "WDT", "WP$") \
                    or (w.pos_ in ("VERB", "AUX") and not _title_word(w, lex)):
                break
            after.append(w)
    return before[::-1] + after


@feature("title")
def title(c: Candidate, lex: Lexicon) -> Iterable[str]:
    """A founder's or a role's title written at the person, and whose it is: this pair's organization,
    another one named in the title, or none named ("co-founder Jane Roe" alone: the article's company,
    often)."""
    window = title_window(c, lex)
    kinds = {"founder" if _founder_word(w) else "role" for w in window if _title_word(w, lex)}
    if not kinds:
        return
    o = c.org.token
    named = [w for w in window if w.ent_type_ == "ORG" or (w.pos_ == "PROPN" and w.lower_ not in lex.role_words)]
    whose = "this" if o is not None and any(w.i == o.i or w in o.subtree for w in named) \
        else "other" if named else "its" if any(w.lower_ in ("its", "their") for w in window) else "bare"
    first = window[0]
    before = first.doc[first.i - 1] if first.i < c.person_words.start and first.i > c.sent.start else None
    if whose == "bare" and before is not None and (before.text == "," or before.ent_type_ == "PERSON"):
        whose = "bare_listed"  # "Acme CEO Jane Roe, co-founder Tom Fisk": the list may say whose
    former = any(_former_word(w, lex) for w in window)
    # "Globex bought Halvik and hired co-founders A and B": a bare title's company is often the one
    # the sentence names last before it.
    last = o is not None and whose.startswith("bare") and o.i < first.i and not any(
        w.ent_type_ == "ORG" and w not in o.subtree for w in c.sent.doc[o.i + 1 : first.i])
    for kind in sorted(kinds):
        yield f"title={kind}&{whose}"
        yield f"title={kind}&{whose}&former={former}"
        if last:
            yield f"title={kind}&{whose}&org_just_before"
