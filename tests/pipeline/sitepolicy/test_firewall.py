"""The tag firewall's rules on page scans: each rule fails a page, and says so."""

from __future__ import annotations

import json

import pytest

from pipeline.sitepolicy import csp, firewall, html, tracking
from pipeline.sitepolicy.errors import SitePolicyError
from pipeline.sitepolicy.firewall import Policy
from pipeline.sitepolicy.tags import Tag, parse_tags

FORM = '<form id="inquiry-form" data-inquiry action="/api/inquiry" method="post"><input type="hidden" name="form" value="contact"></form>'
GTAG = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-XYZ"></script>'
PLAUSIBLE = '<script defer data-domain="aurora.example" src="https://plausible.io/js/script.js"></script>'
TERMS = tracking.terms_table(
    [
        {
            "id": "botox",
            "name": "Botox® Cosmetic",
            "body_areas": ["forehead", "crow's feet"],
            "devices": ["Dysport"],
        }
    ],
    extra=["Hair loss"],
    exceptions=["scar"],
)


def policy(**changes) -> Policy:
    values = dict(
        first_party=frozenset({"www.aurora.example"}),
        receiver_url="/api/inquiry",
        thank_you_path="/thank-you/",
        tags=(),
        terms=TERMS,
    )
    values.update(changes)
    return Policy(**values)


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head><meta charset=utf-8>{head}</head><body>{body}</body></html>"


def built(text: str, path: str, rules: Policy) -> html.PageScan:
    """The page as the build writes it (its Content-Security-Policy first in its head), scanned."""
    protected = html.form_hint(text) or path == rules.thank_you_path
    text = csp.with_meta(text, rules.page_policy(path, protected, csp.inline_script_hashes(text)))
    return html.scan(text, rules.own_hosts, rules.page_url(path))


def scans(site: dict, rules: Policy) -> dict:
    return {path: built(text, path, rules) for path, text in site.items()}


def problems(site: dict, rules: Policy | None = None) -> list[str]:
    rules = rules or policy()
    return [
        str(v) for v in firewall.check(scans(site, rules), rules, {"/contact/": "content/pages/contact.md"})
    ]


def test_a_clean_site_passes():
    site = {
        "/contact/": page(FORM, '<script src="/theme/js/site.js"></script>'),
        "/": page("<h1>Hi</h1>"),
        "/thank-you/": page("<p>Thanks</p>"),
    }
    assert problems(site) == []


def test_analytics_on_a_form_page_fails_naming_page_host_and_fix():
    [message] = problems({"/contact/": page(FORM, GTAG)})
    assert message.startswith(
        "/contact/ (content/pages/contact.md): loads a third-party script from www.googletagmanager.com"
    )
    assert "page with an inquiry form" in message and "remove it from this page" in message


def test_allowlisted_tag_is_still_refused_on_form_and_thank_you_pages():
    rules = policy(tags=(Tag("Plausible", "plausible.io"),))
    found = problems(
        {
            "/contact/": page(FORM, PLAUSIBLE),
            "/thank-you/": page("", PLAUSIBLE),
            "/blog/": page("", PLAUSIBLE),
        },
        rules,
    )
    assert len(found) == 2
    assert any(m.startswith("/thank-you/") and "the thank-you page" in m for m in found)
    assert all("'Plausible' is allowed on pages without forms only" in m for m in found)


def test_undeclared_tag_anywhere_fails_and_declaring_it_passes():
    site = {"/blog/": page("", PLAUSIBLE)}
    [message] = problems(site)
    assert "not declared" in message and '"host": "plausible.io"' in message
    assert problems(site, policy(tags=(Tag("Plausible", "plausible.io"),))) == []


def test_tag_limited_to_some_pages():
    rules = policy(tags=(Tag("Video", "*.youtube-nocookie.com", ("/blog/*",), loads=("frame",)),))
    frame = '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="v"></iframe>'
    assert problems({"/blog/a/": page(frame)}, rules) == []
    [message] = problems({"/about/": page(frame)}, rules)
    assert "allows only on /blog/*" in message
    # Declared without "frame", the page's policy would block it: the build says so.
    scripts_only = policy(tags=(Tag("Video", "*.youtube-nocookie.com", ("/blog/*",)),))
    [message] = problems({"/blog/a/": page(frame)}, scripts_only)
    assert "as a frame, which its declaration does not list" in message and 'add "frame"' in message


@pytest.mark.parametrize(
    "element, kind",
    [
        ('<img src="https://www.facebook.com/tr?id=1" alt="">', "pixel or image"),
        ('<iframe src="https://maps.example/embed" title="map"></iframe>', "iframe"),
        ('<link rel="stylesheet" href="https://fonts.googleapis.com/css2">', "stylesheet"),
        ('<link rel="preconnect" href="https://fonts.gstatic.com">', "linked resource"),
        (
            '<script>navigator.sendBeacon("https://collect.example/e", "x")</script>',
            "address in an inline script",
        ),
        ('<a href="/x" ping="https://ping.example/">x</a>', "ping beacon"),
        ('<form action="https://forms.example/f" method="post"></form>', "form post"),
    ],
)
def test_every_kind_of_third_party_request_on_a_form_page_fails(element, kind):
    [message] = problems({"/contact/": page(FORM + element)})
    assert f"loads a third-party {kind} from" in message


