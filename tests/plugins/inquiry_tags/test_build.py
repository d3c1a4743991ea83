"""plugins/inquiry_tags in real Pelican builds: forms per context, hidden fields, the thank-you
page, the [[inquiry-form]] line, the script, the tracking manifest, and the tag firewall."""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.content.errors import ContentError
from pipeline.inquiry import InquiryError
from pipeline.inquiry import fields as F
from pipeline.sitepolicy.errors import SitePolicyError
from pipeline.sitepolicy.firewall import TagFirewallError
from tests.support.html import meta, page
from tests.support.sitefactory import FILES, ROOT, SiteFactory

SITEURL = "https://test-aesthetics.example"
SCRIPT = ROOT / "plugins" / "inquiry_tags" / "static" / "attribution.js"
BOOK_PAGE = {"title": "Book a visit", "summary": "Ask for a consultation."}
BOOK_BODY = (
    "Tell us what you would like.\n"
    '[[inquiry-form procedure=rhinoplasty heading="Ask about your nose"]]\n\n'
    "Or write to us about anything else:\n\n[[inquiry-form]]\n\n"
    "Write `[[inquiry-form]]` on a line of its own to add a form.\n"
)


def factory(tmp_path: Path) -> SiteFactory:
    site = SiteFactory(tmp_path).write_all()
    site.write("pages/book.md", BOOK_PAGE, BOOK_BODY)
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = factory(tmp_path_factory.mktemp("inquiry-site"))
    site.build("publishconf.py", SITEURL=SITEURL, SEARCH_INDEX=False)
    return site


def form_of(doc, index: int = 0):
    forms = doc.xpath("//form[@data-inquiry]")
    assert forms, "no inquiry form"
    return forms[index]


def selected(form, name="interest") -> list[str]:
    return [o.text_content().strip() for o in form.xpath(f".//select[@name='{name}']//option[@selected]")]


def test_contact_form_is_complete_accessible_and_posts_to_the_receiver(built):
    form = form_of(page(built.output, "/contact/"))
    assert form.get("action") == "/api/inquiry" and form.get("method") == "post"
    assert form.get("id") == "inquiry-form"  # where the receiver sends a refused plain POST back
    hidden = {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}
    assert set(F.hidden_fields()) <= set(hidden)
    assert hidden["form"] == "contact" and hidden["form_page"] == "/contact/"
    names = {e.get("name") for e in form.xpath(".//input|.//select|.//textarea")}
    assert set(F.VISITOR_FIELDS) <= names and F.HONEYPOT in names
    for control in form.xpath(".//input[not(@type='hidden') and not(@type='radio')]|.//select|.//textarea"):
        assert form.xpath(f".//label[@for='{control.get('id')}']"), f"{control.get('name')} has no label"
    for radio in form.xpath(".//input[@type='radio']"):
        assert radio.getparent().tag == "label"
    assert form.xpath(".//fieldset/legend")
    assert form.xpath(".//input[@name='name']/@required") and form.xpath(
        ".//input[@name='consent_contact']/@required"
    )
    assert not form.xpath(".//input[@name='consent_sms']/@required")  # a separate, optional opt-in
    honeypot = form.xpath(".//input[@name='website']")[0]
    assert honeypot.get("tabindex") == "-1" and honeypot.xpath("ancestor::*[@aria-hidden='true']")
    assert form.xpath(".//input[@type='email'][@name='email']") and form.xpath(
        ".//input[@type='tel'][@name='phone']"
    )
    assert selected(form) == []  # nothing preselected on the general form
    locations = [o.text_content() for o in form.xpath(".//select[@name='preferred_location']/option")]
    assert locations == ["No preference", "North Clinic", "South Clinic"]


def test_each_context_preselects_in_the_form_body_only(built):
    procedure = form_of(page(built.output, "/procedures/botox/"))
    assert procedure.xpath(".//input[@name='form']/@value") == ["procedure"] and selected(procedure) == [
        "Botox"
    ]
    special = form_of(page(built.output, "/specials/botox-november/"))
    assert selected(special) == ["November Botox special"]
    assert selected(special, "preferred_location") == ["North Clinic"]  # the offer's only clinic
    event = form_of(page(built.output, "/events/open-house/"))
    assert event.xpath(".//input[@name='form']/@value") == ["event"]
    assert event.xpath(".//input[@type='hidden'][@name='interest']/@value") == ["Winter open house"]
    assert selected(event, "preferred_location") == ["North Clinic"]
    # No URL anywhere on these pages carries the preselection: not the action, not a link.
    for url, term in [
        ("/procedures/botox/", "botox"),
        ("/specials/botox-november/", "botox"),
        ("/events/open-house/", "open-house"),
    ]:
        doc = page(built.output, url)
        for value in doc.xpath("//@href|//@action|//@src"):
            parts = urlsplit(value)
            assert term not in (parts.query + parts.fragment).lower(), f"{url}: {value}"
        if "/events/" not in url:  # booking buttons go to the page's own form (#book), no parameters
            assert doc.xpath("//a[@data-track='booking'][@href='#book']") and doc.xpath(
                "//*[@id='book']//form"
            )


