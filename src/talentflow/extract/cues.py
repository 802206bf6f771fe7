"""Move cues: the words and phrases that can announce a move, found in one pass over a document.

A sentence with a cue is read for candidates; one without cannot carry a move. The vocabulary is
data (``data/triggers.json``): ``cue_classes`` names the word lists that are cues of each class
(leave, join, hire, found, succession, history), matched on the lowercase lemma, and
``cue_phrases`` holds multi-word cues ("cut ties with", "took the reins"), matched on the
lowercase text. Adding a cue is adding a line there.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from talentflow.orgs import Vocabulary

# Parts of speech a one-word cue can have: "leave" the verb, "departure" the noun, not "left" the side.
CUE_POS = {"VERB", "AUX", "NOUN", "PROPN", "ADJ", "ADV", "ADP", "SCONJ"}


@dataclass(frozen=True)
class Cue:
    token: Token  # the word the cue hangs on: the verb or noun of a phrase
    cls: str  # leave | join | hire | found | succession | history
    text: str  # the lemma or the phrase, as in the vocabulary

    @property
    def feature(self) -> str:
        return f"{self.cls}:{self.text}"


class CueFinder:
    """Finds the cues of a parsed (or only tokenised and lemmatised) document."""

    def __init__(self, nlp: Language, vocabulary: Vocabulary) -> None:
        self.lemma_classes: dict[str, list[str]] = {}
        for cls, lists in vocabulary.table("cue_classes").items():
            for name in lists:
                for lemma in vocabulary.words(name):
                    classes = self.lemma_classes.setdefault(lemma, [])
                    if cls not in classes:
                        classes.append(cls)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.phrase_class: dict[str, str] = {}
        for cls, phrases in vocabulary.table("cue_phrases").items():
            self.matcher.add(cls, [nlp.make_doc(p) for p in phrases])
            for p in phrases:
                self.phrase_class[p] = cls

    def find(self, doc: Doc) -> list[Cue]:
        cues: list[Cue] = []
        for t in doc:
            lemma = t.lemma_.lower()
            lower = t.lower_
            if is_founding_word(lower) or (lower == "found" and _to_found(t)):
                cues.append(Cue(t, "found", "found"))  # founder, co-founded, cofounders, "to found"
                continue
            if t.pos_ not in CUE_POS:
                continue
            for cls in self.lemma_classes.get(lemma, ()):
                cues.append(Cue(t, cls, lemma))
        for match_id, start, end in self.matcher(doc):
            span = doc[start:end]
            head = next((w for w in span if w.pos_ in ("VERB", "NOUN")), span[0])
            cues.append(Cue(head, doc.vocab.strings[match_id], span.text.lower()))
        return cues


def cues_in(cues: list[Cue], sent: Span) -> list[Cue]:
    return [c for c in cues if sent.start <= c.token.i < sent.end]


def is_founding_word(lower: str) -> bool:
    """founder, co-founders, founded, cofounding, founds; not "found" (of find) nor "foundation"."""
    return "founde" in lower or "founding" in lower or lower in ("founds", "co-found", "cofound")


def _to_found(t: Token) -> bool:
    """ "to found X": the model lemmatises this "found" as "find"."""
    return any(c.lower_ == "to" and c.dep_ == "aux" for c in t.children) or (
        t.i > 0 and t.doc[t.i - 1].lower_ == "to")
