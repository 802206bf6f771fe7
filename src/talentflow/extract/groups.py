"""Unnamed groups that move: "over half of the 14 authors have quit", "Meta hired several OpenAI
researchers". They are not claims about a person, so they never enter the graph; ``extract
--groups`` prints them as ``kind: "group"`` with the organization and the words that count them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span, Token

from talentflow.extract.cues import Cue, cues_in
from talentflow.mentions import Mentions
from talentflow.models import Evidence, Status
from talentflow.orgs import Vocabulary

# The cue classes whose verbs move groups, and which way.
GROUP_TYPES = {"leave": "left", "join": "joined", "hire": "joined"}


@dataclass
class GroupClaim:
    doc: str | None
    type: str  # left | joined
    org: str
    unit: str | None
    count_text: str
    status: Status
    evidence: Evidence

    def to_contract(self) -> dict[str, Any]:
        return {"doc": self.doc, "kind": "group", "type": self.type, "org": self.org, "unit": self.unit,
                "count_text": self.count_text, "status": self.status,
                "evidence": {"text": self.evidence.text, "start": self.evidence.start, "end": self.evidence.end}}


class GroupFinder:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.nouns = vocabulary.words("group_nouns")
        self.quantifiers = vocabulary.words("group_quantifiers")

    def find(self, sent: Span, cues: list[Cue], m: Mentions) -> list[tuple[Cue, str, Span, Token]]:
        """(cue, type, the counted noun phrase, the organization's word) for each group moved here."""
        found = []
        for cue in cues_in(cues, sent):
            verb = cue.token
            kind = GROUP_TYPES.get(cue.cls)
            if kind is None or verb.pos_ != "VERB":
                continue
            passive = any(c.dep_ == "nsubjpass" for c in verb.children)
            hires = cue.cls == "hire" and not passive
            role = "dobj" if hires else "nsubjpass" if passive else "nsubj"
            groups = [c for c in verb.children if c.dep_ == role]
            if not groups and not hires:  # "Over half of the authors have left": parsed as a preposition
                groups = [g for c in verb.children if c.dep_ == "prep" and c.i < verb.i
                          for g in c.children if g.dep_ == "pobj"]
            for group in groups:
                phrase = group.doc[group.left_edge.i : group.right_edge.i + 1]
                if not self._counted_people(group, phrase, m):
                    continue
                org = self._organization(verb, phrase, m, hires)
                if org is not None:
                    found.append((cue, kind, phrase, org))
        return found

    def _counted_people(self, head: Token, phrase: Span, m: Mentions) -> bool:
        nouns = [head, *(g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                         for g in c.children if g.dep_ == "pobj")]
        if not any(n.lemma_.lower() in self.nouns for n in nouns):
            return False
        if any(m.person_at(t) for t in phrase):
            return False  # named people are claims of their own
        return any(t.like_num or t.lower_ in self.quantifiers for t in phrase)

    @staticmethod
    def _organization(verb: Token, phrase: Span, m: Mentions, hires: bool) -> Token | None:
        def is_org(w: Token) -> bool:  # a known organization, or a proper noun that is nobody's name
            return m.org_at(w) is not None or (w.pos_ == "PROPN" and m.at(w) is None
                                               and w.ent_type_ not in ("DATE", "GPE", "NORP"))

        if hires:
            words = [s for s in verb.children if s.dep_ == "nsubj"] + list(phrase)
        else:
            words = [c for c in verb.children if c.dep_ == "dobj"]
            words += [g for c in verb.children if c.dep_ == "prep" and c.lower_ in ("from", "to", "at")
                      for g in c.children if g.dep_ == "pobj"]
            words += list(phrase)  # "OpenAI researchers"
        return next((w for w in words if is_org(w)), None)
