"""The browser enforces the site policy: every attack of tests/support/attacks.py, injected into a
built page after the build (so the build's checks are bypassed), contacts no other host in real
Chromium, and no form submission leaves the site.

The "other host" is a second local HTTP server: Chromium resolves every ``*.example`` name to
127.0.0.1 (``--host-resolver-rules``), so ``evil.example:PORT`` and its IDN twin reach it, and a
leak would be seen twice: as a request in the browser, and in that server's log. A control link
the visitor clicks proves the observation works. The pages are served twice: by the WSGI app of
`inv serve` (the CSP response header and each page's ``<meta>``, as CloudFront sends them), and by
a plain file server (the ``<meta>`` alone, as on any host).
"""

from __future__ import annotations

import http.server
import json
import re
import socket
import threading
from contextlib import contextmanager, suppress
from urllib.parse import urlsplit

import pytest

from tests.support.attacks import ATTACKS
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, serve_directory, wsgi_site
from tests.support.sitefactory import SiteFactory

pytestmark = pytest.mark.browser

IDN = "еvil.example"  # Cyrillic "е": xn--vil-...
# Why Chromium refused a request before sending it: the Content-Security-Policy, or its same-origin
# rule for SVG resource documents (<use href>, filter: url()). Any other failure counts as a leak.
BLOCKED = {"csp", "origin"}
SLOW = {"meta-refresh", "meta-refresh-space", "meta-refresh-quoted", "meta-refresh-entities"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Recorder(http.server.BaseHTTPRequestHandler):
    """The third party: answers everything, remembers every request."""

    hits: list[str] = []

    def _answer(self) -> None:
        type(self).hits.append(f"{self.command} {self.headers.get('Host')}{self.path}")
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        # (An icon of its own: the browser asks no /favicon.ico after the control link's visit.)
        self.wfile.write(
            b'<!doctype html><link rel="icon" href="data:,"><title>third party</title><p>third party'
        )

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args) -> None:
        pass


