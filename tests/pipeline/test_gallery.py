"""The gallery's pure rules: dates finer than a year, durations, photo names, filters, labels."""

from __future__ import annotations

import pytest

from pipeline import gallery
from pipeline.gallery import Summary, find_dates


@pytest.mark.parametrize(
    "text, found",
    [
        ("taken 2026-03-14", "2026-03-14"),
        ("taken 2026/3/4.", "2026/3/4"),
        ("seen on 03/14/2026.", "03/14/2026"),
        ("seen on 14/03/2026", "14/03/2026"),
        ("seen on 3-14-26", "3-14-26"),
        ("Photographed 14.03.2026.", "14.03.2026"),
        ("treated in 2026-03", "2026-03"),
        ("treated 03/2026", "03/2026"),
        ("on March 14, 2026 we", "March 14, 2026"),
        ("on Mar. 14th", "Mar. 14th"),
        ("on the 14th of March", "14th of March"),
        ("on 3 May", "3 May"),
        ("since September 2025", "September 2025"),
        ("since sept 2025", "sept 2025"),
        ("in spring 2026", "spring 2026"),
        ("in the fall of 2025", "fall of 2025"),
    ],
)
def test_dates_finer_than_a_year_are_found(text, found):
    assert [hit.text for hit in find_dates(text)] == [found]


@pytest.mark.parametrize(
    "text",
    [
        "12 weeks after treatment",
        "3-6 sessions of 1.5-10 units",
        "rated the result 10/10",
        "our 2026 price list",
        "Results may vary; May is busy",  # "May" alone is a month, not a date
        "a 20% smoother forehead in 2 weeks",
        "Jan 2 weeks later",
        "C-2024-007",
    ],
)
def test_other_numbers_are_not_dates(text):
    assert find_dates(text) == []


def test_hits_carry_their_line_and_skipped_codes_are_ignored():
    text = "title: Fine lines\nconsent: X2025-01-02\n# shot 2026-03-14\n"
    assert find_dates(text, skip=["X2025-01-02"]) == [gallery.DateHit(3, "2026-03-14")]
    assert [h.line for h in find_dates(text)] == [2, 3]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12 weeks", "12 weeks"),
        ("12 Weeks", "12 weeks"),
        ("1 months", "1 month"),
        ("6 month", "6 months"),
        ("2weeks", "2 weeks"),
        (" 1 year ", "1 year"),
        ("0 weeks", None),
        ("twelve weeks", None),
        ("2026-03-14", None),
        ("12", None),
        ("3 fortnights", None),
    ],
)
def test_relative_durations(text, expected):
    assert gallery.parse_duration(text) == expected


@pytest.mark.parametrize(
    "src, problem",
    [
        ("front-before.jpg", None),
        ("IMG_0042.HEIC", None),
        ("side.webp", None),
        ("../other-case/front.jpg", "is not a file name in the case's folder"),
        ("photos/front.jpg", "is not a file name in the case's folder"),
        ("notes.pdf", "is not a photo file"),
    ],
)
def test_photo_sources(src, problem):
    result = gallery.photo_problem(src)
    assert (result is None) if problem is None else (problem in result and " — " in result)


def test_labels_and_phrases():
    assert gallery.pair_labels("Front", "12 weeks") == ("Front — before", "Front — 12 weeks after")
    assert gallery.pair_labels(None, "1 month") == ("Before", "1 month after")
    assert gallery.sessions_text(1) == "1 session" and gallery.sessions_text(4) == "4 sessions"
    assert gallery.after_text("6 weeks") == "6 weeks after treatment"
    assert gallery.area_slug("Crow's feet") == "crows-feet"
    assert gallery.area_slug("Décolletage & neck") == "decolletage-neck"


def test_facets_count_each_option_in_a_stable_order():
    cases = [
        Summary("a", "botox", "Botox", ("forehead", "crow's feet"), "40-49", 1),
        Summary("b", "botox", "Botox", ("Forehead",), "30-39", 1),
        Summary("c", "ipl", "IPL photofacial", ("cheeks",), "70+", 3),
    ]
    facets = gallery.facets(cases)
    assert [(o.value, o.label, o.count) for o in facets.procedures] == [
        ("botox", "Botox", 2),
        ("ipl", "IPL photofacial", 1),
    ]
    assert [(o.value, o.count) for o in facets.areas] == [("cheeks", 1), ("crows-feet", 1), ("forehead", 2)]
    assert [o.value for o in facets.ages] == ["30-39", "40-49", "70+"]
    assert [o.label for o in facets.ages] == ["30–39", "40–49", "70+"]
    assert [(o.value, o.label) for o in facets.sessions] == [("1", "1 session"), ("3", "3 sessions")]
    assert gallery.in_area(cases[0], "crows-feet") and not gallery.in_area(cases[2], "forehead")
    assert gallery.facets(list(reversed(cases))) == facets
