"""Speed to lead, the funnel with the inbox's statuses, and conversion compared like with like (pure).

Speed to lead is measured for website inquiries (the front desk's are answered as they arrive),
in business time: the minutes a clinic was open between the inquiry and its first call, email
or text (the inquiry's clinic, else any clinic; :mod:`pipeline.business_hours`). An inquiry not
answered yet counts as slower than every answered one, so a median is "not yet" when fewer than
half were answered.

Conversion of a young cohort is not comparable with an older one's: November's inquiries have
had days to be treated, October's weeks. So the like-with-like figures count, for each period,
only inquiries at least ``days`` old on the report's last day, and only what happened within
``days`` of each inquiry; a period with younger inquiries is marked "maturing".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pipeline.business_hours import Calendar
from pipeline.reports.analysis import Counted

THRESHOLDS = (("5 minutes", 5 * 60), ("1 hour", 60 * 60))


@dataclass(frozen=True)
class SpeedRow:
    value: str
    inquiries: int
    answered: int
    median_minutes: float | None  # None: fewer than half answered yet
    within: tuple[float | None, ...]  # shares within 5 minutes, 1 hour, 1 business day


def _seconds(counted: Counted, calendar: Calendar) -> tuple[float | None, bool]:
    """(business seconds to first contact, within one business day) or (None, False)."""
    lead = counted.lead
    if lead.first_contact_at is None:
        return None, False
    seconds = calendar.business_seconds(lead.at, lead.first_contact_at, lead.location)
    day = calendar.next_business_day(lead.at, lead.location)
    return seconds, day is not None and lead.first_contact_at <= day


def speed_row(value: str, group: Sequence[Counted], calendar: Calendar) -> SpeedRow:
    measured = [_seconds(c, calendar) for c in group]
    answered = sorted(s for s, _ in measured if s is not None)
    total = len(group)
    median = None
    if total and len(answered) * 2 > total:
        # Unanswered inquiries sort last: the median is an answered one's whenever most were answered.
        ordered = answered + [float("inf")] * (total - len(answered))
        middle = (
            ordered[(total - 1) // 2] if total % 2 else (ordered[total // 2 - 1] + ordered[total // 2]) / 2
        )
        median = middle / 60 if middle != float("inf") else None
    shares: list[float | None] = [
        (sum(1 for s in answered if s <= limit) / total) if total else None for _, limit in THRESHOLDS
    ]
    shares.append(sum(1 for _, day in measured if day) / total if total else None)
    return SpeedRow(value, total, len(answered), median, tuple(shares))


def speed(
    counted: Iterable[Counted], calendar: Calendar, key: Callable[[Counted], str]
) -> tuple[SpeedRow, list[SpeedRow]]:
    """The web inquiries' total row and one row per ``key`` value (most inquiries first)."""
    web = [c for c in counted if c.lead.origin == "web"]
    groups: dict[str, list[Counted]] = {}
    for c in web:
        groups.setdefault(key(c), []).append(c)
    rows = [speed_row(v, g, calendar) for v, g in groups.items()]
    rows.sort(key=lambda r: (-r.inquiries, r.value))
    return speed_row("All website inquiries", web, calendar), rows


@dataclass(frozen=True)
class Funnel:
    inquiries: int
    contacted: int
    booked: int
    treated: int


def funnel(counted: Iterable[Counted]) -> Funnel:
    """Inquiry -> contacted -> booked -> treated: the inbox's statuses joined with the practice
    software's bookings and treatments (either counts; a later stage implies the earlier ones)."""
    inquiries = contacted = booked = treated = 0
    for c in counted:
        lead, outcome = c.lead, c.outcome
        is_treated = outcome.treated or lead.inbox_treated_at is not None
        is_booked = is_treated or outcome.booked or lead.inbox_booked_at is not None
        is_contacted = is_booked or lead.contacted_at is not None or lead.origin == "front-desk"
        inquiries += 1
        contacted += is_contacted
        booked += is_booked
        treated += is_treated
    return Funnel(inquiries, contacted, booked, treated)


@dataclass(frozen=True)
class Cohort:
    label: str
    inquiries: int
    mature: int  # inquiries at least `days` old on the last day
    booked: int  # of the mature ones, booked within `days`
    treated: int  # of the mature ones, treated within `days`
    maturing: bool  # some inquiries are younger than `days`: figures still growing

    @property
    def conversion_rate(self) -> float | None:
        return self.treated / self.mature if self.mature else None

    @property
    def booking_rate(self) -> float | None:
        return self.booked / self.mature if self.mature else None


def like_with_like(label: str, counted: Iterable[Counted], as_of_end: dt.datetime, days: int) -> Cohort:
    """``counted``'s inquiries at least ``days`` old at ``as_of_end``, and what each became within
    ``days`` of it (practice software or inbox, whichever is first)."""
    window = dt.timedelta(days=days)
    inquiries = mature = booked = treated = 0
    for c in counted:
        inquiries += 1
        at = c.lead.at
        if at + window > as_of_end:
            continue
        mature += 1
        treated_at = _first(c.outcome.treated_at, c.lead.inbox_treated_at)
        booked_at = _first(c.outcome.booked_at, c.lead.inbox_booked_at, treated_at)
        booked += booked_at is not None and booked_at <= at + window
        treated += treated_at is not None and treated_at <= at + window
    return Cohort(label, inquiries, mature, booked, treated, mature < inquiries)


def _first(*moments: dt.datetime | None) -> dt.datetime | None:
    found = [m for m in moments if m is not None]
    return min(found) if found else None
