"""The contact sheet: every post of an export as it will look (image, caption, network, time),
so the coordinator reviews by looking, not by reading CSVs.

It is an internal artefact: ``<meta name="artefact" content="internal">`` makes the publish
guard refuse it if it is ever copied into the site, and ``noindex`` keeps it out of search.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipeline.social.networks import NETWORKS

NAME = "contact-sheet.html"
_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _when(value) -> str:
    return f"{value:%H:%M} {value:%Z}".strip()


def _day(value) -> str:
    return f"{value:%A, %B} {value.day}, {value.year}"


def contact_sheet(batch, files: list[str]) -> bytes:
    days = [(_day(day), list(posts)) for day, posts in groupby(batch.posts, key=lambda p: p.at.date())]
    counts = [(NETWORKS[n].label, sum(1 for p in batch.posts if p.network == n)) for n in NETWORKS]
    html = _ENV.get_template("contact_sheet.html").render(
        batch=batch,
        days=days,
        counts=[c for c in counts if c[1]],
        files=files,
        networks=NETWORKS,
        when=_when,
        iso=lambda v: v.isoformat(),
        day_text=_day(batch.day),
    )
    return html.encode("utf-8")
