"""The build side of inquiries: template helpers, the thank-you page, forms written from
Markdown, the Content-Security-Policy of each page, the tag firewall and the tracking manifest.

Pelican calls these receivers in this order: :func:`configure` (settings checked, declared
first-party hosts named in a warning), :func:`add_helpers` (each generator's Jinja gets
``inquiry`` and the ``security_policy`` filter), :func:`collect` (every ``[[inquiry-form]]``
line checked against the content, also by ``inv check``), :class:`ThankYouGenerator` (writes
the thank-you page and the script), :func:`note_page` (which content file each page comes
from; the page handed to the background scan), :func:`finish` (Markdown forms rendered,
every page and theme file scanned, manifest and security headers written, firewall enforced).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from jinja2 import TemplateNotFound
from markupsafe import Markup, escape
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator

from pipeline.assets import fingerprint
from pipeline.content import form_marker as markers
from pipeline.content import types
from pipeline.content.errors import Problem, problems_of
from pipeline.editor.policy import editor_pages
from pipeline.files import write_atomic
from pipeline.inquiry import InquiryError
from pipeline.inquiry import fields as F
from pipeline.sitepolicy import csp, firewall, html, tracking
from pipeline.sitepolicy.background import BackgroundScans, needs_rewrite
from pipeline.sitepolicy.firewall import Policy, TagFirewallError
from sitebuild import KEY, build_of

from . import markdown as form_markdown
from .settings import InquirySettings, read_settings

logger = logging.getLogger(__name__)
# Hosts declared as the site's own are named on every build: Pelican's logger drops a warning it
# has shown once in the process (its LimitFilter), which would silence `inv livereload`'s rebuilds.
notices = logging.getLogger(__name__ + ".declared")
for _filter in list(notices.filters):
    notices.removeFilter(_filter)

SCRIPT = Path(__file__).resolve().parent / "static" / "attribution.js"
SCRIPT_NAME = "js/attribution.js"  # under THEME_STATIC_DIR; content_model fingerprints js/ at the end
FORM_TEMPLATE = "partials/inquiry_form.html"
THANK_YOU_TEMPLATE = "thank_you"
MANIFEST = "tracking-manifest.json"
HEADERS = csp.HEADERS_FILE  # what `inv serve` sends with every response
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL | re.IGNORECASE)


class _Run:
    """What one Pelican run collects (``build.state(_Run)``)."""

    def __init__(self, build):
        self.settings = settings = build.settings
        self.config = config = read_settings(settings)
        self.context: dict | None = None
        self.env = None
        self.sources: dict[str, str] = {}  # site path -> content file
        self.terms: dict[str, str] = {}
        self.refs: dict[str, dict[str, Any]] = {}  # kind -> id -> content object (written pages)
        self.policy = Policy(
            first_party=config.hosts,
            receiver_url=config.receiver.receiver_url,
            thank_you_path=_thank_you(config),
            tags=config.tags,
            site_url=config.siteurl,
            https=config.siteurl.startswith("https:"),
            own_policies=editor_pages(settings),  # /admin/, when this build writes the content editor
        )
        self.scans = BackgroundScans(
            self.policy.own_hosts
        )  # pages scanned on another core as they are written

    def close(self) -> None:
        self.scans.close()


def _run(where) -> _Run:
    """This run's inquiry state, from a signal's argument or a settings object."""
    return build_of(where).state(_Run)


# --- start: settings, Markdown, template helpers -------------------------------------------


def configure(pelican) -> None:
    """Check the INQUIRY_* settings and teach Markdown the ``[[inquiry-form]]`` line."""
    settings = pelican.settings
    for notice in read_settings(settings).declared.notices:
        notices.warning("inquiry: %s", notice)
    markdown = dict(settings.get("MARKDOWN") or {})
    configs = dict(markdown.get("extension_configs") or {})
    configs.setdefault(form_markdown.NAME, {})
    settings["MARKDOWN"] = {**markdown, "extension_configs": configs}


class TemplateHelpers:
    """``inquiry`` in every template: settings and small helpers for the form component."""

    def __init__(self, config: InquirySettings, static_url: str):
        self.config = config
        self.receiver_url = config.receiver.receiver_url
        self.beacon_url = config.receiver.beacon_url
        self.thank_you_url = config.receiver.thank_you_url
        self.script_url = f"{static_url}/{fingerprint(SCRIPT_NAME, SCRIPT.read_bytes())}"

    def on(self, kind: str) -> bool:
        """Does this kind of page carry a form (INQUIRY_FORM_PAGES)?"""
        return kind in self.config.form_pages

    def text(self, preset: str, key: str, title: str = "") -> str:
        """A preset's text (INQUIRY_FORM_PRESETS), with {title} filled in."""
        return self.config.presets[preset][key].replace("{title}", title or "")

    def script(self) -> Markup:
        """The first-party attribution script's tag, for every page's <head>."""
        receiver = self.config.receiver
        return Markup(
            f'<script src="{escape(self.script_url)}" data-days="{receiver.attribution_days}" '
            f'data-beacon="{escape(self.beacon_url)}" data-min-fill="{receiver.min_fill_seconds:g}" defer></script>'
        )

    def hidden_fields(self, output_file: str | None) -> Markup:
        """The form's hidden attribution fields, for the page written to ``output_file``.

        Without a page (a form rendered outside a page), nothing: the end of the build adds them."""
        if not output_file:
            return Markup("")
        names = [name for name in F.hidden_fields() if name != F.FORM]
        return Markup(hidden_inputs(names, self.config.site_prefix + "/" + types.url_of(output_file)))

    @staticmethod
    def slug_of(value) -> str:
        """A content object's id, or the id itself (templates may pass either)."""
        return getattr(value, "slug", None) or str(value or "")


