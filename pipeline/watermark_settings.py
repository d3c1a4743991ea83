"""The ``WATERMARK_*`` settings -> the watermark of each kind of image, read and checked once.

Settings (defaults in brackets); errors name the key:

- ``WATERMARK_TEXT`` [None] or ``WATERMARK_LOGO`` [None]: a short text, or the path of a logo
  image (PNG with transparency), relative to the content folder (``PATH``). Neither set: no
  watermark.
- ``WATERMARK_POSITION`` ["bottom-right"]: top-left, top-right, bottom-left, bottom-right or center.
- ``WATERMARK_OPACITY`` [0.5]: 0 (invisible) to 1.
- ``WATERMARK_SIZE`` [0.2]: the mark's width as a fraction of the image width.
- ``WATERMARK_MARGIN`` [0.03]: distance from the edges as a fraction of the image width.
- ``WATERMARK_COLOR`` [(255, 255, 255)]: text colour.
- ``WATERMARK_FONT`` [None = Pillow's built-in font]: a .ttf/.otf path, relative to ``PATH``.
- ``WATERMARK_APPLIES_TO`` [("gallery",)]: which kinds of image get the mark.

The mark itself is :mod:`pipeline.watermark`; the image pipeline asks :func:`spec_for` per image kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pipeline.images.errors import ImageError
from pipeline.watermark import WatermarkSpec

DEFAULTS = {
    "WATERMARK_TEXT": None,
    "WATERMARK_LOGO": None,
    "WATERMARK_POSITION": "bottom-right",
    "WATERMARK_OPACITY": 0.5,
    "WATERMARK_SIZE": 0.2,
    "WATERMARK_MARGIN": 0.03,
    "WATERMARK_COLOR": (255, 255, 255),
    "WATERMARK_FONT": None,
    "WATERMARK_APPLIES_TO": ("gallery",),
}
KINDS = ("gallery", "page", "post", "team", "device")
RESOLVED = "WATERMARK_RESOLVED"  # where the validated settings are kept for the build


def _read_file(settings: Mapping, key: str) -> bytes | None:
    value = settings.get(key)
    if value is None:
        return None
    path = Path(value)
    if not path.is_absolute():
        path = Path(settings.get("PATH", ".")) / path
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImageError(
            f"{key} is {value!r} but {path} cannot be read ({exc.strerror}). "
            "Put the file in the content folder or fix the path in pelicanconf.py."
        ) from None


def read_watermark_settings(settings: Mapping) -> tuple[WatermarkSpec | None, frozenset[str]]:
    """(spec or None, image kinds it applies to) from ``WATERMARK_*``; raises ImageError naming the key."""
    unknown = sorted(
        k for k in settings if k.startswith("WATERMARK_") and k not in DEFAULTS and k != RESOLVED
    )
    if unknown:
        raise ImageError(
            f"{', '.join(unknown)}: unknown setting(s) in pelicanconf.py; "
            f"the watermark settings are {', '.join(DEFAULTS)}. Check the spelling."
        )
    value = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    applies = value["WATERMARK_APPLIES_TO"]
    if (
        isinstance(applies, str)
        or not isinstance(applies, (list, tuple, set, frozenset))
        or not set(applies) <= set(KINDS)
    ):
        raise ImageError(
            f"WATERMARK_APPLIES_TO is {applies!r}: use a list of image kinds from {', '.join(KINDS)}."
        )
    if value["WATERMARK_TEXT"] is None and value["WATERMARK_LOGO"] is None:
        return None, frozenset(applies)
    spec = WatermarkSpec(
        text=value["WATERMARK_TEXT"],
        logo=_read_file(settings, "WATERMARK_LOGO"),
        position=value["WATERMARK_POSITION"],
        opacity=value["WATERMARK_OPACITY"],
        size=value["WATERMARK_SIZE"],
        margin=value["WATERMARK_MARGIN"],
        color=value["WATERMARK_COLOR"],
        font=_read_file(settings, "WATERMARK_FONT"),
    )
    return spec, frozenset(applies)


def spec_for(settings: Mapping, kind: str) -> WatermarkSpec | None:
    """The watermark for an image of ``kind`` ("gallery", ...), or None. Uses the settings read at start-up."""
    spec, applies = settings.get(RESOLVED) or read_watermark_settings(settings)
    return spec if kind in applies else None
