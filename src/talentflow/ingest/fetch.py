"""Fetching pages and feeds over HTTP(S), politely and safely.

Every request has a timeout, a size cap, a content-type check and a clear User-Agent; redirects are
followed by hand, at most ``max_redirects`` of them, so that each hop is checked again, and the whole
fetch has a deadline however slowly a server sends. Requests to one host are spaced by ``1 / rate``
seconds. Hosts that resolve to private, loopback, link-local or otherwise reserved addresses are
refused unless named in ``allow_private`` (``host`` or ``host:port``): a talentflow server must not
become a way into the network it runs in. The address that was checked is the one connected to
(the name is not resolved twice), so DNS rebinding cannot swap a public address for a private one.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from talentflow import __version__
from talentflow.ingest.html import parse_html
from talentflow.ingest.text import IngestError, decode_bytes, megabytes, parse_article
from talentflow.models import Document

USER_AGENT = f"talentflow/{__version__} (news ingest for a self-hosted talent-moves database)"
HTML_TYPES = {"text/html", "application/xhtml+xml"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
              "application/x-rss+xml", "application/feed+xml"}
TEXT_TYPES = {"text/plain", "text/markdown"}
ACCEPTED_TYPES = HTML_TYPES | FEED_TYPES | TEXT_TYPES


@dataclass(frozen=True)
class FetchPolicy:
    timeout: float = 20.0  # seconds to connect, and between bytes read
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    rate: float = 1.0  # requests per second to one host
    # Hosts (``name`` or ``name:port``) that may resolve to private addresses: the user's own servers.
    allow_private: tuple[str, ...] = ()
    deadline: float = 60.0  # seconds for one whole fetch, redirects included

    def allows_private(self, host: str, port: int) -> bool:
        host = host.lower().strip("[]")
        return any(entry.lower().strip("[]") in (host, f"{host}:{port}") or entry.lower() == f"[{host}]:{port}"
                   for entry in self.allow_private)


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str  # without parameters, lower case
    charset: str | None
    body: bytes
    # The validators of the answer, for a conditional request next time (``talentflow watch``).
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # 304: nothing changed since the validators sent


@dataclass(frozen=True)
class Validators:
    """What a conditional request sends: the page is fetched only if it changed since."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        found = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {k: v for k, v in found.items() if v}


