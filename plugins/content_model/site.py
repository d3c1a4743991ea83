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

from jinja2 import FileSystemBytecodeCache
from pelican.generators import ArticlesGenerator, PagesGenerator

from pipeline import crosslinks, dates, jsonld, seo, static_files
from pipeline.content import body, privacy, types, validate
from pipeline.content.errors import ContentError, Problem, problems_of
from pipeline.content.models import Image
from pipeline.sitepolicy import content as body_policy
from sitebuild import build_of
from sitebuild import images as site_images

from .generator import SEARCH_URL, CollectionGenerator

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
            raise ContentError(
                [
                    Problem(
                        "settings",
                        "AS_OF_DATE",
                        f"'{value}' is not a date",
                        "write it as YYYY-MM-DD, e.g. 2026-12-01",
                    )
                ]
            ) from None
    return dt.datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).date()


def configure(pelican) -> None:
    """Default each collection type's URL settings, fix the build's date, cache compiled templates."""
    settings = pelican.settings
    settings["AS_OF_DATE"] = as_of_date(settings)
    # The day the pages' expiry script takes as today: only for a local preview of another day.
    today = as_of_date({"TIMEZONE": settings.get("TIMEZONE")})
    shifted = settings.get("EXPIRY_FOLLOWS_AS_OF") and settings["AS_OF_DATE"] != today
    settings["EXPIRY_CLOCK_DAY"] = settings["AS_OF_DATE"].isoformat() if shifted else None
    _cache_templates(settings)
    for ctype in types.COLLECTIONS:
        prefix = ctype.setting_prefix
        settings.setdefault(f"{prefix}_URL", ctype.url)
        settings.setdefault(f"{prefix}_SAVE_AS", types.save_as(settings[f"{prefix}_URL"]))
        settings.setdefault(f"{prefix}_LANG_URL", settings[f"{prefix}_URL"])
        settings.setdefault(f"{prefix}_LANG_SAVE_AS", settings[f"{prefix}_SAVE_AS"])


def _cache_templates(settings: dict) -> None:
    """Keep the theme's compiled templates in TEMPLATE_CACHE_PATH between builds.

    Every generator has its own Jinja environment and would compile each template again, in
    every build. Jinja keys the cache on the template's source checksum, so an edited template
    is compiled afresh; what a build writes does not depend on the cache.
    """
    folder = settings.get("TEMPLATE_CACHE_PATH")
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = {
        **settings.get("JINJA_ENVIRONMENT", {}),
        "bytecode_cache": FileSystemBytecodeCache(os.path.abspath(folder)),
    }


def _content_files(root: str) -> set[str]:
    files = set()
    for folder, _, names in os.walk(root):
        for name in names:
            files.add(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return files


def _all_content(
    articles: ArticlesGenerator, pages: PagesGenerator, collections: CollectionGenerator
) -> list:
    items = [
        *articles.articles,
        *articles.translations,
        *articles.drafts,
        *articles.drafts_translations,
        *articles.hidden_articles,
        *articles.hidden_translations,
        *pages.pages,
        *pages.translations,
        *pages.hidden_pages,
        *pages.hidden_translations,
        *pages.draft_pages,
        *pages.draft_translations,
    ]
    for kind_items in collections.items.values():
        items.extend(kind_items)
    return [item for item in items if hasattr(item, "entry")]


BODY_SIZES = "(min-width: 48em) 42rem, 100vw"


def _request_body_images(images, entry) -> None:
    kind = site_images.KIND_OF.get(entry.ctype.kind, "page")
    root = images.content_root
    for image in entry.body_images:
        images.request(root / image.path, kind, use=site_images.Use(entry.path, "body", image.line))


def _withdraw(generators, contents: list, broken: set[str]) -> None:
    """Take every item of a file with a problem out of the site: out of every list and grouping the
    generators keep (posts, drafts, categories, tags, collections, gallery cases) and the shared
    context, and with it whatever refers to it, so nothing written links to what is left out."""
    gone = {id(item): item for item in contents if item.entry.path in broken}
    kept_ids: dict[str, set[str]] = {}
    for item in contents:
        if id(item) not in gone:
            kept_ids.setdefault(item.entry.ctype.kind, set()).add(item.entry.id)
    changed = bool(gone)
    while changed:  # a post by a team member who is left out is left out too
        changed = False
        for item in contents:
            record = item.entry.record
            if id(item) in gone or record is None:
                continue
            for field_name, kind in type(record).references.items():
                value = getattr(record, field_name)
                refs = value if isinstance(value, list) else [value] if value else []
                if any(ref not in kept_ids.get(kind, ()) for ref in refs):
                    gone[id(item)] = item
                    kept_ids[item.entry.ctype.kind].discard(item.entry.id)
                    changed = True
                    break
    if not gone:
        return
    containers = [vars(g) for g in generators] + [generators[0].context]
    for container in containers:
        for value in list(container.values()):
            _prune(value, gone, depth=3)
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):  # no page for a tag left without posts
            for tag in [tag for tag, posts in generator.tags.items() if not posts]:
                del generator.tags[tag]


