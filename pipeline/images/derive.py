"""Pure geometry and pixels: which widths, which heights, common canvases, resizing, encoding."""

from __future__ import annotations

import io
from math import gcd

from PIL import Image

from pipeline.images.config import FORMATS

# reducing_gap=3 first shrinks by an integer factor, then resamples with Lanczos: about twice
# as fast as plain Lanczos on large reductions and visually the same (Pillow's docs).
_REDUCING_GAP = 3.0


def plan_widths(source_width: int, widths: tuple[int, ...]) -> tuple[int, ...]:
    """The configured widths that need no upscaling, plus the source's own width when it falls short of the largest."""
    kept = [w for w in widths if w <= source_width]
    if source_width < max(widths) and source_width not in kept:
        kept.append(source_width)
    return tuple(sorted(kept))


def height_for(width: int, size: tuple[int, int]) -> int:
    """The height of a ``width``-wide derivative of an image of ``size`` (from full-size numbers, so drafts agree)."""
    return max(1, round(width * size[1] / size[0]))


def aspect(size: tuple[int, int]) -> tuple[int, int]:
    """``size`` reduced to its aspect ratio, e.g. (4000, 3000) -> (4, 3)."""
    divisor = gcd(*size)
    return size[0] // divisor, size[1] // divisor


def canvas_size(size: tuple[int, int], ratio: tuple[int, int] | None) -> tuple[int, int]:
    """The smallest box of aspect ``ratio`` that holds ``size`` (``size`` itself without a ratio)."""
    if ratio is None:
        return size
    width, height = size
    a, b = ratio
    if width * b >= height * a:  # wider than the ratio: pad top and bottom
        return width, max(height, round(width * b / a))
    return max(width, round(height * a / b)), height


def place_on_canvas(
    image: Image.Image, ratio: tuple[int, int] | None, background: tuple[int, int, int]
) -> Image.Image:
    """``image`` centred on a ``background`` canvas of aspect ``ratio``; never cropped (crops could mislead)."""
    size = canvas_size(image.size, ratio)
    if size == image.size:
        return image
    fill = (*background, 255) if image.mode == "RGBA" else background
    canvas = Image.new(image.mode, size, fill)
    canvas.paste(image, ((size[0] - image.width) // 2, (size[1] - image.height) // 2))
    return canvas


def resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=_REDUCING_GAP)


def encode(image: Image.Image, fmt: str, options: dict, background: tuple[int, int, int]) -> bytes:
    """``image`` written as ``fmt`` with no metadata: ``info`` is emptied so no ICC, EXIF, XMP or comment is copied."""
    if fmt == "jpeg" and image.mode != "RGB":
        flat = Image.new("RGB", image.size, background)
        flat.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
        image = flat
    if image.info:
        image = image.copy()
        image.info.clear()
    buffer = io.BytesIO()
    image.save(buffer, FORMATS[fmt].pillow, **options)
    return buffer.getvalue()
