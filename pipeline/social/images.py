"""Each network's image at its exact size: the content's photo cropped around its focus point, or a
gallery case's before/after pair as one labelled composite.

Both go through the image pipeline's decoder and encoder (upright, sRGB, and no EXIF, GPS, IPTC,
XMP, ICC or comments in the output) and carry the watermark where ``WATERMARK_APPLIES_TO`` says.
Photos use ``pipeline.crop.render_card``, the same crop that makes the site's Open Graph images.
A before/after pair is never cropped (a crop could hide or exaggerate a result): both photos are
put on one canvas (``pipeline.images.pair_canvas``) and fitted whole into two labelled panels,
side by side, or stacked for tall formats. Names are content hashes, never a source's file name.

The same image has the same name in an export (``images/``) and on the site (``media/social/``,
``PUBLIC_FOLDER``), where every build publishes the image each scheduler fetches by URL
(``pipeline.social.public``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from pipeline import crop
from pipeline.images.cache import ImageCache, digest_json
from pipeline.images.config import FORMATS
from pipeline.images.decode import decode
from pipeline.images.derive import encode
from pipeline.images.errors import ImageError
from pipeline.images.pair import pair_canvas
from pipeline.social.items import PairPhotos, Photo
from pipeline.watermark import WatermarkSpec, watermark

VERSION = 2  # bump when the pixels change for the same inputs
BACKGROUND = (246, 243, 239)  # behind letterboxed logos and around composite panels
LABEL_BAND = (28, 28, 30)  # labels: white on near-black, well above 4.5:1 contrast
LABEL_TEXT = (255, 255, 255)
FOLDER = "images"  # in an export
# On the site: under media/ (where the publish guard expects image-pipeline derivatives with
# content-hash names), in a folder robots.txt disallows and CloudFront marks noindex.
PUBLIC_FOLDER = "media/social"


@dataclass(frozen=True)
class Rendered:
    name: str  # path inside the export folder: images/<hash16>-<w>x<h>.jpg
    size: tuple[int, int]
    data: bytes

    @property
    def file(self) -> str:
        """The file's name alone: the same in an export's images/ and on the site's media/social/."""
        return self.name.rsplit("/", 1)[-1]


def _digest(path: Path) -> str:
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise ImageError(f"{path}: file not found. Check the image path in the content file.") from None
    return _digest_of(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4096)
def _digest_of(path: str, mtime_ns: int, size: int) -> str:
    """Memoized by path, time and size: many posts share one cover, and a build asks for each."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _key(
    kind: str, sources: list[str], size: tuple[int, int], spec: WatermarkSpec | None, quality: int, **extra
) -> str:
    return digest_json(
        {
            "v": VERSION,
            "crop": crop.CARD_VERSION,
            "kind": kind,
            "sources": sources,
            "size": list(size),
            "watermark": spec and spec.cache_key(),
            "quality": quality,
            "options": dict(FORMATS["jpeg"].options),
            **extra,
        }
    )


def _fit(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    scale = min(box[0] / image.width, box[1] / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _label_font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


# Pillow's built-in font has no dashes or curly quotes; these read the same and are always there.
_PLAIN = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


def _plain(label: str) -> str:
    return label.translate(_PLAIN)


def composite(
    before: Image.Image,
    after: Image.Image,
    labels: tuple[str, str],
    size: tuple[int, int],
    background: tuple[int, int, int] = BACKGROUND,
    spec: WatermarkSpec | None = None,
) -> Image.Image:
    """Before and after on one ``size`` canvas, each whole in its own labelled panel; ``spec`` marks
    each photo (as the gallery marks each one), not the labels."""
    pair = pair_canvas(before, after, background=background)
    width, height = size
    gutter = max(4, round(min(size) * 0.012))
    band = max(24, round(min(size) * 0.075))
    side_by_side = width / height >= 0.75  # 1:1, 4:5, 4:3, 1.91:1 side by side; 9:16 stacked
    if side_by_side:
        panel = ((width - gutter) // 2, height)
        origins = ((0, 0), (width - panel[0], 0))
    else:
        panel = (width, (height - gutter) // 2)
        origins = ((0, 0), (0, height - panel[1]))
    canvas = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(canvas)
    font = _label_font(round(band * 0.5))
    for photo, label, (x, y) in zip((pair.before, pair.after), labels, origins, strict=False):
        area = (panel[0], panel[1] - band)
        fitted = _fit(photo.convert("RGB"), area)
        if spec is not None:
            fitted = watermark(fitted, spec)
        label = _plain(label)
        canvas.paste(fitted, (x + (area[0] - fitted.width) // 2, y + (area[1] - fitted.height) // 2))
        top = y + panel[1] - band
        draw.rectangle((x, top, x + panel[0] - 1, top + band - 1), fill=LABEL_BAND)
        left, upper, right, lower = draw.textbbox((0, 0), label, font=font)
        while right - left > panel[0] - band and font.size > 10:  # long labels: smaller type, never cut
            font = _label_font(font.size - 2)
            left, upper, right, lower = draw.textbbox((0, 0), label, font=font)
        draw.text(
            (x + (panel[0] - (right - left)) // 2 - left, top + (band - (lower - upper)) // 2 - upper),
            label,
            font=font,
            fill=LABEL_TEXT,
        )
    return canvas


def render_pair(
    pair: PairPhotos,
    size: tuple[int, int],
    spec: WatermarkSpec | None,
    quality: int,
    max_pixels: int = Image.MAX_IMAGE_PIXELS or 89_478_485,
) -> bytes:
    images = [
        decode(path.read_bytes(), str(path), max_pixels=max_pixels, draft_size=size)
        for path in (pair.before, pair.after)
    ]
    canvas = composite(images[0], images[1], (pair.before_label, pair.after_label), size, spec=spec)
    return encode(canvas, "jpeg", {**FORMATS["jpeg"].options, "quality": quality}, BACKGROUND)


def key_for(
    source: Photo | PairPhotos, size: tuple[int, int], spec: WatermarkSpec | None, quality: int
) -> str:
    """The image's content key: a digest of its sources' bytes and of everything that shapes its pixels."""
    if isinstance(source, PairPhotos):
        return _key(
            "pair",
            [_digest(source.before), _digest(source.after)],
            size,
            spec,
            quality,
            labels=[source.before_label, source.after_label],
        )
    return _key(
        "photo",
        [_digest(source.path)],
        size,
        spec,
        quality,
        focus=list(source.focus) if source.focus else None,
        fit=source.fit,
    )


def file_name(key: str, size: tuple[int, int]) -> str:
    return f"{key[:16]}-{size[0]}x{size[1]}.jpg"


def render(
    source: Photo | PairPhotos,
    size: tuple[int, int],
    spec: WatermarkSpec | None,
    quality: int,
    cache: ImageCache | None = None,
    key: str | None = None,
) -> Rendered:
    """The ``size`` JPEG of a photo or a pair, from the cache when it was made before."""
    key = key or key_for(source, size, spec, quality)
    name = f"{FOLDER}/{file_name(key, size)}"
    if cache is not None and cache.has_object(key, ".jpg"):
        return Rendered(name, size, cache.object_path(key, ".jpg").read_bytes())
    if isinstance(source, PairPhotos):
        data = render_pair(source, size, spec, quality)
    else:
        data = crop.render_card(
            source.path.read_bytes(),
            str(source.path),
            size,
            source.focus,
            source.fit,
            BACKGROUND,
            quality,
            watermark=spec,
        )
    if cache is not None:
        cache.put_object(key, ".jpg", data)
    return Rendered(name, size, data)
