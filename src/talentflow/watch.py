"""Watching sources: poll feeds, pages and URL lists on a schedule, ingest what is new, record and
send the alerts it makes.

State lives in the database (``watch_sources``, ``watch_seen``), so a restart resumes: each
source's validators (ETag, Last-Modified) for conditional requests, when it is next due, its
failures in a row (the backoff doubles with each, up to ``MAX_BACKOFF``), and the entries already
read. A source's validators are saved only once all its new entries are stored, so a stop in the
middle never makes the next poll's "304 Not Modified" hide an entry. Fetching goes through the
ingest ``Fetcher``: the same address checks, size and time limits, and per-host rate.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from talentflow.alerts import record_alerts
from talentflow.durations import duration_text, parse_duration
from talentflow.ingest import IngestError, IngestOptions, is_url
from talentflow.ingest.feeds import entry_document, entry_key, feed_entries, is_feed
from talentflow.ingest.fetch import FEED_TYPES, TEXT_TYPES, Fetched, Fetcher, Validators, document_from_fetched
from talentflow.ingest.text import Ingested
from talentflow.notify import Channels, deliver_pending
from talentflow.pipeline import IngestSummary, ingest_documents
from talentflow.schema import watch_seen, watch_sources
from talentflow.store import Store

DEFAULT_EVERY = 15 * 60.0
MAX_BACKOFF = 6 * 3600.0


@dataclass(frozen=True)
class Source:
    url: str
    every: float = DEFAULT_EVERY


def read_sources(path: Path, every: float = DEFAULT_EVERY) -> list[Source]:
    """A sources file: one URL per line, optionally followed by its own interval ("URL 1h");
    blank lines and lines starting with # are skipped. ValueError names the bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read sources file ({exc})") from exc
    found = []
    for number, line in enumerate(lines, start=1):
        words = line.split("#", 1)[0].split() if not line.lstrip().startswith("#") else []
        if not words:
            continue
        if not is_url(words[0]) or len(words) > 2:
            raise ValueError(f"{path}:{number}: expected a URL and an optional interval, got {line.strip()!r}")
        try:
            found.append(Source(words[0], parse_duration(words[1], "an interval") if len(words) == 2 else every))
        except ValueError as exc:
            raise ValueError(f"{path}:{number}: {exc}") from exc
    return found


@dataclass
class PollResult:
    url: str
    what: str  # one line: what happened
    next_in: float
    summary: IngestSummary | None = None

    def line(self) -> str:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        return f"{stamp} {self.url}: {self.what}; next poll in {duration_text(round(self.next_in))}"


