"""Jinja helpers the theme uses: images, fingerprinted assets and JSON-LD."""

from __future__ import annotations

import functools
import os

from markupsafe import Markup

from pipeline import jsonld
from pipeline.assets import fingerprint
from plugins.images import site as site_images

FINGERPRINTED = ("css", "js")  # folders of theme/static whose files get hashed names


@functools.lru_cache(maxsize=None)
def _asset_name(path: str, mtime: float, name: str) -> str:
    with open(path, "rb") as handle:
        return fingerprint(name, handle.read())


def helpers(settings: dict) -> dict:
    siteurl = settings.get("SITEURL", "")
    static_root = os.path.join(settings["THEME"], "static")
    static_dir = settings.get("THEME_STATIC_DIR", "theme")

    def asset(name: str) -> str:
        """URL of a theme asset; CSS and JS get content-hashed names (renamed at ``finalized``)."""
        path = os.path.join(static_root, name)
        if name.split("/", 1)[0] in FINGERPRINTED:
            name = _asset_name(path, os.path.getmtime(path), name)
        return f"{siteurl}/{static_dir}/{name}"

    def img(image, sizes: str = "100vw", eager: bool = False, css_class: str = "") -> Markup:
        """A <picture> of the image's AVIF/WebP/JPEG derivatives (plugins/images): srcset/sizes,
        intrinsic width/height (no layout shift), lazy unless ``eager``. Never the original file."""
        if not image:
            return Markup("")
        return Markup(site_images.current(settings).picture(image, sizes=sizes, eager=eager, css_class=css_class))

    def ld(data) -> Markup:
        if not data:
            return Markup("")
        return Markup(f'<script type="application/ld+json">{jsonld.script_body(data)}</script>')

    return {"asset": asset, "img": img, "jsonld": ld}


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
