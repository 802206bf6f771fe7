"""The cascade: a cheap first pass decides which sentences can carry a move, and only those, with
the context the extractor reads, go through the full spaCy pipeline.

The first pass is spaCy's tokenizer, a punctuation sentencizer and line breaks, and the move cues of
the vocabulary (``cues.py``) matched on word forms: every inflection of each cue lemma (irregular ones
from the model's own lemmatizer tables: "left", "took", "led") and the cue phrases. It keeps

- each sentence with a cue form;
- the ``SENTENCES_BEFORE`` sentences before it: the person or organization it refers back to
  ("He joined the company in May");
- the first ``LEADING_SENTENCES`` of the document: the headline names the article's subject.

Every other sentence is blanked: its characters become spaces (line breaks stay, and one ends the
blank). The text keeps its length, so every offset into it still indexes the text the user gave (a
claim's evidence), and the full pipeline sees one whitespace token where a sentence was. A document
with no cue form is all blank and costs only the first pass.

The first pass keeps more than the full cue finder would (it has no parts of speech: "left" the
side is kept too), never less, so the candidates of kept sentences are those of a full parse.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from talentflow.extract.cues import CueFinder, is_founding_word
from talentflow.nlp import line_breaks_end_sentences

# The setting that turns the cascade off ("off", "0", "no" or "false"): every sentence is parsed.
CASCADE_ENV = "TALENTFLOW_CASCADE"
SENTENCES_BEFORE = 1
LEADING_SENTENCES = 1
# Letters after which a final consonant doubles before -ed/-ing ("quit" -> "quitting", "step" -> "stepped").
_VOWELS = "aeiou"
_NOT_LINE_BREAK = re.compile(r"[^\n\r]")


def inflections(lemma: str) -> set[str]:
    """The regular forms of an English word: -s, -es, -ed, -ing, with a final e dropped, a final y
    turned to i and a final consonant doubled. Too many forms cost a little speed, never a claim."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma[:-1] + "ed"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in _VOWELS + "wxy" and lemma[-2] in _VOWELS:
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def irregular_forms(nlp: Language, lemmas: Iterable[str]) -> set[str]:
    """The forms the model's lemmatizer maps to one of ``lemmas`` by exception ("left" -> "leave")."""
    wanted = set(lemmas)
    if "lemmatizer" not in nlp.pipe_names:
        return set()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_exc"):
        return set()
    exceptions = lookups.get_table("lemma_exc")
    return {form for forms in exceptions.values() for form, found in forms.items()
            if any(lemma in wanted for lemma in found)}


def cascade_wanted() -> bool:
    return os.environ.get(CASCADE_ENV, "on").lower() not in ("off", "0", "no", "false")


class Cascade:
    """Blanks the sentences of a text that cannot carry a move (see the module's docstring)."""

    def __init__(self, nlp: Language, cues: CueFinder) -> None:
        self.tokenizer = nlp.tokenizer
        self.sentencizer = Sentencizer()
        self.phrases = cues.matcher
        lemmas = [lemma for lemma in cues.lemma_classes if " " not in lemma]
        self.forms = {form for lemma in lemmas for form in inflections(lemma)} | irregular_forms(nlp, lemmas)

    def first_pass(self, text: str) -> Doc:
        """The text tokenised and split into sentences, without a model."""
        return line_breaks_end_sentences(self.sentencizer(self.tokenizer(text)))

    def has_cue(self, doc: Doc) -> list[bool]:
        """Per token: whether a cue starts there."""
        marks = [t.lower_ in self.forms or t.lower_ == "found" or is_founding_word(t.lower_) for t in doc]
        for _, start, _end in self.phrases(doc):
            marks[start] = True
        return marks

    def kept_sentences(self, doc: Doc) -> list[tuple[int, int]]:
        """(start_char, end_char) of each sentence the full pipeline must read; none without a cue."""
        sentences = [s for s in doc.sents if not all(t.is_space for t in s)]  # a lone line break is none
        marks = self.has_cue(doc)
        keep: set[int] = set()
        for i, sent in enumerate(sentences):
            if any(marks[sent.start : sent.end]):
                keep.update(range(max(0, i - SENTENCES_BEFORE), i + 1))
        if keep:
            keep.update(range(min(LEADING_SENTENCES, len(sentences))))
        return [(sentences[i].start_char, sentences[i].end_char) for i in sorted(keep)]

    def reduce(self, text: str) -> str:
        """``text`` with every sentence that is not kept turned to spaces (line breaks stay)."""
        kept = self.kept_sentences(self.first_pass(text))
        out: list[str] = []
        done = 0
        for start, end in kept:
            out.append(blank(text[done:start]))
            out.append(text[start:end])
            done = end
        out.append(blank(text[done:]))
        return "".join(out)


def blank(text: str) -> str:
    """Spaces for every character but line breaks; a line break last, so that the parser starts a
    new sentence after a blanked one rather than running the kept ones together."""
    if not text or text.isspace():
        return text
    return _NOT_LINE_BREAK.sub(" ", text[:-1]) + "\n"
