"""What a write says, for the API (JSON bodies) and the pages (forms) alike, and how it is applied."""

from __future__ import annotations

from typing import Literal

from fastapi import HTTPException
from pydantic import BaseModel, Field

from talentflow import alerts, query
from talentflow.store import Store
from talentflow.web.params import StatusName


class ReviewIn(BaseModel):
    """A reviewer's decision: the verdict and, optionally, corrected fields ("" clears an organization)."""

    verdict: Literal["correct", "wrong"]
    person: str | None = Field(default=None, max_length=200)
    from_org: str | None = Field(default=None, max_length=200)
    to_org: str | None = Field(default=None, max_length=200)
    status: StatusName | None = None


def apply_review(store: Store, claim_id: int, decision: ReviewIn) -> int | None:
    try:
        return store.review_claim(claim_id, decision.verdict, person=decision.person, from_org=decision.from_org,
                                  to_org=decision.to_org, status=decision.status)
    except LookupError as exc:
        raise query.NotFound(str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc


class WatchlistIn(BaseModel):
    """A new watchlist: its name, filters (or a moves query) and channels."""

    name: str = Field(min_length=1, max_length=200)
    org: str | None = Field(default=None, max_length=200)
    person: str | None = Field(default=None, max_length=200)
    cohort: str | None = Field(default=None, max_length=200)
    query: str | None = Field(default=None, max_length=500)
    webhook: str | None = Field(default=None, max_length=2000)
    email: str | None = Field(default=None, max_length=320)


def add_watchlist_from(store: Store, given: WatchlistIn) -> alerts.Watchlist:
    """The same checks as the command line; ValueError says what is wrong."""
    filters = alerts.parse_query(given.query) if given.query else {}
    filters.update({k: v for k, v in (("org", given.org), ("person", given.person), ("cohort", given.cohort)) if v})
    return alerts.add_watchlist(store, given.name, filters, given.webhook or None, given.email or None)