def test_a_form_must_post_to_the_receiver():
    wrong = FORM.replace('action="/api/inquiry"', 'action="/contact/"')
    [message] = problems({"/contact/": page(wrong)})
    assert "posts to /contact/" in message and "INQUIRY_RECEIVER_URL (/api/inquiry)" in message
    cross_origin = policy(
        receiver_url="https://api.aurora.example/inquiry",
        first_party=frozenset({"www.aurora.example", "api.aurora.example"}),
    )
    ok = FORM.replace('action="/api/inquiry"', 'action="https://api.aurora.example/inquiry"')
    assert problems({"/contact/": page(ok)}, cross_origin) == []


@pytest.mark.parametrize(
    "href, term",
    [
        ("/specials/?utm_source=ig&utm_campaign=botox", "botox"),
        (
            "https://www.instagram.com/aurora/?utm_campaign=November%20Botox%C2%AE%20Cosmetic",
            "botox cosmetic",
        ),
        ("/?utm_content=crows-feet-ad", "crows feet"),
        ("/?ref=drlee&utm_term=hair+loss", "hair loss"),
        ("/?utm_campaign=dysport-week", "dysport"),
        ("/?utm_medium=email&utm_campaign=rosacea-talk", "rosacea"),
        ("/?gclid=x&utm_campaign=foreheads", "forehead"),
    ],
)
def test_tracking_links_must_not_name_a_procedure_or_condition(href, term):
    [message] = problems({"/blog/": page(f'<a href="{href}">x</a>')})
    assert f"names '{term}'" in message and "neutral value" in message


def test_neutral_tracking_links_and_plain_links_pass():
    body = (
        '<a href="/?utm_source=facebook&utm_campaign=november-offer">a</a>'
        '<a href="/procedures/botox/">a page about botox is fine</a>'
        '<a href="/?utm_campaign=scar-free-summer">an exception</a>'
    )
    assert problems({"/blog/": page(body)}) == []


def test_allowed_tag_urls_and_analytics_calls_must_not_name_treatments():
    rules = policy(tags=(Tag("Plausible", "plausible.io"),))
    tag = '<img src="https://plausible.io/api/event?n=pageview&u=/procedures/botox/" alt="">'
    [message] = problems({"/blog/": page(tag)}, rules)
    assert "the 'Plausible' URL" in message and "'botox'" in message
    call = "<script>plausible('Lead', {props: {treatment: 'Botox Cosmetic'}})</script>"
    [message] = problems({"/blog/": page(call)}, rules)
    assert "an analytics call names 'botox cosmetic'" in message
    [message] = problems({"/thank-you/": page("<script>gtag('event', 'generate_lead')</script>")})
    assert "runs an analytics call on the thank-you page" in message


def test_an_allowed_tag_may_not_run_on_a_page_whose_address_names_a_treatment():
    """Analytics receive the page's own URL with every page view: /blog/botox-myths/ would tell them."""
    rules = policy(tags=(Tag("Plausible", "plausible.io"),))
    found = problems(
        {
            "/blog/botox-myths/": page("", PLAUSIBLE),
            "/gallery/procedures/botox/": page("", PLAUSIBLE),
            "/blog/hair-loss-answers/": page("", PLAUSIBLE),
            "/team/": page("", PLAUSIBLE),
            "/blog/scar-care/": page("", PLAUSIBLE),
        },
        rules,
    )
    assert [m.split(":")[0] for m in found] == [
        "/blog/botox-myths/",
        "/blog/hair-loss-answers/",
        "/gallery/procedures/botox/",
    ]
    assert all("'Plausible' loads on a page whose address names" in m and '"pages": ["/"' in m for m in found)
    # Listing only neutral pages for the tag keeps it off the others.
    narrow = policy(tags=(Tag("Plausible", "plausible.io", ("/", "/team/*")),))
    assert problems({"/team/": page("", PLAUSIBLE)}, narrow) == []


def test_settings_are_checked():
    assert parse_tags([{"name": "P", "host": "plausible.io"}]) == (Tag("P", "plausible.io", "no-forms"),)
    for bad, says in [
        ("plausible.io", "must be a list"),
        ([{"name": "P", "host": "https://plausible.io/js"}], "host name only"),
        ([{"host": "plausible.io"}], "has no name"),
        ([{"name": "P", "host": "plausible.io", "pages": "all"}], '"no-forms"'),
        ([{"name": "P", "host": "plausible.io", "where": "x"}], "unknown key"),
    ]:
        with pytest.raises(SitePolicyError, match=says):
            parse_tags(bad)


def test_manifest_lists_forms_scripts_and_hosts_deterministically():
    rules = policy(tags=(Tag("Plausible", "plausible.io"),))
    site = {
        "/contact/": page(FORM, '<script src="/theme/js/site.js"></script>'),
        "/blog/": page('<a href="/?utm_source=x">x</a>', PLAUSIBLE),
    }
    report = firewall.manifest(
        scans(site, rules), rules, {"/contact/": "contact/index.html", "/blog/": "blog/index.html"}
    )
    assert report["summary"] == {"pages": 2, "pages_with_forms": 1, "external_hosts": ["plausible.io"]}
    contact, blog = report["pages"]["/contact/"], report["pages"]["/blog/"]
    assert contact["forms"] == [
        {"id": "inquiry-form", "preset": "contact", "action": "/api/inquiry", "method": "post"}
    ]
    assert contact["scripts"] == ["/theme/js/site.js"] and contact["external_hosts"] == []
    assert blog["third_party_tags"] == ["Plausible"] and blog["tracking_links"] == ["/?utm_source=x"]
    again = firewall.manifest(
        dict(reversed(list(scans(site, rules).items()))),
        rules,
        {"/contact/": "contact/index.html", "/blog/": "blog/index.html"},
    )
    assert json.dumps(report, sort_keys=True) == json.dumps(again, sort_keys=True)
