"""Business time: how long an inquiry waited while a clinic was open.

The clinics' opening hours come from ``content/locations/*.md`` (``hours: {monday: 8:00-17:30,
saturday: closed}``), in the practice's time zone (``TIMEZONE``). An inquiry that names a clinic
is measured against that clinic's hours; any other against the hours when at least one clinic is
open. A minute outside opening hours is not a business minute, so an inquiry sent at 23:00 and
answered at 8:04 the next (open) morning waited 4 business minutes.

Pure values and functions: :class:`Calendar` is built from a plain table
(:func:`pipeline.inbox.content.calendar_table` reads it from the content folder, the Lambda
package carries it as JSON). Days follow the local
calendar across daylight-saving changes (zoneinfo). Public holidays are not in the content, so a
holiday counts as an ordinary day of its weekday.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
Interval = tuple[int, int]  # minutes from local midnight: [open, close)


def _parse(value: str) -> Interval | None:
    text = str(value).strip().lower()
    if text == "closed":
        return None
    match = _SPAN.match(text)
    if not match:
        raise ValueError(f"opening hours {value!r} are not like 9:00-18:00 (or 'closed')")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if not (0 <= start < end <= 24 * 60 and m1 < 60 and m2 < 60):
        raise ValueError(f"opening hours {value!r} do not close after they open")
    return start, end


def _merge(spans: Iterable[Interval]) -> tuple[Interval, ...]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((a, b) for a, b in merged)


@dataclass(frozen=True)
class Hours:
    """Opening hours per weekday (Monday first), in minutes from local midnight."""

    week: tuple[tuple[Interval, ...], ...]

    @classmethod
    def from_mapping(cls, hours: Mapping[str, str]) -> Hours:
        """``{"monday": "8:00-17:30", "saturday": "closed"}``; a day left out is closed."""
        week: list[tuple[Interval, ...]] = []
        for day in DAYS:
            span = _parse(hours[day]) if day in hours else None
            week.append((span,) if span else ())
        return cls(tuple(week))

    @classmethod
    def union(cls, many: Iterable[Hours]) -> Hours:
        many = list(many)
        return cls(tuple(_merge(span for hours in many for span in hours.week[day]) for day in range(7)))

    @property
    def open_at_all(self) -> bool:
        return any(self.week)


@dataclass(frozen=True)
class Calendar:
    """The practice's clinics and their hours, in its time zone."""

    tz: ZoneInfo
    clinics: Mapping[str, Hours]  # clinic id -> hours
    names: Mapping[str, str]  # a clinic's name (lower case) or id -> its id
    any_clinic: Hours

    @classmethod
    def from_table(cls, table: Mapping) -> Calendar:
        """From :func:`pipeline.inbox.content.calendar_table`'s value: ``{"timezone": ..., "clinics": {id: {"name", "hours"}}}``."""
        clinics = {cid: Hours.from_mapping(c.get("hours") or {}) for cid, c in table["clinics"].items()}
        names = {}
        for cid, clinic in table["clinics"].items():
            names[cid.lower()] = cid
            if clinic.get("name"):
                names[str(clinic["name"]).strip().lower()] = cid
        return cls(ZoneInfo(table["timezone"]), clinics, names, Hours.union(clinics.values()))

    def hours_for(self, clinic: str | None) -> Hours:
        """A named clinic's hours (by id or name, as the form sends it), else any clinic's."""
        if clinic:
            cid = self.names.get(str(clinic).strip().lower())
            if cid is not None and self.clinics[cid].open_at_all:
                return self.clinics[cid]
        return self.any_clinic

    # --- measuring -------------------------------------------------------------------------

    def _spans(self, hours: Hours, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        out = []
        for start, end in hours.week[day.weekday()]:
            opens = dt.datetime.combine(day, dt.time(start // 60, start % 60), self.tz)
            closes = (
                dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), self.tz)
                if end == 24 * 60
                else dt.datetime.combine(day, dt.time(end // 60, end % 60), self.tz)
            )
            out.append((opens, closes))
        return out

    def business_seconds(self, start: dt.datetime, end: dt.datetime, clinic: str | None = None) -> float:
        """Seconds between two aware moments during which the clinic (or any clinic) was open."""
        if end <= start:
            return 0.0
        hours = self.hours_for(clinic)
        total = 0.0
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        while day <= last:
            for opens, closes in self._spans(hours, day):
                low, high = max(opens, start), min(closes, end)
                if high > low:
                    total += (high - low).total_seconds()
            day += dt.timedelta(days=1)
        return total

    def add_business(
        self, start: dt.datetime, seconds: float, clinic: str | None = None, horizon_days: int = 60
    ) -> dt.datetime | None:
        """The moment ``seconds`` of opening time have passed since ``start`` (None: never, within
        ``horizon_days``: the clinic is never open)."""
        hours = self.hours_for(clinic)
        left = float(seconds)
        day = start.astimezone(self.tz).date()
        for _ in range(horizon_days):
            for opens, closes in self._spans(hours, day):
                low = max(opens, start)
                if closes <= low:
                    continue
                available = (closes - low).total_seconds()
                if left <= available:
                    return low + dt.timedelta(seconds=left)
                left -= available
            day += dt.timedelta(days=1)
        return None

    def next_business_day(self, start: dt.datetime, clinic: str | None = None) -> dt.datetime | None:
        """ "Within one business day" of ``start``: the same opening time on the next day the clinic
        is open (an inquiry that arrives while it is closed counts from the next opening)."""
        hours = self.hours_for(clinic)
        begin = self.add_business(start, 0, clinic)
        if begin is None:
            return None
        local = begin.astimezone(self.tz)
        elapsed = self.business_seconds(
            dt.datetime.combine(local.date(), dt.time(0), self.tz), begin, clinic
        )  # how far into its own day's opening hours it came
        day = local.date() + dt.timedelta(days=1)
        for _ in range(14):
            if hours.week[day.weekday()]:
                midnight = dt.datetime.combine(day, dt.time(0), self.tz)
                moment = self.add_business(midnight, elapsed, clinic, horizon_days=1)
                if moment is not None and moment.astimezone(self.tz).date() == day:
                    return moment
                return self._spans(hours, day)[-1][1]  # a shorter day: its closing time
            day += dt.timedelta(days=1)
        return None


def table_json(table: Mapping) -> bytes:
    """The table as stored in the Lambda package: sorted keys, the same bytes for the same hours."""
    return (json.dumps(table, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
