"""No metadata and no original name leaves the pipeline, whatever the source format carried."""

from __future__ import annotations

import io

import exifread
import pytest
from PIL import Image

from pipeline.images import ImageJob, process_images, publish
from tests.pipeline.images.conftest import ORIGINAL_STEM, SECRET

FORBIDDEN_BYTES = (b"Exif", b"http://ns.adobe.com/xap", b"Photoshop 3.0", b"iptc", SECRET.encode())


def exif_tags(data: bytes) -> dict:
    """Tags found by exifread, an EXIF reader independent of Pillow."""
    try:
        return exifread.process_file(io.BytesIO(data), details=True)
    except Exception:
        return {"unreadable": True}


def test_sources_really_carry_the_metadata(tagged_sources):
    """The control: every fixture holds GPS, XMP and the 'patient name', so the scrub test can fail."""
    for fmt, path in tagged_sources.items():
        data = path.read_bytes()
        assert SECRET.encode() in data, fmt
        assert b"http://ns.adobe.com/xap" in data, fmt
        with Image.open(path) as image:
            assert image.getexif().get_ifd(0x8825), f"{fmt} has no GPS IFD"
        if fmt != "heic":  # exifread cannot walk HEIC; Pillow's read above covers it
            assert any(tag.startswith("GPS") for tag in exif_tags(data)), fmt
    assert b"Photoshop 3.0" in tagged_sources["jpeg"].read_bytes()


def test_outputs_have_no_metadata_and_no_original_name(tagged_sources, small_config, tmp_path):
    report = process_images(
        [ImageJob(p) for p in tagged_sources.values()], small_config, tmp_path / "cache", progress=False
    )
    publish(report.images, tmp_path / "output", tmp_path / "cache")
    files = sorted((tmp_path / "output").rglob("*"))
    files = [f for f in files if f.is_file()]
    # 4 sources x 2 widths x 3 formats
    assert len(files) == 24
    assert {f.suffix for f in files} == {".avif", ".webp", ".jpg"}
    name_parts = set(ORIGINAL_STEM.split("-")) | {ORIGINAL_STEM}
    for file in files:
        data = file.read_bytes()
        assert exif_tags(data) == {}, file.name
        for marker in FORBIDDEN_BYTES:
            assert marker not in data, (file.name, marker)
        assert not any(part in file.name for part in name_parts), file.name
        with Image.open(file) as image:
            assert (
                not {"exif", "xmp", "icc_profile", "comment", "photoshop", "XML:com.adobe.xmp"}
                & image.info.keys()
            )
            assert not image.getexif()
    # Nothing in the cache carries the original name either (CI stores it).
    for cached in (tmp_path / "cache").rglob("*"):
        assert ORIGINAL_STEM not in cached.name
        if cached.is_file() and cached.suffix == ".json":
            assert ORIGINAL_STEM.encode() not in cached.read_bytes()


@pytest.mark.parametrize("fmt", ["jpeg", "png", "webp", "heic"])
def test_every_source_format_decodes(tagged_sources, small_config, tmp_path, fmt):
    report = process_images([ImageJob(tagged_sources[fmt])], small_config, tmp_path / "cache", progress=False)
    (image,) = report.images
    assert [(d.format, d.width, d.height) for d in image.derivatives] == [
        ("avif", 96, 72),
        ("webp", 96, 72),
        ("jpeg", 96, 72),
        ("avif", 200, 150),
        ("webp", 200, 150),
        ("jpeg", 200, 150),
    ]
