"""WATERMARK_* settings are read once, when Pelican starts, and a mistake stops it with the key's name."""

from __future__ import annotations

import io

import pytest
from pelican import Pelican
from pelican.settings import read_settings
from PIL import Image

import plugins.watermark as watermark_plugin
from pipeline.images import ImageError


def start(tmp_path, **settings):
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "PLUGINS": [watermark_plugin],
        "SITEURL": "",
        **settings,
    }
    return Pelican(read_settings(None, override=overrides))


def test_text_watermark_applies_to_gallery_by_default(tmp_path):
    pelican = start(tmp_path, WATERMARK_TEXT="Aurora Aesthetics", WATERMARK_OPACITY=0.4)
    spec = watermark_plugin.spec_for(pelican.settings, "gallery")
    assert spec.text == "Aurora Aesthetics" and spec.opacity == 0.4 and spec.position == "bottom-right"
    assert watermark_plugin.spec_for(pelican.settings, "post") is None


def test_logo_is_read_relative_to_the_content_folder(tmp_path):
    (tmp_path / "content" / "images").mkdir(parents=True)
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 20), (255, 255, 255, 200)).save(buffer, "PNG")
    (tmp_path / "content" / "images" / "logo.png").write_bytes(buffer.getvalue())
    pelican = start(tmp_path, WATERMARK_LOGO="images/logo.png", WATERMARK_APPLIES_TO=["gallery", "post"])
    assert watermark_plugin.spec_for(pelican.settings, "post").logo == buffer.getvalue()


def test_no_watermark_settings_means_no_watermark(tmp_path):
    assert watermark_plugin.spec_for(start(tmp_path).settings, "gallery") is None


@pytest.mark.parametrize(
    "settings, key",
    [
        ({"WATERMARK_TEXT": "A", "WATERMARK_POSITON": "top-left"}, "WATERMARK_POSITON"),
        ({"WATERMARK_LOGO": "images/missing.png"}, "WATERMARK_LOGO"),
        ({"WATERMARK_TEXT": "A", "WATERMARK_SIZE": 2}, "WATERMARK_SIZE"),
        ({"WATERMARK_TEXT": "A", "WATERMARK_APPLIES_TO": "gallery"}, "WATERMARK_APPLIES_TO"),
    ],
)
def test_bad_settings_stop_the_build_naming_the_key(tmp_path, settings, key):
    with pytest.raises(ImageError, match=key):
        start(tmp_path, **settings)
