"""Real Chromium (Debian's) driven by Playwright, and a real HTTP server for built sites.

Flags come from REFERENCE.md ("Playwright"): without the background-networking flags
Chromium tries to reach Google's hosts, which this machine's closed network refuses.
"""

from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parents[1] / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve_directory(root: Path, port: int = 0):
    """Serve ``root`` on 127.0.0.1; yields the origin, e.g. http://127.0.0.1:41234."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def wsgi_site(root: Path, port: int = 0):
    """``root``/output as `inv serve` serves it: the inquiry receiver on /api/* (storing into
    ``root``/store), the build's security headers from ``root``/internal; yields the origin."""
    from pipeline.inquiry import build_receiver, make_app
    from pipeline.inquiry.wsgi import make_http_server
    from pipeline.sitepolicy.csp import served_headers

    receiver = build_receiver({"INQUIRY_STORE": str(root / "store"), "INQUIRY_MIN_FILL_SECONDS": 0})
    app = make_app(receiver, static_root=root / "output", headers=served_headers(root / "internal"))
    server = make_http_server(app, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@dataclass
class Visit:
    """What happened while a page loaded: console errors, page errors, hosts contacted."""

    console_errors: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)


def watch(page) -> Visit:
    visit = Visit()
    page.on("console", lambda msg: msg.type == "error" and visit.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: visit.console_errors.append(str(exc)))
    page.on("request", lambda req: visit.hosts.add(urlsplit(req.url).netloc or urlsplit(req.url).scheme))
    return visit


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the current page."""
    # Evaluated through DevTools, not added as a <script>: the site's Content-Security-Policy
    # (rightly) refuses an inline script it has no hash for.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
