"""The whole-site step: validate everything, then compute cross-links and JSON-LD.

Runs on ``all_generators_finalized``, after every file is read and before anything is
written, so one bad file stops the build with every problem listed and no output.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from pelican.generators import ArticlesGenerator, PagesGenerator

from pipeline import crosslinks, jsonld
from pipeline.content import types, validate
from pipeline.content.errors import ContentError, Problem

from .generator import CollectionGenerator

logger = logging.getLogger(__name__)


def as_of_date(settings: dict) -> dt.date:
    """The day the site is built for: AS_OF_DATE, or today in the practice's time zone."""
    value = settings.get("AS_OF_DATE")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value:
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ContentError([Problem("settings", "AS_OF_DATE", f"'{value}' is not a date",
                                        "write it as YYYY-MM-DD, e.g. 2026-12-01")]) from None
    return dt.datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).date()


def configure(pelican) -> None:
    """Default each collection type's URL settings and fix the build's date."""
    settings = pelican.settings
    settings["AS_OF_DATE"] = as_of_date(settings)
    for ctype in types.COLLECTIONS:
        prefix = ctype.setting_prefix
        settings.setdefault(f"{prefix}_URL", ctype.url)
        settings.setdefault(f"{prefix}_SAVE_AS", types.save_as(settings[f"{prefix}_URL"]))
        settings.setdefault(f"{prefix}_LANG_URL", settings[f"{prefix}_URL"])
        settings.setdefault(f"{prefix}_LANG_SAVE_AS", settings[f"{prefix}_SAVE_AS"])