@contextmanager
def third_party():
    port = _free_port()
    handler = type("Recorder", (_Recorder,), {"hits": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port, handler.hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """A built site, then, after the build, one copy of its contact page per attack."""
    root = tmp_path_factory.mktemp("csp-attacks")
    site = SiteFactory(root).write_all()
    site.build(INQUIRY_MIN_FILL_SECONDS=0)  # SITEURL "": the same pages serve from any origin
    with third_party() as (port, hits):
        evil = f"evil.example:{port}"
        contact = (site.output / "contact" / "index.html").read_text()
        for attack in ATTACKS:
            snippet = f'<div id="attack">{attack.render(evil, f"{IDN}:{port}")}</div>'
            folder = site.output / "attacks" / attack.id
            folder.mkdir(parents=True)
            (folder / "index.html").write_text(contact.replace("</main>", snippet + "</main>", 1))
        control = f'<div id="attack"><a id="control" href="http://{evil}/control">Another site</a></div>'
        (site.output / "control.html").write_text(contact.replace("</main>", control + "</main>", 1))
        yield root, evil, hits


@pytest.fixture(scope="module")
def browser(chromium):
    """Chromium with every *.example host resolving to this machine (the third party's server)."""
    args = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP *.example 127.0.0.1"]
    instance = chromium.browser_type.launch(executable_path=CHROMIUM, args=args, headless=True)
    yield instance
    instance.close()


class _Watch:
    """Every request a browser context makes to another host, less those the policy blocked."""

    def __init__(self, context, origin: str):
        self.own = urlsplit(origin).netloc
        self.requests: list = []
        self.blocked: set = set()
        context.on("request", lambda r: self.requests.append(r))
        context.on("requestfailed", lambda r: (r.failure or "").lower() in BLOCKED and self.blocked.add(r))

    def leaks(self) -> list[str]:
        return [
            r.url
            for r in self.requests
            if r not in self.blocked
            and urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(r.url).netloc != self.own
        ]

    def clear(self) -> None:
        self.requests.clear()
        self.blocked.clear()


def _visit(page, origin: str, path: str, attack_id: str = "") -> None:
    """Open the page, fill the inquiry form, press every button the attack added."""
    # (A page whose meta refresh site.js cancels, with window.stop(), never fires "load".)
    page.goto(origin + path, wait_until="commit")
    with suppress(Exception):
        page.wait_for_load_state("load", timeout=1500)
    page.wait_for_timeout(1200 if attack_id in SLOW else 150)
    buttons = page.locator("#attack button, #attack input[type=submit], #attack input[type=image]")
    count = buttons.count() if page.url.startswith(origin) else 0
    if count and page.locator("#inquiry-form-name").count():
        page.fill("#inquiry-form-name", "Jane Doe")
        page.fill("#inquiry-form-email", "jane@example.com")
        page.check("#inquiry-form-consent")
    for index in range(count):
        try:
            buttons.nth(index).click(timeout=2000, no_wait_after=True)
        except Exception:
            continue
        page.wait_for_timeout(300)


def _attack_all(browser, origin: str, attacks, hits: list[str], javascript: bool = True) -> dict:
    context = browser.new_context(java_script_enabled=javascript)
    watch = _Watch(context, origin)
    leaks = {}
    try:
        page = context.new_page()
        for attack in attacks:
            _visit(page, origin, f"/attacks/{attack.id}/", attack.id)
            if watch.leaks() or hits:
                leaks[attack.id] = watch.leaks() + list(hits)
            watch.clear()
            hits.clear()
    finally:
        context.close()
    return leaks


@pytest.mark.parametrize("server", ["inv serve (header and meta)", "any host (meta only)"])
def test_no_injected_attack_reaches_another_host(attacked, browser, server):
    root, evil, hits = attacked
    serving = wsgi_site(root) if server.startswith("inv serve") else serve_directory(root / "output")
    with serving as origin:
        # The control: a link the visitor clicks does reach the other host, so a leak would show.
        context = browser.new_context()
        page = context.new_page()
        page.goto(origin + "/control.html")
        page.click("#control")
        page.wait_for_url(re.compile(r".*/control$"))
        page.wait_for_timeout(300)
        context.close()
        assert any(hit.endswith("/control") for hit in hits), hits
        hits.clear()

        leaks = _attack_all(browser, origin, ATTACKS, hits)
    assert leaks == {}


def test_without_javascript_no_form_is_sent_elsewhere(attacked, browser):
    """Native form submissions (no script to intercept them): the policy's form-action holds."""
    root, evil, hits = attacked
    forms = [a for a in ATTACKS if "form" in a.id or "button" in a.html]
    assert len(forms) >= 4
    with wsgi_site(root) as origin:
        leaks = _attack_all(browser, origin, forms, hits, javascript=False)
    assert leaks == {}


def test_the_site_still_works_under_its_policy(attacked, browser):
    """Search (Pagefind's WebAssembly), the inquiry form and attribution run with the headers on."""
    root, _, _ = attacked
    with wsgi_site(root) as origin:
        context = browser.new_context()
        errors: list[str] = []
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(origin + "/search/#q=botox")
        page.wait_for_selector("[data-search-results] li")
        page.goto(origin + "/contact/?utm_source=newsletter")
        page.fill("#inquiry-form-name", "Site Works")
        page.fill("#inquiry-form-email", "jane@example.com")
        page.check("#inquiry-form-consent")
        page.click("#inquiry-form button[type=submit]")
        page.wait_for_selector(".form-sent")
        context.close()
        assert errors == []
    records = [json.loads(p.read_text()) for p in (root / "store").glob("inquiries/*/*/*/*.json")]
    [record] = [r for r in records if r["name"] == "Site Works"]
    assert (
        record["attribution"]["latest"]["utm_source"] == "newsletter" and record["form_page"] == "/contact/"
    )


def test_the_attack_pages_are_what_the_build_would_refuse(attacked):
    """The injected pages really carry the attacks: the rendered-page firewall refuses each one."""
    from pipeline.sitepolicy import firewall, html
    from pipeline.sitepolicy.firewall import Policy

    root, _, _ = attacked
    rules = Policy(first_party=frozenset(), receiver_url="/api/inquiry", thank_you_path="/thank-you/")
    for attack in ATTACKS:
        text = (root / "output" / "attacks" / attack.id / "index.html").read_text()
        scan = html.scan(text, rules.own_hosts, rules.page_url("/contact/"))
        assert firewall.check({"/contact/": scan}, rules), attack.id
