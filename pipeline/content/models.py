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

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Status = Literal["published", "draft"]
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HOURS = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$")
HOURS_PATTERN = r"^\s*(\d{1,2}:\d{2}\s*[-–]\s*\d{1,2}:\d{2}|[Cc]losed)\s*$"  # the form, for the editor
HOURS_PROBLEM = "are not like 9:00-18:00 — write opening-closing in 24-hour time, or 'closed'"


def example(
    value,
    *,
    editor: str | None = None,
    keys=None,
    value_pattern: str | None = None,
    value_message: str | None = None,
    **kwargs,
):
    """A field whose example value is shown in the fix of an error message (and as a hint in the editor).

    ``editor`` names the editor's widget where the type alone does not say it ("text" for a long
    text, "image" for a picture); ``keys`` lists the keys of a mapping field (a day per line) and
    ``value_pattern`` the form of each value (``value_message``: what the check says of one that is not
    of that form). See ``pipeline.editor.config``.
    """
    extra = {"example": value}
    extra.update(
        (k, v)
        for k, v in (
            ("editor", editor),
            ("keys", list(keys) if keys else None),
            ("value_pattern", value_pattern),
        )
        if v is not None
    )
    return Field(json_schema_extra=extra, **kwargs)


class Choices:
    """``Annotated[str, ..., Choices(lambda: (...))]``: the values a text field accepts, for the editor's
    select; a callable so a table elsewhere (the social networks) is read only when asked."""

    def __init__(self, values):
        self._values = values

    def values(self) -> tuple[str, ...]:
        return tuple(self._values() if callable(self._values) else self._values)


def problem(field: str, text: str) -> PydanticCustomError:
    """A cross-field check's error, reported against ``field``: ``text`` is "what is wrong — the fix"."""
    return PydanticCustomError("field_problem", "{text}", {"field": field, "text": text})


def _site_path(value: str) -> str:
    if not value.startswith("/") or "//" in value or any(c in value for c in "?#\"'<> \t"):
        raise ValueError(
            f"'{value}' is not an address on this site — write it from the site's root, "
            "like /old-page/ (no domain, no ? or #)"
        )
    return value


SitePath = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_site_path)]


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
    src: Text = example(
        "images/blog/hydrafacial.jpg",
        description="The picture: upload it, or choose one already in the site's pictures.",
        editor="image",
    )
    alt: Text = example(
        "A clinician applying a HydraFacial wand to a client's cheek",
        description="What the picture shows, for someone who cannot see it.",
    )
    # Where the subject is, as fractions from the left and the top: crops for link previews
    # and social images keep it in frame. Default: the centre.
    focus: tuple[Annotated[float, Field(ge=0, le=1)], Annotated[float, Field(ge=0, le=1)]] | None = example(
        [0.5, 0.4],
        default=None,
        description="Where the subject is, as two fractions: from the left, then from the top (0 to 1). Crops for link previews and social images keep it in frame. Leave empty for the centre.",
    )


class Faq(Model):
    q: Text = example("Does it hurt?", description="The question, as a client would ask it.")
    a: Text = example(
        "Most clients describe a mild snapping sensation.",
        description="The answer, in a few sentences.",
        editor="text",
    )


class Address(Model):
    street: Text = example(
        "1200 Alder Street, Suite 300", description="Street and number, with the suite if there is one."
    )
    city: Text = example("Portland", description="The city.")
    region: Text = example("OR", description="The state or region, as its postal abbreviation.")
    postal_code: Text = example("97205", description="The ZIP or postal code.")
    country: Text = Field(default="US", description="The two-letter country code.")


class Geo(Model):
    lat: float = example(
        45.52, ge=-90, le=90, description="Latitude of the entrance, in degrees (map apps show it)."
    )
    lng: float = example(-122.68, ge=-180, le=180, description="Longitude of the entrance, in degrees.")


def _check_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if not 10 <= len(digits) <= 15:
        raise ValueError("is not a phone number — write it with its area code, e.g. (503) 555-0142")
    return value


Phone = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_check_phone)]


class ClaimAccepted(Model):
    """One claims-check finding kept on purpose, with the reason (README, "Claims and readability")."""

    rule: Id = example("superlative")
    text: Text = example("voted best med spa")  # words of the sentence the finding is about
    why: Annotated[str, StringConstraints(strip_whitespace=True, min_length=20)] = example(
        "Brightwater Reader's Choice 2026, Best Med Spa: certificate on file with the practice manager."
    )


