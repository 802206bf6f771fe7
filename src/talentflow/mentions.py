"""Who and what a parsed document talks about: person and organization mentions, and the
references ("he", "Pang", "the company") that point back to them.

The small spaCy model misses many names ("Ruoming Pang" is not tagged at all, "Pang" is tagged ORG)
and mislabels organizations, so mentions combine the model's entities with the gazetteer and with
capitalisation, and surnames are tied to the full name given earlier in the same document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from talentflow.models import NAME_SUFFIXES, name_key
from talentflow.nlp import MEDIA, PRODUCT
from talentflow.orgs import CompanyUnit, Gazetteer, descriptive_suffixes, tidy_org_name

# Labels that can never be part of a person's name.
NOT_PERSON_LABELS = {"ORG", PRODUCT, MEDIA, "DATE", "TIME", "GPE", "NORP", "LOC", "MONEY", "CARDINAL",
                     "ORDINAL", "PERCENT", "QUANTITY", "EVENT", "FAC", "LAW", "LANGUAGE"}
PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
# Capitalised words that start sentences or titles, not names.
NOT_NAME_WORDS = {
    "the", "a", "an", "in", "on", "at", "since", "last", "former", "new", "other", "and", "but", "after",
    "before", "as", "when", "while", "with", "for", "from", "by", "of", "to", "his", "her", "their",
    "its", "this", "that", "these", "those", "mr", "ms", "mrs", "dr", "sir", "dame", "professor",
    "prof", "president", "senator", "meanwhile", "earlier", "later", "today", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december", "ai", "both",
    "among", "according", "photo", "image", "read", "more", "related", "share", "subscribe", "sign",
    "advertisement", "click", "here", "also", "why", "how", "what", "who", "where", "news", "tech",
    "business", "breaking", "exclusive", "update", "updated", "opinion", "analysis", "inc", "corp",
    "labs", "lab", "group", "team", "research", "capital", "ventures", "partners", "university",
    "another", "every", "each", "some", "many", "several", "few", "most", "all", "any", "no", "one", "two",
    "three", "four", "five", "six", "seven", "eight", "nine", "ten", "notable", "fellow", "co", "founder",
    # a capitalised word before a surname at the start of a sentence: "Outgoing Roe will ..."
    "outgoing", "incoming", "departing", "retiring", "interim", "acting", "current", "longtime",
}
# Words after which "on X" names where something was published, not an employer.
POSTING_WORDS = {"post", "write", "say", "announce", "share", "tweet", "message", "thread", "statement", "comment",
                 "video", "podcast", "blog", "update", "note", "profile", "page", "account"}
TITLES = ("Dr.", "Dr", "Mr.", "Mr", "Ms.", "Ms", "Mrs.", "Prof.", "Sir", "Dame")
# Lowercase words inside a name: "Ursula von der Leyen", "Frans van Houten".
NAME_PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "bin", "al", "ter", "dos", "das",
                  "del", "della", "ibn"}
# Verbs in -ing that open a sentence before a name: "Joining Suleyman is ...", "Replacing Roe ...".
GERUNDS_BEFORE_NAMES = {
    "joining", "leaving", "replacing", "succeeding", "following", "including", "featuring", "according",
    "regarding", "hiring", "welcoming", "founding", "launching", "starting", "running", "leading", "heading",
    "becoming", "departing", "quitting", "exiting", "returning", "moving", "rejoining", "recruiting", "poaching",
    "naming", "appointing", "adding", "bringing", "backing", "advising", "meeting", "praising",
}
# Words that put a name in a byline or a credit line, not in the story: "By Jane Roe", "Photo: Jane Roe".
CREDIT_WORDS = {"photo", "photograph", "photographer", "photos", "credit", "image", "illustration", "video",
                "graphic", "reporting", "editing", "written", "writer", "author"}


@dataclass
class Mention:
    start: int  # token index, inclusive
    end: int  # token index, exclusive
    kind: str  # "person" | "org"
    name: str  # full name, or canonical organization name
    company: CompanyUnit | None = None
    known: bool = False  # organization found in the gazetteer
    # An unknown "organization" that reads like a person's name ("Nadia Petrov" tagged ORG): a
    # person where a person is expected, an organization where an organization is.
    person_like: bool = False


@dataclass
class Mentions:
    """Mentions of one document, indexed by token."""

    doc: Doc
    by_token: dict[int, Mention] = field(default_factory=dict)
    people: list[Mention] = field(default_factory=list)
    orgs: list[Mention] = field(default_factory=list)

    def at(self, token: Token) -> Mention | None:
        return self.by_token.get(token.i)

    def person_at(self, token: Token) -> Mention | None:
        m = self.by_token.get(token.i)
        if m and m.kind == "org" and m.person_like:
            return Mention(m.start, m.end, "person", m.name)
        return m if m and m.kind == "person" else None

    def org_at(self, token: Token) -> Mention | None:
        m = self.by_token.get(token.i)
        return m if m and m.kind == "org" else None

    def last_person_before(self, i: int) -> Mention | None:
        best = None
        for m in self.people:
            if m.start < i:
                best = m
        return best

    def last_org_before(self, i: int) -> Mention | None:
        """The organization named last before token i: what "the company" refers to. A platform
        something was posted on ("said in a post on X") is not a candidate."""
        best = None
        for m in self.orgs:
            if m.end <= i and not m.person_like and not _posted_on(self.doc[m.end - 1]) and not self.is_dateline(m):
                best = m
        return best

    def is_dateline(self, m: Mention) -> bool:
        """ "(Reuters) - Acme said ...": the agency that sent the story, not one it is about."""
        doc = self.doc
        return m.start > 0 and m.end < len(doc) and doc[m.start - 1].text == "(" and doc[m.end].text == ")"

    def topic_org_before(self, i: int) -> Mention | None:
        """The organization the document has named most often so far: what "the company" or an
        unattributed list of hires most likely belongs to. One the gazetteer does not know counts
        once it is named twice (named once, it is as often a misread name as a startup)."""
        counts: dict[str, int] = {}
        last: dict[str, Mention] = {}
        known: set[str] = set()
        for m in self.orgs:
            if m.end <= i and not m.person_like and not self.is_dateline(m):
                key = m.company.org if m.company else m.name
                counts[key] = counts.get(key, 0) + 1
                last[key] = m
                if m.known:
                    known.add(key)
        eligible = [k for k in counts if k in known or counts[k] >= 2]
        if not eligible:
            return None
        return last[max(eligible, key=lambda k: counts[k])]

    def _add(self, m: Mention) -> None:
        if any(i in self.by_token for i in range(m.start, m.end)):
            return
        for i in range(m.start, m.end):
            self.by_token[i] = m
        (self.people if m.kind == "person" else self.orgs).append(m)


def _posted_on(t: Token) -> bool:
    return t.dep_ == "pobj" and t.head.lower_ == "on" and t.head.head.lemma_.lower() in POSTING_WORDS


def _is_name_token(t: Token) -> bool:
    text = t.text
    if text in TITLES:
        return False
    if len(text) == 2 and text[0].isupper() and text[1] == ".":  # an initial: "J."
        return True
    core = text.replace("-", "").replace("'", "").replace("’", "")
    return bool(core) and core.isalpha() and text[0].isupper() and not text.isupper()


def _clean_person_span(span: Span, role_words: frozenset[str]) -> tuple[int, int]:
    """The name inside a PERSON entity: without titles, roles ("Chair Jeff Roe"), a verb glued to
    its front, a possessive, or a credit after a slash ("Jane Roe/PA")."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].text in TITLES or doc[start].lower_ in NOT_NAME_WORDS
                           or doc[start].lower_ in role_words or _is_gerund(doc[start]) or doc[start].is_punct):
        start += 1  # also a dateline's dash: "May 3 -- Jane Roe"
    if any("/" in t.text for t in doc[start : min(end + 1, len(doc))]):
        return start, start  # "(Jane Roe/PA)": a photo credit, not a person in the story
    while end > start and doc[end - 1].text in ("'s", "’s", "'", "’", ",", "."):
        end -= 1
    return start, end


