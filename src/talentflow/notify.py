"""Telling people: the channels alerts go out on, and the Atom feed of a watchlist.

Each channel is a small sender registered by name in ``SENDERS`` (``webhook``, ``email``): it gets
one alert and answers None when it was delivered, else why not. ``deliver_pending`` sends every
pending delivery, retrying a failing one with backoff, and records each outcome, so that a crash or
a stopped process resumes exactly what was not sent. A delivery carries a stable id (the webhook's
``X-Talentflow-Delivery`` header, the e-mail's Message-ID) by which a receiver can tell a repeat
in the one case a repeat is possible: a crash after the receiver took it and before it was recorded.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import select, update

from talentflow.alerts import get_watchlist, list_alerts, now_iso
from talentflow.ingest.fetch import Fetcher, FetchPolicy
from talentflow.registry import registrar
from talentflow.schema import alert_deliveries, alerts
from talentflow.store import Store

WEBHOOK_SECRET_ENV = "TALENTFLOW_WEBHOOK_SECRET"
SMTP_ENV = "TALENTFLOW_SMTP"
MAIL_FROM_ENV = "TALENTFLOW_MAIL_FROM"
SIGNATURE_HEADER = "X-Talentflow-Signature"
MAX_ATTEMPTS = 12  # then a delivery is given up on ("failed"); `alerts send --retry-failed` tries again
RETRY_AFTER = 60.0  # seconds before a delivery that failed all its tries is tried again, doubling


@dataclass(frozen=True)
class SmtpServer:
    """Where e-mail goes: ``smtp://user:password@host:25``, ``smtp+starttls://...:587`` or
    ``smtps://...:465`` (user and password optional, URL-quoted)."""

    host: str
    port: int
    security: str  # plain | starttls | ssl
    user: str | None = None
    password: str | None = None
    insecure: bool = False  # accept any certificate (a test server of your own): ?insecure=1

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        security = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "ssl"}.get(parts.scheme)
        if security is None or not parts.hostname:
            raise ValueError(f"{parts.scheme or url}: an SMTP server is smtp://, smtp+starttls:// or smtps://HOST[:PORT]")
        default = {"plain": 25, "starttls": 587, "ssl": 465}[security]
        query = parse_qs(parts.query)
        return cls(parts.hostname, parts.port or default, security,
                   unquote(parts.username) if parts.username else None,
                   unquote(parts.password) if parts.password else None,
                   query.get("insecure", ["0"])[0] in ("1", "true", "yes"))


@dataclass
class Channels:
    """How alerts are sent: the webhook secret, the SMTP server, and how hard to try."""

    webhook_secret: str | None = None
    smtp: SmtpServer | None = None
    mail_from: str = "talentflow@localhost"
    fetch: FetchPolicy = field(default_factory=FetchPolicy)  # webhooks: private addresses only when allowed
    tries: int = 3  # attempts in one round, spaced by backoff * 2**n seconds
    backoff: float = 1.0
    base_url: str | None = None  # the web app, for links to the move page
    _fetcher: Fetcher | None = None

    @property
    def fetcher(self) -> Fetcher:
        self._fetcher = self._fetcher or Fetcher(self.fetch)
        return self._fetcher


Sender = Callable[[Channels, str, dict[str, Any]], str | None]
SENDERS: dict[str, Sender] = {}
sender = registrar(SENDERS)


