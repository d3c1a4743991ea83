"""Tracked links for social posts: ``utm_source=<network>&utm_medium=social&utm_campaign=<campaign>``.

Why the campaign is a neutral id and not the content's slug: UTM values end up in analytics tools
and ad platforms' reports, and a treatment or condition name there is health information sent
to a third party (REFERENCE.md, "Tracking without leaking health data": never put treatment names
into analytics events or URL parameters). A post's slug often names its treatment
(``botox-myths``), so the campaign is the kind of content, its day and a short hash of its id:
``post-20260314-3f2a9c``; a gallery case gets no day at all (``case-8d41e0b7``), because dates
finer than the year are patient identifiers. The page's own address may name the treatment: it
is the site's public URL, not a tracking parameter. ``posts.json`` in each export maps every
campaign id back to its content file, so reports can be read.

A campaign written in front matter (``social.campaign``) is checked against the same terms the
site's tag firewall uses (conditions, and at export time every procedure, device and body area).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pipeline.sitepolicy.tracking import CONDITION_TERMS, find_terms, normalize

MEDIUM = "social"
_CAMPAIGN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_UTM = ("utm_source", "utm_medium", "utm_campaign")


def campaign_id(kind: str, content_id: str, day: dt.date | None) -> str:
    """A campaign id that names no treatment: ``<kind>-<yyyymmdd>-<hash6>``, or ``case-<hash8>``."""
    digest = hashlib.sha256(f"{kind}/{content_id}".encode()).hexdigest()
    if day is None:
        return f"{kind}-{digest[:8]}"
    return f"{kind}-{day:%Y%m%d}-{digest[:6]}"


def campaign_problem(value: str, terms: Mapping[str, str] | None = None) -> str | None:
    """Why ``value`` cannot be a utm_campaign ("what — fix"), or None."""
    if not _CAMPAIGN.match(value):
        return (
            f"'{value}' is not a campaign id — use lowercase letters, digits and hyphens, like holiday-2026"
        )
    table = terms if terms is not None else {normalize(t): "a condition" for t in CONDITION_TERMS}
    found = find_terms(value, table)
    if found:
        return (
            f"'{value}' names {table[found[0]]} ('{found[0]}'), and UTM parameters reach analytics "
            "tools — use a neutral name such as holiday-2026, or leave campaign out for an automatic id"
        )
    return None


def tagged_link(url: str, source: str, campaign: str) -> str:
    """``url`` with the social UTM parameters (any it already had are replaced)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not an absolute http(s) address")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in _UTM]
    query += [("utm_source", source), ("utm_medium", MEDIUM), ("utm_campaign", campaign)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))
