"""attribution.js in real Chromium, against the real receiver (WSGI over HTTP, folder store).

A small hand-written site stands in for the theme (the full-site end-to-end test comes with
the form component): it has the script, a tel: link, a booking link and a form[data-inquiry].
Also checks that the script's parameter lists match pipeline/inquiry/fields.py.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import boto3
import pytest

from pipeline.inquiry import build_receiver, make_app
from pipeline.inquiry import fields as F
from pipeline.inquiry.store import client_config
from tests.pipeline.inquiry.conftest import running, stored
from tests.support.hanging import HangingServer

SCRIPT = Path(__file__).resolve().parents[3] / "plugins" / "inquiry_tags" / "static" / "attribution.js"
TAG = '<script src="/js/attribution.js" data-days="90" data-beacon="/api/beacon" data-min-fill="1" defer></script>'
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{tag}</head>
<body><main>{body}</main></body></html>"""
FORM = """
<form id="inquiry-form" data-inquiry action="/api/inquiry" method="post" data-call="(805) 555-0100">
  <input type="hidden" name="form" value="contact">
  <div data-field><label for="f-name">Name</label><input id="f-name" name="name" required maxlength="200"></div>
  <div data-field><label for="f-email">Email</label><input id="f-email" name="email" type="email"
       aria-describedby="f-email-hint"><p id="f-email-hint">We reply within a day.</p></div>
  <div data-field><label for="f-phone">Phone</label><input id="f-phone" name="phone" type="tel"></div>
  <fieldset><legend>Contact me by</legend>
    <label><input type="radio" name="contact_method" value="email" checked> Email</label>
    <label><input type="radio" name="contact_method" value="phone"> Phone</label></fieldset>
  <div data-field><label for="f-message">Message</label><textarea id="f-message" name="message"></textarea></div>
  <div data-field><input id="f-consent" type="checkbox" name="consent_contact" value="yes">
       <label for="f-consent">You may contact me about my inquiry</label></div>
  <div aria-hidden="true" style="position:absolute;left:-9999px"><label>Website
       <input name="website" tabindex="-1" autocomplete="off"></label></div>
  <button type="submit">Send</button>
</form>"""


def test_script_lists_match_the_receiver():
    source = SCRIPT.read_text("utf-8")

    def array(name):
        match = re.search(rf"const {name} = \[([^\]]*)\]", source)
        return tuple(re.findall(r"'([^']+)'", match.group(1)))

    assert array("UTM") == F.UTM_PARAMS
    assert array("CLICK_IDS") == F.CLICK_IDS
    assert "UTM.concat(CLICK_IDS, ['ref'])" in source
    assert "UTM.concat(CLICK_IDS, ['referrer', 'landing_page', 'ref', 'timestamp'])" in source
    assert F.TOUCH_KEYS == F.UTM_PARAMS + F.CLICK_IDS + ("referrer", "landing_page", "ref", "timestamp")
    for name in (F.FORM_PAGE, F.FILL_MS, F.FIRST_TOUCH_PREFIX, F.LATEST_TOUCH_PREFIX):
        assert f"'{name}'" in source
    code = re.sub(r"^\s*(//|/?\*).*$", "", source, flags=re.M)
    assert "cookie" not in code and "://" not in code  # no cookies, no other hosts


@pytest.fixture
def mini_site(tmp_path):
    out = tmp_path / "site"
    (out / "js").mkdir(parents=True)
    shutil.copy(SCRIPT, out / "js" / "attribution.js")
    pages = {
        "index.html": PAGE.format(title="Home", tag=TAG, body='<a href="/about/">About</a>'),
        "about/index.html": PAGE.format(
            title="About",
            tag=TAG,
            body=(
                '<a id="call" href="tel:+12125550100">Call (212) 555-0100</a> '
                '<a id="book" data-track="booking" href="/book/">Book</a>'
            ),
        ),
        "book/index.html": PAGE.format(title="Book", tag=TAG, body="Booking"),
        "contact/index.html": PAGE.format(title="Contact", tag=TAG, body=FORM),
        "thank-you/index.html": PAGE.format(title="Thanks", tag="", body="Thank you"),
    }
    for name, html in pages.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(html, "utf-8")
    return out


