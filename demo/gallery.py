"""Synthetic before/after photos for the demo gallery: illustrative and reproducible.

No photo of a real patient may ship with the demo, so every "photo" is drawn with Pillow from a
seed derived from its path: a simplified face, eye, cheek or torso on a studio background, where
the "after" differs from the "before" only in what the treatment changes (fainter lines, fewer
spots, a slimmer waist) plus the small light and framing drift of a real re-shoot. Some photos
are drawn with what phones and editing apps leave behind (GPS EXIF with a capture date, XMP with
IPTC Core, an IPTC-IIM block, a comment) and committed as ``inv scrub`` leaves them (the repository
keeps no location: :func:`as_committed`); the pipeline's own stripping is tested on photos that
keep it (tests/test_no_original_reaches_output.py, tests/test_gallery_build.py)::

    .venv/bin/python -m demo.gallery content

The case files (``case.yml``) and the consent ledger are hand-written content; this script only
draws the photos listed in ``PHOTOS``. Rendering is pure (spec -> ``Image``); :func:`generate`
is the one writer, and writes a file only when its bytes change.
"""

from __future__ import annotations

import io
import math
import random
import struct
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw, ImageFilter

from demo.images import _grain, run, seed_for, write_all

RGB = tuple[int, int, int]
SIZE = (900, 1200)  # portrait 3:4, as clinics shoot them; small enough to commit (whole set < 1 MB)
JPEG_OPTIONS = {"quality": 70, "optimize": True, "progressive": True, "subsampling": "4:2:0"}
HEIC_QUALITY = 60

# Fitzpatrick type -> (base, shadow) skin colours.
SKIN: dict[str, tuple[RGB, RGB]] = {
    "I": ((246, 222, 206), (222, 186, 168)),
    "II": ((238, 205, 180), (210, 168, 140)),
    "III": ((222, 182, 150), (190, 146, 114)),
    "IV": ((196, 148, 112), (160, 114, 82)),
    "V": ((150, 104, 74), (118, 78, 54)),
    "VI": ((104, 70, 50), (80, 52, 36)),
}
HAIR: RGB = (62, 48, 42)


@dataclass(frozen=True)
class Shot:
    """One photo: what it shows, on which skin, how far the treatment went (0 = before, 1 = after)."""

    scene: str  # a key of SCENES
    skin: str
    result: float  # 0.0 before, 1.0 after
    metadata: bool = False  # carry GPS EXIF, XMP and IPTC like a phone photo would


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=False))  # type: ignore[return-value]


def _studio(rng: random.Random) -> Image.Image:
    """A plain grey-blue backdrop, lighter at the top, like a clinic's photo wall."""
    top, bottom = (214, 218, 224), (168, 176, 188)
    ramp = Image.linear_gradient("L").resize(SIZE)
    tint = rng.uniform(-4, 4)
    return Image.composite(
        Image.new("RGB", SIZE, bottom), Image.new("RGB", SIZE, _mix(top, (220, 220, 226), tint / 8)), ramp
    )


class _Pen:
    """ImageDraw whose shapes and lines paint the mask fully (every call gets ``fill=255``)."""

    def __init__(self, draw: ImageDraw.ImageDraw):
        self._draw = draw

    def __getattr__(self, name: str):
        method = getattr(self._draw, name)
        return lambda *args, **kwargs: method(*args, **{"fill": 255, **kwargs})


def _layer(
    base: Image.Image,
    colour: RGB,
    draw: Callable[[ImageDraw.ImageDraw], None],
    blur: float,
    opacity: float = 1.0,
) -> Image.Image:
    """Paint ``colour`` through a mask drawn by ``draw`` (white = paint), softened by ``blur``."""
    mask = Image.new("L", base.size, 0)
    draw(_Pen(ImageDraw.Draw(mask)))
    if blur:
        mask = mask.filter(ImageFilter.GaussianBlur(blur))
    if opacity < 1:
        mask = mask.point(lambda v: round(v * opacity))
    return Image.composite(Image.new("RGB", base.size, colour), base, mask)


def _skin_shading(base: Image.Image, box: tuple[int, int, int, int], skin: tuple[RGB, RGB]) -> Image.Image:
    """A softly lit shape: shadow at the rim, the base tone inside."""
    x0, y0, x1, y1 = box
    base = _layer(base, skin[1], lambda d: d.ellipse(box), 6)
    inset = ((x1 - x0) * 0.12, (y1 - y0) * 0.1)
    return _layer(
        base,
        skin[0],
        lambda d: d.ellipse((x0 + inset[0], y0 + inset[1], x1 - inset[0], y1 - inset[1] * 1.4)),
        60,
    )


