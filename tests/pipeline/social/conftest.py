"""Social items and photos made on the spot, for the pure parts of pipeline.social."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from pipeline.social.items import Photo, SocialItem

TZ = ZoneInfo("America/Los_Angeles")
SITE = "https://www.test-aesthetics.example"


def item(**fields) -> SocialItem:
    """A blog post's social item; any field can be overridden."""
    values = dict(
        kind="post",
        id="botox-myths",
        path="content/blog/botox-myths.md",
        title="Five myths about Botox",
        summary="What it can and cannot do.",
        url=f"{SITE}/blog/botox-myths/",
        campaign="post-20260314-27f564",
        networks=("instagram", "facebook", "x", "linkedin", "gbp"),
        cta="Read more",
        lines={
            "title": 2,
            "summary": 4,
            "social": 10,
            "social.caption": 11,
            "social.hashtags": 12,
            "social.at": 13,
        },
    )
    values.update(fields)
    return SocialItem(**values)


@pytest.fixture
def photo_file(tmp_path) -> Path:
    """A 1600x1000 photo with a red subject near the left edge."""
    image = Image.new("RGB", (1600, 1000), (200, 200, 200))
    image.paste((220, 20, 20), (60, 450, 160, 550))
    path = tmp_path / "IMG_0042 jane doe.jpg"
    image.save(path, quality=90)
    return path


@pytest.fixture
def photo(photo_file) -> Photo:
    return Photo(photo_file, "A vial on a tray", (0.07, 0.5))


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=TZ)
