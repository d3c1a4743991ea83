import datetime as dt

from pipeline.content.frontmatter import split


def test_fields_lines_and_body():
    parsed = split("---\ntitle: Hi\ncover:\n  src: a.jpg\n  alt: A\ntags:\n  - x\n  - y\n---\nBody\n", "f.md")
    assert parsed.problems == []
    assert parsed.data == {"title": "Hi", "cover": {"src": "a.jpg", "alt": "A"}, "tags": ["x", "y"]}
    assert parsed.lines["title"] == 2 and parsed.lines["cover.alt"] == 5 and parsed.lines["tags.1"] == 8
    assert parsed.line_of("cover.missing") == 3
    assert parsed.body == "Body\n"


def test_times_stay_text_and_dates_are_dates():
    parsed = split("---\nopens: 9:30\nday: 2026-03-14\nzip: 02134\ncount: 12\n---\n", "f.md")
    assert parsed.data == {"opens": "9:30", "day": dt.date(2026, 3, 14), "zip": "02134", "count": 12}


def test_byte_order_mark_is_ignored():
    assert split("\ufeff---\ntitle: Hi\n---\n", "f.md").data == {"title": "Hi"}


def test_unclosed_front_matter():
    problems = split("---\ntitle: Hi\n", "f.md").problems
    assert [p.field for p in problems] == ["front matter"]
    assert "never closed" in problems[0].message