class Document(Model):
    """A file that becomes a page of the site."""

    # Old addresses of this page (e.g. from a previous website); the deploy redirects them here.
    redirect_from: list[SitePath] = example(
        ["/old-page/"],
        default_factory=list,
        description="Old addresses of this page (for example from a previous website); visitors and search engines are sent here.",
    )
    modified: dt.datetime | dt.date | None = example(
        "2026-04-02",
        default=None,
        description="The day of the last real change to the text (feeds and search engines show it).",
    )
    # Claims-check findings the coordinator keeps, each with a written reason (pipeline/claims).
    claims_accepted: list[ClaimAccepted] = Field(
        default_factory=list,
        description="Claims-check findings you keep on purpose, each with the reason (see the README, Claims and readability).",
    )


def _network(value: str) -> str:
    from pipeline.social.networks import NETWORKS  # the one table of platform rules

    key = str(value).strip().lower()
    if key not in NETWORKS:
        raise ValueError(f"'{value}' is not a network — use one of {', '.join(NETWORKS)}")
    return key


def _campaign(value: str) -> str:
    from pipeline.social.links import campaign_problem

    problem_text = campaign_problem(value)
    if problem_text:
        raise ValueError(problem_text)
    return value


def _network_ids() -> tuple[str, ...]:
    from pipeline.social.networks import NETWORKS

    return tuple(NETWORKS)


Network = Annotated[str, AfterValidator(_network), Choices(_network_ids)]


class Social(Model):
    """``social:`` on a post, special, event or gallery case: how it goes to the social networks
    (pipeline/social; README, "Social posts"). ``social: false`` keeps it out of every export."""

    networks: list[Network] | None = example(
        ["instagram", "facebook", "x", "linkedin", "gbp"],
        default=None,
        description="The networks to post it to (leave empty for all).",
    )
    at: dt.datetime | None = example(
        "2026-12-01 10:00",
        default=None,
        description="When to post it, in the practice's local time; leave empty to spread posts automatically.",
    )  # local time; default: spread automatically
    # One text for every network, or one per network: {x: ..., instagram: ..., default: ...}.
    caption: (
        Text
        | dict[Annotated[str, AfterValidator(lambda v: v if v == "default" else _network(v))], Text]
        | None
    ) = example(
        "Holiday glow, without the downtime.",
        default=None,
        description="The text of the post (leave empty to use the summary).",
        editor="text",
    )
    hashtags: list[Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^#?[^\s#]+$")]] = (
        example(
            ["#MedSpa", "#GlowUp"],
            default_factory=list,
            description="Hashtags for this post, besides the practice's own.",
        )
    )
    focus: tuple[Annotated[float, Field(ge=0, le=1)], Annotated[float, Field(ge=0, le=1)]] | None = example(
        [0.5, 0.4],
        default=None,
        description="Where the subject is in the image for social crops (from the left, from the top, 0 to 1); leave empty to use the image's own.",
    )  # where the subject is in the image; default: the image's own focus
    campaign: Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_campaign)] | None = (
        example(
            "holiday-2026",
            default=None,
            description="The campaign name tracked links carry (utm_campaign); never a treatment's name.",
        )
    )  # utm_campaign; default: a neutral id (never a treatment's name)


SocialField = Social | bool | None


class Practice(Model):
    """content/practice.yml: who the practice is."""

    images: ClassVar = ("logo",)

    name: Text = example("Aurora Aesthetics", description="The practice's name, as patients know it.")
    tagline: Text = example("Medical aesthetics, done with care", description="A short line under the name.")
    description: Text = example(
        "A physician-led med spa and plastic surgery practice.",
        description="One or two sentences about the practice, for search engines and link previews.",
        editor="text",
    )
    phone: Phone = example("(503) 555-0100", description="The main phone number, with its area code.")
    email: Text = example("hello@aurora-aesthetics.example", description="The main e-mail address.")
    specialties: list[Text] = example(
        ["PlasticSurgery", "Dermatology"],
        default_factory=list,
        description="Medical specialties, as schema.org names them (PlasticSurgery, Dermatology...).",
    )
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = example(
        "USD", default="USD", description="The three-letter currency code of prices."
    )
    booking_url: str | None = example(
        "/contact/",
        default=None,
        description="Where 'Book' buttons lead: a page of the site (/contact/) or the booking system's address.",
    )
    logo: Image | None = Field(default=None, description="The practice's logo.")
    disclaimer: Text = example(
        "Individual results vary. A consultation is required.",
        default="Individual results vary. A consultation with a provider is required.",
        description="The results disclaimer shown with before/after photos and treatments.",
        editor="text",
    )


