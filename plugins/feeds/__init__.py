"""Feeds adapter: Atom and RSS for the blog, each category, specials and events, and the
events' iCalendar files, written when the build has finished.

Settings: ``FEEDS_*``, declared in :class:`pipeline.feeds.FeedSettings` (docs/settings.md).
Pelican's own feed settings (FEED_*) stay off, so this is the site's one feed implementation.
The feeds are built by ``pipeline.feeds`` and ``pipeline.ics``.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from jinja2 import pass_context
from pelican import signals

from pipeline import dates, feeds, ics
from pipeline.feeds import FeedSettings
from pipeline.images.cache import write_atomic
from sitebuild import build_of

logger = logging.getLogger(__name__)

CALENDAR = "events/calendar.ics"


def configure(pelican) -> None:
    """Check the FEEDS_* settings when the build starts."""
    FeedSettings.read(pelican.settings)


def _paths(config: FeedSettings, name: str) -> tuple[str, str]:
    folder = config.folder
    return f"{folder}/{name}.atom.xml", f"{folder}/{name}.rss.xml"


@pass_context
def feed_links(ctx) -> list[tuple[str, str, str]]:
    """(title, URL, MIME type) of the feeds a page should announce with <link rel="alternate">."""
    site, name = ctx["SITEURL"], ctx["practice"].name
    out = []

    def add(title: str, key: str) -> None:
        atom, rss = _paths(build_of(ctx).feature(FeedSettings), key)
        out.append((f"{title} (Atom)", f"{site}/{atom}", "application/atom+xml"))
        out.append((f"{title} (RSS)", f"{site}/{rss}", "application/rss+xml"))

    add(f"{name}: journal", "blog")
    category = ctx.get("category")
    if category is not None and ctx.get("article") is None:
        add(f"{name}: {category.name}", f"category/{category.slug}")
    path = ctx.get("output_file") or ""
    if path.startswith("specials/") or path == "index.html":
        add(f"{name}: monthly specials", "specials")
    if path.startswith("events/"):
        add(f"{name}: events", "events")
    return out


def add_helpers(generator) -> None:
    generator.env.globals.update(feed_links=feed_links)


def _absolute(site: str, url: str) -> str:
    return f"{site}/{url}"


def _aware(value, tz) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return dates.localize(value, tz)
    return dates.day_start(value, tz)


def _post_entry(site, post, tz) -> feeds.Entry:
    url = _absolute(site, post.url)
    author = getattr(getattr(post, "linked", None), "author", None)
    return feeds.Entry(
        id=url,
        title=post.title,
        link=url,
        summary=post.summary,
        updated=_aware(getattr(post, "modified", None) or post.date, tz),
        published=_aware(post.date, tz),
        content_html=post.content,
        author=author.title if author else None,
        categories=(post.category.name, *(t.name for t in getattr(post, "tags", []))),
    )


def _special_entry(site, special, tz, currency_text) -> feeds.Entry:
    record = special.entry.record
    url = _absolute(site, special.url)
    valid = f"Valid {record.valid_from:%B %-d, %Y} through {record.valid_through:%B %-d, %Y}."
    return feeds.Entry(
        id=url,
        title=special.title,
        link=url,
        summary=f"{record.summary} {valid} {currency_text(record)} Terms: {record.terms}",
        updated=_aware(record.modified, tz) if record.modified else special.starts_at,
        published=special.starts_at,
        content_html=special.content,
        categories=tuple(p.title for p in special.linked.procedures),
        valid=(special.starts_at, special.ends_at),
    )


def _offer_text(record) -> str:
    offer = record.offer
    per = f" per {offer.per}" if offer.per else ""
    if offer.percent_off is not None:
        return (
            f"{offer.percent_off.normalize():f}% off (regular {offer.regular_price:f} {offer.currency}{per})."
        )
    return f"{offer.sale_price:f} {offer.currency}{per} (regular {offer.regular_price:f})."


def _where(event, practice) -> str:
    record = event.entry.record
    loc = event.linked.location
    if loc is not None:
        a = loc.entry.record.address
        return f"{practice.name} — {loc.title}, {a.street}, {a.city}, {a.region} {a.postal_code}"
    if record.venue is not None:
        a = record.venue.address
        return f"{record.venue.name}, {a.street}, {a.city}, {a.region} {a.postal_code}"
    return record.online_url or ""


def _announced(record, tz) -> tuple[dt.datetime, dt.datetime]:
    """When an event was announced (its ``date``) and last changed (``modified``, else the same)."""
    announced = _aware(record.date, tz)
    return announced, max(_aware(record.modified, tz), announced) if record.modified else announced


def _event_entry(site, event, tz, practice) -> feeds.Entry:
    record = event.entry.record
    url = _absolute(site, event.url)
    when = f"{record.start:%A, %B %-d, %Y, %-I:%M %p} – {record.end:%-I:%M %p %Z}"
    # Dated when it was announced and changed, never by its start: a feed entry dated in the future is
    # "implausible" to the W3C feed validator (and to readers that sort by date).
    announced, changed = _announced(record, tz)
    return feeds.Entry(
        id=url,
        title=event.title,
        link=url,
        summary=f"{when}. {_where(event, practice)}. {record.summary}",
        updated=changed,
        published=announced,
        content_html=event.content,
        categories=tuple(p.title for p in event.linked.procedures),
    )


def _calendar_event(site, event, practice, domain) -> ics.CalendarEvent:
    record = event.entry.record
    loc = event.linked.location
    geo = loc.entry.record.geo if loc is not None else None
    tz = record.start.tzinfo
    announced, changed = _announced(record, tz)
    return ics.CalendarEvent(
        uid=ics.uid(event.slug, domain),
        title=event.title,
        start=record.start,
        end=record.end,
        summary=record.summary,
        url=_absolute(site, event.url),
        location=_where(event, practice),
        organizer_name=practice.name,
        organizer_email=practice.email,
        stamp=changed,
        created=announced,
        sequence=ics.sequence(announced, changed),
        status=record.event_status,
        geo=(geo.lat, geo.lng) if geo else None,
    )


def _write(output: Path, rel: str, data: bytes) -> None:
    write_atomic(output / rel, data)


def write_feeds(pelican) -> None:
    build = build_of(pelican)
    if not build.context:
        return
    context, settings = build.context, pelican.settings
    site = settings.get("SITEURL", "")
    practice = context.get("practice")
    if practice is None:
        return
    output = Path(settings["OUTPUT_PATH"])
    tz = dates.zone(settings.get("TIMEZONE"))
    limit, lang = (
        build.feature(FeedSettings).max_items,
        settings.get("DEFAULT_LANG", "en"),
    )
    # The logo as a published derivative (sitebuild/images.py), never the original file or its name.
    icon = _absolute(site, build.images.url(practice.logo)) if practice.logo else None

    def emit(key: str, title: str, subtitle: str, page: str, entries: list, empty: dt.datetime = feeds.EPOCH):
        atom, rss = _paths(build.feature(FeedSettings), key)
        feed = feeds.Feed(
            title=title,
            subtitle=subtitle,
            link=_absolute(site, page),
            atom_url=_absolute(site, atom),
            rss_url=_absolute(site, rss),
            entries=tuple(entries),
            language=lang,
            author=practice.name,
            empty_updated=empty,
            icon=icon,
        )
        _write(output, atom, feeds.atom(feed))
        _write(output, rss, feeds.rss(feed))

    posts = context.get("articles", [])
    blog = settings.get("INDEX_SAVE_AS", "blog/index.html").removesuffix("index.html")
    emit(
        "blog",
        f"{practice.name}: journal",
        practice.description,
        blog,
        [_post_entry(site, p, tz) for p in posts[:limit]],
    )
    for category, items in context.get("categories", []):
        emit(
            f"category/{category.slug}",
            f"{practice.name}: {category.name}",
            f"Posts in {category.name}.",
            category.url,
            [_post_entry(site, p, tz) for p in items[:limit]],
        )

    specials = context.get("specials", [])
    emit(
        "specials",
        f"{practice.name}: monthly specials",
        "Current offers, with the dates they are valid.",
        "specials/",
        [_special_entry(site, s, tz, _offer_text) for s in specials],
    )

    events = context.get("events", [])
    emit(
        "events",
        f"{practice.name}: events",
        "Open houses, workshops and talks coming up.",
        "events/",
        [_event_entry(site, e, tz, practice) for e in events],
    )

    domain = practice.email.rsplit("@", 1)[-1]
    written = [*events, *context.get("past_events", [])]
    for event in written:
        _write(
            output,
            event.ics_url,
            ics.calendar([_calendar_event(site, event, practice, domain)], practice.name),
        )
    _write(
        output,
        CALENDAR,
        ics.calendar([_calendar_event(site, e, practice, domain) for e in events], f"{practice.name} events"),
    )
    logger.info(
        "feeds: blog, %d categories, specials, events; %d calendar files",
        len(context.get("categories", [])),
        len(written) + 1,
    )


def register():
    signals.initialized.connect(configure)
    signals.generator_init.connect(add_helpers)
    signals.finalized.connect(write_feeds)
