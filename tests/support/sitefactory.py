"""A small, valid practice site written to a temporary folder, for tests to build or break.

``SiteFactory(tmp_path).write_all()`` makes a complete content folder; tests then change
one field with ``factory.edit(...)`` and build or check it with the real Pelican run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from PIL import Image

from plugins import sitebuild

ROOT = Path(__file__).resolve().parents[2]


def _image(path: Path, size=(320, 200), colour=(210, 190, 180)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, quality=80)


PRACTICE = {
    "name": "Test Aesthetics",
    "tagline": "Careful aesthetics",
    "description": "A test practice.",
    "phone": "(555) 555-0100",
    "email": "hello@test-aesthetics.example",
    "specialties": ["PlasticSurgery", "Dermatology"],
    "logo": {"src": "images/logo.png", "alt": "Test Aesthetics"},
}

FILES: dict[str, dict] = {
    "locations/north.md": {
        "name": "North Clinic",
        "address": {"street": "1 Elm Row", "city": "Brightwater", "region": "CA", "postal_code": "95999"},
        "phone": "(555) 555-0101",
        "hours": {"monday": "9:00-17:00", "saturday": "10:00-14:00"},
        "map_url": "https://www.openstreetmap.org/?mlat=1&mlon=2",
        "geo": {"lat": 1.0, "lng": 2.0},
    },
    "locations/south.md": {
        "name": "South Clinic",
        "address": {"street": "2 Oak Row", "city": "Brightwater", "region": "CA", "postal_code": "95998"},
        "phone": "(555) 555-0102",
        "hours": {"tuesday": "8:00-16:00"},
        "map_url": "https://www.openstreetmap.org/?mlat=3&mlon=4",
    },
    "team/dr-lee.md": {
        "name": "Dr. Sam Lee",
        "credentials": "MD, FACS",
        "role": "Plastic surgeon",
        "photo": {"src": "images/team/dr-lee.jpg", "alt": "Dr. Sam Lee"},
        "accepting_new_patients": True,
        "locations": ["north", "south"],
        "procedures": ["botox", "rhinoplasty"],
        "specialty": "PlasticSurgery",
    },
    "team/kim-park.md": {
        "name": "Kim Park",
        "credentials": "RN",
        "role": "Nurse injector",
        "photo": {"src": "images/team/kim-park.jpg", "alt": "Kim Park"},
        "accepting_new_patients": False,
        "locations": ["south"],
        "procedures": ["botox", "hydrafacial"],
    },
    "procedures/botox.md": {
        "name": "Botox",
        "summary": "Softens expression lines.",
        "body_areas": ["forehead", "crow's feet"],
        "procedure_type": "percutaneous",
        "devices": [],
        "sessions": "1",
        "downtime": "None",
        "price_from": 12,
        "faqs": [{"q": "Does it hurt?", "a": "A little."}],
        "related": ["hydrafacial"],
        "image": {"src": "images/procedures/botox.jpg", "alt": "A vial"},
        "featured": True,
    },
    "procedures/hydrafacial.md": {
        "name": "HydraFacial",
        "summary": "A three-step facial.",
        "body_areas": ["face"],
        "procedure_type": "noninvasive",
        "devices": ["HydraFacial Syndeo"],
        "sessions": "3-6",
        "downtime": "None",
        "price_from": 199,
    },
    "procedures/rhinoplasty.md": {
        "name": "Rhinoplasty",
        "summary": "Reshapes the nose.",
        "body_areas": ["nose"],
        "procedure_type": "surgical",
        "sessions": "1",
        "downtime": "1-2 weeks",
        "price_from": 8500,
        "how_performed": "Under general anaesthesia.",
    },
    "blog/botox-myths.md": {
        "title": "Five myths about Botox",
        "date": "2026-03-14",
        "summary": "What it can and cannot do.",
        "category": "Injectables",
        "tags": ["botox", "wrinkles"],
        "author": "kim-park",
        "cover": {"src": "images/blog/botox-myths.jpg", "alt": "A syringe on a tray"},
        "procedures": ["botox"],
    },
    "blog/facial-season.md": {
        "title": "Facial season",
        "date": "2026-05-02",
        "summary": "Why spring suits a HydraFacial.",
        "category": "Skin care",
        "tags": ["hydrafacial"],
        "author": "kim-park",
        "cover": {"src": "images/blog/facial-season.jpg", "alt": "A calm treatment room"},
        "procedures": ["hydrafacial", "botox"],
    },
    "blog/nose-questions.md": {
        "title": "Your rhinoplasty questions",
        "date": "2026-06-20",
        "summary": "Answers from our surgeon.",
        "category": "Surgery",
        "author": "dr-lee",
        "cover": {"src": "images/blog/nose-questions.jpg", "alt": "A surgeon's hands"},
        "procedures": ["rhinoplasty"],
    },
    "blog/next-year.md": {
        "title": "Coming next year",
        "date": "2099-01-01",
        "summary": "A scheduled post.",
        "category": "News",
        "author": "dr-lee",
        "cover": {"src": "images/blog/botox-myths.jpg", "alt": "A syringe on a tray"},
    },
    "blog/unfinished.md": {
        "title": "Unfinished thoughts",
        "date": "2026-02-01",
        "summary": "A draft.",
        "category": "News",
        "author": "dr-lee",
        "status": "draft",
        "cover": {"src": "images/blog/botox-myths.jpg", "alt": "A syringe on a tray"},
    },
    "pages/privacy.md": {"title": "Privacy notice", "summary": "How we handle information."},
}

IMAGES = ["images/team/dr-lee.jpg", "images/team/kim-park.jpg", "images/procedures/botox.jpg",
          "images/blog/botox-myths.jpg", "images/blog/facial-season.jpg", "images/blog/nose-questions.jpg"]


def dump(data: dict, body: str = "Some **Markdown** body.\n") -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + body


class SiteFactory:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.content = self.root / "content"
        self.output = self.root / "output"

    def write_all(self) -> "SiteFactory":
        self.content.mkdir(parents=True, exist_ok=True)
        (self.content / "practice.yml").write_text(yaml.safe_dump(PRACTICE, sort_keys=False))
        _image(self.content / "images/logo.png", (120, 120))
        for image in IMAGES:
            _image(self.content / image)
        for rel, data in FILES.items():
            self.write(rel, data)
        return self

    def write(self, rel: str, data: dict, body: str = "Some **Markdown** body.\n") -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(data, body), encoding="utf-8")
        return path

    def edit(self, rel: str, **changes) -> Path:
        """Change fields of one file; a value of ``None`` removes the field."""
        data = dict(FILES[rel])
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return self.write(rel, data)

    def settings(self, **overrides) -> dict:
        return {"PATH": str(self.content), "OUTPUT_PATH": str(self.output), "AS_OF_DATE": "2026-11-22", **overrides}

    def build(self, settings_file: str = "pelicanconf.py", **overrides) -> dict:
        return sitebuild.build(settings_file, self.settings(**overrides))

    def check(self, **overrides) -> dict:
        return sitebuild.check("pelicanconf.py", self.settings(**overrides))


def copy_demo(dest: Path) -> Path:
    """A copy of the demo practice's content, to break or extend."""
    shutil.copytree(ROOT / "content", dest)
    return dest
