"""Reads and writes the collection types (procedures, team, locations) and the site's
singleton pages (home, 404). Posts and pages stay with Pelican's own generators."""

from __future__ import annotations

import functools
import os

from pelican.contents import Page
from pelican.generators import Generator

from pipeline.content import frontmatter, types, validate
from pipeline.content.paths import display_path
from sitebuild import build_of

PRACTICE_FILE = "practice.yml"
SEARCH_URL = "search/"


@functools.cache
def content_class(ctype: types.ContentType) -> type[Page]:
    """A Page subclass per type (one per process), so Pelican reads <CLASS>_URL / <CLASS>_SAVE_AS for it."""
    return type(ctype.class_name, (Page,), {"default_template": ctype.template})


def read_practice(content_root: str) -> validate.Entry:
    source = os.path.join(content_root, PRACTICE_FILE)
    path = display_path(source, content_root)
    if not os.path.exists(source):
        parsed = frontmatter.Parsed(
            problems=[
                frontmatter.Problem(
                    path,
                    "file",
                    "is missing",
                    "create it with the practice's name, phone and email (see README)",
                )
            ]
        )
    else:
        with open(source, encoding="utf-8") as handle:
            parsed = frontmatter.load_yaml(handle.read(), path)
    return validate.parse(types.PRACTICE, parsed, path, "practice")


class CollectionGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items: dict[str, list[Page]] = {}
        self.practice: validate.Entry | None = None

    def generate_context(self):
        self.practice = read_practice(self.path)
        # Early for the generators that follow (the gallery allows the practice's own name in case text);
        # the whole-site step sets it again once everything is validated.
        self.context["practice"] = self.practice.record
        for ctype in types.COLLECTIONS:
            klass = content_class(ctype)
            items = []
            for path in sorted(self.get_files(ctype.folder, extensions=("md", "markdown"))):
                item = self.readers.read_file(
                    base_path=self.path, path=path, content_class=klass, context=self.context
                )
                self.add_source_path(item)
                items.append(item)
            self.items[ctype.kind] = items
        # What the other plugins read of this run's content (sitebuild.Build): the same lists.
        build = build_of(self.settings)
        build.practice = self.practice
        build.items.update(self.items)

    def generate_output(self, writer):
        relative = self.settings["RELATIVE_URLS"]
        for ctype in types.COLLECTIONS:
            template = self.get_template(ctype.template)
            # Every written item gets its page (an expired special too); listings hold only listed ones.
            for item in self.items[ctype.kind]:
                if item.status != "published":
                    continue
                writer.write_file(
                    item.save_as,
                    template,
                    self.context,
                    relative_urls=relative,
                    url=item.url,
                    page=item,
                    **{ctype.kind: item},
                )
            writer.write_file(
                types.save_as(ctype.index_url),
                self.get_template(ctype.index_template),
                self.context,
                relative_urls=relative,
                url=ctype.index_url,
                page_title=ctype.index_title,
            )
            if ctype.archive_url:
                writer.write_file(
                    types.save_as(ctype.archive_url),
                    self.get_template(ctype.archive_template),
                    self.context,
                    relative_urls=relative,
                    url=ctype.archive_url,
                    page_title=ctype.archive_title,
                )
        writer.write_file(
            "index.html", self.get_template("home"), self.context, relative_urls=relative, url=""
        )
        writer.write_file(
            "404.html", self.get_template("404"), self.context, relative_urls=False, url="404.html"
        )
        # The search page: results come from the Pagefind index, so the page itself is not indexed.
        writer.write_file(
            types.save_as(SEARCH_URL),
            self.get_template("search"),
            self.context,
            relative_urls=relative,
            url=SEARCH_URL,
            page_title="Search",
            noindex=True,
        )


def get_generators(pelican):
    return CollectionGenerator