def test_pages_without_a_form(built):
    assert not page(built.output, "/specials/summer-facial/").xpath("//form[@data-inquiry]")  # offer ended
    assert not page(built.output, "/events/skin-talk/").xpath("//form[@data-inquiry]")  # past, no RSVP
    assert not page(built.output, "/blog/botox-myths/").xpath("//form[@data-inquiry]")


def test_markdown_line_renders_the_same_component(built):
    doc = page(built.output, "/book/")
    first, second = doc.xpath("//form[@data-inquiry]")
    assert first.get("id") == "inquiry-form" and second.get("id") == "inquiry-form-2"
    assert selected(first) == ["Rhinoplasty"] and first.xpath(".//input[@name='form']/@value") == [
        "procedure"
    ]
    assert doc.xpath("//h2[@id='inquiry-form-title']/text()") == ["Ask about your nose"]
    assert selected(second) == [] and second.xpath(".//input[@name='form']/@value") == ["contact"]
    assert second.xpath(".//input[@name='form_page']/@value") == ["/book/"]
    assert len(set(doc.xpath("//@id"))) == len(doc.xpath("//@id")), "duplicate ids"
    assert doc.xpath("//code[text()='[[inquiry-form]]']")  # the syntax can be shown in code
    feed = (built.output / "feeds").rglob("*.xml")
    assert all("data-inquiry" not in f.read_text() for f in feed)


def test_thank_you_page_is_noindex_and_not_in_sitemap_or_search(built):
    doc = page(built.output, "/thank-you/")
    assert doc.xpath("//h1/text()") == ["Thank you"]
    assert "noindex" in meta(doc, "robots")
    assert not doc.xpath("//*[@data-pagefind-body]")
    assert "/thank-you/" not in (built.output / "sitemap.xml").read_text()


def test_first_party_script_and_beacon_hooks_on_every_page(built):
    [name] = [p.name for p in (built.output / "theme" / "js").glob("attribution.*.js")]
    assert re.fullmatch(r"attribution\.[0-9a-f]{10}\.js", name)
    assert (built.output / "theme" / "js" / name).read_bytes() == SCRIPT.read_bytes()
    for url in ("/", "/contact/", "/procedures/botox/", "/thank-you/", "/blog/botox-myths/"):
        [tag] = page(built.output, url).xpath("//script[contains(@src, '/attribution.')]")
        assert tag.get("src") == f"{SITEURL}/theme/js/{name}"
        assert (tag.get("data-days"), tag.get("data-beacon"), tag.get("data-min-fill")) == (
            "90",
            "/api/beacon",
            "3",
        )
    contact = page(built.output, "/contact/")
    maps = contact.xpath("//a[contains(@href, 'openstreetmap')]")
    assert maps and all(a.get("data-track") == "directions" for a in maps)
    assert contact.xpath("//header//a[@data-track='booking']")
    assert contact.xpath("//a[starts-with(@href, 'tel:')]")  # counted by the script, no marker needed


def test_tracking_manifest_lists_every_page(built):
    report = json.loads((built.root / "internal" / "tracking-manifest.json").read_text())
    with_forms = sorted(path for path, entry in report["pages"].items() if entry["forms"])
    assert with_forms == [
        "/book/",
        "/contact/",
        "/events/open-house/",
        "/procedures/botox/",
        "/procedures/hydrafacial/",
        "/procedures/rhinoplasty/",
        "/specials/botox-november/",
    ]
    contact = report["pages"]["/contact/"]
    assert contact["file"] == "contact/index.html" and contact["external_hosts"] == []
    assert any("/attribution." in src for src in contact["scripts"])
    assert report["pages"]["/thank-you/"]["thank_you"] is True
    assert report["summary"]["external_hosts"] == [] and report["allowed_tags"] == []
    assert not (built.output / "tracking-manifest.json").exists()
    assert not list(built.output.rglob("tracking-manifest.json"))


