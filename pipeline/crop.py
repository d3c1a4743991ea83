"""Cropping a photo to an exact size around its subject, and link-preview cards made that way.

``crop_to_size`` is the one crop the project uses: the site's Open Graph images here, and
the social exports' 1080×1080 / 1080×1920 images reuse it, so a focus point set once in
the content (``image.focus: [x, y]``) frames the subject everywhere.

``render_card`` goes through the image pipeline's decoder and encoder
(``pipeline.images``): upright, sRGB, and no EXIF, GPS, IPTC, XMP or ICC in the output.
"""

from __future__ import annotations

import math

from PIL import Image

from pipeline.images.cache import digest_json
from pipeline.images.config import FORMATS
from pipeline.images.decode import decode, probe
from pipeline.images.derive import encode
from pipeline.watermark import WatermarkSpec
from pipeline.watermark import watermark as apply_watermark

# Facebook link share: at least 1200×630 (1.91:1); X and LinkedIn (1200×627) crop to fit (REFERENCE.md).
OG_SIZE = (1200, 630)
OG_QUALITY = 82
_REDUCING_GAP = 3.0
CARD_VERSION = 1  # bump when card pixels change for the same inputs


def crop_box(
    size: tuple[int, int], target: tuple[int, int], focus: tuple[float, float] | None = None
) -> tuple[float, float, float, float]:
    """The largest box with ``target``'s aspect ratio inside ``size``, centred on ``focus`` as far as it fits.

    ``focus`` is (x, y) as fractions of the width and height from the top-left; default the centre.
    """
    width, height = size
    tw, th = target
    if width <= 0 or height <= 0 or tw <= 0 or th <= 0:
        raise ValueError(f"sizes must be positive, got {size} and {target}")
    fx, fy = focus if focus is not None else (0.5, 0.5)
    if width * th > height * tw:  # wider than the target: full height, cut the sides
        box_w, box_h = height * tw / th, float(height)
    else:  # taller: full width, cut top and bottom
        box_w, box_h = float(width), width * th / tw
    left = min(max(fx * width - box_w / 2, 0.0), width - box_w)
    top = min(max(fy * height - box_h / 2, 0.0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def crop_to_size(
    image: Image.Image, target: tuple[int, int], focus: tuple[float, float] | None = None
) -> Image.Image:
    """``image`` cropped around ``focus`` and resized to exactly ``target`` (upscaled if it is smaller)."""
    box = crop_box(image.size, target, focus)
    return image.resize(target, Image.Resampling.LANCZOS, box=box, reducing_gap=_REDUCING_GAP)


def fit_on_canvas(
    image: Image.Image, target: tuple[int, int], background: tuple[int, int, int], margin: float = 0.2
) -> Image.Image:
    """``image`` scaled to fit inside ``target`` less a margin, centred on ``background`` (for logos)."""
    inner = (target[0] * (1 - 2 * margin), target[1] * (1 - 2 * margin))
    scale = min(inner[0] / image.width, inner[1] / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    scaled = image.resize(size, Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", target, background)
    mask = scaled.getchannel("A") if scaled.mode == "RGBA" else None
    canvas.paste(scaled.convert("RGB"), ((target[0] - size[0]) // 2, (target[1] - size[1]) // 2), mask)
    return canvas


def card_key(
    source_digest: str,
    target: tuple[int, int],
    focus: tuple[float, float] | None,
    fit: str,
    background: tuple[int, int, int],
    quality: int,
) -> str:
    """Cache key and file name stem of a card: covers the source's bytes and every choice, never its name."""
    return digest_json(
        {
            "v": CARD_VERSION,
            "source": source_digest,
            "size": list(target),
            "focus": list(focus) if focus else None,
            "fit": fit,
            "background": list(background),
            "quality": quality,
            "options": dict(FORMATS["jpeg"].options),
        }
    )


def card_name(key: str, target: tuple[int, int], folder: str = "media") -> str:
    """``media/<hash16>-1200x630.jpg``: a content-hash name, like every image-pipeline derivative."""
    return f"{folder}/{key[:16]}-{target[0]}x{target[1]}.jpg"


def render_card(
    data: bytes,
    name: str,
    target: tuple[int, int] = OG_SIZE,
    focus: tuple[float, float] | None = None,
    fit: str = "cover",
    background: tuple[int, int, int] = (255, 255, 255),
    quality: int = OG_QUALITY,
    max_pixels: int = Image.MAX_IMAGE_PIXELS or 89_478_485,
    watermark: WatermarkSpec | None = None,
) -> bytes:
    """A ``target``-sized JPEG of the photo in ``data``: cropped around ``focus`` ("cover") or
    letterboxed on ``background`` ("contain", for logos), with ``watermark`` laid over it when given
    (social exports; link-preview cards have none). ``name`` only appears in error messages."""
    draft = None
    if fit != "contain":
        # Big photos decode at 1/2, 1/4 or 1/8 scale when the crop still has enough pixels.
        size = probe(data, name, max_pixels).size
        left, top, right, bottom = crop_box(size, target, focus)
        scale = max(target[0] / (right - left), target[1] / (bottom - top))
        if scale < 1:
            draft = (math.ceil(size[0] * scale), math.ceil(size[1] * scale))
    image = decode(data, name, max_pixels=max_pixels, draft_size=draft)
    if fit == "contain":
        card = fit_on_canvas(image, target, background)
    else:
        card = crop_to_size(image, target, focus)
    if watermark is not None:
        card = apply_watermark(card, watermark)
    return encode(card, "jpeg", {**FORMATS["jpeg"].options, "quality": quality}, background)
