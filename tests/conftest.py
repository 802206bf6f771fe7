from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from talentflow.extract import Extractor
from talentflow.models import Document

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = Path(__file__).parent.parent / "src" / "talentflow" / "data" / "samples"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


def claims_of(extractor: Extractor, text: str, published: str | None = "2025-06-01", all_statuses: bool = False):
    from talentflow.models import FACT_STATUSES

    doc = Document.from_text(text, published=published, label="t")
    return [c for c in extractor.extract(doc) if all_statuses or c.status in FACT_STATUSES]


def summary(claims) -> set[tuple]:
    """(kind, person, from_org, to_org) of each claim: what a reader checks first."""
    return {(c.kind, c.person, c.from_org, c.to_org) for c in claims}