class Post(Document):
    """content/blog/*.md: a blog post."""

    references: ClassVar = {"author": "team", "procedures": "procedure"}
    images: ClassVar = ("cover",)

    title: Text = example("Five myths about Botox", description="The post's title.")
    date: dt.datetime | dt.date = example(
        "2026-03-14", description="The publication day; a future day publishes it on that day."
    )
    summary: Text = example(
        "What neuromodulators can and cannot do, from our injectors.",
        description="One or two sentences for search results, cards and link previews.",
        editor="text",
    )
    category: Text = example("Injectables", description="One category (for example Injectables, Skin care).")
    tags: list[Text] = example(["botox", "wrinkles"], default_factory=list, description="A few keywords.")
    author: Id = example("ana-reyes", description="The team member who wrote it.")
    cover: Image = Field(description="The cover picture.")
    status: Status = Field(default="published", description="Published is on the site; a draft stays off it.")
    social: SocialField = example(
        {"networks": ["instagram", "facebook", "x", "linkedin", "gbp"]},
        default=None,
        description="How it is posted to social networks (optional).",
    )
    procedures: list[Id] = example(
        ["botox"], default_factory=list, description="Treatments it is about: their pages list this post."
    )


class Procedure(Document):
    """content/procedures/*.md: a treatment or procedure the practice offers."""

    references: ClassVar = {"related": "procedure"}
    images: ClassVar = ("image",)

    name: Text = example("HydraFacial", description="The treatment's name.")
    summary: Text = example(
        "A three-step facial that cleans, exfoliates and hydrates.",
        description="One or two sentences for search results, cards and link previews.",
        editor="text",
    )
    body_areas: list[Text] = example(["face", "neck"], min_length=1, description="The areas treated.")
    procedure_type: Literal["noninvasive", "percutaneous", "surgical"] = example(
        "noninvasive", description="Noninvasive (no needles), percutaneous (needles, injections) or surgical."
    )
    devices: list[Text] = example(
        ["HydraFacial Syndeo"], default_factory=list, description="Devices or products used."
    )
    sessions: Annotated[str, StringConstraints(pattern=r"^\d+(\s*[-–]\s*\d+)?$")] = example(
        "3-6", description="The typical number of sessions: one number, or a range like 3-6."
    )
    downtime: Text = example("None", description="How long before clients are back to normal.")
    price_from: Decimal = example(
        199, ge=0, description="The lowest price, in the practice's currency (a number)."
    )
    faqs: list[Faq] = Field(default_factory=list, description="Questions clients ask, with the answers.")
    contraindications: list[Text] = example(
        ["Pregnancy or breastfeeding"], default_factory=list, description="Who should not have it."
    )
    related: list[Id] = example(
        ["chemical-peel"], default_factory=list, description="Other treatments to link to (linked both ways)."
    )
    image: Image | None = Field(default=None, description="The treatment's picture.")
    featured: bool = Field(default=False, description="Shown on the home page.")
    order: int = Field(default=100, description="Position in lists: lower comes first.")
    how_performed: Text | None = example(
        None, default=None, description="How it is done, in a sentence (for search engines).", editor="text"
    )
    preparation: Text | None = example(
        None, default=None, description="How to prepare, in a sentence (for search engines).", editor="text"
    )
    followup: Text | None = example(
        None, default=None, description="Aftercare, in a sentence (for search engines).", editor="text"
    )
    status: Status = Field(default="published", description="Published is on the site; a draft stays off it.")

    @field_validator("sessions", mode="before")
    @classmethod
    def _sessions_text(cls, value):
        return str(value) if isinstance(value, int) else value


