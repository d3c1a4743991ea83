"""SEO adapter: sitemap.xml, robots.txt, 1200×630 link-preview images, the redirect map, and
the template helpers behind the <head>'s Open Graph / Twitter tags and the breadcrumbs.

Settings: ``SEO_*``, declared in :class:`pipeline.seo.SeoSettings` (docs/settings.md);
``INTERNAL_PATH`` ["internal"]: where ``redirects.json`` goes (never the site output).

The rules are in ``pipeline.seo`` and ``pipeline.crop``; this module connects them to Pelican.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import SimpleNamespace

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

from pipeline import crop, jsonld, seo
from pipeline.content import types
from pipeline.images import default_workers
from pipeline.images.cache import ImageCache, write_atomic
from pipeline.social.images import PUBLIC_FOLDER
from sitebuild import KEY, build_of

logger = logging.getLogger(__name__)

SITEMAP, ROBOTS, REDIRECTS = "sitemap.xml", "robots.txt", "redirects.json"
# How search results label each kind of page (Pagefind's "kind" metadata).
SEARCH_KINDS = {
    "post": "Journal",
    "procedure": "Treatment",
    "team": "Our team",
    "location": "Clinic",
    "special": "Special offer",
    "event": "Event",
    "page": "Page",
    "case": "Before & after",
}


class _Run:
    """What one Pelican run collects for the files written at the end (``build.state(_Run)``)."""

    def __init__(self, build):
        self.settings = build.settings
        self.config = build.feature(seo.SeoSettings)
        self.pages: list[seo.SitemapEntry] = []
        self.cards: dict[str, tuple[str, tuple | None, str]] = {}  # name -> (source, focus, fit)
        self.digests: dict[tuple, str] = {}
        self.card_names: dict[tuple, str | None] = {}  # (src, focus, fit) -> card name
        self.meta: dict[tuple, SimpleNamespace] = {}  # (output_file, item id) -> page_meta()


def _run(where) -> _Run:
    """This run's SEO state, from a signal's argument or a template's context."""
    return build_of(where).state(_Run)


def configure(pelican) -> None:
    """Check the SEO_* settings when the build starts."""
    seo.SeoSettings.read(pelican.settings)


def _digest(run: _Run, path: str) -> str:
    stat = os.stat(path)
    key = (path, stat.st_size, stat.st_mtime_ns)
    if key not in run.digests:
        with open(path, "rb") as handle:
            run.digests[key] = hashlib.sha256(handle.read()).hexdigest()
    return run.digests[key]


def _card(run: _Run, image, fit: str) -> str | None:
    """The link-preview card's site path for a content image (rendered at the end of the build)."""
    focus = tuple(image.focus) if getattr(image, "focus", None) else None
    seen = (image.src, focus, fit)  # many pages share one image (a post's cover, the logo)
    if seen in run.card_names:
        return run.card_names[seen]
    source = os.path.join(run.settings["PATH"], image.src)
    name = None
    if os.path.isfile(source):
        background = tuple(run.config.card_background)
        key = crop.card_key(_digest(run, source), crop.OG_SIZE, focus, fit, background, crop.OG_QUALITY)
        name = crop.card_name(key, crop.OG_SIZE)
        run.cards[name] = (source, focus, fit)
    run.card_names[seen] = name
    return name


def _main_image(item):
    record = getattr(getattr(item, "entry", None), "record", None)
    for field in getattr(type(record), "images", ()):
        image = getattr(record, field, None)
        if image is not None:
            return image
    return None


def _share_image(ctx, item) -> SimpleNamespace | None:
    run = _run(ctx)
    image, fit = _main_image(item), "cover"
    if image is None and run.config.default_image:
        image = SimpleNamespace(src=run.config.default_image, alt=ctx["practice"].name, focus=None)
    if image is None and ctx.get("practice") is not None and ctx["practice"].logo:
        image, fit = ctx["practice"].logo, "contain"
    name = _card(run, image, fit) if image is not None else None
    if name is None:
        return None
    return SimpleNamespace(
        url=f"{ctx['SITEURL']}/{name}",
        width=crop.OG_SIZE[0],
        height=crop.OG_SIZE[1],
        alt=image.alt,
        type="image/jpeg",
    )


def _kind(item) -> str:
    ctype = getattr(getattr(item, "entry", None), "ctype", None)
    return ctype.kind if ctype is not None else getattr(item, "kind", "")


@pass_context
def page_meta(ctx) -> SimpleNamespace:
    """What the <head> says about the page being rendered: canonical URL, card image, type.

    A page asks several times (head, search attributes, breadcrumbs); it is worked out once."""
    item = ctx.get("article") or ctx.get("page")
    key = (ctx.get("output_file"), id(item), bool(ctx.get("noindex")))
    run = _run(ctx)
    if key not in run.meta:
        run.meta[key] = _page_meta(ctx, item)
    return run.meta[key]


def _page_meta(ctx, item) -> SimpleNamespace:
    canonical = f"{ctx['SITEURL']}/{types.url_of(ctx.get('output_file') or '')}"
    is_post = ctx.get("article") is not None
    return SimpleNamespace(
        canonical=canonical,
        og_type="article" if is_post else "website",
        image=_share_image(ctx, item),
        twitter_site=_run(ctx).config.twitter_site,
        published=getattr(item, "date", None) if is_post else None,
        modified=getattr(item, "modified", None) if is_post else None,
        indexable=bool(getattr(item, "indexable", True)) and not ctx.get("noindex"),
        # Search indexes item pages that are published and listed: never drafts or expired specials.
        searchable=item is not None and bool(getattr(item, "indexable", False)),
        search_kind=SEARCH_KINDS.get(_kind(item), "Page"),
    )


