"""``IMAGE_*`` settings -> ``pipeline.images.ImageConfig``, checked at start-up.

The settings and their defaults are documented in ``pipeline.images``. Paths are relative
to the project root (the working directory of ``invoke`` and the tests' builds).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pipeline.images import ImageConfig, ImageError, default_workers
from pipeline.images.config import (
    DEFAULT_BACKGROUND,
    DEFAULT_FORMATS,
    DEFAULT_OUTPUT_DIR,
    DEFAULT_QUALITY,
    DEFAULT_WIDTHS,
)

DEFAULTS = {
    "IMAGE_WIDTHS": DEFAULT_WIDTHS,
    "IMAGE_FORMATS": DEFAULT_FORMATS,
    "IMAGE_QUALITY": dict(DEFAULT_QUALITY),
    "IMAGE_OUTPUT_DIR": DEFAULT_OUTPUT_DIR,
    "IMAGE_BACKGROUND": DEFAULT_BACKGROUND,
    "IMAGE_MAX_PIXELS": None,  # None: Pillow's limit
    "IMAGE_CACHE_PATH": "cache/images",
    "IMAGE_WORKERS": None,  # None: every core
}
RESOLVED = "IMAGE_RESOLVED"


def read_image_settings(settings: Mapping) -> tuple[ImageConfig, Path, int]:
    """(config, cache directory, worker count); raises ImageError naming the key."""
    unknown = sorted(k for k in settings if k.startswith("IMAGE_") and k not in DEFAULTS and k != RESOLVED)
    if unknown:
        raise ImageError(
            f"{', '.join(unknown)}: unknown setting(s) in pelicanconf.py; "
            f"the image settings are {', '.join(DEFAULTS)}. Check the spelling."
        )
    value = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    extra = {} if value["IMAGE_MAX_PIXELS"] is None else {"max_pixels": value["IMAGE_MAX_PIXELS"]}
    config = ImageConfig(
        widths=value["IMAGE_WIDTHS"],
        formats=value["IMAGE_FORMATS"],
        quality=value["IMAGE_QUALITY"],
        output_dir=value["IMAGE_OUTPUT_DIR"],
        background=value["IMAGE_BACKGROUND"],
        **extra,
    )
    cache = value["IMAGE_CACHE_PATH"]
    if not isinstance(cache, str) or not cache:
        raise ImageError(f"IMAGE_CACHE_PATH is {cache!r}: use a folder outside output/, like 'cache/images'.")
    output = settings.get("OUTPUT_PATH")
    if output and Path(cache).resolve().is_relative_to(Path(output).resolve()):
        # Every build empties the output folder, and whatever is in it is deployed.
        raise ImageError(
            f"IMAGE_CACHE_PATH is {cache!r}, inside OUTPUT_PATH ({output}): use a folder outside it, "
            "like 'cache/images'."
        )
    workers = value["IMAGE_WORKERS"]
    if workers is None:
        workers = default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ImageError(
            f"IMAGE_WORKERS is {workers!r}: use a whole number of processes (1 or more), or None."
        )
    return config, Path(cache), workers


def image_settings(settings: Mapping) -> tuple[ImageConfig, Path, int]:
    """The settings read at start-up (or read now, outside a build)."""
    return settings.get(RESOLVED) or read_image_settings(settings)
