"""Fetching URLs and feeds from a web server on 127.0.0.1: pages, feeds, and every fault a real
server gives, each a clear one-line error while the rest of the batch goes on."""

from __future__ import annotations

import time

import pytest

from conftest import FIXTURES, LocalWeb
from talentflow.ingest import FetchPolicy, IngestError, IngestOptions, iter_documents
from talentflow.ingest.fetch import USER_AGENT, Fetcher
from talentflow.models import Document

WEB = FIXTURES / "web"
LOCAL = IngestOptions(fetch=FetchPolicy(allow_private=("127.0.0.1",), rate=0, timeout=1.0))


def _ingest(*inputs: str, options: IngestOptions = LOCAL) -> list[Document | IngestError]:
    return list(iter_documents(list(inputs), options))


def test_a_page_url_gives_its_article_with_metadata(web: LocalWeb):
    url = web.add("/lumen.html", (WEB / "lumen-hires.html").read_bytes())
    (doc,) = _ingest(url)
    assert isinstance(doc, Document)
    assert doc.url == "https://circuit-ledger.example/2025/04/lumen-hires-natarajan"  # canonical wins
    assert doc.label == url and doc.published == "2025-04-08" and doc.author == "Tomas Berg"
    assert web.requests == [("/lumen.html", USER_AGENT)]


def test_a_feed_url_reads_full_entries_and_fetches_the_page_of_a_summary_only_entry(web: LocalWeb):
    web.add("/lumen.html", (WEB / "lumen-hires.html").read_bytes())
    feed = web.add("/feed", (WEB / "feed.rss").read_text().replace("{base}", web.base),
                   content_type="application/rss+xml")
    full, fetched = _ingest(feed)
    assert full.text.startswith("Quillwork has hired Dmitri Volkov")
    assert fetched.text.count("has joined Lumen Robotics as head of research") == 1
    assert "Read the full story" not in fetched.text
    assert [path for path, _ in web.requests] == ["/feed", "/lumen.html"]


def test_a_feed_entry_whose_page_fails_is_read_from_its_own_summary(web: LocalWeb):
    feed = web.add("/feed.xml", (WEB / "feed.rss").read_text().replace("{base}", web.base),
                   content_type="text/xml")
    full, from_summary = _ingest(feed)
    assert isinstance(full, Document) and isinstance(from_summary, Document)
    assert from_summary.text.startswith("Priya Natarajan moves to Lumen.")
    assert from_summary.url == f"{web.base}/lumen.html" and from_summary.title.startswith("Lumen Robotics hires")
    assert [path for path, _ in web.requests] == ["/feed.xml", "/lumen.html"]  # the page was tried first


def test_a_feed_entry_whose_page_fails_and_has_no_summary_is_an_error_and_the_others_go_on(web: LocalWeb):
    text = (WEB / "feed.rss").read_text().replace("{base}", web.base)
    text = text.replace("<description>Priya Natarajan moves to Lumen. Read the full story on our site.</description>",
                        "")
    feed = web.add("/feed.xml", text, content_type="text/xml")
    full, failed = _ingest(feed)
    assert isinstance(full, Document)
    assert str(failed) == f"{feed} entry 2 ({web.base}/lumen.html): HTTP 404 Not Found"


def test_a_page_in_windows_1252_is_decoded_by_the_charset_the_server_declares(web: LocalWeb):
    page = ("<html><body><article><p>René Dupont has joined Acme Robotics – the firm said so on Monday.</p>"
            "</article></body></html>")
    url = web.add("/old", page.encode("cp1252"), content_type="text/html; charset=windows-1252")
    (doc,) = _ingest(url)
    assert doc.text == "René Dupont has joined Acme Robotics – the firm said so on Monday."


def test_text_url_is_read_as_an_article(web: LocalWeb):
    url = web.add("/note.txt", "TITLE: A note\n\nJane Roe joined Acme.", content_type="text/plain; charset=utf-8")
    (doc,) = _ingest(url)
    assert (doc.title, doc.text, doc.url) == ("A note", "Jane Roe joined Acme.", url)


