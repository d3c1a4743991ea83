"""Claims and readability check on every build, and testimonials from their ledger.

The rules live in ``pipeline.claims`` (README, "Claims and readability"); this package connects
them to Pelican:

- ``initialized``: the CLAIMS_* settings are checked; Markdown learns ``[[testimonial ID]]``.
- ``all_generators_finalized``: the devices (``content/devices/``), the practice's rules
  (``content/claims.yml``) and the testimonials ledger (``content/testimonials.yml``) are read and
  validated like the rest of the content; every page, post, special, event, case and testimonial
  is checked; the findings are listed after the build, and with ``CLAIMS_STRICT`` (``--strict``,
  and always in publishconf.py) those of error severity stop it. Testimonial placeholders are
  filled from the ledger.

Settings (checked when the build starts; an unknown CLAIMS_* key is refused):
``CLAIMS_STRICT`` [False], ``CLAIMS_FILE`` ["claims.yml"], ``CLAIMS_TESTIMONIALS``
["testimonials.yml"] (both in the content folder), ``CLAIMS_GRADE_CACHE``
["cache/claims/grades.json"; None keeps grades in memory only].
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals

from pipeline.claims import check, site, testimonials
from pipeline.claims.errors import ClaimsError
from pipeline.claims.readability import GradeCache
from pipeline.content.errors import Problem, problems_of

from . import markdown as testimonial_markdown

logger = logging.getLogger(__name__)
DEFAULTS = {
    "CLAIMS_STRICT": False,
    "CLAIMS_FILE": site.CLAIMS_FILE,
    "CLAIMS_TESTIMONIALS": site.TESTIMONIALS_FILE,
    "CLAIMS_GRADE_CACHE": "cache/claims/grades.json",
}
# Staff acknowledgements of the briefs (pipeline/briefs/acknowledgements.py), validated on every build;
# paths relative to the project (the content folder's parent).
STAFF_DEFAULTS = {
    "STAFF_ACKNOWLEDGEMENTS": "data/staff/acknowledgements.csv",
    "STAFF_LIST": "data/staff/staff.csv",
}
RESULT_KEY = "CLAIMS_RESULT"  # the last check's pipeline.claims.check.Result, for tasks and tests
_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "hidden_articles",
    "hidden_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
    "content_items",
)


def configure(pelican) -> None:
    settings = pelican.settings
    unknown = sorted(k for k in settings if k.startswith("CLAIMS_") and k not in DEFAULTS and k != RESULT_KEY)
    if unknown:
        raise ClaimsError(
            f"{', '.join(unknown)}: unknown setting(s); the claims settings are {', '.join(DEFAULTS)}. "
            "Check the spelling."
        )
    for name, default in {**DEFAULTS, **STAFF_DEFAULTS}.items():
        settings.setdefault(name, default)
    if not isinstance(settings["CLAIMS_STRICT"], bool):
        raise ClaimsError(f"CLAIMS_STRICT is {settings['CLAIMS_STRICT']!r}: write True or False.")
    markdown = dict(settings.get("MARKDOWN") or {})
    configs = dict(markdown.get("extension_configs") or {})
    configs.setdefault(testimonial_markdown.NAME, {})
    settings["MARKDOWN"] = {**markdown, "extension_configs": configs}


def _items(generators) -> list:
    seen, out = set(), []
    for generator in generators:
        groups = [getattr(generator, name, ()) for name in _LISTS]
        groups += (
            list((getattr(generator, "items", None) or {}).values())
            if isinstance(getattr(generator, "items", None), dict)
            else []
        )
        for group in groups:
            for item in group or ():
                if hasattr(item, "entry") and id(item) not in seen:
                    seen.add(id(item))
                    out.append(item)
    return out


def _practice(generators):
    return next((g.practice for g in generators if getattr(g, "practice", None) is not None), None)


def check_site(generators) -> None:
    """Check every page's claims; list or (strict) stop on the findings; fill the testimonials."""
    settings = generators[0].settings
    log = problems_of(settings)
    root = Path(settings["PATH"])
    as_of = settings["AS_OF_DATE"]
    devices = site.read_devices(root)
    log.drafts.update(e.path for e in devices if e.draft)
    log.add(p for e in devices for p in e.problems)
    items = _items(generators)
    procedures = {i.entry.id for i in items if i.entry.ctype.kind == "procedure"}
    log.add(
        Problem(
            e.path,
            "file name",
            f"'{e.id}' is also a procedure's id",
            "rename the device file: briefs are written to internal/briefs/<id>/ for both",
            1,
        )
        for e in devices
        if e.id in procedures
    )
    inputs = site.read_inputs(root, settings.get("CONSENT_LEDGER"), as_of)
    log.add(inputs.problems)
    practice = _practice(generators)
    disclaimers = [settings.get("GALLERY_DISCLAIMER") or ""]
    currency = "USD"
    if practice is not None and practice.record is not None:
        disclaimers.append(practice.record.disclaimer)
        currency = practice.record.currency
    entries = [i.entry for i in items] + devices
    docs = site.documents(entries, inputs)
    facts = site.facts(entries, inputs, disclaimers, currency)
    cache = GradeCache(settings.get("CLAIMS_GRADE_CACHE"))
    result = check.check(docs, facts, inputs.rules, cache)
    cache.save()
    blocking, advisory = check.problems(result, settings["CLAIMS_STRICT"])
    log.add(blocking)
    log.advise(advisory)
    settings[RESULT_KEY] = result
    _check_acknowledgements(settings, root, items, devices, log)
    ledger = facts.testimonials
    for item in items:
        content = getattr(item, "_content", None)
        if content and "<!--testimonial" in content:
            item._content = testimonials.fill(content, ledger)
    if result.open:
        logger.info("claims: %d finding(s), %d accepted", len(result.open), len(result.accepted))


def _check_acknowledgements(settings, root: Path, items, devices, log) -> None:
    from pipeline.briefs import acknowledgements

    team = {i.entry.id for i in items if i.entry.ctype.kind == "team"}
    briefs = {i.entry.id for i in items if i.entry.ctype.kind == "procedure"} | {d.id for d in devices}
    *_, problems = acknowledgements.load(
        root.resolve().parent,
        team,
        briefs,
        settings["AS_OF_DATE"],
        settings["STAFF_ACKNOWLEDGEMENTS"],
        settings["STAFF_LIST"],
    )
    log.add(problems)


def register():
    signals.initialized.connect(configure)
    signals.all_generators_finalized.connect(check_site)