def hidden_inputs(names, page_path: str) -> str:
    """``<input type="hidden">`` for each name: ``form_page`` holds the page's path, the rest start
    empty (the script fills them)."""
    values = {F.FORM_PAGE: page_path}
    return "".join(
        f'<input type="hidden" name="{name}" value="{escape(values.get(name, ""))}">' for name in names
    )


def add_helpers(generator) -> None:
    run = _run(generator)
    settings = generator.settings
    static_url = f"{settings.get('SITEURL', '')}/{settings.get('THEME_STATIC_DIR', 'theme')}"
    generator.env.globals["inquiry"] = TemplateHelpers(run.config, static_url)
    # Bound to this run (a plain filter: compiled templates are cached, with their calls, between runs).
    generator.env.filters["security_policy"] = functools.partial(security_policy, run)


def security_policy(run: _Run, page: str, output_file: str | None) -> Markup:
    """``{% filter security_policy(output_file) %}`` around a whole page: the page with its
    Content-Security-Policy ``<meta>`` (the declared tags it may load, the hashes of its inline
    scripts) first in its head. Decided here, before the page is written."""
    path = "/" + types.url_of(str(output_file or "index.html"))
    protected = html.form_hint(page) or path == run.policy.thank_you_path
    policy = run.policy.page_policy(path, protected, csp.inline_script_hashes(page))
    return Markup(csp.with_meta(page, policy))


# --- the whole site: check the Markdown forms ---------------------------------------------


def collect(generators) -> None:
    """Keep the context for the end of the build; check every [[inquiry-form]] line."""
    run = _run(generators)
    first = generators[0]
    run.context = first.context
    run.env = first.env
    items = _content_items(generators)
    by_kind: dict[str, dict[str, Any]] = {}
    for item in items:
        kind = getattr(item, "kind", "")
        if kind and getattr(item, "status", "") == "published":
            by_kind.setdefault(kind, {})[item.slug] = item
    run.refs = by_kind
    every_id = {}
    for item in items:
        every_id.setdefault(getattr(item, "kind", ""), set()).add(item.slug)
    run.terms = tracking.terms_table(
        [
            _procedure_terms(item)
            for item in items
            if getattr(item, "kind", "") == "procedure"
            and getattr(getattr(item, "entry", None), "record", None) is not None
        ],
        run.config.sensitive_terms,
        run.config.sensitive_exceptions,
    )
    # Problems join the build's log, reported with every other at the end (a bad line renders nothing).
    problems_of(run.settings).add(p for item in items for p in _marker_problems(item, every_id))


def _content_items(generators) -> list:
    items = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            items += [
                *generator.articles,
                *generator.translations,
                *generator.drafts,
                *generator.drafts_translations,
                *generator.hidden_articles,
            ]
        elif isinstance(generator, PagesGenerator):
            items += [
                *generator.pages,
                *generator.translations,
                *generator.hidden_pages,
                *generator.draft_pages,
            ]
    for kind_items in build_of(generators).items.values():  # the collections (procedures, team, ...)
        items += kind_items
    return [item for item in items if getattr(item, "_content", None) is not None]