@pytest.mark.browser
def test_attribution_beacons_and_form_in_chromium(mini_site, tmp_path, chromium):
    store = tmp_path / "store"
    receiver = build_receiver({"INQUIRY_STORE": str(store), "INQUIRY_MIN_FILL_SECONDS": 1})
    with running(make_app(receiver, static_root=mini_site)) as origin:
        page = chromium.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        # A campaign visit (with a parameter that must not be kept), then browsing.
        page.goto(origin + "/?utm_source=google&utm_campaign=spring&gclid=AbC&q=botox+price")
        page.click("a[href='/about/']")
        page.wait_for_url("**/about/")
        page.evaluate("document.getElementById('call').addEventListener('click', (e) => e.preventDefault())")
        page.click("#call")  # (the dialer is not ours to open in a test)
        page.click("#book")
        page.wait_for_url("**/book/")
        _wait_for(lambda: len(stored(store, "clicks")) == 2)  # a beacon outlives the page it left

        # A second campaign visit replaces the latest touch only.
        page.goto(origin + "/contact/?utm_source=newsletter&utm_campaign=november&ref=DRLEE")
        saved = json.loads(page.evaluate("localStorage.getItem('inquiry-attribution')"))
        assert saved["first"]["gclid"] == "AbC" and saved["latest"]["ref"] == "DRLEE"
        assert page.evaluate("document.cookie") == ""

        # Inline validation: the browser's own checks, shown accessibly.
        page.click("button[type=submit]")
        name = page.locator("#f-name")
        assert name.get_attribute("aria-invalid") == "true"
        assert page.evaluate("document.activeElement.id") == "f-name"
        error_id = name.get_attribute("aria-describedby")
        assert page.locator(f"#{error_id}").text_content().strip()

        # The receiver's checks come back inline too, and nothing typed is lost.
        page.fill("#f-name", "Jane Doe")
        page.fill("#f-email", "jane@example")
        page.fill("#f-message", "Mornings, please.")
        page.check("#f-consent")
        page.click("button[type=submit]")
        page.wait_for_selector("#f-email[aria-invalid=true]")
        assert name.get_attribute("aria-invalid") is None
        described = page.locator("#f-email").get_attribute("aria-describedby").split()
        assert "f-email-hint" in described and len(described) == 2
        assert "@-sign" in page.locator(f"#{described[1]}").text_content()
        assert page.evaluate("document.activeElement.id") == "f-email"
        assert stored(store) == []

        # The store fails: a clear message, the form keeps its content.
        store.mkdir(parents=True, exist_ok=True)
        store.rename(tmp_path / "store-away")
        store.write_text("blocked")
        page.fill("#f-email", "Jane@Example.com")
        page.click("button[type=submit]")
        page.wait_for_selector("[data-inquiry-status][role=alert]")
        assert "try again" in page.locator("[data-inquiry-status]").text_content()
        assert page.input_value("#f-message") == "Mornings, please."
        store.unlink()
        (tmp_path / "store-away").rename(store)

        # Sent without leaving the page.
        page.click("button[type=submit]")
        page.wait_for_selector(".form-sent")
        assert page.url.startswith(origin + "/contact/")
        assert page.locator("#inquiry-form").is_hidden()
        assert page.evaluate("document.activeElement.className") == "form-sent"
        assert errors == []
        page.close()

    [record] = stored(store)
    first, latest = record["attribution"]["first"], record["attribution"]["latest"]
    assert (first["utm_source"], first["utm_campaign"], first["gclid"]) == ("google", "spring", "AbC")
    assert first["landing_page"] == "/?utm_source=google&utm_campaign=spring&gclid=AbC"  # q= dropped
    assert (latest["utm_source"], latest["utm_campaign"], latest["ref"]) == (
        "newsletter",
        "november",
        "DRLEE",
    )
    assert latest["gclid"] is None
    assert record["form_page"] == "/contact/" and record["email"] == "Jane@example.com"
    assert record["message"] == "Mornings, please." and record["contact_method"] == "email"

    clicks = {c["kind"]: c for c in stored(store, "clicks")}
    assert clicks["phone"]["target"] == "+12125550100" and clicks["phone"]["page"] == "/about/"
    assert clicks["booking"]["target"] == "127.0.0.1" and clicks["booking"]["page"] == "/about/"
    assert clicks["booking"]["attribution"]["first"]["gclid"] == "AbC"