def _prune(value, gone: dict, depth: int) -> bool:
    """Remove the ``gone`` items from ``value`` in place; True when ``value`` is left empty."""
    if depth == 0 or isinstance(value, (str, bytes)):
        return False
    if isinstance(value, list):
        kept = [
            v
            for v in value
            if id(v) not in gone and not (isinstance(v, tuple) and _prune(v, gone, depth - 1))
        ]
        if len(kept) != len(value):
            value[:] = kept
            return not kept
        return False
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], list):
        _prune(value[1], gone, depth - 1)  # (category, [posts]): its list may have been emptied before
        return not value[1]
    if isinstance(value, dict):
        for key in [k for k, v in value.items() if id(v) in gone]:
            del value[key]
        for item in value.values():
            _prune(item, gone, depth - 1)
    return False


def _in_order(items: list, ctype: types.ContentType) -> list:
    return sorted(items, key=lambda i: (*ctype.sort_key(i.entry.record), i.title.lower(), i.slug))


def finalize(generators) -> None:
    """Check every file against every rule, put what is sound on the site, leave the rest out.

    Every problem goes into the build's log (``problems_of``), which the build runner reports
    at the end, with the problems later stages find. A file with a problem is left out of the
    site (and whatever refers to it): a draft's problems are warnings, so the rest of the site
    builds; a published file's stop the build once everything has been looked at.
    """
    articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
    pages = next(g for g in generators if isinstance(g, PagesGenerator))
    collections = next((g for g in generators if isinstance(g, CollectionGenerator)), None)
    if collections is None:
        return
    settings = collections.settings
    log = problems_of(settings)
    contents = _all_content(articles, pages, collections)
    # Other plugins' generators (the gallery) hand over their items to be checked the same way, on
    # the build (sitebuild.Build.items), under the kinds Pelican and the collections do not read.
    own = {"article", "page", *collections.items}
    contents += [i for kind, found in build_of(settings).items.items() if kind not in own for i in found]
    entries = [c.entry for c in contents] + [collections.practice]
    log.drafts.update(e.path for e in entries if e.draft)
    files = _content_files(collections.path)
    log.add(p for e in entries for p in e.problems)
    log.add(validate.check_site(entries, files, os.path.basename(os.path.normpath(collections.path))))
    for item in contents:
        log.add(body.check(item.entry.path, item.entry.body_images, files, types.GALLERY_CASE.folder))
        log.add(
            static_files.link_problems(
                item.entry.path,
                item.entry.body_links,
                files,
                settings.get("STATIC_FILE_TYPES") or static_files.DEFAULT_TYPES,
            )
        )
        log.add(_body_problems(item, settings.get("SITEURL") or ""))
    log.add(_privacy(collections, entries))
    # Every image the content names goes through the image pipeline (plugins/images), processed
    # now, so a photo that cannot be used is one more problem of the files that use it.
    images = build_of(settings).images
    sound = [e for e in entries if e.path not in log.files()]
    log.add(images.collect(sound))
    bodies = {e.path for e in sound}
    for item in contents:
        if item.entry.path in bodies:
            _request_body_images(images, item.entry)
    images.process()
    log.add(images.problems())
    if collections.practice.path in log.files():
        log.raise_if_errors()  # every page shows the practice: nothing can be built without it
    _withdraw(generators, contents, log.files())
    for item in contents:
        entry = item.entry
        if entry.body_images and getattr(item, "_content", None) and entry.path not in log.files():
            item._content = body.replace_tokens(
                item._content,
                [
                    images.picture(Image(src=image.path, alt=image.alt), sizes=BODY_SIZES)
                    for image in entry.body_images
                ],
            )

    context = collections.context
    tz = dates.zone(context.get("TIMEZONE"))
    # Written: every page the build makes (an expired special too). Listed: what listings show.
    published = {
        kind: _in_order([i for i in items if i.status == "published"], types.BY_KIND[kind])
        for kind, items in collections.items.items()
    }
    for ctype in types.COLLECTIONS:
        listed = [i for i in published[ctype.kind] if i.listed]
        if ctype.archive_phase:
            context[f"{ctype.archive_phase}_{ctype.folder}"] = [
                i for i in reversed(listed) if i.phase == ctype.archive_phase
            ]
            listed = [i for i in listed if i.phase != ctype.archive_phase]
        context[ctype.folder] = listed
    context["practice"] = collections.practice.record
    _dated(published, tz)
    _link(context, articles.articles, published)
    _add_jsonld(context, articles.articles, published)
    pages_made = [*articles.articles, *pages.pages, *(i for items in published.values() for i in items)]
    for item in pages_made:
        item.indexable = item.content_status == "published" and getattr(item, "listed", True)
    context["redirects"] = _redirects(pages_made, articles, context, log)
    scheduled = [a.slug for a in articles.drafts if getattr(a, "content_status", "") == "scheduled"]
    if scheduled:
        logger.info(
            "content: %d post(s) scheduled after %s: %s",
            len(scheduled),
            context["AS_OF_DATE"],
            ", ".join(sorted(scheduled)),
        )