def signature(secret: str, body: bytes) -> str:
    """The webhook signature header's value: HMAC-SHA256 of the exact body, hex, "sha256=" first."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_body(alert: dict[str, Any]) -> bytes:
    return json.dumps(alert, sort_keys=True, ensure_ascii=False).encode()


@sender("webhook")
def send_webhook(channels: Channels, target: str, alert: dict[str, Any]) -> str | None:
    """A JSON POST, signed with the shared secret (``X-Talentflow-Signature: sha256=...``)."""
    if not channels.webhook_secret:
        return f"no webhook secret: set ${WEBHOOK_SECRET_ENV} or --webhook-secret"
    body = webhook_body(alert)
    return channels.fetcher.post(target, body, {
        "Content-Type": "application/json", SIGNATURE_HEADER: signature(channels.webhook_secret, body),
        "X-Talentflow-Event": str(alert["event"]), "X-Talentflow-Delivery": f"{alert['id']}-webhook"})


def email_message(channels: Channels, target: str, alert: dict[str, Any]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"[talentflow] {alert['summary']}"
    message["From"] = channels.mail_from
    message["To"] = target
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = f"<talentflow-alert-{alert['id']}@{channels.mail_from.rpartition('@')[2] or 'localhost'}>"
    evidence = alert["evidence"]
    lines = [
        alert["summary"],
        "",
        f"Status: {alert['status']}" + (f" ({alert['change']})" if alert.get("change") else ""),
        f"Date: {alert['date'] or 'not known'}",
        f"Watchlist: {alert['watchlist']} ({alert['event'].replace('_', ' ')})",
        "",
        f"  \u201c{evidence['text']}\u201d",
        "",
        f"Source: {evidence['title'] or evidence['document']}" + (f" <{evidence['url']}>" if evidence["url"] else ""),
    ]
    if evidence.get("published"):
        lines.append(f"Published: {evidence['published']}")
    if channels.base_url and alert.get("move_id"):
        lines.append(f"Move: {channels.base_url.rstrip('/')}/move/{alert['move_id']}")
    message.set_content("\n".join(lines) + "\n", cte="quoted-printable")  # readable as sent
    return message


@sender("email")
def send_email(channels: Channels, target: str, alert: dict[str, Any]) -> str | None:
    """A plain-text e-mail over SMTP (STARTTLS or TLS and a login when the server URL says so)."""
    if channels.smtp is None:
        return f"no SMTP server: set ${SMTP_ENV} or --smtp"
    return _smtp_send(channels, email_message(channels, target, alert))


def _smtp_send(channels: Channels, message: EmailMessage) -> str | None:
    server = channels.smtp
    assert server is not None
    context = ssl.create_default_context()
    if server.insecure:
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    timeout = channels.fetch.timeout
    try:
        client: smtplib.SMTP = (
            smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
            if server.security == "ssl" else smtplib.SMTP(server.host, server.port, timeout=timeout))
        with client:
            if server.security == "starttls":
                client.starttls(context=context)
            if server.user:
                client.login(server.user, server.password or "")
            client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else ""
        return f"SMTP {server.host}:{server.port}: {type(exc).__name__}: {reason}"
    return None


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0  # failed this round (tried again later, or given up)
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"{self.sent} alerts delivered, {self.failed} deliveries failed"


def deliver_pending(store: Store, channels: Channels, retry_failed: bool = False) -> DeliveryReport:
    """Send every delivery that is pending and due, oldest alert first, and record each outcome."""
    report = DeliveryReport()
    now = time.time()
    states = ["pending", "failed"] if retry_failed else ["pending"]
    with store.engine.connect() as conn:
        due = conn.execute(select(alert_deliveries.c.alert_id, alert_deliveries.c.channel, alert_deliveries.c.target,
                                  alert_deliveries.c.attempts)
                           .where(alert_deliveries.c.state.in_(states), alert_deliveries.c.next_attempt <= now)
                           .order_by(alert_deliveries.c.alert_id, alert_deliveries.c.channel)).all()
    alerts_by_id = {}
    for row in due:
        if row.alert_id not in alerts_by_id:
            alerts_by_id[row.alert_id] = _alert(store, row.alert_id)
        alert = alerts_by_id[row.alert_id]
        error = None
        for attempt in range(max(channels.tries, 1)):
            if attempt:
                time.sleep(channels.backoff * 2 ** (attempt - 1))
            error = SENDERS[row.channel](channels, row.target, alert)
            if error is None:
                break
        attempts = row.attempts + 1
        key = (alert_deliveries.c.alert_id == row.alert_id) & (alert_deliveries.c.channel == row.channel)
        with store.engine.begin() as conn:
            if error is None:
                conn.execute(update(alert_deliveries).where(key).values(
                    state="sent", attempts=attempts, sent_at=now_iso(), last_error=None))
                report.sent += 1
                continue
            given_up = attempts >= MAX_ATTEMPTS
            conn.execute(update(alert_deliveries).where(key).values(
                state="failed" if given_up else "pending", attempts=attempts, last_error=error,
                next_attempt=time.time() + RETRY_AFTER * 2 ** min(attempts - 1, 10)))
        report.failed += 1
        report.errors.append(f"alert {row.alert_id} by {row.channel} to {row.target}: {error}"
                             + (" (given up)" if given_up else ""))
    return report


def _alert(store: Store, alert_id: int) -> dict[str, Any]:
    with store.engine.connect() as conn:
        row = conn.execute(select(alerts.c.payload, alerts.c.created_at).where(alerts.c.id == alert_id)).one()
    return {"id": alert_id, "created_at": row.created_at, **json.loads(row.payload)}


def atom_feed(store: Store, name: str, base_url: str) -> bytes:
    """A watchlist's alerts as an Atom feed (newest 100), each entry with its sentence and source."""
    from feedgen.feed import FeedGenerator

    watchlist = get_watchlist(store, name)
    base = base_url.rstrip("/")
    feed = FeedGenerator()
    feed.id(f"{base}/watchlists/{watchlist.name}")
    feed.title(f"talentflow: {watchlist.name}")
    feed.subtitle(f"Talent moves matching {watchlist.description}")
    feed.link(href=f"{base}/watchlists/{watchlist.name}.atom", rel="self")
    feed.link(href=f"{base}/watchlists", rel="alternate")
    feed.author({"name": "talentflow"})
    found = list_alerts(store, watchlist.name, limit=100)
    feed.updated(found[0]["created_at"] if found else watchlist.created_at)
    for alert in reversed(found):  # feedgen puts the last added first
        entry = feed.add_entry()
        entry.id(f"{base}/watchlists/{watchlist.name}/alerts/{alert['id']}")
        entry.title(alert["summary"])
        entry.updated(alert["created_at"])
        evidence = alert["evidence"]
        source = evidence["title"] or evidence["document"]
        entry.summary(f"\u201c{evidence['text']}\u201d ({alert['status']}; source: {source})")
        if alert.get("move_id"):
            entry.link(href=f"{base}/move/{alert['move_id']}", rel="alternate")
        if evidence["url"]:
            entry.link(href=evidence["url"], rel="related")
    result: bytes = feed.atom_str(pretty=True)
    return result


def send_digest(channels: Channels, target: str, found: dict[str, Any]) -> str | None:
    """Mail a digest (``alerts.digest``); None when sent, else why not."""
    from talentflow.alerts import digest_text

    if channels.smtp is None:
        return f"no SMTP server: set ${SMTP_ENV} or --smtp"
    message = EmailMessage()
    scope = f" ({found['watchlist']})" if found["watchlist"] else ""
    message["Subject"] = f"[talentflow] digest{scope}: {found['moves']} new moves"
    message["From"], message["To"], message["Date"] = channels.mail_from, target, formatdate(localtime=False)
    message.set_content(digest_text(found), cte="quoted-printable")
    return _smtp_send(channels, message)
