"""What each content type's front matter holds, declared once and validated at build time.

Each model lists its fields with an example (used in error messages) and declares which
fields refer to other content (``references``) and which are image paths (``images``),
so cross-reference and file checks are generic (see ``pipeline.content.validate``).
Later types (gallery cases, specials, events, referral partners) add a model here and a
``ContentType`` in ``pipeline.content.types``; nothing else needs to change.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Status = Literal["published", "draft"]
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HOURS = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$")


def example(value, **kwargs):
    """A field whose example value is shown in the fix of an error message."""
    return Field(json_schema_extra={"example": value}, **kwargs)


class Model(BaseModel):
    # Numbers become text where text is expected: YAML reads 97205 or 5035550142 as numbers.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True)

    references: ClassVar[dict[str, str]] = {}  # field -> kind it refers to, e.g. {"author": "team"}
    images: ClassVar[tuple[str, ...]] = ()  # fields holding an Image

    @field_validator("*", mode="before")
    @classmethod
    def _comma_separated(cls, value, info):
        """``tags: botox, wrinkles`` is read as a list, as a coordinator would expect."""
        annotation = cls.model_fields[info.field_name].annotation
        if isinstance(value, str) and getattr(annotation, "__origin__", None) is list:
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


class Image(Model):
    src: Text = example("images/blog/hydrafacial.jpg")
    alt: Text = example("A clinician applying a HydraFacial wand to a client's cheek")


class Faq(Model):
    q: Text = example("Does it hurt?")
    a: Text = example("Most clients describe a mild snapping sensation.")


class Address(Model):
    street: Text = example("1200 Alder Street, Suite 300")
    city: Text = example("Portland")
    region: Text = example("OR")
    postal_code: Text = example("97205")
    country: Text = "US"


class Geo(Model):
    lat: float = example(45.52, ge=-90, le=90)
    lng: float = example(-122.68, ge=-180, le=180)


def _check_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if not 10 <= len(digits) <= 15:
        raise ValueError("is not a phone number — write it with its area code, e.g. (503) 555-0142")
    return value


Phone = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_check_phone)]


class Practice(Model):
    """content/practice.yml: who the practice is."""

    images: ClassVar = ("logo",)

    name: Text = example("Aurora Aesthetics")
    tagline: Text = example("Medical aesthetics, done with care")
    description: Text = example("A physician-led med spa and plastic surgery practice.")
    phone: Phone = example("(503) 555-0100")
    email: Text = example("hello@aurora-aesthetics.example")
    specialties: list[Text] = example(["PlasticSurgery", "Dermatology"], default_factory=list)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = example("USD", default="USD")
    booking_url: str | None = example("/contact/", default=None)
    logo: Image | None = None
    disclaimer: Text = example("Individual results vary. A consultation is required.",
                               default="Individual results vary. A consultation with a provider is required.")


class Post(Model):
    """content/blog/*.md: a blog post."""

    references: ClassVar = {"author": "team", "procedures": "procedure"}
    images: ClassVar = ("cover",)

    title: Text = example("Five myths about Botox")
    date: dt.datetime | dt.date = example("2026-03-14")
    modified: dt.datetime | dt.date | None = example("2026-04-02", default=None)
    summary: Text = example("What neuromodulators can and cannot do, from our injectors.")
    category: Text = example("Injectables")
    tags: list[Text] = example(["botox", "wrinkles"], default_factory=list)
    author: Id = example("ana-reyes")
    cover: Image
    status: Status = "published"
    procedures: list[Id] = example(["botox"], default_factory=list)


class Procedure(Model):
    """content/procedures/*.md: a treatment or procedure the practice offers."""

    references: ClassVar = {"related": "procedure"}
    images: ClassVar = ("image",)

    name: Text = example("HydraFacial")
    summary: Text = example("A three-step facial that cleans, exfoliates and hydrates.")
    body_areas: list[Text] = example(["face", "neck"], min_length=1)
    procedure_type: Literal["noninvasive", "percutaneous", "surgical"] = example("noninvasive")
    devices: list[Text] = example(["HydraFacial Syndeo"], default_factory=list)
    sessions: Annotated[str, StringConstraints(pattern=r"^\d+(\s*[-–]\s*\d+)?$")] = example("3-6")
    downtime: Text = example("None")
    price_from: Decimal = example(199, ge=0)
    faqs: list[Faq] = Field(default_factory=list)
    contraindications: list[Text] = example(["Pregnancy or breastfeeding"], default_factory=list)
    related: list[Id] = example(["chemical-peel"], default_factory=list)
    image: Image | None = None
    featured: bool = False
    order: int = 100
    how_performed: Text | None = None
    preparation: Text | None = None
    followup: Text | None = None
    status: Status = "published"

    @field_validator("sessions", mode="before")
    @classmethod
    def _sessions_text(cls, value):
        return str(value) if isinstance(value, int) else value


class TeamMember(Model):
    """content/team/*.md: a provider or staff member; the body is their bio."""

    references: ClassVar = {"locations": "location", "procedures": "procedure"}
    images: ClassVar = ("photo",)

    name: Text = example("Ana Reyes")
    credentials: str = example("MD, FACS", default="")
    role: Text = example("Board-certified plastic surgeon")
    photo: Image
    accepting_new_patients: bool = example(True)
    locations: list[Id] = example(["downtown"], min_length=1)
    procedures: list[Id] = example(["botox", "rhinoplasty"], default_factory=list)
    specialty: Text | None = example("PlasticSurgery", default=None)
    order: int = 100
    status: Status = "published"

    @property
    def is_physician(self) -> bool:
        tokens = {t.strip().upper().replace(".", "") for t in self.credentials.split(",")}
        return bool(tokens & {"MD", "DO", "MBBS"})


class Location(Model):
    """content/locations/*.md: a clinic; the body holds directions and parking."""

    name: Text = example("Downtown Clinic")
    address: Address
    phone: Phone = example("(503) 555-0142")
    email: str | None = None
    hours: dict[str, str] = example({"monday": "9:00-18:00", "saturday": "10:00-15:00"})
    map_url: Annotated[str, StringConstraints(pattern=r"^https://")] = example(
        "https://www.openstreetmap.org/?mlat=45.52&mlon=-122.68"
    )
    geo: Geo | None = None
    order: int = 100
    status: Status = "published"

    @field_validator("hours")
    @classmethod
    def _hours(cls, hours: dict) -> dict:
        clean = {}
        for day, value in hours.items():
            day_key = str(day).strip().lower()
            if day_key not in DAYS:
                raise ValueError(f"'{day}' is not a day — use monday, tuesday ... sunday")
            text = str(value).strip().lower()
            if text == "closed":
                continue
            match = _HOURS.match(text)
            if not match or not _valid_times(match):
                raise ValueError(f"{day_key} hours '{value}' are not like 9:00-18:00 — write opening-closing in 24-hour time, or 'closed'")
            h1, m1, h2, m2 = match.groups()
            clean[day_key] = f"{int(h1):02d}:{m1}-{int(h2):02d}:{m2}"
        if not clean:
            raise ValueError("has no open day — give at least one day, e.g. monday: 9:00-18:00")
        return {day: clean[day] for day in DAYS if day in clean}


def _valid_times(match) -> bool:
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    return h1 < 24 and h2 <= 24 and m1 < 60 and m2 < 60 and (h1, m1) < (h2, m2)


class Page(Model):
    """content/pages/*.md: a plain page such as the privacy notice."""

    title: Text = example("Privacy notice")
    summary: Text = example("How we handle your information.")
    status: Status = "published"
    modified: dt.date | None = None

