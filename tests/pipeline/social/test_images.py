"""Every network's image at its exact size, cropped around the focus, scrubbed, watermarked as configured."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pipeline.images.cache import ImageCache
from pipeline.social import images
from pipeline.social.items import PairPhotos, Photo
from pipeline.social.networks import NETWORKS
from pipeline.watermark import WatermarkSpec
from tests.pipeline.images.conftest import SECRET, save_with_metadata
from tests.support.gallery import photo as noisy_photo

SIZES = sorted({spec.size for net in NETWORKS.values() for spec in net.images})


def test_the_table_has_every_size_the_issue_names():
    assert set(SIZES) == {(1080, 1080), (1080, 1350), (1080, 1920), (1200, 630), (1200, 627), (1200, 900)}
    assert NETWORKS["gbp"].images[0].size[0] * 3 == NETWORKS["gbp"].images[0].size[1] * 4  # GBP: 4:3


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _red(image: Image.Image) -> bool:
    return any(
        r > 180 and g < 80 and b < 80
        for r, g, b in image.convert("RGB").resize((120, 120)).get_flattened_data()
    )


@pytest.mark.parametrize("size", SIZES)
def test_photo_is_exactly_the_network_size_and_keeps_its_focus(photo, size):
    rendered = images.render(photo, size, None, 88)
    image = _open(rendered.data)
    assert image.format == "JPEG" and image.size == size
    assert rendered.name.startswith("images/") and rendered.name.endswith(f"-{size[0]}x{size[1]}.jpg")
    assert _red(image), "the subject near the left edge stays in frame because of the focus point"


def test_without_the_focus_point_a_centre_crop_loses_that_subject(photo):
    centred = Photo(photo.path, photo.alt, None)
    assert not _red(_open(images.render(centred, (1080, 1920), None, 88).data))


@pytest.mark.parametrize("size", SIZES)
def test_before_after_composite_is_exact_and_never_crops_a_photo(tmp_path, size):
    # Red marks in the corners of both photos: a crop would lose them; fitting keeps all four.
    paths = []
    for name in ("before", "after"):
        picture = Image.new("RGB", (600, 800), (190, 190, 200))
        for corner in ((0, 0), (560, 0), (0, 760), (560, 760)):
            picture.paste((230, 10, 10), (*corner, corner[0] + 40, corner[1] + 40))
        paths.append(tmp_path / f"{name}.png")
        picture.save(paths[-1])
    pair = PairPhotos(paths[0], paths[1], "Front — before", "Front — 6 weeks after", "Before and after")
    image = _open(images.render(pair, size, None, 88).data)
    assert image.size == size
    small = image.convert("RGB").resize((size[0] // 4, size[1] // 4), Image.Resampling.NEAREST)
    width = small.width
    reds = [
        (i % width, i // width)
        for i, (r, g, _) in enumerate(small.get_flattened_data())
        if r > 180 and g < 80
    ]
    # Quarters of the canvas holding red: side by side, all four columns at top and bottom; stacked, every row.
    assert len({(x * 4 // small.width, y * 4 // small.height) for x, y in reds}) >= 6, (
        "all corners of both photos show"
    )


def test_labels_are_drawn_on_the_composite(tmp_path):
    paths = []
    for name in ("before", "after"):
        Image.new("RGB", (300, 400), (120, 140, 160)).save(tmp_path / f"{name}.png")
        paths.append(tmp_path / f"{name}.png")
    labelled = images.render(PairPhotos(*paths, "Before", "After", "x"), (1080, 1080), None, 88).data
    other = images.render(PairPhotos(*paths, "Before", "12 weeks after", "x"), (1080, 1080), None, 88).data
    band = _open(labelled).crop((540, 1000, 1080, 1080))
    assert band.convert("L").getextrema()[1] > 200, "white label text on the dark band"
    assert labelled != other


def test_no_metadata_or_original_name_leaves(tmp_path):
    source = tmp_path / "jane-doe-front-before.jpg"
    save_with_metadata(noisy_photo((800, 600), 3), source, "jpeg")
    assert b"Exif" in source.read_bytes()
    for render in (
        images.render(Photo(source, "x"), (1080, 1350), None, 88),
        images.render(PairPhotos(source, source, "Before", "After", "x"), (1200, 630), None, 88),
    ):
        for marker in (b"Exif", b"http://ns.adobe.com/xap", b"Photoshop 3.0", SECRET.encode(), b"jane"):
            assert marker not in render.data
        assert "jane" not in render.name
        image = _open(render.data)
        assert not image.getexif() and "icc_profile" not in image.info


def test_watermark_is_applied_when_configured_and_changes_the_name(photo):
    plain = images.render(photo, (1080, 1080), None, 88)
    spec = WatermarkSpec(text="Test Aesthetics", opacity=1.0, position="bottom-right", size=0.4)
    marked = images.render(photo, (1080, 1080), spec, 88)
    assert marked.name != plain.name
    corner = lambda r: _open(r.data).crop((600, 900, 1080, 1080)).convert("L")  # noqa: E731
    assert corner(marked).getextrema()[1] > corner(plain).getextrema()[1] + 20, "white text in the corner"


def test_render_is_deterministic_and_cached(photo, tmp_path):
    cache = ImageCache(tmp_path / "cache")
    first = images.render(photo, (1200, 627), None, 88, cache)
    again = images.render(photo, (1200, 627), None, 88, cache)
    fresh = images.render(photo, (1200, 627), None, 88)
    assert first.data == again.data == fresh.data and first.name == again.name
    assert len(list((tmp_path / "cache" / "objects").rglob("*.jpg"))) == 1


def test_logo_is_letterboxed_not_cropped(tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (200, 200), (90, 62, 99, 255)).save(logo)
    image = _open(images.render(Photo(logo, "Logo", None, "contain"), (1080, 1920), None, 88).data)
    assert image.size == (1080, 1920)
    assert image.getpixel((5, 5)) == pytest.approx(images.BACKGROUND, abs=4)
