"""A practice with a before/after gallery, written to a temporary folder for real builds.

``GallerySite(tmp_path).write_all()`` is the ``SiteFactory`` practice plus a consent ledger and
four cases whose photos come in JPEG, PNG, WebP and HEIC, all carrying GPS EXIF, XMP and
IPTC and keeping the camera's original file name, so every build exercises the metadata and
name scrub. One
case is withheld by a revoked consent; one pair has two different shapes.
"""

from __future__ import annotations

import copy
import hashlib
import io
import random
import shutil
from pathlib import Path

import exifread
import yaml
from PIL import Image, ImageDraw

from tests.pipeline.images.conftest import SECRET, save_with_metadata
from tests.support.sitefactory import SiteFactory

# Photo file names carry the camera's original name: it must never reach the site. (A patient's name
# in a file name stops the build: tests/test_gallery_build.py tests that.)
PATIENT = "dsc4417"
# JPEG and AVIF carry EXIF after "Exif\0\0", WebP in an "EXIF" chunk, PNG in an "eXIf" chunk; XMP
# names its namespace, IPTC sits in a "Photoshop 3.0" block.
FORBIDDEN_BYTES = (b"Exif", b"EXIF", b"eXIf", b"http://ns.adobe.com/xap", b"Photoshop 3.0", SECRET.encode())
# Small derivatives keep these builds quick; every format is still made.
SETTINGS = {"IMAGE_WIDTHS": (120, 240), "WATERMARK_TEXT": "Test Aesthetics"}

LEDGER = [
    {"id": "C-OK-1", "scope": "web", "granted": "2025-01", "expires": "2028-01", "revoked": False},
    {"id": "C-OK-2", "scope": "both", "granted": "2025-03", "expires": "2028-03", "revoked": False},
    {"id": "C-REVOKED", "scope": "both", "granted": "2025-02", "expires": "2028-02", "revoked": "2026-02"},
    {"id": "C-EXPIRED", "scope": "web", "granted": "2023-01", "expires": "2026-06", "revoked": False},
    {"id": "C-SOCIAL", "scope": "social", "granted": "2025-01", "expires": "2028-01", "revoked": False},
    {"id": "C-FUTURE", "scope": "web", "granted": "2027-01", "expires": "2030-01", "revoked": False},
]


def _pair(stem: str, view: str | None = None) -> dict:
    pair = {
        "before": {"src": f"{PATIENT}-{stem}-before.jpg", "alt": f"{view or 'Front'} before treatment"},
        "after": {"src": f"{PATIENT}-{stem}-after.jpg", "alt": f"{view or 'Front'} after treatment"},
    }
    if view:
        pair["view"] = view
    return pair


CASES: dict[str, dict] = {
    "botox-front-01": {
        "title": "Softer frown lines",
        "procedure": "botox",
        "provider": "kim-park",
        "body_areas": ["forehead", "crow's feet"],
        "sessions": 1,
        "time_since_treatment": "2 weeks",
        "age_range": "40-49",
        "sex": "female",
        "skin_type": "III",
        "description": "Frown lines softened in one visit.",
        "consent": "C-OK-1",
        "pairs": [_pair("front", "Front")],
    },
    "hydra-glow-02": {
        "procedure": "hydrafacial",
        "provider": "kim-park",
        "body_areas": ["face"],
        "sessions": 3,
        "time_since_treatment": "6 weeks",
        "age_range": "30-39",
        "description": "A brighter, more even complexion after three facials.",
        "consent": "C-OK-2",
        "pairs": [
            {
                "view": "Left",
                "before": {"src": f"{PATIENT}-left-before.png", "alt": "Left cheek before"},
                "after": {"src": f"{PATIENT}-left-after.webp", "alt": "Left cheek after"},
            }
        ],
    },
    "rhino-profile-03": {
        "title": "A straighter profile",
        "procedure": "rhinoplasty",
        "provider": "dr-lee",
        "body_areas": ["nose"],
        "sessions": 1,
        "time_since_treatment": "6 months",
        "age_range": "18-29",
        "sensitive": True,
        "description": "A dorsal hump reduced, seen from the side and the front.",
        "consent": "C-OK-1",
        "pairs": [
            {
                "view": "Profile",
                "before": {"src": f"{PATIENT}-profile-before.heic", "alt": "Profile before"},
                "after": {"src": f"{PATIENT}-profile-after.heic", "alt": "Profile after"},
            },
            _pair("square", "Front"),
        ],
    },
    "botox-revoked-04": {
        "title": "Withheld case",
        "procedure": "botox",
        "provider": "kim-park",
        "body_areas": ["forehead"],
        "sessions": 1,
        "time_since_treatment": "3 weeks",
        "age_range": "50-59",
        "description": "This patient revoked the authorization.",
        "consent": "C-REVOKED",
        "pairs": [_pair("revoked")],
    },
}
# The "square" pair's after photo is square while its before is portrait: different shapes.
SQUARE_AFTER = f"{PATIENT}-square-after.jpg"


