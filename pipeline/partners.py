"""Referral partners: the registry, their tracked links, QR codes and printable referral cards.

The registry is one YAML file (``content/partners.yml``, setting ``PARTNER_REGISTRY``)::

    partners:
      - code: willow-pt                 # what ?ref= carries; lower-case letters, digits, hyphens
        name: Willow Creek Physical Therapy
        kind: physical-therapist        # see KINDS
        address: {street: ..., city: ..., region: CA, postal_code: "93990"}
        since: 2025-03-01
        status: active                  # active | paused | ended
        public: true                    # the partner agreed to be listed on the public page
        website: https://willow-creek-pt.example   # optional, shown on the public page
        blurb: Sports and post-surgical rehabilitation.   # optional, public
        contact:                        # internal: never published
          name: Dana Whitfield
          role: Clinic director
          phone: (805) 555-0161
          email: dana@willow-creek-pt.example

It is validated like every content file (``path:field: what is wrong — the fix``) through
the content model's own validator. The internal ``contact`` and ``notes`` never reach the
site: :func:`public_listing` returns plain dicts without them, and the cards show only the
practice's own contact details.

Each partner gets a tracked link: the site with ``?ref=CODE`` (the receiver's referral
field, see ``pipeline.inquiry.fields.REF_PARAM``) plus ``utm_source=CODE``,
``utm_medium=referral`` and the campaign, a QR code of it (segno: SVG and PNG) and a sheet of
business-size referral cards as print-ready HTML. All of it goes to ``internal/partners/``:
the cards carry ``<meta name="artefact" content="internal">`` so the publish guard refuses
them if they are ever copied into the site.
"""

from __future__ import annotations

import base64
import datetime as dt
import difflib
import io
import logging
import mimetypes
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from jinja2 import Environment
from markupsafe import Markup
from pydantic import BeforeValidator, StringConstraints, model_validator

from pipeline.content import frontmatter, types, validate
from pipeline.content.errors import Problem
from pipeline.content.models import Address, Model, Phone, Text, example, problem
from pipeline.errors import PipelineError
from pipeline.files import csv_bytes, write_folder
from pipeline.inquiry.fields import REF_PARAM

if TYPE_CHECKING:
    import segno

log = logging.getLogger(__name__)

KINDS = {
    "dermatologist": "Dermatologist",
    "physician": "Physician",
    "chiropractor": "Chiropractor",
    "physical-therapist": "Physical therapist",
    "massage-therapist": "Massage therapist",
    "yoga-studio": "Yoga studio",
    "pilates-studio": "Pilates studio",
    "wellness-centre": "Wellness centre",
    "fitness-studio": "Fitness studio",
    "salon": "Salon",
    "other": "Partner",
}
STATUSES = ("active", "paused", "ended")
DEFAULTS = {
    "PARTNER_REGISTRY": "partners.yml",  # relative to the content folder (PATH)
    "PARTNER_PUBLIC_PAGE": False,
    "PARTNER_PAGE_URL": "partners/",
    "PARTNER_PAGE_TITLE": "Our partners",
    "PARTNER_PAGE_INTRO": "Local practitioners and studios we know, trust and work with.",
    "PARTNER_CAMPAIGN": "referral-partners",
    "PARTNER_LANDING": "/",
    "PARTNER_CARD_TEXT": "Scan to book a consultation. Mention this card when you call.",
    "PARTNER_LOG": "data/partner-log.csv",  # the relationship log (pipeline/partner_log.py), from the project
}
CARDS_PER_SHEET = 10  # Avery 8371/5371 layout: 2 x 5 business cards, 3.5 x 2 in, on US Letter


class PartnerError(PipelineError):
    """The partner registry or a partner setting is wrong; the message names the file, field and fix."""


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


Code = Annotated[
    str,
    BeforeValidator(_lower),
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=32),
]
HttpsUrl = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https://[^\s\"'<>]+$")]
Kind = Literal[tuple(KINDS)]  # type: ignore[valid-type]


class Contact(Model):
    """Who the practice talks to at the partner. Internal only."""

    name: Text = example("Dana Whitfield")
    role: Text | None = example("Clinic director", default=None)
    phone: Phone | None = example("(805) 555-0161", default=None)
    email: Text | None = example("dana@willow-creek-pt.example", default=None)


