"""The redirect map, sitemap.xml and robots.txt as pure functions."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from pipeline import seo


def declared(path, source, target, i=0):
    return seo.Declared(path, f"redirect_from.{i}", 7 + i, source, target)


def test_redirects_become_one_sorted_map():
    redirects, problems = seo.redirect_map(
        [
            declared("content/blog/b.md", "/old-b/", "/blog/b/"),
            declared("content/procedures/a.md", "/treatments/a.html", "/procedures/a/"),
        ],
        {"/blog/b/", "/procedures/a/"},
    )
    assert problems == []
    assert list(redirects.items()) == [("/old-b/", "/blog/b/"), ("/treatments/a.html", "/procedures/a/")]


@pytest.mark.parametrize("source", ["/procedures/", "/procedures", "/procedures/index.html"])
def test_redirect_cannot_take_a_real_pages_address(source):
    redirects, problems = seo.redirect_map(
        [declared("content/blog/b.md", source, "/blog/b/")], {"/procedures/", "/blog/b/"}
    )
    assert redirects == {}
    [problem] = problems
    assert str(problem).startswith(f"content/blog/b.md:redirect_from.0: '{source}' is the address of a page")
    assert "(line 7)" in str(problem)


def test_two_pages_cannot_claim_one_old_address():
    redirects, problems = seo.redirect_map(
        [
            declared("content/blog/a.md", "/old/", "/blog/a/"),
            declared("content/blog/b.md", "/old", "/blog/b/"),
        ],
        set(),
    )
    assert redirects == {}
    by_file = {p.path: p.message for p in problems}
    assert by_file == {
        "content/blog/a.md": "'/old/' already redirects to /blog/b/ (content/blog/b.md)",
        "content/blog/b.md": "'/old' already redirects to /blog/a/ (content/blog/a.md)",
    }


def test_same_redirect_twice_in_one_file():
    redirects, problems = seo.redirect_map(
        [
            declared("content/blog/a.md", "/old/", "/blog/a/", 0),
            declared("content/blog/a.md", "/old/", "/blog/a/", 1),
        ],
        set(),
    )
    assert [(p.field, p.message) for p in problems] == [("redirect_from.1", "'/old/' is listed twice")]


def test_output_files_shadowing_a_redirect():
    assert seo.shadowed({"/a/": "/b/", "/c.html": "/d/"}, {"a/index.html", "b/index.html"}) == ["/a/"]


def test_sitemap_parses_sorted_and_deduplicated():
    xml = seo.sitemap_xml(
        [
            seo.SitemapEntry("https://x.example/b/", dt.date(2026, 3, 14)),
            seo.SitemapEntry("https://x.example/a/?x=1&y=2"),
            seo.SitemapEntry("https://x.example/b/", dt.date(2020, 1, 1)),
        ]
    )
    root = etree.fromstring(xml)
    ns = {"s": seo.SITEMAP_NS}
    assert root.xpath("//s:loc/text()", namespaces=ns) == [
        "https://x.example/a/?x=1&y=2",
        "https://x.example/b/",
    ]
    assert root.xpath("//s:url[s:loc='https://x.example/b/']/s:lastmod/text()", namespaces=ns) == [
        "2026-03-14"
    ]
    assert root.xpath("//s:url[1]/s:lastmod", namespaces=ns) == []


def test_robots_for_production_and_previews():
    production = seo.robots_txt(True, "https://x.example/sitemap.xml")
    assert "Allow: /" in production and "Sitemap: https://x.example/sitemap.xml" in production
    assert "Disallow" not in production
    preview = seo.robots_txt(False, "https://x.example/sitemap.xml")
    assert "Disallow: /" in preview and "Sitemap" not in preview


def test_last_changed_prefers_the_first_date_given():
    assert seo.last_changed(None, dt.datetime(2026, 3, 14, 9, 0), dt.date(2020, 1, 1)) == dt.date(2026, 3, 14)
    assert seo.last_changed(None, None) is None


def test_breadcrumb_trail_ends_at_the_current_page():
    trail = seo.breadcrumb_trail(
        [("Treatments", "https://x.example/procedures/"), ("Botox", None)],
        "https://x.example/",
        "https://x.example/procedures/botox/",
    )
    assert trail == [
        ("Home", "https://x.example/"),
        ("Treatments", "https://x.example/procedures/"),
        ("Botox", "https://x.example/procedures/botox/"),
    ]


def test_noindex_is_read_from_the_page():
    assert seo.says_noindex('<head><meta name="robots" content="noindex, follow"></head>')
    assert seo.says_noindex("<meta content='NOINDEX' name='robots'>")
    assert not seo.says_noindex('<meta name="description" content="noindex in a description">')