def _is_gerund(t: Token) -> bool:
    """ "Joining Suleyman at Microsoft ...": a verb in -ing glued to the front of a name (not a
    name that ends in -ing, such as "Ruoming")."""
    return t.lower_ in GERUNDS_BEFORE_NAMES


def _is_credit(doc: Doc, start: int) -> bool:
    """A byline or photo credit: "By Jane Roe" opening a line, "Photo: Jane Roe/Reuters"."""
    before = [t for t in doc[max(0, start - 4) : start] if not t.is_space]
    if before and before[-1].lower_ == "by" and (before[-1].is_sent_start or before[-1].i == 0):
        return True
    return any(t.lower_ in CREDIT_WORDS for t in before) and any(t.text in (":", "by", "By", "/") for t in before)


def _person_name(doc: Doc, start: int, end: int) -> str:
    """The name as written, its inner spacing normalised: "Fei-Fei Li", not "Fei - Fei Li"."""
    return " ".join(doc[start:end].text.split())


def is_field_name(name: str) -> bool:
    """"AI", "A.I.": the field, not an organization, whatever the model tagged it."""
    return name.lower().replace(".", "") == "ai"


def _brand_name(t: Token, org_words: frozenset[str]) -> bool:
    """One word written as a brand, its last part an institution word: "QuillworkAI", "HalvikBio" (the
    model tags such a word as a person or leaves it untagged; no person's name is written so)."""
    text = t.text
    if not text[:1].isupper() or text[1:].islower() or not text.isalpha():
        return False
    for word in org_words:
        for suffix in (word.upper(), word.capitalize()):
            prefix = text[: -len(suffix)]
            if text.endswith(suffix) and len(prefix) >= 2 and prefix[0].isupper() and prefix[-1].islower():
                return True
    return False


