"""Event RSVPs end to end in real Chromium: the built demo practice and the real receiver on one
origin. A reply from an event page is stored as an RSVP (its event, its places), the public counts
grow, the page shows the places left from them, the reply is in the inbox, and cancelling it there
gives the places back."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from pipeline.inquiry.rsvp import COUNTS_KEY
from pipeline.inquiry.store import LocalStore
from tests.pipeline.inbox.conftest import serve_inbox
from tests.plugins.inquiry_tags.test_e2e import ids, new_record, wait_for
from tests.support.browser import axe_violations, watch

pytestmark = pytest.mark.browser


def event_with_form(output) -> tuple[str, int]:
    """(path, capacity) of an upcoming event page that takes replies."""
    for page in sorted(output.glob("events/*/index.html")):
        html = page.read_text(encoding="utf-8")
        match = re.search(r'data-capacity="(\d+)"', html)
        if 'name="event"' in html and match:
            return "/" + page.parent.relative_to(output).as_posix() + "/", int(match.group(1))
    raise AssertionError("no upcoming event page with a reply form in the demo site")


def test_a_reply_is_stored_counted_shown_and_given_back(demo_with_receiver, chromium):
    site = demo_with_receiver
    path, capacity = event_with_form(site.output)
    event = path.strip("/").rsplit("/", 1)[-1]
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    visit = watch(page)
    page.goto(site.origin + path)
    # Nobody has replied yet: every place is left.
    page.wait_for_selector("[data-rsvp-places]:not([hidden])")
    assert page.locator("[data-rsvp-places]").inner_text() == f"{capacity} of {capacity} places left."
    assert axe_violations(page) == []
    before = ids(site.store)
    page.fill("#inquiry-form-name", "Rae Reply")
    page.fill("#inquiry-form-email", "rae@example.com")
    page.select_option("#inquiry-form-places", "3")
    page.check("#inquiry-form-consent")
    page.click("#inquiry-form button[type=submit]")
    page.wait_for_selector(".form-sent")
    record = new_record(site.store, before)
    assert (record["kind"], record["event"], record["places"], record["form"]) == ("rsvp", event, 3, "event")
    counts = json.loads((site.store / COUNTS_KEY).read_text(encoding="utf-8"))
    assert counts["events"][event] == {"places": 3, "replies": 1}
    assert "Rae" not in json.dumps(counts) and record["id"] not in json.dumps(counts)
    page.reload()
    page.wait_for_selector("[data-rsvp-places]:not([hidden])")
    assert page.locator("[data-rsvp-places]").inner_text() == f"{capacity - 3} of {capacity} places left."
    assert visit.console_errors == []
    context.close()

    # In the inbox, the reply is there; cancelling it gives the three places back.
    store = LocalStore(site.store)
    now = dt.datetime.now(dt.UTC)
    with serve_inbox(store, now=lambda: now) as person:
        replies = person.get("/?kind=rsvp").text
        assert "Rae Reply" in replies and "(3 places)" in replies
        assert (
            person.change(record["id"], {"type": "status", "status": "closed", "reason": "cancelled"}).status
            == 303
        )
    wait_for(
        lambda: (
            json.loads((site.store / COUNTS_KEY).read_text(encoding="utf-8"))["events"][event]["places"] == 0
        )
    )


def test_a_full_event_says_replies_join_the_wait_list(demo_with_receiver, chromium):
    site = demo_with_receiver
    path, capacity = event_with_form(site.output)
    event = path.strip("/").rsplit("/", 1)[-1]
    from pipeline.inquiry.rsvp import add_places, read_counts

    store = LocalStore(site.store)
    taken = read_counts(store)["events"].get(event, {}).get("places", 0)
    add_places(store, event, capacity - taken)
    try:
        context = chromium.new_context()
        page = context.new_page()
        page.goto(site.origin + path)
        page.wait_for_selector("[data-rsvp-places]:not([hidden])")
        assert (
            "Fully booked: a reply now joins the wait-list" in page.locator("[data-rsvp-places]").inner_text()
        )
        context.close()
    finally:
        add_places(store, event, taken - capacity, replies=0)