class TeamMember(Document):
    """content/team/*.md: a provider or staff member; the body is their bio."""

    references: ClassVar = {"locations": "location", "procedures": "procedure"}
    images: ClassVar = ("photo",)

    name: Text = example("Ana Reyes", description="Their full name.")
    credentials: str = example(
        "MD, FACS",
        default="",
        description="Degrees and titles, separated by commas; MD or DO marks a physician.",
    )
    role: Text = example(
        "Board-certified plastic surgeon", description="Their role, as patients should read it."
    )
    photo: Image = Field(description="Their portrait.")
    accepting_new_patients: bool = example(True, description="Whether they take new patients.")
    locations: list[Id] = example(["downtown"], min_length=1, description="The clinics where they work.")
    procedures: list[Id] = example(
        ["botox", "rhinoplasty"],
        default_factory=list,
        description="The treatments they perform; their page lists them.",
    )
    specialty: Text | None = example(
        "PlasticSurgery",
        default=None,
        description="Their medical specialty, as schema.org names it (optional).",
    )
    order: int = Field(default=100, description="Position in lists: lower comes first.")
    status: Status = Field(default="published", description="Published is on the site; a draft stays off it.")

    @property
    def is_physician(self) -> bool:
        tokens = {t.strip().upper().replace(".", "") for t in self.credentials.split(",")}
        return bool(tokens & {"MD", "DO", "MBBS"})


class Use(Model):
    """An indication a device is cleared or approved for, or a use that is off-label."""

    text: Text = example("Temporary improvement in the appearance of moderate to severe glabellar lines")
    # The words our pages use for it ("frown lines", "between the brows"): how the claims check
    # recognises the use in a sentence.
    terms: list[Text] = example(["glabellar lines", "frown lines", "between the brows"], default_factory=list)


FDA_STATUS = Literal["approved", "cleared", "de-novo", "exempt", "not-evaluated"]


class Device(Model):
    """content/devices/*.md: a device or product a procedure uses, with its FDA status and indications.

    Internal (never a page of the site): the claims check compares what pages say with it, and the
    staff brief teaches it. The body says what it is and how it works, for the team."""

    name: Text = example("CoolSculpting Elite")
    summary: Text = example("A controlled-cooling device that reduces pockets of fat (cryolipolysis).")
    aliases: list[Text] = example(["CoolSculpting"], default_factory=list)  # other names pages use
    manufacturer: Text | None = example("Allergan Aesthetics", default=None)
    kind: Literal["device", "drug", "biologic"] = example("device", default="device")
    # approved: PMA device, or approved drug/biologic; cleared: 510(k); de-novo: granted De Novo;
    # exempt: exempt from premarket review; not-evaluated: no FDA review for this use.
    fda_status: FDA_STATUS = example("cleared")
    fda_reference: Text | None = example("K123456", default=None)  # the 510(k), De Novo, PMA or BLA number
    indications: list[Use] = Field(default_factory=list)  # what FDA cleared or approved it for
    off_label: list[Use] = Field(default_factory=list)  # uses the practice offers that are not indications
    status: Status = "published"

    @model_validator(mode="after")
    def _indicated(self):
        if self.fda_status in ("approved", "cleared", "de-novo") and not self.indications:
            raise problem(
                "indications",
                f"is missing — a device that is {self.fda_status} has indications: copy them from its "
                "FDA labeling, e.g. indications: [{text: Temporary improvement in the appearance of "
                "glabellar lines, terms: [frown lines]}]",
            )
        for index, use in enumerate(self.off_label):
            if not use.terms:
                raise problem(
                    f"off_label.{index}.terms",
                    "is missing — list the words pages use for this use, e.g. terms: [masseter, jawline slimming]",
                )
        return self


class Location(Document):
    """content/locations/*.md: a clinic; the body holds directions and parking."""

    name: Text = example("Downtown Clinic", description="The clinic's name.")
    address: Address = Field(description="The clinic's address.")
    phone: Phone = example("(503) 555-0142", description="The clinic's phone number, with its area code.")
    email: str | None = Field(default=None, description="The clinic's e-mail address (optional).")
    hours: dict[str, str] = example(
        {"monday": "9:00-18:00", "saturday": "10:00-15:00"},
        description="Opening hours in 24-hour time, like 9:00-18:00; leave a day empty when closed.",
        keys=DAYS,
        value_pattern=HOURS_PATTERN,
        value_message=HOURS_PROBLEM,
    )
    map_url: Annotated[str, StringConstraints(pattern=r"^https://")] = example(
        "https://www.openstreetmap.org/?mlat=45.52&mlon=-122.68",
        description="A map link to the clinic (https://...).",
    )
    geo: Geo | None = Field(default=None, description="The clinic's coordinates (optional).")
    order: int = Field(default=100, description="Position in lists: lower comes first.")
    status: Status = Field(default="published", description="Published is on the site; a draft stays off it.")

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
                raise ValueError(f"{day_key} hours '{value}' {HOURS_PROBLEM}")
            h1, m1, h2, m2 = match.groups()
            clean[day_key] = f"{int(h1):02d}:{m1}-{int(h2):02d}:{m2}"
        if not clean:
            raise ValueError("has no open day — give at least one day, e.g. monday: 9:00-18:00")
        return {day: clean[day] for day in DAYS if day in clean}