@pytest.mark.parametrize(("route", "reason"), [
    ({"status": 500, "body": "oops"}, "HTTP 500 Internal Server Error"),
    ({"status": 503, "body": "busy"}, "HTTP 503 Service Unavailable"),
    ({"content_type": "image/png", "body": b"\x89PNG"},
     "unsupported content type image/png (expected a web page, a feed or text)"),
    ({"body": "<html><head><title>Empty</title></head></html>"}, "no article text found in the HTML"),
    ({"content_type": "application/rss+xml", "body": "<rss version='2.0'><channel><title>cut"},
     "broken feed ("),
])
def test_server_faults_are_one_line_errors(web: LocalWeb, route: dict, reason: str):
    url = web.add("/x", **route)
    (err,) = _ingest(url)
    assert isinstance(err, IngestError) and str(err).startswith(f"{url}: {reason}")


def test_a_missing_page_is_a_404_error_and_the_batch_goes_on(web: LocalWeb):
    good = web.add("/note.txt", "Jane Roe joined Acme.", content_type="text/plain")
    err, doc = _ingest(web.base + "/gone", good)
    assert str(err) == f"{web.base}/gone: HTTP 404 Not Found"
    assert isinstance(doc, Document)


def test_a_slow_server_times_out(web: LocalWeb):
    url = web.add("/slow", "Jane Roe joined Acme.", content_type="text/plain", delay=3)
    start = time.monotonic()
    (err,) = _ingest(url)
    assert str(err) == f"{url}: timed out after 1 s"
    assert time.monotonic() - start < 2.5


def test_redirects_are_followed_and_loops_stopped(web: LocalWeb):
    web.add("/old", status=301, headers={"Location": "/new"})
    web.add("/new", "Jane Roe joined Acme.", content_type="text/plain")
    web.add("/a", status=302, headers={"Location": "/b"})
    web.add("/b", status=302, headers={"Location": "/a"})
    doc, loop = _ingest(web.base + "/old", web.base + "/a")
    assert doc.text == "Jane Roe joined Acme." and doc.url == web.base + "/new"
    assert str(loop) == f"{web.base}/a: redirect loop ({web.base}/a -> {web.base}/b -> {web.base}/a)"


def test_too_many_redirects_are_refused(web: LocalWeb):
    for i in range(8):
        web.add(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"})
    (err,) = _ingest(web.base + "/r0")
    assert str(err) == f"{web.base}/r0: too many redirects (more than 5)"


def test_an_unreachable_host_is_a_clear_error(web: LocalWeb):
    closed = web.base.rsplit(":", 1)[0] + ":9"  # the discard port: nothing listens there
    (err,) = _ingest(closed + "/story")
    assert str(err).startswith(f"{closed}/story: cannot connect: ")
    (err,) = _ingest("http://no-such-host.invalid/story")
    assert str(err).startswith("http://no-such-host.invalid/story: cannot ")


def test_a_response_over_the_size_cap_is_refused(web: LocalWeb):
    url = web.add("/big", "x" * 5000, content_type="text/plain")
    policy = FetchPolicy(allow_private=("127.0.0.1",), rate=0, max_bytes=1000)
    (err,) = _ingest(url, options=IngestOptions(fetch=policy))
    assert str(err) == f"{url}: response too large (the limit is 1,000 bytes)"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/admin", "http://localhost:8080/", "http://10.1.2.3/", "http://192.168.0.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://0.0.0.0/",
])
def test_private_loopback_and_link_local_addresses_are_refused_by_default(url: str):
    (err,) = _ingest(url, options=IngestOptions())
    assert "refused:" in str(err) and "use --allow-private" in str(err)


def test_every_redirect_hop_is_checked_again(web: LocalWeb):
    web.add("/hop", status=302, headers={"Location": "file:///etc/passwd"})
    (err,) = _ingest(web.base + "/hop")
    assert str(err) == f"{web.base}/hop: only http and https URLs can be fetched, not file"


def test_only_http_and_https_are_fetched():
    assert "only http and https" in str(Fetcher().fetch("file:///etc/passwd"))


