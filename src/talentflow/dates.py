"""Dates of moves: "in November 2022", "last week", "Monday", resolved against the publication date
and kept with their precision (YYYY, YYYY-MM or YYYY-MM-DD)."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
          "sept", "oct", "nov", "dec")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
DAY_WORDS = ("yesterday", "today", "week", *WEEKDAYS)
DATE_PREFIX = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b")


def parse_published(value: str | None) -> str | None:
    """Normalise a publication date given by a feed or a file header to YYYY[-MM[-DD]]."""
    if not value or value.strip().lower() in ("unknown", "none", "null", ""):
        return None
    value = value.strip()
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return value
    import dateparser  # here: checking a user's --since needs none of it, and it takes 30 ms to import

    parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first"})
    return parsed.date().isoformat() if parsed else None


DATE_SHAPE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


def valid_date(value: str) -> bool:
    """Whether a date a user gives (``--since``, ``?until=``) is YYYY, YYYY-MM or YYYY-MM-DD and a
    day of the calendar (not 2025-13, not 2025-02-30). The CLI, the API and the pages all ask this."""
    return bool(DATE_SHAPE.fullmatch(value)) and first_day(value) is not None


def first_day(published: str | None) -> datetime | None:
    """The first day a YYYY, YYYY-MM or YYYY-MM-DD date covers (2025-06 -> 2025-06-01)."""
    if not published:
        return None
    parts = [int(p) for p in published.split("-")] + [1, 1]
    try:
        return datetime(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def precision_of(text: str) -> int:
    """3 = day, 2 = month, 1 = year, 0 = not a date we can place."""
    lower = text.lower()
    words = set(re.findall(r"[a-z]+", lower))
    has_month = bool(words & set(MONTHS)) or "month" in words
    if any(w in words for w in DAY_WORDS) or (has_month and re.search(r"\b\d{1,2}\b", lower)):
        return 3
    if has_month:
        return 2
    if YEAR.search(lower) or "year" in words:
        return 1
    return 0


@lru_cache(maxsize=8192)
def resolve_date(text: str, published: str | None) -> str | None:
    """The date a phrase names, at the precision it names it, or None. Cached: dateparser is slow,
    and news repeats its phrases ("last month", "in 2021") against the same publication dates."""
    precision = precision_of(text)
    if precision == 0:
        return None
    lower = text.lower()
    if re.search(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(years?|months?)\b", lower) \
            and not re.search(r"\b(ago|last|earlier|later)\b", lower):
        return None  # a duration ("two years"), not a date
    base = first_day(published)
    if base and re.search(r"\bend of (the|this) year\b", lower):
        return f"{base.year:04d}"  # "by the end of the year": the year of the report
    settings: dict = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"}
    if base:
        settings["RELATIVE_BASE"] = base
    cleaned = re.sub(r"\b(in|on|since|during|earlier|late|early|mid|the|of|fall|spring|summer|winter|"
                     r"autumn|this|past)\b", " ", lower).strip()
    import dateparser

    # English only: a phrase English cannot read is otherwise tried in every language dateparser
    # knows, 0.2 s each, and our extraction reads English.
    parsed = dateparser.parse(cleaned, settings=settings, languages=["en"]) if cleaned else None
    if parsed is None:
        year = YEAR.search(lower)
        if year:
            return year.group(1)
        if ("this year" in lower or "earlier this" in lower) and base:
            return f"{base.year:04d}" if "year" in lower else f"{base.year:04d}-{base.month:02d}"
        return None
    if base is None and not YEAR.search(lower):
        return None  # "last month" with no publication date to count from
    d: date = parsed.date()
    return [None, f"{d.year:04d}", f"{d.year:04d}-{d.month:02d}", d.isoformat()][precision]


# Where an article without a publication date still tells it: the URL path (/2025/03/14/, a slug
# ending in -2024-4) and a dateline or a "Published:" line near the top of the text.
URL_DATES = (
    re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)"),
    re.compile(r"[/_-]((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
    re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])(?:/|$)"),
    re.compile(r"-((?:19|20)\d\d)-(1[0-2]|0?[1-9])$"),
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY_DATE = rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
TEXT_DATES = (
    re.compile(rf"^\s*(?:published|posted|updated|date)\s*(?:on)?\s*:?\s*({_DAY_DATE})", re.IGNORECASE | re.MULTILINE),
    # a dateline: "SAN FRANCISCO, March 3, 2025 --" or "LONDON (Reuters) 3 March 2025 -"
    re.compile(rf"^[A-Z][A-Z .'-]{{2,40}}(?:\([A-Za-z ]+\))?,?\s+({_DAY_DATE})\s*(?:--|[-\u2013\u2014/])",
               re.IGNORECASE | re.MULTILINE),
)
DATELINE_SPAN = 400  # characters from the top where a dateline may stand


def date_from_url(url: str | None) -> str | None:
    """The publication date a URL path gives, at the precision it gives it."""
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    for pattern in URL_DATES:
        match = pattern.search(path)
        if match:
            parts = [int(p) for p in match.groups()]
            candidate = "-".join([f"{parts[0]:04d}", *[f"{p:02d}" for p in parts[1:]]])
            if len(parts) < 3 or first_day(candidate) is not None:
                return candidate
    return None


def date_from_text(text: str) -> str | None:
    """The date of a dateline or a "Published:" line at the top of an article."""
    top = text[:DATELINE_SPAN]
    for pattern in TEXT_DATES:
        match = pattern.search(top)
        if match:
            return parse_published(match.group(1))
    return None
