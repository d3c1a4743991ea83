"""Reads the gallery's cases, applies the consent ledger, requests the photos and writes the pages.

- ``generate_context``: every ``content/gallery/<case-id>/case.yml`` is read and validated
  (model, photo files, no calendar date anywhere in it, and no person's name in any text or
  file name); each case's consent is decided for
  the web on the build's day. Published cases go into the context as ``gallery_cases`` (the
  content model's cross-links give procedures their ``linked.cases`` from it) and their photos
  are requested from the image pipeline: watermarked, and padded to a common canvas when a
  pair's shapes differ. Problems travel on the entries, so the content check lists them with
  every other file's.
- ``all_generators_finalized``: titles and links (procedure, provider) from the other content.
- ``generate_output``: the gallery index, one page per procedure and per body area (filters that
  work without JavaScript), and one page per case.
- ``finalized``: ``<INTERNAL_PATH>/consent-manifest.json``: every published photo's derivatives,
  with the case and consent id that allow them, and the cases withheld and why.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
from pathlib import Path
from types import SimpleNamespace

from pelican.generators import Generator

from pipeline import gallery, personal_data
from pipeline.consent import ConsentError, decide, load_ledger
from pipeline.content import frontmatter, types, validate
from pipeline.content.errors import Problem, problems_of
from pipeline.content.paths import display_path
from pipeline.images import ImageError, image_manifest, plan_pair, upright_size
from pipeline.images import write_manifest as write_json
from sitebuild import build_of
from sitebuild import images as site_images

logger = logging.getLogger(__name__)
if hasattr(logger, "disable_filter"):
    # Pelican's loggers drop a message already logged in this process; every build (inv regenerate
    # rebuilds in one process) must say again which cases it withheld.
    logger.disable_filter()

CASE = types.GALLERY_CASE
CASE_FILE = "case.yml"
MANIFEST = "consent-manifest.json"
PROCEDURE_URL = CASE.index_url + "procedures/{slug}/"
AREA_URL = CASE.index_url + "areas/{slug}/"
RESERVED = ("procedures", "areas")  # the filter pages live there
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DECIDE_FOR = "web"


class Case:
    """A case as the templates see it: its case.yml fields as attributes, plus where it stands."""

    def __init__(self, entry: validate.Entry, folder: Path, url: str, save_as: str):
        self.entry = entry
        self.folder = folder
        self.slug = entry.id
        self.url = url
        self.save_as = save_as
        self.status = "draft"  # "published" once its consent allows it
        self.content_status = "published"
        self.listed = self.indexable = False
        self.withheld = ""  # why it is left out, when its consent does not allow it
        self.requests: list = []  # its photos' image requests
        self.title = entry.id
        self.linked = SimpleNamespace(procedure=None, provider=None, others=[])

    def __getattr__(self, name):
        record = self.__dict__.get("entry") and self.__dict__["entry"].record
        if record is not None and name in type(record).model_fields:
            return getattr(record, name)
        raise AttributeError(name)

    @property
    def summary(self) -> str:
        return self.entry.record.description if self.entry.record else ""

    @property
    def sessions_text(self) -> str:
        return gallery.sessions_text(self.entry.record.sessions)

    @property
    def after_text(self) -> str:
        return gallery.after_text(self.entry.record.time_since_treatment)

    @property
    def area_slugs(self) -> list[str]:
        return [gallery.area_slug(a) for a in self.entry.record.body_areas]

    def labels(self, pair) -> tuple[str, str]:
        before, after = gallery.pair_labels(pair.view, self.entry.record.time_since_treatment)
        return pair.before.label or before, pair.after.label or after


def read_case(
    folder: Path, content_root: str, url: str, save_as: str, allowed: tuple[str, ...] = ()
) -> Case | None:
    """One case folder as a Case whose entry carries every problem found (None: an empty folder).

    ``allowed``: names that may appear in case text (the practice's own name).
    """
    source = folder / CASE_FILE
    path = display_path(str(source), content_root)
    files = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    photos = [name for name in files if name.lower().endswith(validate.IMAGE_TYPES)]
    if not source.is_file():
        if not files:
            return None
        parsed = frontmatter.Parsed(
            problems=[
                Problem(
                    path,
                    "file",
                    "is missing: the folder has photos but no case.yml",
                    "add a case.yml describing the case (see README, 'Before/after galleries')",
                )
            ]
        )
        return Case(
            validate.Entry(CASE, folder.name, path, parsed, problems=list(parsed.problems)),
            folder,
            url,
            save_as,
        )
    text, unreadable = frontmatter.read_text(source, path)
    parsed = (
        frontmatter.load_yaml(text.lstrip("\ufeff"), path)
        if text is not None
        else frontmatter.Parsed(problems=unreadable, container=CASE_FILE)
    )
    text = text or ""
    entry = validate.parse(CASE, parsed, path, folder.name)
    entry.personal = personal_data.find_in_source(text)
    problems = entry.problems
    consent = parsed.data.get("consent") if isinstance(parsed.data.get("consent"), str) else None
    dated = set()
    for hit in gallery.find_dates(text, skip=[consent] if consent else ()):
        field = parsed.field_at(hit.line)
        dated.add(field)
        problems.append(Problem(path, field, f"'{hit.text}' is a calendar date", gallery.DATE_FIX, hit.line))
    # A date already reported for a field says more than the model's own complaint about it.
    entry.problems = [p for p in problems if not (p.field in dated and "calendar date" not in p.message)]
    named = []
    for field, hit in gallery.find_people(parsed.data, folder.name, allowed):
        if field == "folder name":
            named.append(hit)
            continue
        entry.problems.append(
            Problem(
                path,
                field,
                f"'{hit.text}' looks like a person's name ({hit.why})",
                gallery.NAME_FIX,
                parsed.line_of(field),
            )
        )
    if not _ID.match(folder.name) or folder.name in RESERVED or gallery.find_dates(folder.name) or named:
        reserved = f" (and not {' or '.join(RESERVED)})" if folder.name in RESERVED else ""
        fix = (
            "rename the folder with lowercase letters, digits and hyphens, like botox-forehead-01 — "
            f"never a patient's name or a date{reserved}"
        )
        why = f" ('{named[0].text}' looks like a person's name)" if named else ""
        entry.problems.append(
            Problem(path, "folder name", f"'{folder.name}' cannot be a case id{why}", fix, 1)
        )
    for dotted, src in _photo_sources(entry):
        problem = gallery.photo_problem(src)
        if problem is None and src not in files:
            close = difflib.get_close_matches(src, photos, n=1)  # another photo, never case.yml
            problem = f"'{src}' is not in the case's folder — " + (
                f"did you mean '{close[0]}'?"
                if close
                else f"put the photo in {display_path(str(folder), content_root)}/"
            )
        if problem:
            message, _, fix = problem.partition(" — ")
            entry.problems.append(Problem(path, dotted, message, fix, parsed.line_of(dotted)))
    return Case(entry, folder, url, save_as)


def _photo_sources(entry: validate.Entry) -> list[tuple[str, str]]:
    """(dotted field, file name) of every photo a case names; from the raw fields too, for a new case
    still holding placeholders (its missing photos are listed with the rest)."""
    if entry.record is not None:
        pairs = [
            {role: {"src": getattr(pair, role).src} for role in ("before", "after")}
            for pair in entry.record.pairs
        ]
    else:
        pairs = entry.parsed.data.get("pairs") if isinstance(entry.parsed.data.get("pairs"), list) else []
    found = []
    for index, pair in enumerate(pairs):
        for role in ("before", "after"):
            photo = pair.get(role) if isinstance(pair, dict) else None
            src = photo.get("src") if isinstance(photo, dict) else None
            if isinstance(src, str) and src.strip() and validate.placeholder_what(src) is None:
                found.append((f"pairs.{index}.{role}.src", src.strip()))
    return found


class GalleryGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases: list[Case] = []  # every case folder, whatever its state
        self.published: list[Case] = []
        self.ledger_path = ""

    @property
    def content_items(self) -> list[Case]:
        """Handed to the content check (plugins/content_model), which validates references for every type."""
        return self.cases

    def _url(self, slug: str) -> tuple[str, str]:
        fmt = {"slug": slug}
        return self.settings["CASE_URL"].format(**fmt), self.settings["CASE_SAVE_AS"].format(**fmt)

    def generate_context(self):
        root = Path(self.path) / CASE.folder
        folders = (
            sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
            if root.is_dir()
            else []
        )
        practice = self.context.get("practice")
        allowed = (practice.name,) if getattr(practice, "name", None) else ()
        self.cases = [
            c
            for c in (read_case(f, self.path, *self._url(f.name), allowed) for f in folders)
            if c is not None
        ]
        self.published = self._decide(
            [c for c in self.cases if c.entry.record is not None and not c.entry.problems]
        )
        for case in self.published:
            self._request_photos(case)
        self.published = [c for c in self.published if not c.entry.problems]
        self.published.sort(key=lambda c: (c.order, c.slug))
        for case in self.published:
            case.status = "published"
            case.listed = case.indexable = True
        self.context["gallery_cases"] = self.published
        build_of(self.settings).items[CASE.kind] = self.cases  # every case, for the checks and exports

    def _decide(self, cases: list[Case]) -> list[Case]:
        """The cases whose consent allows the web today; the others are withheld with a warning."""
        candidates = [c for c in cases if c.entry.record.status == "published"]
        if not candidates:
            return []
        ledger_file = Path(self.settings["CONSENT_LEDGER"])
        if not ledger_file.is_absolute():
            ledger_file = Path(self.path) / ledger_file
        self.ledger_path = display_path(str(ledger_file), self.path)
        try:
            ledger = load_ledger(ledger_file)
        except ConsentError as exc:
            # One more problem of this build: no case is published without a ledger that can be read.
            text = str(exc).replace(str(ledger_file), self.ledger_path).removeprefix(self.ledger_path)
            what, _, fix = text.lstrip(": ").partition(". ")
            fix = (
                (fix[:1].lower() + fix[1:]).rstrip(".")
                if fix
                else "correct it (see README, 'Before/after galleries')"
            )
            problems_of(self.settings).add(
                [
                    Problem(
                        self.ledger_path,
                        "file",
                        what.rstrip("."),
                        f"{fix}; no case is published until the ledger can be read",
                    )
                ]
            )
            return []
        ledger = type(ledger)(self.ledger_path, ledger.records)
        today = self.settings["AS_OF_DATE"]
        allowed = []
        for case in candidates:
            record = case.entry.record
            try:
                decision = decide(record.consent, ledger, _DECIDE_FOR, today, case=case.entry.path)
            except ConsentError:
                case.entry.problems.append(
                    Problem(
                        case.entry.path,
                        "consent",
                        f"'{record.consent}' is not in the consent ledger {self.ledger_path}",
                        "check the id against the signed authorization, or add its record to the ledger",
                        case.entry.parsed.line_of("consent"),
                    )
                )
                continue
            if decision.allowed:
                allowed.append(case)
            else:
                case.withheld = decision.reason
                logger.warning(
                    "gallery: %s withheld from the site: %s. Nothing of it is published "
                    "while the consent ledger does not allow it.",
                    case.entry.path,
                    decision.reason,
                )
        return allowed

    def _request_photos(self, case: Case) -> None:
        """Ask the image pipeline for the case's photos: watermarked ("gallery"), each pair on one canvas."""
        images = build_of(self.settings).images
        for index, pair in enumerate(case.entry.record.pairs):
            paths = [case.folder / pair.before.src, case.folder / pair.after.src]
            sizes = []
            for role, path in zip(("before", "after"), paths, strict=False):
                dotted = f"pairs.{index}.{role}.src"
                try:
                    sizes.append(upright_size(path, images.config.max_pixels, images.shown_name(path)))
                except ImageError as exc:
                    case.entry.problems.append(
                        Problem(
                            case.entry.path,
                            dotted,
                            f"the photo {images.shown_name(path)} cannot be used: {exc.what}",
                            (exc.fix[:1].lower() + exc.fix[1:]).rstrip("."),
                            case.entry.parsed.line_of(dotted),
                        )
                    )
            if len(sizes) < 2:
                continue
            plan = plan_pair(
                *sizes,
                names=(
                    f"{case.entry.path}: pairs.{index} before ({pair.before.src})",
                    f"after ({pair.after.src})",
                ),
            )
            if plan.warning:
                logger.warning("gallery: %s", plan.warning)
            for role, photo, path in zip(("before", "after"), (pair.before, pair.after), paths, strict=False):
                dotted = f"pairs.{index}.{role}.src"
                use = site_images.Use(case.entry.path, dotted, case.entry.parsed.line_of(dotted))
                request = images.request(path, "gallery", plan.canvas, use=use)
                images.own(photo, request)
                case.requests.append(request)

    # -- pages ---------------------------------------------------------------------------

    def generate_output(self, writer):
        relative = self.settings["RELATIVE_URLS"]
        cases = self.published
        summaries = {c.slug: _summary(c) for c in cases}
        browse = gallery.facets(list(summaries.values()))
        listing = self.get_template(CASE.index_template)

        def write_listing(url: str, subset: list[Case], title: str, scope=None):
            writer.write_file(
                types.save_as(url),
                listing,
                self.context,
                relative_urls=relative,
                url=url,
                page_title=title,
                cases=subset,
                browse=browse,
                scope=scope,
                facets=gallery.facets([summaries[c.slug] for c in subset]),
            )

        write_listing(CASE.index_url, cases, CASE.index_title)
        for option in browse.procedures:
            subset = [c for c in cases if c.procedure == option.value]
            write_listing(
                PROCEDURE_URL.format(slug=option.value),
                subset,
                f"{option.label} before & after photos",
                SimpleNamespace(kind="procedure", option=option),
            )
        for option in browse.areas:
            subset = [c for c in cases if gallery.in_area(summaries[c.slug], option.value)]
            write_listing(
                AREA_URL.format(slug=option.value),
                subset,
                f"{option.label}: before & after photos",
                SimpleNamespace(kind="area", option=option),
            )
        template = self.get_template(CASE.template)
        for case in cases:
            writer.write_file(
                case.save_as,
                template,
                self.context,
                relative_urls=relative,
                url=case.url,
                page=case,
                case=case,
            )


def _summary(case: Case) -> gallery.Summary:
    record = case.entry.record
    procedure = case.linked.procedure
    return gallery.Summary(
        case.slug,
        record.procedure,
        procedure.title if procedure else record.procedure,
        tuple(record.body_areas),
        record.age_range,
        record.sessions,
    )


def link(generators) -> None:
    """Titles and links from the other content (read by now, whatever order the plugins run in)."""
    own = next((g for g in generators if isinstance(g, GalleryGenerator)), None)
    if own is None:
        return
    items = build_of(generators).items

    def published(kind: str) -> dict:
        return {i.slug: i for i in items.get(kind, ()) if i.status == "published"}

    procedures, team = published("procedure"), published("team")
    for case in own.published:
        record = case.entry.record
        case.linked.procedure = procedures.get(record.procedure)
        case.linked.provider = team.get(record.provider)
        name = case.linked.procedure.title if case.linked.procedure else record.procedure
        case.title = record.title or f"{name}: {', '.join(record.body_areas)}"
    for case in own.published:
        case.linked.others = [c for c in own.published if c.procedure == case.procedure and c is not case]
        case.labelled_pairs = [(pair, *case.labels(pair)) for pair in case.entry.record.pairs]


def write_manifest(pelican) -> None:
    """<INTERNAL_PATH>/consent-manifest.json: each published gallery photo's outputs, case and consent."""
    build = build_of(pelican)
    own = next((g for g in build.generators if isinstance(g, GalleryGenerator)), None)
    if own is None:
        return
    images = build.images
    published, uses = [], {}
    for case in own.published:
        for request in case.requests:
            image = images.used.get(request)
            if image is not None:  # on a page of the site
                published.append(image)
                # One photo may appear in two cases: each use, with its own consent, is listed.
                uses.setdefault(image.source_hash, set()).add((case.slug, case.entry.record.consent))
    tags = {
        source: {"uses": [{"case": slug, "consent": consent} for slug, consent in sorted(pairs)]}
        for source, pairs in uses.items()
    }
    manifest = image_manifest(published, tags)
    manifest.update(
        as_of=str(pelican.settings["AS_OF_DATE"]),
        ledger=own.ledger_path,
        withheld=[{"case": c.slug, "reason": c.withheld} for c in own.cases if c.withheld],
    )
    internal = Path(pelican.settings.get("INTERNAL_PATH") or "internal")
    write_json(internal / MANIFEST, manifest)
    logger.info(
        "gallery: %d cases published, %d withheld; %s written",
        len(own.published),
        len(manifest["withheld"]),
        os.path.join(internal, MANIFEST),
    )
