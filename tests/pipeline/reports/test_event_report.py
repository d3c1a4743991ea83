"""After an event: replies, guests who came, and how many inquired, booked or were treated within
30 and 90 days, matched by email or phone to the inquiries and the practice software's export."""

from __future__ import annotations

import csv
import datetime as dt
import io

from pipeline.inbox import journal
from pipeline.inquiry.store import LocalStore, encode_record, record_key
from pipeline.reports.run import events_from_settings
from tests.pipeline.reports.conftest import WEB, web

NOW = dt.datetime(2026, 11, 30, 20, 0, tzinfo=dt.UTC)


def reply(store, record_id: str, email: str, status: str | None, places: int = 1) -> None:
    record = {
        **web(record_id, "2026-10-01T17:00:00Z", {}, email=email, name="Guest"),
        "kind": "rsvp",
        "form": "event",
        "event": "skin-talk",
        "places": places,
    }
    key = record_key("inquiries", record_id, dt.datetime(2026, 10, 1, 17, tzinfo=dt.UTC))
    store.put(key, encode_record(record))
    if status:
        event = {"type": "status", "status": status, "by": "sam", "at": "2026-10-16T01:30:00Z"}
        if status == "closed":
            event["reason"] = "cancelled"
        journal.append(store, key, event)


def test_guests_who_came_and_what_they_became(scenario, tmp_path):
    root, settings = scenario
    store = LocalStore(tmp_path / "store")
    for record in WEB:
        at = dt.datetime.fromisoformat(record["received_at"].replace("Z", "+00:00"))
        store.put(record_key("inquiries", record["id"], at), encode_record(record))
    # The skin talk (15 Oct 18:00): Ann, Ben and Rae came, Sam replied but cancelled, Tia did not say.
    reply(store, "g1", "ann.lee@mail.example", "attended", places=2)
    reply(store, "g2", "ben@post.example", "attended")
    reply(store, "g3", "rae@mail.example", "attended")
    reply(store, "g4", "sam@mail.example", "closed")
    reply(store, "g5", "tia@mail.example", None)
    changed = {
        **settings,
        "INTERNAL_PATH": str(tmp_path / "out"),
        "REPORT_SOURCES": {**settings["REPORT_SOURCES"], "inquiries": [str(tmp_path / "store")]},
    }
    folder, rows = events_from_settings(changed, root, now=NOW)
    [row] = rows  # the open house (10 Dec) has not happened yet
    assert (row.event, row.replies, row.places, row.attended) == ("skin-talk", 4, 5, 3)
    # Ann inquired (3 Nov) and was booked and treated (8 Nov); Ben inquired (10 Nov), his booking was
    # cancelled; Rae did nothing yet. The 30-day window has passed, the 90-day one is still open.
    assert (row.inquired, row.booked, row.treated) == ((2, 2), (1, 1), (1, 1))
    assert row.maturing == (False, True)
    [line] = list(csv.DictReader(io.StringIO((folder / "events.csv").read_text(encoding="utf-8-sig"))))
    assert line["Event"] == "Autumn skin talk" and line["Treated within 30 days"] == "1"
    assert (line["30-day figures"], line["90-day figures"]) == ("complete", "maturing")
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "Autumn skin talk" in html and "maturing" in html
    for secret in ("Ann", "Ben", "Rae", "mail.example"):
        assert secret not in html, secret
