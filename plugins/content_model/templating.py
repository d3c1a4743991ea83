"""Jinja helpers the theme uses: images, fingerprinted assets and JSON-LD."""

from __future__ import annotations

import datetime
import functools
import os

from jinja2 import pass_context
from markupsafe import Markup

from pipeline import jsonld
from pipeline.assets import fingerprint
from sitebuild import build_of

FINGERPRINTED = ("css", "js")  # folders of theme/static whose files get hashed names


@functools.cache
def _asset_name(path: str, mtime: float, name: str) -> str:
    with open(path, "rb") as handle:
        return fingerprint(name, handle.read())


@functools.lru_cache(maxsize=4096)
def _date_html(day: datetime.date) -> Markup:
    return Markup(f'<time datetime="{day.isoformat()}">{day:%B} {day.day}, {day.year}</time>')


def date_html(value: datetime.date) -> Markup:
    """``<time datetime="2026-12-02">December 2, 2026</time>`` for a date or datetime (its own day,
    in its own time zone). Every list repeats the same dates, so each day is written once."""
    return _date_html(value.date() if isinstance(value, datetime.datetime) else value)


def helpers(settings: dict) -> dict:
    siteurl = settings.get("SITEURL", "")
    static_root = os.path.join(settings["THEME"], "static")
    static_dir = settings.get("THEME_STATIC_DIR", "theme")

    @functools.cache
    def asset(name: str) -> str:
        """URL of a theme asset; CSS and JS get content-hashed names (renamed at ``finalized``)."""
        path = os.path.join(static_root, name)
        if name.split("/", 1)[0] in FINGERPRINTED:
            name = _asset_name(path, os.path.getmtime(path), name)
        return f"{siteurl}/{static_dir}/{name}"

    def img(image, sizes: str = "100vw", eager: bool = False, css_class: str = "") -> Markup:
        """A <picture> of the image's AVIF/WebP/JPEG derivatives (sitebuild/images.py): srcset/sizes,
        intrinsic width/height (no layout shift), lazy unless ``eager``. Never the original file."""
        if not image:
            return Markup("")
        return Markup(build_of(settings).images.picture(image, sizes=sizes, eager=eager, css_class=css_class))

    def ld(data) -> Markup:
        if not data:
            return Markup("")
        return Markup(f'<script type="application/ld+json">{jsonld.script_body(data)}</script>')

    return {"asset": asset, "img": img, "jsonld": ld, "date_html": date_html, **reuse(_reusable(settings))}


def _reusable(settings: dict) -> bool:
    """Fragments can be shared between pages unless links are relative (they differ by page depth)."""
    return bool(settings.get("TEMPLATE_REUSE", True)) and not settings.get("RELATIVE_URLS", False)


def reuse(enabled: bool = True) -> dict:
    """``shared`` and ``memo``: render the parts every page repeats once per build, not once per page.

    Each generator gets its own pair (its own Jinja environment), so nothing outlives a build.
    What is cached must depend only on its key: the site-wide context and the values named.
    ``TEMPLATE_REUSE = False`` (or ``RELATIVE_URLS``) renders everything for every page; a test
    builds both ways and compares the bytes, so a partial that starts to depend on its page cannot
    go unnoticed.
    """
    fragments: dict = {}
    calls: dict = {}
    if not enabled:
        fragments, calls = _Forgetful(), _Forgetful()

    @pass_context
    def shared(context, template: str, **values) -> Markup:
        """``{{ shared("partials/site_footer.html", section=section) }}``: the partial rendered with the
        page's context plus ``values``, once for each distinct ``values``."""
        key = (template, *sorted(values.items()))
        html = fragments.get(key)
        if html is None:
            html = fragments[key] = Markup(
                context.environment.get_template(template).render({**context.get_all(), **values})
            )
        return html

    def memo(macro, *items, **options) -> Markup:
        """``{{ memo(card_post, post, level=2) }}``: a card macro's output for these items and options,
        computed once. Items are the site's content objects, kept alive with the entry (ids stay unique)."""
        key = (macro.name, *map(id, items), *sorted(options.items()))
        hit = calls.get(key)
        if hit is None:
            hit = calls[key] = (items, Markup(macro(*items, **options)))
        return hit[1]

    return {"shared": shared, "memo": memo}


def fingerprint_output(settings: dict) -> None:
    """Rename copied theme CSS/JS in the output to their fingerprinted names."""
    out_root = os.path.join(settings["OUTPUT_PATH"], settings.get("THEME_STATIC_DIR", "theme"))
    for folder in FINGERPRINTED:
        base = os.path.join(out_root, folder)
        if not os.path.isdir(base):
            continue
        for dirpath, _, names in os.walk(base):
            for name in names:
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, out_root).replace(os.sep, "/")
                with open(path, "rb") as handle:
                    target = os.path.join(out_root, fingerprint(rel, handle.read()))
                os.replace(path, target)


class _Forgetful(dict):
    """A cache that keeps nothing (TEMPLATE_REUSE = False)."""

    def __setitem__(self, key, value) -> None:
        pass
