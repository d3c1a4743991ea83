"""The before/after gallery in real Chromium: the comparison slider (keyboard, mouse, touch, ARIA),
the no-JavaScript view, the sensitive-content gate, instant filters and axe."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.support.browser import axe_violations, watch
from tests.support.html import page as parse_page

pytestmark = pytest.mark.browser

CASE = "/gallery/botox-crows-feet-02/"  # two pairs
SENSITIVE = "/gallery/body-contouring-abdomen-01/"


def aria(slider) -> tuple[int, str]:
    return int(slider.get_attribute("aria-valuenow")), slider.get_attribute("aria-valuetext")


def divider(page, index: int = 0) -> str:
    """Where the divider is drawn: the frame's --ba-pos, which the after photo's clip-path uses."""
    return (
        page.locator("[data-ba-frame]")
        .nth(index)
        .evaluate("f => getComputedStyle(f).getPropertyValue('--ba-pos').trim()")
    )


def test_sliders_are_named_aria_sliders(demo_site, browser_page):
    origin, _ = demo_site
    browser_page.goto(origin + CASE)
    sliders = browser_page.get_by_role("slider")
    assert sliders.count() == 2
    left = browser_page.get_by_role("slider", name=re.compile(r"^Left eye: before, and 3 weeks after"))
    assert left.count() == 1
    assert left.get_attribute("aria-valuemin") == "0" and left.get_attribute("aria-valuemax") == "100"
    assert left.get_attribute("tabindex") == "0"
    assert aria(left) == (50, "50% before, 50% after")
    assert divider(browser_page) == "50%"


def test_keyboard_moves_the_slider(demo_site, browser_page):
    origin, _ = demo_site
    browser_page.goto(origin + CASE)
    slider = browser_page.get_by_role("slider").first
    slider.focus()
    steps = [
        ("ArrowRight", 55),
        ("ArrowRight", 60),
        ("Shift+ArrowRight", 85),
        ("ArrowLeft", 80),
        ("ArrowDown", 75),
        ("ArrowUp", 80),
        ("Shift+ArrowLeft", 55),
        ("PageDown", 30),
        ("PageUp", 55),
        ("Home", 0),
        ("ArrowLeft", 0),
        ("End", 100),
        ("Shift+ArrowRight", 100),
        ("Shift+ArrowLeft", 75),
    ]
    for key, expected in steps:
        slider.press(key)
        assert aria(slider) == (expected, f"{expected}% before, {100 - expected}% after"), key
    assert divider(browser_page) == "75%"
    clip = browser_page.locator(".ba-after").first.evaluate("e => getComputedStyle(e).clipPath")
    assert "75%" in clip
    # The second pair has its own state.
    assert aria(browser_page.get_by_role("slider").nth(1))[0] == 50


def test_mouse_drags_and_clicks_move_the_slider(demo_site, browser_page):
    origin, _ = demo_site
    browser_page.goto(origin + CASE)
    frame = browser_page.locator("[data-ba-frame]").first
    frame.scroll_into_view_if_needed()
    box = frame.bounding_box()
    slider = browser_page.get_by_role("slider").first
    y = box["y"] + box["height"] * 0.6
    browser_page.mouse.click(box["x"] + box["width"] * 0.25, y)
    assert abs(aria(slider)[0] - 25) <= 1
    assert browser_page.evaluate("document.activeElement.getAttribute('role')") == "slider"
    browser_page.mouse.move(box["x"] + box["width"] * 0.3, y)
    browser_page.mouse.down()
    browser_page.mouse.move(box["x"] + box["width"] * 0.8, y, steps=6)
    assert abs(aria(slider)[0] - 80) <= 1
    browser_page.mouse.move(box["x"] + box["width"] * 1.5, y, steps=3)  # beyond the edge: clamped
    browser_page.mouse.up()
    assert aria(slider) == (100, "100% before, 0% after")
    browser_page.mouse.move(box["x"] + box["width"] * 0.1, y)  # released: no longer follows
    assert aria(slider)[0] == 100


def test_touch_moves_the_slider(demo_site, chromium):
    origin, _ = demo_site
    context = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(origin + CASE)
    frame = page.locator("[data-ba-frame]").first
    frame.scroll_into_view_if_needed()
    box = frame.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.7, box["y"] + box["height"] / 2)
    assert abs(aria(page.get_by_role("slider").first)[0] - 70) <= 1
    assert page.locator("[data-ba-frame]").first.evaluate("f => getComputedStyle(f).touchAction") == "pan-y"
    context.close()


def test_without_javascript_both_photos_show_side_by_side(demo_site, chromium):
    origin, _ = demo_site
    context = chromium.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    loaded = []
    page.on("response", lambda r: r.ok and "/media/" in r.url and loaded.append(urlsplit(r.url).path))
    page.goto(origin + CASE, wait_until="load")
    assert page.get_by_role("slider").count() == 0
    figure = page.locator("figure[data-ba]").first
    before = figure.locator(".ba-before img")
    after = figure.locator(".ba-after img")
    assert before.is_visible() and after.is_visible()
    b, a = before.bounding_box(), after.bounding_box()
    assert b["width"] > 100 and abs(b["width"] - a["width"]) < 2
    assert b["x"] + b["width"] <= a["x"] and abs(b["y"] - a["y"]) < 2  # next to each other, not stacked
    assert (
        figure.locator(".ba-before .ba-label").is_visible()
        and figure.locator(".ba-after .ba-label").is_visible()
    )
    # Both photos were really fetched (no script decides what loads).
    sides = [figure.locator(side).inner_html() for side in (".ba-before", ".ba-after")]
    assert all(any(path in html for path in loaded) for html in sides), loaded
    context.close()


def test_sensitive_photos_wait_for_a_click(demo_site, browser_page):
    origin, _ = demo_site
    browser_page.goto(origin + SENSITIVE)
    photo = browser_page.locator("figure[data-ba] img").first
    assert not photo.is_visible()
    browser_page.get_by_text("Show photos").click()
    assert photo.is_visible()
    slider = browser_page.get_by_role("slider").first
    slider.focus()
    slider.press("End")
    assert aria(slider)[0] == 100
    assert axe_violations(browser_page) == []


def _shown(page) -> int:
    return page.locator("li[data-case]:visible").count()


def test_filters_narrow_the_gallery_instantly(demo_site, browser_page):
    origin, output = demo_site
    cards = parse_page(output, "/gallery/").xpath("//li[@data-case]")
    total = len(cards)
    ipl = [c for c in cards if c.get("data-procedure") == "ipl-photofacial"]
    ipl_thirties = [c for c in ipl if c.get("data-age") == "30-39"]
    cheeks = [c for c in cards if "cheeks" in c.get("data-areas").split()]
    assert total >= 6 and 0 < len(ipl_thirties) < len(ipl) < total

    browser_page.goto(origin + "/gallery/")
    status = browser_page.get_by_role("status")
    assert browser_page.locator("form[data-gallery-filters]").is_visible()
    assert _shown(browser_page) == total
    browser_page.get_by_label("Treatment", exact=True).select_option("ipl-photofacial")
    assert _shown(browser_page) == len(ipl)
    assert status.text_content() == f"Showing {len(ipl)} of {total} cases"
    assert browser_page.evaluate("location.search") == "?procedure=ipl-photofacial"
    browser_page.get_by_label("Age range", exact=True).select_option("30-39")
    assert _shown(browser_page) == len(ipl_thirties)
    browser_page.get_by_role("button", name="Clear filters").click()
    browser_page.wait_for_function("document.querySelectorAll('li[data-case][hidden]').length === 0")
    assert _shown(browser_page) == total and status.text_content() == f"Showing all {total} cases"

    browser_page.goto(origin + "/gallery/?areas=cheeks")  # a shared link keeps its filter
    assert _shown(browser_page) == len(cheeks)
    assert browser_page.get_by_label("Area", exact=True).input_value() == "cheeks"


GALLERY_PAGES = ["/gallery/", "/gallery/procedures/botox/", "/gallery/areas/cheeks/", CASE, SENSITIVE]


@pytest.mark.parametrize("path", GALLERY_PAGES)
def test_gallery_pages_are_clean_private_and_accessible(demo_site, browser_page, path):
    origin, _ = demo_site
    visit = watch(browser_page)
    response = browser_page.goto(origin + path, wait_until="load")
    assert response.status == 200
    browser_page.wait_for_load_state("networkidle")
    assert visit.console_errors == [], visit.console_errors
    assert visit.hosts == {urlsplit(origin).netloc}, visit.hosts
    assert axe_violations(browser_page) == [], path


def test_case_page_is_accessible_on_a_desktop_too(demo_site, chromium):
    origin, _ = demo_site
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(origin + CASE, wait_until="load")
    assert axe_violations(page) == []
    context.close()
