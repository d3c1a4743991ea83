"""The social export's contact sheet in real Chromium: every post visible as it will look, accessible."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from tests.support.browser import axe_violations, serve_directory, watch
from tests.support.social import SocialSite

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    site = SocialSite(tmp_path_factory.mktemp("social-sheet")).write_all()
    folder = site.export(tmp_path_factory.mktemp("social-sheet-export")).folder
    with serve_directory(folder) as origin:
        yield origin, json.loads((folder / "posts.json").read_text(encoding="utf-8"))


def test_contact_sheet_renders_every_post_with_zero_axe_violations(sheet, browser_page):
    origin, data = sheet
    visit = watch(browser_page)
    browser_page.set_viewport_size({"width": 1280, "height": 900})
    browser_page.goto(f"{origin}/contact-sheet.html", wait_until="load")
    assert browser_page.locator('meta[name="artefact"]').get_attribute("content") == "internal"
    articles = browser_page.locator("article")
    assert articles.count() == len(data["posts"])
    # Every image is a real, decoded picture at its exact size. They load lazily, so each is
    # scrolled into view first (decode() of an image that never starts loading never settles).
    for image in browser_page.locator("img").all():
        image.scroll_into_view_if_needed()
        image.evaluate("i => i.decode()")
    sizes = browser_page.evaluate("() => [...document.images].map(i => [i.naturalWidth, i.naturalHeight])")
    assert sizes == [[p["images"][0]["width"], p["images"][0]["height"]] for p in data["posts"]]
    for post in data["posts"][:3]:
        assert browser_page.get_by_text(post["caption"].split("\n")[0], exact=False).first.is_visible()
    assert axe_violations(browser_page) == []
    assert visit.console_errors == []
    assert visit.hosts <= {urlsplit(origin).netloc}, "the sheet loads nothing from elsewhere"


def test_contact_sheet_on_a_phone_has_zero_axe_violations(sheet, browser_page):
    origin, _ = sheet
    browser_page.goto(f"{origin}/contact-sheet.html", wait_until="load")
    assert axe_violations(browser_page) == []
