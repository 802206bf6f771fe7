"""What every extractor of this package offers on top of its ``run_parsed``: extracting from a
Document, running on one, and running on many with spaCy's batched pipe.

A long document is parsed in pieces of about ``PIECE_CHARS`` characters, cut at paragraph ends:
parsing time and memory grow faster than the text does (200,000 characters took 17 s and 830 MB in
one piece), and spaCy refuses a text over a million characters. Evidence offsets of the pieces'
claims are moved back to index the whole text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import fields, replace
from typing import Any, Generic, Protocol, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from talentflow.extract.cascade import Cascade, blank
from talentflow.models import Claim, Document, Evidence

PIECE_CHARS = 50_000
# Where a piece may end, best first: a paragraph, a line, a sentence, a word.
PIECE_ENDS = ("\n\n", "\n", ". ", " ")
COLLECTION_STAMP = re.compile(r"\s*date \d{4}-\d{2}-\d{2} ")


class HasClaims(Protocol):
    claims: list[Claim]


Result = TypeVar("Result", bound=HasClaims)


class DocumentExtractor(Generic[Result]):
    nlp: Language
    # Blanks the sentences that cannot carry a move before the full parse (``cascade.py``); None
    # parses every sentence.
    cascade: Cascade | None = None

    def parse(self, text: str) -> Doc:
        return self.nlp(self._readable(text))

    def parse_many(self, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
        return self.nlp.pipe(map(self._readable, texts), batch_size=batch_size)

    def _readable(self, text: str) -> str:
        text = without_collection_stamp(text)
        return self.cascade.reduce(text) if self.cascade else text

    def run_parsed(self, document: Document, doc: Doc) -> Result:
        raise NotImplementedError

    def extract(self, document: Document) -> list[Claim]:
        return self.run(document).claims

    def run(self, document: Document) -> Result:
        if len(document.text) <= PIECE_CHARS:
            return self.run_parsed(document, self.parse(document.text))
        results = []
        for offset, piece in text_pieces(document.text):
            result = self.run_parsed(replace(document, text=piece), self.parse(piece))
            results.append(_shift_evidence(result, offset))
        return _concatenate(results)

    def pipe(self, documents: Iterable[Document], batch_size: int = 16) -> Iterator[tuple[Document, Result]]:
        docs = list(documents) if not isinstance(documents, list) else documents
        short = [d for d in docs if len(d.text) <= PIECE_CHARS]
        parsed = dict(zip((id(d) for d in short), self.parse_many((d.text for d in short), batch_size),
                          strict=True))
        for document in docs:
            done = parsed.pop(id(document), None)
            yield document, self.run_parsed(document, done) if done is not None else self.run(document)


def without_collection_stamp(text: str) -> str:
    """``text`` with a leading "date YYYY-MM-DD" that a news collection tool wrote before the article
    (the annotation guide's leading junk) blanked as the cascade blanks a sentence: the first sentence
    then parses as written, and evidence offsets still index the text given."""
    stamp = COLLECTION_STAMP.match(text)
    return text if stamp is None else blank(text[: stamp.end()]) + text[stamp.end() :]


def text_pieces(text: str, size: int = PIECE_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) for a text cut into pieces of at most ``size`` characters, each ending at the
    last paragraph end (else line, sentence, word end) in its second half."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            for mark in PIECE_ENDS:
                cut = text.rfind(mark, start + size // 2, end)
                if cut >= 0:
                    end = cut + len(mark)
                    break
        yield start, text[start:end]
        start = end


def _shift_evidence(result: Any, offset: int) -> Any:
    """A piece's result with the evidence of its claims (and groups) indexing the whole text."""
    def shifted(item: Any) -> Any:
        evidence = getattr(item, "evidence", None)
        if not isinstance(evidence, Evidence):
            return item
        return replace(item, evidence=Evidence(evidence.text, evidence.start + offset, evidence.end + offset))

    return replace(result, **{f.name: [shifted(x) for x in getattr(result, f.name)] for f in fields(result)})


def _concatenate(results: list[Any]) -> Any:
    """One result of the pieces' results: every list field joined, in order."""
    return replace(results[0], **{f.name: [x for r in results for x in getattr(r, f.name)]
                                  for f in fields(results[0])})

