"""Reading source photos: JPEG, PNG, WebP and HEIC in; upright sRGB pixels with no metadata out.

Every way a source can be unusable becomes one ``ImageError`` that names the file and the
fix. Nothing in here writes files.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from pipeline.images.colour import to_srgb
from pipeline.images.errors import unusable

logger = logging.getLogger(__name__)

# iPhones shoot HEIC; the opener makes Image.open read it like any other format.
pillow_heif.register_heif_opener()

# Pillow format name -> what we call it in messages. MPO is how Pillow opens many phone JPEGs.
ACCEPTED = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC", "AVIF": "AVIF"}
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
_FIX_EXPORT = "Export it again from the camera or photo app as JPEG, PNG, WebP or HEIC and replace the file."


@dataclass(frozen=True)
class SourceInfo:
    """What the header says: format, upright size, EXIF orientation."""

    format: str
    size: tuple[int, int]
    orientation: int


def _open(data: bytes, name: str, max_pixels: int) -> Image.Image:
    """Open the header, turning every 'not a usable image' case into an ImageError."""
    default_limit = Image.MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            # Over MAX_IMAGE_PIXELS Pillow only warns (it errors at twice that): refuse both, at our
            # own limit (IMAGE_MAX_PIXELS may be above or below Pillow's).
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = max_pixels
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise unusable(
            name,
            f"refused as a possible decompression bomb ({exc})",
            "If it is a real photo, resize it to at most 8000 pixels on the long side and replace the file.",
        ) from None
    except UnidentifiedImageError:
        raise unusable(
            name,
            "not an image that can be read (an empty file, another kind of file renamed, or a damaged copy)",
            _FIX_EXPORT,
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise unusable(name, f"the image header is damaged ({exc})", _FIX_EXPORT) from None
    finally:
        Image.MAX_IMAGE_PIXELS = default_limit
    if image.format not in ACCEPTED:
        raise unusable(
            name,
            f"{image.format} images are not supported",
            "Convert it to JPEG, PNG, WebP or HEIC and replace the file.",
        )
    width, height = image.size
    if width * height > max_pixels:
        raise unusable(
            name,
            f"{width}x{height} is {width * height / 1e6:.0f} megapixels, over the limit of "
            f"{max_pixels / 1e6:.0f} megapixels that guards against decompression bombs",
            "Resize it to at most 8000 pixels on the long side and replace the file.",
        )
    return image


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def probe(data: bytes, name: str, max_pixels: int) -> SourceInfo:
    """Format and upright size from the header alone (cheap: no pixels decoded)."""
    image = _open(data, name, max_pixels)
    orientation = _orientation(image)
    width, height = image.size
    size = (height, width) if orientation in _ROTATED else (width, height)
    return SourceInfo(ACCEPTED[image.format], size, orientation)


def _to_8bit(image: Image.Image, name: str) -> Image.Image:
    """Modes the encoders accept (L, RGB, RGBA, CMYK); 16-bit greys are scaled down, not clipped."""
    mode = image.mode
    if mode in ("L", "RGB", "RGBA", "CMYK"):
        return image
    if mode in ("1", "LA", "La", "PA", "RGBa", "RGBX", "YCbCr"):
        return image.convert("RGBA" if "A" in mode or "a" in mode else "RGB")
    if mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    if mode.startswith("I;16") or mode == "I":
        logger.info("images: %s: 16-bit image converted to 8-bit", name)
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    raise unusable(
        name,
        f"its pixels are in mode {mode} (for example 32-bit floating point), which web browsers cannot show",
        "Export it as an ordinary 8-bit RGB JPEG or PNG and replace the file.",
    )


def decode(
    data: bytes, name: str, *, max_pixels: int, draft_size: tuple[int, int] | None = None
) -> Image.Image:
    """Decode ``data`` upright, in sRGB, as RGB or RGBA, with ``info`` empty (no metadata rides along).

    ``draft_size`` is the smallest upright size the caller needs: JPEGs are decoded by
    libjpeg at 1/2, 1/4 or 1/8 scale when that still covers it (REFERENCE.md, Pillow 13).
    """
    image = _open(data, name, max_pixels)
    orientation = _orientation(image)
    if draft_size is not None and image.format in ("JPEG", "MPO"):
        want = draft_size[::-1] if orientation in _ROTATED else draft_size
        image.draft(None, want)
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise unusable(
            name,
            f"the image is damaged or truncated ({exc}); it may not have finished copying",
            "Copy it again from the original and replace the file.",
        ) from None
    icc = image.info.get("icc_profile")
    if orientation != 1:
        image = ImageOps.exif_transpose(image)
    if image.mode == "CMYK":
        logger.info("images: %s: CMYK image converted to sRGB", name)
    image = to_srgb(_to_8bit(image, name), icc, name)
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")  # an opaque alpha channel only costs bytes
    image.info.clear()
    return image


def upright_size(
    path: str | Path, max_pixels: int = Image.MAX_IMAGE_PIXELS or 89_478_485, name: str | None = None
) -> tuple[int, int]:
    """The displayed (EXIF-rotated) size of the photo at ``path``, e.g. to plan a before/after pair.

    ``name`` is how messages call the file (default: its path)."""
    name = name or str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise unusable(
            name, "file not found", "Check the name in the content file, or add the photo."
        ) from None
    return probe(data, name, max_pixels).size
