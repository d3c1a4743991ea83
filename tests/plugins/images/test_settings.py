"""IMAGE_* settings become an ImageConfig when Pelican starts; mistakes name the key."""

from __future__ import annotations

import pytest
from pelican import Pelican
from pelican.settings import read_settings

import plugins.images as images_plugin
from pipeline.images import ImageError


def start(tmp_path, **settings):
    overrides = {
        "PATH": str(tmp_path),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "PLUGINS": [images_plugin],
        "SITEURL": "",
        **settings,
    }
    return Pelican(read_settings(None, override=overrides))


def test_defaults(tmp_path):
    config, cache, workers = images_plugin.image_settings(start(tmp_path).settings)
    assert config.widths == (480, 800, 1200, 1600) and config.formats == ("avif", "webp", "jpeg")
    assert str(cache) == "cache/images" and workers >= 1


def test_overrides(tmp_path):
    pelican = start(tmp_path, IMAGE_WIDTHS=[800, 400], IMAGE_QUALITY={"jpeg": 70}, IMAGE_WORKERS=1)
    config, _, workers = images_plugin.image_settings(pelican.settings)
    assert config.widths == (400, 800) and config.quality["jpeg"] == 70 and config.quality["avif"] == 60
    assert workers == 1


@pytest.mark.parametrize(
    "settings, key",
    [
        ({"IMAGE_WIDHTS": (400,)}, "IMAGE_WIDHTS"),
        ({"IMAGE_FORMATS": ("avif",)}, "IMAGE_FORMATS"),
        ({"IMAGE_WORKERS": 0}, "IMAGE_WORKERS"),
        ({"IMAGE_CACHE_PATH": ""}, "IMAGE_CACHE_PATH"),
        ({"IMAGE_CACHE_PATH": "OUTPUT/cache"}, "inside OUTPUT_PATH"),
    ],
)
def test_bad_settings_name_the_key(tmp_path, settings, key):
    if settings.get("IMAGE_CACHE_PATH", "").startswith("OUTPUT/"):
        settings = {"IMAGE_CACHE_PATH": str(tmp_path / "output" / "cache")}
    with pytest.raises(ImageError, match=key):
        start(tmp_path, **settings)
