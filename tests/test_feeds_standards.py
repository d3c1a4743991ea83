"""Feeds, calendars and the sitemap of the demo build, checked against their receivers' own rules.

- Feeds: the W3C feed validator's checks for dates and links (github.com/w3c/feedvalidator, which
  runs only from a checkout, so its rules are encoded here, each citing its source):
  src/feedvalidator/validators.py ``w3cdtf``/``rfc2822`` (date formats) and ``implausible_8601``/
  ``implausible_822`` (a date before 1990 or more than a day after now is "ImplausibleDate"), and
  ``absUrlMixin`` (an ``<a href>`` or ``<img src>`` in entry content that is not absolute is
  "ContainsRelRef").
- Sitemap: the sitemaps.org XSD (tests/data/sitemap-0.9.xsd) with lxml.
- iCalendar: parsed by ``icalendar``, then RFC 5545's required properties: VCALENDAR has PRODID and
  VERSION (3.6); each VEVENT has UID and DTSTAMP (3.6.1), and DTSTART (RFC 5546 3.2.1, METHOD:PUBLISH);
  DTSTAMP and LAST-MODIFIED are UTC (3.8.7.2, 3.8.7.3); not both DTEND and DURATION (3.6.1);
  SEQUENCE a non-negative integer (3.8.7.4).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from email.utils import parsedate_tz
from pathlib import Path

import icalendar
import pytest
from lxml import etree

import runner
from tests.support.sitefactory import SiteFactory

XSD = Path(__file__).resolve().parent / "data" / "sitemap-0.9.xsd"
ATOM = "{http://www.w3.org/2005/Atom}"
# validators.py, class w3cdtf: a time needs a zone.
W3CDTF = re.compile(r"^\d\d\d\d(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d*)?)?(Z|([+-]\d\d:\d\d)))?)?)?$")
# validators.py, class rfc822 (rfc2822_re).
RFC2822 = re.compile(
    r"^(((Mon)|(Tue)|(Wed)|(Thu)|(Fri)|(Sat)|(Sun)), )?\d\d? ((Jan)|(Feb)|(Mar)|(Apr)|(May)|"
    r"(Jun)|(Jul)|(Aug)|(Sep)|(Oct)|(Nov)|(Dec)) \d\d\d\d \d\d:\d\d(:\d\d)? (([+-]?\d\d[03]0)|"
    r"(UT)|(GMT)|(EST)|(EDT)|(CST)|(CDT)|(MST)|(MDT)|(PST)|(PDT)|Z)$"
)
# validators.py, class absUrlMixin.
ANCHOR = re.compile(r"<a\s+href=(?:\"(.*?)\"|'(.*?)'|([\w-]+))[\s>]", re.IGNORECASE)
IMG = re.compile(r"<img\s+[^>]*src=(?:\"(.*?)\"|'(.*?)'|([\w-]+))[\s>]", re.IGNORECASE)
ABSOLUTE = re.compile(r"\w+:")


def implausible(moment: dt.datetime) -> bool:
    """validators.py implausible_8601/implausible_822: before 1990, or later than a day from now."""
    return moment < dt.datetime(1990, 1, 1, tzinfo=dt.UTC) or moment.timestamp() > time.time() + 86400


def feed_problems(data: bytes) -> list[str]:
    root = etree.fromstring(data)
    problems = []
    if root.tag == f"{ATOM}feed":
        for node in root.iter(f"{ATOM}updated", f"{ATOM}published"):
            text = node.text.strip()
            if not W3CDTF.match(text):
                problems.append(f"InvalidW3CDTFDate {text}")
            elif implausible(dt.datetime.fromisoformat(text)):
                problems.append(f"ImplausibleDate {text}")
        contents = [n.text or "" for n in root.iter(f"{ATOM}content", f"{ATOM}summary")]
    else:
        for node in root.iter("pubDate", "lastBuildDate"):
            text = node.text.strip()
            parsed = parsedate_tz(text)
            if not RFC2822.match(text) or parsed is None:
                problems.append(f"InvalidRFC2822Date {text}")
            elif implausible(
                dt.datetime.fromtimestamp(time.mktime(parsed[:9]) - (parsed[9] or 0) - time.timezone, dt.UTC)
            ):
                problems.append(f"ImplausibleDate {text}")
        contents = [
            n.text or ""
            for n in root.iter("description", "{http://purl.org/rss/1.0/modules/content/}encoded")
        ]
    for html in contents:
        for groups in IMG.findall(html) + ANCHOR.findall(html):
            ref = next(g for g in groups if g) if any(groups) else ""
            if not ABSOLUTE.match(ref.strip()):
                problems.append(f"ContainsRelRef {ref}")
    return problems


def ics_problems(data: bytes) -> list[str]:
    calendar = icalendar.Calendar.from_ical(data)
    problems = [f"VCALENDAR lacks {p}" for p in ("PRODID", "VERSION") if p not in calendar]
    for event in calendar.walk("VEVENT"):
        uid = event.get("UID", "?")
        problems += [f"{uid}: lacks {p}" for p in ("UID", "DTSTAMP", "DTSTART") if p not in event]
        if "DTEND" in event and "DURATION" in event:
            problems.append(f"{uid}: both DTEND and DURATION")
        for prop in ("DTSTAMP", "LAST-MODIFIED", "CREATED"):
            if prop in event and event[prop].dt.utcoffset() != dt.timedelta(0):
                problems.append(f"{uid}: {prop} is not UTC")
        if not isinstance(event.get("SEQUENCE", 0), int) or int(event.get("SEQUENCE", 0)) < 0:
            problems.append(f"{uid}: SEQUENCE is not a non-negative integer")
        if event["DTSTAMP"].dt >= event["DTSTART"].dt:
            problems.append(f"{uid}: DTSTAMP is the event's start or later, not when the object changed")
    return problems


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("standards") / "output"
    runner.build(
        "publishconf.py",
        {"OUTPUT_PATH": str(output), "INTERNAL_PATH": str(output.parent / "internal"), "SEARCH_INDEX": False},
    )
    return output


def test_every_feed_passes_the_feed_validators_date_and_link_rules(demo):
    feeds = sorted((demo / "feeds").rglob("*.xml"))
    assert len(feeds) >= 6 and any(f.name == "events.rss.xml" for f in feeds)
    for feed in feeds:
        assert feed_problems(feed.read_bytes()) == [], feed
    events = etree.fromstring((demo / "feeds/events.atom.xml").read_bytes())
    assert len(events.findall(f"{ATOM}entry")) >= 1


def test_the_rules_catch_a_future_date_and_a_relative_link():
    bad = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><updated>2999-01-01T00:00:00Z</updated><entry>'
        b'<content type="html">&lt;a href="/contact/"&gt;us&lt;/a&gt;</content></entry></feed>'
    )
    assert feed_problems(bad) == ["ImplausibleDate 2999-01-01T00:00:00Z", "ContainsRelRef /contact/"]
    rss = b"<rss><channel><lastBuildDate>Thu, 10 Dec 2099 17:30:00 -0800</lastBuildDate></channel></rss>"
    assert feed_problems(rss) == ["ImplausibleDate Thu, 10 Dec 2099 17:30:00 -0800"]


def test_rss_content_links_are_absolute(demo):
    text = (demo / "feeds/blog.rss.xml").read_text()
    assert "https://www.aurora-aesthetics.example/" in text and 'href="/' not in text
    assert "href=&quot;/" not in text


def test_the_sitemap_validates_against_the_sitemaps_org_schema(demo):
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    sitemap = etree.parse(str(demo / "sitemap.xml"))
    assert schema.validate(sitemap), schema.error_log
    assert not schema.validate(
        etree.fromstring(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>')
    )


def test_a_local_build_writes_no_empty_sitemap(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    site.build(SEARCH_INDEX=False)
    assert not (site.output / "sitemap.xml").exists()
    assert "Sitemap:" not in (site.output / "robots.txt").read_text()


def test_every_calendar_file_parses_and_has_rfc_5545s_required_properties(demo):
    files = sorted(demo.rglob("*.ics"))
    assert len(files) >= 3
    for path in files:
        assert ics_problems(path.read_bytes()) == [], path


def test_the_calendar_rules_catch_a_stamp_at_the_start():
    cal = (
        b"BEGIN:VCALENDAR\r\nPRODID:x\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20261210T173000Z\r\n"
        b"DTSTART:20261210T173000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert ics_problems(cal) == ["a@x: DTSTAMP is the event's start or later, not when the object changed"]


def _event(site: SiteFactory) -> icalendar.Event:
    site.build(SEARCH_INDEX=False)
    (event,) = icalendar.Calendar.from_ical(
        (site.output / "events/open-house/open-house.ics").read_bytes()
    ).walk("VEVENT")
    return event


def test_dtstamp_is_the_announcement_or_change_and_sequence_grows_with_each_change(tmp_path):
    site = SiteFactory(tmp_path).write_all()
    first = _event(site)
    assert first["DTSTAMP"].dt == first["LAST-MODIFIED"].dt == dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC)
    assert first["SEQUENCE"] == 0
    assert _event(site)["SEQUENCE"] == 0, "the same content, the same sequence"
    site.edit("events/open-house.md", start="2026-12-10 18:00", modified="2026-11-10 09:00")
    moved = _event(site)
    site.edit("events/open-house.md", start="2026-12-10 18:30", modified="2026-11-12 16:45")
    again = _event(site)
    assert 0 < moved["SEQUENCE"] < again["SEQUENCE"]
    assert first["DTSTAMP"].dt < moved["DTSTAMP"].dt < again["DTSTAMP"].dt
    feed = etree.fromstring((site.output / "feeds/events.atom.xml").read_bytes())
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}updated").text == "2026-11-12T16:45:00-08:00"
    assert entry.find(f"{ATOM}published").text == "2026-11-02T00:00:00-08:00"