@pytest.mark.browser
def test_which_visits_are_touches(mini_site, tmp_path, chromium):
    """Campaign landings and visits from other sites renew the latest touch; a direct visit and the
    site's own links do not; an expired first touch gives way to a real landing, never an inner page."""
    receiver = build_receiver({"INQUIRY_STORE": str(tmp_path / "store")})
    with running(make_app(receiver, static_root=mini_site)) as origin:
        page = chromium.new_page()

        def saved():
            return json.loads(page.evaluate("localStorage.getItem('inquiry-attribution')"))

        page.goto(
            origin + "/?utm_source=meta&utm_campaign=fall&utm_creative_format=video"
            "&utm_marketing_tactic=prospecting"
        )
        first = saved()["first"]
        assert (first["utm_creative_format"], first["utm_marketing_tactic"]) == ("video", "prospecting")
        assert saved()["latest"] == first

        page.goto(origin + "/about/")  # typed in, or a bookmark: a direct visit keeps the latest touch
        assert saved()["latest"] == first

        page.goto(origin + "/book/", referer="https://www.healthblog.example/best-clinics/?q=botox")
        latest = saved()["latest"]
        assert (
            latest["referrer"] == "https://www.healthblog.example/best-clinics/"
        )  # no query: it may say too much
        assert latest["landing_page"] == "/book/" and "utm_source" not in latest
        assert saved()["first"] == first

        page.goto(origin + "/")
        page.click("a[href='/about/']")  # the site's own link: not a touch
        page.wait_for_url("**/about/")
        assert saved()["latest"] == latest

        # The first touch expires (data-days) while the visitor browses: the next inner page does not
        # take its place, the latest landing does.
        page.goto(origin + "/")
        page.evaluate("""() => {
            const a = JSON.parse(localStorage.getItem('inquiry-attribution'));
            a.first.timestamp = new Date(Date.now() - 200 * 864e5).toISOString();
            localStorage.setItem('inquiry-attribution', JSON.stringify(a));
        }""")
        page.click("a[href='/about/']")
        page.wait_for_url("**/about/")
        assert saved()["first"]["referrer"] == "https://www.healthblog.example/best-clinics/"
        page.close()


@pytest.mark.browser
def test_expired_touches_wait_for_a_real_landing(mini_site, tmp_path, chromium):
    """Both touches past data-days: an inner page becomes neither (it is no landing); the next visit
    from another site becomes both, and the reports read it as GA does: referrer host / referral."""
    from pipeline.reports.channels import REFERRAL, classify

    store = tmp_path / "store"
    receiver = build_receiver({"INQUIRY_STORE": str(store), "INQUIRY_MIN_FILL_SECONDS": 1})
    with running(make_app(receiver, static_root=mini_site)) as origin:
        page = chromium.new_page()

        def saved():
            return json.loads(page.evaluate("localStorage.getItem('inquiry-attribution')"))

        page.goto(origin + "/?utm_source=google&utm_campaign=spring")
        page.evaluate("""() => {
            const a = JSON.parse(localStorage.getItem('inquiry-attribution'));
            const old = new Date(Date.now() - 200 * 864e5).toISOString();
            a.first.timestamp = old;
            a.latest.timestamp = old;
            localStorage.setItem('inquiry-attribution', JSON.stringify(a));
        }""")
        page.click("a[href='/about/']")  # the site's own link, after the retention period
        page.wait_for_url("**/about/")
        assert saved() == {"first": None, "latest": None}

        page.goto(origin + "/contact/", referer="https://www.partnerblog.example/best-of/?city=x")
        touch = saved()["first"]
        assert touch["referrer"] == "https://www.partnerblog.example/best-of/" and saved()["latest"] == touch
        _send(page, "Jane Doe", "jane@example.com")
        page.wait_for_selector(".form-sent")
        page.close()

    [record] = stored(store)
    first, latest = record["attribution"]["first"], record["attribution"]["latest"]
    assert first == latest and first["landing_page"] == "/contact/" and first["utm_source"] is None
    assert classify(latest)[:3] == (REFERRAL, "partnerblog.example", "referral")


@pytest.mark.browser
def test_no_javascript_form_post_stores_and_redirects(mini_site, tmp_path, chromium):
    """Without the script nothing measures the fill time: the receiver answers a one-step confirmation
    page, and its button sends the message (a post without the fill time is never stored as it is)."""
    store = tmp_path / "store"
    receiver = build_receiver({"INQUIRY_STORE": str(store), "INQUIRY_MIN_FILL_SECONDS": 1})
    with running(make_app(receiver, static_root=mini_site)) as origin:
        context = chromium.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(origin + "/contact/?utm_source=google")
        _send(page, "No Script", "noscript@example.com")
        page.wait_for_selector("text=not been sent yet")
        assert stored(store) == []
        time.sleep(1)  # a person reads the page; a valid token younger than the minimum gets the page again
        page.click("button[type=submit]")
        page.wait_for_url("**/thank-you/")
        context.close()
    [record] = stored(store)
    assert record["name"] == "No Script" and record["consent_contact"] is True
    assert record["attribution"]["first"]["utm_source"] is None  # no script, no attribution: stored anyway