def _face(shot: Shot, rng: random.Random, dx: float) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """A front-facing head and shoulders (no identifiable features), shifted ``dx`` pixels."""
    skin = SKIN[shot.skin]
    image = _studio(rng)
    cx = 450 + dx
    image = _layer(image, skin[1], lambda d: d.rounded_rectangle((cx - 95, 960, cx + 95, 1200), 40), 4)
    image = _layer(image, (92, 104, 120), lambda d: d.ellipse((cx - 420, 1080, cx + 420, 1500)), 3)
    face = (int(cx - 260), 250, int(cx + 260), 1010)
    image = _layer(image, HAIR, lambda d: d.ellipse((face[0] - 45, 185, face[2] + 45, 900)), 8)
    image = _skin_shading(image, face, skin)
    image = _layer(image, HAIR, lambda d: d.chord((face[0] - 10, 190, face[2] + 10, 560), 190, 350), 5)
    brow = _mix(HAIR, skin[0], 0.35)
    for side in (-1, 1):
        ex = cx + side * 115
        image = _layer(
            image, brow, lambda d, ex=ex: d.arc((ex - 80, 545, ex + 80, 625), 200, 340, width=12), 2
        )
        image = _layer(
            image,
            _mix(skin[1], HAIR, 0.5),
            lambda d, ex=ex: d.arc((ex - 60, 640, ex + 60, 690), 20, 160, width=6),
            1.5,
        )
    image = _layer(
        image, skin[1], lambda d: d.line((cx - 10, 680, cx - 28, 800, cx + 22, 812), width=7), 3, 0.7
    )
    image = _layer(image, (178, 112, 110), lambda d: d.chord((cx - 90, 850, cx + 90, 915), 0, 180), 3, 0.8)
    return image, face


def _lines(
    image: Image.Image, colour: RGB, strokes: list[list[tuple[float, float]]], width: int, strength: float
) -> Image.Image:
    for points in strokes:
        image = _layer(
            image, colour, lambda d, p=points: d.line(p, width=width, joint="curve"), 1.6, strength
        )
    return image


def scene_forehead(shot: Shot, rng: random.Random, dx: float) -> Image.Image:
    """Forehead lines (neuromodulator): horizontal creases that soften after treatment."""
    image, face = _face(shot, rng, dx)
    cx = (face[0] + face[2]) / 2
    strokes = []
    for i, y in enumerate((405, 445, 485, 522)):
        half = 150 - abs(i - 1.5) * 18
        strokes.append(
            [
                (cx - half + k * half / 5, y + 7 * math.sin(k / 10 * math.pi) + rng.uniform(-2, 2))
                for k in range(11)
            ]
        )
    strength = 0.85 * (1 - 0.8 * shot.result)
    return _lines(image, SKIN[shot.skin][1], strokes, 5, strength)


def scene_eye(shot: Shot, rng: random.Random, dx: float, side: int = 1) -> Image.Image:
    """A close-up of the outer eye: crow's feet that fade after treatment. ``side`` 1 = right, -1 = left."""
    skin = SKIN[shot.skin]
    image = Image.new("RGB", SIZE, skin[0])
    image = _layer(image, skin[1], lambda d: d.rectangle((0, 0, SIZE[0], 120)), 90)
    ex, ey = 430 + dx - side * 40, 560
    image = _layer(
        image,
        _mix(HAIR, skin[0], 0.3),
        lambda d: d.arc((ex - 330, ey - 260, ex + 330, ey + 40), 200, 340, width=30),
        5,
    )
    image = _layer(image, (246, 244, 240), lambda d: d.ellipse((ex - 250, ey - 80, ex + 250, ey + 80)), 4)
    image = _layer(image, (88, 70, 58), lambda d: d.ellipse((ex - 85, ey - 80, ex + 85, ey + 80)), 3)
    image = _layer(image, (24, 20, 18), lambda d: d.ellipse((ex - 36, ey - 36, ex + 36, ey + 36)), 2)
    image = _layer(
        image, skin[1], lambda d: d.arc((ex - 260, ey - 150, ex + 260, ey + 20), 190, 350, width=18), 6
    )
    corner = ex + side * 260
    strokes = []
    for k in range(5):
        angle = math.radians(-40 + k * 20)
        length = rng.uniform(150, 210)
        strokes.append(
            [
                (
                    corner + side * length * j / 6 * math.cos(angle),
                    ey + length * j / 6 * math.sin(angle) + 5 * math.sin(j),
                )
                for j in range(7)
            ]
        )
    strength = 0.8 * (1 - 0.75 * shot.result)
    return _lines(image, skin[1], strokes, 6, strength)