def _valid_times(match) -> bool:
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    return h1 < 24 and h2 <= 24 and m1 < 60 and m2 < 60 and (h1, m1) < (h2, m2)


class Page(Document):
    """content/pages/*.md: a plain page such as the privacy notice."""

    title: Text = example("Privacy notice", description="The page's title.")
    summary: Text = example(
        "How we handle your information.",
        description="One or two sentences for search results and link previews.",
        editor="text",
    )
    status: Status = Field(default="published", description="Published is on the site; a draft stays off it.")


class Offer(Model):
    """What a special gives: a price, or a percentage or amount off, always with the regular price."""

    regular_price: Decimal = example(14, gt=0, description="The regular price, always given.")
    price: Decimal | None = example(
        10, default=None, ge=0, description="The special price (or give percent off or amount off instead)."
    )
    percent_off: Decimal | None = example(
        20,
        default=None,
        gt=0,
        description="The discount in percent, below 100 (or give price or amount off instead).",
    )
    amount_off: Decimal | None = example(
        50,
        default=None,
        gt=0,
        description="The discount as an amount, smaller than the regular price (or give price or percent off instead).",
    )
    currency: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z]{3}$")] | None = (
        example("USD", default=None, validate_default=True, description="The three-letter currency code.")
    )
    per: Text | None = example(
        "unit", default=None, description="What the price is for: unit, syringe, session..."
    )  # the price is per unit, syringe, session ...

    @field_validator("currency")
    @classmethod
    def _currency(cls, value):
        if value is None:
            raise ValueError(
                "is missing — a price needs its currency: add currency: USD (a three-letter ISO code) under offer"
            )
        return value

    @model_validator(mode="after")
    def _discount(self):
        given = [name for name in ("price", "percent_off", "amount_off") if getattr(self, name) is not None]
        if not given:
            raise problem(
                "price", "is missing — give the offer's price, or percent_off or amount_off, under offer"
            )
        if len(given) > 1:
            raise problem(
                given[1], f"is given together with {given[0]} — keep one of price, percent_off or amount_off"
            )
        regular = self.regular_price
        if self.price is not None and self.price >= regular:
            raise problem(
                "price",
                f"{self.price} is not below the regular price {regular} — "
                "a special's price must be lower than regular_price; check both numbers",
            )
        if self.percent_off is not None and self.percent_off >= 100:
            raise problem(
                "percent_off",
                f"{self.percent_off}% is a discount larger than the regular price — "
                "write a percentage below 100, e.g. percent_off: 20",
            )
        if self.amount_off is not None and self.amount_off >= regular:
            raise problem(
                "amount_off",
                f"{self.amount_off} off is a discount larger than the regular price {regular} — "
                "make amount_off smaller than regular_price",
            )
        return self

    @property
    def sale_price(self) -> Decimal:
        """What the client pays, to the cent."""
        if self.price is not None:
            value = self.price
        elif self.percent_off is not None:
            value = self.regular_price * (100 - self.percent_off) / 100
        else:
            value = self.regular_price - self.amount_off
        return value.quantize(Decimal("0.01"))


