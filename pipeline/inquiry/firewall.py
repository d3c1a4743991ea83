"""The tag firewall: which pages may load what from whom, decided on the built HTML.

Rules (REFERENCE.md, "Tracking without leaking health data"; HHS OCR bulletin on online
tracking): inquiry forms and the thank-you page load nothing from another host, ever; a
third-party tag elsewhere must be declared in ``INQUIRY_THIRD_PARTY_TAGS``; and no
attribution or analytics URL (a link with UTM, click-id or ``ref`` parameters, an allowed
tag's own URL, an analytics call in an inline script) may carry a procedure or condition
name.

:func:`check` returns every violation, :func:`manifest` the internal tracking manifest.
Both are pure: page scans (:mod:`pipeline.inquiry.pages`) and a :class:`Policy` in.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from pipeline.content.errors import Problem
from pipeline.inquiry.errors import InquiryError
from pipeline.inquiry.pages import PageScan, host_of, tracking_params

NO_FORMS = "no-forms"
# Condition words checked in every attribution URL, besides the content model's procedures,
# devices and body areas. INQUIRY_SENSITIVE_TERMS adds to these.
CONDITION_TERMS = (
    "acne", "acne scars", "alopecia", "anxiety", "botulism", "breast cancer", "cancer", "cellulite",
    "chronic pain", "dandruff", "depression", "diabetes", "eczema", "erectile dysfunction",
    "gynecomastia", "hair loss", "hepatitis", "herpes", "hiv", "hormone", "hyperhidrosis",
    "hyperpigmentation", "incontinence", "infertility", "keloid", "lipedema", "lipoma", "lupus",
    "melasma", "menopause", "migraine", "obesity", "pregnancy", "pregnant", "psoriasis", "rosacea",
    "scar", "scarring", "skin cancer", "spider veins", "stretch marks", "tattoo removal", "varicose veins",
    "vitiligo", "weight loss", "wrinkles",
)
MIN_TERM_LENGTH = 3


class TagFirewallError(InquiryError):
    """The built site breaks a tracking rule; the message lists each page, tag and fix."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        count = len(violations)
        head = (
            f"The tag firewall stopped the build ({count} problem{'s' if count != 1 else ''}). "
            "Inquiry forms and the thank-you page must load nothing from other companies, and no "
            "tracking address may name a treatment or condition:"
        )
        super().__init__("\n".join([head, *(f"  {v}" for v in violations)]))

    @property
    def problems(self) -> list[Problem]:
        """The violations as content problems: the content file (or the page) and what to fix."""
        return [v.as_problem() for v in self.violations]


@dataclass(frozen=True, order=True)
class Violation:
    page: str  # site path, e.g. "/contact/"
    problem: str
    fix: str
    source: str = ""  # the content file behind the page, when there is one

    def __str__(self) -> str:
        where = f"{self.page}" + (f" ({self.source})" if self.source else "")
        return f"{where}: {self.problem} — {self.fix}"

    def as_problem(self) -> Problem:
        return Problem(self.source or f"output{self.page}", f"page {self.page}" if self.source else "page",
                       self.problem, self.fix)


@dataclass(frozen=True)
class Tag:
    """One declared third-party tag: its name, its host, and the pages it may load on."""

    name: str
    host: str  # "plausible.io", or "*.example-analytics.com" for every subdomain
    pages: str | tuple[str, ...] = NO_FORMS  # "no-forms" or site-path globs ("/blog/*")

    def matches_host(self, host: str) -> bool:
        if self.host.startswith("*."):
            return host == self.host[2:] or host.endswith(self.host[1:])
        return host == self.host

    def allows(self, path: str) -> bool:
        return self.pages == NO_FORMS or any(fnmatch.fnmatchcase(path, glob) for glob in self.pages)


@dataclass(frozen=True)
class Policy:
    first_party: frozenset[str]  # host names that are the practice's own
    receiver_url: str  # where inquiry forms must post (a path or a full URL)
    thank_you_path: str  # e.g. "/thank-you/"
    tags: tuple[Tag, ...] = ()
    terms: Mapping[str, str] = field(default_factory=dict)  # normalized term -> what it is

    def tag_for(self, host: str) -> Tag | None:
        return next((tag for tag in self.tags if tag.matches_host(host)), None)


# --- settings ----------------------------------------------------------------------------


