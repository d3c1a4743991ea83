"""Every image of the site goes through the image pipeline: requested, processed once, looked up, published.

One ``SiteImages`` lives per build:

1. ``collect(entries)`` (called by the content model once content is valid) requests every
   ``Image`` field of every content file: covers, portraits, procedure images, the logo. The
   gallery requests its photos itself (watermark and common canvas per pair).
2. The first look-up processes every request in one parallel run (``process_images``: cached
   derivatives are only looked up, new ones are encoded behind a progress bar).
3. ``picture(image, ...)`` (the templates' ``img()``) and ``url(image)`` (JSON-LD) mark what they
   return as used; at ``finalized``, ``publish`` hard-links exactly those derivatives into
   ``output/<IMAGE_OUTPUT_DIR>/``. Originals are never copied (STATIC_PATHS leaves ``images`` out),
   so no source file name or metadata reaches the site.

Patient photos (anything under ``content/gallery/``) are published only by the gallery, under
their case's consent: another content file naming one stops the build.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.content import types
from pipeline.content.errors import ContentError, Problem
from pipeline.content.models import Image
from pipeline.images import ImageError, ImageJob, ProcessedImage, picture_html, process_images, publish
from plugins.images.settings import image_settings
from plugins.watermark import spec_for

logger = logging.getLogger(__name__)

# Content kind -> the image kind WATERMARK_APPLIES_TO speaks of (gallery photos are requested as "gallery").
KIND_OF = {"post": "post", "team": "team"}
# What the JSON-LD ``image`` points at: the smallest JPEG at least this wide (else the largest there is).
SHARE_WIDTH = 1200


@dataclass(frozen=True)
class Request:
    path: Path  # resolved source file
    kind: str  # "page", "post", "team", "gallery" ... (decides the watermark)
    canvas: tuple[int, int] | None = None


def images_in(value, prefix: str = "") -> Iterator[tuple[str, Image]]:
    """(dotted field, Image) for every image anywhere in a validated record (nested models and lists too)."""
    if isinstance(value, Image):
        yield prefix, value
    elif hasattr(type(value), "model_fields"):
        for name in type(value).model_fields:
            yield from images_in(getattr(value, name), f"{prefix}.{name}" if prefix else name)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from images_in(item, f"{prefix}.{index}")


class SiteImages:
    def __init__(self, settings: dict):
        self.settings = settings
        self.config, self.cache, self.workers = image_settings(settings)
        self.content_root = Path(settings["PATH"]).resolve()
        self.gallery_root = self.content_root / types.GALLERY_CASE.folder
        self.base_url = (settings.get("SITEURL") or "") + "/"
        self.jobs: dict[Request, ImageJob] = {}
        self.done: dict[Request, ProcessedImage] = {}
        self.owners: dict[int, tuple[Image, Request]] = {}  # id(Image) -> (that Image, its request)
        self.used: dict[Request, ProcessedImage] = {}
        self.pictures: dict[tuple, str] = {}  # (request, alt, sizes, eager, class) -> <picture> markup
        self._resolved: dict[str, Path] = {}
        self.encoded = self.cached = 0
        self.seconds = 0.0  # spent processing (hashing, cache look-ups, encoding)

    # -- requests --------------------------------------------------------------------------

    def request(
        self, path: str | os.PathLike, kind: str = "page", canvas: tuple[int, int] | None = None
    ) -> Request:
        request = Request(self._resolve(path), kind, tuple(canvas) if canvas else None)
        if request not in self.jobs:
            self.jobs[request] = ImageJob(
                request.path, watermark=spec_for(self.settings, kind), canvas=request.canvas
            )
        return request

    def own(self, image, request: Request) -> None:
        """Tie a content object (e.g. a gallery photo) to its request, so ``img(that object)`` finds it."""
        self.owners[id(image)] = (image, request)

    def _resolve(self, path: str | os.PathLike) -> Path:
        """The real path of a source (remembered: a cover or a logo is named by many pages)."""
        key = os.fspath(path)
        resolved = self._resolved.get(key)
        if resolved is None:
            resolved = self._resolved[key] = Path(key).resolve()
        return resolved

    def is_patient_photo(self, path: Path) -> bool:
        return self._resolve(path).is_relative_to(self.gallery_root)

    def collect(self, entries: Iterable) -> None:
        """Request every image field of every valid entry; a gallery photo named elsewhere stops the build."""
        problems = []
        for entry in entries:
            if entry is None or entry.record is None:
                continue
            kind = KIND_OF.get(entry.ctype.kind, "page")
            for field, image in images_in(entry.record):
                path = self.content_root / image.src.lstrip("/")
                if self.is_patient_photo(path):
                    problems.append(
                        Problem(
                            entry.path,
                            f"{field}.src",
                            f"'{image.src}' is a patient photo from the gallery",
                            "choose another image: gallery photos are published only on their case's page, "
                            "under its consent",
                            entry.parsed.line_of(f"{field}.src"),
                        )
                    )
                elif path.is_file():  # a missing file is reported by the content check
                    self.owners[id(image)] = (image, self.request(path, kind))
        if problems:
            raise ContentError(problems)

    # -- processing and look-ups -----------------------------------------------------------

    def process(self) -> None:
        """Process every request not yet processed, in one parallel run."""
        pending = [r for r in self.jobs if r not in self.done]
        if not pending:
            return
        start = time.perf_counter()
        report = process_images(
            [self.jobs[r] for r in pending], self.config, self.cache, workers=self.workers
        )
        self.seconds += time.perf_counter() - start
        self.done.update(zip(pending, report.images))
        self.encoded += report.encoded
        self.cached += report.cached

    def processed(self, request: Request) -> ProcessedImage:
        """The derivatives of a request (processing what is pending first); marks them for publishing."""
        if request not in self.done:
            self.process()
        image = self.done[request]
        self.used[request] = image
        return image

    def _request_for(self, image) -> Request:
        owner = self.owners.get(id(image))
        if owner is not None and owner[0] is image:
            return owner[1]
        path = self.content_root / str(image.src).lstrip("/")
        if self.is_patient_photo(path):
            raise ImageError(
                f"{image.src}: a gallery photo can only be shown on its case's page, under its consent."
            )
        return self.request(path)

    def for_image(self, image) -> ProcessedImage:
        return self.processed(self._request_for(image))

    def picture(self, image, sizes: str = "100vw", eager: bool = False, css_class: str = "") -> str:
        request = self._request_for(image)
        key = (request, image.alt, sizes, eager, css_class)
        html = self.pictures.get(key)
        if html is None:
            html = self.pictures[key] = picture_html(
                self.processed(request),
                image.alt,
                sizes,
                eager,
                base_url=self.base_url,
                css_class=css_class or None,
            )
        return html

    def url(self, image, width: int = SHARE_WIDTH) -> str:
        """Site path of a JPEG about ``width`` wide (JSON-LD, feeds), e.g. media/3f2a...-1200.jpg."""
        return share_derivative(self.for_image(image), width).name

    def publish(self, output_dir: str | os.PathLike) -> int:
        placed = publish(self.used.values(), output_dir, self.cache)
        logger.info(
            "images: %d sources on the site, %d files placed (%d encoded this build, %d from cache, %.2f s)",
            len(self.used),
            placed,
            self.encoded,
            self.cached,
            self.seconds,
        )
        return placed


def share_derivative(image: ProcessedImage, width: int = SHARE_WIDTH):
    jpegs = image.variants("jpeg")
    return next((d for d in jpegs if d.width >= width), jpegs[-1])


_site: SiteImages | None = None


def current(settings: dict | None = None) -> SiteImages:
    """This build's images. Every generator of a build shares one settings object: a new one is a new build."""
    global _site
    if settings is None:
        if _site is None:
            raise RuntimeError("no build is running: call current(settings) first")
        return _site
    if _site is None or _site.settings is not settings:
        _site = SiteImages(settings)
    return _site


def start(pelican) -> None:
    """A run begins (``get_generators``): forget the last run (``inv regenerate`` reuses the settings)."""
    global _site
    _site = SiteImages(pelican.settings)


def finish(pelican) -> None:
    if _site is not None and _site.settings is pelican.settings:
        _site.publish(pelican.settings["OUTPUT_PATH"])
