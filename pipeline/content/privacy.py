"""Personal data in content files, as content problems: the publish guard's rules, found earlier.

``inv check`` and ``inv build`` report what the deploy's publish guard would refuse, with the
file, the line and a fix in plain words: the same detector (``pipeline.personal_data``) reads
each file's source, front matter and body, as it is read. Symbolic links in the content and
theme folders are refused here too: the build never copies a link's target onto the site.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pipeline.content.errors import Problem
from pipeline.content.validate import Entry
from pipeline.personal_data import FIXES, Contacts, own_filter

OTHERS = " that is not the practice's"


def contacts_of(practice, locations: Iterable = (), allow: dict | None = None) -> Contacts:
    """The practice's own published email addresses and phone numbers: its ``practice.yml`` and
    its locations (validated records), plus PUBLISH_GUARD_ALLOW's extra ones."""
    emails = [getattr(practice, "email", None)] if practice is not None else []
    phones = [getattr(practice, "phone", None)] if practice is not None else []
    for location in locations:
        emails.append(getattr(location, "email", None))
        phones.append(getattr(location, "phone", None))
    allow = allow or {}
    return Contacts.of(
        [str(e) for e in [*emails, *allow.get("emails", ())] if e],
        [str(p) for p in [*phones, *allow.get("phones", ())] if p],
    )


def personal_data_problems(entry: Entry, own: Contacts) -> list[Problem]:
    """One problem per piece of personal data the file's source holds (``entry.personal``)."""
    problems = []
    for line, hit in own_filter(entry.personal, own):
        others = OTHERS if hit.kind in ("email", "phone") else ""
        problems.append(
            Problem(
                entry.path, entry.parsed.field_at(line), f"{hit.described}{others}", FIXES[hit.kind], line
            )
        )
    return problems


def link_problems(folder: str | os.PathLike, shown_from: str | os.PathLike) -> list[Problem]:
    """A problem for every symbolic link (file or folder) under ``folder``; paths are shown
    relative to ``shown_from`` (the project)."""
    from pipeline.sitefiles import find_links

    problems = []
    for link in find_links(folder):
        shown = os.path.relpath(link, shown_from).replace(os.sep, "/")
        target = os.readlink(link)
        kind = "folder" if Path(link).is_dir() else "file"
        problems.append(
            Problem(
                shown,
                "file",
                f"is a symbolic link (to {target})",
                f"replace the link with the real {kind} (copy it in), or remove it: the site never publishes "
                "what a link points to",
            )
        )
    return problems
