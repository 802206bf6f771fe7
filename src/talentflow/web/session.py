"""Who may write through the web app: the server's token, given once.

The API takes the token as ``Authorization: Bearer TOKEN`` on every write. The pages have a
sign-in form instead: it sets an HttpOnly, SameSite=Strict cookie holding a random nonce and its
HMAC under the token (nothing to store on the server, valid in every worker, void when the token
changes), and every form carries a CSRF token derived from that nonce, so that a page elsewhere
can neither read nor forge a write.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import HTTPException, Request
from fastapi.responses import Response

TOKEN_ENV = "TALENTFLOW_TOKEN"
COOKIE = "talentflow_session"
SESSION_SECONDS = 12 * 3600


def check_token(expected: str | None, given: str | None) -> None:
    """The HTTP error of a write with this token, if any (403 when writing is off)."""
    if expected is None:
        raise HTTPException(403, f"writing is disabled: start the server with {TOKEN_ENV} set")
    if not given:
        raise HTTPException(401, "a token is needed to write", headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(403, "wrong token")


@dataclass(frozen=True)
class Sessions:
    token: str | None

    @property
    def writable(self) -> bool:
        return self.token is not None

    def _sign(self, purpose: str, nonce: str) -> str:
        assert self.token is not None
        return hmac.new(self.token.encode(), f"{purpose}:{nonce}".encode(), hashlib.sha256).hexdigest()

    def sign_in(self, response: Response, given: str | None, secure: bool) -> None:
        """Check the token and set the session cookie (HTTPException when the token is wrong)."""
        check_token(self.token, given)
        nonce = secrets.token_urlsafe(18)
        response.set_cookie(COOKIE, f"{nonce}.{self._sign('session', nonce)}", max_age=SESSION_SECONDS,
                            httponly=True, samesite="strict", secure=secure, path="/")

    @staticmethod
    def sign_out(response: Response) -> None:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")

    def nonce(self, request: Request) -> str | None:
        """The nonce of a valid session cookie, else None."""
        if self.token is None:
            return None
        nonce, _, signature = request.cookies.get(COOKIE, "").partition(".")
        if nonce and hmac.compare_digest(signature.encode(), self._sign("session", nonce).encode()):
            return nonce
        return None

    def csrf(self, request: Request) -> str | None:
        """The CSRF token the forms of a signed-in page carry."""
        nonce = self.nonce(request)
        return self._sign("csrf", nonce) if nonce else None

    def require(self, request: Request, csrf: str | None) -> None:
        """A form write: signed in, with this session's CSRF token (HTTPException otherwise)."""
        if self.token is None:
            check_token(None, None)
        expected = self.csrf(request)
        if expected is None:
            raise HTTPException(401, "sign in first: writing needs the server's token")
        if not csrf or not hmac.compare_digest(csrf.encode(), expected.encode()):
            raise HTTPException(403, "the form is stale or came from another site (CSRF token mismatch): reload it")