def photo(size: tuple[int, int], seed: int) -> Image.Image:
    """Photographic-ish pixels, the same for the same seed (so builds of equal content are equal)."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(5):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        draw.ellipse(
            (x, y, x + size[0] // 3, y + size[1] // 4), fill=tuple(rng.randrange(256) for _ in range(3))
        )
    noise = Image.frombytes("L", size, rng.randbytes(size[0] * size[1])).convert("RGB")
    return Image.blend(image, noise, 0.12)


def exif_tags(data: bytes) -> dict:
    """Tags exifread (independent of Pillow) finds."""
    try:
        return exifread.process_file(io.BytesIO(data), details=True)
    except Exception:
        return {"unreadable": True}


def metadata_found(data: bytes) -> list[str]:
    """Every kind of metadata an image file carries, read three independent ways: exifread (JPEG,
    TIFF, HEIC), Pillow's decoders (EXIF and XMP of JPEG, PNG, WebP and AVIF; PNG text chunks), and
    byte scans for each format's EXIF, XMP and IPTC markers."""
    found = [f"exifread: {tag}" for tag in exif_tags(data)]
    with Image.open(io.BytesIO(data)) as image:
        if len(image.getexif()):
            found.append("Pillow: EXIF")
        found += [
            f"Pillow: {key}"
            for key in ("exif", "xmp", "XML:com.adobe.xmp", "photoshop", "comment")
            if image.info.get(key)
        ]
        found += [f"Pillow: text chunk {key}" for key in (getattr(image, "text", None) or {})]
    found += [f"bytes: {marker!r}" for marker in FORBIDDEN_BYTES if marker in data]
    return found


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class GallerySite(SiteFactory):
    def write_all(self) -> GallerySite:
        super().write_all()
        self.write_ledger(LEDGER)
        for case_id, data in CASES.items():
            self.write_case(case_id, data)
        return self

    def copy_from(self, other: GallerySite) -> GallerySite:
        """The same content as ``other`` (quicker than drawing every photo again)."""
        shutil.copytree(other.content, self.content)
        return self

    @property
    def gallery(self) -> Path:
        return self.content / "gallery"

    def write_ledger(self, entries: list[dict]) -> Path:
        path = self.gallery / "consent.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(entries, sort_keys=False))
        return path

    def write_case(self, case_id: str, data: dict, text: str | None = None, photos: bool = True) -> Path:
        folder = self.gallery / case_id
        folder.mkdir(parents=True, exist_ok=True)
        if photos:
            for index, pair in enumerate(data.get("pairs", [])):
                for role, seed in (("before", 0), ("after", 1)):
                    name = pair[role]["src"]
                    size = (240, 240) if name == SQUARE_AFTER else (240, 320)
                    fmt = {".jpg": "jpeg", ".png": "png", ".webp": "webp", ".heic": "heic"}[Path(name).suffix]
                    seed_value = int(hashlib.sha256(f"{case_id}/{index}".encode()).hexdigest()[:8], 16) + seed
                    save_with_metadata(photo(size, seed_value), folder / name, fmt)
        path = folder / "case.yml"
        path.write_text(
            text if text is not None else yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
        return path

    def edit_case(self, case_id: str, **changes) -> Path:
        data = copy.deepcopy(CASES[case_id])
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return self.write_case(case_id, data, photos=False)

    def settings(self, **overrides) -> dict:
        return super().settings(**{"INTERNAL_PATH": str(self.root / "internal"), **SETTINGS, **overrides})

    def photo_paths(self, case_id: str) -> list[Path]:
        return [
            self.gallery / case_id / pair[role]["src"]
            for pair in CASES[case_id]["pairs"]
            for role in ("before", "after")
        ]
