"""Declared third-party tags (``INQUIRY_THIRD_PARTY_TAGS``) and the hosts that count as the site's own.

A tag is declared with its name, its host, the pages it may load on, what it loads (which
Content-Security-Policy directives it opens: ``script``, ``image``, ``connect``...) and why.
A host that is not the site's own but must be treated as the site itself on every page,
forms included (a receiver behind another origin, a CDN under contract), is declared here
too, with ``"pages": "first-party"`` and its purpose; ``INQUIRY_FIRST_PARTY_HOSTS`` and an
``INQUIRY_RECEIVER_URL`` on another origin are refused without such an entry.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.sitepolicy.errors import SitePolicyError
from pipeline.sitepolicy.urls import origin_of, resolve

NO_FORMS = "no-forms"
FIRST_PARTY = "first-party"
KEY = "INQUIRY_THIRD_PARTY_TAGS"
# What a tag may load, by the CSP directive each opens (CSP Level 3, fetch directives).
LOADS = {
    "script": "script-src",
    "image": "img-src",
    "style": "style-src",
    "font": "font-src",
    "connect": "connect-src",
    "frame": "frame-src",
    "media": "media-src",
    "form": "form-action",
}
DEFAULT_LOADS = ("script", "image", "connect")  # the shape of an analytics tag
_HOST = re.compile(r"(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")
EXAMPLE = '[{"name": "Plausible", "host": "plausible.io", "pages": "no-forms", "purpose": "page counts"}]'


@dataclass(frozen=True)
class Tag:
    """One declared third-party tag: its name, its host, and the pages it may load on."""

    name: str
    host: str  # "plausible.io", or "*.example-analytics.com" for every subdomain (punycode)
    pages: str | tuple[str, ...] = NO_FORMS  # "no-forms", "first-party", or site-path globs ("/blog/*")
    loads: tuple[str, ...] = DEFAULT_LOADS
    purpose: str = ""

    @property
    def first_party(self) -> bool:
        return self.pages == FIRST_PARTY

    def matches_host(self, host: str) -> bool:
        if self.host.startswith("*."):
            return host == self.host[2:] or host.endswith(self.host[1:])
        return host == self.host

    def allows(self, path: str) -> bool:
        if self.first_party:
            return True
        return self.pages == NO_FORMS or any(fnmatch.fnmatchcase(path, glob) for glob in self.pages)

    def sources(self) -> tuple[str, ...]:
        """The CSP source expressions for its host (a wildcard covers the bare domain too)."""
        if self.host.startswith("*."):
            return (f"https://{self.host[2:]}", f"https://{self.host}")
        return (f"https://{self.host}",)


def ascii_host(host: str) -> str:
    """A host name as browsers send it: IDNA (punycode), lower case; '' when it is none."""
    wildcard = host.startswith("*.")
    name = host[2:] if wildcard else host
    if not name or any(c in name for c in "/\\:@?#%[] \t\n"):
        return ""
    name = resolve(f"https://{name}/", "").host
    return ("*." + name if wildcard else name) if name else ""


def parse_tags(value: Any, key: str = KEY) -> tuple[Tag, ...]:
    """The declarations: a list of {"name", "host", "pages", "loads", "purpose"}."""
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)):
        raise SitePolicyError(f"{key} must be a list such as {EXAMPLE}.")
    return tuple(_tag(item, f"{key}[{index}]") for index, item in enumerate(value))


def _tag(item: Any, where: str) -> Tag:
    if not isinstance(item, Mapping):
        raise SitePolicyError(f"{where} must be a dict such as {EXAMPLE[1:-1]}.")
    unknown = sorted(set(item) - {"name", "host", "pages", "loads", "purpose"})
    if unknown:
        raise SitePolicyError(
            f"{where} has unknown key(s) {', '.join(unknown)}: use name, host, pages, loads and purpose."
        )
    name = str(item.get("name") or "").strip()
    if not name:
        raise SitePolicyError(f'{where} has no name: say what the tag is, e.g. "Plausible analytics".')
    raw_host = str(item.get("host") or "").strip()
    host = ascii_host(raw_host)
    if not _HOST.fullmatch(host):
        raise SitePolicyError(
            f"{where} ({name}) has host {item.get('host')!r}: give the host name only, "
            "such as 'plausible.io' (no https://, no path), or '*.example.com' for its subdomains."
        )
    pages = item.get("pages", NO_FORMS)
    if isinstance(pages, str) and pages in (NO_FORMS, FIRST_PARTY):
        pass
    elif (
        isinstance(pages, (list, tuple))
        and pages
        and all(isinstance(p, str) and p.startswith("/") for p in pages)
    ):
        pages = tuple(pages)
    else:
        raise SitePolicyError(
            f'{where} ({name}) has pages {pages!r}: use "no-forms" (every page without an '
            'inquiry form), a list of site paths such as ["/blog/*"], or "first-party" for a '
            "service of the practice's own that every page may use."
        )
    loads = item.get("loads", DEFAULT_LOADS)
    if (
        isinstance(loads, str)
        or not isinstance(loads, (list, tuple))
        or not loads
        or any(k not in LOADS for k in loads)
    ):
        raise SitePolicyError(
            f"{where} ({name}) has loads {loads!r}: give a list of what it loads, from {', '.join(LOADS)} "
            f'(e.g. ["frame"] for a video player; default {list(DEFAULT_LOADS)}).'
        )
    purpose = str(item.get("purpose") or "").strip()
    if pages == FIRST_PARTY and not purpose:
        raise SitePolicyError(
            f"{where} ({name}) is declared first-party without a purpose: say what the practice uses "
            f'{host} for and why it may see what visitors send, e.g. "purpose": "receives the inquiry '
            'forms (our AWS account)".'
        )
    return Tag(name, host, pages, tuple(dict.fromkeys(loads)), purpose)


def same_site(host: str, site_host: str) -> bool:
    """Is ``host`` the site's host or one of its subdomains (``www.`` set aside: api.example.com is
    the same site as www.example.com)? Without a public-suffix list, nothing wider is assumed."""
    if not host or not site_host:
        return False
    root = site_host.removeprefix("www.")
    return host in (site_host, root) or host.endswith("." + root)


@dataclass(frozen=True)
class Declared:
    """Hosts the build treats as the site's own, and why (each printed as a warning every build)."""

    hosts: frozenset[str]
    notices: tuple[str, ...]


