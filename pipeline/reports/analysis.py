"""Joining inquiries to bookings and sales, and counting them per period.

1. **People.** Inquiries, appointments, invoices and patient rows that share a normalized
   email, an E.164 phone or the practice system's client id are one person (a union-find
   over those keys). The practice's own phone and email never join anyone: a front desk
   that types the clinic's number for "unknown" must not merge every caller.
2. **Attribution.** Each appointment or sale goes to the person's latest inquiry at or
   before it, if that inquiry is at most ``window`` days older (REPORT_MATCH_WINDOW_DAYS,
   default 90). Nothing after the report's ``as_of`` day counts.
3. **Cohort.** A period counts the inquiries that arrived in it (practice-local days). One
   person's several inquiries in a period count once: the first one is credited, and the
   outcomes of all of them are merged.

The funnel is inquiry -> consult booked (any appointment not canceled, or a treatment)
-> treated (an appointment arrived/completed, or a paid invoice) -> revenue (invoices, and
completed appointments that carry an amount).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.reports import channels
from pipeline.reports.periods import Period, end_instant, local_day
from pipeline.reports.records import Catalogue, Client, Conversion, Lead

ZERO = Decimal("0.00")
UNKNOWN_PARTNER = "Unknown code"


# --- people ---------------------------------------------------------------------------------


class _People:
    """Union-find over contact keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        parent = self.parent
        root = parent.setdefault(key, key)
        while root != parent[root]:
            parent[root] = parent[parent[root]]
            root = parent[root]
        return root

    def join(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        first = self.find(keys[0])
        for key in keys[1:]:
            other = self.find(key)
            if other != first:
                # The smaller key wins: the result does not depend on the order rows were read.
                first, other = min(first, other), max(first, other)
                self.parent[other] = first


def _keys(email: str | None, phone: str | None, client_id: str | None, ignore: frozenset[str]) -> list[str]:
    keys = []
    if email and email not in ignore:
        keys.append("e:" + email)
    if phone and phone not in ignore:
        keys.append("p:" + phone)
    if client_id:
        keys.append("c:" + client_id)
    return keys


def link_people(
    leads: Sequence[Lead],
    conversions: Sequence[Conversion],
    clients: Iterable[Client] = (),
    ignore: Iterable[str] = (),
) -> tuple[list[str], list[str]]:
    """A person id for each lead and each conversion (``-`` prefixed ids stand alone)."""
    ignored = frozenset(ignore)
    people = _People()
    lead_keys = [_keys(lead.email, lead.phone, None, ignored) for lead in leads]
    conv_keys = [_keys(c.email, c.phone, c.client_id, ignored) for c in conversions]
    for keys in lead_keys:
        people.join(keys)
    for keys in conv_keys:
        people.join(keys)
    for client in clients:
        people.join(_keys(client.email, client.phone, client.client_id, ignored))
    lead_people = [
        people.find(k[0]) if k else f"-lead:{lead.id}" for k, lead in zip(lead_keys, leads, strict=False)
    ]
    conv_people = [
        people.find(k[0]) if k else f"-conv:{c.id}" for k, c in zip(conv_keys, conversions, strict=False)
    ]
    return lead_people, conv_people


# --- attribution ----------------------------------------------------------------------------


@dataclass
class Outcome:
    booked_at: dt.datetime | None = None
    treated_at: dt.datetime | None = None
    revenue: Decimal = ZERO
    services: list[str] = field(default_factory=list)
    promo_codes: list[str] = field(default_factory=list)

    @property
    def booked(self) -> bool:
        return self.booked_at is not None

    @property
    def treated(self) -> bool:
        return self.treated_at is not None

    def add(self, conversion: Conversion) -> None:
        if conversion.booked or conversion.treated:
            moment = conversion.match_time
            self.booked_at = moment if self.booked_at is None else min(self.booked_at, moment)
        if conversion.treated:
            self.treated_at = (
                conversion.at if self.treated_at is None else min(self.treated_at, conversion.at)
            )
        self.revenue += conversion.revenue
        if conversion.service:
            self.services.append(conversion.service)
        if conversion.promo_code:
            self.promo_codes.append(conversion.promo_code)

    def merge(self, other: Outcome) -> None:
        for name in ("booked_at", "treated_at"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if theirs is not None and (mine is None or theirs < mine):
                setattr(self, name, theirs)
        self.revenue += other.revenue
        self.services.extend(other.services)
        self.promo_codes.extend(other.promo_codes)


NOTHING = Outcome()  # the outcome of an inquiry nothing came of (shared: never changed)


@dataclass
class Attribution:
    outcomes: list[Outcome]  # one per lead, same order (NOTHING for most)
    unmatched_treated: int  # people treated in the data with no inquiry in the window before
    matched: int  # conversions credited to an inquiry


def attribute(
    leads: Sequence[Lead],
    lead_people: Sequence[str],
    conversions: Sequence[Conversion],
    conv_people: Sequence[str],
    window_days: int,
    cutoff: dt.datetime,
) -> Attribution:
    """Credit each conversion up to ``cutoff`` to the person's latest inquiry within the window."""
    window = dt.timedelta(days=window_days)
    by_person: dict[str, tuple[list[dt.datetime], list[int]]] = {}
    order = sorted(range(len(leads)), key=lambda i: (leads[i].at, leads[i].id))
    for i in order:
        times, indexes = by_person.setdefault(lead_people[i], ([], []))
        times.append(leads[i].at)
        indexes.append(i)
    outcomes: list[Outcome] = [NOTHING] * len(leads)
    unmatched: set[str] = set()
    matched = 0
    for conversion, person in zip(conversions, conv_people, strict=False):
        if not (conversion.booked or conversion.treated or conversion.revenue):
            continue  # canceled
        moment = conversion.match_time
        if moment > cutoff or (conversion.treated and conversion.at > cutoff):
            continue
        found = by_person.get(person)
        position = bisect.bisect_right(found[0], moment) - 1 if found else -1
        if position < 0 or moment - found[0][position] > window:
            if conversion.treated:
                unmatched.add(person)
            continue
        index = found[1][position]
        if outcomes[index] is NOTHING:
            outcomes[index] = Outcome()
        outcomes[index].add(conversion)
        matched += 1
    return Attribution(outcomes, len(unmatched), matched)


# --- the cohort of a period -----------------------------------------------------------------


@dataclass
class Counted:
    """One person's inquiries in a period, counted once."""

    lead: Lead  # the first: its channel, source and campaign get the credit
    person: str
    inquiries: int
    outcome: Outcome
    procedure: str
    special: str | None
    partner: str | None  # display name of the partner, if any


def cohort(
    leads: Sequence[Lead],
    lead_people: Sequence[str],
    outcomes: Sequence[Outcome],
    period: Period,
    days: Sequence[dt.date],
    catalogue: Catalogue,
    partner_names: dict[str, str],
) -> list[Counted]:
    """The period's inquiries, one per person; ``days`` are the leads' practice-local days."""
    groups: dict[str, list[int]] = defaultdict(list)
    start, end = period.start, period.as_of
    for i, day in enumerate(days):
        if start <= day <= end:
            groups[lead_people[i]].append(i)
    counted = []
    for person, indexes in groups.items():
        indexes.sort(key=lambda i: (leads[i].at, leads[i].id))
        first = leads[indexes[0]]
        merged = Outcome()
        for i in indexes:
            if outcomes[i] is not NOTHING:
                merged.merge(outcomes[i])
        partner_code = next((leads[i].partner for i in indexes if leads[i].partner), None)
        counted.append(
            Counted(
                lead=first,
                person=person,
                inquiries=len(indexes),
                outcome=merged,
                procedure=(
                    catalogue.procedure(first.interest)
                    or next((p for p in map(catalogue.procedure, merged.services) if p), None)
                    or ("(other)" if first.interest else "(not stated)")
                ),
                special=catalogue.special(first.campaign, *merged.promo_codes)
                or (f"Code {merged.promo_codes[0]}" if merged.promo_codes else None),
                partner=(partner_names.get(partner_code) or f"{UNKNOWN_PARTNER} '{partner_code}'")
                if partner_code
                else None,
            )
        )
    counted.sort(key=lambda c: (c.lead.at, c.lead.id))
    return counted


# --- aggregation ----------------------------------------------------------------------------


@dataclass
class Metrics:
    inquiries: int = 0
    booked: int = 0
    treated: int = 0
    revenue: Decimal = ZERO

    def add(self, counted: Counted) -> None:
        self.inquiries += 1
        self.booked += counted.outcome.booked
        self.treated += counted.outcome.treated
        self.revenue += counted.outcome.revenue

    @property
    def conversion_rate(self) -> float | None:
        return self.treated / self.inquiries if self.inquiries else None

    @property
    def booking_rate(self) -> float | None:
        return self.booked / self.inquiries if self.inquiries else None

    @property
    def revenue_per_inquiry(self) -> Decimal | None:
        return (self.revenue / self.inquiries).quantize(Decimal("0.01")) if self.inquiries else None


def totals(counted: Iterable[Counted]) -> Metrics:
    metrics = Metrics()
    for item in counted:
        metrics.add(item)
    return metrics


@dataclass
class Row:
    value: str
    now: Metrics
    before: Metrics

    @property
    def change(self) -> float | None:
        """Change in inquiries against the previous period (None when there were none)."""
        if not self.before.inquiries:
            return None
        return (self.now.inquiries - self.before.inquiries) / self.before.inquiries


Dimension = Callable[[Counted], str | None]
DIMENSIONS: dict[str, tuple[str, str, Dimension]] = {
    # key: (title, column heading, value of a counted inquiry; None leaves it out of the table)
    "channel": ("By channel", "Channel", lambda c: c.lead.channel),
    "source": ("By source", "Source", lambda c: c.lead.source),
    "campaign": ("By campaign", "Campaign", lambda c: c.lead.campaign),
    "landing-page": ("By landing page", "Landing page", lambda c: c.lead.landing_page),
    "procedure": ("By procedure asked about", "Procedure", lambda c: c.procedure),
    "special": ("By special (campaign or promo code)", "Special", lambda c: c.special or "(no special)"),
    "partner": ("By referral partner", "Partner", lambda c: c.partner),
}


def breakdown(
    now: Iterable[Counted], before: Iterable[Counted], dimension: Dimension, order: Sequence[str] = ()
) -> list[Row]:
    rows: dict[str, Row] = {}
    for items, attr in ((now, "now"), (before, "before")):
        for item in items:
            value = dimension(item)
            if value is None:
                continue
            row = rows.get(value) or rows.setdefault(value, Row(value, Metrics(), Metrics()))
            getattr(row, attr).add(item)
    ranked = {v: i for i, v in enumerate(order)}
    trailing = ("(no special)", "(not stated)", "(other)", "(none)", "(unknown)", "(direct)", "(offline)")
    return sorted(
        rows.values(),
        key=lambda r: (
            ranked.get(r.value, len(ranked)) if order else 0,
            r.value in trailing,
            -r.now.inquiries,
            -r.now.treated,
            -r.now.revenue,
            -r.before.inquiries,
            r.value,
        ),
    )


@dataclass
class LeaderRow:
    code: str
    name: str
    kind: str
    now: Metrics
    before: Metrics


def leaderboard(
    partners: Sequence[tuple[str, str, str, str]], now: Iterable[Counted], before: Iterable[Counted]
) -> list[LeaderRow]:
    """Every active partner (and any other with inquiries), best first: treated, revenue, inquiries.

    ``partners`` are (code, name, kind label, status) from the registry.
    """
    rows = {name: LeaderRow(code, name, kind, Metrics(), Metrics()) for code, name, kind, status in partners}
    shown = {name for code, name, kind, status in partners if status == "active"}
    for items, attr in ((now, "now"), (before, "before")):
        for item in items:
            if item.partner is None:
                continue
            if item.partner not in rows:
                rows[item.partner] = LeaderRow("?", item.partner, "not in the registry", Metrics(), Metrics())
            getattr(rows[item.partner], attr).add(item)
            shown.add(item.partner)
    return sorted(
        (r for r in rows.values() if r.name in shown),
        key=lambda r: (-r.now.treated, -r.now.revenue, -r.now.inquiries, -r.before.treated, r.name),
    )


def over_time(
    counted: Iterable[Counted], period: Period, tz: dt.tzinfo
) -> tuple[list[str], dict[str, list[int]]]:
    """Inquiries per bucket (day, or week for a quarter) and channel."""
    buckets = period.buckets()
    starts = [start for _, start, _ in buckets]
    series: dict[str, list[int]] = {}
    for item in counted:
        index = bisect.bisect_right(starts, local_day(item.lead.at, tz)) - 1
        series.setdefault(item.lead.channel, [0] * len(buckets))[index] += 1
    ordered = {c: series[c] for c in channels.ORDER if c in series}
    ordered.update({c: series[c] for c in sorted(series) if c not in ordered})
    return [label for label, _, _ in buckets], ordered


# --- Google Ads offline conversions -----------------------------------------------------------


@dataclass(frozen=True, order=True)
class AdsConversion:
    time: str  # practice-local "YYYY-MM-DD HH:MM:SS" (the file's Parameters:TimeZone)
    gclid: str  # the click id: a GCLID, or an iOS click's GBRAID or WBRAID (``kind``)
    name: str
    value: str = ""
    currency: str = ""
    kind: str = "gclid"  # gclid | gbraid | wbraid
    zoned: str = ""  # the time with its UTC offset, "YYYY-MM-DD HH:MM:SS+hh:mm" (the Google Ads API's form)


def ads_conversions(
    leads: Sequence[Lead],
    lead_people: Sequence[str],
    outcomes: Sequence[Outcome],
    period: Period,
    tz: dt.tzinfo,
    window_days: int,
    names: dict[str, str],
    currency: str,
) -> list[AdsConversion]:
    """Inquiry, booking and treatment events in the period for inquiries that carry a GCLID.

    A click is credited with what its person did within the window after it, even when a
    later inquiry (a phone call, say) got the credit in the report's tables. Only the click
    id, a generic conversion name, a time and a value: no personal data and no treatment
    names (REFERENCE.md, "Google Ads offline conversion CSV").
    """
    window = dt.timedelta(days=window_days)
    by_person: dict[str, list[int]] = defaultdict(list)
    for i, person in enumerate(lead_people):
        by_person[person].append(i)
    out: set[AdsConversion] = set()

    def stamp(moment: dt.datetime) -> str:
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")

    for i, lead in enumerate(leads):
        click = lead.gclid or lead.gbraid or lead.wbraid
        if not click:
            continue
        kind = "gclid" if lead.gclid else "gbraid" if lead.gbraid else "wbraid"

        def conversion(
            moment: dt.datetime, name: str, value: str = "", currency: str = "", click=click, kind=kind
        ) -> AdsConversion:
            local = moment.astimezone(tz)
            zoned = local.strftime("%Y-%m-%d %H:%M:%S%z")
            return AdsConversion(
                stamp(moment), click, name, value, currency, kind, f"{zoned[:-2]}:{zoned[-2:]}"
            )

        if period.contains(local_day(lead.at, tz)):
            out.add(conversion(lead.at, names["inquiry"]))
        after = Outcome()
        for j in by_person[lead_people[i]]:
            if lead.at <= leads[j].at <= lead.at + window:
                after.merge(outcomes[j])
        if after.booked_at and period.contains(local_day(after.booked_at, tz)):
            out.add(conversion(max(after.booked_at, lead.at), names["booked"]))
        if after.treated_at and period.contains(local_day(after.treated_at, tz)):
            value = f"{after.revenue:.2f}" if after.revenue > 0 else ""
            out.add(
                conversion(max(after.treated_at, lead.at), names["treated"], value, currency if value else "")
            )
    unique: dict[tuple[str, str], AdsConversion] = {}
    for item in sorted(out):
        unique.setdefault((item.gclid, item.name), item)  # Google rejects a second (click, name) pair
    return sorted(unique.values())


def cutoff_for(period: Period, tz: dt.tzinfo) -> dt.datetime:
    """The first instant not counted: midnight after ``as_of`` in the practice's zone."""
    return end_instant(period.as_of, tz)


def channel_mix(counted: Iterable[Counted]) -> Counter:
    return Counter(item.lead.origin for item in counted)
