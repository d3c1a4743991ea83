"""A real build of the fixture practice on 2026-11-22: specials, events, feeds, SEO files and search.

Everything the build writes is read back with independent parsers: feedparser for feeds,
icalendar for .ics files, extruct for JSON-LD, lxml for the sitemap and the HTML.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import extruct
import feedparser
import icalendar
import pytest
from lxml import etree
from PIL import Image

from pipeline import dates
from tests.support.html import links, meta, page
from tests.support.sitefactory import FILES, SiteFactory

SITEURL = "https://test-aesthetics.example"
LA = dates.zone("America/Los_Angeles")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> SiteFactory:
    """The fixture practice built for the public site as of 2026-11-22, search index included."""
    factory = SiteFactory(tmp_path_factory.mktemp("marketing")).write_all()
    factory.build("publishconf.py", SITEURL=SITEURL)
    return factory


@pytest.fixture(scope="module")
def output(site) -> Path:
    return site.output


def jsonld_of(output: Path, url: str) -> list[dict]:
    """JSON-LD nodes of a page as extruct reads them, @graph flattened."""
    rel = url.strip("/") + "/index.html" if url.strip("/") else "index.html"
    data = extruct.extract(
        (output / rel).read_text(), base_url=SITEURL + url, syntaxes=["json-ld"], uniform=True
    )
    nodes = []
    for block in data["json-ld"]:
        nodes.extend(block.get("@graph", [block]))
    return nodes


def of_type(nodes: list[dict], schema_type: str) -> dict:
    matches = [n for n in nodes if n.get("@type") == schema_type]
    assert len(matches) == 1, [n.get("@type") for n in nodes]
    return matches[0]


# -- specials ------------------------------------------------------------------------------------


def test_current_special_is_listed_everywhere(output):
    href = f"{SITEURL}/specials/botox-november/"
    assert href in links(page(output, "/specials/"))
    assert href in links(page(output, "/"))  # the home banner
    assert href in links(page(output, "/procedures/botox/"))  # the procedure it applies to
    assert href not in links(page(output, "/procedures/hydrafacial/"))
    special = page(output, "/specials/botox-november/")
    assert meta(special, "content-status") == "published"
    assert meta(special, "robots") is None


def test_listed_specials_carry_their_last_second_for_the_expiry_script(output):
    home = page(output, "/")
    items = home.xpath(f'//*[@data-valid-through][.//a[@href="{SITEURL}/specials/botox-november/"]]')
    assert [i.get("data-valid-through") for i in items] == ["2026-11-30T23:59:59-08:00"]
    assert home.xpath('//script[contains(@src, "/js/expiry.")]')


def test_expired_special_says_so_and_leaves_every_listing(output):
    expired = page(output, "/specials/summer-facial/")
    assert meta(expired, "content-status") == "expired"
    assert "noindex" in meta(expired, "robots")
    notice = " ".join(expired.xpath('//*[contains(@class, "offer-ended")]//text()'))
    assert "This offer ended on" in notice and "July 31, 2026" in notice
    assert f"{SITEURL}/specials/" in links(expired)
    for url in ("/", "/specials/", "/procedures/hydrafacial/"):
        assert not any("summer-facial" in href for href in links(page(output, url), "//body")), url
    assert "summer-facial" not in (output / "sitemap.xml").read_text()
    assert "summer-facial" not in (output / "feeds/specials.atom.xml").read_text()
    assert not expired.xpath("//*[@data-pagefind-body]")


def test_scheduled_special_is_not_written_or_linked(output):
    assert not (output / "specials/december-glow").exists()
    for html in output.rglob("*.html"):
        assert "december-glow" not in html.read_text(), html


def test_offer_json_ld(output):
    offer = of_type(jsonld_of(output, "/specials/botox-november/"), "Offer")
    assert offer["validFrom"] == "2026-11-01T00:00:00-07:00"
    assert offer["validThrough"] == "2026-11-30T23:59:59-08:00"
    assert offer["price"] == "10.00" and offer["priceCurrency"] == "USD"
    sale, regular = offer["priceSpecification"]
    assert (sale["price"], sale["unitText"]) == ("10.00", "unit")
    assert (regular["price"], regular["priceType"]) == ("14.00", "https://schema.org/StrikethroughPrice")
    assert offer["availableAtOrFrom"] == [{"@id": f"{SITEURL}/locations/north/#clinic"}]
    assert offer["areaServed"] == [{"@type": "City", "name": "Brightwater"}]
    assert offer["itemOffered"] == [
        {
            "@type": "Service",
            "name": "Botox",
            "serviceType": "Botox",
            "url": f"{SITEURL}/procedures/botox/",
            "provider": {"@id": f"{SITEURL}/#practice"},
        }
    ]


def test_percent_off_offer_prices_the_sale(output):
    offer = of_type(jsonld_of(output, "/specials/summer-facial/"), "Offer")
    assert offer["price"] == "159.20"  # 20 % off 199
    assert len(offer["availableAtOrFrom"]) == 2  # no locations listed: every clinic


# -- events ----------------------------------------------------------------------------------------


def test_events_upcoming_and_archive(output):
    upcoming = links(page(output, "/events/"))
    assert f"{SITEURL}/events/open-house/" in upcoming
    assert f"{SITEURL}/events/skin-talk/" not in upcoming
    assert f"{SITEURL}/events/skin-talk/" in links(page(output, "/events/past/"))
    past = page(output, "/events/skin-talk/")
    assert "This event has passed" in " ".join(past.xpath("//main//text()"))
    assert meta(past, "content-status") == "published"


def test_rsvp_hook_only_on_upcoming_events_that_take_replies(output):
    assert page(output, "/events/open-house/").xpath('//section[@id="rsvp"]')
    assert not page(output, "/events/skin-talk/").xpath('//section[@id="rsvp"]')


def test_event_json_ld(output):
    event = of_type(jsonld_of(output, "/events/open-house/"), "Event")
    assert event["name"] == "Winter open house"
    assert event["startDate"] == "2026-12-10T17:30:00-08:00"
    assert event["endDate"] == "2026-12-10T19:30:00-08:00"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"]["address"]["streetAddress"] == "1 Elm Row"
    assert event["location"]["@id"] == f"{SITEURL}/locations/north/#clinic"
    assert event["organizer"]["@id"] == f"{SITEURL}/#practice"
    assert event["maximumAttendeeCapacity"] == 30
    assert event["performer"][0]["@id"] == f"{SITEURL}/team/dr-lee/#person"
    venue = of_type(jsonld_of(output, "/events/skin-talk/"), "Event")["location"]
    assert (venue["@type"], venue["name"]) == ("Place", "Brightwater Library")


def test_ics_files_parse(output):
    cal = icalendar.Calendar.from_ical((output / "events/open-house/open-house.ics").read_bytes())
    [event] = cal.walk("VEVENT")
    assert str(event["uid"]) == "open-house@test-aesthetics.example"
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 10, 17, 30, tzinfo=LA)
    assert event.decoded("dtend") == dt.datetime(2026, 12, 10, 19, 30, tzinfo=LA)
    assert str(event["url"]) == f"{SITEURL}/events/open-house/"
    assert "North Clinic" in str(event["location"])
    whole = icalendar.Calendar.from_ical((output / "events/calendar.ics").read_bytes())
    assert [str(e["uid"]) for e in whole.walk("VEVENT")] == ["open-house@test-aesthetics.example"]
    assert (output / "events/skin-talk/skin-talk.ics").exists()


# -- feeds -----------------------------------------------------------------------------------------


def parsed(output: Path, name: str):
    feed = feedparser.parse((output / "feeds" / name).read_bytes())
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_blog_feed_has_the_published_posts_newest_first(output, kind):
    feed = parsed(output, f"blog.{kind}.xml")
    assert [e.link for e in feed.entries] == [
        f"{SITEURL}/blog/nose-questions/",
        f"{SITEURL}/blog/facial-season/",
        f"{SITEURL}/blog/botox-myths/",
    ]
    newest = feed.entries[0]
    # Derived from content, never the build time: RSS's lastBuildDate is the newest pubDate.
    assert feed.feed.updated == (newest.updated if kind == "atom" else newest.published)


def test_category_feeds(output):
    feed = parsed(output, "category/injectables.atom.xml")
    assert [e.link for e in feed.entries] == [f"{SITEURL}/blog/botox-myths/"]
    assert {p.name for p in (output / "feeds/category").iterdir()} == {
        f"{c}.{k}.xml" for c in ("injectables", "skin-care", "surgery") for k in ("atom", "rss")
    }


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_specials_feed_carries_validity(output, kind):
    [entry] = parsed(output, f"specials.{kind}.xml").entries
    assert entry.link == f"{SITEURL}/specials/botox-november/"
    assert entry.validity_start == "2026-11-01T00:00:00-07:00"
    assert entry.validity_end == "2026-11-30T23:59:59-08:00"
    assert "Valid November 1, 2026 through November 30, 2026" in entry.summary


def test_events_feed_lists_upcoming_events(output):
    feed = parsed(output, "events.atom.xml")
    assert [e.link for e in feed.entries] == [f"{SITEURL}/events/open-house/"]


def test_pelicans_own_feeds_are_off(output):
    assert not list(output.glob("feeds/all*")) and not (output / "feeds/all.atom.xml").exists()


def test_pages_announce_their_feeds(output):
    alternates = page(output, "/blog/category/injectables/").xpath('//head/link[@rel="alternate"]/@href')
    assert f"{SITEURL}/feeds/blog.atom.xml" in alternates
    assert f"{SITEURL}/feeds/category/injectables.atom.xml" in alternates
    assert f"{SITEURL}/feeds/specials.rss.xml" in page(output, "/specials/").xpath(
        '//head/link[@rel="alternate"]/@href'
    )


# -- SEO -------------------------------------------------------------------------------------------


def _indexable_pages(output: Path) -> set[str]:
    """Every HTML page a crawler may index: written, not noindex, not the 404 page."""
    urls = set()
    for html in output.rglob("*.html"):
        rel = html.relative_to(output).as_posix()
        if rel == "404.html" or rel.startswith("pagefind/"):
            continue
        robots = meta(page(output, "/" + rel), "robots") or ""
        if "noindex" not in robots:
            urls.add(f"{SITEURL}/{rel.removesuffix('index.html')}")
    return urls


def test_sitemap_lists_exactly_the_indexable_pages(output):
    root = etree.fromstring((output / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = root.xpath("//s:loc/text()", namespaces=ns)
    assert locs == sorted(locs)
    assert set(locs) == _indexable_pages(output)
    assert f"{SITEURL}/specials/botox-november/" in locs and f"{SITEURL}/search/" not in locs
    lastmod = dict(
        zip(
            locs,
            [u.findtext("s:lastmod", namespaces=ns) for u in root.xpath("//s:url", namespaces=ns)],
            strict=False,
        )
    )
    assert lastmod[f"{SITEURL}/blog/botox-myths/"] == "2026-03-14"
    assert lastmod[f"{SITEURL}/specials/botox-november/"] == "2026-11-01"


def test_robots_allows_production_and_names_the_sitemap(output):
    robots = (output / "robots.txt").read_text()
    assert "Allow: /" in robots and f"Sitemap: {SITEURL}/sitemap.xml" in robots


def test_preview_builds_turn_crawlers_away(tmp_path, monkeypatch):
    local = SiteFactory(tmp_path / "local").write_all()
    local.build(SEARCH_INDEX=False)
    assert "Disallow: /" in (local.output / "robots.txt").read_text()
    monkeypatch.setenv("SEO_INDEXABLE", "0")  # a pull-request preview built with publishconf.py
    preview = SiteFactory(tmp_path / "preview").write_all()
    preview.build("publishconf.py", SITEURL=SITEURL + "/previews/pr-7", SEARCH_INDEX=False)
    assert "Disallow: /" in (preview.output / "robots.txt").read_text()
    # A preview lives under a prefix, where crawlers never read its robots.txt: every page says
    # noindex itself, and its sitemap lists nothing.
    for rel in (
        "index.html",
        "contact/index.html",
        "procedures/botox/index.html",
        "blog/facial-season/index.html",
    ):
        assert "noindex" in (meta(page(preview.output, "/" + rel), "robots") or ""), rel
    # No sitemap at all: an empty <urlset/> fails the sitemaps.org schema (at least one <url>).
    assert (
        not (preview.output / "sitemap.xml").exists()
        and "Sitemap:" not in (preview.output / "robots.txt").read_text()
    )


def test_redirect_map_goes_to_internal_never_the_site(site, output):
    redirects = json.loads((site.root / "internal/redirects.json").read_text())
    assert redirects == {"/offers/summer/": "/specials/summer-facial/"}
    assert not list(output.rglob("redirects.json"))


def test_head_has_canonical_description_and_cards(output):
    doc = page(output, "/specials/botox-november/")
    assert doc.xpath('//link[@rel="canonical"]/@href') == [f"{SITEURL}/specials/botox-november/"]
    assert meta(doc, "description") == "$10 per unit of Botox at the North Clinic."
    og = {m.get("property"): m.get("content") for m in doc.xpath("//meta[@property]")}
    assert og["og:url"] == f"{SITEURL}/specials/botox-november/"
    assert og["og:title"].startswith("November Botox special")
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "630")
    assert meta(doc, "twitter:card") == "summary_large_image"
    assert meta(doc, "twitter:image") == og["og:image"]
    assert meta(doc, "twitter:image:alt") == "A vial and a syringe"
    image = output / og["og:image"].removeprefix(SITEURL + "/")
    assert image.parent.name == "media" and "botox" not in image.name
    with Image.open(image) as card:
        assert card.size == (1200, 630)
        assert not card.getexif() and "exif" not in card.info


def test_every_page_has_a_card_image(output):
    for url in ("/", "/procedures/", "/locations/north/", "/blog/botox-myths/", "/events/skin-talk/"):
        og_image = page(output, url).xpath('//meta[@property="og:image"]/@content')
        assert og_image and (output / og_image[0].removeprefix(SITEURL + "/")).is_file(), url


def test_breadcrumbs_are_visible_and_structured(output):
    doc = page(output, "/specials/botox-november/")
    assert doc.xpath(f'//nav[@aria-label="Breadcrumb"]//a[@href="{SITEURL}/specials/"]')
    crumbs = of_type(jsonld_of(output, "/specials/botox-november/"), "BreadcrumbList")["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", f"{SITEURL}/"),
        (2, "Specials", f"{SITEURL}/specials/"),
        (3, "November Botox special", f"{SITEURL}/specials/botox-november/"),
    ]


# -- search ----------------------------------------------------------------------------------------


def test_only_published_listed_pages_are_marked_for_the_index(output):
    marked = {
        html.relative_to(output).as_posix()
        for html in output.rglob("*.html")
        if page(output, "/" + html.relative_to(output).as_posix()).xpath("//*[@data-pagefind-body]")
    }
    assert {
        "procedures/botox/index.html",
        "blog/botox-myths/index.html",
        "specials/botox-november/index.html",
    } <= marked
    assert "specials/summer-facial/index.html" not in marked
    assert not any(
        m.startswith(("drafts/", "search/", "blog/tag/")) or m in ("index.html", "404.html") for m in marked
    )
    assert (output / "pagefind/pagefind.js").is_file()
    assert list((output / "pagefind").glob("pagefind.*.pf_meta"))


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_fresh_process_builds_the_same_bytes(tmp_path, site):
    """`inv build` runs one build per process; tests run many. Both must give the same site,
    search index, feeds, calendars and cards included."""
    import subprocess
    import sys

    from tests.support.sitefactory import ROOT

    body = '## Our "plain words" promise\n\nWe\'ll answer -- honestly.\n'  # smart quotes, heading ids
    fresh = SiteFactory(tmp_path / "fresh").write_all()
    fresh.write("pages/privacy.md", FILES["pages/privacy.md"], body)
    code = (
        "import sys; sys.path.insert(0, '.'); from tests.support.sitefactory import SiteFactory; "
        f"SiteFactory({str(fresh.root)!r}).build('publishconf.py', SITEURL={SITEURL!r})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    later = SiteFactory(tmp_path / "later").write_all()  # this process has built before (the module's site)
    later.write("pages/privacy.md", FILES["pages/privacy.md"], body)
    later.build("publishconf.py", SITEURL=SITEURL)
    first, later = _tree(fresh.output), _tree(later.output)
    assert sorted(first) == sorted(later)
    assert [name for name in first if first[name] != later[name]] == []
