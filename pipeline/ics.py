"""iCalendar (.ics) files for events, with the ``icalendar`` package, deterministic.

Every value comes from the content: the UID is the event's id at the practice's domain
(so a calendar that imported it once updates it instead of adding a copy). RFC 5545 (3.8.7.2,
3.8.7.3) means DTSTAMP and LAST-MODIFIED to say when the object was made or last changed, not
when the event happens: both are the event's ``modified`` time, or the day it was announced
(its ``date``), never the build's clock, so two builds give the same bytes. CREATED is the
announcement.

SEQUENCE (RFC 5545 3.8.7.4: it grows each time the organizer makes a significant change, and a
calendar keeps the copy with the highest) is derived from the content's own history rather than
kept in a counter the build would have to store: it is the number of whole minutes from the
announcement to the last ``modified`` time. Each change that moves ``modified`` forward gives a
larger number, the same content always gives the same one, and an event never changed is 0. A
counter stored beside the content would need every build (and every CI run) to write back to
the repository; the minutes need nothing but the file. Times are written with their TZID and the
matching VTIMEZONE, so calendar apps show them in the practice's local time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import icalendar

PRODID = "-//Aurora site pipeline//Events//EN"
_STATUS = {
    "scheduled": "CONFIRMED",
    "rescheduled": "CONFIRMED",
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
}


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # "<event id>@<practice domain>"
    title: str
    start: dt.datetime  # aware, in the practice's zone
    end: dt.datetime
    summary: str
    url: str
    location: str  # one line: "Harbor District clinic, 12 Quay Street, Brightwater, CA 95999"
    organizer_name: str
    organizer_email: str
    stamp: dt.datetime  # when the content last changed (aware)
    status: str = "scheduled"
    created: dt.datetime | None = None  # when it was announced (aware)
    sequence: int = 0  # see the module docstring
    geo: tuple[float, float] | None = None


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def vevent(event: CalendarEvent) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", event.uid)
    item.add("dtstamp", _utc(event.stamp))
    item.add("last-modified", _utc(event.stamp))
    if event.created is not None:
        item.add("created", _utc(event.created))
    item.add("sequence", event.sequence)
    item.add("dtstart", event.start)
    item.add("dtend", event.end)
    item.add("summary", event.title)
    item.add("description", f"{event.summary}\n\n{event.url}")
    item.add("url", event.url)
    if event.location:
        item.add("location", event.location)
    if event.geo:
        item.add("geo", event.geo)
    item.add("status", _STATUS[event.status])
    organizer = icalendar.vCalAddress(f"mailto:{event.organizer_email}")
    organizer.params["cn"] = icalendar.vText(event.organizer_name)
    item.add("organizer", organizer)
    return item


def calendar(events: list[CalendarEvent], name: str) -> bytes:
    """One VCALENDAR holding ``events`` (in the given order) and the VTIMEZONEs they use."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(vevent(event))
    if events:
        # Only the years the events need: short files, and the transitions come from the content.
        first = min(e.start for e in events).date().replace(month=1, day=1)
        last = max(e.end for e in events).date().replace(month=12, day=31) + dt.timedelta(days=1)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()


def sequence(announced: dt.datetime, modified: dt.datetime) -> int:
    """Minutes from the announcement to the last change: grows with every later ``modified``."""
    return max(0, int((modified - announced).total_seconds() // 60))


def uid(event_id: str, domain: str) -> str:
    return f"{event_id}@{domain}"
