"""The Content-Security-Policy: the browser enforces what the tag firewall checks at build time.

One pure function, :func:`content_security_policy`, builds the policy for all three places
that send it: each page's ``<meta http-equiv="Content-Security-Policy">`` (so it holds on any
host), the response header of ``inv serve`` (:func:`security_headers`) and CloudFront's
response-headers policy (``infra/site.yaml``; a test checks it is this function's output).

The policy (CSP Level 3, https://www.w3.org/TR/CSP3/): everything from the site itself;
scripts from its files only (an inline script runs only with its sha256 hash listed);
``'wasm-unsafe-eval'`` because Pagefind's search runs WebAssembly; images also as ``data:``;
no plugins (``object-src 'none'``), no ``<base>`` (``base-uri 'none'``), forms and fetches to
the site (and the inquiry receiver, if it is elsewhere); frames only from declared tags.
No inline ``style`` attributes or ``<style>`` blocks: the theme has none, so ``style-src``
needs no ``'unsafe-inline'`` (which would let injected CSS read the page).

A page's ``<meta>`` adds the hosts of the declared tags allowed on that page, and none on
pages with an inquiry form. The header is the same policy for every page with every
declared tag (a browser enforces both, so each page gets the narrower ``<meta>``), plus
what a ``<meta>`` cannot carry: ``frame-ancestors 'none'`` (no other site may frame a page).

No directive stops ``<meta http-equiv="refresh">`` (``navigate-to`` never shipped, and the
``sandbox`` directive stops it in Chromium only without ``allow-scripts``): the build refuses
it, and the theme's site.js cancels one found in a page.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.sitepolicy import scripts

META_NAME = "Content-Security-Policy"
HEADERS_FILE = "security-headers.json"  # written by each build under INTERNAL_PATH, read by `inv serve`
# Response headers besides the policy (OWASP Secure Headers Project recommendations).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)
OTHER_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", PERMISSIONS_POLICY),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)


@dataclass(frozen=True)
class Sources:
    own: tuple[str, ...] = ()  # other origins that are the site's own ("https://cdn.example.com")
    receiver: str = ""  # the inquiry receiver's origin, when it is not the site's
    https: bool = True  # served over https: ask the browser to upgrade any http:// address


def content_security_policy(
    sources: Sources, tags: Iterable = (), script_hashes: Iterable[str] = (), header: bool = False
) -> str:
    """The policy, as one header or ``<meta content>`` value. ``tags``: the declared tags
    (:class:`~pipeline.sitepolicy.tags.Tag`) it admits; ``script_hashes``: ``'sha256-...'``."""
    tags = tuple(tags)
    own = ["'self'", *sources.own]
    receiver = [sources.receiver] if sources.receiver else []

    def extra(load: str) -> list[str]:
        return sorted({source for tag in tags if load in tag.loads for source in tag.sources()})

    directives = [
        ("default-src", own),
        ("script-src", own + ["'wasm-unsafe-eval'", *sorted(set(script_hashes))] + extra("script")),
        ("style-src", own + extra("style")),
        ("img-src", own + ["data:"] + extra("image")),
        ("font-src", own + extra("font")),
        ("connect-src", own + receiver + extra("connect")),
        ("media-src", own + extra("media")),
        ("frame-src", extra("frame") or ["'none'"]),
        ("worker-src", own),
        ("manifest-src", own),
        ("object-src", ["'none'"]),
        ("base-uri", ["'none'"]),
        ("form-action", own + receiver + extra("form")),
    ]
    if header:
        directives.append(("frame-ancestors", ["'none'"]))
    text = "; ".join(f"{name} {' '.join(dict.fromkeys(values))}" for name, values in directives)
    return text + ("; upgrade-insecure-requests" if sources.https else "")


def parse(policy: str) -> dict[str, frozenset[str]]:
    """Directive -> its sources (order aside), for comparing two policies."""
    parsed: dict[str, frozenset[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words and words[0].lower() not in parsed:
            parsed[words[0].lower()] = frozenset(words[1:])
    return parsed


def security_headers(header_policy: str) -> list[tuple[str, str]]:
    """The response headers ``inv serve`` and CloudFront send with every page."""
    return [("Content-Security-Policy", header_policy), *OTHER_HEADERS]


def served_headers(internal: str | os.PathLike) -> list[tuple[str, str]]:
    """The headers the last build wrote (``INTERNAL_PATH/security-headers.json``); before any
    build, the policy of a site with no declared tags and no inline scripts."""
    path = Path(internal) / HEADERS_FILE
    try:
        return list(json.loads(path.read_text(encoding="utf-8")).items())
    except (OSError, ValueError):
        return security_headers(content_security_policy(Sources(https=False), header=True))


# --- the <meta> in each page, as the template renders it --------------------------------

_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\s+charset\b[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def inline_script_hashes(page: str) -> list[str]:
    """The hashes of the inline scripts a browser would run, read from the page as the theme wrote
    it (lower-case tags: the firewall checks them again on the parsed page, in any case)."""
    hashes, position = [], page.find("<script")
    while position >= 0:
        end_of_tag = page.find(">", position)
        if end_of_tag < 0:
            break
        attrs = page[position + 7 : end_of_tag]
        close = page.find("</script", end_of_tag)
        close = len(page) if close < 0 else close
        kind = _TYPE.search(attrs)
        if not _SRC.search(attrs) and scripts.runs(kind.group(1) if kind else None):
            body = page[end_of_tag + 1 : close]
            if body.strip():
                hashes.append(scripts.csp_hash(body))
        position = page.find("<script", close)
    return hashes


def with_meta(page: str, policy: str) -> str:
    """The page with its policy as the first thing after ``<meta charset>`` (or ``<head>``)."""
    escaped = html.escape(policy, quote=False).replace('"', "&quot;")
    tag = f'<meta http-equiv="{META_NAME}" content="{escaped}">'
    anchor = _CHARSET.search(page) or _HEAD.search(page)
    if anchor is None:
        return tag + page
    return f"{page[: anchor.end()]}\n  {tag}{page[anchor.end() :]}"
