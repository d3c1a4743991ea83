"""One period's report as plain values: ``period_report(inputs, period, options) -> Report``.

Everything here is pure: the inputs are already-read leads, conversions and clients; the
output is numbers and rows that the renderers (tables, charts, HTML, PDF, the Google Ads
file) write out. Aggregates only: people appear solely in the optional ``lead_list``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from pipeline.reports import analysis, channels
from pipeline.reports.analysis import AdsConversion, Counted, LeaderRow, Metrics, Row
from pipeline.reports.periods import Period, local_day
from pipeline.reports.records import Catalogue, Client, Conversion, Lead
from pipeline.reports.speed import Cohort, Funnel, SpeedRow, funnel, like_with_like, speed

if TYPE_CHECKING:
    from pipeline.business_hours import Calendar

CONVERSION_NAMES = {"inquiry": "Inquiry", "booked": "Booked consultation", "treated": "Treated patient"}


@dataclass(frozen=True)
class Options:
    tz_name: str = "UTC"
    window_days: int = 90
    attribution: str = "latest"  # or "first": which touch a web inquiry is credited to
    currency: str = "USD"
    conversion_names: dict = field(default_factory=lambda: dict(CONVERSION_NAMES))
    lead_list: bool = False
    ignore_contacts: tuple[str, ...] = ()  # the practice's own phones and emails
    calendar: Calendar | None = None  # the clinics' hours: speed to lead in business time
    cohort_days: int = 30  # like with like: treated within this many days, of inquiries this old


@dataclass
class Inputs:
    leads: Sequence[Lead]
    conversions: Sequence[Conversion]
    clients: Sequence[Client] = ()
    catalogue: Catalogue = field(default_factory=Catalogue)
    partners: Sequence[tuple[str, str, str, str]] = ()  # (code, name, kind label, status)
    notes: list[str] = field(default_factory=list)  # warnings from reading the files
    files: list[str] = field(default_factory=list)  # what was read, for the report's footer
    rsvps: list[dict] = field(default_factory=list)  # event replies (ingest.rsvps_from_records)


@dataclass
class Report:
    practice: str
    period: Period
    previous: Period
    options: Options
    now: Metrics
    before: Metrics
    duplicates: int  # inquiries merged into a person's first in this period
    origins: dict[str, int]  # web / front-desk
    no_contact: int  # inquiries without email or phone: cannot be matched to bookings
    unmatched_treated: int  # people treated with no inquiry on record in the window before
    over_time: tuple[list[str], dict[str, list[int]]]
    tables: dict[str, list[Row]]
    leaderboard: list[LeaderRow]
    ads: list[AdsConversion]
    ads_skipped: int  # inquiries with only gbraid/wbraid (not accepted by the legacy CSV)
    lead_list: list[dict] | None
    notes: list[str]
    files: list[str]
    speed: dict[str, tuple[SpeedRow, list[SpeedRow]]] = field(default_factory=dict)  # by channel, location
    funnel: Funnel | None = None
    cohorts: list[Cohort] = field(default_factory=list)  # this period, the previous one


def period_report(inputs: Inputs, period: Period, options: Options, practice: str = "") -> Report:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(options.tz_name)
    leads, conversions = list(inputs.leads), list(inputs.conversions)
    lead_people, conv_people = analysis.link_people(
        leads, conversions, inputs.clients, options.ignore_contacts
    )
    attribution = analysis.attribute(
        leads, lead_people, conversions, conv_people, options.window_days, analysis.cutoff_for(period, tz)
    )
    names = {code: name for code, name, _, _ in inputs.partners}
    previous = period.previous()
    days = [local_day(lead.at, tz) for lead in leads]
    now = analysis.cohort(leads, lead_people, attribution.outcomes, period, days, inputs.catalogue, names)
    before = analysis.cohort(
        leads, lead_people, attribution.outcomes, previous, days, inputs.catalogue, names
    )
    tables = {
        key: analysis.breakdown(now, before, fn, channels.ORDER if key == "channel" else ())
        for key, (_, _, fn) in analysis.DIMENSIONS.items()
    }
    in_period = [lead for lead, day in zip(leads, days, strict=False) if period.contains(day)]
    end = dt.datetime.combine(period.as_of + dt.timedelta(days=1), dt.time(0), tz)
    return Report(
        practice=practice,
        period=period,
        previous=previous,
        options=options,
        now=analysis.totals(now),
        before=analysis.totals(before),
        duplicates=len(in_period) - len(now),
        origins=dict(sorted(analysis.channel_mix(now).items())),
        no_contact=sum(1 for c in now if not (c.lead.email or c.lead.phone)),
        unmatched_treated=attribution.unmatched_treated,
        over_time=analysis.over_time(now, period, tz),
        tables=tables,
        leaderboard=analysis.leaderboard(inputs.partners, now, before),
        ads=analysis.ads_conversions(
            leads,
            lead_people,
            attribution.outcomes,
            period,
            tz,
            options.window_days,
            options.conversion_names,
            options.currency,
        ),
        ads_skipped=sum(1 for lead in in_period if lead.other_click_id),
        lead_list=_lead_list(now, tz) if options.lead_list else None,
        notes=list(inputs.notes),
        files=list(inputs.files),
        speed={
            "channel": speed(now, options.calendar, lambda c: c.lead.channel),
            "location": speed(now, options.calendar, lambda c: c.lead.location or "(not stated)"),
        }
        if options.calendar
        else {},
        funnel=funnel(now),
        cohorts=[
            like_with_like("This period", now, end, options.cohort_days),
            like_with_like("Previous period", before, end, options.cohort_days),
        ],
    )


def _lead_list(counted: Sequence[Counted], tz: dt.tzinfo) -> list[dict]:
    rows = []
    for item in counted:
        lead, outcome = item.lead, item.outcome
        rows.append(
            {
                "received": lead.at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                "origin": lead.origin,
                "channel": lead.channel,
                "source": lead.source,
                "campaign": lead.campaign,
                "partner": item.partner or "",
                "procedure": item.procedure,
                "name": lead.name or "",
                "email": lead.email or "",
                "phone": lead.phone or "",
                "inquiries": item.inquiries,
                "booked": outcome.booked,
                "treated": outcome.treated,
                "revenue": f"{outcome.revenue:.2f}",
            }
        )
    return rows


def change(now: float | Decimal | int, before: float | Decimal | int) -> float | None:
    """Relative change, or None when there is nothing to compare with."""
    if not before:
        return None
    return float(now - before) / float(before)
