"""The inbox in real Chromium: no accessibility violations (axe, WCAG 2.2 AA), nothing refused by
its Content-Security-Policy, and a change made from the keyboard alone."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.inbox import journal
from pipeline.inquiry.store import LocalStore
from tests.pipeline.inbox.conftest import put_record, serve_inbox
from tests.support.browser import axe_violations, watch

pytestmark = pytest.mark.browser
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
ATTRIBUTION = {"first": {"ref": "hale-derm", "landing_page": "/?ref=hale-derm"}, "latest": {}}


@pytest.fixture
def store(tmp_path):
    store = LocalStore(tmp_path / "store")
    put_record(store, NOW - dt.timedelta(hours=3), name="Quinn Older")
    put_record(store, NOW - dt.timedelta(minutes=45), name="Ada Waiting", attribution=ATTRIBUTION)
    put_record(
        store,
        NOW - dt.timedelta(minutes=5),
        name="Rita Reply",
        form="event",
        kind="rsvp",
        event="winter-open-house",
        places=2,
        interest="Winter open house",
    )
    key, done = put_record(store, NOW - dt.timedelta(days=1), name="Cy Contacted")
    journal.append(
        store,
        key,
        {
            "type": "contact",
            "channel": "phone",
            "reached": True,
            "by": "sam",
            "at": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "inquiry": done["id"],
        },
    )
    return store


def focused(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : ''")


def tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}; focus is on {focused(page)}")


def test_every_inbox_page_passes_axe_and_its_policy(chromium, store):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    visit = watch(page)
    with serve_inbox(store) as person:
        page.goto(person.origin + "/")  # no key yet: the way in
        assert "carries the key" in page.content()
        assert axe_violations(page) == []
        page.goto(f"{person.origin}/?key={person.inbox.app.guard.key}")
        assert page.url == person.origin + "/"
        assert page.locator("h2").count() == 4  # the open ones (new, contacted)
        assert axe_violations(page) == []
        page.goto(person.origin + "/?status=all&kind=rsvp")
        assert axe_violations(page) == []
        page.get_by_role("link", name="Rita Reply").click()
        assert "place 2 of 40" in page.content()
        assert axe_violations(page) == []
        # A refused change: the error is tied to its field.
        page.get_by_role("button", name="Add the note").click()
        page.wait_for_selector("#error-note")
        assert page.get_attribute("#note", "aria-invalid") == "true"
        assert page.get_attribute("#note", "aria-describedby") == "error-note"
        assert axe_violations(page) == []
        # Closing without a reason: the script makes the reason required, so the browser asks first.
        page.select_option("#status", "closed")
        assert page.evaluate("document.getElementById('reason').required")
        page.select_option("#reason", "cancelled")
        page.get_by_role("button", name="Change the status").click()
        page.wait_for_selector("#saved")
        assert "Closed: cancelled" in page.content()
        assert axe_violations(page) == []
    context.close()
    # Nothing refused by the CSP, no script error; only the two pages answered with an error status on purpose.
    assert visit.console_errors == [
        "Failed to load resource: the server responded with a status of 401 (Unauthorized)",
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)",
    ]
    assert visit.hosts <= {person.origin.removeprefix("http://")}


def test_a_change_made_with_the_keyboard_alone(chromium, store):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    visit = watch(page)
    with serve_inbox(store, user="alex") as person:
        page.goto(f"{person.origin}/?key={person.inbox.app.guard.key}")
        page.keyboard.press("Tab")
        assert "Skip to the content" in focused(page)
        page.keyboard.press("Enter")
        tab_to(page, "h2 a")  # the first inquiry: the newest new one
        assert "Rita Reply" in focused(page)
        tab_to(page, "h2 a")
        assert "Ada Waiting" in focused(page)
        page.keyboard.press("Enter")
        page.wait_for_url("**/i/*")
        tab_to(page, "input[name=channel]")
        page.keyboard.press("ArrowRight")  # Phone call -> Email
        tab_to(page, "input[name=reached]")
        page.keyboard.press("Space")  # "Yes"
        page.keyboard.press("Tab")
        page.keyboard.type("Emailed her the prices.")
        tab_to(page, "button")
        assert "Save the contact" in focused(page)
        page.keyboard.press("Enter")
        page.wait_for_selector("#saved")
        assert 'id="saved"' in focused(
            page
        )  # the confirmation has the focus: announced, and Tab goes on from it
        assert "Contacted" in page.locator(".state .badge").inner_text()
        [item] = [i for i in person.inbox.index.items() if i.record["name"] == "Ada Waiting"]
        [event] = journal.read_events(store, item.key)
        assert (event["type"], event["channel"], event["reached"], event["by"]) == (
            "contact",
            "email",
            True,
            "alex",
        )
        assert event["note"] == "Emailed her the prices."
    context.close()
    assert visit.console_errors == []