class Special(Document):
    """content/specials/*.md: a monthly special or limited-time offer; the body gives the details."""

    references: ClassVar = {"procedures": "procedure", "locations": "location"}
    images: ClassVar = ("image",)

    title: Text = example("December Botox event", description="The offer's title.")
    summary: Text = example(
        "$10 per unit of Botox through December, at both clinics.",
        description="One or two sentences: what, how much, where.",
        editor="text",
    )
    procedures: list[Id] = example(
        ["botox"], min_length=1, description="The treatments the offer applies to; their pages show it."
    )
    offer: Offer = Field(description="The price or discount.")
    valid_from: dt.date = example(
        "2026-12-01", description="The first day of the offer, in the practice's time zone."
    )
    valid_through: dt.date = example(
        "2026-12-31", description="The last day, included: the offer ends at 23:59:59 that night."
    )
    terms: Text = example(
        "New and returning clients. Minimum 20 units. Cannot be combined with other offers.",
        description="The conditions: who, how many, what cannot be combined.",
        editor="text",
    )
    promo_code: Text | None = example(
        "GLOW26", default=None, description="A code to mention when booking (optional)."
    )
    locations: list[Id] = example(
        ["harbor-district"],
        default_factory=list,
        description="The clinics that honour it; leave empty for every clinic.",
    )  # empty: every clinic
    image: Image = Field(description="The offer's picture.")
    status: Status = Field(default="published", description="Published is on the site; a draft stays off it.")
    social: SocialField = example(
        {"networks": ["instagram", "facebook", "x", "linkedin", "gbp"]},
        default=None,
        description="How it is posted to social networks (optional).",
    )

    @field_validator("valid_through")
    @classmethod
    def _ends_after_start(cls, value, info):
        start = info.data.get("valid_from")
        if start is not None and value < start:
            raise ValueError(
                f"{value} is before valid_from {start} — an offer ends on or after the day it starts; "
                "check both dates"
            )
        return value


class Venue(Model):
    """An event's place when it is not one of the practice's clinics."""

    name: Text = example("Brightwater Community Hall", description="The venue's name.")
    address: Address = Field(description="The venue's address.")


class Event(Document):
    """content/events/*.md: an open house, workshop or expo; the body describes it."""

    references: ClassVar = {"location": "location", "hosts": "team", "procedures": "procedure"}
    images: ClassVar = ("image",)
    times: ClassVar = ("start", "end")  # written in the practice's time zone unless they carry an offset

    title: Text = example("Winter skin open house", description="The event's title.")
    summary: Text = example(
        "Meet our injectors, try a mini facial and ask anything, with drinks and treats.",
        description="One or two sentences: what happens, for whom.",
        editor="text",
    )
    # When the event is announced: the date its feed entry and calendar file carry (a feed entry dated
    # by the event's start would be in the future). Later changes go in `modified`.
    date: dt.datetime | dt.date = example(
        "2026-11-02", description="The day it is announced on the site (before the event)."
    )
    start: dt.datetime = example(
        "2026-12-10 17:30", description="When it starts, in the practice's local time."
    )
    end: dt.datetime = example("2026-12-10 19:30", description="When it ends, after the start.")
    location: Id | None = example(
        "harbor-district",
        default=None,
        description="The clinic where it happens (or give a venue, or an online address).",
    )  # one of the practice's clinics ...
    venue: Venue | None = Field(
        default=None, description="Somewhere other than our clinics, instead of a location."
    )  # ... or somewhere else
    online_url: Annotated[str, StringConstraints(pattern=r"^https://")] | None = example(
        "https://meet.example/aurora-q-and-a",
        default=None,
        description="The address of an online or hybrid event (https://...).",
    )
    capacity: int | None = example(40, default=None, ge=1, description="How many people can come (optional).")
    price: Decimal = example(
        0, default=Decimal(0), ge=0, description="The price per person; 0 is free."
    )  # per person, in the practice's currency; 0: free
    rsvp: bool = Field(
        default=True, description="Visitors reply through the site's inquiry form."
    )  # visitors reply through the site's inquiry form
    event_status: Literal["scheduled", "cancelled", "postponed", "rescheduled"] = Field(
        default="scheduled", description="Scheduled, or cancelled, postponed or rescheduled."
    )
    hosts: list[Id] = example(
        ["priya-halvorsen"], default_factory=list, description="Team members who host it."
    )
    procedures: list[Id] = example(
        ["hydrafacial"],
        default_factory=list,
        description="Treatments it is about: their pages list the event.",
    )
    image: Image | None = Field(default=None, description="The event's picture (optional).")
    status: Status = Field(default="published", description="Published is on the site; a draft stays off it.")
    social: SocialField = example(
        {"networks": ["instagram", "facebook", "x", "linkedin", "gbp"]},
        default=None,
        description="How it is posted to social networks (optional).",
    )

    @field_validator("start", "end", mode="before")
    @classmethod
    def _with_time(cls, value, info):
        if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", value):
            value = (
                dt.date.fromisoformat(value.strip())
                if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value)
                else value
            )
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            raise ValueError(
                f"{value} has no time of day — write the time too, e.g. {info.field_name}: "
                f"{value} {'17:30' if info.field_name == 'start' else '19:30'}"
            )
        return value

    @field_validator("end")
    @classmethod
    def _ends_after_start(cls, value, info):
        start = info.data.get("start")
        if start is None:
            return value
        if (start.tzinfo is None) != (value.tzinfo is None):
            raise ValueError(
                "and start are written differently — write both as local times, "
                "e.g. 2026-12-10 17:30, or both with a UTC offset"
            )
        if value <= start:
            raise ValueError(
                f"{value:%Y-%m-%d %H:%M} is not after the start {start:%Y-%m-%d %H:%M} — "
                "an event ends after it starts; check both times"
            )
        return value

    @model_validator(mode="after")
    def _announced_before(self):
        announced = self.date.date() if isinstance(self.date, dt.datetime) else self.date
        if announced > self.start.date():
            raise problem(
                "date",
                f"{announced} is after the start {self.start:%Y-%m-%d} — date is the day the "
                "event is announced on the site; give that day, before the event",
            )
        return self

    @model_validator(mode="after")
    def _one_place(self):
        if self.location and self.venue:
            raise problem(
                "venue",
                "is given together with location — keep location for one of our clinics, "
                "or venue for somewhere else, not both",
            )
        if not (self.location or self.venue or self.online_url):
            raise problem(
                "location",
                "is missing — say where the event is: location: <clinic id>, "
                "or venue: with a name and address, or online_url: https://...",
            )
        return self


