"""What the inbox's pages show, as plain values (pure: items, content and a clock in).

The listing puts new inquiries first (newest first within each status), then the rest; filters
by status, kind (inquiries, event replies) and a search over name, email, phone and what was
asked about. Each row says how long ago it arrived and, while it is new, how many business
minutes it has waited (the clinic's hours: :mod:`pipeline.business_hours`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import phonenumbers

from pipeline.inbox.content import InboxContent
from pipeline.inbox.events import CHANNELS, LABELS, REASONS, STATUSES, kind_of, parse_time
from pipeline.inbox.index import Item

FILTERS = {
    "open": "Open",
    "new": "New",
    "contacted": "Contacted",
    "booked": "Consultation booked",
    "treated": "Treated",
    "confirmed": "Place confirmed",
    "attended": "Attended",
    "closed": "Closed",
    "all": "All",
}
KIND_FILTERS = {"all": "Inquiries and event replies", "inquiry": "Inquiries", "rsvp": "Event replies"}
_RANK = {"new": 0, "contacted": 1, "confirmed": 1, "booked": 2, "treated": 3, "attended": 3, "closed": 4}


def ago(seconds: float) -> str:
    """``3 min``, ``2 h 5 min``, ``4 days``: how long ago, for people."""
    minutes = int(max(seconds, 0) // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    days = hours // 24
    return f"{days} day{'s' if days != 1 else ''}"


def phone_display(e164: str | None, region: str = "US") -> str | None:
    if not e164:
        return None
    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == region
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


@dataclass(frozen=True)
class Attribution:
    channel: str
    source: str
    campaign: str
    landing_page: str
    partner: str | None


def attribution(record: Mapping, content: InboxContent) -> Attribution:
    """Channel, source, campaign, landing page and partner, credited as the reports credit them."""
    from pipeline.reports.errors import ReportError
    from pipeline.reports.ingest import lead_from_record

    try:
        lead = lead_from_record(dict(record))
    except ReportError:
        return Attribution("(unknown)", "(unknown)", "(none)", "(unknown)", None)
    partner = content.partners.get(lead.partner, f"code '{lead.partner}'") if lead.partner else None
    source = lead.source if lead.medium in ("(none)", "") else f"{lead.source} / {lead.medium}"
    return Attribution(lead.channel, source, lead.campaign, lead.landing_page, partner)


@dataclass(frozen=True)
class Row:
    id: str
    kind: str
    name: str
    email: str | None
    phone: str | None
    phone_e164: str | None
    method: str
    asked: str
    clinic: str | None
    received: str  # local, "Tue 3 Nov, 14:05"
    received_iso: str
    ago: str
    waiting: str | None  # business time waited while new
    overdue: bool
    status: str
    label: str
    handled_by: tuple[str, ...]
    attribution: Attribution
    place: str | None = None  # an RSVP's place: "place 12 of 40", "wait-list 3"


def _local(moment: dt.datetime | None, content: InboxContent) -> str:
    if moment is None:
        return "(unknown time)"
    local = moment.astimezone(content.tz)
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"


def positions(items: Iterable[Item], content: InboxContent) -> dict[str, str]:
    """Record id -> "place 3 of 40" or "wait-list 2": event replies in order of arrival, each taking
    its places; a closed reply (cancelled ...) frees them."""
    out: dict[str, str] = {}
    groups: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if kind_of(item.record) == "rsvp" and item.record.get("event"):
            groups[str(item.record["event"])].append(item)
    for event, replies in groups.items():
        info = content.events.get(event)
        taken = waiting = 0
        for item in sorted(replies, key=lambda i: (str(i.record.get("received_at")), i.id)):
            places = _places(item.record)
            if item.state.status == "closed":
                out[item.id] = "closed"
                continue
            if info and info.capacity and taken + places > info.capacity:
                waiting += places
                out[item.id] = f"wait-list {waiting}" + (f" of {info.waitlist}" if info.waitlist else "")
            else:
                taken += places
                out[item.id] = f"place {taken}" + (f" of {info.capacity}" if info and info.capacity else "")
    return out


def _places(record: Mapping) -> int:
    try:
        return max(1, int(record.get("places") or 1))
    except (TypeError, ValueError):
        return 1


def row(item: Item, content: InboxContent, now: dt.datetime, remind_after: int, place: str | None) -> Row:
    record, state = item.record, item.state
    kind = kind_of(record)
    received = parse_time(record.get("received_at"))
    clinic = record.get("preferred_location")
    waiting = overdue = None
    if state.status == "new" and received is not None:
        seconds = content.calendar.business_seconds(received, now, clinic)
        waiting = ago(seconds) if seconds >= 60 else "under a minute"
        overdue = bool(remind_after) and seconds >= remind_after * 60
    if kind == "rsvp":
        event = content.events.get(str(record.get("event") or ""))
        places = _places(record)
        asked = f"{event.title if event else record.get('interest') or record.get('event')} ({places} place{'s' if places != 1 else ''})"
    else:
        asked = record.get("interest") or "(not stated)"
    return Row(
        id=item.id,
        kind=kind,
        name=record.get("name") or "(no name)",
        email=record.get("email"),
        phone=phone_display(record.get("phone")),
        phone_e164=record.get("phone"),
        method=CHANNELS.get(str(record.get("contact_method")), str(record.get("contact_method") or "")),
        asked=asked,
        clinic=content.clinic_name(clinic),
        received=_local(received, content),
        received_iso=record.get("received_at") or "",
        ago=ago((now - received).total_seconds()) if received else "",
        waiting=waiting,
        overdue=bool(overdue),
        status=state.status,
        label=state.label,
        handled_by=state.handled_by,
        attribution=attribution(record, content),
        place=place,
    )


@dataclass(frozen=True)
class Query:
    status: str = "open"
    kind: str = "all"
    q: str = ""
    page: int = 1

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> Query:
        status = params.get("status", "open")
        kind = params.get("kind", "all")
        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            page = 1
        return cls(
            status if status in FILTERS else "open",
            kind if kind in KIND_FILTERS else "all",
            " ".join(params.get("q", "").split())[:200],
            page,
        )

    def matches(self, item: Item) -> bool:
        status = item.state.status
        if self.kind != "all" and kind_of(item.record) != self.kind:
            return False
        if self.status == "open" and not item.state.is_open:
            return False
        if self.status not in ("open", "all") and status != self.status:
            return False
        if self.q:
            record = item.record
            hay = " ".join(
                str(record.get(k) or "") for k in ("name", "email", "phone", "interest", "event", "id")
            ).lower()
            return all(word in hay for word in self.q.lower().split())
        return True


@dataclass
class Listing:
    rows: list[Row]
    total: int  # matching the filters
    page: int
    pages: int
    counts: dict[str, int] = field(default_factory=dict)  # per status filter, all kinds


def listing(
    items: Sequence[Item], content: InboxContent, now: dt.datetime, query: Query, size: int, remind_after: int
) -> Listing:
    counts = dict.fromkeys(FILTERS, 0)
    for item in items:
        counts["all"] += 1
        counts[item.state.status] = counts.get(item.state.status, 0) + 1
        counts["open"] += item.state.is_open
    chosen = [item for item in items if query.matches(item)]
    chosen.sort(key=lambda i: (_RANK.get(i.state.status, 9), _negated(i.record.get("received_at")), i.id))
    pages = max(1, -(-len(chosen) // size))
    page = min(query.page, pages)
    shown = chosen[(page - 1) * size : page * size]
    place = positions(items, content) if any(kind_of(i.record) == "rsvp" for i in shown) else {}
    return Listing(
        [row(i, content, now, remind_after, place.get(i.id)) for i in shown], len(chosen), page, pages, counts
    )


def _negated(text) -> tuple:
    """Sort key for "newest first" on ISO timestamps (strings of one fixed shape)."""
    return tuple(-ord(c) for c in str(text or ""))


@dataclass(frozen=True)
class HistoryLine:
    seq: int
    when: str
    by: str
    what: str
    note: str | None


def history(item: Item, content: InboxContent) -> list[HistoryLine]:
    kind = kind_of(item.record)
    lines = []
    for event in item.state.history:
        what = event.get("type")
        if what == "status":
            status = event.get("status")
            text = f"Status: {LABELS.get(status, status)}"
            if status == "closed":
                text += f" ({REASONS[kind].get(event.get('reason'), event.get('reason'))})"
        elif what == "contact":
            channel = CHANNELS.get(event.get("channel"), event.get("channel"))
            text = f"{channel}: {'reached them' if event.get('reached') else 'no answer'}"
        elif what == "note":
            text = "Note"
        else:
            text = f"Reminder emailed: still new after {event.get('minutes')} business minutes"
        lines.append(
            HistoryLine(
                int(event.get("seq") or 0),
                _local(parse_time(event.get("at")), content),
                str(event.get("by") or ""),
                text,
                event.get("note"),
            )
        )
    return lines


def statuses_for(kind: str) -> list[tuple[str, str]]:
    return [(s, LABELS[s]) for s in STATUSES[kind]]


def reasons_for(kind: str, tries: int) -> list[tuple[str, str]]:
    out = []
    for key, label in REASONS[kind].items():
        if key == "no-answer":
            label = f"No answer (after {tries} {'try' if tries == 1 else 'tries'} so far)"
        out.append((key, label))
    return out