def parse_tags(value: Any, key: str = "INQUIRY_THIRD_PARTY_TAGS") -> tuple[Tag, ...]:
    """The allowlist setting: a list of {"name", "host", "pages"} (pages: "no-forms" or globs)."""
    example = '[{"name": "Plausible", "host": "plausible.io", "pages": "no-forms"}]'
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)):
        raise InquiryError(f"{key} must be a list such as {example}.")
    tags = []
    for index, item in enumerate(value):
        where = f"{key}[{index}]"
        if not isinstance(item, Mapping):
            raise InquiryError(f"{where} must be a dict such as {example[1:-1]}.")
        unknown = sorted(set(item) - {"name", "host", "pages"})
        if unknown:
            raise InquiryError(f"{where} has unknown key(s) {', '.join(unknown)}: use name, host and pages.")
        name, host = str(item.get("name") or "").strip(), str(item.get("host") or "").strip().lower()
        if not name:
            raise InquiryError(f"{where} has no name: say what the tag is, e.g. \"Plausible analytics\".")
        if not re.fullmatch(r"(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+", host):
            raise InquiryError(
                f"{where} ({name}) has host {item.get('host')!r}: give the host name only, "
                "such as 'plausible.io' (no https://, no path), or '*.example.com' for its subdomains."
            )
        pages = item.get("pages", NO_FORMS)
        if isinstance(pages, str) and pages == NO_FORMS:
            pass
        elif isinstance(pages, (list, tuple)) and pages and all(
            isinstance(p, str) and p.startswith("/") for p in pages
        ):
            pages = tuple(pages)
        else:
            raise InquiryError(
                f"{where} ({name}) has pages {pages!r}: use \"no-forms\" (every page without an "
                "inquiry form) or a list of site paths such as [\"/blog/*\"]."
            )
        tags.append(Tag(name, host, pages))
    return tuple(tags)


def terms_table(
    procedures: Iterable[Mapping[str, Any]], extra: Iterable[str] = (), exceptions: Iterable[str] = ()
) -> dict[str, str]:
    """Normalized sensitive term -> what it is, from the content model and the settings.

    ``procedures``: dicts with ``id``, ``name``, ``body_areas`` and ``devices``.
    """
    table: dict[str, str] = {}

    def add(term: str, what: str) -> None:
        key = normalize(term)
        if len(key) >= MIN_TERM_LENGTH and key not in table:
            table[key] = what

    for procedure in procedures:
        name = procedure["name"]
        add(procedure["id"], f"the id of procedure '{name}'")
        add(name, "a procedure")
        for device in procedure.get("devices", ()):
            add(device, f"a device used for {name}")
        for area in procedure.get("body_areas", ()):
            add(area, f"a body area of {name}")
    for term in CONDITION_TERMS:
        add(term, "a condition")
    for term in extra:
        add(term, "a term in INQUIRY_SENSITIVE_TERMS")
    for term in exceptions:
        table.pop(normalize(term), None)
    return dict(sorted(table.items()))


