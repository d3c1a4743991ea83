"""The front desk's end-of-day report (`inv report --period day`): one printable page.

Today's inquiries and how fast each was answered (business minutes, from the inbox's events),
those still waiting, bookings and treatments from the practice-software export, referrals by
partner, and event RSVPs. Written to ``<INTERNAL_PATH>/reports/day-<date>/report.html`` (with
``inquiries.csv``), and, when ``REPORT_DAILY_EMAIL`` is set, sent as a content-free email: counts
only, no name, contact detail, interest or partner (email is not where patient information
should travel).

:func:`daily_report` is pure: plain inputs in, a :class:`Daily` out.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.business_hours import Calendar
from pipeline.files import csv_bytes
from pipeline.reports.periods import local_day
from pipeline.reports.records import Conversion, Lead

log = logging.getLogger(__name__)
WAITING_DAYS = 14  # how far back "still waiting" looks
CLOSED = frozenset({"closed", "treated"})


@dataclass(frozen=True)
class Arrival:
    time: str  # local HH:MM
    origin: str  # Website / Front desk
    channel: str
    partner: str
    clinic: str
    answered: str  # "after 12 business minutes", "waiting 40 business minutes", "at the front desk"
    minutes: float | None  # business minutes to first contact, None if not answered (or front desk)


@dataclass(frozen=True)
class Waiting:
    arrived: str  # local "Tue 1 Dec 16:05"
    channel: str
    clinic: str
    minutes: int  # business minutes waited so far


@dataclass
class Daily:
    practice: str
    day: dt.date
    arrivals: list[Arrival]
    waiting: list[Waiting]
    booked: int
    treated: int
    revenue: str
    services: list[tuple[str, int]]
    referrals: list[tuple[str, int]]
    rsvps: list[tuple[str, int, int, int]]  # (event, replies today, replies in all, places in all)
    files: list[str] = field(default_factory=list)

    @property
    def answered_minutes(self) -> list[float]:
        return sorted(a.minutes for a in self.arrivals if a.minutes is not None)

    @property
    def median_minutes(self) -> float | None:
        values = self.answered_minutes
        if not values:
            return None
        middle = len(values) // 2
        return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _minutes(value: float) -> str:
    whole = round(value)
    return f"{whole} business minute{'' if whole == 1 else 's'}"


def daily_report(
    practice: str,
    day: dt.date,
    now: dt.datetime,
    tz: dt.tzinfo,
    calendar: Calendar,
    leads: Sequence[Lead],
    conversions: Sequence[Conversion],
    rsvps: Sequence[dict],
    partner_names: dict[str, str],
    events: dict[str, str],
    currency: str = "USD",
) -> Daily:
    """The day's report; ``now``: the moment it is made (waits are counted up to it, or the day's end)."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tz)
    upto = min(now, end)
    arrivals = []
    for lead in sorted((x for x in leads if local_day(x.at, tz) == day), key=lambda x: (x.at, x.id)):
        minutes = None
        if lead.origin != "web":
            answered = "at the front desk"
        elif lead.first_contact_at is not None:
            minutes = calendar.business_seconds(lead.at, lead.first_contact_at, lead.location) / 60
            answered = f"after {_minutes(minutes)}"
        elif lead.inbox_status in CLOSED:
            answered = "closed without a call"
        else:
            answered = f"waiting {_minutes(calendar.business_seconds(lead.at, upto, lead.location) / 60)}"
        arrivals.append(
            Arrival(
                lead.at.astimezone(tz).strftime("%H:%M"),
                "Website" if lead.origin == "web" else "Front desk",
                lead.channel,
                partner_names.get(lead.partner or "", lead.partner or ""),
                lead.location or "",
                answered,
                minutes,
            )
        )
    waiting = []
    for lead in leads:
        age = (day - local_day(lead.at, tz)).days
        if (
            lead.origin == "web"
            and 0 <= age <= WAITING_DAYS
            and lead.at <= upto
            and lead.first_contact_at is None
            and lead.inbox_status not in CLOSED
        ):
            waited = calendar.business_seconds(lead.at, upto, lead.location) / 60
            waiting.append(
                Waiting(
                    lead.at.astimezone(tz).strftime("%a %-d %b %H:%M"),
                    lead.channel,
                    lead.location or "",
                    int(waited),
                )
            )
    waiting.sort(key=lambda w: -w.minutes)
    booked = treated = 0
    revenue = 0
    services: Counter = Counter()
    for c in conversions:
        # Booked today: made today, when the export says when; else the appointment's own day.
        if c.kind == "appointment" and c.booked and local_day(c.booked_at or c.at, tz) == day:
            booked += 1
            services[c.service or "(not stated)"] += 1
        if c.treated and local_day(c.at, tz) == day:
            treated += c.kind == "appointment"
        if c.kind == "invoice" and local_day(c.at, tz) == day:
            revenue += c.revenue
    referrals = Counter(
        partner_names.get(x.partner, x.partner) for x in leads if x.partner and local_day(x.at, tz) == day
    )
    by_event: dict[str, list[int]] = {}
    for reply in rsvps:
        if reply["status"] == "closed":
            continue
        entry = by_event.setdefault(reply["event"], [0, 0, 0])
        entry[1] += 1
        entry[2] += reply["places"]
        if local_day(reply["at"], tz) == day:
            entry[0] += 1
    from pipeline.reports import charts

    return Daily(
        practice=practice,
        day=day,
        arrivals=arrivals,
        waiting=waiting,
        booked=booked,
        treated=treated,
        revenue=charts.money(revenue, currency),
        services=sorted(services.items(), key=lambda kv: (-kv[1], kv[0])),
        referrals=sorted(referrals.items(), key=lambda kv: (-kv[1], kv[0])),
        rsvps=[(events.get(e, e), *counts) for e, counts in sorted(by_event.items())],
    )