class Partner(Model):
    code: Code = example("willow-pt")
    name: Text = example("Willow Creek Physical Therapy")
    kind: Kind = example("physical-therapist")
    address: Address
    since: dt.date = example("2025-03-01")
    status: Literal[STATUSES] = example("active", default="active")  # type: ignore[valid-type]
    public: bool = example(False, default=False)
    website: HttpsUrl | None = example("https://willow-creek-pt.example", default=None)
    blurb: Text | None = example("Sports and post-surgical rehabilitation.", default=None)
    landing: str | None = example("/", default=None)
    contact: Contact
    notes: str | None = None

    @model_validator(mode="after")
    def _landing_path(self):
        if self.landing is not None and (not self.landing.startswith("/") or "#" in self.landing):
            raise problem(
                "landing",
                f"'{self.landing}' is not a page of the site — write a path from the "
                "site's root, like /contact/",
            )
        return self

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def listed(self) -> bool:
        """Shown on the public page: agreed to it, and the partnership is running."""
        return self.public and self.status == "active"


class Registry(Model):
    partners: list[Partner] = example(
        [{"code": "willow-pt", "name": "Willow Creek Physical Therapy"}], default_factory=list
    )

    @model_validator(mode="after")
    def _unique_codes(self):
        seen: set[str] = set()
        for index, partner in enumerate(self.partners):
            if partner.code in seen:
                raise problem(
                    f"partners.{index}.code",
                    f"'{partner.code}' is used by another partner — give each partner its own code",
                )
            seen.add(partner.code)
        return self

    def get(self, code: str | None) -> Partner | None:
        if not code:
            return None
        code = code.strip().lower()
        return next((p for p in self.partners if p.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.partners]


REGISTRY_TYPE = types.ContentType("partner-registry", "partner registry", "", Registry, pelican="data")


# --- reading --------------------------------------------------------------------------------


def parse_registry(text: str, path: str) -> Registry:
    """Validate the registry's YAML; raise :class:`PartnerError` listing every problem."""
    parsed = frontmatter.load_yaml(text.lstrip("\ufeff"), path)
    entry = validate.parse(REGISTRY_TYPE, parsed, path, "partners")
    if entry.problems or entry.record is None:
        raise PartnerError(
            _render(entry.problems or [Problem(path, "partners", "is empty", "list the partners")])
        )
    return entry.record


def load_registry(path: str | os.PathLike, display: str | None = None, missing_ok: bool = True) -> Registry:
    """The registry file, or an empty registry when it does not exist and ``missing_ok``."""
    path = Path(path)
    shown = display or str(path)
    if not path.is_file():
        if missing_ok:
            return Registry()
        raise PartnerError(
            f"{shown}: the partner registry does not exist — create it (see README, "
            '"Referral partners") or point PARTNER_REGISTRY at it.'
        )
    return parse_registry(path.read_text(encoding="utf-8"), shown)


def _render(problems: list[Problem]) -> str:
    problems = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.field))
    count = len(problems)
    head = f"{count} problem{'s' if count != 1 else ''} in the partner registry:"
    return "\n".join([head, *(f"  {p}" for p in problems)])


def check_settings(settings: Mapping) -> dict:
    """The PARTNER_* settings with defaults; an unknown key or a bad value is a PartnerError."""
    unknown = sorted(k for k in settings if k.startswith("PARTNER_") and k not in DEFAULTS)
    if unknown:
        close = {k: difflib.get_close_matches(k, DEFAULTS, n=1) for k in unknown}
        hints = "; ".join(f"{k}: did you mean {c[0]}?" if c else k for k, c in close.items())
        raise PartnerError(f"Unknown partner setting(s): {hints} — the settings are {', '.join(DEFAULTS)}.")
    values = {k: settings.get(k, v) for k, v in DEFAULTS.items()}
    for key in ("PARTNER_LANDING", "PARTNER_PAGE_URL"):
        value = values[key]
        if not isinstance(value, str) or "#" in value or "?" in value:
            raise PartnerError(f"{key} is {value!r}: write a path of the site, like '/' or 'partners/'.")
    if not str(values["PARTNER_LANDING"]).startswith("/"):
        raise PartnerError(
            f"PARTNER_LANDING is {values['PARTNER_LANDING']!r}: start it with '/', like '/contact/'."
        )
    return values


# --- links and QR codes -----------------------------------------------------------------------