def _privacy(collections: CollectionGenerator, entries: list) -> list[Problem]:
    """What the publish guard would refuse, as content problems: personal data in the files to be
    published, and links in the content and theme folders.
    Sets PRACTICE_CONTACTS (the practice's own, from the content just read) for the deploy."""
    settings = collections.settings
    locations = [i.entry.record for i in collections.items.get("location", ()) if i.entry.record is not None]
    own = privacy.contacts_of(collections.practice.record, locations, settings.get("PUBLISH_GUARD_ALLOW"))
    settings["PRACTICE_CONTACTS"] = {"emails": sorted(own.emails), "phones": sorted(own.phones)}
    # A draft's findings are warnings, as every other problem of a draft (the build's problem log).
    problems = [p for entry in entries for p in privacy.personal_data_problems(entry, own)]
    project = os.path.dirname(os.path.abspath(collections.path))
    problems += privacy.link_problems(collections.path, project)
    theme = settings.get("THEME")
    if theme and os.path.isdir(theme):
        problems += privacy.link_problems(theme, os.path.dirname(os.path.abspath(theme)))
    return problems


def _body_problems(item, siteurl: str) -> list[Problem]:
    """What the body's HTML holds that the content allow-list refuses, with Markdown line numbers."""
    markup = getattr(item, "_content", "") or ""
    page = (siteurl.rstrip("/") or "https://first-party.invalid") + "/"
    if not body_policy.check(item.entry.path, markup, page_url=page):
        return []
    parsed = item.entry.parsed
    return body_policy.check(item.entry.path, markup, parsed.body, parsed.body_line or 1, page)


def _dated(published: dict, tz) -> None:
    """Times templates need: an offer's first and last second, an event's .ics file."""
    for special in published["special"]:
        record = special.entry.record
        special.starts_at = dates.day_start(record.valid_from, tz)
        special.ends_at = dates.day_end(record.valid_through, tz)
        special.valid_through_iso = dates.iso(special.ends_at)  # for the between-builds expiry script
    for event in published["event"]:
        record = event.entry.record
        event.ends_iso = dates.iso(record.end)
        event.when_text = dates.span_text(record.start, record.end)
        event.ics_url = f"{event.url}{event.slug}.ics"
        # The RSVP hook: the inquiry form (inquiry-tracking issue) renders when this is true.
        event.rsvp_open = record.rsvp and event.phase == "upcoming" and record.event_status != "cancelled"