def _reads_like_a_name(span: Span, org_words: frozenset[str]) -> bool:
    tokens = [t for t in span if t.text not in ("'s", "’s")]
    return 2 <= len(tokens) <= 3 and all(_is_name_token(t) and t.lower_ not in org_words for t in tokens)


def _surname_in_disguise(ent: Span, gazetteer: Gazetteer, role_words: frozenset[str]) -> bool:
    """A surname the model took for a place or an organization, told by its context: one unknown
    word right after a capitalised first name, described by a role in apposition ("Ilya Sutskever,
    OpenAI's former chief scientist, ...", where "Sutskever" was tagged GPE)."""
    doc = ent.doc
    if len(ent) != 1 or ent.start == 0 or gazetteer.lookup(ent.text) is not None:
        return False
    first, head = doc[ent.start - 1], ent[0]
    if first.ent_type_ or not _is_name_token(first) or not _is_name_token(head) or first.head != head:
        return False
    return any(c.dep_ == "appos" and c.lemma_.lower() in role_words for c in head.children)


def _place_before(doc: Doc, start: int) -> int:
    """Where an organization named with its place and the place's state in brackets begins:
    "Denver (Colo.) University Health System", which the model tags as a place, a state and an
    organization (the brackets are left out of the name: ``tidy_org_name``)."""
    if start >= 4 and doc[start - 1].text == ")" and doc[start - 3].text == "(" \
            and doc[start - 2].text.rstrip(".").isalpha() and len(doc[start - 2].text) <= 6 \
            and doc[start - 4].text[:1].isupper() and doc[start - 4].ent_type_ in ("GPE", "LOC", "ORG", ""):
        first = start - 4
        while first > 0 and doc[first - 1].ent_iob_ == "I" and doc[first - 1].ent_type_ == doc[start - 4].ent_type_:
            first -= 1  # "San Antonio (Texas) ...": the whole place
        return first
    return start


