"""After an event: who came, and how many of them inquired, booked or were treated within 30 and
90 days (`inv report --period events`).

Replies are the RSVP records the receiver stored, with the inbox's statuses: "attended" marks a
guest who came (closed replies, cancelled or did not come, never count). A guest is matched to
later inquiries (web or front desk) and to the practice software's bookings and treatments by
email or phone, as the main report matches people. A window that has not fully passed yet is
marked "maturing". Counts only: no guest is named.

:func:`event_rows` is pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pipeline.files import csv_bytes
from pipeline.reports.records import Conversion, Lead

WINDOWS = (30, 90)


@dataclass(frozen=True)
class EventRow:
    event: str
    title: str
    start: dt.datetime
    replies: int
    places: int
    attended: int
    # per window (30, 90 days): guests who came and then inquired, booked, were treated
    inquired: tuple[int, ...]
    booked: tuple[int, ...]
    treated: tuple[int, ...]
    maturing: tuple[bool, ...]


def _keys(email: str | None, phone: str | None) -> set[str]:
    keys = set()
    if email:
        keys.add(f"e:{email}")
    if phone:
        keys.add(f"p:{phone}")
    return keys


def event_rows(
    events: Mapping[str, tuple[str, dt.datetime]],
    rsvps: Iterable[dict],
    leads: Sequence[Lead],
    conversions: Sequence[Conversion],
    now: dt.datetime,
) -> list[EventRow]:
    """One row per event that has started by ``now`` (``events``: id -> (title, start)), earliest first."""
    replies: dict[str, list[dict]] = {}
    for reply in rsvps:
        replies.setdefault(reply["event"], []).append(reply)
    rows = []
    for event, (title, start) in sorted(events.items(), key=lambda kv: (kv[1][1], kv[0])):
        if start is None or start > now:
            continue
        open_replies = [r for r in replies.get(event, []) if r["status"] != "closed"]
        guests = [_keys(r.get("email"), r.get("phone")) for r in open_replies if r["status"] == "attended"]
        inquired, booked, treated, maturing = [], [], [], []
        for days in WINDOWS:
            end = start + dt.timedelta(days=days)
            inquired.append(sum(1 for g in guests if _any_lead(g, leads, start, end)))
            booked.append(sum(1 for g in guests if _any_conversion(g, conversions, start, end, "booked")))
            treated.append(sum(1 for g in guests if _any_conversion(g, conversions, start, end, "treated")))
            maturing.append(end > now)
        rows.append(
            EventRow(
                event,
                title,
                start,
                len(open_replies),
                sum(r["places"] for r in open_replies),
                len(guests),
                tuple(inquired),
                tuple(booked),
                tuple(treated),
                tuple(maturing),
            )
        )
    return rows


def _any_lead(guest: set[str], leads: Sequence[Lead], start: dt.datetime, end: dt.datetime) -> bool:
    return any(start <= lead.at <= end and guest & _keys(lead.email, lead.phone) for lead in leads)


def _any_conversion(
    guest: set[str], conversions: Sequence[Conversion], start: dt.datetime, end: dt.datetime, what: str
) -> bool:
    for c in conversions:
        if not guest & _keys(c.email, c.phone):
            continue
        if what == "booked" and c.booked and start <= c.match_time <= end:
            return True
        if what == "treated" and c.treated and start <= c.at <= end:
            return True
    return False


HEADER = (
    "Event",
    "Date",
    "Replies",
    "Places",
    "Attended",
    *(f"{what} within {d} days" for d in WINDOWS for what in ("Inquired", "Booked", "Treated")),
    *(f"{d}-day figures" for d in WINDOWS),
)


def table_rows(rows: Sequence[EventRow], tz: dt.tzinfo) -> list[list]:
    out = []
    for r in rows:
        per_window = [v for i in range(len(WINDOWS)) for v in (r.inquired[i], r.booked[i], r.treated[i])]
        out.append(
            [
                r.title,
                r.start.astimezone(tz).date().isoformat(),
                r.replies,
                r.places,
                r.attended,
                *per_window,
                *("maturing" if m else "complete" for m in r.maturing),
            ]
        )
    return out


def event_files(practice: str, rows: Sequence[EventRow], tz: dt.tzinfo) -> dict[str, bytes]:
    from pipeline.reports.render import _ENV

    body = table_rows(rows, tz)
    html = _ENV.get_template("events.html").render(practice=practice, header=HEADER, rows=body)
    return {
        "report.html": html.encode("utf-8"),
        "events.csv": csv_bytes(HEADER, body, booleans=("yes", "no")),
    }
