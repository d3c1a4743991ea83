"""The end-of-day report from the store (inquiries, the inbox's events, RSVPs) and the practice
software's export: one printable page, its CSV, and the content-free email through SES (moto)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pipeline.inbox import journal
from pipeline.inquiry.store import LocalStore, encode_record, record_key
from pipeline.reports.errors import ReportError
from pipeline.reports.run import daily_from_settings
from tests.pipeline.reports.conftest import WEB, web
from tests.support.ses import wire as ses_wire

LA = ZoneInfo("America/Los_Angeles")
NOW = dt.datetime(2026, 11, 10, 18, 0, tzinfo=LA)  # Tuesday, end of the day (south clinic: 8-16)


def put(store, record) -> str:
    at = dt.datetime.fromisoformat(record["received_at"].replace("Z", "+00:00"))
    key = record_key("inquiries", record["id"], at)
    store.put(key, encode_record(record))
    return key


@pytest.fixture
def day_store(tmp_path):
    store = LocalStore(tmp_path / "store")
    keys = {r["id"]: put(store, r) for r in WEB}
    # Ben (w3, 12:00 via oak-pilates) was called at 14:30: 150 business minutes.
    journal.append(
        store,
        keys["w3"],
        {"type": "contact", "channel": "phone", "reached": True, "by": "sam", "at": "2026-11-10T22:30:00Z"},
    )
    # Kim wrote at 15:00 and nobody has called yet; Lou wrote last week and was closed as spam.
    put(
        store,
        web("w8", "2026-11-10T23:00:00Z", {}, email="kim@mail.example", name="Kim Ng", interest="Botox"),
    )
    lou = put(store, web("w9", "2026-11-03T18:00:00Z", {}, email="lou@mail.example", name="Lou Spam"))
    journal.append(
        store,
        lou,
        {"type": "status", "status": "closed", "reason": "spam", "by": "sam", "at": "2026-11-03T19:00:00Z"},
    )
    rsvp = {
        **web("r1", "2026-11-10T19:00:00Z", {}, email="rae@mail.example", name="Rae Reply"),
        "kind": "rsvp",
        "event": "winter-open-house",
        "places": 2,
    }
    put(store, rsvp)
    return store


@pytest.mark.s3
def test_the_day_page_and_its_email(scenario, day_store, tmp_path, moto_s3):
    root, settings = scenario
    ses = moto_s3.client("ses")
    ses.verify_email_identity(EmailAddress="frontdesk@example-medspa.com")
    wire = ses_wire(ses)
    changed = {
        **settings,
        "INTERNAL_PATH": str(tmp_path / "out"),
        "REPORT_SOURCES": {**settings["REPORT_SOURCES"], "inquiries": [str(tmp_path / "store")]},
        "REPORT_DAILY_EMAIL": "frontdesk@example-medspa.com",
    }
    folder, day, sent = daily_from_settings(changed, None, root, now=NOW, ses_client=ses)
    assert folder == tmp_path / "out" / "reports" / "day-2026-11-10" and sent is True
    # Ben at 12:00 (answered after 150), the RSVP is not an inquiry, Kim at 15:00 (waiting 60 of opening time).
    assert [(a.time, a.answered) for a in day.arrivals] == [
        ("12:00", "after 150 business minutes"),
        ("15:00", "waiting 60 business minutes"),
    ]
    assert day.arrivals[0].partner == "Oak Row Pilates"
    # Still waiting, longest first: Eve (31 Oct), Ann (3 and 5 Nov), Kim; never Lou (closed) or Ben.
    assert [w.minutes for w in day.waiting] == [2160, 1620, 1200, 60]
    # Zed's appointment completed at 9:00 (the export has no booking time: it counts on its day), $99 sale.
    assert (day.treated, day.booked, day.revenue, day.services) == (1, 1, "$99", [("Chemical peel", 1)])
    assert [n for _, n in day.referrals] == [1]
    assert day.rsvps == [("winter-open-house", 1, 1, 2)]
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Day report: Tuesday 10 November 2026" in html and "after 150 business minutes" in html
    for name in ("Ben", "Kim", "Rae", "Zed", "@mail.example"):
        assert name not in html, name
    assert (folder / "inquiries.csv").read_text(encoding="utf-8-sig").splitlines()[0] == (
        "Time,Origin,Channel,Partner,Clinic,Answered"
    )
    [message] = wire
    subject = message["Message.Subject.Data"][0]
    assert subject == "Daily report 2026-11-10: 2 inquiries, 4 waiting"
    text = " ".join(v for values in message.values() for v in values)
    assert "Consultations booked today: 1" in text and "Treatments today: 1" in text
    for secret in ("Ben", "Kim", "Oak", "oak-pilates", "Chemical", "Botox", "mail.example", "winter"):
        assert secret not in text, secret


def test_a_day_in_the_future_is_refused(scenario, tmp_path):
    root, settings = scenario
    with pytest.raises(ReportError, match="in the future"):
        daily_from_settings({**settings, "INTERNAL_PATH": str(tmp_path)}, "2026-11-11", root, now=NOW)


@pytest.mark.browser
def test_the_day_page_is_accessible_and_prints_on_one_page(scenario, day_store, tmp_path, chromium):
    from tests.support.browser import axe_violations

    root, settings = scenario
    changed = {
        **settings,
        "INTERNAL_PATH": str(tmp_path / "out"),
        "REPORT_SOURCES": {**settings["REPORT_SOURCES"], "inquiries": [str(tmp_path / "store")]},
    }
    folder, _, sent = daily_from_settings(changed, "2026-11-10", root, now=NOW)
    assert sent is None  # no address configured: no email
    page = chromium.new_page()
    page.goto((folder / "report.html").as_uri())
    assert axe_violations(page) == []
    pdf = page.pdf(format="Letter")
    from io import BytesIO

    from pypdf import PdfReader

    assert len(PdfReader(BytesIO(pdf)).pages) == 1
    page.close()