def _place_of_after(doc: Doc, end: int, org_words: frozenset[str]) -> int:
    """Where an organization named "... of <place>" ends when the model stopped before the place:
    "the University System" + "of Georgia". Only after a word that names an institution (``org_name_words``)."""
    if end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end - 1].lower_ in org_words \
            and doc[end + 1].ent_type_ == "GPE" and doc[end + 1].ent_iob_ == "B":
        last = end + 2
        while last < len(doc) and doc[last].ent_iob_ == "I" and doc[last].ent_type_ == "GPE":
            last += 1
        return last
    return end


def find_mentions(doc: Doc, gazetteer: Gazetteer, role_words: frozenset[str],
                  org_words: frozenset[str] = frozenset()) -> Mentions:
    mentions = Mentions(doc)
    org_ents: list[Span] = []
    full_names: list[tuple[int, int]] = []
    blocked: set[int] = set()
    for ent in doc.ents:
        if ent.label_ in NOT_PERSON_LABELS and not _surname_in_disguise(ent, gazetteer, role_words):
            blocked.update(range(ent.start, ent.end))
        if ent.label_ == "ORG":
            # The model sometimes runs an entity into the verb: "Nadia Petrov co-founded".
            cut = next((t.i for t in ent if t.pos_ in ("VERB", "AUX") and t.i > ent.start), ent.end)
            while cut > ent.start + 1 and doc[cut - 1].is_lower and gazetteer.lookup(doc[ent.start:cut].text) is None:
                cut -= 1  # a name ends in a capitalised word: "United marks (the first step)", "Labor party"
            start = ent.start
            while start < cut - 1 and doc[start].lower_ in ("ex", "ex-", "-"):
                start += 1  # "Ex-Acme CRO": a former employer, without the "ex-"
            named_from = start
            while start < cut and doc[start].lower_ in role_words:
                start += 1
            if start > named_from and _reads_like_a_name(doc[start:cut], org_words):
                # "CTO Barret Zoph" tagged ORG: a role and a person's name.
                blocked.difference_update(range(start, cut))
                full_names.append((start, cut))
                continue
            while cut > start + 1 and doc[cut - 1].lower_ in role_words:
                cut -= 1  # "Lifespan President": the organization without the role after it
            possessive = next((t.i for t in doc[start + 1 : cut - 1] if t.text in ("’s", "'s")), None)
            if possessive is not None and all(t.is_upper and len(t) <= 3 for t in doc[possessive + 1 : cut]):
                cut = possessive  # "HP’s AI (team)": the company, not its field
            org_ents.append(doc[_place_before(doc, start):_place_of_after(doc, cut, org_words)])
        elif ent.label_ == "PERSON" and (any(t.lower_ in org_words for t in ent)
                                         or (len(ent) == 1 and _brand_name(ent[0], org_words))):
            org_ents.append(ent)  # "Sinovation Ventures", "QuillworkAI" tagged PERSON
            blocked.update(range(ent.start, ent.end))
        elif ent.label_ == "PERSON":
            start, end = _clean_person_span(ent, role_words)
            if start == end or any(c.isdigit() for c in doc[start:end].text):
                # A credit line (no name in it is in the story), or a product the model took for a
                # person ("Quill 3.5 Small Model"): no person's name has a digit.
                blocked.update(range(ent.start, ent.end))
            elif end - start >= 2 and gazetteer.lookup(ent.text) is None:
                full_names.append((start, end))

    # (A list of the tokens: indexing a Doc makes a new Token object each time, and the loops below are
    # the hot spot of extraction.)
    tokens = list(doc)
    # "HalvikBio" untagged or taken for a place: no place is written so either
    brands = [t.i for t in tokens if t.ent_type_ in ("", "GPE", "LOC", "NORP") and _brand_name(t, org_words)]
    org_ents += [doc[i : i + 1] for i in brands]
    blocked.update(brands)
    # Runs of capitalised words the model did not tag: "Ruoming Pang".
    name_like = [_is_name_token(t) for t in tokens]
    i = 0
    while i < len(tokens):
        if i in blocked or not name_like[i] or tokens[i].lower_ in NOT_NAME_WORDS or _is_gerund(tokens[i]):
            i += 1
            continue
        j = i
        while j < len(tokens) and j not in blocked and j - i < 5:
            t = tokens[j]
            if t.lower_ in NAME_PARTICLES and t.is_lower and j > i and j + 1 < len(tokens) and name_like[j + 1]:
                j += 1
                continue
            if t.text == "-" and j > i and not tokens[j - 1].whitespace_ and not t.whitespace_ \
                    and j + 1 < len(tokens) and name_like[j + 1]:
                j += 1  # a hyphenated given name the model left untagged: "Mei-Ling Zhou"
                continue
            if j >= i + 2 and t.text in NAME_SUFFIXES:
                j += 1
                break
            if not name_like[j] or t.lower_ in role_words or t.lower_ in NOT_NAME_WORDS or t.lower_ in org_words:
                break
            j += 1
        # between two title words it is a title: "Chief Human Resources Officer"
        in_title = i > 0 and tokens[i - 1].lower_ in role_words and j < len(tokens) and tokens[j].lower_ in role_words
        if j - i >= 2 and not in_title and any(t.pos_ == "PROPN" for t in tokens[i:j]) and not any(
            s <= i < e or s < j <= e for s, e in full_names
        ):
            full_names.append((i, j))
        i = max(j, i + 1)

    # A name with another given name in brackets: "Ernie (Erminia) Johannson", whatever it was tagged.
    bracketed: dict[tuple[int, int], str] = {}
    for i in range(len(tokens) - 4):
        if tokens[i + 1].text != "(" or tokens[i + 3].text != ")":
            continue
        first, last = tokens[i], tokens[i + 4]
        if name_like[i] and name_like[i + 2] and name_like[i + 4] \
                and first.lower_ not in NOT_NAME_WORDS and gazetteer.lookup(last.text) is None:
            full_names = [(s, e) for s, e in full_names if e <= i or s >= i + 5]
            full_names.append((i, i + 5))
            bracketed[(i, i + 5)] = f"{first.text} {last.text}"

    full_names = [(s, e) for s, e in full_names if not _is_credit(doc, s)]
    surname_to_full: dict[str, str] = {}
    first_to_full: dict[str, set[str]] = {}
    names = {span: bracketed.get(span) or _person_name(doc, *span) for span in full_names}
    for start, end in sorted(full_names):
        name = names[(start, end)]
        if name.split()[0].lower() in NAME_PARTICLES:
            # "De Luca" after "Marco De Luca": a surname with its particle, not a new person
            name = next((n for n in names.values() if n.endswith(" " + name)), name)
        mentions._add(Mention(start, end, "person", name))
        parts = name.split()
        if len(parts) > 2 and parts[-1] in NAME_SUFFIXES:
            parts = parts[:-1]  # "Lassiter" stands for "Wright Lassiter III"
        surname_to_full.setdefault(name_key(parts[-1]), name)
        first_to_full.setdefault(name_key(parts[0]), set()).add(name)

    for ent in org_ents:
        first_key = name_key(ent.text)
        if ent.end - ent.start == 1 and gazetteer.lookup(ent.text) is None and (
            first_key in surname_to_full
        ):
            continue  # "Pang" tagged ORG is the surname of a person named before
        company = gazetteer.company_and_unit(ent.text)
        if not company.org or is_field_name(company.org):
            continue
        known = gazetteer.lookup(ent.text) is not None
        if not known and all(w.lower() in role_words for w in ent.text.split()):
            continue  # "CFO" tagged ORG is a role
        canonical = gazetteer.canonical(ent.text) if known else tidy_org_name(ent.text)
        person_like = not known and _reads_like_a_name(ent, org_words)
        mentions._add(Mention(ent.start, ent.end, "org", canonical, company, known, person_like))
    _untagged_repeats(mentions, tokens, set(surname_to_full) | set(first_to_full))

    # Surnames and unique first names of people named in full earlier or later in the document.
    for t in doc:
        if t.i in mentions.by_token or not t.text[:1].isupper():
            continue
        key = name_key(t.text.removesuffix("’s").removesuffix("'s"))
        full = surname_to_full.get(key)
        if full is None and len(first_to_full.get(key, ())) == 1:
            full = next(iter(first_to_full[key]))
        is_name = t.ent_type_ in ("PERSON", "ORG", "") or t.pos_ == "PROPN"
        if full and is_name and gazetteer.lookup(t.text) is None:
            mentions._add(Mention(t.i, t.i + 1, "person", full))
    mentions.people.sort(key=lambda m: m.start)
    mentions.orgs.sort(key=lambda m: m.start)
    _short_org_names(mentions)
    return mentions


