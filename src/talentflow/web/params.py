"""The parameters pages and API endpoints share, each checked once: dates of the calendar (the
one check of ``dates.valid_date``, as on the command line), bounded ids, names, limits and offsets.
A bad value is a 422 that says what was wrong, never a 500."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path as PathParam
from fastapi import Query
from pydantic import AfterValidator

from talentflow.dates import valid_date


def a_date(value: str | None) -> str | None:
    if value is not None and value != "" and not valid_date(value):
        raise ValueError(f"{value[:40]!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD of the calendar)")
    return value or None


DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD"
Since = Annotated[str | None, Query(max_length=10, description=DATE_HELP), AfterValidator(a_date)]
Until = Annotated[str | None, Query(max_length=10, description=DATE_HELP), AfterValidator(a_date)]
Limit = Annotated[int, Query(ge=1, le=500)]
Undated = Annotated[Literal["exclude", "include"],
                    Query(description="moves with no known date: left out of a window (and counted), or included")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000)]
# Ids fit a 32-bit integer column (PostgreSQL's); names are short. Larger is a 422, never a 500.
Id = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
Name = Annotated[str, PathParam(min_length=1, max_length=300)]
Text = Annotated[str | None, Query(max_length=200)]
StatusName = Literal["confirmed", "reported", "planned"]  # rumours and denials make no move
