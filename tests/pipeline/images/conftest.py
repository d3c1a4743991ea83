"""Source photos made on the spot: small, noisy, and carrying every kind of metadata the scrub must remove."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from pipeline.images import ImageConfig

# Stands for a patient's name: it must never come out of the pipeline, in bytes or in file names.
SECRET = "JaneDoeSecret"
ORIGINAL_STEM = "jane-doe-front-before"

XMP = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    'xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" '
    f'xmp:CreatorTool="{SECRET}" Iptc4xmpCore:Location="{SECRET} clinic"/>'
    '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
).encode()


def iptc_block() -> bytes:
    """A Photoshop 3.0 resource block holding IPTC-IIM 2:05 (object name) = SECRET."""
    iim = b"\x1c\x02\x05" + struct.pack(">H", len(SECRET)) + SECRET.encode()
    resource = b"8BIM" + b"\x04\x04" + b"\x00\x00" + struct.pack(">I", len(iim)) + iim
    if len(iim) % 2:
        resource += b"\x00"
    return b"Photoshop 3.0\x00" + resource


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.ImageDescription] = SECRET
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (40.0, 44.0, 54.36), 3: "W", 4: (73.0, 59.0, 8.5)}
    return exif


def icc_rgb_profile(description: str, colorants: tuple, gamma: float) -> bytes:
    """A minimal ICC v2 matrix/TRC display profile (D50-adapted colorants), built by hand."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(values) -> bytes:
        return b"XYZ \x00\x00\x00\x00" + b"".join(s15(v) for v in values)

    curve = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, round(gamma * 256)) + b"\x00\x00"
    text = description.encode("ascii") + b"\x00"
    desc = b"desc\x00\x00\x00\x00" + struct.pack(">I", len(text)) + text + b"\x00" * (4 + 4 + 2 + 1 + 67)
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz((0.9642, 1.0, 0.8249))),
        (b"rXYZ", xyz(colorants[0])),
        (b"gXYZ", xyz(colorants[1])),
        (b"bXYZ", xyz(colorants[2])),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text\x00\x00\x00\x00no copyright\x00"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data + b"\x00" * (-len(data) % 4)
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + b"\x00" * 4
        + b"\x02\x10\x00\x00"
        + b"mntrRGB XYZ "
        + b"\x00" * 12
        + b"acsp"
        + b"\x00" * 24
        + b"\x00" * 4
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)
        + b"\x00" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


# Adobe RGB (1998), Bradford-adapted to D50, gamma 563/256.
ADOBE_RGB = icc_rgb_profile(
    "Adobe RGB-like test profile",
    ((0.6097, 0.3111, 0.0195), (0.2053, 0.6257, 0.0609), (0.1492, 0.0632, 0.7446)),
    563 / 256,
)


def photo(size: tuple[int, int] = (320, 240), seed: int = 0) -> Image.Image:
    """Photographic-ish pixels: a gradient, shapes and noise, different per seed."""
    width, height = size
    base = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(base)
    for i in range(6):
        x, y = (seed * 37 + i * 53) % width, (seed * 61 + i * 29) % height
        draw.ellipse(
            (x, y, x + width // 4, y + height // 4),
            fill=((i * 80 + seed * 20) % 256, 120, (200 - i * 30) % 256),
        )
    noise = Image.effect_noise(size, 30).convert("RGB")
    return Image.blend(base, noise, 0.15)


def save_with_metadata(image: Image.Image, path: Path, fmt: str, orientation: int | None = None) -> Path:
    """Write ``image`` as ``fmt`` carrying GPS EXIF, XMP (with IPTC Core), IPTC-IIM where the format has a place
    for it, a comment, and an ICC profile."""
    exif = gps_exif(orientation).tobytes()
    if fmt == "jpeg":
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90, exif=exif, xmp=XMP, comment=SECRET, icc_profile=ADOBE_RGB)
        data = buffer.getvalue()
        app13 = iptc_block()
        data = data[:2] + b"\xff\xed" + struct.pack(">H", len(app13) + 2) + app13 + data[2:]
        path.write_bytes(data)
    elif fmt == "png":
        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", XMP.decode())
        raw = iptc_block()
        info.add_text("Raw profile type iptc", f"\niptc\n{len(raw):8d}\n{raw.hex()}\n")
        info.add_text("Comment", SECRET)
        image.save(path, "PNG", pnginfo=info, exif=exif, icc_profile=ADOBE_RGB)
    elif fmt == "webp":
        # With the "Exif" header, as cameras write it (and as exifread looks for it).
        image.save(path, "WEBP", quality=90, exif=b"Exif\x00\x00" + exif, xmp=XMP, icc_profile=ADOBE_RGB)
    elif fmt == "heic":
        image.save(path, "HEIF", quality=90, exif=exif, xmp=XMP)
    else:
        raise ValueError(fmt)
    return path


SOURCE_FORMATS = {"jpeg": ".jpg", "png": ".png", "webp": ".webp", "heic": ".heic"}


@pytest.fixture
def small_config() -> ImageConfig:
    """Two small widths and every output format: AVIF is slow, so tests keep images tiny."""
    return ImageConfig(widths=(96, 200), formats=("avif", "webp", "jpeg"))


@pytest.fixture
def tagged_sources(tmp_path: Path) -> dict[str, Path]:
    """One 320x240 photo per source format, each full of metadata, named after a 'patient'."""
    folder = tmp_path / "sources"
    folder.mkdir()
    return {
        fmt: save_with_metadata(photo(seed=i), folder / f"{ORIGINAL_STEM}{ext}", fmt)
        for i, (fmt, ext) in enumerate(SOURCE_FORMATS.items())
    }
