"""The demo practice in real Chromium: no console errors, no other host, no axe violations."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.support.browser import axe_violations, watch
from tests.support.html import links
from tests.support.html import page as parse_page

pytestmark = pytest.mark.browser


LISTINGS = ("/blog/archives/", "/blog/tags/", "/blog/categories/", "/blog/page/")


def _first_link(output, index_url: str, prefix: str) -> str:
    """A real item URL from an index page (so the test follows the demo content)."""
    for href in sorted(links(parse_page(output, index_url))):
        path = urlsplit(href).path
        if (
            path.startswith(prefix)
            and path != prefix
            and path.count("/") == prefix.count("/") + 1
            and not path.startswith(LISTINGS)
        ):
            return path
    raise AssertionError(f"no {prefix}... link on {index_url}")


TEMPLATES = {
    "home": lambda out: "/",
    "blog index": lambda out: "/blog/",
    "post": lambda out: _first_link(out, "/blog/", "/blog/"),
    "procedures": lambda out: "/procedures/",
    "procedure": lambda out: _first_link(out, "/procedures/", "/procedures/"),
    "team": lambda out: "/team/",
    "team member": lambda out: _first_link(out, "/team/", "/team/"),
    "contact": lambda out: "/contact/",
    "location": lambda out: _first_link(out, "/contact/", "/locations/"),
    "page": lambda out: "/privacy/",
    "category": lambda out: _first_link(out, "/blog/categories/", "/blog/category/"),
    "tag": lambda out: _first_link(out, "/blog/tags/", "/blog/tag/"),
    "archives": lambda out: "/blog/archives/",
    "tags": lambda out: "/blog/tags/",
    "categories": lambda out: "/blog/categories/",
    "404": lambda out: "/404.html",
}


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_is_clean_private_and_accessible(demo_site, browser_page, template):
    origin, output = demo_site
    path = TEMPLATES[template](output)
    visit = watch(browser_page)
    response = browser_page.goto(origin + path, wait_until="load")
    assert response.status == 200, f"{path} answered {response.status}"
    browser_page.wait_for_load_state("networkidle")
    assert visit.console_errors == [], f"{path}: {visit.console_errors}"
    assert visit.hosts == {urlsplit(origin).netloc}, f"{path} contacted {visit.hosts}"
    assert axe_violations(browser_page) == [], path


def test_desktop_layout_is_also_accessible(demo_site, chromium):
    origin, _ = demo_site
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(origin + "/", wait_until="load")
    assert axe_violations(page) == []
    context.close()


def test_skip_link_moves_focus_to_main(demo_site, browser_page):
    origin, _ = demo_site
    browser_page.goto(origin + "/")
    browser_page.keyboard.press("Tab")
    focused = browser_page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    browser_page.keyboard.press("Enter")
    # Where focus really is, not the URL: <main> itself (it needs tabindex="-1" to take focus) or
    # something inside it, and the next Tab goes to the first link of the content, not the header.
    assert browser_page.evaluate("document.activeElement.id") == "main" or browser_page.evaluate(
        "!!document.activeElement.closest('main')"
    )
    browser_page.keyboard.press("Tab")
    assert browser_page.evaluate("!!document.activeElement.closest('main')"), browser_page.evaluate(
        "document.activeElement.outerHTML.slice(0, 120)"
    )