def scene_eye_left(shot: Shot, rng: random.Random, dx: float) -> Image.Image:
    return scene_eye(shot, rng, dx, side=-1)


def _cheek_marks(
    shot: Shot,
    rng: random.Random,
    dx: float,
    colour: RGB,
    count: int,
    radius: tuple[int, int],
    blur: float,
    fade: float,
) -> Image.Image:
    image, face = _face(shot, rng, dx)
    cx = (face[0] + face[2]) / 2
    spots = [
        (cx + side * rng.uniform(70, 200), rng.uniform(690, 860), rng.uniform(*radius))
        for side in (-1, 1)
        for _ in range(count)
    ]
    keep = spots[: max(1, round(len(spots) * (1 - 0.6 * shot.result)))] if fade else spots
    strength = 0.75 * (1 - fade * shot.result)
    for x, y, r in keep:
        image = _layer(
            image,
            colour,
            lambda d, x=x, y=y, r=r: d.ellipse((x - r, y - r * 0.8, x + r, y + r * 0.8)),
            blur,
            strength,
        )
    return image


def scene_sun_spots(shot: Shot, rng: random.Random, dx: float) -> Image.Image:
    """Brown sun spots on the cheeks (IPL): fewer and fainter after."""
    return _cheek_marks(shot, rng, dx, (140, 92, 60), 9, (6, 16), 2.5, 0.8)


def scene_redness(shot: Shot, rng: random.Random, dx: float) -> Image.Image:
    """Diffuse redness across cheeks and nose (IPL): calmer after."""
    image = _cheek_marks(shot, rng, dx, (206, 92, 92), 3, (60, 90), 30, 0.7)
    cx = 450 + dx
    return _layer(
        image,
        (206, 92, 92),
        lambda d: d.ellipse((cx - 45, 720, cx + 45, 810)),
        20,
        0.5 * (1 - 0.7 * shot.result),
    )


def _torso(shot: Shot, rng: random.Random, dx: float, waist: float, belly: float, back: bool) -> Image.Image:
    skin = SKIN[shot.skin]
    image = _studio(rng)
    cx = 450 + dx
    outline = []
    for k in range(41):  # left edge, top to bottom: shoulders, waist, hips
        t = k / 40
        y = 120 + t * 1080
        width = 330 - 150 * math.sin(min(t, 0.6) / 0.6 * math.pi / 2) * waist + 120 * max(0.0, t - 0.6) / 0.4
        width += belly * 60 * math.exp(-((t - 0.72) ** 2) / 0.01)
        outline.append((cx - width, y))
    shape = outline + [(2 * cx - x, y) for x, y in reversed(outline)]
    image = _layer(image, skin[1], lambda d: d.polygon(shape), 5)
    inner = [(x + (cx - x) * 0.12, y) for x, y in outline]
    inner = inner + [(2 * cx - x, y) for x, y in reversed(inner)]
    image = _layer(image, skin[0], lambda d: d.polygon(inner), 45)
    if back:
        image = _layer(image, skin[1], lambda d: d.line((cx, 180, cx, 1000), width=10), 8, 0.6)
    else:
        image = _layer(image, skin[1], lambda d: d.ellipse((cx - 9, 840, cx + 9, 862)), 3, 0.8)
    # Plain neutral garment across the hips, as clinics photograph body treatments.
    return _layer(image, (70, 78, 96), lambda d: d.rectangle((0, 1010, SIZE[0], SIZE[1])), 3)


def scene_abdomen(shot: Shot, rng: random.Random, dx: float) -> Image.Image:
    """Abdomen and waist from the front (body contouring): a flatter lower abdomen after."""
    return _torso(shot, rng, dx, waist=0.55 + 0.25 * shot.result, belly=1.0 - 0.8 * shot.result, back=False)


def scene_flanks(shot: Shot, rng: random.Random, dx: float) -> Image.Image:
    """Flanks from behind (body contouring): a narrower waistline after."""
    return _torso(shot, rng, dx, waist=0.35 + 0.35 * shot.result, belly=0.6 - 0.5 * shot.result, back=True)


SCENES: dict[str, Callable[[Shot, random.Random, float], Image.Image]] = {
    "forehead": scene_forehead,
    "eye-right": scene_eye,
    "eye-left": scene_eye_left,
    "sun-spots": scene_sun_spots,
    "redness": scene_redness,
    "abdomen": scene_abdomen,
    "flanks": scene_flanks,
}


