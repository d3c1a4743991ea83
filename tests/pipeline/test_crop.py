"""Crop to an exact size around a focus point, and link-preview cards with no metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pipeline import crop


@pytest.mark.parametrize(
    ("size", "target", "focus", "box"),
    [
        ((2000, 1000), (1200, 630), None, (47.619, 0, 1952.381, 1000)),  # wide: trim the sides equally
        ((2000, 1000), (1200, 630), (0.0, 0.5), (0, 0, 1904.762, 1000)),  # focus at the left edge: clamp
        (
            (1000, 2000),
            (1200, 630),
            (0.5, 0.2),
            (0, 137.5, 1000, 662.5),
        ),  # tall: band around 20 % from the top
        ((1000, 2000), (1080, 1920), (0.5, 0.5), (0, 111.111, 1000, 1888.889)),  # story format reuses it
    ],
)
def test_crop_box(size, target, focus, box):
    assert crop.crop_box(size, target, focus) == pytest.approx(box, abs=0.01)


def _photo_with_dot(size, dot):
    image = Image.new("RGB", size, (200, 200, 200))
    x, y = dot
    for dx in range(-20, 21):
        for dy in range(-20, 21):
            image.putpixel((x + dx, y + dy), (220, 20, 20))
    return image


def _has_red(image) -> bool:
    return any(r > 180 and g < 80 and b < 80 for r, g, b in image.get_flattened_data())


def test_focus_keeps_the_subject_in_frame():
    photo = _photo_with_dot((3000, 1200), (150, 600))  # subject near the left edge
    framed = crop.crop_to_size(photo, (1200, 630), focus=(0.05, 0.5))
    assert framed.size == (1200, 630)
    assert _has_red(framed)
    centred = crop.crop_to_size(photo, (1200, 630))
    assert not _has_red(centred), "a centre crop loses the subject: the focus point is what keeps it"


def test_small_source_is_scaled_up_to_the_exact_size():
    assert crop.crop_to_size(Image.new("RGB", (320, 200)), (1200, 630)).size == (1200, 630)


def _jpeg_with_metadata() -> bytes:
    image = Image.new("RGB", (1600, 900), (120, 160, 150))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (37.0, 46.0, 30.0)}  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"IMG_0042 patient name")
    return buffer.getvalue()


def test_card_is_1200x630_without_any_metadata():
    data = crop.render_card(_jpeg_with_metadata(), "content/images/x.jpg")
    with Image.open(io.BytesIO(data)) as card:
        assert card.format == "JPEG"
        assert card.size == (1200, 630)
        assert len(card.getexif()) == 0
        assert "exif" not in card.info and "comment" not in card.info and "icc_profile" not in card.info
    assert b"patient" not in data and b"PhoneMaker" not in data


def test_logo_card_is_letterboxed_not_cropped():
    logo = Image.new("RGBA", (512, 512), (90, 62, 99, 255))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")
    data = crop.render_card(buffer.getvalue(), "logo.png", fit="contain", background=(248, 244, 238))
    with Image.open(io.BytesIO(data)) as card:
        assert card.size == (1200, 630)
        assert card.convert("RGB").getpixel((5, 5)) == pytest.approx((248, 244, 238), abs=3)
        assert card.convert("RGB").getpixel((600, 315)) == pytest.approx((90, 62, 99), abs=3)


def test_card_names_are_content_hashes():
    one = crop.card_key("a" * 64, crop.OG_SIZE, None, "cover", (0, 0, 0), 82)
    other = crop.card_key("a" * 64, crop.OG_SIZE, (0.2, 0.5), "cover", (0, 0, 0), 82)
    assert one != other
    name = crop.card_name(one, crop.OG_SIZE)
    assert name.startswith("media/") and name.endswith("-1200x630.jpg")
    assert name == crop.card_name(
        crop.card_key("a" * 64, crop.OG_SIZE, None, "cover", (0, 0, 0), 82), crop.OG_SIZE
    )
