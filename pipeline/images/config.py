"""What derivatives to make: widths, formats and encoder settings, validated once.

``ImageConfig`` is a plain value built by the adapter from the ``IMAGE_*`` settings; its
error messages name those settings so the coordinator knows which line to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from PIL import Image

from pipeline.images.errors import ImageError


@dataclass(frozen=True)
class Format:
    """One output format: how Pillow writes it and what the browser is told."""

    name: str
    pillow: str
    ext: str
    mime: str
    options: Mapping[str, object]


# Encoder options are fixed here (only quality is a setting) because they change bytes:
# - AVIF is written single-threaded: libaom's output differs between 1 and 2+ threads (measured
#   here), and parallelism comes from the process pool anyway.
# - AVIF speed 8: on 1600 px photos at quality 60 it encodes 3-4x faster than libaom's default
#   speed 6 with the same PSNR, for files up to ~20 % larger (measured here); AVIF is the
#   costliest encode, so this decides how long a gallery build takes.
FORMATS: Mapping[str, Format] = MappingProxyType(
    {
        "avif": Format(
            "avif", "AVIF", ".avif", "image/avif", {"speed": 8, "max_threads": 1, "subsampling": "4:2:0"}
        ),
        "webp": Format("webp", "WEBP", ".webp", "image/webp", {"method": 4}),
        "jpeg": Format(
            "jpeg",
            "JPEG",
            ".jpg",
            "image/jpeg",
            {"optimize": True, "progressive": True, "subsampling": "4:2:0"},
        ),
    }
)

DEFAULT_WIDTHS = (480, 800, 1200, 1600)
DEFAULT_FORMATS = ("avif", "webp", "jpeg")
DEFAULT_QUALITY = MappingProxyType({"avif": 60, "webp": 80, "jpeg": 82})
DEFAULT_OUTPUT_DIR = "media"
DEFAULT_BACKGROUND = (255, 255, 255)
# Derivatives wider than this are never useful on the web and cost encode time.
MAX_WIDTH = 4096


@dataclass(frozen=True)
class ImageConfig:
    """Derivative spec shared by every image of a build (see ``pipeline.images`` for the settings)."""

    widths: tuple[int, ...] = DEFAULT_WIDTHS
    formats: tuple[str, ...] = DEFAULT_FORMATS
    quality: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_QUALITY))
    output_dir: str = DEFAULT_OUTPUT_DIR
    background: tuple[int, int, int] = DEFAULT_BACKGROUND
    max_pixels: int = Image.MAX_IMAGE_PIXELS or 89_478_485

    def __post_init__(self) -> None:
        widths = tuple(self.widths) if isinstance(self.widths, (list, tuple)) else None
        if not widths or not all(
            isinstance(w, int) and not isinstance(w, bool) and 16 <= w <= MAX_WIDTH for w in widths
        ):
            raise ImageError(
                f"IMAGE_WIDTHS is {self.widths!r}: it must be a list of pixel widths between 16 and {MAX_WIDTH}, "
                "for example (480, 800, 1200, 1600). Fix it in pelicanconf.py."
            )
        object.__setattr__(self, "widths", tuple(sorted(set(widths))))

        formats = tuple(self.formats) if isinstance(self.formats, (list, tuple)) else ()
        unknown = [f for f in formats if f not in FORMATS]
        if not formats or unknown:
            raise ImageError(
                f"IMAGE_FORMATS is {self.formats!r}: use formats from {tuple(FORMATS)} "
                "(for example ('avif', 'webp', 'jpeg')). Fix it in pelicanconf.py."
            )
        if "jpeg" not in formats:
            raise ImageError(
                "IMAGE_FORMATS must include 'jpeg': it is the <img> fallback every browser can show. "
                "Add 'jpeg' in pelicanconf.py."
            )
        # Stable order: best compression first, so <source> elements come out in the order browsers try them.
        object.__setattr__(self, "formats", tuple(f for f in FORMATS if f in formats))

        if not isinstance(self.quality, Mapping):
            raise ImageError(
                f"IMAGE_QUALITY is {self.quality!r}: it must map a format to 1-100, e.g. {{'jpeg': 82}}."
            )
        quality = dict(DEFAULT_QUALITY)
        for fmt, value in self.quality.items():
            if (
                fmt not in FORMATS
                or not isinstance(value, int)
                or isinstance(value, bool)
                or not 1 <= value <= 100
            ):
                raise ImageError(
                    f"IMAGE_QUALITY[{fmt!r}] is {value!r}: keys must be formats from {tuple(FORMATS)} "
                    "and values whole numbers from 1 to 100. Fix it in pelicanconf.py."
                )
            quality[fmt] = value
        object.__setattr__(self, "quality", quality)  # a plain dict: configs travel to worker processes

        if (
            not isinstance(self.output_dir, str)
            or not self.output_dir.strip("/")
            or ".." in self.output_dir.split("/")
        ):
            raise ImageError(
                f"IMAGE_OUTPUT_DIR is {self.output_dir!r}: use a folder inside the site, like 'media'."
            )
        object.__setattr__(self, "output_dir", self.output_dir.strip("/"))

        bg = self.background
        if not (
            isinstance(bg, (list, tuple))
            and len(bg) == 3
            and all(isinstance(c, int) and 0 <= c <= 255 for c in bg)
        ):
            raise ImageError(f"IMAGE_BACKGROUND is {bg!r}: use an (r, g, b) colour such as (255, 255, 255).")
        object.__setattr__(self, "background", tuple(bg))

        if not isinstance(self.max_pixels, int) or self.max_pixels < 1:
            raise ImageError(f"IMAGE_MAX_PIXELS is {self.max_pixels!r}: use a whole number of pixels.")

    def encoder_options(self, fmt: str) -> dict[str, object]:
        """Everything passed to Pillow's ``save`` for ``fmt``; part of every cache key."""
        return {**FORMATS[fmt].options, "quality": self.quality[fmt]}

    def key(self) -> dict[str, object]:
        """A JSON-able description of everything here that changes output bytes."""
        return {
            "widths": list(self.widths),
            "formats": {f: self.encoder_options(f) for f in self.formats},
            "output_dir": self.output_dir,
            "background": list(self.background),
        }
