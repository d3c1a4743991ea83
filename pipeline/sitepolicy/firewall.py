"""The tag firewall: which pages may load what from whom, decided on the built HTML.

Rules (HHS OCR bulletin on online tracking technologies, Dec 2022, revised Mar 2024):
inquiry forms and the thank-you page load nothing from another host, ever; a third-party
tag elsewhere must be declared in ``INQUIRY_THIRD_PARTY_TAGS`` (and is refused for any
kind of load it does not declare, since the page's Content-Security-Policy would block
it); no page runs script from an address, embeds plugins, redirects itself elsewhere or
changes its base address; and no attribution or analytics URL (a link with UTM, click-id
or ``ref`` parameters, an allowed tag's own URL, an analytics call in an inline script)
may carry a procedure or condition name. Every page carries the policy :mod:`.csp` builds
for it, first in its ``<head>``.

:func:`check` returns every violation, :func:`manifest` the internal tracking manifest.
Both are pure: page scans (:mod:`.html`) and a :class:`Policy` in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pipeline.content.errors import Problem
from pipeline.sitepolicy import csp, css, scripts
from pipeline.sitepolicy.errors import SitePolicyError
from pipeline.sitepolicy.html import PageScan
from pipeline.sitepolicy.tags import LOADS, Tag
from pipeline.sitepolicy.tracking import find_terms, tracking_params
from pipeline.sitepolicy.urls import origin_of, resolve

PLACEHOLDER_SITE = "https://first-party.invalid"  # the site's address when SITEURL is empty
# Families a declared tag can never open (the policy's object-src, base-uri are 'none'; a page
# never redirects itself to another host).
NEVER = {
    "object": "embedded objects",
    "base": "a base address",
    "redirect": "automatic redirects",
    "manifest": "app manifests",
}


class TagFirewallError(SitePolicyError):
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
        return Problem(
            self.source or f"output{self.page}",
            f"page {self.page}" if self.source else "page",
            self.problem,
            self.fix,
        )


@dataclass(frozen=True)
class Policy:
    first_party: frozenset[str]  # host names that are the practice's own
    receiver_url: str  # where inquiry forms must post (a path or a full URL)
    thank_you_path: str  # e.g. "/thank-you/"
    tags: tuple[Tag, ...] = ()
    terms: Mapping[str, str] = field(default_factory=dict)  # normalized term -> what it is
    site_url: str = ""  # SITEURL: pages are at site_url + path
    https: bool = True  # the site is served over https (upgrade-insecure-requests)
    # Pages that carry a policy of their own, declared one by one (site path -> that exact policy):
    # the content editor's /admin/. Every other page is held to the site's policy.
    own_policies: Mapping[str, str] = field(default_factory=dict)

    def tag_for(self, host: str) -> Tag | None:
        return next((tag for tag in self.tags if tag.matches_host(host)), None)

    def is_own(self, host: str) -> bool:
        return host in self.first_party or any(t.first_party and t.matches_host(host) for t in self.tags)

    def page_url(self, path: str) -> str:
        return (self.site_url.rstrip("/") or PLACEHOLDER_SITE) + path

    @property
    def own_hosts(self) -> frozenset[str]:
        """What a page scan treats as the site itself."""
        site = resolve(self.site_url or PLACEHOLDER_SITE, "").host
        return self.first_party | {t.host for t in self.tags if t.first_party} | ({site} if site else set())

    def page_tags(self, path: str, protected: bool) -> tuple[Tag, ...]:
        """The declared tags a page may load (none where visitors send an inquiry)."""
        return tuple(t for t in self.tags if not t.first_party and not protected and t.allows(path))

    def sources(self) -> csp.Sources:
        """What the site's Content-Security-Policy names besides 'self'."""
        own = sorted({f"https://{t.host}" for t in self.tags if t.first_party})
        own += sorted(
            f"https://{h}"
            for h in self.first_party
            if h != resolve(self.site_url or PLACEHOLDER_SITE, "").host
        )
        receiver = origin_of(self.receiver_url) if "//" in self.receiver_url else ""
        return csp.Sources(own=tuple(dict.fromkeys(own)), receiver=receiver, https=self.https)

    def page_policy(self, path: str, protected: bool, script_hashes=()) -> str:
        """The Content-Security-Policy of one page (its ``<meta>``)."""
        if path in self.own_policies:
            return self.own_policies[path]
        return csp.content_security_policy(self.sources(), self.page_tags(path, protected), script_hashes)

    def header_policy(self, script_hashes=()) -> str:
        """The policy sent as a response header for every page: every declared tag (each page's
        ``<meta>`` narrows it), plus what only a header can carry (frame-ancestors)."""
        tags = tuple(t for t in self.tags if not t.first_party)
        return csp.content_security_policy(self.sources(), tags, script_hashes, header=True)


