"""The testimonials ledger, ``content/testimonials.yml``: every review or testimonial a page shows.

A page never carries review text of its own: it writes ``[[testimonial T-2026-001]]`` on a line,
and the build renders that entry, its attribution and, when the patient had a material connection
to the practice (a free or discounted treatment, an employee, a relative of one), the disclosure
of it. So a testimonial cannot reach a page without its source, its consent and its disclosure:

- 16 CFR 465.2 (FTC Consumer Reviews and Testimonials Rule, 2024): no fake or false reviews or
  testimonials: each entry names where it came from and the patient's consent;
- 16 CFR 255.5 (FTC Endorsement Guides, 2023) and 16 CFR 465.5: a material connection is disclosed
  clearly and conspicuously, next to the testimonial;
- 45 CFR 164.508: a patient's words about their treatment, used in marketing, need their written
  authorization: ``consent`` is an id of the consent ledger, in scope for the web.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from pipeline.claims.document import Document
from pipeline.claims.text import field_sentences
from pipeline.consent import ConsentError, Ledger, decide
from pipeline.content import models
from pipeline.content.errors import Problem
from pipeline.content.frontmatter import Parsed

CONNECTIONS = (
    "none",
    "free-treatment",
    "discounted-treatment",
    "employee",
    "family-of-employee",
    "paid",
    "other",
)
SOURCES = ("google", "yelp", "facebook", "realself", "survey", "email", "letter", "in-person", "other")
TestimonialId = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
]
PLACEHOLDER = re.compile(r"<!--testimonial (?P<id>[A-Za-z0-9._%-]+)-->")
LINE = re.compile(r"^ {0,3}\[\[\s*testimonial\s+(?P<id>[^\]\s]+)\s*\]\]\s*$", re.IGNORECASE)


class Testimonial(models.Model):
    id: TestimonialId = models.example("T-2026-001")
    text: models.Text = models.example("The team explained every step, and my skin has never felt calmer.")
    attribution: models.Text = models.example("A. R., HydraFacial patient")  # initials: never a full name
    source: Literal[SOURCES] = models.example("survey")  # type: ignore[valid-type]
    source_ref: str | None = models.example("survey 2026-Q3 #14", default=None)  # internal; never shown
    received: int = models.example(2026, ge=2000, le=2100)  # the year only: a full date identifies
    consent: models.ConsentId = models.example("C-2025-011")
    connection: Literal[CONNECTIONS] = models.example("none")  # type: ignore[valid-type]
    disclosure: models.Text | None = models.example(
        "She received this treatment free of charge as a member of our team.", default=None
    )
    procedures: list[models.Id] = models.example(["hydrafacial"], default_factory=list)
    status: models.Status = "published"

    @model_validator(mode="after")
    def _disclosed(self):
        if self.connection == "none" and self.disclosure:
            raise models.problem(
                "disclosure",
                "is given but connection is none — set connection to what the disclosure describes "
                "(free-treatment, discounted-treatment, employee, family-of-employee, paid, other)",
            )
        return self


class Ledger_(models.Model):
    testimonials: list[Testimonial] = Field(default_factory=list)


@dataclass(frozen=True)
class Entry:
    record: Testimonial
    line: int | None
    usable: bool  # consent valid for the web today
    reason: str = ""  # why not


def parse(
    parsed: Parsed, path: str, consents: Ledger | None, today: dt.date
) -> tuple[list[Entry], list[Problem]]:
    """The ledger's entries and the problems of the file (each with its line)."""
    from pipeline.content.types import ContentType
    from pipeline.content.validate import parse as validate

    ctype = ContentType("testimonials", "testimonials ledger", "", Ledger_, pelican="data")
    entry = validate(ctype, parsed, path, "testimonials")
    problems = list(entry.problems)
    if entry.record is None:
        return [], problems
    out, seen = [], {}
    for index, record in enumerate(entry.record.testimonials):
        line = parsed.line_of(f"testimonials.{index}")
        if record.id in seen:
            problems.append(
                Problem(
                    path,
                    f"testimonials.{index}.id",
                    f"'{record.id}' is already used (line {seen[record.id]})",
                    "give each testimonial its own id",
                    line,
                )
            )
        seen[record.id] = line
        usable, reason = True, ""
        if consents is not None:
            try:
                decision = decide(record.consent, consents, "web", today)
            except ConsentError:
                problems.append(
                    Problem(
                        path,
                        f"testimonials.{index}.consent",
                        f"'{record.consent}' is not in the consent ledger",
                        f"add the signed authorization to {consents.path}, or correct the id",
                        parsed.line_of(f"testimonials.{index}.consent"),
                    )
                )
                usable, reason = False, "unknown consent"
            else:
                usable, reason = decision.allowed, decision.reason
        out.append(Entry(record, line, usable, reason))
    return out, problems


def ledger_document(entries: list[Entry], path: str) -> Document:
    """The ledger as a document: its texts are checked by every claims rule, its entries by
    :func:`find_undisclosed`."""
    sentences = []
    for index, entry in enumerate(entries):
        sentences += field_sentences(f"testimonials.{index}.text", entry.record.text, entry.line)
    return Document(path, "testimonials", "testimonials", tuple(sentences), extra={"entries": entries})


def render(entry: Entry) -> str:
    """The testimonial as HTML: the words, who said them, and the disclosure beside them."""
    record = entry.record
    disclosure = (
        f'<p class="testimonial-disclosure">{escape(record.disclosure)}</p>'
        if record.connection != "none" and record.disclosure
        else ""
    )
    return (
        f'<figure class="testimonial"><blockquote><p>{escape(record.text)}</p></blockquote>'
        f"<figcaption>— {escape(record.attribution)}</figcaption>{disclosure}</figure>"
    )


def placeholder(testimonial_id: str) -> str:
    from urllib.parse import quote

    return f"<!--testimonial {quote(testimonial_id, safe='').replace('-', '%2D')}-->"


def fill(html: str, entries: dict[str, Entry]) -> str:
    """Replace every placeholder with its testimonial; one that cannot be shown leaves nothing."""
    from urllib.parse import unquote

    def one(match: re.Match) -> str:
        entry = entries.get(unquote(match.group("id")))
        return render(entry) if entry is not None and entry.usable else ""

    return PLACEHOLDER.sub(one, html)


def load(path, shown: str, consents: Ledger | None, today: dt.date) -> tuple[list[Entry], list[Problem]]:
    """Read the ledger file (the I/O edge); a missing or empty file is an empty ledger."""
    from pathlib import Path

    from pipeline.content.frontmatter import load_yaml, read_text

    if not Path(path).is_file():
        return [], []
    text, problems = read_text(path, shown)
    if text is None or not text.strip():
        return [], problems
    parsed = load_yaml(text.lstrip("\ufeff"), shown)
    if parsed.problems:
        return [], parsed.problems
    return parse(parsed, shown, consents, today)
