"""Inquiry receiver fixtures: a receiver over a real folder, served by wsgiref on a free port."""

from __future__ import annotations

import http.client
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from pipeline.inquiry import build_receiver, make_app
from pipeline.inquiry.fields import hidden_fields
from pipeline.inquiry.wsgi import make_http_server

# A complete, valid submission as a browser with the script would send it: every hidden field the
# form carries (empty unless the visit filled it), the fields typed, and the fill time measured.
VALID = {
    **dict.fromkeys(hidden_fields(), ""),
    "name": "Jane Doe",
    "email": "Jane.Doe@Example.COM",
    "phone": "(212) 555-0123",
    "preferred_location": "Harbor District",
    "interest": "Consultation",
    "message": "I'd like to book a consultation.\nMornings work best.",
    "contact_method": "phone",
    "consent_contact": "on",
    "form": "contact",
    "form_page": "/contact/",
    "fill_ms": "8000",
    "website": "",
    "ft_utm_source": "google",
    "ft_utm_campaign": "spring",
    "ft_gclid": "AbC-123_xYz",
    "ft_landing_page": "/?utm_source=google&utm_campaign=spring&gclid=AbC-123_xYz",
    "ft_timestamp": "2026-10-01T09:30:00.000Z",
    "lt_utm_source": "newsletter",
    "lt_utm_campaign": "November",
    "lt_landing_page": "/specials/",
    "lt_referrer": "https://mail.example.net/",
    "lt_timestamp": "2026-11-02T18:00:00.000Z",
}


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body)


def request(
    url: str, method: str = "POST", body: bytes | dict | None = None, headers: dict | None = None
) -> Reply:
    """One HTTP request, redirects not followed."""
    parts = urlsplit(url)
    headers = dict(headers or {})
    if isinstance(body, dict):
        if headers.get("Content-Type", "").startswith("application/json"):
            body = json.dumps(body).encode()
        else:
            body = urlencode(body).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    try:
        conn.request(
            method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body, headers=headers
        )
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


@contextmanager
def running(app):
    """Serve a WSGI app on 127.0.0.1 with a free port; yields its origin."""
    server = make_http_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def stored(root: Path, kind: str = "inquiries") -> list[dict]:
    """Every record in a local store, parsed (a partial file would fail here)."""
    return [json.loads(p.read_text("utf-8")) for p in sorted((root / kind).glob("*/*/*/*.json"))]


def leftovers(root: Path) -> list[Path]:
    """Temporary files a write left behind."""
    return [p for p in root.rglob(".tmp-*")]


@pytest.fixture
def site(tmp_path):
    """A tiny built site to serve beside the receiver."""
    out = tmp_path / "output"
    (out / "contact").mkdir(parents=True)
    (out / "index.html").write_text("<!doctype html><title>Home</title>", "utf-8")
    (out / "contact" / "index.html").write_text("<!doctype html><title>Contact</title>", "utf-8")
    (out / "404.html").write_text("<!doctype html><title>Not found</title>", "utf-8")
    (tmp_path / "secret.txt").write_text("outside the site", "utf-8")
    return out


@pytest.fixture
def serve_receiver(tmp_path, site):
    """Start receiver + site over HTTP: ``with serve_receiver(**settings) as (origin, store_root):``."""

    @contextmanager
    def start(**settings):
        store_root = tmp_path / "store"
        settings.setdefault("INQUIRY_STORE", str(store_root))
        receiver = build_receiver(settings)
        with running(make_app(receiver, static_root=site)) as origin:
            yield origin, store_root

    return start