def summary_text(daily: Daily) -> tuple[str, str]:
    """The email: subject and body, counts only (no name, contact, interest or partner)."""
    web = sum(1 for a in daily.arrivals if a.origin == "Website")
    median = daily.median_minutes
    lines = [
        f"Daily report for {daily.day:%A %-d %B %Y}",
        "",
        f"Inquiries today: {len(daily.arrivals)} ({web} from the website, {len(daily.arrivals) - web} at the front desk)",
        f"Answered: {len(daily.answered_minutes)} of {web} website inquiries"
        + (f", median {_minutes(median)}" if median is not None else ""),
        f"Still waiting for a first call: {len(daily.waiting)}",
        f"Consultations booked today: {daily.booked}",
        f"Treatments today: {daily.treated}",
        f"Referrals from partners today: {sum(n for _, n in daily.referrals)}",
        f"Event replies today: {sum(r[1] for r in daily.rsvps)}",
        "",
        "The full report (inv report --period day) is on the practice's computer; it is not in this email, "
        "to keep patient information out of email.",
    ]
    subject = (
        f"Daily report {daily.day.isoformat()}: {len(daily.arrivals)} inquiries, {len(daily.waiting)} waiting"
    )
    return subject, "\n".join(lines) + "\n"


def daily_files(daily: Daily) -> dict[str, bytes]:
    from pipeline.reports.render import _ENV

    html = _ENV.get_template("daily.html").render(d=daily, minutes=_minutes).encode("utf-8")
    rows = [[a.time, a.origin, a.channel, a.partner, a.clinic, a.answered] for a in daily.arrivals]
    table = csv_bytes(
        ["Time", "Origin", "Channel", "Partner", "Clinic", "Answered"], rows, booleans=("yes", "no")
    )
    return {"report.html": html, "inquiries.csv": table}


def send_summary(daily: Daily, send: Callable[[str, str], bool]) -> bool:
    subject, body = summary_text(daily)
    return send(subject, body)


def folder_for(root: Path, internal_path: str, day: dt.date) -> Path:
    return Path(root) / internal_path / "reports" / f"day-{day.isoformat()}"