def _hanging_receiver(hung: HangingServer, **settings):
    """A receiver whose S3 store accepts connections and never answers (the client open_store makes)."""
    client = boto3.client(
        "s3",
        endpoint_url=hung.endpoint,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=client_config(),
    )
    return build_receiver(
        {"INQUIRY_STORE": "s3://inquiries", "INQUIRY_SSE": "AES256", **settings}, s3_client=client
    )


@pytest.mark.browser
def test_a_hanging_store_says_not_sent_and_keeps_what_was_typed(mini_site, chromium):
    with (
        HangingServer() as hung,
        running(
            make_app(_hanging_receiver(hung, INQUIRY_MIN_FILL_SECONDS=1), static_root=mini_site)
        ) as origin,
    ):
        page = chromium.new_page()
        page.goto(origin + "/contact/")
        page.fill("#f-message", "Is Tuesday morning possible?")
        _send(page, "Jane Doe", "jane@example.com")
        alert = page.wait_for_selector("[data-inquiry-status][role=alert]", timeout=20000)
        text = alert.text_content()
        assert text.startswith("Your message was not sent.") and text.endswith(
            "or call us at (805) 555-0100."
        )
        assert (
            page.input_value("#f-name"),
            page.input_value("#f-email"),
            page.input_value("#f-message"),
        ) == ("Jane Doe", "jane@example.com", "Is Tuesday morning possible?")
        assert page.locator("#f-consent").is_checked() and page.locator("#inquiry-form").is_visible()
        assert page.locator("#inquiry-form").get_attribute("aria-busy") is None  # the button works again
        assert hung.connections == 2  # the receiver tried, retried once, and gave up
        page.close()


@pytest.mark.browser
def test_a_hanging_store_without_javascript_says_not_sent_and_how_to_call(mini_site, chromium):
    receiver_settings = {"INQUIRY_MIN_FILL_SECONDS": 1, "INQUIRY_CALL_PHONE": "(805) 555-0100"}
    with (
        HangingServer() as hung,
        running(make_app(_hanging_receiver(hung, **receiver_settings), static_root=mini_site)) as origin,
    ):
        context = chromium.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(origin + "/contact/")
        page.fill("#f-message", "Is Tuesday morning possible?")
        _send(page, "Jane Doe", "jane@example.com")
        page.wait_for_selector("text=not been sent yet")
        time.sleep(1)
        page.click("button[type=submit]")
        page.wait_for_selector("h1:text('Your message was not sent')", timeout=20000)
        assert "try again" in page.locator("main").text_content()
        assert page.get_attribute("a[href^='tel:']", "href") == "tel:+18055550100"
        assert page.text_content("a[href^='tel:']") == "(805) 555-0100"
        # Everything typed is on the page, in a form that sends it again with one press.
        assert page.get_attribute("input[name=message]", "value") == "Is Tuesday morning possible?"
        assert page.get_attribute("input[name=email]", "value") == "jane@example.com"
        page.click("button:text('Send my message again')")
        page.wait_for_selector("h1:text('Your message was not sent')", timeout=20000)
        assert hung.connections == 4  # sent again: the fill-time token still valid, the store tried again
        context.close()


@pytest.mark.browser
def test_refusal_flag_from_a_plain_post_is_shown(mini_site, tmp_path, chromium):
    receiver = build_receiver({"INQUIRY_STORE": str(tmp_path / "store")})
    with running(make_app(receiver, static_root=mini_site)) as origin:
        page = chromium.new_page()
        page.goto(origin + "/contact/?inquiry_error=invalid&inquiry_fields=email,consent_contact")
        assert page.locator("#f-email").get_attribute("aria-invalid") == "true"
        assert page.locator("#f-consent").get_attribute("aria-invalid") == "true"
        assert page.locator("#f-name").get_attribute("aria-invalid") is None
        assert (
            page.locator("[data-inquiry-status][role=alert]").text_content()
            == "Please check the highlighted fields."
        )
        assert page.evaluate("document.activeElement.id") == "f-email"
        page.close()


def _send(page, name: str, email: str) -> None:
    """Fill the contact form's required fields, consent to be contacted, and send it."""
    page.fill("#f-name", name)
    page.fill("#f-email", email)
    page.check("#f-consent")
    page.click("button[type=submit]")


def _wait_for(condition, seconds: float = 15.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.05)
