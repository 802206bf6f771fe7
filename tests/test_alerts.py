"""Watchlists and alerts: each watched event gives exactly one alert per channel (a webhook receiver
on 127.0.0.1 that checks signatures and fails the first attempts, a local SMTP server), a SIGKILL
between recording and delivery neither loses nor duplicates one, and the Atom feed, the CLI and
the digest tell the same alerts. Names and texts are ours, written for these tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
from datetime import timedelta
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import feedparser
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from fastapi.testclient import TestClient

from talentflow.alerts import (
    add_watchlist,
    digest,
    digest_text,
    list_alerts,
    list_watchlists,
    parse_query,
    record_alerts,
    remove_watchlist,
)
from talentflow.ingest import FetchPolicy
from talentflow.models import Claim, Document, Evidence
from talentflow.notify import Channels, SmtpServer, deliver_pending, signature
from talentflow.query import NotFound
from talentflow.store import Store
from talentflow.web.app import create_app

SECRET = "our-test-secret"
POSTGRES = os.environ.get("TALENTFLOW_TEST_POSTGRES")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not POSTGRES, reason="set TALENTFLOW_TEST_POSTGRES to a URL"))]
LOCAL = FetchPolicy(allow_private=("127.0.0.1",), rate=0, timeout=5.0)


class WebhookReceiver:
    """Takes signed JSON POSTs: answers 401 to a bad signature, 500 to the first ``fail_first``, and
    with ``hang_first`` holds the first request open until released (the sender is killed meanwhile).
    ``accepted`` holds the deliveries it answered 200 to."""

    def __init__(self, fail_first: int = 0, hang_first: bool = False) -> None:
        self.fail_first, self.hang_first = fail_first, hang_first
        self.attempts = 0
        self.accepted: list[tuple[str, dict[str, Any]]] = []
        self.bad_signatures = 0
        self.hanging = threading.Event()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.attempts += 1
                expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(self.headers.get("X-Talentflow-Signature", ""), expected):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                if receiver.hang_first and receiver.attempts == 1:
                    receiver.hanging.set()
                    receiver.release.wait(30)
                    return  # no answer: the sender died waiting for it
                if receiver.attempts <= receiver.fail_first:
                    self.send_response(500)
                    self.end_headers()
                    return
                receiver.accepted.append((self.headers["X-Talentflow-Delivery"], json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def __init__(self) -> None:
        self.messages: list[Any] = []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    box.url = f"smtp://127.0.0.1:{controller.port}"  # type: ignore[attr-defined]
    yield box
    controller.stop()


@pytest.fixture(params=BACKENDS)
def any_db(request, db: str) -> str:
    """A SQLite file, or the test PostgreSQL server emptied."""
    if request.param == "sqlite":
        return db
    from talentflow.schema import metadata

    store = Store(POSTGRES)
    with store.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    store.close()
    return str(POSTGRES)


@pytest.fixture
def receiver():
    hook = WebhookReceiver(fail_first=2)
    yield hook
    hook.close()


def _doc(text: str, label: str, published: str = "2025-06-02") -> Document:
    return Document.from_text(text, published=published, label=label, url=f"https://news.example/{label}",
                              title=label.replace("-", " "))


def _claim(doc: Document, person: str, from_org: str | None, to_org: str | None, status: str = "confirmed") -> Claim:
    return Claim(kind="move", person=person, from_org=from_org, to_org=to_org, status=status,  # type: ignore[arg-type]
                 date=doc.published, evidence=Evidence(doc.text, 0, len(doc.text)), doc=doc.label)


def _report(store: Store, label: str, text: str, person: str, from_org: str | None, to_org: str | None,
            status: str = "confirmed") -> None:
    doc = _doc(text, label)
    store.save(doc, [_claim(doc, person, from_org, to_org, status)])


def _channels(mailbox: Mailbox | None = None) -> Channels:
    return Channels(SECRET, SmtpServer.from_url(mailbox.url) if mailbox else None,  # type: ignore[attr-defined]
                    "alerts@talentflow.test", LOCAL, tries=3, backoff=0.01, base_url="http://127.0.0.1:8000")


def test_each_watched_event_gives_one_alert_per_channel(any_db: str, receiver: WebhookReceiver, mailbox: Mailbox):
    store = Store(any_db)
    _report(store, "before", "Rita Moreno left Hooli for Globex.", "Rita Moreno", "Hooli", "Globex")
    add_watchlist(store, "globex", {"org": "Globex"}, webhook=receiver.url, email="scout@example.org")
    add_watchlist(store, "elsewhere", {"org": "Initech"})
    assert record_alerts(store) == 0  # what was stored before the watchlist is not news to it

    _report(store, "rumour", "Dana Whitfield may leave Acme for Globex, a rumour says.", "Dana Whitfield", "Acme",
            "Globex", "rumored")
    _report(store, "reported", "Dana Whitfield is leaving Acme for Globex, people said.", "Dana Whitfield", "Acme",
            "Globex", "reported")
    _report(store, "confirmed", "Globex confirmed that Dana Whitfield joined from Acme.", "Dana Whitfield", "Acme",
            "Globex")
    _report(store, "second", "Dana Whitfield has joined Globex from Acme, a second outlet says.", "Dana Whitfield",
            "Acme", "Globex")
    _report(store, "denial", "Globex denied that Priya Raman is joining from Initech.", "Priya Raman", "Initech",
            "Globex", "denied")
    _report(store, "unwatched", "Sam Okoye left Vandelay for Umbrella.", "Sam Okoye", "Vandelay", "Umbrella")
    assert record_alerts(store) == 5  # four for globex, and the denial for elsewhere too (it names Initech)
    assert record_alerts(store) == 0  # recorded once

    found = list_alerts(store, "globex")
    assert [(a["event"], a["summary"]) for a in reversed(found)] == [
        ("status_change", "Dana Whitfield left Acme for Globex (rumored -> reported)"),
        ("status_change", "Dana Whitfield left Acme for Globex (reported -> confirmed)"),
        ("new_source", "Dana Whitfield left Acme for Globex (a new source)"),
        ("denial", "denied: Priya Raman left Initech for Globex"),
    ]
    assert found[-1]["evidence"]["url"] == "https://news.example/reported"
    assert list_alerts(store, "elsewhere")[0]["event"] == "denial"  # the denial names Initech too

    report = deliver_pending(store, _channels(mailbox))
    assert (report.sent, report.failed) == (8, 0)
    assert receiver.attempts == 6 and receiver.bad_signatures == 0  # two 500s, retried with backoff
    assert sorted(d for d, _ in receiver.accepted) == sorted(f"{a['id']}-webhook" for a in found)
    assert len(mailbox.messages) == 4
    assert len({m["Message-ID"] for m in mailbox.messages}) == 4
    assert deliver_pending(store, _channels(mailbox)).sent == 0  # nothing twice
    assert all(a["deliveries"] == {"email": "sent", "webhook": "sent"} for a in list_alerts(store, "globex"))

    body = dict(receiver.accepted)[f"{found[0]['id']}-webhook"]
    assert body["event"] == "denial" and body["watchlist"] == "globex" and body["status"] == "denied"
    mail = next(m for m in mailbox.messages if "reported -> confirmed" in m["Subject"])
    text = mail.get_payload(decode=True).decode()
    assert "Globex confirmed that Dana Whitfield joined from Acme." in text
    assert "https://news.example/confirmed" in text and "http://127.0.0.1:8000/move/" in text


def test_a_wrong_secret_is_refused_by_the_receiver_and_the_delivery_waits(db: str, receiver: WebhookReceiver):
    store = Store(db)
    add_watchlist(store, "globex", {"org": "Globex"}, webhook=receiver.url)
    _report(store, "a", "Dana Whitfield left Acme for Globex.", "Dana Whitfield", "Acme", "Globex")
    record_alerts(store)
    wrong = _channels()
    wrong.webhook_secret = "not-the-secret"
    report = deliver_pending(store, wrong)
    assert report.failed == 1 and "HTTP 401" in report.errors[0] and receiver.bad_signatures == 3
    assert list_alerts(store)[0]["deliveries"] == {"webhook": "pending"}
    assert deliver_pending(store, _channels()).sent == 0  # not due yet: retried after a backoff


def test_a_webhook_to_a_private_address_is_refused_unless_allowed(db: str, receiver: WebhookReceiver):
    store = Store(db)
    add_watchlist(store, "globex", {"org": "Globex"}, webhook=receiver.url)
    _report(store, "a", "Dana Whitfield left Acme for Globex.", "Dana Whitfield", "Acme", "Globex")
    record_alerts(store)
    closed = _channels()
    closed.fetch = FetchPolicy(rate=0, timeout=2.0)
    report = deliver_pending(store, closed)
    assert report.failed == 1 and "refused: 127.0.0.1 is a private" in report.errors[0]
    assert receiver.attempts == 0


def test_e_mail_goes_over_starttls_with_a_login(db: str, tmp_path: Path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"scout", b"p@ss")
        return AuthResult(success=ok, handled=False)

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port(), tls_context=context, require_starttls=True,
                            authenticator=authenticator, auth_require_tls=True)
    controller.start()
    try:
        store = Store(db)
        add_watchlist(store, "globex", {"org": "Globex"}, email="scout@example.org")
        _report(store, "a", "Dana Whitfield left Acme for Globex.", "Dana Whitfield", "Acme", "Globex")
        record_alerts(store)
        channels = _channels()
        channels.smtp = SmtpServer.from_url(f"smtp+starttls://scout:p%40ss@127.0.0.1:{controller.port}?insecure=1")
        assert deliver_pending(store, channels).sent == 1
        assert box.messages[0]["To"] == "scout@example.org"
        _report(store, "b", "Dana Whitfield left Acme for Globex, again.", "Dana Whitfield", "Acme", "Globex")
        record_alerts(store)
        channels.smtp = SmtpServer.from_url(f"smtp+starttls://scout:wrong@127.0.0.1:{controller.port}?insecure=1")
        report = deliver_pending(store, channels)
        assert report.failed == 1 and "SMTPAuthenticationError" in report.errors[0]
    finally:
        controller.stop()


def _talentflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "talentflow.cli", *args]


ARTICLE = ("Title: Globex hires Acme's robotics chief\nPublished: 2025-06-03\n\n"
           "Dana Whitfield, the head of robotics at Acme Robotics, has left the company to join Globex, "
           "Globex said on Tuesday.\n")


def test_a_sigkill_between_recording_and_delivery_neither_loses_nor_duplicates(db: str, tmp_path: Path,
                                                                                 mailbox: Mailbox):
    hook = WebhookReceiver(hang_first=True)
    try:
        store = Store(db)
        add_watchlist(store, "globex", {"org": "Globex"}, webhook=hook.url, email="scout@example.org")
        add_watchlist(store, "acme", {"org": "Acme Robotics"}, webhook=hook.url, email="scout@example.org")
        article = tmp_path / "globex.txt"
        article.write_text(ARTICLE)
        env = {**os.environ, "TALENTFLOW_WEBHOOK_SECRET": SECRET, "TALENTFLOW_SMTP": mailbox.url}  # type: ignore[attr-defined]
        ingest = subprocess.run(_talentflow("ingest", str(article), "--db", db), capture_output=True, text=True,
                                env=env, timeout=120)
        assert ingest.returncode == 0 and "2 new alerts" in ingest.stdout  # recorded, not delivered
        assert hook.attempts == 0 and mailbox.messages == []

        sender = subprocess.Popen(_talentflow("alerts", "--send", "--allow-private", "127.0.0.1", "--db", db),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        assert hook.hanging.wait(60)  # the first webhook is in flight: one e-mail went before it
        sender.send_signal(signal.SIGKILL)
        sender.wait(30)
        hook.release.set()
        assert len(mailbox.messages) == 1 and hook.accepted == []

        resume = subprocess.run(_talentflow("alerts", "--send", "--allow-private", "127.0.0.1", "--db", db),
                                capture_output=True, text=True, env=env, timeout=120)
        assert resume.returncode == 0, resume.stderr
        assert "3 alerts delivered, 0 deliveries failed" in resume.stdout
        alerts = list_alerts(store)
        assert sorted(d for d, _ in hook.accepted) == sorted(f"{a['id']}-webhook" for a in alerts)  # once each
        assert sorted(m["Subject"] for m in mailbox.messages) == sorted(f"[talentflow] {a['summary']}" for a in alerts)
        again = subprocess.run(_talentflow("alerts", "--send", "--allow-private", "127.0.0.1", "--db", db),
                               capture_output=True, text=True, env=env, timeout=120)
        assert "0 alerts delivered" in again.stdout and len(mailbox.messages) == 2
    finally:
        hook.close()


def test_two_processes_recording_at_once_record_each_alert_once(any_db: str):
    db = any_db
    store = Store(db)
    add_watchlist(store, "all-globex", {"org": "Globex"})
    for n in range(30):
        _report(store, f"d{n}", f"Person Number{n} left Acme for Globex (story {n}).", f"Person Number{n}", "Acme",
                "Globex")
    counts: list[int] = []
    threads = [threading.Thread(target=lambda: counts.append(record_alerts(Store(db)))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 30 and len(list_alerts(store, limit=None)) == 30


def test_watchlists_from_a_query_a_person_and_a_cohort(db: str, tmp_path: Path):
    store = Store(db)
    _report(store, "old", "Noor Haddad left Initech for Globex.", "Noor Haddad", "Initech", "Globex")
    store.create_cohort("initech-team", "Initech", ["Noor Haddad", "Lee Park"])
    add_watchlist(store, "initech-exits", parse_query("moves --org Initech --kind left"))
    add_watchlist(store, "into-initech", parse_query("--org Initech --kind joined"))
    add_watchlist(store, "lee", {"person": "Lee Park"})
    add_watchlist(store, "team", {"cohort": "initech-team"})
    _report(store, "a", "Lee Park left Initech for Hooli.", "Lee Park", "Initech", "Hooli")
    _report(store, "b", "Ana Silva left Hooli for Initech.", "Ana Silva", "Hooli", "Initech")
    record_alerts(store)
    heard = {w.name: [a["person"] for a in list_alerts(store, w.name)] for w in list_watchlists(store)}
    assert heard == {"initech-exits": ["Lee Park"], "into-initech": ["Ana Silva"], "lee": ["Lee Park"],
                     "team": ["Lee Park"]}
    assert list_watchlists(store)[0].description == "--org Initech --kind left"


@pytest.mark.parametrize(("text", "message"), [
    ("moves --org Meta --kind arrived", "invalid choice"),
    ("moves --since 2025", "cannot use --since 2025"),
    ('moves --org "Meta', "No closing quotation"),
])
def test_a_bad_query_says_what_is_wrong(text: str, message: str):
    with pytest.raises(ValueError, match=message):
        parse_query(text)


def test_watchlist_commands_add_list_remove_and_refuse_bad_input(runner, db: str):
    from talentflow.cli import app

    ok = runner.invoke(app, ["watchlist", "add", "meta-exits", "--query", "moves --org Meta --kind left",
                             "--email", "me@example.org", "--db", db])
    assert ok.exit_code == 0 and "watchlist meta-exits: --org Meta --kind left (told by e-mail)" in ok.stdout
    for args, message in [
        (["watchlist", "add", "meta-exits", "--org", "Meta"], "a watchlist of that name exists"),
        (["watchlist", "add", "empty"], "give what to watch"),
        (["watchlist", "add", "c", "--cohort", "nobody"], "nobody: no such cohort"),
        (["watchlist", "add", "w", "--org", "Meta", "--webhook", "ftp://x"], "a webhook is an http(s) URL"),
        (["watchlist", "add", "e", "--org", "Meta", "--email", "not-an-address"], "not an e-mail address"),
        (["watchlist", "remove", "meta-exit"], "no such watchlist; did you mean meta-exits?"),
    ]:
        result = runner.invoke(app, [*args, "--db", db])
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    listed = runner.invoke(app, ["watchlist", "list", "--format", "jsonl", "--db", db])
    assert json.loads(listed.stdout)["filters"] == {"kind": "left", "org": "Meta"}
    assert runner.invoke(app, ["watchlist", "remove", "meta-exits", "--db", db]).exit_code == 0
    assert list_watchlists(Store(db)) == []


def test_the_alerts_command_lists_alerts_as_a_table_and_as_json_lines(runner, db: str):
    from talentflow.cli import app

    store = Store(db)
    add_watchlist(store, "globex", {"org": "Globex"})
    _report(store, "a", "Dana Whitfield left Acme for Globex.", "Dana Whitfield", "Acme", "Globex")
    record_alerts(store)
    table = runner.invoke(app, ["alerts", "--db", db], env={"COLUMNS": "200"})
    assert "Dana Whitfield left Acme for Globex" in table.stdout and "news.example/a" in table.stdout
    (line,) = runner.invoke(app, ["alerts", "--format", "jsonl", "--db", db]).stdout.splitlines()
    assert json.loads(line)["event"] == "new_move"


def test_the_digest_summarises_the_period_with_a_source_per_line(runner, db: str, mailbox: Mailbox):
    from talentflow.cli import app

    store = Store(db)
    _report(store, "a", "Dana Whitfield left Acme for Globex.", "Dana Whitfield", "Acme", "Globex")
    _report(store, "b", "Ana Silva left Globex for Acme.", "Ana Silva", "Globex", "Acme")
    _report(store, "c", "Lee Park left Acme for Globex.", "Lee Park", "Acme", "Globex")
    doc = _doc("Sam Okoye founded Quillwork.", "d")
    store.save(doc, [Claim(kind="founding", person="Sam Okoye", to_org="Quillwork", date=doc.published,
                           evidence=Evidence(doc.text, 0, len(doc.text)), doc=doc.label)])
    found = digest(store, timedelta(days=7))
    assert found["moves"] == 4 and found["net_flows"] == [{"from": "Acme", "to": "Globex", "net": 1}]
    text = digest_text(found)
    assert "  Globex: 2 joined, 1 left" in text and "Sam Okoye founded Quillwork [confirmed] (https://news.example/d)" \
        in text
    assert "    - Dana Whitfield left Acme for Globex [confirmed] (https://news.example/a)" in text
    add_watchlist(store, "founders", parse_query("moves --kind founded"))
    assert digest(store, timedelta(days=7), "founders")["moves"] == 1
    assert digest(store, timedelta(minutes=1) - timedelta(minutes=2))["moves"] == 0  # a window in the future
    printed = runner.invoke(app, ["digest", "--since", "7d", "--db", db], env={"COLUMNS": "200"})
    assert printed.exit_code == 0 and "4 new moves since" in printed.stdout
    assert runner.invoke(app, ["digest", "--since", "7 days", "--db", db]).exit_code != 0
    mailed = runner.invoke(app, ["digest", "--email", "desk@example.org", "--smtp", mailbox.url, "--db", db])  # type: ignore[attr-defined]
    assert mailed.exit_code == 0 and "Net flows" in mailbox.messages[0].get_payload(decode=True).decode()


def test_the_web_app_shows_edits_and_feeds_watchlists(db: str):
    import re

    store = Store(db)
    client = TestClient(create_app(store, token="tok"))
    assert client.post("/watchlists", data={"name": "globex", "org": "Globex"}).status_code == 401
    client.post("/signin", data={"token": "tok"})
    csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', client.get("/watchlists").text).group(1)
    assert client.post("/watchlists", data={"name": "globex", "org": "Globex"}).status_code == 403  # no CSRF token
    added = client.post("/watchlists", data={"name": "globex", "org": "Globex", "csrf": csrf},
                        follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/watchlists?done=globex"
    bad = client.post("/watchlists", data={"name": "x", "query_text": "moves --when now", "csrf": csrf})
    assert bad.status_code == 422 and "cannot use --when now" in bad.text
    api = client.post("/api/watchlists", json={"name": "hooli", "org": "Hooli"},
                      headers={"Authorization": "Bearer tok"})
    assert api.status_code == 201 and api.json()["filters"] == {"org": "Hooli"}
    assert client.post("/api/watchlists", json={"name": "x", "org": "Hooli"}).status_code == 401

    _report(store, "a", "Dana Whitfield left Acme for Globex.", "Dana Whitfield", "Acme", "Globex")
    record_alerts(store)
    page = client.get("/watchlists")
    assert "Dana Whitfield left Acme for Globex" in page.text and "--org Globex" in page.text
    feed = client.get("/watchlists/globex.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(feed.content)
    assert [e.title for e in parsed.entries] == ["Dana Whitfield left Acme for Globex"]
    assert "Dana Whitfield left Acme for Globex." in parsed.entries[0].summary
    assert client.get("/watchlists/nothing.atom").status_code == 404
    assert [a["summary"] for a in client.get("/api/alerts?watchlist=globex").json()] == [
        "Dana Whitfield left Acme for Globex"]
    assert client.delete("/api/watchlists/hooli", headers={"Authorization": "Bearer tok"}).status_code == 204
    removed = client.post("/watchlists/globex/remove", data={"csrf": csrf}, follow_redirects=False)
    assert removed.status_code == 303 and list_watchlists(store) == []
    with pytest.raises(NotFound):
        remove_watchlist(store, "globex")


def test_smtp_and_period_settings_are_checked():
    assert SmtpServer.from_url("smtps://a%40b:pw@mail.example") == SmtpServer("mail.example", 465, "ssl", "a@b", "pw")
    assert SmtpServer.from_url("smtp+starttls://mail.example").port == 587
    with pytest.raises(ValueError, match="smtp://, smtp\\+starttls:// or smtps://"):
        SmtpServer.from_url("http://mail.example")
    assert signature("k", b"{}") == "sha256=" + hmac.new(b"k", b"{}", hashlib.sha256).hexdigest()