def render(shot: Shot, seed: int) -> Image.Image:
    """The photo for ``shot``. The pair shares its composition seed; a re-shoot drifts a little."""
    rng = random.Random(seed)
    drift = 0.0 if shot.result == 0 else random.Random(seed ^ 0x5EED).uniform(-4, 4)
    image = SCENES[shot.scene](shot, rng, drift)
    if shot.result:
        image = image.point(lambda v: min(255, round(v * 1.03)))  # a touch more light at the follow-up
    return _grain(image, random.Random(seed + int(shot.result)), 3.0)  # sensor noise: it reads as a photo


# Photo path under content/ -> what it shows. A pair's two photos share a seed (the case folder).
def _pair(
    folder: str,
    name: str,
    scene: str,
    skin: str,
    metadata: tuple[bool, bool] = (False, False),
    ext: str = ".jpg",
) -> dict[str, Shot]:
    return {
        f"gallery/{folder}/{name}-before{ext}": Shot(scene, skin, 0.0, metadata[0]),
        f"gallery/{folder}/{name}-after{ext}": Shot(scene, skin, 1.0, metadata[1]),
    }


PHOTOS: dict[str, Shot] = {
    **_pair("botox-forehead-01", "front", "forehead", "III", (True, True)),
    **_pair("botox-crows-feet-02", "left", "eye-left", "IV"),
    **_pair("botox-crows-feet-02", "right", "eye-right", "IV", (True, False)),
    **_pair("botox-forehead-03", "front", "forehead", "II", (True, False)),
    **_pair("ipl-sun-spots-01", "front", "sun-spots", "II", (False, True)),
    **_pair("ipl-redness-02", "front", "redness", "I", (True, True), ext=".heic"),
    **_pair("body-contouring-abdomen-01", "front", "abdomen", "III"),
    **_pair("body-contouring-flanks-02", "back", "flanks", "V", (True, False)),
}

# -- what a phone leaves in a photo (all of it must be stripped by the pipeline) ---------------

_XMP = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    'xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" '
    'xmp:CreatorTool="Demo Clinic Camera 2.1" photoshop:DateCreated="2026-03-14T10:22:05" '
    'Iptc4xmpCore:Location="Demo exam room 2"/>'
    '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
).encode()
_IPTC_NAME = b"Demo patient record 0000"


def _exif() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "DemoPhone"
    exif[ExifTags.Base.Model] = "Demo 15"
    exif[ExifTags.Base.ImageDescription] = "Demo exam room 2"
    exif[ExifTags.Base.DateTime] = "2026:03:14 10:22:05"
    # Fictional coordinates (an empty stretch of ocean): the scrub must remove them anyway.
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (0.0, 0.0, 1.0), 3: "W", 4: (140.0, 0.0, 1.0)}
    return exif.tobytes()


def _iptc_segment() -> bytes:
    """A JPEG APP13 'Photoshop 3.0' segment holding IPTC-IIM 2:05 (object name)."""
    iim = b"\x1c\x02\x05" + struct.pack(">H", len(_IPTC_NAME)) + _IPTC_NAME
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim + b"\x00" * (len(iim) % 2)
    body = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def encode(image: Image.Image, suffix: str, metadata: bool) -> bytes:
    """JPEG (or HEIC) bytes; with ``metadata`` also GPS EXIF, XMP, a comment and IPTC, as phones write."""
    buffer = io.BytesIO()
    if suffix == ".heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
        extra = {"exif": _exif(), "xmp": _XMP} if metadata else {}
        image.save(buffer, "HEIF", quality=HEIC_QUALITY, **extra)
        return buffer.getvalue()
    extra = {"exif": _exif(), "xmp": _XMP, "comment": "Demo exam room 2"} if metadata else {}
    image.save(buffer, "JPEG", **JPEG_OPTIONS, **extra)
    data = buffer.getvalue()
    return data[:2] + _iptc_segment() + data[2:] if metadata else data


def _seed(path: str) -> int:
    return seed_for(path.rsplit("-", 1)[0])  # before and after of one view share their composition


def as_committed(data: bytes) -> bytes:
    """A photo as the repository keeps it: without the location and personal metadata the phone
    wrote, as ``inv scrub`` (or an upload through ``inv edit``) leaves it, the picture untouched."""
    from pipeline.photos.metadata import scrub_bytes

    return scrub_bytes(data)[0]


def generate(content_dir: Path, progress: bool = False) -> list[Path]:
    """Draw every demo gallery photo into ``content_dir``; return their paths, in catalogue order."""
    jobs = (
        (
            rel,
            lambda shot=shot, rel=rel: as_committed(
                encode(render(shot, _seed(rel)), Path(rel).suffix, shot.metadata)
            ),
        )
        for rel, shot in PHOTOS.items()
    )
    return write_all(content_dir, jobs, "demo gallery photos", progress)


def main(argv: list[str]) -> int:
    return run(argv, generate, "demo gallery photos")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
