"""Specials, events and search in real Chromium: the between-builds expiry script under a moved
clock, Pagefind search, and axe on every template this feature adds."""

from __future__ import annotations

import datetime as dt
import socket
from urllib.parse import urlsplit

import pytest

from tests.support.browser import axe_violations, serve_directory, watch, wsgi_site
from tests.support.sitefactory import SiteFactory

pytestmark = pytest.mark.browser

UTC = dt.UTC
OFFER = "/specials/botox-november/"
# The November special runs through 30 November in Los Angeles: its last second is 07:59:59 UTC on 1 December.
BEFORE_MIDNIGHT = dt.datetime(2026, 12, 1, 7, 59, 30, tzinfo=UTC)
AFTER_MIDNIGHT = dt.datetime(2026, 12, 1, 8, 0, 1, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def offers_site(tmp_path_factory):
    """The fixture practice built on 2026-11-22 with the public settings, served over HTTP."""
    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    site = SiteFactory(tmp_path_factory.mktemp("offers-site")).write_all()
    site.build("publishconf.py", SITEURL=origin)
    # Served as `inv serve` serves it: event pages read the places left from the receiver (/api/).
    with wsgi_site(site.root, port) as served:
        yield served


def _offer_cards(page) -> list[bool]:
    """Whether each banner/listing item linking to the November special is visible."""
    return page.locator(f'[data-valid-through]:has(a[href$="{OFFER}"])').evaluate_all(
        "els => els.map(el => el.checkVisibility())"
    )


@pytest.mark.parametrize("path", ["/", "/specials/", "/procedures/botox/"])
def test_offer_shows_until_the_last_second_of_its_day(offers_site, chromium, path):
    context = chromium.new_context()
    page = context.new_page()
    page.clock.install(time=BEFORE_MIDNIGHT)
    page.goto(offers_site + path)
    shown = _offer_cards(page)
    assert shown and all(shown), f"{path}: the offer should still show at 23:59:30 in Los Angeles"
    context.close()


@pytest.mark.parametrize("path", ["/", "/specials/", "/procedures/botox/"])
def test_expiry_script_hides_an_ended_offer_without_a_rebuild(offers_site, chromium, path):
    context = chromium.new_context()
    page = context.new_page()
    page.clock.install(time=AFTER_MIDNIGHT)
    page.goto(offers_site + path)
    shown = _offer_cards(page)
    assert shown and not any(shown), f"{path}: the offer must be hidden after midnight in Los Angeles"
    if path == "/":
        assert not page.locator("section.specials-banner").is_visible(), "an empty banner disappears"
    if path == "/specials/":
        assert page.locator("[data-expiry-empty]").is_visible()
    context.close()


def test_offer_page_says_it_ended_once_the_clock_passes(offers_site, chromium):
    context = chromium.new_context()
    page = context.new_page()
    page.clock.install(time=AFTER_MIDNIGHT)
    page.goto(offers_site + OFFER)
    assert page.get_by_text("This offer has ended.").is_visible()
    assert not page.locator("article.special .page-hero .actions").is_visible(), (
        "no booking buttons for an ended offer"
    )
    page.clock.set_system_time(BEFORE_MIDNIGHT)
    page.reload()
    assert not page.get_by_text("This offer has ended.").is_visible()
    context.close()


def test_a_local_preview_of_another_day_runs_the_expiry_script_on_that_day(tmp_path, chromium):
    """`inv build --as-of 2026-11-22` previews 22 November: on 1 December's real clock the
    November offer still shows there, while the public build (above) hides it."""
    site = SiteFactory(tmp_path).write_all()
    site.build()  # pelicanconf.py, as `inv build --as-of 2026-11-22` runs it
    with serve_directory(site.output) as origin:
        context = chromium.new_context()
        page = context.new_page()
        page.clock.install(time=AFTER_MIDNIGHT)
        page.goto(origin + "/specials/")
        assert page.locator("html").get_attribute("data-clock-day") == "2026-11-22"
        shown = _offer_cards(page)
        assert shown and all(shown), "the preview of 22 November must still show the November offer"
        context.close()


def _wait_for_results(page, words: str) -> None:
    page.wait_for_function(
        "w => document.querySelector('[data-search-status]').textContent.includes('“' + w + '”')", arg=words
    )


def _search(page, origin: str, words: str) -> list[str]:
    page.goto(f"{origin}/search/#q={words}")
    _wait_for_results(page, words)
    return [
        urlsplit(href).path
        for href in page.locator("[data-search-results] a").evaluate_all("els => els.map(a => a.href)")
    ]


def test_search_finds_a_procedure_by_name(offers_site, browser_page):
    visit = watch(browser_page)
    found = _search(browser_page, offers_site, "rhinoplasty")
    assert "/procedures/rhinoplasty/" in found
    assert visit.console_errors == []
    assert visit.hosts == {urlsplit(offers_site).netloc}, "search runs on first-party files only"


def test_search_finds_posts_and_current_specials_but_not_expired_ones(offers_site, browser_page):
    assert "/blog/botox-myths/" in _search(browser_page, offers_site, "myths")
    assert "/specials/botox-november/" in _search(browser_page, offers_site, "NOV10")
    assert "/specials/summer-facial/" not in _search(browser_page, offers_site, "summer facial")
    assert _search(browser_page, offers_site, "unfinished") == []  # a draft's title


def test_search_box_sends_the_words_in_the_fragment_not_a_query_string(offers_site, browser_page):
    browser_page.goto(offers_site + "/", wait_until="load")
    browser_page.locator("summary.menu-toggle").click()  # on phones the box is in the menu
    box = browser_page.get_by_role("search", name="Site").get_by_role("searchbox")
    box.fill("botox")
    box.press("Enter")
    browser_page.wait_for_url("**/search/#q=botox")
    assert urlsplit(browser_page.url).query == ""  # treatment names never go into a URL parameter
    _wait_for_results(browser_page, "botox")
    assert "/procedures/botox/" in browser_page.locator("[data-search-results] a").evaluate_all(
        "els => els.map(a => new URL(a.href).pathname)"
    )


def test_desktop_header_links_to_search(offers_site, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(offers_site + "/")
    page.get_by_role("link", name="Search the site").click()
    page.wait_for_url("**/search/")
    page.wait_for_load_state("load")  # deferred scripts have run: the form is wired up
    page.get_by_label("Search treatments, specials and articles").fill("hydrafacial")
    page.keyboard.press("Enter")
    _wait_for_results(page, "hydrafacial")
    assert urlsplit(page.url).query == "" and urlsplit(page.url).fragment == "q=hydrafacial"
    assert page.locator("[data-search-results] li").count() > 0
    context.close()


TEMPLATES = {
    "home with specials banner": "/",
    "specials": "/specials/",
    "special": OFFER,
    "expired special": "/specials/summer-facial/",
    "procedure with special": "/procedures/botox/",
    "events": "/events/",
    "event": "/events/open-house/",
    "past event": "/events/skin-talk/",
    "events archive": "/events/past/",
    "search": "/search/#q=botox",
}


@pytest.mark.parametrize("template", TEMPLATES)
def test_new_templates_have_no_axe_violations(offers_site, browser_page, template):
    path = TEMPLATES[template]
    visit = watch(browser_page)
    response = browser_page.goto(offers_site + path, wait_until="load")
    assert response.status == 200
    if "#q=" in path:
        _wait_for_results(browser_page, path.rsplit("=", 1)[1])
    browser_page.wait_for_load_state("networkidle")
    assert visit.console_errors == [], visit.console_errors
    assert visit.hosts == {urlsplit(offers_site).netloc}
    assert axe_violations(browser_page) == [], path