def tracked_link(
    site_url: str, partner: Partner, campaign: str, landing: str = "/", content: str | None = None
) -> str:
    """``https://site/landing?ref=CODE&utm_source=CODE&utm_medium=referral&utm_campaign=...``.

    Only the partner's code and the campaign go into the URL: never a treatment or condition.
    """
    if not site_url.startswith(("https://", "http://")):
        raise PartnerError(
            f"The site's address is {site_url!r}: tracked links need the public address; set "
            "SITEURL in publishconf.py (or the SITEURL environment variable), e.g. "
            "https://www.aurora-aesthetics.example"
        )
    base = urlsplit(site_url.rstrip("/") + (partner.landing or landing))
    params = [
        (k, v)
        for k, v in parse_qsl(base.query)
        if k not in (REF_PARAM, "utm_source", "utm_medium", "utm_campaign", "utm_content")
    ]
    params += [
        (REF_PARAM, partner.code),
        ("utm_source", partner.code),
        ("utm_medium", "referral"),
        ("utm_campaign", campaign),
    ]
    if content:
        params.append(("utm_content", content))
    return urlunsplit((base.scheme, base.netloc, base.path or "/", urlencode(params), ""))


def qr_code(link: str) -> segno.QRCode:
    import segno  # only `inv partners` draws QR codes; every build validates the registry

    # Level M survives a smudged or creased card (15% damage) and keeps the code small.
    return segno.make(link, error="m", micro=False)


def qr_svg(qr: segno.QRCode, title: str) -> bytes:
    out = io.BytesIO()
    # A viewBox and no fixed size: the code scales to whatever box the card gives it.
    qr.save(
        out,
        kind="svg",
        border=4,
        dark="#111111",
        title=title,
        xmldecl=False,
        svgclass="qr",
        nl=True,
        omitsize=True,
    )
    return out.getvalue()


def qr_png(qr: segno.QRCode) -> bytes:
    out = io.BytesIO()
    qr.save(out, kind="png", scale=10, border=4)  # 10 px modules: crisp when printed at 300 dpi
    return out.getvalue()


# --- the kit ----------------------------------------------------------------------------------

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

CARD_TEMPLATE = _ENV.from_string("""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="artefact" content="internal">
<meta name="robots" content="noindex, nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Referral cards: {{ partner.name }} | {{ practice.name }}</title>
<style>
  @page { size: 8.5in 11in; margin: 0; }
  * { box-sizing: border-box; }
  html { background: #efe6da; }
  body { margin: 0; font: 9pt/1.3 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
         color: #18232b; }
  .help { max-width: 8.5in; margin: 1rem auto; padding: 0 .75in; font-size: 11pt; }
  .sheet { width: 8.5in; height: 11in; margin: 0 auto; padding: .5in .75in; background: #fff;
           display: grid; grid-template-columns: repeat(2, 3.5in); grid-auto-rows: 2in; }
  .card { position: relative; display: grid; grid-template-columns: 1fr 1.2in; gap: .1in; padding: .16in .18in;
          outline: 1px dashed #c79a86; outline-offset: -1px; background: #fffdfa; overflow: hidden; }
  .card::before { content: ""; position: absolute; inset: 0 auto 0 0; width: .07in; background: #1d4f4e; }
  .brand { display: flex; align-items: center; gap: .06in; margin: 0 0 .05in; }
  .brand img { width: .32in; height: .32in; object-fit: contain; }
  .brand strong { font: 600 9.5pt/1.15 "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, serif; color: #143938; }
  .referred { margin: 0 0 .04in; font-size: 8pt; color: #8e5647; text-transform: uppercase; letter-spacing: .04em; }
  .partner { margin: 0 0 .05in; font-weight: 600; font-size: 8.5pt; }
  .text { margin: 0 0 .05in; font-size: 7.5pt; color: #4f5a61; }
  .contact { margin: 0; font-size: 7.5pt; }
  .qr { display: flex; flex-direction: column; align-items: center; justify-content: center; }
  .qr svg { width: 1.15in; height: 1.15in; }
  .qr span { font-size: 6pt; color: #4f5a61; word-break: break-all; text-align: center; }
  @media print { html { background: #fff; } .help { display: none; } .card { outline-color: #e0d3c2; } }
</style>
</head>
<body>
<p class="help">Print on US Letter business-card stock (2 &times; 5 cards, 3.5 &times; 2 in, e.g. Avery 8371) at
100% scale, no margins. Code <strong>{{ partner.code }}</strong> &middot; {{ link }}</p>
<main class="sheet" aria-label="Referral cards for {{ partner.name }}">
{% for _ in range(cards) %}
  <section class="card">
    <div>
      <p class="brand">{% if logo %}<img src="{{ logo }}" alt="">{% endif %}<strong>{{ practice.name }}</strong></p>
      <p class="referred">Referred by</p>
      <p class="partner">{{ partner.name }}</p>
      <p class="text">{{ text }}</p>
      <p class="contact">{{ practice.phone }}{% if practice.web %} &middot; {{ practice.web }}{% endif %}</p>
    </div>
    <div class="qr">{{ qr }}<span>ref: {{ partner.code }}</span></div>
  </section>
{% endfor %}
</main>
</body>
</html>
""")