@dataclass
class Fetcher:
    """One HTTP client for a whole ingest run (connections are reused), with its per-host clock."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    _last: dict[str, float] = field(default_factory=dict)
    _client: httpx.Client | None = None

    def fetch(self, url: str, label: str | None = None, validators: Validators | None = None) -> Fetched | IngestError:
        """The page at ``url`` (after redirects), or why not. With ``validators``, a server that has
        nothing new answers 304 and the result says ``not_modified``."""
        label = label or url
        seen: list[str] = []
        current = url
        deadline = time.monotonic() + self.policy.deadline
        while True:
            checked = self._check(current)
            if isinstance(checked, str):
                return IngestError(label, checked)
            seen.append(current)
            try:
                result = self._request(current, checked, deadline, validators)
            except httpx.TimeoutException:
                return IngestError(label, f"timed out after {self.policy.timeout:g} s")
            except _DeadlinePassed:
                return IngestError(label, f"gave up after {self.policy.deadline:g} s (the server sends too slowly)")
            except httpx.ConnectError as exc:
                return IngestError(label, f"cannot connect: {_reason(exc)}")
            except httpx.HTTPError as exc:
                return IngestError(label, f"request failed: {_reason(exc)}")
            if isinstance(result, Fetched):
                return result
            if not isinstance(result, _Redirect):
                return IngestError(label, result)
            next_url = str(result)
            if next_url in seen:
                return IngestError(label, f"redirect loop ({' -> '.join([*seen, next_url])})")
            if len(seen) > self.policy.max_redirects:
                return IngestError(label, f"too many redirects (more than {self.policy.max_redirects})")
            current = next_url

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> str | None:
        """POST ``body`` to ``url`` under the same address checks as a fetch (a webhook must not
        reach the private network either); None when the server answered 2xx, else why not.
        Redirects are not followed: a webhook that moved is a failure to fix, not to guess."""
        checked = self._check(url)
        if isinstance(checked, str):
            return checked
        try:
            request = self._pinned(url, checked, time.monotonic() + self.policy.deadline, "POST", headers, body)
            response = self._client_for().send(request)
        except _DeadlinePassed:
            return f"gave up after {self.policy.deadline:g} s"
        except httpx.TimeoutException:
            return f"timed out after {self.policy.timeout:g} s"
        except httpx.HTTPError as exc:
            return f"request failed: {_reason(exc)}"
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code} {response.reason_phrase}".rstrip()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- one hop ----------------------------------------------------------------------------

    def _check(self, url: str) -> str | ipaddress.IPv4Address | ipaddress.IPv6Address:
        """The address to connect to for this URL, or why it must not be fetched. Every address the
        name resolves to is checked, and the first is the one used."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"only http and https URLs can be fetched, not {parts.scheme or 'a bare path'}"
        try:
            host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return "URL has an invalid port"
        if not host:
            return "URL has no host"
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError) as exc:
            return f"cannot resolve host {host} ({getattr(exc, 'strerror', None) or exc})"
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        if not addresses:
            return f"cannot resolve host {host}"
        if not self.policy.allows_private(host, port):
            for address in addresses:
                if not address.is_global:
                    return (f"refused: {host} is a private, loopback or reserved address ({address}); "
                            f"use --allow-private {host}:{port} to fetch from your own network")
        return addresses[0]

    def _client_for(self) -> httpx.Client:
        self._client = self._client or httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept": "text/html, application/xhtml+xml, application/rss+xml, "
                     "application/atom+xml, application/xml;q=0.9, text/plain;q=0.8"},
            timeout=self.policy.timeout, follow_redirects=False,
        )
        return self._client

    def _pinned(self, url: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address, deadline: float,
                method: str = "GET", headers: dict[str, str] | None = None, body: bytes | None = None) -> httpx.Request:
        """A request to the address checked, naming the host in the Host header and in TLS (SNI
        and certificate), after this host's turn in the rate limit."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        self._wait_turn(host)
        literal = f"[{address}]" if address.version == 6 else str(address)
        pinned = parts._replace(netloc=f"{literal}:{parts.port}" if parts.port else literal).geturl()
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _DeadlinePassed
        return self._client_for().build_request(
            method, pinned, headers={**(headers or {}), "Host": parts.netloc.rsplit("@", 1)[-1]}, content=body,
            extensions={"sni_hostname": host, "timeout": httpx.Timeout(min(self.policy.timeout, remaining)).as_dict()})

    def _request(self, url: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address,
                 deadline: float, validators: Validators | None = None) -> Fetched | str:
        """The page, a redirect target (a ``_Redirect``), or why not (a plain ``str``)."""
        request = self._pinned(url, address, deadline, headers=validators.headers() if validators else None)
        response = self._client_for().send(request, stream=True)
        try:
            if response.status_code == 304 and validators is not None:
                return Fetched(url, "", None, b"", validators.etag, validators.last_modified, not_modified=True)
            if response.is_redirect:
                location = response.headers.get("location")
                if not location:
                    return f"HTTP {response.status_code} redirect without a Location"
                return _Redirect(urljoin(url, location))
            if response.status_code >= 400:
                return f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
            content_type, _, params = response.headers.get("content-type", "").partition(";")
            content_type = content_type.strip().lower()
            if content_type and content_type not in ACCEPTED_TYPES:
                return f"unsupported content type {content_type} (expected a web page, a feed or text)"
            declared = response.headers.get("content-length")
            too_large = f"response too large (the limit is {megabytes(self.policy.max_bytes)})"
            if declared and declared.isdigit() and int(declared) > self.policy.max_bytes:
                return too_large
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.policy.max_bytes:
                    return too_large
                if time.monotonic() > deadline:
                    raise _DeadlinePassed
            charset = next((p.split("=", 1)[1].strip().strip('"') for p in params.split(";")
                            if p.strip().lower().startswith("charset=")), None)
            return Fetched(url=url, content_type=content_type, charset=charset, body=bytes(body),
                           etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"))
        finally:
            response.close()

    def _wait_turn(self, host: str) -> None:
        if self.policy.rate <= 0:
            return
        wait = self._last.get(host, 0.0) + 1 / self.policy.rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last[host] = time.monotonic()


class _Redirect(str):
    """A redirect target, told apart from an error message by its type."""


class _DeadlinePassed(Exception):
    """The whole fetch took longer than the policy's deadline."""


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0]


def document_from_fetched(fetched: Fetched, label: str, title: str | None = None,
                          published: str | None = None) -> Document | IngestError:
    """The article in a fetched page or text (a feed is read by ``feeds.read_feed`` instead)."""
    if fetched.content_type in TEXT_TYPES:
        text = decode_bytes(fetched.body, label, fetched.charset)
        if isinstance(text, IngestError):
            return text
        document = parse_article(text, label)
        if isinstance(document, Document) and document.url is None:
            document = dataclasses.replace(document, url=fetched.url, title=document.title or title,
                                           published=document.published or published)
        return document
    if fetched.content_type in FEED_TYPES:
        return IngestError(label, f"expected an article, got a feed ({fetched.content_type})")
    page: bytes | str = fetched.body
    if fetched.charset:  # the server's word on the encoding beats guessing from the bytes
        try:
            page = fetched.body.decode(fetched.charset)
        except (LookupError, UnicodeDecodeError):
            page = fetched.body
    return parse_html(page, label, url=fetched.url, published=published, title=title)
