"""Sizes, orientation, colour, JPEG drafts and byte-for-byte determinism."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageStat

from pipeline.images import ImageConfig, ImageJob, process_images, publish
from pipeline.images.decode import decode
from tests.pipeline.images.conftest import ADOBE_RGB, photo, save_with_metadata

JPEG_ONLY = ImageConfig(widths=(100, 200, 400), formats=("jpeg",))


def run(paths, config, tmp_path: Path, cache="cache", **kwargs):
    report = process_images(
        [p if isinstance(p, ImageJob) else ImageJob(p) for p in paths],
        config,
        tmp_path / cache,
        progress=False,
        **kwargs,
    )
    publish(report.images, tmp_path / "output", tmp_path / cache)
    return report


def test_widths_and_heights_are_exact(tmp_path):
    source = tmp_path / "a.jpg"
    photo((1000, 750)).save(source, quality=90)
    (image,) = run([source], JPEG_ONLY, tmp_path).images
    assert [(d.width, d.height) for d in image.variants("jpeg")] == [(100, 75), (200, 150), (400, 300)]
    for d in image.derivatives:
        with Image.open(tmp_path / "output" / d.name) as out:
            assert out.size == (d.width, d.height)
            assert out.format == "JPEG"
    assert (image.width, image.height) == (400, 300)


def test_never_upscales_and_adds_the_source_width(tmp_path):
    source = tmp_path / "small.png"
    photo((150, 100)).save(source)
    (image,) = run([source], JPEG_ONLY, tmp_path).images
    assert [(d.width, d.height) for d in image.variants("jpeg")] == [(100, 67), (150, 100)]


def test_exif_orientation_is_applied(tmp_path):
    # Stored landscape, left half red, right half blue; orientation 6 = shown rotated 90 degrees clockwise,
    # so the upright photo is portrait with red on top.
    stored = Image.new("RGB", (400, 300), (220, 20, 20))
    stored.paste((20, 20, 220), (200, 0, 400, 300))
    source = save_with_metadata(stored, tmp_path / "rotated.jpg", "jpeg", orientation=6)
    (image,) = run([source], JPEG_ONLY, tmp_path).images
    largest = image.variants("jpeg")[-1]
    assert (largest.width, largest.height) == (300, 400)
    with Image.open(tmp_path / "output" / largest.name) as out:
        top, bottom = out.getpixel((150, 40)), out.getpixel((150, 360))
    assert top[0] > 150 and top[2] < 100, top
    assert bottom[2] > 150 and bottom[0] < 100, bottom


def _srgb_from_adobe(rgb):
    """Adobe RGB (1998) -> sRGB by the published matrices, independent of LittleCMS."""
    lin = [(c / 255) ** (563 / 256) for c in rgb]
    to_xyz = ((0.5767, 0.1856, 0.1882), (0.2973, 0.6274, 0.0753), (0.0270, 0.0707, 0.9911))
    to_srgb = ((3.2406, -1.5372, -0.4986), (-0.9689, 1.8758, 0.0415), (0.0557, -0.2040, 1.0570))
    xyz = [sum(m * v for m, v in zip(row, lin, strict=False)) for row in to_xyz]
    out = [sum(m * v for m, v in zip(row, xyz, strict=False)) for row in to_srgb]
    return [255 * (12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055) for v in out]


def test_embedded_profile_is_converted_to_srgb(tmp_path):
    colour = (180, 90, 80)  # a skin tone, inside the sRGB gamut
    tagged, untagged = tmp_path / "adobe.png", tmp_path / "plain.png"
    Image.new("RGB", (300, 200), colour).save(tagged, icc_profile=ADOBE_RGB)
    Image.new("RGB", (300, 200), colour).save(untagged)
    config = ImageConfig(widths=(100,), formats=("jpeg",), quality={"jpeg": 95})
    converted, plain = run([tagged, untagged], config, tmp_path).images

    def mean(image):
        with Image.open(tmp_path / "output" / image.derivatives[0].name) as out:
            return ImageStat.Stat(out).mean

    expected = _srgb_from_adobe(colour)
    assert all(abs(a - b) <= 4 for a, b in zip(mean(converted), expected, strict=False)), (
        mean(converted),
        expected,
    )
    assert all(
        abs(a - b) <= 2 for a, b in zip(mean(plain), colour, strict=False)
    )  # untagged means sRGB: unchanged
    assert abs(mean(converted)[0] - colour[0]) > 20  # the conversion really moved the colour


def test_large_jpegs_are_decoded_at_draft_scale():
    import io

    buffer = io.BytesIO()
    photo((1600, 1200)).save(buffer, "JPEG", quality=90)
    image = decode(buffer.getvalue(), "big.jpg", max_pixels=10**8, draft_size=(380, 285))
    assert image.size == (400, 300)  # libjpeg's 1/4 scale: the smallest that still covers 380 px
    full = decode(buffer.getvalue(), "big.jpg", max_pixels=10**8)
    assert full.size == (1600, 1200)


def test_output_is_deterministic(tagged_sources, small_config, tmp_path):
    jobs = list(tagged_sources.values())
    first = run(jobs, small_config, tmp_path / "one", workers=2)
    second = run(jobs, small_config, tmp_path / "two", workers=1)
    assert first.images == second.images  # same names, keys and sizes
    for image in first.images:
        for d in image.derivatives:
            assert (tmp_path / "one" / "output" / d.name).read_bytes() == (
                tmp_path / "two" / "output" / d.name
            ).read_bytes()


def test_names_are_content_hashes(tmp_path):
    a, b, a_copy = tmp_path / "a.jpg", tmp_path / "b.jpg", tmp_path / "renamed.jpg"
    photo(seed=1).save(a, quality=90)
    photo(seed=2).save(b, quality=90)
    a_copy.write_bytes(a.read_bytes())
    one, two, same = run([a, b, a_copy], JPEG_ONLY, tmp_path).images
    assert one.derivatives == same.derivatives  # a renamed copy is the same image
    assert {d.name for d in one.derivatives}.isdisjoint(d.name for d in two.derivatives)
    assert all(d.name.startswith("media/") and d.name.endswith(f"-{d.width}.jpg") for d in one.derivatives)


def test_transparent_png_keeps_alpha_where_it_can(tmp_path):
    source = tmp_path / "logo.png"
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (100, 50, 200, 150))
    image.save(source)
    config = ImageConfig(widths=(150,), formats=("webp", "jpeg"))
    (out,) = run([source], config, tmp_path).images
    webp, jpeg = out.variants("webp")[0], out.variants("jpeg")[0]
    with Image.open(tmp_path / "output" / webp.name) as w:
        assert w.mode == "RGBA" and w.getpixel((5, 5))[3] == 0
    with Image.open(tmp_path / "output" / jpeg.name) as j:
        assert j.mode == "RGB" and min(j.getpixel((5, 5))) > 245  # flattened on the white background
