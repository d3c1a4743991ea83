"""Report periods — weeks, months, quarters — as calendar days in the practice's time zone.

A period is a range of local dates. An inquiry belongs to the local day it arrived on: its
UTC time converted with zoneinfo, so days stay right across daylight-saving changes (a day
may last 23 or 25 hours) and whatever zone the server runs in. ``as_of`` cuts a period that
has not ended yet ("month to date"): nothing after the end of that day counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.reports.errors import ReportError

KINDS = ("week", "month", "quarter")
WEEK_STARTS = {"monday": 0, "sunday": 6}


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # the period's last day (inclusive)
    as_of: dt.date  # data up to the end of this day; == end for a complete period

    @property
    def slug(self) -> str:
        """The report's folder name: ``month-2026-11-01``."""
        return f"{self.kind}-{self.start.isoformat()}"

    @property
    def complete(self) -> bool:
        return self.as_of >= self.end

    @property
    def name(self) -> str:
        if self.kind == "week":
            return f"Week of {_day(self.start)}"
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"

    @property
    def label(self) -> str:
        span = f"{_day(self.start)} – {_day(self.end)}"
        if not self.complete:
            return f"{self.name} (to date: {_day(self.start)} – {_day(self.as_of)})"
        return f"{self.name} ({span})"

    @property
    def days(self) -> int:
        return (self.as_of - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.as_of

    def previous(self) -> Period:
        """The period before, cut to the same number of days when this one is to date."""
        last = self.start - dt.timedelta(days=1)
        before = period_containing(
            self.kind, last, week_start=_weekday_name(self.start) if self.kind == "week" else "monday"
        )
        if self.complete:
            return before
        cut = min(before.end, before.start + dt.timedelta(days=self.days - 1))
        return Period(before.kind, before.start, before.end, cut)

    def buckets(self) -> list[tuple[str, dt.date, dt.date]]:
        """Chart buckets up to ``as_of``: days for a week or a month, weeks (from its start) for a quarter."""
        out = []
        step = 7 if self.kind == "quarter" else 1
        day = self.start
        while day <= self.as_of:
            last = min(day + dt.timedelta(days=step - 1), self.as_of)
            label = (
                f"{day:%b} {day.day}"
                if step == 1
                else f"{day:%b} {day.day}–{last.day if last.month == day.month else f'{last:%b} {last.day}'}"
            )
            out.append((label, day, last))
            day = last + dt.timedelta(days=1)
        return out


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _weekday_name(day: dt.date) -> str:
    return "sunday" if day.weekday() == 6 else "monday"


def period_containing(kind: str, day: dt.date, week_start: str = "monday") -> Period:
    if kind not in KINDS:
        raise ReportError(f"--period {kind!r}: use week, month or quarter.")
    if kind == "week":
        if week_start not in WEEK_STARTS:
            raise ReportError(f"REPORT_WEEK_START is {week_start!r}: use 'monday' or 'sunday'.")
        offset = (day.weekday() - WEEK_STARTS[week_start]) % 7
        start = day - dt.timedelta(days=offset)
        end = start + dt.timedelta(days=6)
    elif kind == "month":
        start = day.replace(day=1)
        end = _next_month(start) - dt.timedelta(days=1)
    else:
        start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        end = _next_month(_next_month(_next_month(start))) - dt.timedelta(days=1)
    return Period(kind, start, end, end)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def report_period(
    kind: str, today: dt.date, as_of: dt.date | None = None, week_start: str = "monday"
) -> Period:
    """The period a report covers.

    Without ``as_of``: the last complete period before ``today`` (run on a Monday, a weekly
    report covers last week). With ``as_of``: the period containing that day, counted up to
    its end ("to date" when the period is not over).
    """
    if as_of is None:
        current = period_containing(kind, today, week_start)
        return period_containing(kind, current.start - dt.timedelta(days=1), week_start)
    period = period_containing(kind, as_of, week_start)
    return Period(kind, period.start, period.end, min(as_of, period.end))


def parse_day(value: str | dt.date | None, option: str = "--as-of") -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ReportError(
            f"{option} {value!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-30."
        ) from None


def local_day(moment: dt.datetime, tz: dt.tzinfo) -> dt.date:
    """The practice's calendar day of an aware moment."""
    return moment.astimezone(tz).date()


def end_instant(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """The first instant after ``day`` in the practice's zone (next local midnight, DST-aware)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