def _redirects(items: list, articles, context: dict, log) -> dict[str, str]:
    """The site's one redirect map, checked against its pages; a clash is a problem of the files."""
    declared = [
        seo.Declared(
            item.entry.path,
            f"redirect_from.{i}",
            item.entry.parsed.line_of(f"redirect_from.{i}"),
            source,
            "/" + item.url,
        )
        for item in items
        for i, source in enumerate(item.entry.record.redirect_from)
    ]
    pages = {"/" + item.url for item in items} | {"/", "/404.html", "/" + SEARCH_URL}
    pages |= {"/" + t.index_url for t in types.COLLECTIONS} | {
        "/" + t.archive_url for t in types.COLLECTIONS if t.archive_url
    }
    for grouping in (articles.categories, articles.tags):  # Pelican keeps one as pairs, one as a dict
        pages |= {"/" + key.url for key in (dict(grouping) if not isinstance(grouping, dict) else grouping)}
    for name in ("INDEX_SAVE_AS", "ARCHIVES_SAVE_AS", "TAGS_SAVE_AS", "CATEGORIES_SAVE_AS"):
        if context.get(name):
            pages.add("/" + types.url_of(context[name]))
    redirects, problems = seo.redirect_map(declared, pages)
    log.add(problems)
    return redirects


