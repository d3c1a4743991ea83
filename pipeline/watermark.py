"""Watermarks: a logo or a line of text laid over a derivative, sized relative to its width.

``watermark(image, spec)`` is pure: it returns a new image and never touches files. The settings
reader (``pipeline/watermark_settings.py``) reads the logo and font bytes and builds the spec. Because
size and margin are fractions of the image width, the mark looks the same at every
derivative width; it is applied per derivative (after resizing, so it stays crisp) and
never to an original. ``spec.cache_key()`` goes into every derivative's cache key.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from pipeline.images.errors import ImageError

POSITIONS = ("top-left", "top-right", "bottom-left", "bottom-right", "center")
_REFERENCE_FONT_SIZE = 200  # text is measured at this size, then scaled to the target width


@dataclass(frozen=True)
class WatermarkSpec:
    """How to mark an image. Exactly one of ``text`` and ``logo`` (image bytes) is set.

    ``size`` is the mark's width and ``margin`` its distance from the edges, both as
    fractions of the image width. Field errors name the matching ``WATERMARK_*`` setting.
    """

    text: str | None = None
    logo: bytes | None = None
    position: str = "bottom-right"
    opacity: float = 0.5
    size: float = 0.2
    margin: float = 0.03
    color: tuple[int, int, int] = (255, 255, 255)
    font: bytes | None = None

    def __post_init__(self) -> None:
        if (self.text is None) == (self.logo is None):
            raise ImageError("Set exactly one of WATERMARK_TEXT and WATERMARK_LOGO in pelicanconf.py.")
        if self.text is not None and (not isinstance(self.text, str) or not self.text.strip()):
            raise ImageError(
                f"WATERMARK_TEXT is {self.text!r}: use a short non-empty text such as the practice name."
            )
        if self.logo is not None:
            _logo_image(_digest(self.logo), self.logo)  # refuses unreadable logos now, not mid-build
        if self.position not in POSITIONS:
            raise ImageError(f"WATERMARK_POSITION is {self.position!r}: use one of {', '.join(POSITIONS)}.")
        for key, value, low, high in (
            ("OPACITY", self.opacity, 0.0, 1.0),
            ("SIZE", self.size, 0.01, 1.0),
            ("MARGIN", self.margin, 0.0, 0.25),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                raise ImageError(f"WATERMARK_{key} is {value!r}: use a number from {low} to {high}.")
        if not (
            isinstance(self.color, (tuple, list))
            and len(self.color) == 3
            and all(isinstance(c, int) and 0 <= c <= 255 for c in self.color)
        ):
            raise ImageError(
                f"WATERMARK_COLOR is {self.color!r}: use an (r, g, b) colour such as (255, 255, 255)."
            )
        object.__setattr__(self, "color", tuple(self.color))
        if self.font is not None:
            try:
                _font(_digest(self.font), self.font, 12)
            except OSError:
                raise ImageError(
                    "WATERMARK_FONT is not a font file Pillow can read: point it at a .ttf or .otf file."
                ) from None

    def cache_key(self) -> str:
        """A stable digest of everything that changes the marked pixels (logo and font by content)."""
        fields = {
            "text": self.text,
            "logo": self.logo and _digest(self.logo),
            "font": self.font and _digest(self.font),
            "position": self.position,
            "opacity": round(float(self.opacity), 4),
            "size": round(float(self.size), 4),
            "margin": round(float(self.margin), 4),
            "color": list(self.color),
        }
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=4)
def _logo_image(digest: str, data: bytes) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as logo:
            return logo.convert("RGBA")
    except (UnidentifiedImageError, OSError) as exc:
        raise ImageError(
            f"WATERMARK_LOGO is not an image that can be read ({exc}): use a PNG with transparency."
        ) from None


@lru_cache(maxsize=16)
def _font(digest: str | None, data: bytes | None, size: int) -> ImageFont.FreeTypeFont:
    if data is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(io.BytesIO(data), size=size)


def _text_mark(spec: WatermarkSpec, width: int) -> Image.Image:
    digest = spec.font and _digest(spec.font)
    reference = _font(digest, spec.font, _REFERENCE_FONT_SIZE).getbbox(spec.text)
    font_size = max(4, round(_REFERENCE_FONT_SIZE * width / max(1, reference[2] - reference[0])))
    font = _font(digest, spec.font, font_size)
    stroke = max(1, round(font_size / 25))  # a thin dark outline keeps light text legible on light skin
    left, top, right, bottom = font.getbbox(spec.text, stroke_width=stroke)
    mark = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    ImageDraw.Draw(mark).text(
        (-left, -top),
        spec.text,
        font=font,
        fill=(*spec.color, 255),
        stroke_width=stroke,
        stroke_fill=(0, 0, 0, 160),
    )
    return mark


def _logo_mark(spec: WatermarkSpec, width: int) -> Image.Image:
    logo = _logo_image(_digest(spec.logo), spec.logo)
    height = max(1, round(width * logo.height / logo.width))
    return logo.resize((width, height), Image.Resampling.LANCZOS)


def _origin(position: str, canvas: tuple[int, int], mark: tuple[int, int], margin: int) -> tuple[int, int]:
    (cw, ch), (mw, mh) = canvas, mark
    x = {"left": margin, "right": cw - mw - margin}.get(position.split("-")[-1], (cw - mw) // 2)
    y = {"top": margin, "bottom": ch - mh - margin}.get(position.split("-")[0], (ch - mh) // 2)
    return x, y


def watermark(image: Image.Image, spec: WatermarkSpec) -> Image.Image:
    """``image`` with the mark composited in; same size and mode, new object."""
    width, height = image.size
    margin = round(spec.margin * width)
    mark_width = max(1, round(spec.size * width))
    mark = _text_mark(spec, mark_width) if spec.text is not None else _logo_mark(spec, mark_width)
    room = max(1, height - 2 * margin)
    if mark.height > room:  # very wide panoramas: shrink the mark to fit the height
        mark = mark.resize((max(1, round(mark.width * room / mark.height)), room), Image.Resampling.LANCZOS)
    if spec.opacity < 1:
        mark.putalpha(mark.getchannel("A").point(lambda a: round(a * spec.opacity)))
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    layer.paste(mark, _origin(spec.position, image.size, mark.size, margin))
    marked = Image.alpha_composite(image.convert("RGBA"), layer)
    return marked if image.mode == "RGBA" else marked.convert(image.mode)
