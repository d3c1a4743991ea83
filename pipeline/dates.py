"""Days and times in the practice's time zone, and where dated content stands on a given day.

"Today" is a date in the practice's time zone (``AS_OF_DATE``, or the clock read there).
A special's ``valid_from`` and ``valid_through`` are whole days in that zone, both
inclusive: an offer valid through 30 November runs until 23:59:59 that night in the
practice's time zone, whatever zone the server or the visitor is in.

The phase functions are the content types' lifecycle hooks (see
``pipeline.content.types``): plain values in, a phase name out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipeline.errors import PipelineError

UTC = dt.UTC


class DateError(PipelineError):
    """A date setting cannot be used (an unknown time zone)."""


def zone(name: str | None) -> ZoneInfo:
    """The practice's time zone from its IANA name (``TIMEZONE``), e.g. America/Los_Angeles."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise DateError(
            f"TIMEZONE '{name}' is not a time zone — use an IANA name such as "
            "America/Los_Angeles in pelicanconf.py"
        ) from None


def localize(value: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """A time written without an offset is the practice's local time; one with an offset is converted."""
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value.astimezone(tz)


def day_of(value: dt.date | dt.datetime, tz: dt.tzinfo) -> dt.date:
    """The practice's calendar day of a date or a moment."""
    if isinstance(value, dt.datetime):
        return localize(value, tz).date()
    return value


def today(tz: dt.tzinfo, now: dt.datetime | None = None) -> dt.date:
    """The practice's date at the moment ``now`` (default: the clock)."""
    moment = now if now is not None else dt.datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("now must carry a time zone")
    return moment.astimezone(tz).date()


def day_start(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """00:00:00 on ``day`` in the practice's zone."""
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz)


def day_end(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """23:59:59 on ``day`` in the practice's zone: the last second of an inclusive day."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz)


def iso(value: dt.datetime) -> str:
    """ISO 8601 with the UTC offset and no microseconds: 2026-11-30T23:59:59-08:00."""
    return value.replace(microsecond=0).isoformat()


def next_month(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the month after ``day``."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


# -- lifecycle phases --------------------------------------------------------------------------


def publish_phase(published_on: dt.date | dt.datetime, as_of: dt.date, tz: dt.tzinfo) -> str:
    """A dated post: ``scheduled`` until its day comes, then ``published``."""
    return "scheduled" if day_of(published_on, tz) > as_of else "published"


def offer_phase(valid_from: dt.date, valid_through: dt.date, as_of: dt.date) -> str:
    """A special: ``scheduled`` before its first day, ``current`` through its last, then ``expired``."""
    if as_of < valid_from:
        return "scheduled"
    if as_of > valid_through:
        return "expired"
    return "current"


def event_phase(end: dt.datetime, as_of: dt.date, tz: dt.tzinfo) -> str:
    """An event stays ``upcoming`` through the day it ends, then moves to the archive as ``past``."""
    return "past" if day_of(end, tz) < as_of else "upcoming"


def clock(value: dt.datetime) -> str:
    """5:30 pm, 6 pm."""
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes} {'am' if value.hour < 12 else 'pm'}"


def span_text(start: dt.datetime, end: dt.datetime) -> str:
    """How an event's time reads: "Thursday, December 10, 2026, 5:30 – 7:30 pm PST"."""
    day = f"{start:%A, %B} {start.day}, {start.year}"
    if start.date() == end.date():
        first = clock(start)
        if (start.hour < 12) == (end.hour < 12):
            first = first.rsplit(" ", 1)[0]
        return f"{day}, {first} – {clock(end)} {end:%Z}".strip()
    return f"{day}, {clock(start)} – {end:%A, %B} {end.day}, {end.year}, {clock(end)} {end:%Z}".strip()