def _content_files(root: str) -> set[str]:
    files = set()
    for folder, _, names in os.walk(root):
        for name in names:
            files.add(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return files


def _all_content(articles: ArticlesGenerator, pages: PagesGenerator, collections: CollectionGenerator) -> list:
    items = [*articles.articles, *articles.translations, *articles.drafts, *articles.drafts_translations,
             *articles.hidden_articles, *articles.hidden_translations,
             *pages.pages, *pages.translations, *pages.hidden_pages, *pages.hidden_translations,
             *pages.draft_pages, *pages.draft_translations]
    for kind_items in collections.items.values():
        items.extend(kind_items)
    return [item for item in items if hasattr(item, "entry")]


def _by_order(items: list) -> list:
    return sorted(items, key=lambda i: (i.order, i.title.lower(), i.slug))


def finalize(generators) -> None:
    articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
    pages = next(g for g in generators if isinstance(g, PagesGenerator))
    collections = next((g for g in generators if isinstance(g, CollectionGenerator)), None)
    if collections is None:
        return
    contents = _all_content(articles, pages, collections)
    entries = [c.entry for c in contents] + [collections.practice]
    problems = [p for e in entries for p in e.problems]
    problems += validate.check_site(entries, _content_files(collections.path),
                                    os.path.basename(os.path.normpath(collections.path)))
    if problems:
        raise ContentError(problems)

    context = collections.context
    published = {kind: _by_order([i for i in items if i.status == "published"])
                 for kind, items in collections.items.items()}
    for ctype in types.COLLECTIONS:
        context[ctype.folder] = published[ctype.kind]
    context["practice"] = collections.practice.record
    _link(context, articles.articles, published)
    _add_jsonld(context, articles.articles, published)
    scheduled = [a.slug for a in articles.drafts if getattr(a, "content_status", "") == "scheduled"]
    if scheduled:
        logger.info("content: %d post(s) scheduled after %s: %s", len(scheduled), context["AS_OF_DATE"],
                    ", ".join(sorted(scheduled)))


def _link(context: dict, posts: list, published: dict) -> None:
    procedures, team, locations = published["procedure"], published["team"], published["location"]
    links = crosslinks.compute(
        posts=[(p.slug, p.entry.record.author, p.entry.record.procedures) for p in posts],
        team=[(m.slug, m.entry.record.procedures, m.entry.record.locations) for m in team],
        procedures=[(p.slug, p.entry.record.related) for p in procedures],
    )
    by_id = {
        "post": {p.slug: p for p in posts},
        "procedure": {p.slug: p for p in procedures},
        "team": {m.slug: m for m in team},
        "location": {loc.slug: loc for loc in locations},
    }

    def objects(kind: str, ids) -> list:
        return [by_id[kind][i] for i in ids if i in by_id[kind]]

    for procedure in procedures:
        pid = procedure.slug
        procedure.linked = SimpleNamespace(
            posts=objects("post", links.procedure_posts[pid]),
            providers=objects("team", links.procedure_providers[pid]),
            related=objects("procedure", links.procedure_related[pid]),
            locations=objects("location", links.procedure_locations[pid]),
        )
    for member in team:
        member.linked = SimpleNamespace(
            procedures=objects("procedure", [p.slug for p in procedures if p.slug in member.entry.record.procedures]),
            locations=objects("location", member.entry.record.locations),
            posts=objects("post", links.member_posts[member.slug]),
        )
    for location in locations:
        location.linked = SimpleNamespace(
            team=objects("team", links.location_team.get(location.slug, [])),
            procedures=objects("procedure", links.location_procedures.get(location.slug, [])),
        )
    for post in posts:
        post.linked = SimpleNamespace(
            author=by_id["team"].get(post.entry.record.author),
            procedures=objects("procedure", post.entry.record.procedures),
        )
    context["featured_procedures"] = [p for p in procedures if p.featured] or procedures[:6]


def absolute(context: dict, url: str) -> str:
    return f"{context.get('SITEURL', '')}/{url}"


def _image_url(context: dict, image) -> str | None:
    return absolute(context, image.src) if image else None


def _add_jsonld(context: dict, posts: list, published: dict) -> None:
    practice = context["practice"]
    procedures, team, locations = published["procedure"], published["team"], published["location"]
    home = absolute(context, "")
    practice_id = home + "#practice"
    clinic_id = {loc.slug: absolute(context, loc.url) + "#clinic" for loc in locations}

    def services(items) -> list[dict]:
        return [jsonld.service(p.title, absolute(context, p.url)) for p in items]

    clinics = [jsonld.clinic(loc.entry.record, practice, clinic_id[loc.slug], absolute(context, loc.url),
                             practice_id, services(loc.linked.procedures)) for loc in locations]
    practice_node = jsonld.practice_node(practice, practice_id, home, _image_url(context, practice.logo),
                                         list(clinic_id.values()), services(procedures))
    context["site_jsonld"] = jsonld.graph([practice_node, *clinics])
    for loc, node in zip(locations, clinics):
        loc.jsonld = jsonld.graph([node])
    people = {}
    for member in team:
        record = member.entry.record
        url = absolute(context, member.url)
        people[member.slug] = jsonld.person(record, url + "#person", url, _image_url(context, record.photo),
                                            practice_id, [clinic_id[i] for i in record.locations if i in clinic_id])
        member.jsonld = jsonld.graph([people[member.slug]])
    for procedure in procedures:
        procedure.jsonld = jsonld.graph([jsonld.procedure(procedure.entry.record, absolute(context, procedure.url),
                                                          _image_url(context, procedure.entry.record.image))])
    for post in posts:
        record = post.entry.record
        author = people.get(record.author)
        author_ref = {"@type": author["@type"], "@id": author["@id"], "name": author["name"], "url": author["url"]}
        about = [{"@id": absolute(context, p.url) + "#procedure", "name": p.title} for p in post.linked.procedures]
        post.jsonld = jsonld.graph([jsonld.blog_posting(
            record, absolute(context, post.url), _image_url(context, record.cover), author_ref, practice_id,
            post.date, getattr(post, "modified", None), about)])


def practice_contacts(settings: dict) -> dict:
    """The practice's own emails and phones (the publish guard allows these on pages)."""
    from .generator import read_practice
    from pipeline.content import frontmatter

    root = settings["PATH"]
    emails, phones = [], []
    practice = read_practice(root).record
    if practice:
        emails.append(practice.email)
        phones.append(practice.phone)
    folder = os.path.join(root, types.LOCATION.folder)
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if name.endswith(".md"):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                data = frontmatter.split(handle.read(), name).data
            if data.get("phone"):
                phones.append(str(data["phone"]))
            if data.get("email"):
                emails.append(str(data["email"]))
    return {"emails": sorted(set(emails)), "phones": sorted(set(phones))}
