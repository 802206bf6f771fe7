"""`talentflow watch`: sources polled on a schedule from a web server on 127.0.0.1 whose feeds change
between polls, answer 304, fail and stall; state that survives a restart; a clean stop on SIGTERM.
The articles are ours, written for these tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, update

from conftest import LocalWeb
from talentflow.durations import parse_duration
from talentflow.ingest import FetchPolicy, IngestOptions
from talentflow.schema import documents, watch_sources
from talentflow.store import Store
from talentflow.watch import Source, Watcher, read_sources

LOCAL = IngestOptions(fetch=FetchPolicy(allow_private=("127.0.0.1",), rate=0, timeout=1.0))

# Our own short articles, one move each.
ARTICLES = {
    "whitfield": ("Globex hires Acme's robotics chief",
                  "Dana Whitfield, the head of robotics at Acme Robotics, has left the company to join Globex, "
                  "Globex said on Tuesday."),
    "okafor": ("Initech names a new research director",
               "Initech has hired Tunde Okafor, formerly a principal scientist at Hooli, as its research director, "
               "the company said on Monday."),
    "lindqvist": ("Vandelay loses its AI lead",
                  "Maja Lindqvist, who led machine learning at Vandelay Industries, has joined Umbrella Labs as "
                  "chief scientist, Umbrella Labs said on Wednesday."),
}


def item(key: str, base: str, full: bool = True) -> str:
    title, text = ARTICLES[key]
    content = f"<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded>" if full else ""
    return (f"<item><title>{title}</title><link>{base}/news/{key}</link><guid>{base}/news/{key}</guid>"
            f"<pubDate>Tue, 06 May 2025 08:00:00 GMT</pubDate><description>{text}</description>{content}</item>")


def feed(*items: str) -> str:
    return ("<?xml version='1.0'?><rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
            f"<channel><title>Our test wire</title>{''.join(items)}</channel></rss>")


def watcher(store: Store, *sources: Source, lines: list[str] | None = None) -> Watcher:
    return Watcher(store, list(sources), LOCAL, say=(lines if lines is not None else []).append)


def make_due(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(watch_sources).values(next_due=0.0))


def stored_titles(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return sorted(conn.execute(select(documents.c.title)).scalars())


def test_a_feed_is_polled_conditionally_and_only_new_entries_are_read(web: LocalWeb, db: str):
    url = web.add("/feed", feed(item("whitfield", web.base)), content_type="application/rss+xml",
                  headers={"ETag": '"v1"'})
    store = Store(db)
    lines: list[str] = []
    w = watcher(store, Source(url, 60.0), lines=lines)
    (first,) = w.round()
    assert first.summary is not None and (first.summary.new, first.summary.claims) == (1, 1)
    assert "1 new entries; 1 new" in lines[0] and lines[0].endswith("next poll in 1m")

    assert w.round() == []  # not due yet
    make_due(store)
    (second,) = w.round()
    assert second.what == "not modified" and web.conditional == ["/feed"]

    web.add("/feed", feed(item("okafor", web.base), item("whitfield", web.base)), content_type="application/rss+xml",
            headers={"ETag": '"v2"'})
    make_due(store)
    (third,) = w.round()
    assert third.summary is not None and third.summary.new == 1 and "1 new entries" in third.what
    assert stored_titles(store) == ["Globex hires Acme's robotics chief", "Initech names a new research director"]
    assert [p for p, _ in web.requests].count("/news/whitfield") == 0  # full entries: no page fetched


def test_an_entry_whose_page_cannot_be_fetched_is_read_from_its_summary(web: LocalWeb, db: str):
    url = web.add("/feed", feed(item("lindqvist", web.base, full=False)), content_type="application/rss+xml")
    web.add("/news/lindqvist", "server error", status=500)
    store = Store(db)
    (result,) = watcher(store, Source(url)).round()
    assert result.summary is not None and (result.summary.new, result.summary.failed) == (1, 0)
    assert [p for p, _ in web.requests if p.startswith("/news")] == ["/news/lindqvist"]
    assert stored_titles(store) == ["Vandelay loses its AI lead"]


def test_a_failing_source_backs_off_and_the_others_are_still_polled(web: LocalWeb, db: str):
    broken = web.add("/broken", "oops", status=500)
    slow = web.add("/slow", feed(item("okafor", web.base)), content_type="application/rss+xml", delay=3.0)
    good = web.add("/good", feed(item("whitfield", web.base)), content_type="application/rss+xml")
    store = Store(db)
    w = watcher(store, Source(broken, 10.0), Source(slow, 10.0), Source(good, 10.0))
    results = {r.url: r for r in w.round()}
    assert results[broken].what.startswith("failed (HTTP 500") and results[broken].next_in == 10.0
    assert results[slow].what.startswith("failed (timed out")
    assert results[good].summary is not None and results[good].summary.new == 1
    make_due(store)
    results = {r.url: r for r in w.round()}
    assert results[broken].next_in == 20.0 and "failure 2 in a row" in results[broken].what  # doubled
    with store.engine.connect() as conn:
        state = {r.url: r for r in conn.execute(select(watch_sources))}
    assert state[broken].failures == 2 and state[good].failures == 0
    assert state[broken].next_due > time.time() + 15


def test_a_restart_resumes_from_the_state_in_the_database(web: LocalWeb, db: str):
    url = web.add("/feed", feed(item("whitfield", web.base)), content_type="application/rss+xml",
                  headers={"ETag": '"v1"'})
    watcher(Store(db), Source(url, 60.0)).round()
    restarted = watcher(Store(db), Source(url, 60.0))
    assert restarted.round() == []  # the first process polled it a moment ago: not due
    make_due(restarted.store)
    (again,) = restarted.round()
    assert again.what == "not modified"  # the validators were kept
    web.add("/feed", feed(item("whitfield", web.base)), content_type="application/rss+xml")  # no ETag now
    make_due(restarted.store)
    (third,) = restarted.round()
    assert third.what == "nothing new"  # the entry was seen by the first process


def test_a_url_list_source_reads_each_listed_page_once(web: LocalWeb, db: str):
    web.add("/a", f"<html><head><title>{ARTICLES['okafor'][0]}</title></head><body><article><p>"
            f"{ARTICLES['okafor'][1]}</p></article></body></html>")
    listing = web.add("/list.txt", f"# our list\n{web.base}/a\n", content_type="text/plain")
    store = Store(db)
    w = watcher(store, Source(listing, 60.0))
    (first,) = w.round()
    assert first.summary is not None and first.summary.new == 1
    make_due(store)
    (second,) = w.round()
    assert second.what == "nothing new" and [p for p, _ in web.requests].count("/a") == 1


def test_intervals_and_sources_files_are_read_and_checked(tmp_path: Path):
    assert [parse_duration(t) for t in ("30s", "15m", "1.5h", "1d", "2w")] == [30, 900, 5400, 86400, 1209600]
    for bad in ("15", "m", "-1m", "0m", "1y", "infm", "nanh", ""):
        with pytest.raises(ValueError, match="an interval"):
            parse_duration(bad, "an interval")
    path = tmp_path / "sources.txt"
    path.write_text("# feeds\nhttps://a.example/feed 1h\n\nhttps://b.example/rss  # the default\n")
    assert read_sources(path, 900) == [Source("https://a.example/feed", 3600), Source("https://b.example/rss", 900)]
    path.write_text("https://a.example/feed every-hour\n")
    with pytest.raises(ValueError, match=r"sources\.txt:1: 'every-hour'"):
        read_sources(path)
    path.write_text("not a url\n")
    with pytest.raises(ValueError, match=r"sources\.txt:1: expected a URL"):
        read_sources(path)


def _talentflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "talentflow.cli", *args]


def test_watch_once_prints_a_line_per_poll_and_fails_when_a_source_does(web: LocalWeb, db: str, tmp_path: Path):
    good = web.add("/feed", feed(item("whitfield", web.base)), content_type="application/rss+xml")
    bad = web.add("/gone", "", status=404)
    sources = tmp_path / "sources.txt"
    sources.write_text(f"{good} 30m\n{bad}\n")
    run = subprocess.run(_talentflow("watch", "--once", "--sources", str(sources), "--allow-private", "127.0.0.1",
                                     "--db", db), capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    polls = [line for line in run.stdout.splitlines() if " http://" in line]
    assert len(polls) == 2
    assert f"{good}: 1 new entries; 1 new" in polls[0] and polls[0].endswith("next poll in 30m")
    assert f"{bad}: failed (HTTP 404 Not Found); failure 1 in a row" in polls[1]


def test_watch_stops_cleanly_on_sigterm_between_documents_and_resumes(web: LocalWeb, db: str):
    # Three summary-only entries whose pages are slow: SIGTERM arrives while the first is read.
    for key in ARTICLES:
        title, text = ARTICLES[key]
        web.add(f"/news/{key}", f"<html><head><title>{title}</title></head><body><article><p>{text}</p></article>"
                "</body></html>", delay=1.5)
    url = web.add("/feed", feed(*(item(k, web.base, full=False) for k in ARTICLES)),
                  content_type="application/rss+xml", headers={"ETag": '"v1"'})
    Store(db).close()  # migrated before the clock starts
    process = subprocess.Popen(_talentflow("watch", url, "--every", "1h", "--allow-private", "127.0.0.1",
                                           "--rate", "100", "--db", db),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "COLUMNS": "200"})
    deadline = time.time() + 60
    while not any(p == "/news/whitfield" for p, _ in web.requests) and time.time() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "SIGTERM: stopping after the current document" in out and out.rstrip().endswith("stopped")
    assert "(stopped after 1 of 3 entries)" in out
    store = Store(db)
    assert len(stored_titles(store)) == 1
    with store.engine.connect() as conn:
        (state,) = conn.execute(select(watch_sources)).all()
    assert state.etag is None  # not all entries were read: the next poll must not be told "not modified"
    make_due(store)
    (rest,) = watcher(store, Source(url, 3600.0)).round()
    assert rest.summary is not None and rest.summary.new == 2 and len(stored_titles(store)) == 3


def test_watch_stops_at_once_when_idle(web: LocalWeb, db: str):
    url = web.add("/feed", feed(item("whitfield", web.base)), content_type="application/rss+xml")
    store = Store(db)
    w = watcher(store, Source(url, 3600.0))
    thread = threading.Thread(target=w.run)
    thread.start()
    deadline = time.time() + 60
    while not stored_titles(store) and time.time() < deadline:
        time.sleep(0.05)
    w.stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
