"""Content editor adapter: writes ``/admin/`` (Decap CMS, its generated configuration, the preview
set-up) into the build when the editor is wanted (``pipeline.editor``; settings ``EDITOR_*``).

- ``inv edit`` builds with ``EDITOR_LOCAL`` and serves the editor with its local backend;
- the public build (``publishconf.py``) writes it only with ``EDITOR_PUBLIC = True``;
- every other build (``inv build``, ``inv check``, the tests) leaves it out.

The page carries its own Content-Security-Policy (``pipeline.editor.policy``), which the tag
firewall expects on ``/admin/`` only; robots.txt turns crawlers away from it, and it is neither
in the sitemap (it is not a page Pelican writes) nor in the search index (``data-pagefind-ignore``).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import yaml
from markupsafe import escape
from pelican import signals
from pelican.generators import Generator

from pipeline.assets import fingerprint
from pipeline.editor import EditorSettings, bundle, policy
from pipeline.editor.config import Site, editor_config
from pipeline.sitepolicy.csp import with_meta

logger = logging.getLogger(__name__)
PREVIEW_STYLES = ("css/site.css", "css/offers.css")  # the theme's, in the preview pane
CHECK_URL = "/api/editor/check"  # what `inv edit` answers before a save


def configure(pelican) -> None:
    """Turn crawlers away from /admin/ (robots.txt) when this build writes it."""
    settings = pelican.settings
    if EditorSettings(settings).wanted:
        disallow = list(settings.get("SEO_ROBOTS_DISALLOW") or [])
        settings["SEO_ROBOTS_DISALLOW"] = [*disallow, policy.PATH]


def site_of(settings: dict, editor: EditorSettings) -> Site:
    """What the generated configuration needs to know about this site."""
    content = Path(settings["PATH"])
    return Site(
        content=content.name,
        article_url=settings.get("ARTICLE_URL", "blog/{slug}/"),
        page_url=settings.get("PAGE_URL", "{slug}/"),
        partner_registry=settings.get("PARTNER_REGISTRY", "partners.yml"),
        consent_ledger=settings.get("CONSENT_LEDGER", "gallery/consent.yml"),
        repo=editor.repo,
        branch=editor.branch,
        site_url=str(settings.get("SITEURL") or ""),
        oauth_url=editor.oauth_url,
        preview_context=editor.preview_context,
    )


def config_text(settings: dict, editor: EditorSettings) -> str:
    config = editor_config(site_of(settings, editor))
    head = (
        "# Generated from the content model (pipeline/content/models.py and types.py) by\n"
        "# pipeline/editor/config.py at every build that writes /admin/. Do not edit: change the model.\n"
    )
    return head + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=120)


def write_admin(output: Path, settings: dict, editor: EditorSettings) -> Path:
    """Write /admin/ into ``output``: the package's bundle, the generated configuration, the page."""
    installed = bundle.installed()  # not installed: an EditorError saying how to install it
    admin = Path(output) / policy.PATH.strip("/")
    admin.mkdir(parents=True, exist_ok=True)
    for source in bundle.shipped_files(installed.dist):
        shutil.copyfile(source, admin / source.name)
    own = {name: (bundle.OWN / name).read_bytes() for name in ("editor.js", "editor.css")}
    for name, data in own.items():
        (admin / name).write_bytes(data)
    config = config_text(settings, editor).encode()
    (admin / "config.yml").write_bytes(config)
    siteurl = str(settings.get("SITEURL") or "")
    static = settings.get("THEME_STATIC_DIR", "theme")
    theme = Path(settings["THEME"]) / "static"
    styles = " ".join(
        f"{siteurl}/{static}/{fingerprint(name, (theme / name).read_bytes())}"
        for name in PREVIEW_STYLES
        if (theme / name).is_file()
    )
    page = (bundle.OWN / "index.html").read_text(encoding="utf-8")
    values = {
        "site_name": settings.get("SITENAME", ""),
        "config_version": bundle.digest(config),
        "css_version": bundle.digest(own["editor.css"]),
        "js_version": bundle.digest(own["editor.js"]),
        "decap_version": installed.version,
        "preview_styles": styles,
        "check_url": CHECK_URL if editor.local else "",
    }
    for key, value in values.items():
        page = page.replace("{{ " + key + " }}", str(escape(value)))
    https = siteurl.startswith("https:")
    (admin / "index.html").write_text(with_meta(page, policy.editor_policy(https=https)), encoding="utf-8")
    logger.info("editor: wrote %s (Decap CMS %s)", admin, installed.version)
    return admin


class EditorGenerator(Generator):
    """Writes /admin/ before the build's checks run over the written site."""

    def generate_context(self):
        self.editor = EditorSettings(self.settings)

    def generate_output(self, writer):
        if self.editor.wanted:
            write_admin(Path(self.output_path), self.settings, self.editor)


def get_generators(pelican):
    return EditorGenerator


def register():
    signals.initialized.connect(configure)
    signals.get_generators.connect(get_generators)
