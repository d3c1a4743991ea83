"""X's weighted count (twitter-text v3 rules), hashtags and phone numbers, on literal strings."""

from __future__ import annotations

import pytest

from pipeline.social.text import hashtags, phone_numbers, plain_length, weighted_length


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("hello", 5),
        ("café", 4),  # Latin-1: weight 1 (NFC: é is one code point)
        ("cafe\u0301", 4),  # decomposed é is normalised first
        ("“quoted” — text", 15),  # dashes and curly quotes (U+2010-U+201F) count 1
        ("wait…", 6),  # but the ellipsis U+2026 is outside the ranges: 2
        ("漢字", 4),  # CJK: outside the weight-100 ranges, 2 each
        ("😀", 2),  # an emoji counts 2 ...
        ("👍🏽", 2),  # ... with a skin tone
        ("👩‍👩‍👧‍👦", 2),  # ... a family of four joined by ZWJ
        ("🇺🇸", 2),  # ... a flag (two regional indicators)
        ("1️⃣", 2),  # ... a keycap
        ("❤️", 2),
        ("©", 1),  # (c) alone is text in a weight-100 range
        ("https://www.example.com/a/very/long/path/that/goes/on?utm_source=x&utm_campaign=y", 23),
        ("see www.example.com now", 4 + 23 + 4),
        ("Book: https://a.example/x/. Then 😀", 6 + 23 + 7 + 2),
    ],
)
def test_weighted_length(text, length):
    assert weighted_length(text) == length


def test_every_url_counts_23_whatever_its_length():
    short, long = "https://a.co", "https://www.aurora-aesthetics.example/specials/december-glow/?utm_source=x"
    assert weighted_length(short) == weighted_length(long) == 23
    assert weighted_length(f"{short} {long}") == 47


def test_plain_length_counts_code_points():
    assert plain_length("😀") == 1 and plain_length("cafe\u0301") == 4


def test_hashtags():
    assert hashtags("#MedSpa and #GlowUp, not #1 nor a#b nor &#39; but #café") == [
        "#MedSpa",
        "#GlowUp",
        "#café",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Call (555) 555-0142 today",
        "call 555-0142",
        "Text +1 805 555 0173",
        "Call 1-800-FLOWERS",
        "555.123.4567",
    ],
)
def test_phone_numbers_are_found(text):
    assert phone_numbers(text)


@pytest.mark.parametrize(
    "text",
    [
        "$1,500 off",
        "2026-12-01 at 17:30",
        "20 units for $11",
        "Save 25% until 12/31/2026",
        "https://www.example.com/specials/x/?utm_campaign=special-20261201-ab12cd",
    ],
)
def test_prices_dates_and_links_are_not_phone_numbers(text):
    assert phone_numbers(text) == []


def test_shorten_cuts_at_a_word_with_an_ellipsis_and_never_mid_word():
    from pipeline.social.text import shorten

    assert (
        shorten("Crow's feet softened after two sessions", 100) == "Crow's feet softened after two sessions"
    )
    assert shorten("Crow's feet softened after two sessions", 30) == "Crow's feet softened after…"
    assert shorten("Lines, softened. Gently", 17) == "Lines, softened…"  # no dangling punctuation
    assert shorten("Supercalifragilistic", 5) is None
    assert shorten("😀😀 more text", 6, weighted_length) == "😀😀…"  # X weighs each emoji and the ellipsis 2