INDEX_TEMPLATE = _ENV.from_string("""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="artefact" content="internal">
<meta name="robots" content="noindex, nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Referral partners (internal) | {{ practice.name }}</title>
<style>
  body { margin: 2rem auto; max-width: 70rem; padding: 0 1rem; font: 15px/1.45 system-ui, -apple-system, "Segoe UI",
         Roboto, Arial, sans-serif; color: #18232b; }
  h1 { font-family: "Iowan Old Style", "Palatino Linotype", Palatino, Georgia, serif; color: #143938; }
  .warn { background: #f6e6df; border-left: 4px solid #8e5647; padding: .5rem .75rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; vertical-align: top; padding: .5rem; border-bottom: 1px solid #e0d3c2; }
  td.qr img { width: 96px; height: 96px; }
  code { word-break: break-all; font-size: .85em; }
</style>
</head>
<body>
<h1>Referral partners</h1>
<p class="warn">Internal: this page holds partners' contact details. Never publish or forward it.</p>
<p>{{ partners|length }} partner{{ "s" if partners|length != 1 }}; generated for {{ site_url }}.
Tracked links and QR codes carry only the partner's code and the campaign <code>{{ campaign }}</code>.</p>
<table>
<thead><tr><th scope="col">Partner</th><th scope="col">Status</th><th scope="col">Internal contact</th>
<th scope="col">Tracked link</th><th scope="col">QR code</th></tr></thead>
<tbody>
{% for row in partners %}
<tr>
  <td><strong>{{ row.partner.name }}</strong><br>{{ row.partner.kind_label }} &middot; code <code>{{ row.partner.code }}</code>
      <br>since {{ row.partner.since.isoformat() }}</td>
  <td>{{ row.partner.status }}<br>{{ "listed publicly" if row.partner.listed else "not listed publicly" }}</td>
  <td>{{ row.partner.contact.name }}{% if row.partner.contact.role %}, {{ row.partner.contact.role }}{% endif %}
      {% if row.partner.contact.phone %}<br>{{ row.partner.contact.phone }}{% endif %}
      {% if row.partner.contact.email %}<br>{{ row.partner.contact.email }}{% endif %}</td>
  <td><code>{{ row.link }}</code><br><a href="{{ row.partner.code }}/card.html">Printable cards</a></td>
  <td class="qr"><img src="{{ row.partner.code }}/qr.svg" alt="QR code for {{ row.partner.name }}"><br>
      <a href="{{ row.partner.code }}/qr.png">PNG</a> &middot; <a href="{{ row.partner.code }}/qr.svg">SVG</a></td>
</tr>
{% endfor %}
</tbody>
</table>
</body>
</html>
""")


