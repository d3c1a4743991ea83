"""Header rules: safe defaults, project rules first, clear errors for bad S3_RULES."""

import pytest

from pipeline.deploy.errors import DeployError
from pipeline.deploy.rules import DEFAULT, HTML, IMMUTABLE, SHORT, headers_for, key_matches, parse_rules


@pytest.mark.parametrize(
    "key, cache, ctype",
    [
        ("theme/css/site.3f2a9c1e0b.css", IMMUTABLE, "text/css; charset=utf-8"),
        ("theme/js/app.0123456789abcdef.mjs", IMMUTABLE, "text/javascript; charset=utf-8"),
        ("media/3f2a9c1e0b77-800w.avif", IMMUTABLE, "image/avif"),
        ("index.html", HTML, "text/html; charset=utf-8"),
        ("treatments/botox/index.html", HTML, "text/html; charset=utf-8"),
        ("sitemap.xml", SHORT, "application/xml; charset=utf-8"),
        ("feeds/all.rss.xml", SHORT, "application/rss+xml; charset=utf-8"),
        ("robots.txt", SHORT, "text/plain; charset=utf-8"),
        ("events/open-house.ics", SHORT, "text/calendar; charset=utf-8"),
        ("site.webmanifest", SHORT, "application/manifest+json; charset=utf-8"),
        ("pagefind/fragment/en_3a9f2c1.pf_fragment", IMMUTABLE, "application/octet-stream"),
        ("pagefind/pagefind.js", SHORT, "text/javascript; charset=utf-8"),
        ("theme/css/site.css", DEFAULT, "text/css; charset=utf-8"),  # not fingerprinted: not immutable
        ("theme/css/site.3f2a9c.css", DEFAULT, "text/css; charset=utf-8"),  # too few hex digits
        ("favicon.ico", DEFAULT, "image/x-icon"),
        ("downloads/price-list.pdf", DEFAULT, "application/pdf"),
    ],
)
def test_defaults(key, cache, ctype):
    headers = headers_for(key, parse_rules([]))
    assert (headers.cache_control, headers.content_type, headers.content_encoding) == (cache, ctype, None)


def test_project_rules_come_first_and_set_only_what_they_name():
    rules = parse_rules(
        [
            {"glob": "downloads/**", "cache_control": "public, max-age=86400"},
            {"glob": "*.{css,js}", "content_type": "text/plain"},
            {"glob": "re:^legacy/.*\\.svgz$", "content_encoding": "gzip", "content_type": "image/svg+xml"},
        ]
    )
    assert headers_for("downloads/2026/prices.pdf", rules).cache_control == "public, max-age=86400"
    assert headers_for("downloads/2026/prices.pdf", rules).content_type == "application/pdf"
    css = headers_for("theme/css/site.3f2a9c1e0b.css", rules)
    assert (css.cache_control, css.content_type) == (IMMUTABLE, "text/plain")
    assert headers_for("legacy/logo.svgz", rules).content_encoding == "gzip"


def test_gzip_applies_to_text_only():
    rules = parse_rules([])
    assert headers_for("index.html", rules, gzip_text=True).content_encoding == "gzip"
    assert headers_for("icon.svg", rules, gzip_text=True).content_encoding == "gzip"
    assert headers_for("media/abcdef012345.webp", rules, gzip_text=True).content_encoding is None
    assert headers_for("pagefind/pagefind.js", rules, gzip_text=True).content_encoding is None


@pytest.mark.parametrize(
    "pattern, key, expected",
    [
        # `*` stays within a folder; `**` (a whole path segment) crosses folders, zero or more.
        ("downloads/*.pdf", "downloads/prices.pdf", True),
        ("downloads/*.pdf", "downloads/2026/prices.pdf", False),
        ("downloads/**", "downloads/2026/q1/prices.pdf", True),
        ("downloads/**", "downloads", False),
        ("downloads/**", "old/downloads/prices.pdf", False),
        ("pagefind/**/*.pf_*", "pagefind/a.pf_meta", True),
        ("pagefind/**/*.pf_*", "pagefind/index/en/a.pf_index", True),
        # `{a,b}` is either, also with a folder in an alternative (then anchored at the root).
        ("*.{css,js}", "theme/js/app.js", True),
        ("*.{css,js}", "theme/js/app.json", False),
        ("{robots.txt,feeds/*.xml}", "feeds/all.atom.xml", True),
        ("{robots.txt,feeds/*.xml}", "blog/feeds/all.atom.xml", False),
        # No "/": the file name at any depth (as .gitignore); a leading "/" anchors at the root.
        ("*.html", "blog/2026/post/index.html", True),
        ("index.html", "team/index.html", True),
        ("/index.html", "team/index.html", False),
        ("/index.html", "index.html", True),
        ("blog/*/index.html", "blog/x/y/index.html", False),
        # Names starting with a dot are files like any other.
        ("*.txt", ".well-known/security.txt", True),
        ("**", ".well-known/security.txt", True),
        # `?` is one character, `[...]` a set, `[!...]` its complement; none crosses a "/".
        ("?a.ico", "ba.ico", True),
        ("?a.ico", "bba.ico", False),
        ("[!a]*.ico", "favicon.ico", True),
        ("[!a]*.ico", "apple.ico", False),
        ("a?b", "a/b", False),
        # Case matters: S3 keys are case-sensitive.
        ("*.PDF", "prices.pdf", False),
        ("re:^legacy/.*\\.svgz$", "legacy/a/logo.svgz", True),
        ("re:\\.svgz$", "x/logo.svgz", True),  # searched, not anchored
    ],
)
def test_glob_semantics(pattern, key, expected):
    assert key_matches(pattern, key) is expected


@pytest.mark.parametrize(
    "raw, words",
    [
        ([{"cache_control": "x"}], "S3_RULES[0] needs a 'glob'"),
        ([{"glob": "*.pdf"}], "sets no header"),
        ([{"glob": "*.pdf", "cache": "x"}], "unknown field(s) cache"),
        ([{"glob": "*.pdf", "cache_control": "a\nb"}], "one-line string"),
        ([{"glob": "*.pdf", "cache_control": "x"}, "nope"], "S3_RULES[1] must be a dict"),
        ([{"glob": "re:(", "cache_control": "x"}], "is not valid"),
        ([{"glob": "{a,b}" * 12, "cache_control": "x"}], "is not valid"),  # 4,096 expansions: too many
    ],
)
def test_bad_rules_name_the_entry(raw, words):
    with pytest.raises(DeployError) as err:
        parse_rules(raw)
    assert words in str(err.value)
