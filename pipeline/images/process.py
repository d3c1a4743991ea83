"""Turning source photos into cached derivatives, in parallel, and copying them into the site.

``process_images`` plans first (hash each source, look up its record in the cache) and
only sends sources with something missing to the worker pool, one task per source: the
photo is decoded once, at the smallest JPEG draft scale that covers the largest width,
and every width and format is made from that one decode. ``publish`` then hard-links
cached files into ``output/``.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import PIL
import pillow_heif
from PIL import features

from pipeline.files import place_file
from pipeline.images.cache import ImageCache, digest_json
from pipeline.images.config import FORMATS, ImageConfig
from pipeline.images.decode import decode, probe
from pipeline.images.derive import canvas_size, encode, height_for, place_on_canvas, plan_widths, resize
from pipeline.images.errors import ImageError, unusable
from pipeline.watermark import WatermarkSpec, watermark

logger = logging.getLogger(__name__)

# Bump when a change here alters output pixels, so every cache key moves with it.
PIPELINE_VERSION = 1
# Codec versions change bytes too; with them in the keys, a Pillow upgrade re-encodes instead of mixing.
CODECS = {
    "pillow": PIL.__version__,
    "jpeg": features.version("jpg"),
    "webp": features.version("webp"),
    "avif": features.version("avif"),
    "lcms": features.version("littlecms2"),
    "libheif": pillow_heif.libheif_version(),
}


@dataclass(frozen=True)
class ImageJob:
    """One source photo to process.

    ``canvas`` is a common aspect ratio (from ``plan_pair``) the photo is padded to, so a
    before/after pair shares one shape; ``watermark`` marks every derivative of it.
    """

    path: Path
    watermark: WatermarkSpec | None = None
    canvas: tuple[int, int] | None = None


@dataclass(frozen=True)
class Derivative:
    format: str
    width: int
    height: int
    name: str  # path inside the site, e.g. "media/3f2a9c0b1d4e5f60-800.webp"
    key: str  # the cache key (sha256 hex)

    @property
    def mime(self) -> str:
        return FORMATS[self.format].mime

    @property
    def ext(self) -> str:
        return FORMATS[self.format].ext


@dataclass(frozen=True)
class ProcessedImage:
    """A source's derivatives. Carries the source's hash, never its name."""

    source_hash: str
    width: int  # intrinsic size of the largest derivative
    height: int
    derivatives: tuple[Derivative, ...]

    def variants(self, fmt: str) -> tuple[Derivative, ...]:
        return tuple(sorted((d for d in self.derivatives if d.format == fmt), key=lambda d: d.width))


@dataclass(frozen=True)
class ProcessReport:
    images: tuple[ProcessedImage | None, ...]  # one per job, in job order (None: it failed, see ``failed``)
    encoded: int  # derivatives encoded in this run
    cached: int  # derivatives found in the cache
    decoded: int  # sources whose pixels were decoded
    failed: dict[int, ImageError] = field(default_factory=dict)  # job index -> why (``strict=False`` only)


def _job_key(source_hash: str, job: ImageJob, config: ImageConfig) -> str:
    return digest_json(
        {
            "v": PIPELINE_VERSION,
            "codecs": CODECS,
            "source": source_hash,
            "config": config.key(),
            "canvas": job.canvas,
            "watermark": job.watermark and job.watermark.cache_key(),
            "max_pixels": config.max_pixels,
        }
    )


def _image_from_record(record: dict, config: ImageConfig) -> ProcessedImage:
    derivatives = tuple(
        Derivative(
            d["format"],
            d["width"],
            d["height"],
            f"{config.output_dir}/{d['key'][:16]}-{d['width']}{FORMATS[d['format']].ext}",
            d["key"],
        )
        for d in record["derivatives"]
    )
    largest = max(derivatives, key=lambda d: d.width)
    return ProcessedImage(record["source"], largest.width, largest.height, derivatives)


def _complete(record: dict | None, cache: ImageCache) -> bool:
    return record is not None and all(
        cache.has_object(d["key"], FORMATS[d["format"]].ext) for d in record["derivatives"]
    )


def render(
    name: str, path: str, source_hash: str, job_key: str, job: ImageJob, config: ImageConfig, cache_root: str
) -> tuple[dict, int, int, int]:
    """Worker: make whatever derivatives of one source the cache lacks; return (record, encoded, cached, decoded)."""
    cache = ImageCache(cache_root)
    data = Path(path).read_bytes()
    info = probe(data, name, config.max_pixels)
    size = canvas_size(info.size, job.canvas)
    widths = plan_widths(size[0], config.widths)
    # Everything that decides the pixels of one derivative, whatever else is missing.
    common = {
        "v": PIPELINE_VERSION,
        "codecs": CODECS,
        "source": source_hash,
        "canvas": job.canvas,
        "decode_width": widths[-1],
        "background": list(config.background),
        "watermark": job.watermark and job.watermark.cache_key(),
    }
    planned = [
        {
            "format": fmt,
            "width": w,
            "height": height_for(w, size),
            "key": digest_json(
                {
                    **common,
                    "format": fmt,
                    "width": w,
                    "height": height_for(w, size),
                    "options": config.encoder_options(fmt),
                }
            ),
        }
        for w in widths
        for fmt in config.formats
    ]
    missing = [d for d in planned if not cache.has_object(d["key"], FORMATS[d["format"]].ext)]
    if missing:
        scale = widths[-1] / size[0]
        draft = (math.ceil(info.size[0] * scale), math.ceil(info.size[1] * scale))
        base = place_on_canvas(
            decode(data, name, max_pixels=config.max_pixels, draft_size=draft), job.canvas, config.background
        )
        for width in sorted({d["width"] for d in missing}, reverse=True):
            image = resize(base, (width, height_for(width, size)))
            if job.watermark is not None:
                image = watermark(image, job.watermark)
            for d in (d for d in missing if d["width"] == width):
                fmt = d["format"]
                cache.put_object(
                    d["key"],
                    FORMATS[fmt].ext,
                    encode(image, fmt, config.encoder_options(fmt), config.background),
                )
    record = {"source": source_hash, "size": list(size), "derivatives": planned}
    cache.write_record(job_key, record)
    return record, len(missing), len(planned) - len(missing), int(bool(missing))


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _progress(total: int, enabled: bool):
    """A rich progress bar for ``total`` sources, or None when disabled or there is nothing to do."""
    if not enabled or total == 0:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("images"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )
    bar.add_task("images", total=total)
    return bar


@contextmanager
def _shown(bar):
    if bar is None:
        yield
        return
    with bar:
        yield


def _advance(bar) -> None:
    if bar is not None:
        bar.advance(bar.task_ids[0])


def process_images(
    jobs: Sequence[ImageJob],
    config: ImageConfig,
    cache_dir: str | os.PathLike,
    *,
    workers: int | None = None,
    progress: bool = True,
    strict: bool = True,
) -> ProcessReport:
    """Make sure every derivative of every job is in the cache; report what it took.

    Raises one ``ImageError`` listing every unusable source (each line names the file
    and the fix) after all the usable ones are cached; with ``strict=False`` the report
    lists them in ``failed`` instead, so the caller can say where each one is used.
    """
    cache = ImageCache(cache_dir)
    errors: list[str] = []
    failures: dict[str, ImageError] = {}  # job key (or path, for a missing file) -> error
    records: dict[str, dict] = {}
    keys: list[str | None] = []
    todo: dict[str, tuple] = {}
    cached = 0
    workers = max(1, workers or default_workers())
    digests = cache.source_digests([Path(j.path) for j in jobs if Path(j.path).is_file()], workers)
    for job in jobs:
        path = Path(job.path)
        if not path.is_file():
            missing = unusable(
                str(path), "file not found", "Check the name in the content file, or add the photo."
            )
            errors.append(str(missing))
            failures[str(path)] = missing
            keys.append(str(path))
            continue
        source_hash = digests[path]
        key = _job_key(source_hash, job, config)
        keys.append(key)
        if key in records or key in todo:
            continue
        record = cache.read_record(key)
        if _complete(record, cache):
            records[key] = record
            cached += len(record["derivatives"])
        else:
            todo[key] = (str(path), str(path), source_hash, key, job, config, str(cache.root))
    cache.save_memo()

    encoded = decoded = 0
    bar = _progress(len(todo), progress)

    def collect(key: str, outcome: tuple[dict, int, int, int]) -> None:
        nonlocal encoded, cached, decoded
        records[key], made, found, opened = outcome
        encoded, cached, decoded = encoded + made, cached + found, decoded + opened

    if workers == 1 or len(todo) <= 1:
        with _shown(bar):
            for key, task in todo.items():
                try:
                    collect(key, render(*task))
                except ImageError as exc:
                    errors.append(str(exc))
                    failures[key] = exc
                _advance(bar)
    else:
        # fork is cheapest, and safe here: the pool forks every worker on the first submit,
        # before the progress bar starts its refresh thread.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=context) as pool:
            futures = {pool.submit(render, *task): key for key, task in todo.items()}
            with _shown(bar):
                for future in as_completed(futures):
                    try:
                        collect(futures[future], future.result())
                    except ImageError as exc:
                        errors.append(str(exc))
                        failures[futures[future]] = exc
                    _advance(bar)
    if errors and strict:
        raise ImageError("\n".join(sorted(errors)))
    logger.info("images: %d derivatives encoded, %d from cache", encoded, cached)
    images = tuple(None if key in failures else _image_from_record(records[key], config) for key in keys)
    failed = {index: failures[key] for index, key in enumerate(keys) if key in failures}
    return ProcessReport(images, encoded, cached, decoded, failed)


def publish(
    images: Iterable[ProcessedImage], output_dir: str | os.PathLike, cache_dir: str | os.PathLike
) -> int:
    """Hard-link (or copy, across file systems) every derivative from the cache into ``output_dir``.

    Returns how many files were placed; ones already linked to the cached object are skipped.
    """
    cache, output, placed = ImageCache(cache_dir), Path(output_dir), 0
    folders: set[Path] = set()
    for image in images:
        for d in image.derivatives:
            source, target = cache.object_path(d.key, d.ext), output / d.name
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            try:
                os.link(source, target)  # the usual case: Pelican emptied output/ for this build
                placed += 1
                continue
            except FileExistsError:
                if os.path.samefile(source, target):
                    continue
            except OSError:
                pass  # another file system: copied below
            place_file(source, target)
            placed += 1
    return placed