@pass_context
def breadcrumb_jsonld(ctx, trail) -> Markup:
    """BreadcrumbList JSON-LD for the trail a template shows: [(label, link or None for this page)]."""
    meta = page_meta(ctx)
    crumbs = seo.breadcrumb_trail(
        [(str(label), link and str(link)) for label, link in trail], f"{ctx['SITEURL']}/", meta.canonical
    )
    data = {"@context": jsonld.CONTEXT, **jsonld.breadcrumb_list(crumbs)}
    return Markup(f'<script type="application/ld+json">{jsonld.script_body(data)}</script>')


def add_helpers(generator) -> None:
    generator.env.globals.update(page_meta=page_meta, breadcrumb_jsonld=breadcrumb_jsonld)


def collect_page(path: str, context: dict) -> None:
    """Every HTML page written that search engines should see, with the day it last changed."""
    build = context.get(KEY)
    if build is None or not path.endswith(".html"):
        return
    run = build.state(_Run)
    rel = os.path.relpath(path, run.settings["OUTPUT_PATH"]).replace(os.sep, "/")
    item = context.get("article") or context.get("page")
    if rel == "404.html" or rel.startswith("drafts/") or context.get("noindex"):
        return
    if item is not None and not getattr(item, "indexable", False):
        return
    with open(path, encoding="utf-8") as handle:
        if seo.says_noindex(
            handle.read(16384)
        ):  # the page itself is the last word (e.g. a template's robots block)
            return
    if item is not None:
        record = getattr(getattr(item, "entry", None), "record", None)
        lastmod = seo.last_changed(
            getattr(record, "modified", None),
            getattr(item, "date", None),
            getattr(record, "valid_from", None),
        )
    else:
        listed = getattr(context.get("articles_page"), "object_list", None) or []
        lastmod = max(
            (seo.last_changed(a.modified if hasattr(a, "modified") else None, a.date) for a in listed),
            default=None,
        )
    run.pages.append(seo.SitemapEntry(f"{context['SITEURL']}/{types.url_of(rel)}", lastmod))


def _output_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def write_files(pelican) -> None:
    """sitemap.xml, robots.txt and the cards into the site; redirects.json into INTERNAL_PATH."""
    build = build_of(pelican)
    run = build.state(_Run)
    settings = pelican.settings
    output = Path(settings["OUTPUT_PATH"])
    siteurl = settings.get("SITEURL", "")
    # No indexable page (a local build or a preview marks every page noindex): no sitemap, since an
    # empty <urlset/> breaks the sitemaps.org schema, which wants at least one <url>.
    if run.pages:
        write_atomic(output / SITEMAP, seo.sitemap_xml(run.pages))
    sitemap_url = f"{siteurl}/{SITEMAP}" if siteurl.startswith("http") and run.pages else None
    # The images schedulers fetch (plugins/social_export) are public but no page of the site.
    disallow = (f"/{PUBLIC_FOLDER}/", *run.config.robots_disallow)  # e.g. the editor's /admin/
    robots = seo.robots_txt(run.config.indexable, sitemap_url, disallow)
    write_atomic(output / ROBOTS, robots.encode())
    _write_cards(run, output, settings)
    redirects = (build.context or {}).get("redirects", {})
    clashes = seo.shadowed(redirects, _output_files(output))
    if clashes:
        raise seo.SeoError(
            "These redirect_from addresses are pages the build makes: "
            + ", ".join(clashes)
            + " — remove them from redirect_from (a redirect would hide the page)."
        )
    internal = Path(settings.get("INTERNAL_PATH") or "internal")
    body = json.dumps(redirects, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomic(internal / REDIRECTS, body.encode("utf-8"))
    logger.info(
        "seo: %d sitemap URLs, %d cards, %d redirects", len(run.pages), len(run.cards), len(redirects)
    )


def _render(job: tuple) -> tuple[str, bytes]:
    key, source, focus, fit, background = job
    data = crop.render_card(
        Path(source).read_bytes(), os.path.relpath(source), crop.OG_SIZE, focus, fit, background
    )
    return key, data


def _write_cards(run: _Run, output: Path, settings: dict) -> None:
    """Render the cards the cache lacks (in parallel when there are many), then copy all into the site."""
    cache = ImageCache(settings.get("IMAGE_CACHE_PATH") or "cache/images")
    background = tuple(run.config.card_background)
    cards = {
        name.rsplit("/", 1)[1].split("-", 1)[0]: (name, source, focus, fit)
        for name, (source, focus, fit) in sorted(run.cards.items())
    }
    missing = [
        (key, source, focus, fit, background)
        for key, (_, source, focus, fit) in cards.items()
        if not cache.has_object(key, ".jpg")
    ]
    workers = min(len(missing) // 8, settings.get("IMAGE_WORKERS") or default_workers())
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            rendered = pool.map(_render, missing)
            for key, data in _progress(rendered, len(missing)):
                cache.put_object(key, ".jpg", data)
    else:
        for key, data in map(_render, missing):
            cache.put_object(key, ".jpg", data)
    for key, (name, *_rest) in cards.items():
        write_atomic(output / name, cache.object_path(key, ".jpg").read_bytes())


def _progress(items, total: int):
    """A rich progress bar on stderr for a long run of cards."""
    from rich.console import Console
    from rich.progress import track

    return track(items, total=total, description="link-preview cards", console=Console(stderr=True))


def register():
    signals.initialized.connect(configure)
    signals.generator_init.connect(add_helpers)
    signals.content_written.connect(collect_page)
    signals.finalized.connect(write_files)