def normalize(text: str) -> str:
    """Lower case, no accents or punctuation, single spaces: ``Crow's-Feet®`` -> ``crows feet``."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"['’`]", "", plain)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def find_terms(text: str, terms: Mapping[str, str]) -> list[str]:
    """The sensitive terms in ``text`` (URL-decoded twice), whole words, plural -s included."""
    decoded = unquote_plus(unquote_plus(text))
    padded = f" {normalize(decoded)} "
    found = [term for term in terms if f" {term} " in padded or f" {term}s " in padded]
    # "botox cosmetic" found: "botox" inside it is the same finding.
    return [t for t in found if not any(o != t and f" {t} " in f" {o} " for o in found)]


# --- the check ---------------------------------------------------------------------------


def check(pages: Mapping[str, PageScan], policy: Policy, sources: Mapping[str, str] | None = None) -> list[Violation]:
    """Every rule the built pages break. ``pages``: site path -> scan; ``sources``: site path -> content file."""
    sources = sources or {}
    found: set[Violation] = set()
    for path, scan in sorted(pages.items()):
        source = sources.get(path, "")

        def report(problem: str, fix: str) -> None:
            found.add(Violation(path, problem, fix, source))

        protected = _protected(path, scan, policy)
        for fetch in scan.fetches:
            host = host_of(fetch.url)
            if host is None or host in policy.first_party:
                continue
            if fetch.kind == "form post" and _is_receiver(fetch.url, policy):
                continue
            tag = policy.tag_for(host)
            what = f"{fetch.kind} from {host} ({fetch.element} {_short(fetch.url)})"
            if protected:
                label = "the thank-you page" if path == policy.thank_you_path else "a page with an inquiry form"
                allowed = f" '{tag.name}' is allowed on pages without forms only." if tag else ""
                report(
                    f"loads a third-party {what} on {label}",
                    "remove it from this page (its template or Markdown): no third-party script, pixel, "
                    f"iframe or beacon may load where visitors send an inquiry.{allowed}",
                )
            elif tag is None:
                report(
                    f"loads a third-party {what} that is not declared",
                    "serve it from the site itself, remove it, or, if the practice has agreed to it, declare "
                    f'it in INQUIRY_THIRD_PARTY_TAGS: {{"name": "...", "host": "{host}", "pages": "no-forms"}}',
                )
            elif not tag.allows(path):
                report(
                    f"loads '{tag.name}' ({what}), which INQUIRY_THIRD_PARTY_TAGS allows only on {', '.join(tag.pages)}",
                    "remove it from this page, or add this page to the tag's pages",
                )
            if tag is not None and not protected and tag.allows(path):
                # An analytics tag reports the address of the page it runs on: that address must not
                # say what the visitor is reading about either.
                for term in find_terms(path, policy.terms):
                    report(
                        f"'{tag.name}' loads on a page whose address names '{term}' ({policy.terms[term]}), "
                        "and would receive that address with each page view",
                        "keep the tag off pages about treatments and conditions: list only neutral pages in "
                        f"its INQUIRY_THIRD_PARTY_TAGS entry, e.g. \"pages\": [\"/\", \"/team/*\", \"/contact/\"]",
                    )
            if tag is not None:
                for term in find_terms(_path_and_query(fetch.url), policy.terms):
                    report(
                        f"the '{tag.name}' URL {_short(fetch.url)} names '{term}' ({policy.terms[term]})",
                        "a third-party tag's URL must never carry a treatment or condition: remove it from the URL",
                    )
        for form in scan.forms:
            if form.method != "post" or not _is_receiver(form.action, policy):
                report(
                    f"the inquiry form #{form.id or '?'} posts to {form.action or '(no action)'} "
                    f"with method {form.method}",
                    f"inquiry forms must POST to INQUIRY_RECEIVER_URL ({policy.receiver_url}): use the "
                    "inquiry_form macro or the [[inquiry-form]] line",
                )
        for url in scan.tracking_urls:
            params = tracking_params(url)
            for name, value in params:
                for term in find_terms(f"{name} {value}", policy.terms):
                    report(
                        f"the tracking link {_short(url)} names '{term}' ({policy.terms[term]}) in {name}",
                        "tracking parameters must never name a treatment or condition: use a neutral "
                        "value such as utm_campaign=november-offer (the page itself says what it is about)",
                    )
            fragment = urlsplit(url).fragment if "#" in url else ""
            for term in find_terms(fragment, policy.terms):
                report(
                    f"the tracking link {_short(url)} names '{term}' ({policy.terms[term]}) after #",
                    "remove the treatment or condition from the link",
                )
        for call in scan.tracker_calls:
            if protected:
                report(
                    f"runs an analytics call on {'the thank-you page' if path == policy.thank_you_path else 'a page with an inquiry form'}: {call!r}",
                    "remove it: form and thank-you pages send nothing to analytics",
                )
            for term in find_terms(call, policy.terms):
                report(
                    f"an analytics call names '{term}' ({policy.terms[term]}): {call!r}",
                    "analytics events must never carry a treatment or condition: remove it from the event",
                )
    return sorted(found)


def _protected(path: str, scan: PageScan, policy: Policy) -> bool:
    return bool(scan.forms) or path == policy.thank_you_path


def _is_receiver(url: str, policy: Policy) -> bool:
    target = urlsplit(url.strip())
    receiver = urlsplit(policy.receiver_url)
    if receiver.netloc:
        return (target.hostname or "") == receiver.hostname and target.path == receiver.path
    return target.path == receiver.path and (not target.netloc or (target.hostname or "") in policy.first_party)


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path} {parts.query} {parts.fragment}"


def _short(url: str, limit: int = 100) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


# --- the manifest ------------------------------------------------------------------------


def manifest(pages: Mapping[str, PageScan], policy: Policy, files: Mapping[str, str] | None = None) -> dict:
    """The internal tracking manifest: per page its forms, scripts and the hosts it contacts."""
    files = files or {}
    entries = {}
    all_hosts: set[str] = set()
    for path, scan in sorted(pages.items()):
        hosts = sorted({h for h in (host_of(f.url) for f in scan.fetches) if h and h not in policy.first_party})
        all_hosts.update(hosts)
        entries[path] = {
            "file": files.get(path, ""),
            "forms": [
                {"id": form.id, "preset": form.preset, "action": form.action, "method": form.method}
                for form in scan.forms
            ],
            "thank_you": path == policy.thank_you_path,
            "scripts": list(scan.scripts),
            "inline_scripts": dict(sorted(scan.inline_scripts.items())),
            "external_hosts": hosts,
            "third_party_tags": sorted({tag.name for h in hosts if (tag := policy.tag_for(h))}),
            "tracking_links": sorted(set(scan.tracking_urls)),
        }
    return {
        "about": (
            "Internal: what each built page loads and which inquiry forms it carries "
            "(plugins/inquiry_tags). Never deployed."
        ),
        "receiver_url": policy.receiver_url,
        "thank_you": policy.thank_you_path,
        "first_party_hosts": sorted(policy.first_party),
        "allowed_tags": [
            {"name": t.name, "host": t.host, "pages": t.pages if isinstance(t.pages, str) else list(t.pages)}
            for t in policy.tags
        ],
        "summary": {
            "pages": len(entries),
            "pages_with_forms": sum(1 for e in entries.values() if e["forms"]),
            "external_hosts": sorted(all_hosts),
        },
        "pages": entries,
    }