def _link(context: dict, posts: list, published: dict) -> None:
    procedures, team, locations = published["procedure"], published["team"], published["location"]
    specials, events = context["specials"], context["events"]
    links = crosslinks.compute(
        posts=[(p.slug, p.entry.record.author, p.entry.record.procedures) for p in posts],
        team=[(m.slug, m.entry.record.procedures, m.entry.record.locations) for m in team],
        procedures=[(p.slug, p.entry.record.related) for p in procedures],
        specials=[(s.slug, s.entry.record.procedures) for s in specials],
        events=[(e.slug, e.entry.record.procedures) for e in events],
    )
    by_id = {
        "post": {p.slug: p for p in posts},
        "procedure": {p.slug: p for p in procedures},
        "team": {m.slug: m for m in team},
        "location": {loc.slug: loc for loc in locations},
        "special": {s.slug: s for s in published["special"]},
        "event": {e.slug: e for e in published["event"]},
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
            specials=objects("special", links.procedure_specials[pid]),
            events=objects("event", links.procedure_events[pid]),
            # Published before/after cases (plugins/gallery puts them in the context when it reads them).
            cases=[c for c in context.get("gallery_cases", ()) if c.procedure == pid],
        )
    for member in team:
        member.is_physician = member.entry.record.is_physician
        member.linked = SimpleNamespace(
            procedures=objects(
                "procedure", [p.slug for p in procedures if p.slug in member.entry.record.procedures]
            ),
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
    for special in published["special"]:
        record = special.entry.record
        special.linked = SimpleNamespace(
            procedures=objects("procedure", record.procedures),
            # No locations listed: the offer stands at every clinic.
            locations=objects("location", record.locations) if record.locations else list(locations),
        )
    for event in published["event"]:
        record = event.entry.record
        event.linked = SimpleNamespace(
            location=by_id["location"].get(record.location) if record.location else None,
            hosts=objects("team", record.hosts),
            procedures=objects("procedure", record.procedures),
        )
    context["featured_procedures"] = [p for p in procedures if p.featured] or procedures[:6]


def absolute(context: dict, url: str) -> str:
    return f"{context.get('SITEURL', '')}/{url}"


def _image_url(context: dict, image) -> str | None:
    # A published derivative (the ~1200 px JPEG), never the original file (see sitebuild/images.py).
    return absolute(context, build_of(context).images.url(image)) if image else None


def _add_jsonld(context: dict, posts: list, published: dict) -> None:
    practice = context["practice"]
    tz = dates.zone(context.get("TIMEZONE"))
    procedures, team, locations = published["procedure"], published["team"], published["location"]
    home = absolute(context, "")
    practice_id = home + "#practice"
    clinic_id = {loc.slug: absolute(context, loc.url) + "#clinic" for loc in locations}

    def services(items) -> list[dict]:
        return [jsonld.service(p.title, absolute(context, p.url)) for p in items]

    clinics = [
        jsonld.clinic(
            loc.entry.record,
            practice,
            clinic_id[loc.slug],
            absolute(context, loc.url),
            practice_id,
            services(loc.linked.procedures),
        )
        for loc in locations
    ]
    practice_node = jsonld.practice_node(
        practice,
        practice_id,
        home,
        _image_url(context, practice.logo),
        list(clinic_id.values()),
        services(procedures),
    )
    context["site_jsonld"] = jsonld.graph([practice_node, *clinics])
    for loc, node in zip(locations, clinics, strict=False):
        loc.jsonld = jsonld.graph([node])
    people = {}
    addresses = {loc.slug: jsonld.postal_address(loc.entry.record) for loc in locations}
    for member in team:
        record = member.entry.record
        url = absolute(context, member.url)
        knows = [
            {"@id": absolute(context, p.url) + "#procedure", "name": p.title}
            for p in getattr(member.linked, "procedures", ())
        ]
        main = next((addresses[i] for i in record.locations if i in addresses), None)
        people[member.slug] = jsonld.person(
            record,
            url + "#person",
            url,
            _image_url(context, record.photo),
            practice_id,
            [clinic_id[i] for i in record.locations if i in clinic_id],
            knows_about=knows,
            address=main,
        )
        member.jsonld = jsonld.graph([people[member.slug]])
    for procedure in procedures:
        procedure.jsonld = jsonld.graph(
            [
                jsonld.procedure(
                    procedure.entry.record,
                    absolute(context, procedure.url),
                    _image_url(context, procedure.entry.record.image),
                )
            ]
        )
    for special in published["special"]:
        record = special.entry.record
        eligible = [
            {"@id": clinic_id[loc.slug], "address": jsonld.postal_address(loc.entry.record)}
            for loc in special.linked.locations
            if loc.slug in clinic_id
        ]
        offered = [
            jsonld.offered_service(p.title, absolute(context, p.url), practice_id)
            for p in special.linked.procedures
        ]
        special.jsonld = jsonld.graph(
            [
                jsonld.offer(
                    record,
                    absolute(context, special.url),
                    _image_url(context, record.image),
                    special.starts_at,
                    special.ends_at,
                    offered,
                    practice_id,
                    eligible,
                )
            ]
        )
    organizer = {"@type": "MedicalOrganization", "@id": practice_id, "name": practice.name, "url": home}
    for event in published["event"]:
        record = event.entry.record
        loc = event.linked.location
        if loc is not None:
            place = jsonld.place(
                f"{practice.name} — {loc.title}",
                jsonld.postal_address(loc.entry.record),
                clinic_id.get(loc.slug),
                "MedicalClinic",
            )
        elif record.venue is not None:
            place = jsonld.place(record.venue.name, jsonld.postal_address(record.venue))
        else:
            place = None
        hosts = [
            {"@type": people[m.slug]["@type"], "@id": people[m.slug]["@id"], "name": m.title}
            for m in event.linked.hosts
            if m.slug in people
        ]
        about = [
            {"@id": absolute(context, p.url) + "#procedure", "name": p.title} for p in event.linked.procedures
        ]
        announced = (
            dates.localize(record.date, tz)
            if isinstance(record.date, dt.datetime)
            else dates.day_start(record.date, tz)
        )
        event.jsonld = jsonld.graph(
            [
                jsonld.event(
                    record,
                    absolute(context, event.url),
                    _image_url(context, record.image),
                    place,
                    organizer,
                    hosts,
                    about,
                    practice.currency or "USD",
                    announced,
                )
            ]
        )
    for post in posts:
        record = post.entry.record
        author = people.get(record.author)
        author_ref = {
            "@type": author["@type"],
            "@id": author["@id"],
            "name": author["name"],
            "url": author["url"],
        }
        about = [
            {"@id": absolute(context, p.url) + "#procedure", "name": p.title} for p in post.linked.procedures
        ]
        post.jsonld = jsonld.graph(
            [
                jsonld.blog_posting(
                    record,
                    absolute(context, post.url),
                    _image_url(context, record.cover),
                    author_ref,
                    practice_id,
                    post.date,
                    getattr(post, "modified", None),
                    about,
                )
            ]
        )


def practice_contacts(settings: dict) -> dict:
    """The practice's own emails and phones (the publish guard allows these on pages)."""
    from pipeline.content import frontmatter

    from .generator import read_practice

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
