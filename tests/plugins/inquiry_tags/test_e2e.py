"""End to end in real Chromium: the built demo practice and the real receiver on one origin
(WSGI over HTTP, a folder store in tmp_path), as `inv serve` runs them.

A visitor lands from an ad, browses, comes back from a newsletter and asks about a
treatment: the stored inquiry carries both touches, the exact click id, the landing page and
the form page. Without JavaScript the plain POST stores too and lands on /thank-you/. Bots
filling the honeypot store nothing; a wrong email is flagged inline; form pages pass axe and
contact no other host.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.browser import axe_violations, watch

pytestmark = pytest.mark.browser


def stored(store: Path, kind: str = "inquiries") -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted((store / kind).glob("*/*/*/*.json"))]


def ids(store: Path) -> set[str]:
    return {r["id"] for r in stored(store)}


def new_record(store: Path, before: set[str]) -> dict:
    """The one inquiry stored since ``before`` (file names are random ids, not in time order)."""
    wait_for(lambda: len(ids(store) - before) == 1)
    [record] = [r for r in stored(store) if r["id"] not in before]
    return record


def wait_for(condition, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.05)


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def fill_contact_details(page, name: str, email: str) -> None:
    page.fill("#inquiry-form-name", name)
    page.fill("#inquiry-form-email", email)
    page.check("#inquiry-form-consent")


def test_an_inquiry_carries_first_and_latest_touch(demo_with_receiver, browser_page):
    site, page = demo_with_receiver, browser_page
    before = ids(site.store)
    visit = watch(page)
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url, r.post_data or "")))

    # An ad click lands on the home page; the visitor browses to a second page.
    page.goto(site.origin + "/?utm_source=google&utm_medium=cpc&utm_campaign=spring-offer&gclid=AbC")
    page.locator("main a[href$='/procedures/']").first.click()
    page.wait_for_url("**/procedures/")
    # Days later, a newsletter brings them back to a treatment page, which carries the form.
    page.goto(
        site.origin + "/procedures/botox/?utm_source=newsletter&utm_medium=email&utm_campaign=november"
        "&utm_creative_format=card&utm_marketing_tactic=retention"
    )
    form = page.locator("#inquiry-form")
    assert form.locator("select[name=interest] option:checked").text_content() == "Botox & neuromodulators"
    fill_contact_details(page, "Jane Doe", "Jane.Doe@Example.com")
    page.fill("#inquiry-form-phone", "(805) 555-0199")
    page.fill("#inquiry-form-message", "Mornings work best.")
    page.click("#inquiry-form button[type=submit]")
    page.wait_for_selector(".form-sent")
    assert page.url.startswith(site.origin + "/procedures/botox/")  # sent without leaving the page
    assert "within one business day" in page.locator(".form-sent").text_content()
    record = new_record(site.store, before)
    first, latest = record["attribution"]["first"], record["attribution"]["latest"]
    assert (first["utm_source"], first["utm_medium"], first["utm_campaign"]) == (
        "google",
        "cpc",
        "spring-offer",
    )
    assert first["gclid"] == "AbC"  # exactly as received
    assert first["landing_page"] == "/?utm_source=google&utm_medium=cpc&utm_campaign=spring-offer&gclid=AbC"
    assert (latest["utm_source"], latest["utm_medium"], latest["utm_campaign"]) == (
        "newsletter",
        "email",
        "november",
    )
    assert (latest["utm_creative_format"], latest["utm_marketing_tactic"]) == ("card", "retention")
    assert first["utm_creative_format"] is None and latest["gclid"] is None
    assert latest["landing_page"] == (
        "/procedures/botox/?utm_source=newsletter&utm_medium=email&utm_campaign=november"
        "&utm_creative_format=card&utm_marketing_tactic=retention"
    )
    assert record["form"] == "procedure" and record["form_page"] == "/procedures/botox/"
    assert record["interest"] == "Botox & neuromodulators"
    assert (record["name"], record["email"], record["phone"]) == (
        "Jane Doe",
        "Jane.Doe@example.com",
        "+18055550199",
    )
    assert record["consent_contact"] is True and record["consent_sms"] is False

    # The treatment travelled in the POST body only: no URL the browser asked for names it in
    # its query, and nothing went to another host.
    [post] = [r for r in requests if r[0] == "POST"]
    assert post[1] == site.origin + "/api/inquiry" and "Botox" in post[2]
    for _, url, _ in requests:
        assert (
            "botox" not in urlsplit(url).query.lower() and "neuromodulator" not in urlsplit(url).query.lower()
        )
    assert visit.hosts == {urlsplit(site.origin).netloc} and visit.console_errors == []
    assert page.evaluate("document.cookie") == ""


def test_phone_booking_and_directions_clicks_are_counted(demo_with_receiver, browser_page):
    site, page = demo_with_receiver, browser_page
    page.goto(site.origin + "/contact/?utm_source=flyer&ref=hale-derm")
    page.evaluate("document.addEventListener('click', (e) => e.preventDefault())")  # stay on the page
    page.locator("main a[href^='tel:']").first.click()
    page.locator("main a[data-track='directions']").first.click()
    page.locator("a[data-track='booking']:visible").first.click()
    wait_for(lambda: {c["kind"] for c in stored(site.store, "clicks")} >= {"phone", "directions", "booking"})
    clicks = {c["kind"]: c for c in stored(site.store, "clicks")}
    assert clicks["phone"]["target"].startswith("+1805555") and clicks["phone"]["page"] == "/contact/"
    assert clicks["directions"]["target"] == "www.openstreetmap.org"
    assert clicks["booking"]["attribution"]["latest"]["ref"] == "hale-derm"
    assert all(
        set(c) == {"schema", "id", "received_at", "kind", "page", "target", "attribution"}
        for c in clicks.values()
    )  # nothing personal in a click


def test_without_javascript_the_form_posts_and_lands_on_thank_you(demo_with_receiver, chromium):
    site = demo_with_receiver
    before = ids(site.store)
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.origin + "/contact/?utm_source=google")
    # The build writes every hidden field of pipeline/inquiry/fields.py, the newest UTMs included.
    for name in ("ft_utm_creative_format", "lt_utm_marketing_tactic", "fill_ms"):
        assert page.locator(f"#inquiry-form input[type=hidden][name={name}]").count() == 1, name
    # The number the script's "not sent" message offers (the practice's, content/practice.yml).
    assert page.get_attribute("#inquiry-form", "data-call") == "(805) 555-0100"
    fill_contact_details(page, "No Script", "noscript@example.com")
    page.click("#inquiry-form button[type=submit]")
    # Nothing measured the fill time: one more press, on the receiver's confirmation page, sends it.
    page.wait_for_selector("text=not been sent yet")
    assert ids(site.store) == before
    time.sleep(1)  # INQUIRY_MIN_FILL_SECONDS of the fixture
    page.click("button:text('Send my message')")
    page.wait_for_url(site.origin + "/thank-you/")  # the redirect carries nothing
    assert page.locator("h1").text_content() == "Thank you"
    context.close()
    record = new_record(site.store, before)
    assert record["name"] == "No Script" and record["form"] == "contact"
    assert record["form_page"] == "/contact/"  # the hidden field the build wrote
    assert record["attribution"]["first"]["utm_source"] is None  # no script, no attribution: stored anyway


def test_honeypot_submission_is_thanked_and_not_stored(demo_with_receiver, browser_page):
    site, page = demo_with_receiver, browser_page
    before = len(stored(site.store))
    page.goto(site.origin + "/contact/")
    fill_contact_details(page, "Spam Bot", "bot@example.com")
    page.locator("#inquiry-form-website").fill("https://spam.example", force=True)
    page.click("#inquiry-form button[type=submit]")
    page.wait_for_selector(".form-sent")  # the bot learns nothing
    time.sleep(0.5)  # (a stored record would already be on disk: put() returns after the rename)
    assert len(stored(site.store)) == before


def test_invalid_email_is_flagged_inline(demo_with_receiver, browser_page):
    site, page = demo_with_receiver, browser_page
    before = len(stored(site.store))
    page.goto(site.origin + "/contact/")
    page.fill("#inquiry-form-name", "Jane Doe")
    email = page.locator("#inquiry-form-email")
    email.fill("jane.example.com")
    email.press("Tab")  # leaving the field checks it
    assert email.get_attribute("aria-invalid") == "true"
    described = email.get_attribute("aria-describedby").split()
    message = page.locator(f"#{described[-1]}")
    assert message.is_visible() and "@" in message.text_content()
    page.check("#inquiry-form-consent")
    page.click("#inquiry-form button[type=submit]")
    assert (
        page.locator("[data-inquiry-status][role=alert]").text_content()
        == "Please check the highlighted fields."
    )
    assert page.evaluate("document.activeElement.id") == "inquiry-form-email"
    # Choosing a phone call makes the phone number required instead.
    page.check("input[name=contact_method][value=phone]")
    email.fill("")
    assert email.get_attribute("aria-invalid") is None
    assert page.locator("#inquiry-form-phone").evaluate("el => el.required") is True
    assert len(stored(site.store)) == before


@pytest.mark.parametrize(
    "path",
    [
        "/contact/",
        "/procedures/botox/",
        "/thank-you/",
        "/blog/first-consultation/",
        "/events/winter-open-house/",
    ],
)
def test_form_pages_are_accessible_and_first_party_only(demo_with_receiver, browser_page, path):
    site, page = demo_with_receiver, browser_page
    visit = watch(page)
    response = page.goto(site.origin + path, wait_until="load")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    if path != "/thank-you/":
        assert page.locator("form[data-inquiry]").count() >= 1
    assert visit.hosts == {urlsplit(site.origin).netloc}, f"{path} contacted {visit.hosts}"
    assert visit.console_errors == [], visit.console_errors
    assert axe_violations(page) == [], path
    # With errors showing, the form is still accessible.
    if path != "/thank-you/":
        page.locator("form[data-inquiry] button[type=submit]").first.click()
        page.wait_for_selector("[aria-invalid=true]")
        assert axe_violations(page) == [], f"{path} with errors"