# --- the check ---------------------------------------------------------------------------


def check(
    pages: Mapping[str, PageScan], policy: Policy, sources: Mapping[str, str] | None = None
) -> list[Violation]:
    """Every rule the built pages break. ``pages``: site path -> scan; ``sources``: site path -> content file."""
    sources = sources or {}
    found: set[Violation] = set()
    receiver = _receiver(policy)
    for path, scan in sorted(pages.items()):
        source = sources.get(path, "")

        def report(problem: str, fix: str, path: str = path, source: str = source) -> None:
            found.add(Violation(path, problem, fix, source))

        protected = _protected(path, scan, policy)
        label = "the thank-you page" if path == policy.thank_you_path else "a page with an inquiry form"
        for finding in scan.findings:
            report(finding.problem, finding.fix)
        for fetch in scan.fetches:
            host = fetch.host
            if not host or policy.is_own(host):
                continue
            if fetch.family == "form" and _same_target(fetch.href, receiver):
                continue
            tag = policy.tag_for(host)
            what = f"{fetch.kind} from {host} ({fetch.element} {_short(fetch.url)})"
            if fetch.family in NEVER:
                report(
                    f"{'has' if fetch.family != 'redirect' else 'has an'} {what}",
                    f"remove it: no page may use {NEVER[fetch.family]} on another host",
                )
                continue
            if protected:
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
                    f'it in INQUIRY_THIRD_PARTY_TAGS: {{"name": "...", "host": "{host}", "pages": "no-forms", '
                    f'"loads": ["{_load_for(fetch.family)}"], "purpose": "..."}}',
                )
            elif not tag.allows(path):
                report(
                    f"loads '{tag.name}' ({what}), which INQUIRY_THIRD_PARTY_TAGS allows only on {', '.join(tag.pages)}",
                    "remove it from this page, or add this page to the tag's pages",
                )
            elif _load_for(fetch.family) not in tag.loads:
                report(
                    f"loads '{tag.name}' ({what}) as a {_load_for(fetch.family)}, which its declaration does not "
                    f"list (loads: {', '.join(tag.loads)}), so the page's security policy blocks it",
                    f'add "{_load_for(fetch.family)}" to the "loads" of \'{tag.name}\' in INQUIRY_THIRD_PARTY_TAGS, '
                    "or remove it",
                )
            if tag is not None and not protected and tag.allows(path):
                # An analytics tag reports the address of the page it runs on: that address must not
                # say what the visitor is reading about either.
                for term in find_terms(path, policy.terms):
                    report(
                        f"'{tag.name}' loads on a page whose address names '{term}' ({policy.terms[term]}), "
                        "and would receive that address with each page view",
                        "keep the tag off pages about treatments and conditions: list only neutral pages in "
                        'its INQUIRY_THIRD_PARTY_TAGS entry, e.g. "pages": ["/", "/team/*", "/contact/"]',
                    )
            if tag is not None:
                for term in find_terms(_path_and_query(fetch.url), policy.terms):
                    report(
                        f"the '{tag.name}' URL {_short(fetch.url)} names '{term}' ({policy.terms[term]})",
                        "a third-party tag's URL must never carry a treatment or condition: remove it from the URL",
                    )
        for form in scan.forms:
            targets = [(form.action or "(no action)", form.target, form.method)] + [
                (
                    f"{s.action or form.action} (a button's formaction or formmethod)",
                    s.action or form.target,
                    s.method or form.method,
                )
                for s in form.submitters
            ]
            for shown, target, method in targets:
                if method != "post" or not _same_target(target, receiver):
                    report(
                        f"the inquiry form #{form.id or '?'} posts to {_short(shown)} with method {method}",
                        f"inquiry forms must POST to INQUIRY_RECEIVER_URL ({policy.receiver_url}): use the "
                        "inquiry_form macro or the [[inquiry-form]] line, without formaction or formmethod",
                    )
        for url in scan.tracking_urls:
            for name, value in tracking_params(url):
                for term in find_terms(f"{name} {value}", policy.terms):
                    report(
                        f"the tracking link {_short(url)} names '{term}' ({policy.terms[term]}) in {name}",
                        "tracking parameters must never name a treatment or condition: use a neutral "
                        "value such as utm_campaign=november-offer (the page itself says what it is about)",
                    )
            fragment = resolve(url, policy.page_url(path)).href.partition("#")[2]
            for term in find_terms(fragment, policy.terms):
                report(
                    f"the tracking link {_short(url)} names '{term}' ({policy.terms[term]}) after #",
                    "remove the treatment or condition from the link",
                )
        for call in scan.tracker_calls:
            if protected:
                report(
                    f"runs an analytics call on {label}: {call!r}",
                    "remove it: form and thank-you pages send nothing to analytics",
                )
            for term in find_terms(call, policy.terms):
                report(
                    f"an analytics call names '{term}' ({policy.terms[term]}): {call!r}",
                    "analytics events must never carry a treatment or condition: remove it from the event",
                )
        for problem, fix in _policy_problems(path, scan, policy):
            report(problem, fix)
    return sorted(found)


