"""What every extractor of this package offers on top of its ``run_parsed``: extracting from a
Document, running on one, and running on many with spaCy's batched pipe."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Generic, Protocol, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from talentflow.models import Claim, Document


class HasClaims(Protocol):
    claims: list[Claim]


Result = TypeVar("Result", bound=HasClaims)


class DocumentExtractor(Generic[Result]):
    nlp: Language

    def run_parsed(self, document: Document, doc: Doc) -> Result:
        raise NotImplementedError

    def extract(self, document: Document) -> list[Claim]:
        return self.run(document).claims

    def run(self, document: Document) -> Result:
        return self.run_parsed(document, self.nlp(document.text))

    def pipe(self, documents: Iterable[Document], batch_size: int = 16) -> Iterator[tuple[Document, Result]]:
        docs = list(documents) if not isinstance(documents, list) else documents
        for document, parsed in zip(docs, self.nlp.pipe((d.text for d in docs), batch_size=batch_size), strict=True):
            yield document, self.run_parsed(document, parsed)


Unit = TypeVar("Unit")


def registrar(table: dict[str, Unit]) -> Callable[[str], Callable[[Unit], Unit]]:
    """A decorator that registers a unit (a candidate generator, a feature function) by name."""

    def named(name: str) -> Callable[[Unit], Unit]:
        def register(unit: Unit) -> Unit:
            table[name] = unit
            return unit

        return register

    return named
