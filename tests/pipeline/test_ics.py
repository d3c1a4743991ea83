"""iCalendar files read back with icalendar's parser."""

from __future__ import annotations

import datetime as dt

import icalendar

from pipeline import dates, ics

LA = dates.zone("America/Los_Angeles")


def event(**kwargs):
    values = dict(
        uid="open-house@aurora.example",
        title="Open house",
        start=dt.datetime(2026, 12, 10, 17, 30, tzinfo=LA),
        end=dt.datetime(2026, 12, 10, 19, 30, tzinfo=LA),
        summary="Meet us",
        url="https://x.example/events/open-house/",
        location="North Clinic, 1 Elm Row, Brightwater, CA 95999",
        organizer_name="Aurora",
        organizer_email="hello@aurora.example",
        stamp=dt.datetime(2026, 11, 2, tzinfo=LA),
    )
    values.update(kwargs)
    return ics.CalendarEvent(**values)


def test_event_parses_with_local_times_and_a_stable_uid():
    cal = icalendar.Calendar.from_ical(ics.calendar([event()], "Aurora"))
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["uid"]) == "open-house@aurora.example"
    assert vevent.decoded("dtstart") == dt.datetime(2026, 12, 10, 17, 30, tzinfo=LA)
    assert vevent["dtstart"].params["TZID"] == "America/Los_Angeles"
    assert vevent.decoded("dtend").astimezone(dt.UTC) == dt.datetime(2026, 12, 11, 3, 30, tzinfo=dt.UTC)
    assert str(vevent["location"]).startswith("North Clinic")
    assert str(vevent["status"]) == "CONFIRMED"
    assert "mailto:hello@aurora.example" in str(vevent["organizer"])
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["America/Los_Angeles"]


def test_stamp_comes_from_content_so_bytes_are_stable():
    first = ics.calendar([event()], "Aurora")
    assert first == ics.calendar([event()], "Aurora")
    [vevent] = icalendar.Calendar.from_ical(first).walk("VEVENT")
    assert vevent.decoded("dtstamp") == dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)


def test_cancelled_event():
    [vevent] = icalendar.Calendar.from_ical(ics.calendar([event(status="cancelled")], "A")).walk("VEVENT")
    assert str(vevent["status"]) == "CANCELLED"


def test_whole_calendar_keeps_the_given_order():
    later = event(
        uid="b@aurora.example",
        start=dt.datetime(2027, 1, 5, 10, tzinfo=LA),
        end=dt.datetime(2027, 1, 5, 11, tzinfo=LA),
    )
    cal = icalendar.Calendar.from_ical(ics.calendar([event(), later], "A"))
    assert [str(v["uid"]) for v in cal.walk("VEVENT")] == ["open-house@aurora.example", "b@aurora.example"]
