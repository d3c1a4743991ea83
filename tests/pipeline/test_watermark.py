"""The watermark: placed where asked, the same relative size at every width, with a stable cache key."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops

from pipeline.images import ImageError
from pipeline.watermark import POSITIONS, WatermarkSpec, watermark


def grey(width: int) -> Image.Image:
    return Image.new("RGB", (width, width * 3 // 4), (90, 90, 90))


def mark_box(width: int, spec: WatermarkSpec) -> tuple[int, int, int, int]:
    base = grey(width)
    marked = watermark(base, spec)
    assert marked.size == base.size and marked.mode == base.mode
    box = ImageChops.difference(base, marked).getbbox()
    assert box, "nothing was drawn"
    return box


def logo_bytes() -> bytes:
    logo = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    logo.paste((255, 255, 255, 255), (0, 0, 200, 100))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "spec", [WatermarkSpec(text="Aurora Aesthetics"), WatermarkSpec(logo=logo_bytes())], ids=["text", "logo"]
)
def test_mark_looks_the_same_at_every_width(spec):
    boxes = {w: mark_box(w, spec) for w in (400, 800, 1600)}
    for width, (left, _top, right, _bottom) in boxes.items():
        assert abs((right - left) / width - spec.size) < 0.02, (width, right - left)
        assert abs((width - right) / width - spec.margin) < 0.01  # bottom-right, margin from the right edge
    # Relative geometry agrees across widths.
    relative = [[v / w for v in box] for w, box in boxes.items()]
    for i in range(4):
        assert max(r[i] for r in relative) - min(r[i] for r in relative) < 0.015, relative


@pytest.mark.parametrize("position", POSITIONS)
def test_position(position):
    left, top, right, bottom = mark_box(800, WatermarkSpec(text="Aurora", position=position, size=0.2))
    cx, cy = (left + right) / 2 / 800, (top + bottom) / 2 / 600
    expect_x = {"left": 0.13, "right": 0.87}.get(position.split("-")[-1], 0.5)
    expect_y = {"top": 0.1, "bottom": 0.9}.get(position.split("-")[0], 0.5)
    assert abs(cx - expect_x) < 0.05 and abs(cy - expect_y) < 0.12, (position, cx, cy)


def test_opacity_scales_the_effect():
    base = grey(400)
    faint = ImageChops.difference(base, watermark(base, WatermarkSpec(logo=logo_bytes(), opacity=0.2)))
    strong = ImageChops.difference(base, watermark(base, WatermarkSpec(logo=logo_bytes(), opacity=1.0)))
    assert faint.getextrema()[0][1] < strong.getextrema()[0][1]
    assert watermark(base, WatermarkSpec(text="x", opacity=0)).tobytes() == base.tobytes()


def test_is_pure_and_deterministic():
    base = grey(500)
    before = base.tobytes()
    spec = WatermarkSpec(text="Aurora")
    assert watermark(base, spec).tobytes() == watermark(base, spec).tobytes()
    assert base.tobytes() == before


def test_cache_key_is_stable_and_covers_every_field():
    spec = WatermarkSpec(text="Aurora")
    assert spec.cache_key() == WatermarkSpec(text="Aurora").cache_key()
    variants = [
        WatermarkSpec(text="Aurora!"),
        WatermarkSpec(text="Aurora", position="top-left"),
        WatermarkSpec(text="Aurora", opacity=0.6),
        WatermarkSpec(text="Aurora", size=0.3),
        WatermarkSpec(text="Aurora", margin=0.05),
        WatermarkSpec(text="Aurora", color=(0, 0, 0)),
        WatermarkSpec(logo=logo_bytes()),
    ]
    keys = {v.cache_key() for v in variants} | {spec.cache_key()}
    assert len(keys) == len(variants) + 1
    other_logo = Image.new("RGBA", (10, 10), (1, 2, 3, 255))
    buffer = io.BytesIO()
    other_logo.save(buffer, "PNG")
    assert WatermarkSpec(logo=buffer.getvalue()).cache_key() != WatermarkSpec(logo=logo_bytes()).cache_key()


@pytest.mark.parametrize(
    "kwargs, key",
    [
        ({}, "WATERMARK_TEXT"),
        ({"text": "a", "logo": b"x"}, "WATERMARK_LOGO"),
        ({"text": "  "}, "WATERMARK_TEXT"),
        ({"logo": b"not an image"}, "WATERMARK_LOGO"),
        ({"text": "a", "position": "middle"}, "WATERMARK_POSITION"),
        ({"text": "a", "opacity": 1.5}, "WATERMARK_OPACITY"),
        ({"text": "a", "size": 0}, "WATERMARK_SIZE"),
        ({"text": "a", "margin": -0.1}, "WATERMARK_MARGIN"),
        ({"text": "a", "color": "white"}, "WATERMARK_COLOR"),
        ({"text": "a", "font": b"not a font"}, "WATERMARK_FONT"),
    ],
)
def test_bad_specs_name_the_setting(kwargs, key):
    with pytest.raises(ImageError, match=key):
        WatermarkSpec(**kwargs)