# -- Gallery cases (before/after photos; see plugins/gallery and pipeline/gallery.py) ---------------
# A case is a folder, content/gallery/<case-id>/, holding its photos and a case.yml with these fields.

# Ages over 89 are identifiers (HIPAA Safe Harbor), so the top band stays open-ended.
AGE_RANGES = ("18-29", "30-39", "40-49", "50-59", "60-69", "70+")
SKIN_TYPES = ("I", "II", "III", "IV", "V", "VI")  # Fitzpatrick
ConsentId = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
]


def _relative_duration(value: str) -> str:
    from pipeline.gallery import DURATION_EXAMPLE, parse_duration

    duration = parse_duration(value)
    if duration is None:
        raise ValueError(
            f"'{value}' is not a time since treatment — write a relative duration such as "
            f"{DURATION_EXAMPLE} or 6 months (never a calendar date)"
        )
    return duration


class CasePhoto(Model):
    """One photo of a case: a file in the case's folder, described for someone who cannot see it."""

    src: Text = example(
        "front-before.jpg",
        description="The photo: upload it into this case (never a patient's name or a date in its file name).",
        editor="image",
    )
    alt: Text = example(
        "Forehead at rest before treatment, with three horizontal lines",
        description="What the photo shows, for someone who cannot see it (no names, no dates).",
    )
    label: Text | None = example(
        "Front — before",
        default=None,
        description="The photo's label; leave empty for the view followed by before or after.",
    )  # default: from the pair's view


class CasePair(Model):
    view: Text | None = example(
        "Front", default=None, description="The angle both photos show (optional)."
    )  # the angle both photos show
    before: CasePhoto = Field(description="The photo before treatment.")
    after: CasePhoto = Field(description="The same view after treatment.")


