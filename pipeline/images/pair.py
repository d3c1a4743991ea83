"""Before/after pairs: one shape for both photos, so a comparison slider lines them up.

Photos with different aspect ratios are padded (never cropped: a crop could hide or
exaggerate a result) to the wider one's ratio, and a warning says so. ``plan_pair``
works on header sizes and feeds ``ImageJob.canvas``; ``pair_canvas`` does the same on
images already in memory. Both use the same geometry from ``derive``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PIL import Image

from pipeline.images.derive import aspect, place_on_canvas, resize

logger = logging.getLogger(__name__)

# Within 1 % the difference is a rounding of sizes, not a different framing.
ASPECT_TOLERANCE = 0.01


@dataclass(frozen=True)
class PairPlan:
    canvas: tuple[int, int] | None  # the common aspect ratio both are padded to; None when they already agree
    warning: str | None


def plan_pair(
    before: tuple[int, int],
    after: tuple[int, int],
    *,
    names: tuple[str, str] = ("before", "after"),
    tolerance: float = ASPECT_TOLERANCE,
) -> PairPlan:
    """Compare two upright sizes; when their shapes differ, pick the common canvas and explain."""
    r_before, r_after = before[0] / before[1], after[0] / after[1]
    if abs(r_before - r_after) <= tolerance * max(r_before, r_after):
        return PairPlan(None, None)
    wider = before if r_before > r_after else after
    ratio = aspect(wider)
    warning = (
        f"{names[0]} ({before[0]}x{before[1]}) and {names[1]} ({after[0]}x{after[1]}) have different shapes; "
        f"both are shown on a {ratio[0]}:{ratio[1]} canvas with plain borders. "
        "For a fair comparison, crop both photos to the same framing and aspect ratio."
    )
    return PairPlan(ratio, warning)


@dataclass(frozen=True)
class Pair:
    before: Image.Image
    after: Image.Image
    warning: str | None


def pair_canvas(
    before: Image.Image,
    after: Image.Image,
    *,
    names: tuple[str, str] = ("before", "after"),
    background: tuple[int, int, int] = (255, 255, 255),
) -> Pair:
    """Both images on one canvas of the same shape and pixel size (the smaller of the two); warns when padded."""
    plan = plan_pair(before.size, after.size, names=names)
    if plan.warning:
        logger.warning("images: %s", plan.warning)
    ratio = plan.canvas or aspect(before.size)
    padded = [place_on_canvas(image, ratio, background) for image in (before, after)]
    target = min(padded, key=lambda image: image.width).size
    return Pair(resize(padded[0], target), resize(padded[1], target), plan.warning)
