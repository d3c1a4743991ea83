"""A small, valid practice site written to a temporary folder, for tests to build or break.

``SiteFactory(tmp_path).write_all()`` makes a complete content folder; tests then change
one field with ``factory.edit(...)`` and build or check it with the real Pelican run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from PIL import Image

import runner

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
    # Specials around the factory's day (2026-11-22): one current, one expired, one not started.
    "specials/botox-november.md": {
        "title": "November Botox special",
        "summary": "$10 per unit of Botox at the North Clinic.",
        "procedures": ["botox"],
        "offer": {"regular_price": 14, "price": 10, "currency": "USD", "per": "unit"},
        "valid_from": "2026-11-01",
        "valid_through": "2026-11-30",
        "terms": "Minimum 20 units. New and returning clients.",
        "promo_code": "NOV10",
        "locations": ["north"],
        "image": {
            "src": "images/specials/botox-november.jpg",
            "alt": "A vial and a syringe",
            "focus": [0.3, 0.5],
        },
    },
    "specials/summer-facial.md": {
        "title": "Summer facial special",
        "summary": "20% off a HydraFacial in July.",
        "procedures": ["hydrafacial"],
        "offer": {"regular_price": 199, "percent_off": 20, "currency": "USD"},
        "valid_from": "2026-07-01",
        "valid_through": "2026-07-31",
        "terms": "One per client.",
        "image": {"src": "images/specials/summer-facial.jpg", "alt": "A calm treatment room"},
        "redirect_from": ["/offers/summer/"],
    },
    "specials/december-glow.md": {
        "title": "December glow special",
        "summary": "$50 off a HydraFacial in December.",
        "procedures": ["hydrafacial"],
        "offer": {"regular_price": 199, "amount_off": 50, "currency": "USD"},
        "valid_from": "2026-12-01",
        "valid_through": "2026-12-31",
        "terms": "One per client.",
        "image": {"src": "images/specials/summer-facial.jpg", "alt": "A calm treatment room"},
    },
    # Events: one upcoming at a clinic, one past at an outside venue.
    "events/open-house.md": {
        "title": "Winter open house",
        "summary": "Meet Dr. Lee and try a mini facial.",
        "date": "2026-11-02",
        "start": "2026-12-10 17:30",
        "end": "2026-12-10 19:30",
        "location": "north",
        "capacity": 30,
        "hosts": ["dr-lee"],
        "procedures": ["botox"],
        "image": {"src": "images/events/open-house.jpg", "alt": "A bright clinic reception"},
    },
    "devices/skinpen-precision.md": {
        "name": "SkinPen Precision",
        "summary": "A powered microneedling pen with sterile single-use cartridges.",
        "fda_status": "cleared",
        "indications": [{"text": "Improving the appearance of facial acne scars", "terms": ["acne scars"]}],
    },
    "events/skin-talk.md": {
        "title": "Autumn skin talk",
        "summary": "A talk on sun damage at the library.",
        "date": "2026-09-20",
        "start": "2026-10-15 18:00",
        "end": "2026-10-15 19:00",
        "venue": {
            "name": "Brightwater Library",
            "address": {
                "street": "9 Reading Way",
                "city": "Brightwater",
                "region": "CA",
                "postal_code": "95997",
            },
        },
        "rsvp": False,
    },
}

# Referral partners (content/partners.yml), written by ``write_partners()``: two agreed to be listed,
# one did not, one agreed but the partnership ended. Contacts are internal and must never be published.
PARTNERS = {
    "partners": [
        {
            "code": "elm-derm",
            "name": "Elm Row Dermatology",
            "kind": "dermatologist",
            "address": {"street": "3 Elm Row", "city": "Brightwater", "region": "CA", "postal_code": "95999"},
            "since": "2025-01-10",
            "status": "active",
            "public": True,
            "website": "https://elm-derm.example",
            "blurb": "Skin checks and medical dermatology.",
            "contact": {
                "name": "Dr. Ines Quarry",
                "role": "Owner",
                "phone": "(555) 555-0181",
                "email": "ines@elm-derm.example",
            },
        },
        {
            "code": "oak-pilates",
            "name": "Oak Row Pilates",
            "kind": "pilates-studio",
            "address": {"street": "8 Oak Row", "city": "Brightwater", "region": "CA", "postal_code": "95998"},
            "since": "2025-05-01",
            "status": "active",
            "public": True,
            "contact": {
                "name": "Rafe Tolliver",
                "phone": "(555) 555-0182",
                "email": "rafe@oak-pilates.example",
            },
        },
        {
            "code": "quiet-yoga",
            "name": "Quiet Hour Yoga",
            "kind": "yoga-studio",
            "address": {
                "street": "9 Birch Row",
                "city": "Brightwater",
                "region": "CA",
                "postal_code": "95998",
            },
            "since": "2025-06-01",
            "status": "active",
            "public": False,
            "contact": {"name": "Juno Marsh", "phone": "(555) 555-0183", "email": "juno@quiet-yoga.example"},
        },
        {
            "code": "old-chiro",
            "name": "Old Mill Chiropractic",
            "kind": "chiropractor",
            "address": {
                "street": "1 Mill Lane",
                "city": "Brightwater",
                "region": "CA",
                "postal_code": "95997",
            },
            "since": "2024-02-01",
            "status": "ended",
            "public": True,
            "contact": {
                "name": "Vic Harlan",
                "phone": "(555) 555-0184",
                "email": "vic@old-mill-chiro.example",
            },
        },
    ]
}

IMAGES = [
    "images/team/dr-lee.jpg",
    "images/team/kim-park.jpg",
    "images/procedures/botox.jpg",
    "images/blog/botox-myths.jpg",
    "images/blog/facial-season.jpg",
    "images/blog/nose-questions.jpg",
    "images/specials/botox-november.jpg",
    "images/specials/summer-facial.jpg",
    "images/events/open-house.jpg",
]


def dump(data: dict, body: str = "Some **Markdown** body.\n") -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + body


class SiteFactory:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.content = self.root / "content"
        self.output = self.root / "output"

    def write_all(self) -> SiteFactory:
        self.content.mkdir(parents=True, exist_ok=True)
        (self.content / "practice.yml").write_text(yaml.safe_dump(PRACTICE, sort_keys=False))
        _image(self.content / "images/logo.png", (120, 120))
        for image in IMAGES:
            _image(self.content / image)
        for rel, data in FILES.items():
            self.write(rel, data)
        return self

    def write_partners(self, registry: dict | None = None) -> Path:
        """content/partners.yml (default: PARTNERS)."""
        path = self.content / "partners.yml"
        path.write_text(
            yaml.safe_dump(registry or PARTNERS, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        return path

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
        return {
            "PATH": str(self.content),
            "OUTPUT_PATH": str(self.output),
            "AS_OF_DATE": "2026-11-22",
            "INTERNAL_PATH": str(self.root / "internal"),
            **overrides,
        }

    def build(self, settings_file: str = "pelicanconf.py", **overrides) -> dict:
        return runner.build(settings_file, self.settings(**overrides))

    def check(self, **overrides) -> dict:
        return runner.check("pelicanconf.py", self.settings(**overrides))


def copy_demo(dest: Path) -> Path:
    """A copy of the demo practice's content, to break or extend."""
    shutil.copytree(ROOT / "content", dest)
    return dest
