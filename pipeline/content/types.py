"""The registry of content types: where each lives, how it is validated and published.

Adding a type (gallery case, special, event, referral partner) means adding one
``ContentType`` here with its model; the reader, the validator, the cross-reference
check and the generator all work from this table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from pipeline import dates
from pipeline.content import models


@dataclass(frozen=True)
class Phase:
    """Where a published item stands on the build's day, and what that means for the site."""

    status: str  # what <meta name="content-status"> says (the deploy's publish guard blocks draft/scheduled)
    written: bool  # its page is built for the public site
    listed: bool  # it appears in listings, feeds, the sitemap and the search index


PHASES = {
    "published": Phase("published", written=True, listed=True),
    "draft": Phase("draft", written=False, listed=False),
    "scheduled": Phase("scheduled", written=False, listed=False),
    "current": Phase("published", written=True, listed=True),
    # An expired special keeps its page (old links and ads land on "this offer has ended"), noindex.
    "expired": Phase("expired", written=True, listed=False),
    "upcoming": Phase("published", written=True, listed=True),
    "past": Phase("published", written=True, listed=True),  # listed in the archive
}

# A lifecycle hook: (validated record, the build's day, the practice's time zone) -> a key of PHASES.
Lifecycle = Callable[[models.Model, dt.date, dt.tzinfo], str]


def always_published(record, as_of: dt.date, tz: dt.tzinfo) -> str:
    return "published"


def _post_phase(record: models.Post, as_of: dt.date, tz: dt.tzinfo) -> str:
    return dates.publish_phase(record.date, as_of, tz)


def _special_phase(record: models.Special, as_of: dt.date, tz: dt.tzinfo) -> str:
    return dates.offer_phase(record.valid_from, record.valid_through, as_of)


def _event_phase(record: models.Event, as_of: dt.date, tz: dt.tzinfo) -> str:
    return dates.event_phase(record.end, as_of, tz)


def _by_order(record) -> tuple:
    return (record.order,)


def _special_starter(today: dt.date) -> dict:
    """``inv new special``: next month, first to last day; the prices to write (``...``)."""
    first, last = dates.next_month(today)
    return {"valid_from": first, "valid_through": last, "offer": {"price": ..., "currency": "USD"}}


def _event_starter(today: dt.date) -> dict:
    """``inv new event``: where it is, to write (a clinic's id; venue or online_url are the other ways)."""
    return {"location": ...}


@dataclass(frozen=True)
class ContentType:
    kind: str  # the id other content uses to refer to it, e.g. "procedure"
    noun: str  # how messages name one, e.g. "team member"
    folder: str  # under content/
    model: type[models.Model]
    title_field: str = "title"
    # Pelican side. Posts and pages are Pelican's own articles and pages; the others are
    # written by the collection generator, whose URL settings are <CLASS_NAME>_URL/_SAVE_AS.
    pelican: str = "collection"  # "article" | "page" | "collection"
    class_name: str = ""
    url: str = ""
    template: str = ""
    index_url: str = ""
    index_template: str = ""
    index_title: str = ""
    # Date-driven status: which phase (see PHASES) a published item is in on the build's day.
    lifecycle: Lifecycle = always_published
    # Display order within listings (ties broken by title, then id).
    sort_key: Callable[[models.Model], tuple] = _by_order
    # Items in this phase leave the main listing for an archive page (past events).
    archive_phase: str = ""
    archive_url: str = ""
    archive_template: str = ""
    archive_title: str = ""
    # Extra values for ``inv new`` (e.g. next month's dates), given today's date; ``...`` marks an
    # optional field the new file asks to be written.
    starter: Callable[[dt.date], dict] | None = None

    def phase(self, record: models.Model, as_of: dt.date, tz: dt.tzinfo) -> str:
        """The item's phase: ``draft`` unless its status is published, else the lifecycle's answer."""
        if getattr(record, "status", "published") != "published":
            return "draft"
        return self.lifecycle(record, as_of, tz)

    @property
    def setting_prefix(self) -> str:
        return self.class_name.upper()


