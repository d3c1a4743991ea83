"""Sample images for the demo practice: abstract, clearly illustrative, reproducible.

The demo site needs covers, procedure images, team portraits and a logo, but no photo of a
real person or place may ship with it. Every image here is drawn with Pillow from a fixed
seed (derived from the file name), so the same catalogue gives identical bytes on every run::

    .venv/bin/python -m demo.images content

Rendering functions are pure (palette, size, seed -> ``Image``); :func:`generate` is the
one writer. To add an image, add a line to ``COVERS``, ``PROCEDURES`` or ``PORTRAITS``.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import random
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from pipeline.errors import PipelineError
from pipeline.files import write_atomic

RGB = tuple[int, int, int]

COVER_SIZE = (1600, 900)
PROCEDURE_SIZE = (1200, 800)
PORTRAIT_SIZE = (800, 1000)
LOGO_SIZE = 512
# Small enough to commit (the whole set stays well under 1.5 MB), good enough for 1600px cards.
JPEG_OPTIONS = {"quality": 78, "optimize": True, "progressive": True, "subsampling": "4:2:0"}


class DemoImageError(PipelineError):
    """The demo images cannot be written; the message says where and why."""


def _rgb(hex_colour: str) -> RGB:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=False))  # type: ignore[return-value]


@dataclass(frozen=True)
class Palette:
    """A soft background (three stops, light to deep) and the colours of the shapes on it."""

    background: tuple[str, str, str]
    shapes: tuple[str, str, str]
    figure: str = "#4a3f4f"  # portraits: the silhouette


PALETTES: dict[str, Palette] = {
    "blush": Palette(("#fbf1ee", "#f3dcd6", "#e7c0b9"), ("#d7938f", "#b8707a", "#f6cdb9"), "#6d4a52"),
    "sage": Palette(("#f1f4ee", "#dde6d6", "#c3d2bb"), ("#8fae8b", "#5f8a6e", "#e3d9b8"), "#3f5a4b"),
    "lagoon": Palette(("#eef6f7", "#d3e8ec", "#a9d0d8"), ("#5ea8b5", "#2f7f8f", "#cfe7df"), "#2b5560"),
    "dusk": Palette(("#f3f0f7", "#ddd5ea", "#bfb1d8"), ("#9b86c4", "#6f5a9e", "#f0c9d6"), "#4b3f6b"),
    "sand": Palette(("#faf5ec", "#f0e3cc", "#e1c9a2"), ("#cfa66f", "#a8794a", "#f4dcc0"), "#6b5038"),
    "coral": Palette(("#fff3ee", "#fbd9cc", "#f2b6a3"), ("#ec8f78", "#c9634f", "#ffd8b8"), "#7a3f35"),
    "slate": Palette(("#f1f3f6", "#d9dfe7", "#b6c2d1"), ("#7d93ad", "#4f6886", "#dbe3ea"), "#34475e"),
    "honey": Palette(("#fdf7e8", "#f7e6b9", "#ecca7e"), ("#e0a93f", "#b9822a", "#fbe7c2"), "#6e5224"),
    "orchid": Palette(("#fbf0f6", "#f1d6e7", "#e0b2cf"), ("#c77aa8", "#9a4f83", "#f6d4e2"), "#62385a"),
    "mist": Palette(("#f0f5f4", "#d9e7e4", "#b7d2cd"), ("#7fb3aa", "#4e8c84", "#e8efe0"), "#355e58"),
    "terracotta": Palette(("#fbf1ea", "#f1d6c4", "#e1b193"), ("#cc8a63", "#a35f3d", "#f3d6bf"), "#5e3a28"),
    "ocean": Palette(("#eef3fa", "#d2e0f2", "#a8c3e6"), ("#6b93cf", "#3f66a8", "#d6e6f2"), "#2c4570"),
}

# image path under content/ -> palette. Blog covers and procedure images are landscape artwork.
COVERS: dict[str, str] = {
    "images/blog/first-consultation.jpg": "sand",
    "images/specials/november-neuromodulator-event.jpg": "blush",
    "images/specials/october-peel-week.jpg": "honey",
    "images/specials/december-hydrafacial-glow.jpg": "lagoon",
    "images/events/winter-open-house.jpg": "sage",
    "images/events/skin-health-talk.jpg": "mist",
    "images/events/fall-injectables-q-and-a.jpg": "orchid",
    "images/blog/botox-myths.jpg": "blush",
    "images/blog/natural-looking-fillers.jpg": "orchid",
    "images/blog/laser-hair-removal-skin-tone.jpg": "ocean",
    "images/blog/everyday-sunscreen-guide.jpg": "honey",
    "images/blog/rhinoplasty-recovery-week-by-week.jpg": "slate",
    "images/blog/privacy-on-our-website.jpg": "mist",
    "images/blog/choosing-a-facial-treatment.jpg": "lagoon",
    "images/blog/eyelid-surgery-candidates.jpg": "dusk",
    "images/blog/coolsculpting-expectations.jpg": "terracotta",
    "images/blog/planning-treatments-year-ahead.jpg": "sage",
    "images/blog/microneedling-with-prp.jpg": "coral",
}
PROCEDURES: dict[str, str] = {
    "images/procedures/botox.jpg": "blush",
    "images/procedures/dermal-fillers.jpg": "orchid",
    "images/procedures/hydrafacial.jpg": "lagoon",
    "images/procedures/laser-hair-removal.jpg": "ocean",
    "images/procedures/body-contouring.jpg": "terracotta",
    "images/procedures/microneedling.jpg": "coral",
    "images/procedures/chemical-peel.jpg": "honey",
    "images/procedures/ipl-photofacial.jpg": "sand",
    "images/procedures/rhinoplasty.jpg": "slate",
    "images/procedures/blepharoplasty.jpg": "dusk",
}
# image path -> (palette, hair shape). The figures are deliberately faceless silhouettes.
PORTRAITS: dict[str, tuple[str, str]] = {
    "images/team/imogen-castell.jpg": ("dusk", "long"),
    "images/team/rafael-okonjo.jpg": ("sage", "short"),
    "images/team/priya-halvorsen.jpg": ("blush", "bun"),
    "images/team/marisol-aldana.jpg": ("lagoon", "bob"),
    "images/team/noor-lindqvist.jpg": ("sand", "long"),
}
LOGO = "images/logo.png"
LOGO_COLOUR = "#5a3e63"


def seed_for(name: str) -> int:
    """A seed that depends only on the name (``hash()`` is salted per process)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")


