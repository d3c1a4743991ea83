"""Markdown with YAML front matter, validated against the file's content type as it is read.

A reader never raises for a content mistake: the problems travel on the content object
(``entry.problems``) and the site-wide check reports them all at once, before anything is
written. An invalid file gets placeholder metadata so Pelican can carry it that far.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

from markdown import Markdown
from pelican.readers import BaseReader
from pelican.utils import SafeDatetime

from pipeline import dates, personal_data
from pipeline.content import body, frontmatter, types, validate
from pipeline.content.errors import Problem
from pipeline.content.paths import display_path

# Fields Pelican itself interprets; everything else is passed through as an attribute.
_PELICAN_FIELDS = ("tags", "category", "author")


def _pelican_date(value: dt.date | dt.datetime) -> SafeDatetime:
    if isinstance(value, dt.datetime):
        return SafeDatetime(
            value.year, value.month, value.day, value.hour, value.minute, value.second, tzinfo=value.tzinfo
        )
    return SafeDatetime(value.year, value.month, value.day)


class FrontMatterReader(BaseReader):
    enabled = True
    file_extensions = ["md", "markdown"]

    def __init__(self, settings):
        super().__init__(settings)
        config = dict(settings["MARKDOWN"])
        # Every configured extension, as Pelican's own reader would enable them. Pelican fills
        # MARKDOWN["extensions"] in place, so relying on it would make the first build of a
        # process differ from the next (no smart quotes, no heading ids).
        extensions = list(config.get("extensions", []))
        extensions += [e for e in config.get("extension_configs", {}) if e not in extensions]
        config["extensions"] = [e for e in extensions if e != "markdown.extensions.meta"]
        # Every picture of a body goes through the image pipeline (pipeline.content.body).
        config["extensions"].append(body.BodyImagesExtension())
        # One converter for every file, reset between files: building a Markdown instance
        # (loading and registering every extension) costs as much as converting a short post.
        self._markdown = Markdown(**config)

    def read(self, source_path: str):
        root = self.settings["PATH"]
        path = display_path(source_path, root)
        relative = os.path.relpath(source_path, root).replace(os.sep, "/")
        text_read, problems = frontmatter.read_text(source_path, path)
        parsed = (
            frontmatter.split(text_read, path)
            if text_read is not None
            else frontmatter.Parsed(problems=problems)
        )
        # Generators only read the folders of known types; stray files are reported by check_site.
        ctype = types.for_path(relative) or types.PAGE
        stem = os.path.splitext(os.path.basename(source_path))[0]
        entry = validate.parse(ctype, parsed, path, stem)
        # What the publish guard would refuse, found now with its line (the whole-site step leaves
        # out the practice's own contacts and reports the rest).
        entry.personal = personal_data.find_in_source(text_read or "")
        markdown = self._markdown.reset()
        markdown.body_source = relative
        html = markdown.convert(parsed.body)
        _read_body(entry, html, markdown.body_found)
        meta = self._metadata(entry)
        if ctype is types.POST:
            meta["reading_minutes"] = body.reading_minutes(html)
        return html, meta

    def _metadata(self, entry: validate.Entry) -> dict:
        as_of = self.settings["AS_OF_DATE"]
        tz = dates.zone(self.settings.get("TIMEZONE"))
        meta = {"entry": entry, "kind": entry.ctype.kind, "slug": entry.id}
        record = entry.record
        if record is None or entry.problems:
            # Placeholders so Pelican carries the file to the site-wide check, which stops the build.
            meta.update(
                title=entry.path,
                status="draft",
                content_status="invalid",
                date=_pelican_date(as_of),
                phase="draft",
                listed=False,
            )
            return meta
        for name in getattr(type(record), "times", ()):
            # Times without an offset are the practice's local time (TIMEZONE).
            setattr(record, name, dates.localize(getattr(record, name), tz))
        for name in type(record).model_fields:
            value = getattr(record, name)
            if name in _PELICAN_FIELDS:
                if value:
                    meta[name] = self.process_metadata(name, value)
            elif name in ("date", "modified"):
                if value is not None:
                    meta[name] = _pelican_date(value)
            else:
                meta[name] = value
        meta["title"] = getattr(record, entry.ctype.title_field)
        # The type's lifecycle hook decides (scheduled post, current/expired special, past event);
        # Pelican only learns whether the page is written: a "draft" is previewed or skipped.
        phase = validate.phase_of(entry, as_of, tz)
        meta["phase"] = phase
        meta["content_status"] = types.PHASES[phase].status
        meta["listed"] = types.PHASES[phase].listed
        meta["status"] = "published" if types.PHASES[phase].written else "draft"
        return meta


def _read_body(entry: validate.Entry, html: str, found: body.Found) -> None:
    """The body's pictures and file links, each with its line; what the pipeline cannot take is a problem."""
    text, first = entry.parsed.body, entry.parsed.body_line or 1
    line = first
    for image in found.images:
        needles = image.needles or (image.src,)
        line = next(
            (
                at
                for needle in needles
                if (at := body.line_of(text, needle, first, line) or body.line_of(text, needle, first))
            ),
            None,
        )
        entry.body_images.append(dataclasses.replace(image, line=line))
    entry.body_links = [
        dataclasses.replace(link, line=body.line_of(text, link.href, first)) for link in found.links
    ]
    for what, fix, needle in body.inspect(html):
        entry.problems.append(Problem(entry.path, "body", what, fix, body.line_of(text, needle, first)))
    old_stub = text.strip() == f"Write the {entry.ctype.noun} here, in Markdown."
    if entry.parsed.data and (validate.placeholder_what(text) is not None or old_stub):
        entry.problems.append(
            Problem(
                entry.path,
                "body",
                "is still the placeholder",
                f"replace it with the text of the {entry.ctype.noun}, in Markdown, below the "
                "second '---' line",
                first,
            )
        )
