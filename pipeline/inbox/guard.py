"""Who may use the inbox, and which requests it answers (pure functions over headers and keys).

- **Its own address only.** Every request's ``Host`` must be the address the inbox listens on
  (``127.0.0.1:8100`` or ``localhost:8100``): a page elsewhere that points a name of its own at
  127.0.0.1 (DNS rebinding) is answered 421 and reads nothing.
- **A key to open it.** ``inv inbox`` prints its address with a one-time key (as Jupyter does);
  opening it sets a session cookie (``HttpOnly``, ``SameSite=Strict``), so other programs and
  other users of the computer cannot read the inbox by knowing the port.
- **Changes only from its own pages.** A POST needs ``Origin`` equal to the inbox's own origin
  (and ``Sec-Fetch-Site: same-origin`` when the browser sends it) and the page's CSRF token: an
  HMAC of the session with the inbox's secret, so no other site can forge one (OWASP CSRF
  Prevention Cheat Sheet, "Signed Double-Submit Cookie").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie


def _mac(secret: bytes, label: str, value: str) -> str:
    digest = hmac.new(secret, f"{label}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


@dataclass(frozen=True)
class Guard:
    hosts: frozenset[str]  # Host header values the inbox answers: "127.0.0.1:8100", "localhost:8100"
    key: str  # the one in the address `inv inbox` prints
    secret: bytes
    cookie: str  # the session cookie's name (per port: cookies are shared across a host's ports)

    @classmethod
    def create(cls, host: str, port: int, key: str | None = None) -> Guard:
        names = {host}
        if host in ("127.0.0.1", "localhost", "::1"):
            names |= {"127.0.0.1", "localhost"}
        hosts = frozenset(f"{name}:{port}" if ":" not in name else f"[{name}]:{port}" for name in names)
        return cls(hosts, key or secrets.token_urlsafe(24), secrets.token_bytes(32), f"inbox-{port}")

    # --- where a request comes from ------------------------------------------------------------

    def host_ok(self, headers: Mapping[str, str]) -> bool:
        return headers.get("host", "").lower() in self.hosts

    def origin(self, headers: Mapping[str, str]) -> str:
        return f"http://{headers.get('host', '').lower()}"

    def same_origin_post(self, headers: Mapping[str, str]) -> bool:
        """A POST sent by one of the inbox's own pages (browsers send Origin with every POST)."""
        if headers.get("origin", "").lower() != self.origin(headers):
            return False
        return headers.get("sec-fetch-site", "same-origin") == "same-origin"

    # --- sessions and tokens ---------------------------------------------------------------------

    def key_ok(self, given: str) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.key.encode())

    def new_session(self) -> str:
        session = secrets.token_urlsafe(18)
        return f"{session}.{_mac(self.secret, 'session', session)}"

    def session(self, headers: Mapping[str, str]) -> str | None:
        """The valid session the request's cookie carries, or None."""
        try:
            jar = SimpleCookie(headers.get("cookie", ""))
        except CookieError:
            return None
        morsel = jar.get(self.cookie)
        if morsel is None:
            return None
        session, _, mac = morsel.value.partition(".")
        if session and hmac.compare_digest(mac.encode(), _mac(self.secret, "session", session).encode()):
            return session
        return None

    def set_cookie(self, value: str) -> tuple[str, str]:
        return ("Set-Cookie", f"{self.cookie}={value}; Path=/; HttpOnly; SameSite=Strict")

    def csrf(self, session: str) -> str:
        return _mac(self.secret, "csrf", session)

    def csrf_ok(self, session: str, token: str) -> bool:
        return bool(token) and hmac.compare_digest(token.encode(), self.csrf(session).encode())


# Every page: nothing from anywhere else, no inline script or style, no framing, forms to itself.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    # Not "no-referrer": a form of its own would then be sent with "Origin: null" (Fetch standard).
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    ("Cache-Control", "no-store"),
)


def headers(extra: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    return [*HEADERS, *extra]
