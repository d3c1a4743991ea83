"""Social export plugin: ready-to-schedule posts from the site's content (``pipeline.social``).

With ``SOCIAL_EXPORT = True`` every build writes an export at ``finalized``; ``inv social`` runs
it on its own (content read and validated as ``inv check`` does, then exported). Settings (read
once when Pelican starts and checked; errors name the key; defaults in brackets):

- ``SOCIAL_EXPORT`` [False]: export on every build.
- ``SOCIAL_EXPORT_PATH`` [``<INTERNAL_PATH>/social``]: the export folder, outside ``output/``; each
  export goes to ``<day>/`` in it, next to ``state.json`` (what earlier exports held).
- ``SOCIAL_SITEURL`` [``SITEURL``]: the public site the links point to (https://...).
- ``SOCIAL_NETWORKS`` [all]: instagram, facebook, x, linkedin, gbp; ``social.networks`` narrows it per item.
- ``SOCIAL_HASHTAGS`` [()]: added to every caption; ``SOCIAL_CTA``: the call to action per kind.
- ``SOCIAL_POST_TIMES`` [("09:30", "12:30", "17:30")]: local times of the automatic slots.
- ``SOCIAL_SELECT`` ["new"]: only what earlier exports did not hold, or "all".
- ``SOCIAL_DATE_FORMAT`` ["mm/dd/yyyy"]: as chosen in Sprout's and Hootsuite's import dialogs.
- ``SOCIAL_PUBLIC_IMAGES`` [True]: every build writes the image each scheduler fetches by URL (Sprout's
  ``image_url``) to ``media/social/`` in the site, for what may be posted on its day
  (``pipeline.social.public``); the deploy uploads them.
- ``SOCIAL_IMAGE_BASE_URL`` [None]: the folder those images are public in, if not ``SITEURL/media/social``
  (``image_url`` is this address, a ``/`` and the file name).
- ``SOCIAL_PHONE_REGION`` ["US"], ``SOCIAL_IMAGE_QUALITY`` [88].
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Mapping
from pathlib import Path

from pelican import signals
from pelican.generators import ArticlesGenerator

from pipeline import dates
from pipeline.consent import load_ledger
from pipeline.content import types
from pipeline.images.cache import ImageCache, write_atomic
from pipeline.social import Candidate, Context, SocialConfig, SocialError, run_export
from pipeline.social.config import DEFAULT_POST_TIMES
from pipeline.social.images import PUBLIC_FOLDER
from pipeline.social.public import public_images
from pipeline.social.run import Result, collect, procedure_terms
from pipeline.watermark_settings import spec_for
from sitebuild import KEY, build_of

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SOCIAL_EXPORT": False,
    "SOCIAL_EXPORT_PATH": None,
    "SOCIAL_SITEURL": None,
    "SOCIAL_NETWORKS": None,
    "SOCIAL_HASHTAGS": (),
    "SOCIAL_CTA": {},
    "SOCIAL_POST_TIMES": DEFAULT_POST_TIMES,
    "SOCIAL_SELECT": "new",
    "SOCIAL_DATE_FORMAT": "mm/dd/yyyy",
    "SOCIAL_IMAGE_BASE_URL": None,
    "SOCIAL_PUBLIC_IMAGES": True,
    "SOCIAL_PHONE_REGION": "US",
    "SOCIAL_IMAGE_QUALITY": 88,
}
RESOLVED = "SOCIAL_RESOLVED"
WATERMARK_KINDS = ("post", "page", "gallery")


def read_social_settings(settings: Mapping) -> SocialConfig:
    """The ``SOCIAL_*`` settings as a checked ``SocialConfig``; raises ``SocialError`` naming the key."""
    unknown = sorted(k for k in settings if k.startswith("SOCIAL_") and k not in DEFAULTS and k != RESOLVED)
    if unknown:
        raise SocialError.setting(
            ", ".join(unknown),
            "is not a social-export setting",
            f"check the spelling; the settings are {', '.join(DEFAULTS)}",
        )
    value = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    site = value["SOCIAL_SITEURL"] or settings.get("SITEURL") or ""
    export_path = value["SOCIAL_EXPORT_PATH"] or os.path.join(
        settings.get("INTERNAL_PATH") or "internal", "social"
    )
    return SocialConfig(
        export_path=export_path,
        site_url=site if str(site).startswith(("http://", "https://")) else "",
        networks=value["SOCIAL_NETWORKS"] or SocialConfig.networks,
        hashtags=value["SOCIAL_HASHTAGS"] or (),
        post_times=value["SOCIAL_POST_TIMES"],
        select=value["SOCIAL_SELECT"],
        date_format=value["SOCIAL_DATE_FORMAT"],
        image_base_url=value["SOCIAL_IMAGE_BASE_URL"] or "",
        public_images=value["SOCIAL_PUBLIC_IMAGES"],
        cta=value["SOCIAL_CTA"] or {},
        phone_region=value["SOCIAL_PHONE_REGION"],
        quality=value["SOCIAL_IMAGE_QUALITY"],
    )


def social_settings(settings: Mapping) -> SocialConfig:
    return settings.get(RESOLVED) or read_social_settings(settings)


def configure(pelican) -> None:
    pelican.settings[RESOLVED] = read_social_settings(pelican.settings)


# -- the build's content, as candidates ------------------------------------------------------------


def _candidates(build) -> list[Candidate]:
    generators, items = build.generators, build.items
    articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
    procedure_urls = {p.slug: p.url for p in items.get("procedure", ())}
    found = []

    def add(kind: str, item, url_path: str, phase: str) -> None:
        entry = item.entry
        if entry.record is not None and not entry.problems:
            found.append(
                Candidate(kind, entry.id, entry.path, url_path, entry.record, phase, dict(entry.parsed.lines))
            )

    for post in (*articles.articles, *articles.drafts):
        if hasattr(post, "entry"):
            add("post", post, post.url, getattr(post, "phase", "draft"))
    for kind in ("special", "event"):
        for item in items.get(kind, ()):
            add(kind, item, item.url, getattr(item, "phase", "draft"))
    for case in items.get(types.GALLERY_CASE.kind, ()):
        entry = case.entry
        if entry.record is None:
            continue
        # A case on the site links to its page; one consented for social only links to its treatment.
        url_path = case.url if case.status == "published" else procedure_urls.get(entry.record.procedure, "")
        add("case", case, url_path, "published" if entry.record.status == "published" else "draft")
    return found


def _now(as_of: dt.date, tz) -> dt.datetime:
    """The real clock when exporting for today; the start of the day when previewing another day."""
    clock = dt.datetime.now(tz)
    return clock if clock.date() == as_of else dates.day_start(as_of, tz)


def _prepare(settings: Mapping, build, config: SocialConfig):
    """(candidates, context, ledger) of this build's content, as plain values."""
    candidates = _candidates(build)
    practice = build.practice.record
    tz = dates.zone(settings.get("TIMEZONE"))
    ledger = None
    ledger_file = Path(settings["PATH"]) / settings.get("CONSENT_LEDGER", "gallery/consent.yml")
    if any(c.kind == "case" for c in candidates) and ledger_file.is_file():
        ledger = load_ledger(ledger_file)
    ctx = Context(
        config=config,
        site_url=config.site_url,
        content_root=Path(settings["PATH"]),
        tz=tz,
        practice=practice,
        procedures={p.slug: p.title for p in build.items.get("procedure", ())},
        locations={loc.slug: loc.title for loc in build.items.get("location", ())},
        watermarks={kind: spec_for(settings, kind) for kind in WATERMARK_KINDS},
        disclaimer=settings.get("GALLERY_DISCLAIMER") or practice.disclaimer,
    )
    return candidates, ctx, ledger


