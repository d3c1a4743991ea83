"""Atom and RSS from feedgen, read back with feedparser (an independent parser)."""

from __future__ import annotations

import datetime as dt

import feedparser

from pipeline import feeds

PT = dt.timezone(dt.timedelta(hours=-8))
SITE = "https://x.example"


def entry(slug, day, **kwargs):
    url = f"{SITE}/blog/{slug}/"
    return feeds.Entry(
        id=url,
        title=slug.title(),
        link=url,
        summary=f"About {slug}",
        updated=dt.datetime(2026, 3, day, 9, 0, tzinfo=PT),
        **kwargs,
    )


def feed(entries, **kwargs):
    return feeds.Feed(
        title="Journal",
        subtitle="Posts",
        link=f"{SITE}/blog/",
        atom_url=f"{SITE}/feeds/blog.atom.xml",
        rss_url=f"{SITE}/feeds/blog.rss.xml",
        entries=tuple(entries),
        **kwargs,
    )


def test_feed_time_is_its_newest_entry_never_the_clock():
    f = feed([entry("newer", 20), entry("older", 2)])
    atom, rss = feedparser.parse(feeds.atom(f)), feedparser.parse(feeds.rss(f))
    assert not atom.bozo and not rss.bozo
    assert atom.feed.updated == "2026-03-20T09:00:00-08:00"
    assert rss.feed.updated == "Fri, 20 Mar 2026 09:00:00 -0800"  # lastBuildDate
    assert [e.link for e in atom.entries] == [f"{SITE}/blog/newer/", f"{SITE}/blog/older/"]
    assert [e.id for e in rss.entries] == [f"{SITE}/blog/newer/", f"{SITE}/blog/older/"]


def test_same_content_gives_the_same_bytes():
    make = lambda: feed([entry("a", 3, content_html="<p>Hi</p>", author="Kim", categories=("Skin",))])  # noqa: E731
    assert feeds.atom(make()) == feeds.atom(make())
    assert feeds.rss(make()) == feeds.rss(make())


def test_empty_feed_is_still_dated_from_content():
    f = feed([], empty_updated=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert feedparser.parse(feeds.atom(f)).feed.updated == "2026-01-01T00:00:00+00:00"
    assert b"1970" in feeds.atom(feed([]))


def test_entries_carry_their_validity():
    start = dt.datetime(2026, 11, 1, 0, 0, tzinfo=PT)
    end = dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=PT)
    f = feed([entry("offer", 1, valid=(start, end))])
    for parsed in (feedparser.parse(feeds.atom(f)), feedparser.parse(feeds.rss(f))):
        [item] = parsed.entries
        assert item.validity_start == "2026-11-01T00:00:00-08:00"
        assert item.validity_end == "2026-11-30T23:59:59-08:00"


def test_feeds_link_the_page_and_themselves():
    f = feed([entry("a", 3)])
    atom = feedparser.parse(feeds.atom(f))
    assert atom.feed.link == f"{SITE}/blog/"
    assert {(link.rel, link.href) for link in atom.feed.links} >= {("self", f"{SITE}/feeds/blog.atom.xml")}
    assert feedparser.parse(feeds.rss(f)).feed.link == f"{SITE}/blog/"