class GalleryCase(Model):
    """content/gallery/<case-id>/case.yml: one patient's before/after photos, published under a consent."""

    references: ClassVar = {"procedure": "procedure", "provider": "team"}

    title: Text | None = example(
        "Softer forehead lines after one session",
        default=None,
        description="The case's title (optional; default: the treatment and the areas).",
    )
    procedure: Id = example("botox", description="The treatment shown.")
    body_areas: list[Text] = example(["forehead"], min_length=1, description="The areas treated.")
    pairs: list[CasePair] = Field(min_length=1, description="One before/after pair per angle.")
    sessions: int = example(1, ge=1, le=99, description="How many sessions the result took.")
    time_since_treatment: Annotated[str, AfterValidator(_relative_duration)] = example(
        "12 weeks",
        description="When the after photos were taken, as time after treatment (days, weeks, months or years); never a calendar date.",
    )
    age_range: Annotated[str, Choices(AGE_RANGES)] = example("40-49", description="The patient's age range.")
    sex: Literal["female", "male", "nonbinary"] | None = example(
        "female", default=None, description="The patient's sex (optional)."
    )
    skin_type: Annotated[str, Choices(SKIN_TYPES)] | None = example(
        "III", default=None, description="The Fitzpatrick skin type, I to VI (optional)."
    )
    provider: Id = example("priya-halvorsen", description="The team member who treated the patient.")
    description: Text = example(
        "Moderate forehead lines softened with one session of Botox.",
        description="What was treated and how it turned out, with no name and no date.",
        editor="text",
    )
    consent: ConsentId = example(
        "C-2026-014",
        description="The id of the patient's signed marketing authorization, from the consent ledger.",
        editor="consent",
    )
    sensitive: bool = (
        Field(
            default=False,
            description="Keep the photos behind a 'Show photos' button (body or intimate areas).",
        )  # True: the photos stay behind a "show photos" button (e.g. body or intimate areas)
    )
    order: int = Field(default=100, description="Position in the gallery: lower comes first.")
    status: Status = Field(default="published", description="Published is on the site; a draft stays off it.")
    social: SocialField = example(
        {"networks": ["instagram", "facebook", "x", "linkedin", "gbp"]},
        default=None,
        description="How it is posted to social networks (optional; the consent must cover social).",
    )

    @field_validator("age_range", mode="before")
    @classmethod
    def _age_range(cls, value):
        text = str(value).strip().replace("–", "-").replace(" ", "")
        if text not in AGE_RANGES:
            raise ValueError(f"'{value}' is not an age range — use one of {', '.join(AGE_RANGES)}")
        return text

    @field_validator("skin_type", mode="before")
    @classmethod
    def _skin_type(cls, value):
        if value is None:
            return None
        text = str(value).strip().upper().removeprefix("TYPE").strip()
        if text.isdigit() and 1 <= int(text) <= len(SKIN_TYPES):
            text = SKIN_TYPES[int(text) - 1]
        if text not in SKIN_TYPES:
            raise ValueError(
                f"'{value}' is not a Fitzpatrick skin type — use I, II, III, IV, V or VI (or leave it out)"
            )
        return text


# -- The consent ledger (content/gallery/consent.yml; read and decided by pipeline/consent.py) -----
# Ids only: the signed forms, with the patients' names, stay in the practice's records system.

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
EXPIRY_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$"


class ConsentRecord(Model):
    """One signed marketing authorization (45 CFR 164.508): its id and what it allows, until when."""

    id: ConsentId = example(
        "C-2025-003", description="The id written on the signed form: letters, digits, '.', '_' or '-'."
    )
    scope: Literal["web", "social", "both"] = example(
        "web", description="What the patient allowed: the website, social posts, or both."
    )
    granted: Annotated[str, StringConstraints(strip_whitespace=True, pattern=MONTH_PATTERN)] = example(
        "2025-04", description="The year and month it was signed, like 2025-04 (no day)."
    )
    expires: Annotated[str, StringConstraints(strip_whitespace=True, pattern=EXPIRY_PATTERN)] = example(
        "2028-04",
        description="When it ends, as on the form: a year-month (nothing is published from its first day) "
        "or a date.",
    )
    revoked: Annotated[str, StringConstraints(strip_whitespace=True, pattern=MONTH_PATTERN)] | bool | None = (
        example(
            "2026-02",
            default=None,
            description="The year-month the patient revoked it; leave empty while it holds. Its cases "
            "leave the site at the next build.",
        )
    )

    @field_validator("granted", "expires", "revoked", mode="before")
    @classmethod
    def _as_text(cls, value):
        # YAML reads 2028-04-15 as a date; the ledger keeps what was written.
        return value.isoformat() if isinstance(value, dt.date) else value


class ConsentLedger(Model):
    """content/gallery/consent.yml: every signed marketing authorization, ids only."""

    consents: list[ConsentRecord] = example(
        [{"id": "C-2025-003", "scope": "web", "granted": "2025-04", "expires": "2028-04"}],
        default_factory=list,
        description="One entry per signed authorization.",
    )