def test_requests_to_one_host_are_spaced_by_the_rate(web: LocalWeb):
    urls = [web.add(f"/n{i}", f"Person {i} joined Acme.", content_type="text/plain") for i in range(3)]
    start = time.monotonic()
    docs = _ingest(*urls, options=IngestOptions(fetch=FetchPolicy(allow_private=("127.0.0.1",), rate=5)))
    assert all(isinstance(d, Document) for d in docs)
    assert time.monotonic() - start >= 0.4  # three requests at 5 per second: two waits of 0.2 s


def test_a_server_that_drips_bytes_is_given_up_at_the_deadline(web: LocalWeb):
    url = web.add("/drip", b"<html><body><p>" + b"x" * 200 + b"</p></body></html>", drip=0.2)
    policy = FetchPolicy(allow_private=("127.0.0.1",), rate=0, timeout=1.0, deadline=1.5)
    started = time.monotonic()
    (err,) = _ingest(url, options=IngestOptions(fetch=policy))
    assert isinstance(err, IngestError) and "gave up after 1.5 s" in str(err)
    assert time.monotonic() - started < 4


def test_the_address_checked_is_the_address_connected_to(web: LocalWeb, monkeypatch):
    """DNS rebinding: a name that resolves to a public address when checked and to 127.0.0.1 when
    connecting must never reach the private server."""
    import socket

    real = socket.getaddrinfo
    answers = iter(["203.0.113.7"])  # a public-looking first answer (TEST-NET-3: nothing listens there)

    def rebinding(host, port, *args, **kwargs):
        if host == "news.rebind.example":
            return real(next(answers, "127.0.0.1"), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    web.add("/secret", "<html><body><p>internal page</p></body></html>")
    port = web.base.rsplit(":", 1)[1]
    policy = FetchPolicy(rate=0, timeout=0.5, deadline=2)
    (err,) = _ingest(f"http://news.rebind.example:{port}/secret", options=IngestOptions(fetch=policy))
    assert isinstance(err, IngestError)
    assert web.requests == []  # the private server was never asked


def test_allow_private_opens_only_the_hosts_it_names_and_redirects_are_checked(web: LocalWeb):
    port = web.base.rsplit(":", 1)[1]
    page = web.add("/page", "<html><body><p>Orchid Lab hired Jo Pike as head of research.</p></body></html>")
    web.add("/hop", status=302, headers={"Location": f"http://localhost:{port}/page"})
    policy = IngestOptions(fetch=FetchPolicy(allow_private=(f"127.0.0.1:{port}",), rate=0, timeout=1.0))
    (doc,) = _ingest(page, options=policy)
    assert isinstance(doc, Document)
    (other,) = _ingest(f"http://localhost:{port}/page", options=policy)  # another name, not allowed
    assert isinstance(other, IngestError) and "refused" in str(other)
    (hop,) = _ingest(web.base + "/hop", options=policy)  # allowed host, redirected to one that is not
    assert isinstance(hop, IngestError) and "refused: localhost" in str(hop)
    wrong_port = IngestOptions(fetch=FetchPolicy(allow_private=("127.0.0.1:1",), rate=0, timeout=1.0))
    (refused,) = _ingest(page, options=wrong_port)
    assert isinstance(refused, IngestError) and "refused" in str(refused)


def test_a_feed_entry_link_to_a_private_address_is_refused_like_any_url(web: LocalWeb):
    """A feed's author picks the links it lists: they get the checks of any URL the user gives."""
    port = web.base.rsplit(":", 1)[1]
    web.add("/secret", "<html><body><p>internal page</p></body></html>")
    feed = ("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item><title>Inside</title>"
            f"<link>http://localhost:{port}/secret</link><description>Short.</description></item></channel></rss>")
    url = web.add("/feed", feed, content_type="application/rss+xml")
    policy = IngestOptions(fetch=FetchPolicy(allow_private=(f"127.0.0.1:{port}",), rate=0, timeout=1.0))
    (item,) = _ingest(url, options=policy)
    assert [path for path, _ in web.requests] == ["/feed"]  # the private page was never asked for
    assert isinstance(item, Document) and item.text == "Short."  # only the feed's own words
    no_summary = feed.replace("<description>Short.</description>", "")
    (refused,) = _ingest(web.add("/feed2", no_summary, content_type="application/rss+xml"), options=policy)
    assert isinstance(refused, IngestError) and "refused: localhost" in str(refused)