def _procedure_terms(item) -> dict:
    record = item.entry.record
    return {
        "id": item.slug,
        "name": record.name,
        "body_areas": list(record.body_areas),
        "devices": list(record.devices),
    }


def _marker_problems(item, every_id: dict[str, set]) -> list[Problem]:
    html = item._content
    if "inquiry" not in html.lower():
        return []
    path = getattr(getattr(item, "entry", None), "path", None) or item.source_path
    problems = []
    for match in markers.PLACEHOLDER.finditer(html):
        args = markers.placeholder_args(match)
        line = _line_of(item.source_path, args)
        try:
            request = markers.parse(args)
        except markers.MarkerError as exc:
            what, _, fix = str(exc).partition(" — ")
            problems.append(Problem(path, "body", what, fix, line))
            continue
        if request.ref is not None and request.ref not in every_id.get(request.preset, set()):
            known = ", ".join(sorted(every_id.get(request.preset, set()))) or "none yet"
            problems.append(
                Problem(
                    path,
                    "body",
                    f"[[inquiry-form {args}]] names {request.preset} '{request.ref}', which does not exist",
                    f"use the id (file name) of one of: {known}",
                    line,
                )
            )
    for match in markers.LEFTOVER.finditer(_CODE.sub("", html)):
        problems.append(
            Problem(
                path,
                "body",
                f"{match.group(0)} is not on a line of its own, so it shows as text",
                "put it on its own line, with an empty line before and after",
                _line_of(item.source_path, None),
            )
        )
    return problems