def _cache(settings: Mapping) -> ImageCache:
    return ImageCache(settings.get("IMAGE_CACHE_PATH") or "cache/images")


def export_site(settings: Mapping, select_all: bool = False) -> Result:
    """Export the content of the build that ran on ``settings``."""
    build = build_of(settings) if settings.get(KEY) is not None else None
    if build is None or not build.generators:
        raise SocialError.setting(
            "SOCIAL_EXPORT", "found no content to export", "run the export through `inv social` or a build"
        )
    config = social_settings(settings)
    if not config.site_url:
        raise SocialError.setting(
            "SOCIAL_SITEURL",
            f"is not set and SITEURL is {settings.get('SITEURL')!r}",
            "links need the public address: set SOCIAL_SITEURL = 'https://...' "
            "(or export with publishconf.py, which sets SITEURL)",
        )
    candidates, ctx, ledger = _prepare(settings, build, config)
    procedures = build.items.get("procedure", ())
    terms = procedure_terms(
        [
            {
                "id": p.slug,
                "name": p.title,
                "body_areas": p.entry.record.body_areas,
                "devices": p.entry.record.devices,
            }
            for p in procedures
            if p.entry.record
        ],
        settings.get("INQUIRY_SENSITIVE_TERMS") or (),
    )
    as_of = settings["AS_OF_DATE"]
    return run_export(
        candidates,
        ctx,
        ledger=ledger,
        day=as_of,
        now=_now(as_of, ctx.tz),
        timezone=str(ctx.tz),
        root=Path(config.export_path),
        cache=_cache(settings),
        select_all=select_all,
        sensitive_terms=terms,
    )


def publish_images(pelican) -> None:
    """``finalized``: the images schedulers fetch, for everything that may be posted today, into media/social/."""
    settings = pelican.settings
    config = social_settings(settings)
    build = build_of(pelican)
    if not config.public_images or not build.generators:
        return
    candidates, ctx, ledger = _prepare(settings, build, config)
    items, _, _ = collect(candidates, ctx, ledger=ledger, today=settings["AS_OF_DATE"])
    output = Path(settings["OUTPUT_PATH"])
    files = public_images(items, config, _cache(settings))
    for name, data in files.items():
        write_atomic(output / name, data)
    logger.info("social: %d images for schedulers in %s/", len(files), PUBLIC_FOLDER)


def on_finalized(pelican) -> None:
    publish_images(pelican)
    if pelican.settings.get("SOCIAL_EXPORT"):
        export_site(pelican.settings)


def export_from_settings(
    settings_file: str, overrides: Mapping | None = None, select_all: bool = False
) -> Result:
    """``inv social``: read and validate the content as ``inv check`` does, then export it."""
    import runner

    settings = runner.check(settings_file, dict(overrides or {}))
    return export_site(settings, select_all=select_all)


def register():
    signals.initialized.connect(configure)
    signals.finalized.connect(on_finalized)