# --- pure rendering -------------------------------------------------------------------------


def _gradient(stops: tuple[RGB, RGB, RGB], size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A soft diagonal wash: a tiny grid of jittered colours, upscaled smoothly."""
    cols, rows = 4, 3
    grid = Image.new("RGB", (cols, rows))
    angle = rng.uniform(0, 2 * math.pi)
    dx, dy = math.cos(angle), math.sin(angle)
    for y in range(rows):
        for x in range(cols):
            t = ((x / (cols - 1) - 0.5) * dx + (y / (rows - 1) - 0.5) * dy) + 0.5
            t = min(1.0, max(0.0, t + rng.uniform(-0.12, 0.12)))
            colour = _mix(stops[0], stops[1], t * 2) if t < 0.5 else _mix(stops[1], stops[2], (t - 0.5) * 2)
            grid.putpixel((x, y), colour)
    small = grid.resize((size[0] // 8, size[1] // 8), Image.Resampling.BICUBIC)
    return small.filter(ImageFilter.GaussianBlur(6)).resize(size, Image.Resampling.BICUBIC)


def _blob(
    centre: tuple[float, float], radius: float, rng: random.Random, stretch: float = 1.0
) -> list[tuple[float, float]]:
    """The outline of an organic shape: a circle whose radius wanders with a few slow waves."""
    waves = [(k, rng.uniform(0.04, 0.14) / (k - 1), rng.uniform(0, 2 * math.pi)) for k in (2, 3, 4, 5)]
    tilt = rng.uniform(0, math.pi)
    points = []
    for i in range(180):
        theta = 2 * math.pi * i / 180
        r = radius * (1 + sum(a * math.sin(k * theta + p) for k, a, p in waves))
        x, y = r * math.cos(theta) * stretch, r * math.sin(theta)
        points.append(
            (
                centre[0] + x * math.cos(tilt) - y * math.sin(tilt),
                centre[1] + x * math.sin(tilt) + y * math.cos(tilt),
            )
        )
    return points


def _paint(base: Image.Image, colour: RGB, mask: Image.Image, opacity: float) -> Image.Image:
    alpha = mask.point(lambda v: round(v * opacity))
    return Image.composite(Image.new("RGB", base.size, colour), base, alpha)


def _grain(image: Image.Image, rng: random.Random, strength: float = 2.5) -> Image.Image:
    """Fine monochrome grain, so gradients neither band nor look synthetic."""
    w, h = image.size
    gw, gh = w // 2, h // 2  # half-resolution grain is softer and compresses far better
    levels = [128 + round((v / 255 - 0.5) * 2 * strength) for v in range(256)]
    noise = Image.frombytes("L", (gw, gh), rng.randbytes(gw * gh)).point(levels)
    noise = noise.resize((w, h), Image.Resampling.BILINEAR)
    return ImageChops.add(image, Image.merge("RGB", (noise, noise, noise)), 1.0, -128)


def _wash(colour_a: RGB, colour_b: RGB, size: tuple[int, int], angle: float) -> Image.Image:
    """A straight two-colour gradient at ``angle`` (radians)."""
    ramp = Image.linear_gradient("L").rotate(math.degrees(angle), resample=Image.Resampling.BICUBIC)
    ramp = ramp.crop((48, 48, 208, 208)).resize(size, Image.Resampling.BICUBIC)  # inside the rotated corners
    return Image.composite(Image.new("RGB", size, colour_b), Image.new("RGB", size, colour_a), ramp)


def render_artwork(palette: Palette, size: tuple[int, int], seed: int) -> Image.Image:
    """Landscape artwork for a cover or procedure: a wash, glowing and crisp organic shapes, grain."""
    rng = random.Random(seed)
    w, h = size
    stops = tuple(_rgb(c) for c in palette.background)
    light, deep, pale = (_rgb(c) for c in palette.shapes)
    image = _gradient(stops, size, rng)  # type: ignore[arg-type]
    scale = 4  # masks are drawn at a quarter of the size and smoothed up
    mw, mh = w // scale, h // scale

    def mask_of(points, blur):
        mask = Image.new("L", (mw, mh), 0)
        ImageDraw.Draw(mask).polygon([(x / scale, y / scale) for x, y in points], fill=255)
        return mask.filter(ImageFilter.GaussianBlur(blur)).resize(size, Image.Resampling.BICUBIC)

    def crisp_mask_of(points):
        mask = Image.new("L", (w * 2, h * 2), 0)  # supersampled: a smooth, exact edge
        ImageDraw.Draw(mask).polygon([(x * 2, y * 2) for x, y in points], fill=255)
        return mask.resize(size, Image.Resampling.LANCZOS)

    # A broad glow, often running off an edge, behind everything.
    corner = (rng.choice((0.05, 0.95)) * w, rng.uniform(0.1, 0.9) * h)
    points = _blob(corner, rng.uniform(0.45, 0.6) * h, rng, stretch=rng.uniform(1.2, 1.7))
    image = _paint(image, pale, mask_of(points, 45), rng.uniform(0.55, 0.7))

    # The main form: crisp-edged, filled with its own soft gradient, on one side of the frame.
    side = rng.choice((-1, 1))
    main_centre = ((0.5 + side * rng.uniform(0.14, 0.24)) * w, rng.uniform(0.42, 0.6) * h)
    main_radius = rng.uniform(0.26, 0.33) * h
    main_stretch = rng.uniform(1.05, 1.3)
    state = rng.getstate()
    main = _blob(main_centre, main_radius, rng, stretch=main_stretch)
    fill = _wash(_mix(light, (255, 255, 255), 0.25), deep, size, rng.uniform(0, 2 * math.pi))
    shadow = ImageChops.offset(mask_of(main, 18), round(0.012 * w), round(0.02 * h))
    image = _paint(image, _mix(stops[2], deep, 0.3), shadow, 0.35)
    image = Image.composite(fill, image, crisp_mask_of(main).point(lambda v: round(v * 0.88)))

    # Contour lines around the main form, like a topographic map.
    line_mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(line_mask)
    for ring in range(1, 5):
        rng.setstate(state)  # same waves on every ring: nested, never crossing
        points = _blob(main_centre, main_radius * (1 + 0.17 * ring), rng, stretch=main_stretch)
        draw.line(points + points[:1], fill=255, width=2, joint="curve")
    image = _paint(image, deep, line_mask.filter(ImageFilter.GaussianBlur(0.7)), 0.28)

    # A smaller companion form with a soft edge, and a small bright accent.
    centre = ((0.5 - side * rng.uniform(0.18, 0.3)) * w, rng.uniform(0.3, 0.7) * h)
    points = _blob(centre, rng.uniform(0.14, 0.2) * h, rng, stretch=rng.uniform(0.9, 1.3))
    image = _paint(image, light, mask_of(points, 6), rng.uniform(0.6, 0.75))
    r = rng.uniform(0.035, 0.055) * h
    accent = (centre[0] + rng.uniform(0.12, 0.2) * h * -side, centre[1] - rng.uniform(0.15, 0.25) * h)
    angles = [i * math.pi / 32 for i in range(64)]
    dot = [(accent[0] + r * math.cos(a), accent[1] + r * math.sin(a)) for a in angles]
    image = _paint(image, (255, 255, 255), crisp_mask_of(dot), 0.7)
    return _grain(image, rng)


def _hair(draw: ImageDraw.ImageDraw, style: str, head: tuple[float, float, float, float]) -> None:
    """The hair shape behind and over the head (the face itself stays blank)."""
    left, top, right, bottom = head
    width, height = right - left, bottom - top
    cx = (left + right) / 2
    crown = (left - width * 0.06, top - height * 0.06, right + width * 0.06, top + height * 0.62)
    if style in ("long", "bob"):
        spread, length, radius = (0.14, 0.62, 0.3) if style == "long" else (0.12, 0.08, 0.35)
        draw.rounded_rectangle(
            (left - width * spread, top + height * 0.2, right + width * spread, bottom + height * length),
            radius=width * radius,
            fill=255,
        )
    elif style == "bun":
        bun = (cx - width * 0.24, top - height * 0.3, cx + width * 0.24, top + height * 0.12)
        draw.ellipse(bun, fill=255)
    else:  # short
        crown = (left - width * 0.03, top - height * 0.05, right + width * 0.03, top + height * 0.5)
    draw.ellipse(crown, fill=255)


def render_portrait(
    palette: Palette, style: str, seed: int, size: tuple[int, int] = PORTRAIT_SIZE
) -> Image.Image:
    """A stylised, faceless head-and-shoulders figure on a gradient: clearly an illustration."""
    rng = random.Random(seed)
    w, h = size
    stops = tuple(_rgb(c) for c in palette.background)
    light, deep, pale = (_rgb(c) for c in palette.shapes)
    image = _gradient(stops, size, rng)  # type: ignore[arg-type]
    glow = Image.new("L", (w // 4, h // 4), 0)
    gx, gy, gr = rng.uniform(0.3, 0.7) * w / 4, rng.uniform(0.2, 0.4) * h / 4, w / 6
    ImageDraw.Draw(glow).ellipse((gx - gr, gy - gr, gx + gr, gy + gr), fill=255)
    glow = glow.filter(ImageFilter.GaussianBlur(24)).resize(size, Image.Resampling.BICUBIC)
    image = _paint(image, pale, glow, 0.8)

    ss = 2  # layers are drawn supersampled for smooth edges
    cx = w * ss * (0.5 + rng.uniform(-0.02, 0.02))
    head_w = 0.27 * w * ss
    head = (cx - head_w / 2, 0.25 * h * ss, cx + head_w / 2, 0.25 * h * ss + head_w * 1.3)

    def layer(shape: Callable[[ImageDraw.ImageDraw], None]) -> Image.Image:
        mask = Image.new("L", (w * ss, h * ss), 0)
        shape(ImageDraw.Draw(mask))
        return mask.resize(size, Image.Resampling.LANCZOS)

    hair = layer(lambda d: _hair(d, style, head))
    neck_w = head_w * 0.48
    neck = (cx - neck_w / 2, head[3] - head_w * 0.3, cx + neck_w / 2, 0.74 * h * ss)
    skin = layer(
        lambda d: (d.ellipse(head, fill=255), d.rounded_rectangle(neck, radius=neck_w * 0.4, fill=255))
    )
    top_y = 0.63 * h * ss  # the shoulders, with a V neckline cut out
    shoulders = (cx - 0.4 * w * ss, top_y, cx + 0.4 * w * ss, h * ss * 1.3)
    neckline = [(cx - neck_w * 0.75, top_y), (cx + neck_w * 0.75, top_y), (cx, top_y + neck_w * 1.2)]
    body = layer(
        lambda d: (d.rounded_rectangle(shoulders, radius=0.2 * w * ss, fill=255), d.polygon(neckline, fill=0))
    )

    figure = ImageChops.lighter(ImageChops.lighter(hair, skin), body)
    shadow = ImageChops.offset(figure.filter(ImageFilter.GaussianBlur(20)), 12, 10)
    image = _paint(image, _mix(stops[2], deep, 0.4), shadow, 0.3)
    tone = _mix(pale, (238, 216, 200), 0.55)  # a warm neutral, tinted by the palette
    image = _paint(image, _rgb(palette.figure), hair, 1.0)
    image = _paint(image, tone, skin, 1.0)
    # Top-lit clothing: a vertical wash from the accent colour to the deep one.
    cloth = _wash(_mix(deep, light, 0.35), _mix(deep, _rgb(palette.figure), 0.5), size, math.pi / 2)
    image = Image.composite(cloth, image, body)
    return _grain(image, rng)


def render_logo(colour: RGB, size: int = LOGO_SIZE) -> Image.Image:
    """The monogram: an 'A' whose crossbar is a rising arc of light, in a ring. Transparent PNG."""
    ss = 4
    s = size * ss
    mask = Image.new("L", (s, s), 0)
    draw = ImageDraw.Draw(mask)
    ring, pad = round(s * 0.04), s * 0.02
    draw.ellipse((pad, pad, s - pad, s - pad), outline=255, width=ring)

    def stroke(points: list[tuple[float, float]], width: float) -> None:
        # A round brush stamped along the path: round caps and clean joins, no seams.
        r = width / 2
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            steps = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / (r / 4)))
            for i in range(steps + 1):
                x, y = x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps
                draw.ellipse((x - r, y - r, x + r, y + r), fill=255)

    apex, foot_l, foot_r = (s * 0.5, s * 0.22), (s * 0.29, s * 0.74), (s * 0.71, s * 0.74)
    stroke([foot_l, apex, foot_r], s * 0.065)

    def on_leg(foot, t):
        return apex[0] + (foot[0] - apex[0]) * t, apex[1] + (foot[1] - apex[1]) * t

    start, end = on_leg(foot_l, 0.66), on_leg(foot_r, 0.66)
    lift = s * 0.07
    ts = [i / 48 for i in range(49)]
    stroke([((1 - t) * start[0] + t * end[0], start[1] - lift * 4 * t * (1 - t)) for t in ts], s * 0.038)
    alpha = mask.resize((size, size), Image.Resampling.LANCZOS)
    logo = Image.new("RGBA", (size, size), colour + (0,))
    logo.putalpha(alpha)
    return logo


# --- the catalogue and the one writer -------------------------------------------------------


def catalogue() -> dict[str, Callable[[], Image.Image]]:
    """Every demo image: path under content/ -> how to draw it."""
    jobs: dict[str, Callable[[], Image.Image]] = {}
    for path, name in COVERS.items():
        jobs[path] = functools.partial(render_artwork, PALETTES[name], COVER_SIZE, seed_for(path))
    for path, name in PROCEDURES.items():
        jobs[path] = functools.partial(render_artwork, PALETTES[name], PROCEDURE_SIZE, seed_for(path))
    for path, (name, style) in PORTRAITS.items():
        jobs[path] = functools.partial(render_portrait, PALETTES[name], style, seed_for(path))
    jobs[LOGO] = functools.partial(render_logo, _rgb(LOGO_COLOUR))
    return jobs


def encode(image: Image.Image, suffix: str) -> bytes:
    """JPEG or PNG bytes with no metadata (nothing is passed that would add EXIF, XMP or text)."""
    buffer = io.BytesIO()
    if suffix == ".png":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.convert("RGB").save(buffer, "JPEG", **JPEG_OPTIONS)
    return buffer.getvalue()


def _write(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically, and only when its bytes change."""
    if not (path.exists() and path.read_bytes() == data):
        write_atomic(path, data)


def write_all(
    content_dir: Path, jobs: Iterable[tuple[str, Callable[[], bytes]]], what: str, progress: bool = False
) -> list[Path]:
    """Write ``(path under content/, draw-and-encode)`` jobs; the one writer of every demo generator."""
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        raise DemoImageError(
            f"{content_dir}: there is no content folder here — pass the folder that "
            "holds practice.yml, e.g. content"
        )
    jobs = list(jobs)
    if progress:
        from rich.progress import track

        jobs = track(jobs, description=f"Drawing {what}")
    written = []
    for relative, draw in jobs:
        path = content_dir / relative
        try:
            _write(path, draw())
        except OSError as exc:
            raise DemoImageError(
                f"{path}: cannot write the image ({exc.strerror}) — check the folder exists and is writable"
            ) from None
        written.append(path)
    return written


def generate(content_dir: Path, progress: bool = False) -> list[Path]:
    """Draw every demo image into ``content_dir``; return their paths, in catalogue order."""
    jobs = (
        (rel, lambda r=render, suffix=Path(rel).suffix: encode(r(), suffix))
        for rel, render in catalogue().items()
    )
    return write_all(content_dir, jobs, "demo images", progress)


def run(argv: list[str], generate: Callable[..., list[Path]], what: str) -> int:
    """The command line of a demo generator: ``python -m demo.images content``."""
    content_dir = Path(argv[1] if len(argv) > 1 else "content")
    try:
        paths = generate(content_dir, progress=True)
    except PipelineError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    total = sum(p.stat().st_size for p in paths)
    print(f"Wrote {len(paths)} {what} under {content_dir}/ ({total / 1024:.0f} KiB).")
    return 0


def main(argv: list[str]) -> int:
    return run(argv, generate, "demo images")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
