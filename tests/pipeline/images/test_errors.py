"""Every kind of bad source gives one clear ImageError naming the file and the fix."""

from __future__ import annotations

import struct
import zlib

import pytest
from PIL import Image, ImageStat

from pipeline.errors import PipelineError
from pipeline.images import ImageConfig, ImageError, ImageJob, process_images, publish
from tests.pipeline.images.conftest import photo

CONFIG = ImageConfig(widths=(100,), formats=("jpeg",))


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` (the header is all Image.open reads)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def error_for(path, tmp_path) -> str:
    with pytest.raises(ImageError) as caught:
        process_images([ImageJob(path)], CONFIG, tmp_path / "cache", progress=False)
    assert isinstance(caught.value, PipelineError)
    message = str(caught.value)
    assert str(path) in message
    return message


def test_non_image_with_an_image_extension(tmp_path):
    path = tmp_path / "notes.jpg"
    path.write_text("Patient consent notes, not a photo")
    assert "not an image" in error_for(path, tmp_path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    assert "Export it again" in error_for(path, tmp_path)


def test_truncated_jpeg(tmp_path):
    path = tmp_path / "half.jpg"
    photo((400, 300)).save(path, quality=90)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    message = error_for(path, tmp_path)
    assert "truncated" in message and "Copy it again" in message


def test_corrupt_header(tmp_path):
    path = tmp_path / "corrupt.png"
    path.write_bytes(png_header(400, 300)[:20] + b"garbage" * 10)
    assert "Export it again" in error_for(path, tmp_path)


@pytest.mark.parametrize("size", [(10_000, 9_000), (20_000, 20_000)], ids=["over-limit", "over-twice-limit"])
def test_decompression_bomb(tmp_path, size):
    """Pillow warns past MAX_IMAGE_PIXELS and raises past twice that: both are refused."""
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header(*size))
    message = error_for(path, tmp_path)
    assert "decompression bomb" in message and "8000 pixels" in message


def test_unsupported_format(tmp_path):
    path = tmp_path / "anim.gif"
    photo().save(path)
    assert "GIF images are not supported" in error_for(path, tmp_path)


def test_missing_file(tmp_path):
    assert "file not found" in error_for(tmp_path / "nowhere.jpg", tmp_path)


def test_all_bad_files_are_listed_and_good_ones_still_cached(tmp_path):
    good, bad1, bad2 = tmp_path / "good.jpg", tmp_path / "bad1.jpg", tmp_path / "bad2.webp"
    photo().save(good, quality=90)
    bad1.write_text("x")
    bad2.write_text("y")
    with pytest.raises(ImageError) as caught:
        process_images(
            [ImageJob(p) for p in (bad1, good, bad2)], CONFIG, tmp_path / "cache", workers=2, progress=False
        )
    lines = str(caught.value).splitlines()
    assert len(lines) == 2 and str(bad1) in lines[0] and str(bad2) in lines[1]
    report = process_images([ImageJob(good)], CONFIG, tmp_path / "cache", progress=False)
    assert report.encoded == 0


def test_cmyk_is_converted(tmp_path):
    path = tmp_path / "print.jpg"
    Image.new("CMYK", (300, 200), (0, 255, 255, 0)).save(path, quality=95)  # pure red ink
    (image,) = process_images([ImageJob(path)], CONFIG, tmp_path / "cache", progress=False).images
    publish([image], tmp_path / "out", tmp_path / "cache")
    with Image.open(tmp_path / "out" / image.derivatives[0].name) as out:
        assert out.mode == "RGB"
        r, g, b = ImageStat.Stat(out).mean
    assert r > 200 and g < 60 and b < 60


def test_16_bit_is_scaled_to_8_bit(tmp_path):
    path = tmp_path / "scan.png"
    Image.new("I;16", (300, 200), 40_000).save(path)
    (image,) = process_images([ImageJob(path)], CONFIG, tmp_path / "cache", progress=False).images
    publish([image], tmp_path / "out", tmp_path / "cache")
    with Image.open(tmp_path / "out" / image.derivatives[0].name) as out:
        mean = ImageStat.Stat(out).mean
    assert all(abs(channel - 40_000 / 256) < 3 for channel in mean), mean  # scaled, not clipped to 255


@pytest.mark.parametrize(
    "settings, key",
    [
        ({"widths": (0, 100)}, "IMAGE_WIDTHS"),
        ({"widths": "800"}, "IMAGE_WIDTHS"),
        ({"formats": ("webp",)}, "IMAGE_FORMATS"),
        ({"formats": ("avif", "gif", "jpeg")}, "IMAGE_FORMATS"),
        ({"quality": {"jpeg": 0}}, "IMAGE_QUALITY"),
        ({"quality": {"png": 80}}, "IMAGE_QUALITY"),
        ({"output_dir": "../outside"}, "IMAGE_OUTPUT_DIR"),
        ({"background": (255, 255)}, "IMAGE_BACKGROUND"),
    ],
)
def test_bad_config_names_the_setting(settings, key):
    with pytest.raises(ImageError, match=key):
        ImageConfig(**settings)


def test_a_raised_pixel_limit_is_honoured(tmp_path):
    """IMAGE_MAX_PIXELS above Pillow's own limit: a 90-megapixel scan is accepted, not called a bomb."""
    from pipeline.images.decode import probe

    data = png_header(10_000, 9_000)
    assert probe(data, "scan.png", max_pixels=200_000_000).size == (10_000, 9_000)
    with pytest.raises(ImageError, match="decompression bomb|over the limit"):
        probe(data, "scan.png", max_pixels=50_000_000)
    assert Image.MAX_IMAGE_PIXELS == 89_478_485  # Pillow's own default is left as it was


def _png_rgb16(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + struct.pack(">HHH", *rgb) * width
    ihdr = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)  # 16 bits per channel, RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def test_16_bit_rgb_keeps_its_colour(tmp_path):
    path = tmp_path / "scan48.png"
    path.write_bytes(_png_rgb16(120, 80, (50_000, 10_000, 30_000)))
    (image,) = process_images([ImageJob(path)], CONFIG, tmp_path / "cache", progress=False).images
    publish([image], tmp_path / "out", tmp_path / "cache")
    jpeg = next(d for d in image.derivatives if d.name.endswith(".jpg"))
    with Image.open(tmp_path / "out" / jpeg.name) as out:
        mean = ImageStat.Stat(out.convert("RGB")).mean
    assert all(
        abs(got - want / 257) < 6 for got, want in zip(mean, (50_000, 10_000, 30_000), strict=False)
    ), mean


def test_large_jpegs_are_decoded_at_the_draft_scale_they_need(tmp_path):
    """A 4000x3000 JPEG needed at 800 px wide is decoded by libjpeg at 1/4 scale (1000x750)."""
    import io

    from pipeline.images.decode import decode

    buffer = io.BytesIO()
    photo((4000, 3000)).save(buffer, "JPEG", quality=85)
    assert decode(buffer.getvalue(), "big.jpg", max_pixels=100_000_000, draft_size=(800, 600)).size == (
        1000,
        750,
    )
    assert decode(buffer.getvalue(), "big.jpg", max_pixels=100_000_000, draft_size=(1600, 1200)).size == (
        2000,
        1500,
    )
    assert decode(buffer.getvalue(), "big.jpg", max_pixels=100_000_000).size == (4000, 3000)


def test_the_pipeline_asks_for_the_draft_scale_of_its_largest_width(tmp_path, monkeypatch):
    """process_images decodes each photo once, at the draft scale its largest derivative needs."""
    from pipeline.images import process

    seen = []
    real = process.decode

    def spy(data, name, **kwargs):
        image = real(data, name, **kwargs)
        seen.append((kwargs.get("draft_size"), image.size))
        return image

    monkeypatch.setattr(process, "decode", spy)
    path = tmp_path / "big.jpg"
    photo((4000, 3000)).save(path, quality=85)
    config = ImageConfig(widths=(480, 800), formats=("jpeg",))
    process_images([ImageJob(path)], config, tmp_path / "cache", workers=1, progress=False)
    assert seen == [((800, 600), (1000, 750))]  # one decode, at 1/4 scale
