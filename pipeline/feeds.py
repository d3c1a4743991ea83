"""Atom and RSS feeds with feedgen, byte-identical for the same content.

feedgen fills three things from the clock unless told otherwise: the feed's ``updated``
(Atom) and ``lastBuildDate`` (RSS), and every entry's ``updated``. Here the feed's time is
its newest entry's and each entry's time comes from its content, so two builds of the same
content give the same bytes. The generator element carries no version number, so a feedgen
upgrade does not change every feed.

Entry content is HTML whose every link is absolute (``absolute_links``): a feed reader shows it
away from the site, where ``/contact/`` would lead nowhere (the W3C feed validator's ContainsRelRef).

A special's entry carries its validity as a DCMI period
(``<dcterms:valid>start=...;end=...;scheme=W3C-DTF</dcterms:valid>``), which feed readers
such as feedparser expose as ``validity_start`` / ``validity_end``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urljoin

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree, html
from pydantic import field_validator

from pipeline.errors import PipelineError
from pipeline.settings import FeatureSettings, setting


class FeedError(PipelineError):
    """A feed setting cannot be used."""


class FeedSettings(FeatureSettings):
    """Atom and RSS for the blog, each category, specials and events, and the events' iCalendar
    files. Pelican's own feed settings (`FEED_*`) stay off: this is the site's one feed implementation."""

    PREFIX = "FEEDS_"
    TITLE = "feed"
    ERROR = FeedError

    path: str = setting("feeds", "The feeds' folder in the site.")
    max_items: int = setting(
        20, "Entries in the blog and category feeds (specials and events feeds hold every current one)."
    )

    @field_validator("max_items")
    @classmethod
    def _items(cls, value: int) -> int:
        if value < 1:
            raise ValueError("use a whole number of entries, e.g. 20")
        return value

    @property
    def folder(self) -> str:
        return str(self.path).strip("/")


DCTERMS = "http://purl.org/dc/terms/"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
GENERATOR = "Aurora site pipeline"


@dataclass(frozen=True)
class Entry:
    id: str  # absolute URL of the page: stable, unique
    title: str
    link: str
    updated: dt.datetime  # aware; from the content (modified or published), never the clock
    summary: str
    published: dt.datetime | None = None
    content_html: str | None = None
    author: str | None = None
    categories: tuple[str, ...] = ()
    valid: tuple[dt.datetime, dt.datetime] | None = None  # a special's first and last second


@dataclass(frozen=True)
class Feed:
    title: str
    subtitle: str
    link: str  # the HTML page the feed mirrors
    atom_url: str  # where the Atom file is served (rel="self")
    rss_url: str
    entries: tuple[Entry, ...]
    language: str = "en"
    author: str | None = None
    # The feed's time when it has no entries (e.g. no special this month): still from content.
    empty_updated: dt.datetime = EPOCH
    icon: str | None = None

    @property
    def updated(self) -> dt.datetime:
        return max((e.updated for e in self.entries), default=self.empty_updated)


class _ValidityFeed(BaseExtension):
    def extend_ns(self):
        return {"dcterms": DCTERMS}


class _Validity(BaseEntryExtension):
    """``<dcterms:valid>``: a DCMI period, the standard way to say when something holds."""

    def __init__(self):
        self._period = None

    def period(self, start: dt.datetime, end: dt.datetime) -> None:
        self._period = f"start={start.isoformat()};end={end.isoformat()};scheme=W3C-DTF"

    def _extend(self, element):
        if self._period:
            node = etree.SubElement(element, f"{{{DCTERMS}}}valid")
            node.text = self._period
        return element

    extend_atom = extend_rss = _extend


def absolute_links(fragment: str, base: str) -> str:
    """``fragment`` with every ``href``, ``src``, ``srcset``, ``poster`` and ``action`` resolved against ``base``."""
    if not fragment.strip():
        return fragment
    root = html.fragment_fromstring(fragment, create_parent="div")
    root.make_links_absolute(base, resolve_base_href=False)  # href, src, action, poster, ...
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        srcset = node.get("srcset")
        if srcset:
            parts = [c.strip().split(None, 1) for c in srcset.split(",") if c.strip()]
            node.set("srcset", ", ".join(" ".join([urljoin(base, p[0]), *p[1:]]) for p in parts))
    text = root.text or ""
    return text + "".join(html.tostring(child, encoding="unicode") for child in root)


def _generator(feed: Feed, self_url: str) -> FeedGenerator:
    gen = FeedGenerator()
    gen.register_extension("validity", _ValidityFeed, _Validity)
    gen.id(feed.link)
    gen.title(feed.title)
    gen.subtitle(feed.subtitle)  # Atom subtitle and RSS description
    # RSS's <link> is the last link given: the page, after the feed's own address.
    gen.link(href=self_url, rel="self")
    gen.link(href=feed.link, rel="alternate")
    gen.language(feed.language)
    gen.generator(GENERATOR)
    gen.docs("https://www.rssboard.org/rss-specification")
    if feed.author:
        gen.author({"name": feed.author})
    if feed.icon:
        gen.icon(feed.icon)
        gen.logo(feed.icon)
    # feedgen's default is the build time: derive it from the content instead.
    gen.updated(feed.updated)
    gen.lastBuildDate(feed.updated)
    for item in feed.entries:
        entry = gen.add_entry(order="append")
        entry.id(item.id)
        entry.guid(item.id, permalink=True)
        entry.title(item.title)
        entry.link(href=item.link)
        entry.updated(item.updated)  # feedgen's default is the clock
        entry.published(item.published or item.updated)
        entry.summary(item.summary)
        if item.content_html:
            entry.content(absolute_links(item.content_html, item.link), type="html")
        if item.author:
            entry.author({"name": item.author})
        for term in item.categories:
            entry.category(term=term)
        if item.valid:
            entry.validity.period(*item.valid)
    return gen


def atom(feed: Feed) -> bytes:
    return _generator(feed, feed.atom_url).atom_str(pretty=True, encoding="UTF-8")


def rss(feed: Feed) -> bytes:
    return _generator(feed, feed.rss_url).rss_str(pretty=True, encoding="UTF-8")