POST = ContentType("post", "blog post", "blog", models.Post, pelican="article", lifecycle=_post_phase)
PAGE = ContentType("page", "page", "pages", models.Page, pelican="page")
PROCEDURE = ContentType(
    "procedure",
    "procedure",
    "procedures",
    models.Procedure,
    title_field="name",
    class_name="Procedure",
    url="procedures/{slug}/",
    template="procedure",
    index_url="procedures/",
    index_template="procedures",
    index_title="Treatments & procedures",
)
TEAM = ContentType(
    "team",
    "team member",
    "team",
    models.TeamMember,
    title_field="name",
    class_name="TeamMember",
    url="team/{slug}/",
    template="team_member",
    index_url="team/",
    index_template="team",
    index_title="Our team",
)
LOCATION = ContentType(
    "location",
    "location",
    "locations",
    models.Location,
    title_field="name",
    class_name="Location",
    url="locations/{slug}/",
    template="location",
    index_url="contact/",
    index_template="locations",
    index_title="Locations & contact",
)
SPECIAL = ContentType(
    "special",
    "special",
    "specials",
    models.Special,
    class_name="Special",
    url="specials/{slug}/",
    template="special",
    index_url="specials/",
    index_template="specials",
    index_title="Monthly specials",
    lifecycle=_special_phase,
    sort_key=lambda r: (r.valid_through, r.valid_from),
    starter=_special_starter,
)
EVENT = ContentType(
    "event",
    "event",
    "events",
    models.Event,
    class_name="Event",
    url="events/{slug}/",
    template="event",
    index_url="events/",
    index_template="events",
    index_title="Events",
    lifecycle=_event_phase,
    sort_key=lambda r: (r.start,),  # times are localized when read
    archive_phase="past",
    archive_url="events/past/",
    archive_template="events_archive",
    archive_title="Past events",
    starter=_event_starter,
)

# content/devices/<id>.md: devices and products with their FDA status and indications. Internal (no
# pages): read by the claims check and the staff briefs (plugins/claims, pipeline/claims, pipeline/briefs).
DEVICE = ContentType("device", "device", "devices", models.Device, title_field="name", pelican="data")

# content/practice.yml: one data file, validated like the rest.
PRACTICE = ContentType("practice", "practice", "", models.Practice, pelican="data")

# Before/after cases: a folder each (content/gallery/<case-id>/ with case.yml and the photos), read,
# consent-checked and written by plugins/gallery; its references are checked like every type's.
# Not in TYPES: that table lists the Markdown folders (and the kinds `inv new` writes).
GALLERY_CASE = ContentType(
    "case",
    "gallery case",
    "gallery",
    models.GalleryCase,
    pelican="gallery",
    class_name="Case",
    url="gallery/{slug}/",
    template="gallery_case",
    index_url="gallery/",
    index_template="gallery",
    index_title="Before & after gallery",
)

TYPES: tuple[ContentType, ...] = (POST, PAGE, PROCEDURE, TEAM, LOCATION, SPECIAL, EVENT, DEVICE)
BY_KIND = {t.kind: t for t in TYPES}
BY_FOLDER = {t.folder: t for t in TYPES}
COLLECTIONS = tuple(t for t in TYPES if t.pelican == "collection")


def for_path(relative_path: str) -> ContentType | None:
    """The type of a file from its path relative to the content folder."""
    first = relative_path.replace("\\", "/").split("/", 1)[0]
    return BY_FOLDER.get(first)


def url_of(save_as: str) -> str:
    """The pretty URL a file is served at: ``blog/index.html`` -> ``blog/``."""
    return save_as[: -len("index.html")] if save_as.endswith("index.html") else save_as


def save_as(url: str) -> str:
    """Pretty URLs: ``procedures/botox/`` is written to ``procedures/botox/index.html``."""
    return url + "index.html" if url.endswith("/") or not url else url