def _untagged_repeats(mentions: Mentions, tokens: list[Token], person_keys: set[str]) -> None:
    """An organization the model tagged in one sentence is the same organization where the same
    words come again untagged ("Halvik Robotics said ..." after "Halvik Robotics, the startup ...").
    A single word that is also a person's name in the document is left to the person."""
    starts: dict[str, list[int]] = {}  # where each capitalised word is, so a long text is read once
    for t in tokens:
        if t.text[:1].isupper():
            starts.setdefault(t.text, []).append(t.i)
    tagged = {tuple(t.text for t in tokens[m.start:m.end]): m for m in mentions.orgs if not m.person_like}
    for words, org in sorted(tagged.items(), key=lambda kv: -len(kv[0])):  # the longest names first
        if len(words) == 1 and name_key(words[0]) in person_keys:
            continue
        n = len(words)
        for i in starts.get(words[0], ()):
            if tuple(t.text for t in tokens[i : i + n]) == words and tokens[i].ent_type_ not in ("PERSON", "DATE") \
                    and not any(j in mentions.by_token for j in range(i, i + n)):
                mentions._add(Mention(i, i + n, "org", org.name, org.company, org.known))


def _short_org_names(mentions: Mentions) -> None:
    """A company named in full with a descriptive suffix ("Nissan Motor") is the short name the
    article also uses ("Nissan"): the company as a reader names it. An unknown organization named
    in short ("Arizona State", "the Times") is the one named in full elsewhere in the document
    ("Arizona State University", "the Los Angeles Times", "HalvikBio") when the short name begins or
    ends the full one and only one full name fits."""
    named = {m.name for m in mentions.orgs if not m.person_like}
    for m in mentions.orgs:  # "Nissan Motor" is Nissan where the article also says "Nissan"
        words = m.name.split()
        for cut in range(len(words) - 1, 0, -1):
            if m.known or not all(w.lower() in descriptive_suffixes() for w in words[cut:]):
                break
            if " ".join(words[:cut]) in named:
                _rename(m, " ".join(words[:cut]))
                break
    full = {m.name for m in mentions.orgs if not m.person_like}
    for m in mentions.orgs:
        if m.known:
            continue
        words = m.name.split()
        longer = {f for f in full if len(f.split()) > len(words)
                  and (f.split()[: len(words)] == words or f.split()[-len(words):] == words)}
        # a brand in short: "Halvik" for "HalvikBio"
        longer |= {f for f in full if len(words) == 1 and " " not in f and f.startswith(m.name)
                   and f[len(m.name):][:1].isupper()}
        if len(longer) == 1:
            _rename(m, longer.pop())
            m.person_like = False


def _rename(m: Mention, name: str) -> None:
    """An organization mention named as the article names the company elsewhere (a unit it names is kept)."""
    m.name = name
    m.company = CompanyUnit(name, None) if m.company is None or m.company.unit is None else m.company
