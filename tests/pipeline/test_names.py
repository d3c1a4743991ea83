"""People's names in gallery text: cues a reader goes by, and ordinary words that are also names."""

from __future__ import annotations

import pytest

from pipeline.names import find_names, find_names_in_file_name


@pytest.mark.parametrize(
    "text, found",
    [
        ("Jane's forehead after two sessions", "Jane's"),
        ("Mrs. Alvarez before treatment", "Mrs. Alvarez"),
        ("Dr Chen's patient", "Dr Chen's"),
        ("Ms Nguyen, front", "Ms Nguyen"),
        ("Sra. García, after", "Sra. García"),
        ("Miss Jennifer", "Miss Jennifer"),
        ("Treated for Jane", "Jane"),
        ("Priya had four sessions", "Priya"),
        ("Grace Kim, 12 weeks after", "Grace Kim"),
        ("Maria Lopez after one session", "Maria Lopez"),
        ("Will's smile", "Will's"),
        ("Grace's forehead", "Grace's"),
        ("Mrs. Hope before", "Mrs. Hope"),
        ("Results for José", "José"),
        ("Mary-Jane after", "Mary-Jane"),
        ("JOSÉ AFTER ONE SESSION", "JOSÉ"),
    ],
)
def test_names_are_found(text, found):
    assert [hit.text for hit in find_names(text)] == [found]


@pytest.mark.parametrize(
    "text",
    [
        "Crow's feet smoothed on both sides",
        "Grace and poise: softer lines",
        "May results vary",
        "Will it hurt? Mark the area",
        "A Summer glow",
        "Hope for acne scars",
        "Joy in her smile",
        "Rose-gold highlights",
        "Adam's apple reduction",
        "Cupid's bow defined",
        "Front, at rest",
        "Left eye",
        "Brown sun spots faded",
        "Don't Miss Out on Smoother Skin",
        "Softer Forehead Lines After One Botox Session",
        "Fitzpatrick skin type III",
        "IPL Photofacial",
        "HydraFacial glow",
        "CoolSculpting for the flanks",
        "Lips after filler",
        "Lower eyelids",
        "Toner and peel",
        "Summer's heat",
        "April to June",
        "Christmas Eve",
        "Candela laser",
        "Amber and Ivy tones",
        "Crystal-clear skin",
        "Aurora Aesthetics",
    ],
)
def test_ordinary_text_is_not_a_name(text):
    assert find_names(text) == []


def test_the_practice_own_name_can_be_allowed():
    assert find_names("Treated at Clara Skin") and not find_names(
        "Treated at Clara Skin", ["Clara Skin Studio"]
    )


@pytest.mark.parametrize(
    "name, found",
    [
        ("jane-doe-front-before.jpg", ["jane"]),
        ("JaneDoe_before.heic", ["Jane"]),
        ("priya.jpg", ["priya"]),
        ("alvarez_before.jpg", ["alvarez"]),
        ("front-before.jpg", []),
        ("left-after.jpg", []),
        ("grace-front.jpg", []),
        ("IMG_4032.jpg", []),
        ("lips-before.png", []),
        ("back-before.jpg", []),
        ("botox-forehead-01", []),
        ("crows-feet-left.jpg", []),
        ("body-contouring-flanks-02", []),
    ],
)
def test_names_in_file_names(name, found):
    assert [hit.text for hit in find_names_in_file_name(name)] == found
