"""The image pipeline, used for every image of the site.

Decode (JPEG, PNG, WebP, HEIC) -> upright (EXIF orientation) -> sRGB (from the embedded
ICC profile; the profile is then dropped) -> every configured width, never upscaled ->
optional watermark -> AVIF, WebP and JPEG with no metadata at all (no EXIF/GPS, IPTC,
XMP, ICC, comments or thumbnails). Output files are named ``<output_dir>/<hash16>-<width>.<ext>``
where the hash covers the source bytes, the derivative spec and the watermark, never the
original file name.

Settings (read by the adapter, never here; defaults in brackets):

- ``IMAGE_WIDTHS`` [(480, 800, 1200, 1600)]: derivative widths in pixels; a source narrower
  than the largest also gets one at its own width.
- ``IMAGE_FORMATS`` [("avif", "webp", "jpeg")]: must include "jpeg" (the ``<img>`` fallback).
- ``IMAGE_QUALITY`` [{"avif": 60, "webp": 80, "jpeg": 82}]: per format, 1-100; missing keys keep the default.
- ``IMAGE_OUTPUT_DIR`` ["media"]: folder inside ``output/`` for derivatives.
- ``IMAGE_BACKGROUND`` [(255, 255, 255)]: behind transparency in JPEGs and around padded pairs.
- ``IMAGE_MAX_PIXELS`` [Pillow's MAX_IMAGE_PIXELS, 89,478,485]: larger sources are refused as decompression bombs.
- ``IMAGE_CACHE_PATH`` ["cache/images"]: the content-addressed cache, outside ``output/``;
  restore it in CI and a rebuild encodes nothing.
- ``IMAGE_WORKERS`` [None = all cores]: worker processes.
- ``WATERMARK_*``: see ``pipeline/watermark_settings.py``; ``CONSENT_LEDGER`` ["content/gallery/consent.yml"]:
  see ``pipeline.consent``.

Typical use (an adapter)::

    report = process_images([ImageJob(path), ...], ImageConfig(widths=...), "cache/images")
    publish(report.images, "output", "cache/images")
    html = picture_html(report.images[0], alt="...", sizes="(min-width: 60em) 50vw, 100vw", eager=True)
"""

from pipeline.images.config import FORMATS, ImageConfig
from pipeline.images.decode import upright_size
from pipeline.images.errors import ImageError
from pipeline.images.html import picture_html
from pipeline.images.manifest import image_manifest, write_manifest
from pipeline.images.pair import Pair, PairPlan, pair_canvas, plan_pair
from pipeline.images.process import (
    Derivative,
    ImageJob,
    ProcessedImage,
    ProcessReport,
    default_workers,
    process_images,
    publish,
)

__all__ = [
    "FORMATS",
    "Derivative",
    "ImageConfig",
    "ImageError",
    "ImageJob",
    "Pair",
    "PairPlan",
    "ProcessReport",
    "ProcessedImage",
    "default_workers",
    "image_manifest",
    "pair_canvas",
    "picture_html",
    "plan_pair",
    "process_images",
    "publish",
    "upright_size",
    "write_manifest",
]
