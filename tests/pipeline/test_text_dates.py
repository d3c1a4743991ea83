"""Dates finer than a year, in every form people write them; amounts, ranges and years are not dates."""

from __future__ import annotations

import pytest

from pipeline.text_dates import find_dates


@pytest.mark.parametrize(
    "text, found",
    [
        ("treated 3/14", "3/14"),
        ("after Christmas Eve 2025", "Christmas Eve 2025"),
        ("photographed 20260314", "20260314"),
        ("seen 14-Mar-2026", "14-Mar-2026"),
        ("before Valentine's Day 2026", "Valentine's Day 2026"),
        ("booked in Q1 2026", "Q1 2026"),
        ("in 1Q26", "1Q26"),
        ("2026 Q1 results", "2026 Q1"),
        ("the first quarter of 2026", "first quarter of 2026"),
        ("H2 2025", "H2 2025"),
        ("in summer 2025", "summer 2025"),
        ("the summer of '25", "summer of '25"),
        ("by late 2025", "late 2025"),
        ("on the 14th.", "the 14th"),
        ("on March the 14th", "March the 14th"),
        ("on March first", "March first"),
        ("the fourteenth of March", "fourteenth of March"),
        ("IMG_20260314_1015.jpg", "20260314"),
        ("front_2026_03_14.jpg", "2026_03_14"),
        ("14MAR26", "14MAR26"),
        ("Mar14", "Mar14"),
        ("\uff11\uff14\uff0f\uff10\uff13\uff0f\uff12\uff10\uff12\uff16", "14/03/2026"),  # full-width
        ("2026\u201303\u201314", "2026-03-14"),  # en dashes
        ("March\u00a014", "March 14"),  # a non-breaking space
        ("on 3-14", "3-14"),
        ("on 1/2", "1/2"),
        ("2026-W11", "2026-W11"),
        ("14 de marzo de 2026", "14 de marzo de 2026"),
        ("May 3rd", "May 3rd"),
        ("may 14", "may 14"),
        ("3rd of May", "3rd of May"),
        ("the Fourth of July", "Fourth of July"),
        ("Thanksgiving 2025", "Thanksgiving 2025"),
        ("Mar '26", "Mar '26"),
        ("Sept. 3", "Sept. 3"),
        ("12/25", "12/25"),
    ],
)
def test_every_form_of_a_date_is_found(text, found):
    assert [hit.text for hit in find_dates(text)] == [found]


@pytest.mark.parametrize(
    "text",
    [
        "1/2 syringe",
        "3/4 of the area",
        "24/7 support",
        "rated 8/10",
        "4/5 stars",
        "the 3rd session",
        "her 2nd visit",
        "3 may need more",
        "4.5 units",
        "10:30",
        "3-6 sessions of 1.5-10 units",
        "spring skin",
        "in the fall",
        "Summer-ready skin",
        "Q-switched laser",
        "IPL sessions a month apart",
        "botox-forehead-03",
        "ages 40-49",
        "Morpheus8",
        "CO2 laser",
        "May results vary",
        "Marisol",
        "remarkable",
        "summary",
        "H1 20 units",
        "Q1 results",
        "order 123456789",
        "(805) 555-0100",
    ],
)
def test_amounts_ranges_and_words_are_not_dates(text):
    assert find_dates(text) == []