@dataclass
class Watcher:
    """Polls its sources when due; ``stop`` (set by SIGTERM/SIGINT) ends it between documents."""

    store: Store
    sources: list[Source]
    options: IngestOptions = field(default_factory=IngestOptions)
    channels: Channels = field(default_factory=Channels)
    jobs: int = 1
    say: Callable[[str], None] = print
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.fetcher = Fetcher(self.options.fetch)
        self._register()

    def run(self, once: bool = False) -> int:
        """Poll until stopped (or one round with ``once``); the number of polls that failed."""
        failed = 0
        while not self.stop.is_set():
            failed += sum(1 for r in self.round() if r.what.startswith("failed"))
            self.alert()
            if once:
                break
            self.stop.wait(max(0.0, self.next_due() - time.time()))
        self.fetcher.close()
        return failed

    def round(self) -> list[PollResult]:
        """Poll every source that is due now, once."""
        results = []
        for row in self._due():
            if self.stop.is_set():
                break
            result = self.poll(row)
            self.say(result.line())
            results.append(result)
        return results

    def alert(self) -> None:
        """Record the alerts of what was stored, and send what is pending."""
        recorded = record_alerts(self.store)
        report = deliver_pending(self.store, self.channels)
        if recorded or report.sent or report.failed:
            self.say(f"alerts: {recorded} new; {report.line()}")
        for error in report.errors:
            self.say(f"alert delivery failed: {error}")

    def next_due(self) -> float:
        with self.store.engine.connect() as conn:
            due = conn.execute(select(watch_sources.c.next_due).where(
                watch_sources.c.url.in_([s.url for s in self.sources]))).scalars().all()
        return min(due, default=time.time() + DEFAULT_EVERY)

    # -- one source ----------------------------------------------------------------------------

    def poll(self, row: Any) -> PollResult:
        fetched = self.fetcher.fetch(row.url, validators=Validators(row.etag, row.last_modified))
        if not isinstance(fetched, IngestError) and fetched.not_modified:
            self._after(row, failures=0, wait=row.every, status="not modified")
            return PollResult(row.url, "not modified", row.every)
        found = fetched if isinstance(fetched, IngestError) else self._items(row, fetched)
        if isinstance(found, IngestError) or isinstance(fetched, IngestError):
            reason = found.reason if isinstance(found, IngestError) else "unreadable"
            failures = row.failures + 1
            wait = min(row.every * 2 ** (failures - 1), max(MAX_BACKOFF, row.every))
            self._after(row, failures=failures, wait=wait, status=f"failed: {reason}")
            return PollResult(row.url, f"failed ({reason}); failure {failures} in a row", wait)
        items, keys = found
        done: list[str] = []
        summary = ingest_documents(self._until_stopped(items, keys, done), self.store, self.jobs)
        for error in summary.errors:
            self.say(f"error: {error}")
        self._seen(row.id, done)
        complete = len(done) == len(keys)
        what = f"{len(keys)} new entries; {summary.line()}" if keys or summary.new else "nothing new"
        if not complete:
            what += f" (stopped after {len(done)} of {len(keys)} entries)"
        self._after(row, failures=0, wait=row.every, status=what,
                    validators=Validators(fetched.etag, fetched.last_modified) if complete else None)
        return PollResult(row.url, what, row.every, summary)

    def _items(self, row: Any, fetched: Fetched) -> tuple[list[Callable[[], Ingested]], list[str]] | IngestError:
        """What the answer holds, as one thunk per new entry (fetched only when its turn comes), or
        why it holds nothing (a broken feed)."""
        if fetched.content_type in FEED_TYPES or is_feed(fetched.body):
            entries = feed_entries(fetched.body, row.url, fetched.url)
            if isinstance(entries, IngestError):
                return entries
            fresh = self._unseen(row.id, [(entry_key(e) or f"{row.url}#{n}", e) for n, e in enumerate(entries)])
            return ([partial(entry_document, e, f"{row.url} entry", self.fetcher, None) for _, e in fresh],
                    [_hash(k) for k, _ in fresh])
        if fetched.content_type in TEXT_TYPES:
            lines = [w.strip() for w in fetched.body.decode("utf-8", "replace").splitlines()]
            listed = [w for w in lines if w and not w.startswith("#")]
            if listed and all(is_url(w) and " " not in w for w in listed):  # a list of URLs to read
                fresh_urls = self._unseen(row.id, [(u, u) for u in listed])
                return [partial(self._page, u) for _, u in fresh_urls], [_hash(u) for u, _ in fresh_urls]
        page = document_from_fetched(fetched, row.url)
        key = page.id if not isinstance(page, IngestError) else "error"
        fresh_page = self._unseen(row.id, [(f"page:{key}", page)])
        return [partial(_given, p) for _, p in fresh_page], [_hash(k) for k, _ in fresh_page]

    def _page(self, url: str) -> Ingested:
        fetched = self.fetcher.fetch(url)
        return fetched if isinstance(fetched, IngestError) else document_from_fetched(fetched, url)

    def _until_stopped(self, items: list[Callable[[], Ingested]], keys: list[str],
                       done: list[str]) -> Iterator[Ingested]:
        for thunk, key in zip(items, keys, strict=True):
            if self.stop.is_set():
                return
            yield thunk()
            done.append(key)

    # -- state -----------------------------------------------------------------------------------

    def _register(self) -> None:
        """Add the sources the database does not know yet (due now); keep the state of the others,
        with the interval given this time."""
        with self.store.engine.begin() as conn:
            known = {r.url: r for r in conn.execute(select(watch_sources))}
            for source in self.sources:
                if source.url not in known:
                    conn.execute(insert(watch_sources).values(url=source.url, every=source.every, next_due=0.0,
                                                              failures=0))
                elif known[source.url].every != source.every:
                    conn.execute(update(watch_sources).where(watch_sources.c.url == source.url).values(
                        every=source.every, next_due=min(known[source.url].next_due, time.time() + source.every)))

    def _due(self) -> list[Any]:
        with self.store.engine.connect() as conn:
            return list(conn.execute(select(watch_sources).where(
                watch_sources.c.url.in_([s.url for s in self.sources]), watch_sources.c.next_due <= time.time())
                .order_by(watch_sources.c.next_due, watch_sources.c.id)))

    def _unseen(self, source_id: int, items: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        with self.store.engine.connect() as conn:
            seen = set(conn.execute(select(watch_seen.c.entry).where(watch_seen.c.source_id == source_id)).scalars())
        out, keys = [], set()
        for key, item in items:
            if _hash(key) not in seen and key not in keys:
                keys.add(key)
                out.append((key, item))
        return out

    def _seen(self, source_id: int, hashes: list[str]) -> None:
        if hashes:
            with self.store.engine.begin() as conn:
                conn.execute(insert(watch_seen), [{"source_id": source_id, "entry": h} for h in hashes])

    def _after(self, row: Any, failures: int, wait: float, status: str, validators: Validators | None = None) -> None:
        values: dict[str, Any] = {"failures": failures, "next_due": time.time() + wait, "last_status": status[:500],
                                  "last_polled": datetime.now(UTC).isoformat(timespec="seconds")}
        if validators is not None:
            values.update(etag=validators.etag, last_modified=validators.last_modified)
        with self.store.engine.begin() as conn:
            conn.execute(update(watch_sources).where(watch_sources.c.id == row.id).values(**values))


def _given(item: Ingested) -> Ingested:
    return item


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:64]