def _data_uri(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def partner_kit(
    registry: Registry,
    practice: Mapping,
    site_url: str,
    campaign: str = DEFAULTS["PARTNER_CAMPAIGN"],
    landing: str = DEFAULTS["PARTNER_LANDING"],
    card_text: str = DEFAULTS["PARTNER_CARD_TEXT"],
    logo: Path | None = None,
) -> dict[str, bytes]:
    """Every file of the partner kit, by relative path: links.csv, index.html and per partner
    ``<code>/qr.svg``, ``qr.png``, ``card.html``. ``practice`` holds name, phone (and optional web)."""
    files: dict[str, bytes] = {}
    rows = []
    logo_uri = _data_uri(logo)
    web = urlsplit(site_url).netloc if site_url.startswith("http") else ""
    practice_view = {"name": practice["name"], "phone": practice.get("phone", ""), "web": web}
    for partner in sorted(registry.partners, key=lambda p: p.code):
        link = tracked_link(site_url, partner, campaign, landing)
        card_link = tracked_link(site_url, partner, campaign, landing, content="card")
        qr = qr_code(card_link)
        svg = qr_svg(qr, f"{practice['name']}: referral from {partner.name}")
        files[f"{partner.code}/qr.svg"] = svg
        files[f"{partner.code}/qr.png"] = qr_png(qr)
        files[f"{partner.code}/card.html"] = CARD_TEMPLATE.render(
            partner=partner,
            practice=practice_view,
            link=card_link,
            text=card_text,
            logo=logo_uri,
            qr=Markup(svg.decode("utf-8")),
            cards=CARDS_PER_SHEET,
        ).encode("utf-8")
        rows.append({"partner": partner, "link": link, "card_link": card_link})
    files["index.html"] = INDEX_TEMPLATE.render(
        partners=rows, practice=practice_view, site_url=site_url, campaign=campaign
    ).encode("utf-8")
    files["links.csv"] = links_csv(rows)
    return files


def links_csv(rows: Iterable[dict]) -> bytes:
    """code, name, kind, status, public, link, card link: for sharing links (no contact details)."""
    header = ["code", "name", "kind", "status", "listed_publicly", "tracked_link", "card_qr_link"]
    table = []
    for row in rows:
        p = row["partner"]
        table.append([p.code, p.name, p.kind_label, p.status, p.listed, row["link"], row["card_link"]])
    return csv_bytes(header, table, booleans=("yes", "no"))


def write_partner_kit(target: Path, files: Mapping[str, bytes]) -> Path:
    """Replace ``target`` (internal/partners) with the kit in one step: never half-written."""
    write_folder(target, files, mode=0o700)  # its owner's alone, as the reports
    log.info("partners: wrote %d files to %s", len(files), target)
    return Path(target)


def public_listing(registry: Registry) -> list[dict]:
    """What the public page may show: listed partners only, without contact or notes."""
    listed = sorted((p for p in registry.partners if p.listed), key=lambda p: (p.kind_label, p.name.lower()))
    return [
        {
            "name": p.name,
            "kind": p.kind,
            "kind_label": p.kind_label,
            "city": p.address.city,
            "region": p.address.region,
            "website": p.website,
            "blurb": p.blurb,
        }
        for p in listed
    ]


def read_practice(content_root: Path) -> dict:
    """Name, phone and logo path from content/practice.yml (for the cards' branding)."""
    path = Path(content_root) / "practice.yml"
    data = frontmatter.load_yaml(path.read_text(encoding="utf-8"), str(path)).data if path.is_file() else {}
    logo = (data.get("logo") or {}).get("src") if isinstance(data.get("logo"), dict) else None
    return {
        "name": str(data.get("name") or "Our practice"),
        "phone": str(data.get("phone") or ""),
        "currency": str(data.get("currency") or "USD"),
        "logo": Path(content_root) / logo if logo else None,
    }


def registry_path(settings: Mapping) -> tuple[Path, str]:
    """The registry file from PARTNER_REGISTRY (relative to the content folder), and how to show it."""
    content = Path(settings.get("PATH") or "content")
    path = Path(settings.get("PARTNER_REGISTRY") or DEFAULTS["PARTNER_REGISTRY"])
    path = path if path.is_absolute() else content / path
    try:
        shown = path.resolve().relative_to(content.resolve().parent).as_posix()
    except ValueError:
        shown = str(path)
    return path, shown


def kit_from_settings(settings: Mapping, root: Path) -> tuple[Path, int]:
    """`inv partners`: the kit for every partner in the registry, written to <INTERNAL_PATH>/partners/."""
    values = check_settings(settings)
    path, shown = registry_path(settings)
    registry = load_registry(path, shown, missing_ok=False)
    if not registry.partners:
        raise PartnerError(f'{shown}: lists no partners — add one (see README, "Referral partners").')
    practice = read_practice(Path(settings.get("PATH") or root / "content"))
    files = partner_kit(
        registry,
        practice,
        str(settings.get("SITEURL") or ""),
        values["PARTNER_CAMPAIGN"],
        values["PARTNER_LANDING"],
        values["PARTNER_CARD_TEXT"],
        practice["logo"],
    )
    internal = Path(settings.get("INTERNAL_PATH") or "internal")
    target = (internal if internal.is_absolute() else Path(root) / internal) / "partners"
    write_partner_kit(target, files)
    return target, len(registry.partners)