def _line_of(source_path: str, args: str | None) -> int | None:
    try:
        with open(source_path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    for number, line in enumerate(lines, 1):
        match = markers.LINE.match(line)
        if args is None and "[[" in line and "inquiry" in line.lower() and match is None:
            return number
        if match is not None and args is not None and match.group("args").strip() == args:
            return number
    return None


# --- writing: the thank-you page and the script -------------------------------------------


class ThankYouGenerator(Generator):
    """Writes the thank-you page (noindex, not in the sitemap or search) and attribution.js."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        run = _run(self)
        static = Path(self.output_path) / self.settings.get("THEME_STATIC_DIR", "theme") / SCRIPT_NAME
        static.parent.mkdir(parents=True, exist_ok=True)
        static.write_bytes(SCRIPT.read_bytes())  # content_model gives it its fingerprinted name
        path = _site_relative(run, run.config.thank_you_path)
        if path is None:
            return
        url = path.lstrip("/")
        try:
            template = self.get_template(THANK_YOU_TEMPLATE)
        except Exception as exc:  # Pelican raises its own PelicanTemplateNotFound
            raise InquiryError(
                f"The theme has no {THANK_YOU_TEMPLATE}.html: add theme/templates/{THANK_YOU_TEMPLATE}.html "
                f"for the page at {path} ({exc})."
            ) from None
        writer.write_file(
            types.save_as(url),
            template,
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            url=url,
            page_title="Thank you",
            noindex=True,
        )


def get_generators(pelican):
    return ThankYouGenerator


def _site_relative(run: _Run, path: str | None) -> str | None:
    """A path on the site without the site's own prefix (previews live under /previews/pr-N)."""
    if path is None:
        return path
    prefix = run.config.site_prefix
    return path[len(prefix) :] if prefix and path.startswith(prefix + "/") else path


def _thank_you(config: InquirySettings) -> str:
    """The thank-you page's site path without the site's prefix ('' when another site serves it)."""
    path, prefix = config.thank_you_path, config.site_prefix
    if path is None:
        return ""
    return path[len(prefix) :] if prefix and path.startswith(prefix + "/") else path


def note_page(path: str, context: dict) -> None:
    """Hand a written page to the background scan; remember which content file it comes from
    (for the firewall's messages)."""
    build = context.get(KEY)
    if build is None or not path.endswith(".html"):
        return
    run = build.state(_Run)
    rel = os.path.relpath(path, run.settings["OUTPUT_PATH"]).replace(os.sep, "/")
    site_path = "/" + types.url_of(rel)
    run.scans.submit(path, run.policy.page_url(site_path))
    item = context.get("article") or context.get("page")
    entry = getattr(item, "entry", None)
    if entry is not None:
        run.sources[site_path] = entry.path


# --- the end: forms, firewall, manifest --------------------------------------------------


def finish(pelican) -> None:
    run = _run(pelican)
    if run.env is None:
        return
    output = Path(pelican.settings["OUTPUT_PATH"])
    scans, files = {}, {}
    try:
        for file in sorted(output.rglob("*.html")):
            rel = file.relative_to(output).as_posix()
            site_path = "/" + types.url_of(rel)
            files[site_path] = rel
            scans[site_path] = run.scans.take(str(file)) or _finish_page(run, file, rel, site_path)
    finally:
        run.scans.close()
    policy = dataclasses.replace(run.policy, terms=run.terms)
    report = firewall.manifest(scans, policy, files)
    internal = Path(pelican.settings.get("INTERNAL_PATH") or "internal")
    write_atomic(internal / MANIFEST, json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    hashes = sorted({h for scan in scans.values() for h in scan.script_hashes})
    headers = dict(csp.security_headers(policy.header_policy(hashes)))
    write_atomic(internal / HEADERS, json.dumps(headers, indent=2, ensure_ascii=False) + "\n")
    violations = firewall.check(scans, policy, run.sources)
    theme = output / pelican.settings.get("THEME_STATIC_DIR", "theme")
    violations += firewall.check_assets(_theme_addresses(output, theme), policy)
    logger.info(
        "inquiry: %d pages scanned, %d with forms, manifest %s",
        len(scans),
        report["summary"]["pages_with_forms"],
        internal / MANIFEST,
    )
    if violations:
        raise TagFirewallError(sorted(violations))


def _theme_addresses(output: Path, theme: Path) -> dict[str, list[str]]:
    """Site path -> every address in each CSS and JavaScript file the theme ships."""
    found = {}
    for file in sorted([*theme.rglob("*.css"), *theme.rglob("*.js")]) if theme.is_dir() else ():
        text = file.read_text(encoding="utf-8", errors="replace")
        found["/" + file.relative_to(output).as_posix()] = firewall.addresses_in_file(file.name, text)
    return found


def _finish_page(run: _Run, file: Path, rel: str, site_path: str) -> html.PageScan:
    """Render the page's Markdown forms, and scan it."""
    text = file.read_text(encoding="utf-8")
    if needs_rewrite(text):
        new = _render_markers(run, text, site_path, rel)
        if new != text:
            write_atomic(file, new)
            text = new
    return html.scan(text, run.policy.own_hosts, run.policy.page_url(site_path))


def _render_markers(run: _Run, text: str, site_path: str, output_file: str) -> str:
    """The page with each ``[[inquiry-form]]`` placeholder rendered by the theme's form macro
    (hidden fields included: the macro is given the page's ``output_file``)."""
    if "<!--inquiry-form" not in text:
        return text
    module = _form_module(run, output_file)
    used = set(re.findall(r'\bid="(inquiry-form(?:-\d+)?)"', text))

    def render(match: re.Match) -> str:
        try:
            request = markers.parse(markers.placeholder_args(match))
        except markers.MarkerError:
            return ""  # reported by collect(): this build fails, or the page is a draft's preview
        form_id = next(
            f"inquiry-form{'' if n == 1 else f'-{n}'}"
            for n in range(1, 100)
            if f"inquiry-form{'' if n == 1 else f'-{n}'}" not in used
        )
        used.add(form_id)
        ref = run.refs.get(request.preset, {}).get(request.ref) if request.ref else None
        if request.ref and ref is None:
            logger.warning(
                "inquiry: %s: the %s '%s' has no page in this build; the form there preselects nothing",
                site_path,
                request.preset,
                request.ref,
            )
        kwargs = {request.preset: ref} if ref is not None else {}
        preset = request.preset if ref is not None or request.ref is None else "contact"
        heading = request.heading or run.config.presets[preset]["heading"]
        return str(module.inquiry_form(preset, heading=heading, id=form_id, **kwargs))

    return markers.PLACEHOLDER.sub(render, text)


def _form_module(run: _Run, output_file: str):
    try:
        template = run.env.get_template(FORM_TEMPLATE)
    except TemplateNotFound:
        raise InquiryError(
            f"The theme has no {FORM_TEMPLATE}, which [[inquiry-form]] lines need: add it "
            "(see theme/templates/partials/inquiry_form.html in this project)."
        ) from None
    return template.make_module(vars={**run.context, "output_file": output_file})
