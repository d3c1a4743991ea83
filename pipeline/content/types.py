"""The registry of content types: where each lives, how it is validated and published.

Adding a type (gallery case, special, event, referral partner) means adding one
``ContentType`` here with its model; the reader, the validator, the cross-reference
check and the generator all work from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.content import models


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

    @property
    def setting_prefix(self) -> str:
        return self.class_name.upper()


POST = ContentType("post", "blog post", "blog", models.Post, pelican="article")
PAGE = ContentType("page", "page", "pages", models.Page, pelican="page")
PROCEDURE = ContentType(
    "procedure", "procedure", "procedures", models.Procedure, title_field="name",
    class_name="Procedure", url="procedures/{slug}/", template="procedure",
    index_url="procedures/", index_template="procedures", index_title="Treatments & procedures",
)
TEAM = ContentType(
    "team", "team member", "team", models.TeamMember, title_field="name",
    class_name="TeamMember", url="team/{slug}/", template="team_member",
    index_url="team/", index_template="team", index_title="Our team",
)
LOCATION = ContentType(
    "location", "location", "locations", models.Location, title_field="name",
    class_name="Location", url="locations/{slug}/", template="location",
    index_url="contact/", index_template="locations", index_title="Locations & contact",
)

# content/practice.yml: one data file, validated like the rest.
PRACTICE = ContentType("practice", "practice", "", models.Practice, pelican="data")

TYPES: tuple[ContentType, ...] = (POST, PAGE, PROCEDURE, TEAM, LOCATION)
BY_KIND = {t.kind: t for t in TYPES}
BY_FOLDER = {t.folder: t for t in TYPES}
COLLECTIONS = tuple(t for t in TYPES if t.pelican == "collection")


def for_path(relative_path: str) -> ContentType | None:
    """The type of a file from its path relative to the content folder."""
    first = relative_path.replace("\\", "/").split("/", 1)[0]
    return BY_FOLDER.get(first)


def save_as(url: str) -> str:
    """Pretty URLs: ``procedures/botox/`` is written to ``procedures/botox/index.html``."""
    return url + "index.html" if url.endswith("/") or not url else url