def test_two_builds_give_the_same_pages_and_manifest(built, tmp_path):
    again = factory(tmp_path)
    again.build("publishconf.py", SITEURL=SITEURL, SEARCH_INDEX=False)
    for url in (
        "contact/index.html",
        "book/index.html",
        "procedures/botox/index.html",
        "thank-you/index.html",
    ):
        assert (again.output / url).read_bytes() == (built.output / url).read_bytes(), url
    manifest = "internal/tracking-manifest.json"
    assert (again.root / manifest).read_bytes() == (built.root / manifest).read_bytes()


# --- the firewall stops a build ----------------------------------------------------------


def theme_with(tmp_path: Path, template: str, old: str, new: str) -> str:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    path = theme / "templates" / template
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return str(theme)


GTAG = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script>'


def test_analytics_script_on_the_contact_page_fails_the_build(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    theme = theme_with(tmp_path, "locations.html", "{% block content %}", "{% block content %}" + GTAG)
    with pytest.raises(TagFirewallError) as caught:
        site.build(THEME=theme, SEARCH_INDEX=False)
    message = str(caught.value)
    assert "/contact/: loads a third-party script from www.googletagmanager.com" in message
    assert "page with an inquiry form" in message and "remove it from this page" in message
    assert not site.output.exists()  # a failed build leaves no half-made site
    # ... and no internal files of a site that was not built: the message says what was found.
    assert not (site.root / "internal" / "tracking-manifest.json").exists()


def test_allowlisted_tag_passes_on_pages_without_forms_only(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    tag = {"name": "Google Analytics", "host": "www.googletagmanager.com", "pages": "no-forms"}
    theme = theme_with(tmp_path, "404.html", "{% block content %}", "{% block content %}" + GTAG)
    site.build(THEME=theme, SEARCH_INDEX=False, INQUIRY_THIRD_PARTY_TAGS=[tag])
    report = json.loads((site.root / "internal" / "tracking-manifest.json").read_text())
    assert report["pages"]["/404.html"]["third_party_tags"] == ["Google Analytics"]
    assert report["summary"]["external_hosts"] == ["www.googletagmanager.com"]

    everywhere = theme_with(tmp_path / "2", "base.html", "</body>", GTAG + "</body>")
    with pytest.raises(TagFirewallError) as caught:
        site.build(THEME=everywhere, SEARCH_INDEX=False, INQUIRY_THIRD_PARTY_TAGS=[tag])
    message = str(caught.value)
    for path in ("/contact/", "/procedures/botox/", "/thank-you/"):
        assert f"\n  {path}" in message
    assert "\n  /404.html" not in message and "allowed on pages without forms only" in message


def test_a_tracking_link_naming_a_procedure_fails_the_build(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    site.write(
        "blog/botox-myths.md",
        FILES["blog/botox-myths.md"],
        "Follow [our Instagram](https://www.instagram.com/aurora/?utm_source=site&utm_campaign=botox).\n",
    )
    with pytest.raises(TagFirewallError) as caught:
        site.build(SEARCH_INDEX=False)
    message = str(caught.value)
    assert "/blog/botox-myths/ (content/blog/botox-myths.md): the tracking link" in message
    assert "names 'botox' (the id of procedure 'Botox') in utm_campaign" in message


def test_a_wrong_form_line_stops_check_and_build_naming_file_and_line(tmp_path):
    site = factory(tmp_path)
    site.write(
        "pages/book.md",
        BOOK_PAGE,
        "Intro.\n\n[[inquiry-form procedure=botx]]\n\nAsk: [[inquiry-form]] here.\n",
    )
    with pytest.raises(ContentError) as caught:
        site.check()
    message = str(caught.value)
    assert (
        "content/pages/book.md:body: [[inquiry-form procedure=botx]] names procedure 'botx', which does not exist"
        in message
    )
    assert "use the id (file name) of one of: botox, hydrafacial, rhinoplasty (line 7)" in message
    assert "is not on a line of its own" in message and "(line 9)" in message


def test_settings_are_checked_when_the_build_starts(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    with pytest.raises(InquiryError, match="INQUIRY_THIRD_PARTY_TAG: unknown setting"):
        site.check(INQUIRY_THIRD_PARTY_TAG=[])
    with pytest.raises(InquiryError, match="INQUIRY_FORM_PAGES has blog"):
        site.check(INQUIRY_FORM_PAGES=["contact", "blog"])


def test_form_pages_setting_takes_the_form_off_procedure_pages(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    site.build(INQUIRY_FORM_PAGES=["contact"], SEARCH_INDEX=False)
    procedure = page(site.output, "/procedures/botox/")
    assert not procedure.xpath("//form[@data-inquiry]") and procedure.xpath("//section[@class='cta-band']")
    assert procedure.xpath("//a[@data-track='booking'][@href='/contact/#book']")
    assert page(site.output, "/contact/").xpath("//form[@data-inquiry]")


def test_page_scanner_agrees_with_another_html_parser_on_every_page(built):
    """The firewall's scanner (lexbor) against lxml: same scripts, same inquiry forms, on every built page."""
    import lxml.html

    from pipeline.sitepolicy import html as pages

    for path in sorted(built.output.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        scan = pages.scan(text)
        doc = lxml.html.fromstring(text)
        assert scan.scripts == doc.xpath("//script/@src"), path
        forms = doc.xpath("//form[@data-inquiry]")
        assert [f.id for f in scan.forms] == [f.get("id") for f in forms], path
        for found, form in zip(scan.forms, forms, strict=False):
            assert list(found.fields) == [
                e.get("name") for e in form.xpath(".//input|.//select|.//textarea|.//button") if e.get("name")
            ], path
        assert scan.inline_scripts.get("application/ld+json", 0) == len(
            [s for s in doc.xpath("//script[@type='application/ld+json']") if (s.text or "").strip()]
        ), path


def test_another_host_as_the_sites_own_is_refused_until_declared_then_named_in_a_warning_every_build(
    tmp_path,
):
    site = SiteFactory(tmp_path).write_all()
    with pytest.raises(SitePolicyError) as caught:
        site.check(INQUIRY_FIRST_PARTY_HOSTS=["cdn.example-cdn.com"])
    assert "INQUIRY_FIRST_PARTY_HOSTS names cdn.example-cdn.com" in str(caught.value)
    declared = [
        {
            "name": "Image CDN",
            "host": "cdn.example-cdn.com",
            "pages": "first-party",
            "purpose": "serves the site's pictures under contract",
        }
    ]
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("plugins.inquiry_tags")
    logger.addHandler(handler)
    try:
        for _ in range(2):  # every build says so, not only the first
            records.clear()
            site.check(INQUIRY_FIRST_PARTY_HOSTS=["cdn.example-cdn.com"], INQUIRY_THIRD_PARTY_TAGS=declared)
            warnings = [r.getMessage() for r in records]
            assert any(
                "cdn.example-cdn.com is treated as the site's own on every page, forms included" in w
                and "serves the site's pictures" in w
                for w in warnings
            ), warnings
    finally:
        logger.removeHandler(handler)
    with pytest.raises(SitePolicyError, match="INQUIRY_RECEIVER_URL names forms.example-cloud.com"):
        site.check(INQUIRY_RECEIVER_URL="https://forms.example-cloud.com/inquiry")


def test_every_page_carries_its_content_security_policy_first_and_the_headers_are_written(built):
    from pipeline.sitepolicy import csp

    headers = json.loads((built.root / "internal" / "security-headers.json").read_text())
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    for path in sorted(built.output.rglob("*.html")):
        doc = page(built.output, "/" + path.relative_to(built.output).as_posix())
        head = doc.xpath("//head/*")
        assert head[0].get("charset") == "utf-8", path
        assert head[1].get("http-equiv") == "Content-Security-Policy", path
        policy = csp.parse(head[1].get("content"))
        assert policy["script-src"] >= {"'self'"} and "'unsafe-inline'" not in policy["script-src"], path
        assert policy["object-src"] == {"'none'"} and policy["base-uri"] == {"'none'"}, path
        assert policy["form-action"] == {"'self'"} and policy["frame-src"] == {"'none'"}, path
        assert "frame-ancestors" not in policy, path  # a <meta> cannot carry it: the header does


def test_theme_css_and_javascript_may_name_only_the_sites_own_hosts(tmp_path):
    """Theme files load on every page, forms included: an address in them is read as a browser would
    (CSS escapes, @import, backslashes in a script's string) and must be the site's own or declared."""
    site = SiteFactory(tmp_path).write_all()
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    script, style = theme / "static" / "js" / "site.js", theme / "static" / "css" / "site.css"
    script.write_text(script.read_text() + '\nnavigator.sendBeacon("https:\\\\\\\\collect.example\\\\e");\n')
    style.write_text(
        style.read_text() + "\n@import url(//fonts.googleapis.com/css2);\n"
        ".x { background: \\75rl(https://cdn.example/x.png) }\n"
    )
    with pytest.raises(ContentError) as caught:  # with every other problem of the build
        site.build(THEME=str(theme), SEARCH_INDEX=False)
    message = str(caught.value)
    for host in ("collect.example", "fonts.googleapis.com", "cdn.example"):
        assert f"names {host} (" in message, host
    assert "\n  output/theme/js/site." in message and "\n  output/theme/css/site." in message
