"""Every image of the site goes through the image pipeline: requested, processed once, looked up, published.

One ``SiteImages`` lives per build (``build.images``, :mod:`sitebuild.build`):

1. ``collect(entries)`` (called by the content model once content is read) requests every
   ``Image`` field of every content file: covers, portraits, procedure images, the logo; the
   content model requests the pictures of the bodies, and the gallery its photos (watermark and
   common canvas per pair). Each request remembers every file, field and line that uses it.
2. ``process()`` runs every request in one parallel run (``process_images``: cached derivatives
   are only looked up, new ones are encoded behind a progress bar). A photo that cannot be used
   becomes a problem of each content file that uses it (``problems()``), named as the coordinator
   knows it (``content/images/...``), never a stop in the middle of the build.
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
from pipeline.content.errors import Problem
from pipeline.content.models import Image
from pipeline.images import ImageError, ImageJob, ProcessedImage, picture_html, process_images, publish
from pipeline.images.errors import unusable
from pipeline.images.settings import image_settings
from pipeline.watermark_settings import spec_for

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


@dataclass(frozen=True)
class Use:
    """Where the content uses an image: the file (relative to the project), the field, the line."""

    path: str
    field: str
    line: int | None = None


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
        self.uses: dict[Request, list[Use]] = {}
        self.failed: dict[Request, ImageError] = {}
        self.encoded = self.cached = 0
        self.seconds = 0.0  # spent processing (hashing, cache look-ups, encoding)

    # -- requests --------------------------------------------------------------------------

    def request(
        self,
        path: str | os.PathLike,
        kind: str = "page",
        canvas: tuple[int, int] | None = None,
        use: Use | None = None,
    ) -> Request:
        request = Request(self._resolve(path), kind, tuple(canvas) if canvas else None)
        if request not in self.jobs:
            self.jobs[request] = ImageJob(
                request.path, watermark=spec_for(self.settings, kind), canvas=request.canvas
            )
        if use is not None:
            self.uses.setdefault(request, []).append(use)
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

    def collect(self, entries: Iterable) -> list[Problem]:
        """Request every image field of every valid entry; a gallery photo named elsewhere is a problem."""
        problems = []
        for entry in entries:
            if entry is None or entry.record is None:
                continue
            kind = KIND_OF.get(entry.ctype.kind, "page")
            for field, image in images_in(entry.record):
                path = self.content_root / image.src.lstrip("/")
                line = entry.parsed.line_of(f"{field}.src")
                if self.is_patient_photo(path):
                    problems.append(
                        Problem(
                            entry.path,
                            f"{field}.src",
                            f"'{image.src}' is a patient photo from the gallery",
                            "choose another image: gallery photos are published only on their case's page, "
                            "under its consent",
                            line,
                        )
                    )
                elif path.is_file():  # a missing file is reported by the content check
                    use = Use(entry.path, f"{field}.src", line)
                    self.owners[id(image)] = (image, self.request(path, kind, use=use))
        return problems

    def shown_name(self, path: Path) -> str:
        """A source as the coordinator knows it: relative to the project (content/images/x.jpg)."""
        project = self.content_root.parent
        return path.relative_to(project).as_posix() if path.is_relative_to(project) else path.name

    def problems(self) -> list[Problem]:
        """One problem for each use of each photo that could not be processed."""
        found = []
        for request, error in self.failed.items():
            name = self.shown_name(request.path)
            what = error.what or str(error)
            fix = error.fix or "replace the file"
            for use in self.uses.get(request, [Use(name, "file")]):
                found.append(
                    Problem(
                        use.path,
                        use.field,
                        f"the image {name} cannot be used: {what}",
                        (fix[:1].lower() + fix[1:]).rstrip("."),
                        use.line,
                    )
                )
        return found

    # -- processing and look-ups -----------------------------------------------------------

    def process(self) -> None:
        """Process every request not yet processed, in one parallel run."""
        pending = [r for r in self.jobs if r not in self.done and r not in self.failed]
        if not pending:
            return
        start = time.perf_counter()
        report = process_images(
            [self.jobs[r] for r in pending], self.config, self.cache, workers=self.workers, strict=False
        )
        self.seconds += time.perf_counter() - start
        for index, request in enumerate(pending):
            if index in report.failed:
                self.failed[request] = report.failed[index]
            else:
                self.done[request] = report.images[index]
        self.encoded += report.encoded
        self.cached += report.cached

    def processed(self, request: Request) -> ProcessedImage:
        """The derivatives of a request (processing what is pending first); marks them for publishing."""
        if request not in self.done and request not in self.failed:
            self.process()
        if request in self.failed:
            error = self.failed[request]
            raise unusable(self.shown_name(request.path), error.what, error.fix) if error.what else error
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
