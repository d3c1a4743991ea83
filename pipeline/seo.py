"""Search-engine plumbing as pure functions: the redirect map, sitemap.xml, robots.txt,
breadcrumbs and the date a page last changed.

The adapter (``plugins/seo``) collects the pages a build writes and hands them here as
plain values; nothing in this module reads settings or touches files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from pydantic import field_validator

from pipeline.content.errors import Problem
from pipeline.errors import PipelineError
from pipeline.settings import FeatureSettings, setting

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# sitemaps.org: at most 50,000 URLs per sitemap file.
SITEMAP_MAX_URLS = 50_000


class SeoError(PipelineError):
    """The built site and its redirects or sitemap disagree; the message says what to change."""


class SeoSettings(FeatureSettings):
    """What search engines and link previews see: sitemap.xml, robots.txt, 1200x630 link-preview
    cards, Open Graph and Twitter tags, canonical URLs, the redirect map."""

    PREFIX = "SEO_"
    TITLE = "SEO"
    ERROR = SeoError

    indexable: bool = setting(
        False,
        "True only for the production site (publishconf.py): a preview's robots.txt turns crawlers away. "
        "`SEO_INDEXABLE=0` in the environment keeps a pull-request preview out of search engines.",
    )
    default_image: str | None = setting(
        None,
        "A picture under content/ for pages without their own (None: the practice's logo on a plain card).",
    )
    card_background: Sequence[int] = setting((248, 244, 238), "The card behind the logo (r, g, b).")
    twitter_site: str | None = setting(None, 'The practice\'s X handle, e.g. "@auroraaesthetics".')
    robots_disallow: Sequence[str] = setting(
        (),
        "More paths robots.txt turns crawlers away from, e.g. the editor's /admin/ (the editor plugin adds it).",
    )

    @field_validator("card_background")
    @classmethod
    def _rgb(cls, value: Sequence[int]) -> tuple[int, int, int]:
        if len(value) != 3 or not all(0 <= c <= 255 for c in value):
            raise ValueError("use an RGB triple like (248, 244, 238)")
        return tuple(value)


# -- redirects ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    """One ``redirect_from`` entry: the file and field declaring it, the old path and the page's path."""

    path: str  # content/blog/x.md
    field: str  # redirect_from.0
    line: int | None
    source: str  # /old/url/
    target: str  # /blog/x/


def address(path: str) -> str:
    """What a visitor's browser asks for: ``/a/``, ``/a`` and ``/a/index.html`` are one address."""
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path.rstrip("/") or "/"


def redirect_map(declared: list[Declared], pages: set[str]) -> tuple[dict[str, str], list[Problem]]:
    """``{"/old/": "/new/"}`` from every declaration, and a problem for each that clashes.

    ``pages`` are the site paths the build makes (``/blog/x/``). A redirect may not take the
    address of a real page, and one old address may lead to one page only: when two files
    claim it, both are told.
    """
    taken = {address(p): p for p in pages}
    claims: dict[str, list[Declared]] = {}
    for item in sorted(declared, key=lambda d: (d.path, d.field)):
        claims.setdefault(address(item.source), []).append(item)
    redirects: dict[str, str] = {}
    problems: list[Problem] = []
    for key, items in claims.items():
        if key in taken:
            problems += [
                Problem(
                    i.path,
                    i.field,
                    f"'{i.source}' is the address of a page of this site ({taken[key]})",
                    "remove it here, or move that page first",
                    i.line,
                )
                for i in items
            ]
            continue
        for item in items[1:]:
            if item.path == items[0].path:
                problems.append(
                    Problem(
                        item.path,
                        item.field,
                        f"'{item.source}' is listed twice",
                        "keep one of them",
                        item.line,
                    )
                )
        others = {i.path: i for i in items}
        if len(others) > 1:
            for item in others.values():
                rivals = ", ".join(f"{o.target} ({o.path})" for o in others.values() if o is not item)
                problems.append(
                    Problem(
                        item.path,
                        item.field,
                        f"'{item.source}' already redirects to {rivals}",
                        "keep it on one page only",
                        item.line,
                    )
                )
            continue
        redirects[items[0].source] = items[0].target
    return dict(sorted(redirects.items())), problems


def shadowed(redirects: dict[str, str], files: set[str]) -> list[str]:
    """Redirect sources that a written file would answer (``files`` relative to the output)."""
    served = {address("/" + f) for f in files}
    return sorted(source for source in redirects if address(source) in served)


# -- sitemap and robots ---------------------------------------------------------------------

# Case-insensitive only after the "<": a pattern that starts with a plain literal is searched for
# quickly, where a wholly case-insensitive one is tried at every character of the page.
_ROBOTS_META = re.compile(r"<(?i:meta)\s+[^>]*(?i:name)=[\"'](?i:robots)[\"'][^>]*>")


def says_noindex(html: str) -> bool:
    """Whether a page's HTML asks search engines not to index it (<meta name="robots" content="noindex">)."""
    end = html.find("</head>")
    head = html if end < 0 else html[:end]
    return any("noindex" in tag.lower() for tag in _ROBOTS_META.findall(head))


@dataclass(frozen=True)
class SitemapEntry:
    loc: str  # absolute URL
    lastmod: dt.date | None = None


def last_changed(*candidates: dt.date | dt.datetime | None) -> dt.date | None:
    """The first date given (e.g. modified, then published), as a calendar day."""
    for value in candidates:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
    return None


def sitemap_xml(entries: list[SitemapEntry]) -> bytes:
    """sitemap.xml, one <url> per distinct location, sorted, so two builds give the same bytes."""
    unique: dict[str, SitemapEntry] = {}
    for entry in entries:
        unique.setdefault(entry.loc, entry)
    if len(unique) > SITEMAP_MAX_URLS:
        raise SeoError(
            f"The site has {len(unique)} indexable pages, more than the {SITEMAP_MAX_URLS} one sitemap "
            "may list; split the sitemap (pipeline/seo.py) before publishing."
        )
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for loc in sorted(unique):
        entry = unique[loc]
        lastmod = f"<lastmod>{entry.lastmod.isoformat()}</lastmod>" if entry.lastmod else ""
        lines.append(f"  <url><loc>{escape(loc)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(indexable: bool, sitemap_url: str | None, disallow: tuple[str, ...] = ()) -> str:
    """Production invites crawlers (except into ``disallow``, folders such as the unlinked social
    images) and names the sitemap; a preview turns every crawler away."""
    if not indexable:
        return "# A preview of the site: not for search engines.\nUser-agent: *\nDisallow: /\n"
    # RFC 9309 2.2.2: the most specific (longest) matching rule wins, so the Disallow lines hold
    # under the Allow for the whole site.
    lines = ["User-agent: *", "Allow: /", *(f"Disallow: {path}" for path in disallow)]
    if sitemap_url:
        lines += ["", f"Sitemap: {sitemap_url}"]
    return "\n".join(lines) + "\n"


# -- breadcrumbs ----------------------------------------------------------------------------


def breadcrumb_trail(
    trail: list[tuple[str, str | None]], home_url: str, current_url: str, home_name: str = "Home"
) -> list[tuple[str, str]]:
    """(name, URL) from home to the current page, from a template's visible trail.

    ``trail`` is what the breadcrumb navigation shows after "Home": (label, link) pairs,
    the current page last with no link (it gets ``current_url``).
    """
    crumbs = [(home_name, home_url)]
    for label, link in trail:
        crumbs.append((label, link or current_url))
    return crumbs
