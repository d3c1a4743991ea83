"""The drafts of a launch kit, built from what the content declares (pure functions, text out).

Nothing here invents a fact: every sentence about the treatment is the procedure's own approved
wording (summary, how it works, sessions, downtime, price, FAQs). What the coordinator must decide
(the introductory discount, its dates) is written as a draft value with a comment saying so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.errors import PipelineError

WEEKS = ("announcement", "education", "before/after", "introductory special")
INTRO_PERCENT_OFF = 15  # a draft value: the coordinator sets the real one before publishing
SPECIAL_DAYS = 30
NETWORKS = "instagram, facebook, gbp"


class LaunchError(PipelineError):
    """A launch kit that cannot be written: an unknown procedure, or a draft that fails the claims check."""


@dataclass(frozen=True)
class Case:
    """A before/after case of the procedure whose consent covers social media today."""

    id: str
    title: str
    image: str  # content path of its first "after" photo


@dataclass(frozen=True)
class Post:
    week: int
    day: dt.date
    theme: str
    caption: str
    image: str = ""
    link: str = ""


@dataclass
class Kit:
    procedure: str
    name: str
    blog_path: str  # inside the content folder: blog/<id>-launch.md
    blog: str
    special_path: str  # specials/<id>-introductory.md
    special: str
    posts: list[Post] = field(default_factory=list)
    referral_note: str = ""
    briefs: list[str] = field(default_factory=list)  # the procedure's and its devices' brief ids
    notes: list[str] = field(default_factory=list)  # what the coordinator must do before publishing

    def social_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["week", "date", "theme", "networks", "caption", "image", "link"])
        for post in self.posts:
            writer.writerow(
                [post.week, post.day.isoformat(), post.theme, NETWORKS, post.caption, post.image, post.link]
            )
        return out.getvalue()

    def social_markdown(self) -> str:
        lines = [
            f"# Four-week social plan: {self.name}",
            "",
            "Drafts: review each post before scheduling it.",
            "",
        ]
        for post in self.posts:
            lines += [
                f"## Week {post.week}, {post.day:%A %B} {post.day.day}: {post.theme}",
                "",
                post.caption,
                "",
            ]
            if post.image:
                lines += [f"Image: {post.image}", ""]
            if post.link:
                lines += [f"Link: {post.link}", ""]
        return "\n".join(lines)


def _q(text) -> str:
    """A YAML scalar: JSON strings are valid YAML and keep every character as written."""
    return json.dumps(str(text), ensure_ascii=False)


def _money(value: Decimal | int | float | None, currency: str) -> str:
    if value is None:
        return ""
    amount = Decimal(str(value))
    shown = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"${shown}" if currency == "USD" else f"{shown} {currency}"


def _first_sentence(text: str) -> str:
    text = " ".join(str(text or "").split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


def _monday_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=7 - day.weekday())


def kit(
    procedure_id: str,
    procedure,  # pipeline.content.models.Procedure
    devices: list[tuple[str, object]],  # (id, models.Device) the procedure uses
    cases: list[Case],
    as_of: dt.date,
    practice: str,
    author: str,
    currency: str = "USD",
    disclaimer: str = "",
    urls: dict | None = None,  # "procedure" / "special" -> the page's address
    clean: Callable[[str], bool] = lambda text: True,  # passes the claims check on its own
) -> Kit:
    urls = urls or {}
    p = procedure
    # A page shows an FAQ's question as a heading the answer qualifies; a draft quoting it alone
    # must pass the check on its own, so an FAQ whose words do not is left for the coordinator.
    faqs = [f for f in getattr(p, "faqs", None) or () if clean(f"{f.q} {_first_sentence(f.a)}")]
    left_out = [f.q for f in getattr(p, "faqs", None) or () if f not in faqs]
    name = p.name
    start = _monday_after(as_of)
    special_from = start + dt.timedelta(weeks=3)
    special_through = special_from + dt.timedelta(days=SPECIAL_DAYS - 1)
    slug = f"{procedure_id}-introductory"
    code = re.sub(r"[^A-Z0-9]", "", procedure_id.upper())[:10] + "NEW"
    special_summary = (
        f"{INTRO_PERCENT_OFF}% off {name} as an introductory offer, "
        f"{special_from:%B} {special_from.day} to {special_through:%B} {special_through.day}."
    )
    terms = (
        f"One {name} treatment per client at the introductory price, booked and completed between "
        f"{special_from:%B} {special_from.day} and {special_through:%B} {special_through.day}, {special_through.year}. "
        "A consultation decides whether the treatment suits you. Cannot be combined with other offers."
    )
    image = getattr(p, "image", None)
    image_src = getattr(image, "src", "") if image else ""
    image_alt = getattr(image, "alt", "") if image else ""
    price = _money(getattr(p, "price_from", None), currency)

    special = "\n".join(
        [
            "---",
            f"title: {_q(f'Introducing {name}')}",
            f"summary: {_q(special_summary)}",
            f"procedures: [{procedure_id}]",
            "offer:",
            f"  regular_price: {p.price_from}" if getattr(p, "price_from", None) else "  regular_price: 1",
            f"  percent_off: {INTRO_PERCENT_OFF}  # a draft value: set the introductory discount you want",
            f"  currency: {currency}",
            f"valid_from: {special_from.isoformat()}  # the plan's week 4",
            f"valid_through: {special_through.isoformat()}",
            f"terms: {_q(terms)}",
            f"promo_code: {code}",
            "image:",
            f"  src: {image_src}",
            f"  alt: {_q(image_alt)}",
            "status: draft  # change to published when the offer is final",
            "---",
            p.summary,
            "",
            "Book a consultation: your provider will tell you whether the treatment suits you.",
            "",
        ]
    )

    outline = [f"## Why we now offer {name}", "", f"- {p.summary}", ""]
    if getattr(p, "how_performed", None):
        outline += ["## How it works", "", f"- {' '.join(p.how_performed.split())}", ""]
    if getattr(p, "contraindications", None):
        outline += ["## Who should wait or choose something else", ""]
        outline += [f"- {c}" for c in p.contraindications] + [""]
    outline += [
        "## Sessions and downtime",
        "",
        f"- Sessions: {p.sessions}.",
        f"- Downtime: {p.downtime}.",
        "",
    ]
    if price:
        outline += ["## What it costs", "", f"- From {price}, confirmed at your consultation.", ""]
    if faqs:
        outline += ["## Questions patients ask", ""]
        outline += [f"- {f.q}" for f in faqs] + [""]
    outline += [
        "## Next step",
        "",
        "- Invite readers to book a consultation.",
        "",
    ]
    blog = "\n".join(
        [
            "---",
            f"title: {_q(f'Now offering {name}: what to know')}",
            f"date: {start.isoformat()}",
            f"summary: {_q(p.summary)}",
            "category: News",
            f"tags: [{procedure_id}]",
            f"author: {author}",
            "cover:",
            f"  src: {image_src}",
            f"  alt: {_q(image_alt)}",
            f"procedures: [{procedure_id}]",
            "status: draft  # an outline: write each section in your own words, then publish",
            "---",
            *outline,
        ]
    )

    procedure_url = urls.get("procedure", "")
    posts = [
        Post(
            1,
            start,
            WEEKS[0],
            f"New at {practice}: {name}. {p.summary} Book a consultation to learn more.",
            image_src,
            procedure_url,
        ),
        Post(
            2,
            start + dt.timedelta(weeks=1),
            WEEKS[1],
            " ".join(
                t
                for t in (
                    f"How {name} works: {_first_sentence(getattr(p, 'how_performed', '') or p.summary)}",
                    f"Sessions: {p.sessions}.",
                    f"Downtime: {p.downtime}.",
                )
                if t
            ),
            image_src,
            procedure_url,
        ),
    ]
    notes = []
    if cases:
        case = cases[0]
        posts.append(
            Post(
                3,
                start + dt.timedelta(weeks=2),
                WEEKS[2],
                f"Before and after: {case.title}. {disclaimer}".strip(),
                case.image,
                urls.get("gallery", procedure_url),
            )
        )
    else:
        faq = next(iter(faqs), None)
        caption = (
            f"{faq.q} {_first_sentence(faq.a)}"
            if faq
            else f"Questions about {name}? Ask us at your consultation."
        )
        posts.append(
            Post(
                3,
                start + dt.timedelta(weeks=2),
                "education (no consented before/after yet)",
                caption,
                image_src,
                procedure_url,
            )
        )
        notes.append(
            f"No before/after case of {name} has consent for social media: week 3 shares an FAQ instead. "
            "When a case with social consent is in the gallery, run inv launch again."
        )
    posts.append(
        Post(
            4,
            special_from,
            WEEKS[3],
            f"Introductory offer: {special_summary} Terms apply: see the offer page.",
            image_src,
            urls.get("special", ""),
        )
    )
    referral = "\n".join(
        [
            f"# {practice} now offers {name}",
            "",
            "Dear colleague,",
            "",
            f"We now offer {name}. {p.summary}",
            "",
            f"Sessions: {p.sessions}. Downtime: {p.downtime}.",
            "",
            *(
                ["It is not for patients with:", "", *[f"- {c}" for c in p.contraindications], ""]
                if getattr(p, "contraindications", None)
                else []
            ),
            "Every patient starts with a consultation. Please refer with your partner link or card "
            "(inv partners writes them), so we can thank you.",
            "",
            f"With thanks, the team at {practice}",
            "",
        ]
    )
    notes += [
        f"Left out of the drafts, as its wording alone would not pass the claims check: the FAQ \u201c{q}\u201d."
        for q in left_out
    ]
    notes += [
        f"Set the introductory discount and dates in content/{'specials'}/{slug}.md, then change its status to "
        "published.",
        f"Write the blog post from the outline in content/blog/{procedure_id}-launch.md, then publish it.",
        "Have every provider read the staff brief and record it in data/staff/acknowledgements.csv (inv staff).",
    ]
    return Kit(
        procedure=procedure_id,
        name=name,
        blog_path=f"blog/{procedure_id}-launch.md",
        blog=blog,
        special_path=f"specials/{slug}.md",
        special=special,
        posts=posts,
        referral_note=referral,
        briefs=[procedure_id, *(d for d, _ in devices)],
        notes=notes,
    )
