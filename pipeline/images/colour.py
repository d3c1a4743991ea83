"""Colour: bring every image into sRGB and drop its ICC profile.

Why convert rather than keep the profile: browsers treat untagged images as sRGB, so an
sRGB derivative looks right everywhere, is a few kilobytes smaller, and carries no
embedded metadata at all. Wide-gamut sources (Display P3 from phones, Adobe RGB from
cameras) lose only colours sRGB screens cannot show anyway.
"""

from __future__ import annotations

import hashlib
import io
import logging
from functools import lru_cache

from PIL import Image, ImageCms

logger = logging.getLogger(__name__)

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# Perceptual falls back to relative colorimetric for matrix-shaper profiles (P3, Adobe RGB);
# black-point compensation keeps CMYK shadows from clipping.
_INTENT = ImageCms.Intent.PERCEPTUAL
_FLAGS = ImageCms.Flags.BLACKPOINTCOMPENSATION
_COLOUR_SPACE_MODES = {"RGB": ("RGB",), "CMYK": ("CMYK",), "GRAY": ("L",)}


@lru_cache(maxsize=32)
def _transform(icc_digest: str, icc: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    """A cached transform from ``icc`` to sRGB for ``mode``; None when already sRGB (or unusable)."""
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    description = (profile.profile.profile_description or "").strip()
    space = (profile.profile.xcolor_space or "").strip()
    if mode not in _COLOUR_SPACE_MODES.get(space, ()):
        raise ValueError(f"the embedded profile is for {space or 'an unknown'} colour, the pixels are {mode}")
    if space == "RGB" and description.lower().startswith("srgb"):
        return None
    return ImageCms.buildTransform(profile, _SRGB, mode, "RGB", _INTENT, _FLAGS)


def to_srgb(image: Image.Image, icc: bytes | None, name: str) -> Image.Image:
    """``image`` (mode L, RGB, RGBA or CMYK) as sRGB pixels, RGB or RGBA, without a profile.

    A broken profile is a colour problem, not a privacy one: it is logged and ignored.
    """
    alpha = image.getchannel("A") if image.mode == "RGBA" else None
    base = image.convert("RGB") if image.mode == "RGBA" else image
    converted = None
    if icc:
        try:
            transform = _transform(hashlib.sha256(icc).hexdigest(), icc, base.mode)
        except (OSError, ValueError, ImageCms.PyCMSError) as exc:
            logger.warning(
                "images: %s: ignoring its colour profile (%s); colours may look slightly off", name, exc
            )
        else:
            if transform is not None:
                converted = ImageCms.applyTransform(base, transform)
    if converted is None:
        converted = base if base.mode == "RGB" else base.convert("RGB")
    if alpha is not None:
        converted.putalpha(alpha)
    converted.info.clear()
    return converted