def _policy_problems(path: str, scan: PageScan, policy: Policy) -> list[tuple[str, str]]:
    """The page must carry exactly the policy built for it, before anything it loads."""
    fix = (
        "the theme's base.html wraps every page in {% filter security_policy(output_file) %}: keep it, "
        "and put nothing before the <meta charset> line"
    )
    if not scan.csp:
        return [("carries no Content-Security-Policy", fix)]
    problems = []
    if not scan.csp_first:
        problems.append(("loads something before its Content-Security-Policy", fix))
    protected = scan.form_hint or bool(scan.forms) or path == policy.thank_you_path
    expected = policy.page_policy(path, protected, scan.script_hashes)
    if csp.parse(scan.csp[0]) != csp.parse(expected):
        missing = [h for h in scan.script_hashes if h not in csp.parse(scan.csp[0]).get("script-src", ())]
        detail = (
            f": {len(missing)} inline script(s) it runs are not in its script-src"
            if missing
            else f": it should be {expected!r}"
        )
        problems.append((f"carries a Content-Security-Policy other than the one built for it{detail}", fix))
    return problems


def _protected(path: str, scan: PageScan, policy: Policy) -> bool:
    return bool(scan.forms) or scan.form_hint or path == policy.thank_you_path


def _receiver(policy: Policy) -> str:
    return resolve(policy.receiver_url, policy.page_url("/")).href


def _same_target(target: str, receiver: str) -> bool:
    """The same origin and path (a query or fragment aside)."""

    def strip(url: str) -> str:
        return url.split("#", 1)[0].split("?", 1)[0]

    return bool(target) and strip(target) == strip(receiver)


def _load_for(family: str) -> str:
    return family if family in LOADS else "connect"


def _path_and_query(url: str) -> str:
    href = resolve(url, PLACEHOLDER_SITE + "/").href or url
    return href.split("/", 3)[3] if href.count("/") >= 3 else href


def _short(url: str, limit: int = 100) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


# --- theme CSS and JavaScript ----------------------------------------------------------


def addresses_in_file(name: str, text: str) -> list[str]:
    """The addresses a theme file names: url()/@import/image-set() in CSS, string literals in JS."""
    if name.endswith(".css"):
        return css.urls_in_stylesheet(text)
    if name.endswith((".js", ".mjs")):
        return scripts.addresses(text)
    return []


def check_assets(urls: Mapping[str, list[str]], policy: Policy) -> list[Violation]:
    """Theme files (``/theme/css/site.css`` -> addresses it names): every host must be the site's
    own or a declared tag's, since theme files load on every page."""
    found = set()
    for path, addresses in sorted(urls.items()):
        for url in addresses:
            for target in (resolve(url, policy.page_url(path)),):
                if not target.fetches_from_network or policy.is_own(target.host):
                    continue
                if policy.tag_for(target.host) is None:
                    found.add(
                        Violation(
                            path,
                            f"names {target.host} ({_short(url)}), a host that is not the site's own",
                            "serve the file from the site itself (under theme/static), or declare the host in "
                            "INQUIRY_THIRD_PARTY_TAGS if the practice has agreed to it",
                        )
                    )
    return sorted(found)


# --- the manifest ------------------------------------------------------------------------


def manifest(pages: Mapping[str, PageScan], policy: Policy, files: Mapping[str, str] | None = None) -> dict:
    """The internal tracking manifest: per page its forms, scripts and the hosts it contacts."""
    files = files or {}
    entries = {}
    all_hosts: set[str] = set()
    for path, scan in sorted(pages.items()):
        hosts = sorted({f.host for f in scan.fetches if f.host and not policy.is_own(f.host)})
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
            "content_security_policy": scan.csp[0] if scan.csp else "",
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
            {
                "name": t.name,
                "host": t.host,
                "pages": t.pages if isinstance(t.pages, str) else list(t.pages),
                "loads": list(t.loads),
                "purpose": t.purpose,
            }
            for t in policy.tags
        ],
        "summary": {
            "pages": len(entries),
            "pages_with_forms": sum(1 for e in entries.values() if e["forms"]),
            "external_hosts": sorted(all_hosts),
        },
        "pages": entries,
    }