def first_party(siteurl: str, receiver_url: str, listed: Iterable[str], tags: tuple[Tag, ...]) -> Declared:
    """The site's own hosts: the site's, the receiver's, and ``INQUIRY_FIRST_PARTY_HOSTS``.

    A listed host that is not the site's (nor a subdomain), or a receiver on another origin, is
    refused unless a ``"pages": "first-party"`` entry with a purpose declares it.
    """
    site = resolve(siteurl, "") if siteurl else None
    site_host = site.host if site else ""
    hosts = {site_host} if site_host else set()
    notices = []

    def declared(host: str, what: str, setting: str) -> None:
        tag = next((t for t in tags if t.first_party and t.matches_host(host)), None)
        if tag is None:
            raise SitePolicyError(
                f"{setting} names {host} ({what}), which is not the site itself"
                f"{f' ({site_host})' if site_host else ''}: every visitor's inquiry could reach it. If the "
                f"practice really runs it, declare it with its purpose in {KEY}: "
                f'{{"name": "...", "host": "{host}", "pages": "first-party", "purpose": "what it is for"}}; '
                "otherwise remove it."
            )
        notices.append(
            f"{host} is treated as the site's own on every page, forms included ({setting}; "
            f"'{tag.name}': {tag.purpose})"
        )

    for raw in listed:
        host = ascii_host(str(raw).strip())
        if not host:
            raise SitePolicyError(
                f"INQUIRY_FIRST_PARTY_HOSTS has {raw!r}: give host names such as 'cdn.example.com'."
            )
        if not same_site(host, site_host):
            declared(host, "a host listed as the practice's own", "INQUIRY_FIRST_PARTY_HOSTS")
        hosts.add(host)
    if "//" in receiver_url.replace("\\", "/"):  # a full URL: on the site's origin, or declared
        receiver = resolve(receiver_url, "")
        if not site or origin_of(receiver.href) != origin_of(site.href):
            declared(receiver.host, "where inquiry forms are sent", "INQUIRY_RECEIVER_URL")
        hosts.add(receiver.host)
    for tag in tags:
        if tag.first_party and not tag.host.startswith("*."):
            hosts.add(tag.host)
    return Declared(frozenset(hosts), tuple(dict.fromkeys(notices)))
