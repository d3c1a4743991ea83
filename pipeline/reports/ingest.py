"""Inquiries in: the website's (the receiver's store or its export) and the front desk's log.

Web inquiries are the receiver's records (``pipeline.inquiry``): one JSON object each, with
first-touch and latest-touch attribution. Reports credit the latest touch unless it says
nothing (a direct visit), then the first ("last non-direct touch", REPORT_ATTRIBUTION =
"latest"); "first" credits the first touch. A partner's ``ref`` code counts from either
touch, so a referred patient who later clicked an ad still credits the partner.

The front desk logs inquiries that never touched the website (calls, walk-ins, a doctor's
referral) in a CSV whose columns are FRONT_DESK_COLUMNS (README, "Reports").
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import glob
import io
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.inquiry import fields as F
from pipeline.inquiry.errors import InquiryError
from pipeline.reports import channels
from pipeline.reports.errors import ReportError
from pipeline.reports.normalize import (
    Table,
    decode,
    header_key,
    localize,
    normalize_email,
    normalize_phone,
    parse_when,
)
from pipeline.reports.records import Lead

log = logging.getLogger(__name__)

ATTRIBUTION_MODELS = ("latest", "first")
UTC = dt.UTC

# The front desk's template: column -> (required, what it holds). README documents the same.
FRONT_DESK_COLUMNS = {
    "date": (True, "day of the call or visit: 2026-11-03 or 11/3/2026"),
    "time": (False, "time of day: 14:30 or 2:30 PM (empty: start of the day)"),
    "channel": (True, "phone, walk-in, doctor-referral, partner-referral, event or other"),
    "partner": (False, "a partner code from content/partners.yml, e.g. willow-pt"),
    "source": (False, "how they heard of us: google, instagram, a friend, a doctor's name"),
    "campaign": (False, "a special's promo code or campaign name, e.g. NOV10"),
    "interest": (False, "the treatment asked about: a procedure name or id, e.g. botox"),
    "location": (False, "the clinic, e.g. harbor-district"),
    "name": (False, "the person's name (only ever shown in the internal lead list)"),
    "email": (False, "their email (to match them to bookings)"),
    "phone": (False, "their phone number, any format (to match them to bookings)"),
}
_FRONT_DESK_ALIASES = {
    "e-mail": "email",
    "emailaddress": "email",
    "telephone": "phone",
    "phonenumber": "phone",
    "mobile": "phone",
    "cell": "phone",
    "referralcode": "partner",
    "ref": "partner",
    "partnercode": "partner",
    "howheard": "source",
    "heardfrom": "source",
    "promocode": "campaign",
    "promo": "campaign",
    "treatment": "interest",
    "procedure": "interest",
    "clinic": "location",
    "day": "date",
    "fullname": "name",
    "patientname": "name",
}


# --- web inquiries --------------------------------------------------------------------------


def pick_touch(attribution: dict | None, model: str) -> tuple[dict, dict]:
    """(credited touch, the other touch)."""
    attribution = attribution or {}
    first, latest = attribution.get("first") or {}, attribution.get("latest") or {}
    if model == "first":
        return (first, latest) if not channels.is_direct(first) else (latest, first)
    return (latest, first) if not channels.is_direct(latest) else (first, latest)


def _path_only(value: str | None) -> str | None:
    if not value:
        return None
    try:
        path = urlsplit(value).path
    except ValueError:
        return None
    return path or "/"


def lead_from_record(record: dict, model: str = "latest", region: str = "US") -> Lead:
    """A web inquiry record (as the receiver stores it) -> a Lead."""
    touch, other = pick_touch(record.get("attribution"), model)
    channel, source, medium, campaign = channels.classify(touch)
    partner = (touch.get("ref") or other.get("ref") or "").strip().lower() or None
    received = str(record.get("received_at") or "")
    try:
        at = dt.datetime.fromisoformat(received.replace("Z", "+00:00"))
    except ValueError:
        raise ReportError(
            f"inquiry {record.get('id')}: received_at '{received}' is not a time — the record "
            "is damaged; move it out of the store."
        ) from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    gclid = touch.get("gclid") or other.get("gclid")
    return Lead(
        id=str(record.get("id") or ""),
        at=at,
        origin="web",
        channel=channel,
        source=source,
        medium=medium,
        campaign=campaign,
        landing_page=_path_only(touch.get("landing_page"))
        or _path_only(record.get("form_page"))
        or "(unknown)",
        partner=partner,
        interest=str(record.get("interest") or ""),
        email=normalize_email(record.get("email")),
        phone=normalize_phone(record.get("phone"), region),
        name=record.get("name"),
        gclid=gclid or None,
        other_click_id=bool(
            not gclid and any(t.get(k) for t in (touch, other) for k in ("gbraid", "wbraid"))
        ),
        # Google Ads API, ClickConversion: one click id per conversion (GBRAID_WBRAID_BOTH_SET, VALUE_MUST_BE_UNSET).
        gbraid=None if gclid else (touch.get("gbraid") or other.get("gbraid") or None),
        wbraid=None
        if gclid or touch.get("gbraid") or other.get("gbraid")
        else (touch.get("wbraid") or other.get("wbraid") or None),
        location=record.get("preferred_location"),
        **_inbox_times(record.get("inbox")),
    )


def _inbox_times(summary) -> dict:
    if not isinstance(summary, dict):
        return {}
    out = {"inbox_status": str(summary["status"])} if summary.get("status") else {}
    for field, name in (
        ("first_contact_at", "first_contact_at"),
        ("contacted_at", "contacted_at"),
        ("booked_at", "inbox_booked_at"),
        ("treated_at", "inbox_treated_at"),
    ):
        try:
            moment = dt.datetime.fromisoformat(str(summary.get(field)).replace("Z", "+00:00"))
        except ValueError:
            continue
        out[name] = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return out


def records_from_jsonl(data: bytes, shown: str) -> Iterator[dict]:
    for number, line in enumerate(decode(data, shown).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise ReportError(
                f"{shown} line {number}: is not a JSON record — export the inquiries again with "
                "`inv inquiries --format jsonl`."
            ) from None
        if isinstance(record, dict):
            yield record


def records_from_csv(data: bytes, shown: str) -> Iterator[dict]:
    """Rows of `inv inquiries --format csv` back into records (attribution un-flattened)."""
    reader = csv.DictReader(io.StringIO(decode(data, shown), newline=""))
    missing = [c for c in ("id", "received_at") if c not in (reader.fieldnames or [])]
    if missing:
        raise ReportError(
            f"{shown}: column '{missing[0]}' is missing — this is not an export of "
            "`inv inquiries --format csv`; export the inquiries again."
        )
    for row in reader:
        record = {k: _unguard(v) for k, v in row.items() if k and not k.startswith(("ft_", "lt_"))}
        record["attribution"] = {
            name: {key: _unguard(row.get(prefix + key)) or None for key in F.TOUCH_KEYS}
            for name, prefix in F.TOUCHES
        }
        yield record


def _unguard(value: str | None) -> str | None:
    """Undo the export's spreadsheet-formula guard (a leading ')."""
    if value and value.startswith("'") and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return value[1:]
    return value


def read_inquiry_source(
    spec: str, root: Path, open_store: Callable | None = None
) -> Iterator[tuple[str, dict]]:
    """(where, record) for every web inquiry a REPORT_SOURCES entry names.

    ``spec`` is an export file or a glob of them (``.jsonl`` / ``.csv`` from `inv inquiries`),
    or a store: its folder (``internal/inquiries``, or the folder holding ``inquiries/``) or
    ``s3://bucket/prefix``, read in every layout the receiver has written. ``open_store`` is
    :func:`pipeline.inquiry.open_store` (passed in, so tests and the task choose the client).
    """
    if spec.endswith((".jsonl", ".csv", ".json")) or any(c in spec for c in "*?["):
        paths = (
            sorted(glob.glob(str(root / spec))) if not Path(spec).is_absolute() else sorted(glob.glob(spec))
        )
        for path in paths:
            shown = _shown(Path(path), root)
            data = Path(path).read_bytes()
            records = (
                records_from_csv(data, shown) if path.endswith(".csv") else records_from_jsonl(data, shown)
            )
            for record in records:
                yield shown, record
        return
    if open_store is None:
        from pipeline.inquiry import open_store
    store = open_store(spec, root)
    if not spec.startswith("s3://") and not Path(store.where).is_dir():
        return  # the local store appears with the first inquiry `inv serve` receives
    from pipeline.inbox.journal import inbox_summary, read_all_events

    try:
        events = read_all_events(store)  # the inbox's statuses: first contact, booked, treated
        for key in store.keys("inquiries"):
            try:
                record = json.loads(store.get(key))
            except ValueError:
                raise ReportError(
                    f"{store.where}/{key}: is not valid JSON — move it out of the store."
                ) from None
            if key in events and isinstance(record, dict):
                record = {**record, "inbox": inbox_summary(record, events[key])}
            yield store.where, record
    except InquiryError as exc:
        raise ReportError(f"Reading inquiries from {spec}: {exc}") from None


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def leads_from_records(records: Iterable[dict], model: str = "latest", region: str = "US") -> list[Lead]:
    """Leads from web records; the same inquiry read twice (store and export) counts once. An event
    reply (``kind: rsvp``) is not an inquiry: see :func:`rsvps_from_records`."""
    seen: dict[str, Lead] = {}
    for record in records:
        if record.get("kind") == "rsvp":
            continue
        lead = lead_from_record(record, model, region)
        seen[lead.id or f"anon-{len(seen)}"] = lead
    return list(seen.values())


def rsvps_from_records(records: Iterable[dict]) -> list[dict]:
    """Event replies, each once: {id, event, places, at (aware), status (the inbox's, or new)}."""
    seen: dict[str, dict] = {}
    for record in records:
        if record.get("kind") != "rsvp":
            continue
        try:
            at = dt.datetime.fromisoformat(str(record.get("received_at")).replace("Z", "+00:00"))
        except ValueError:
            continue
        try:
            places = max(1, int(record.get("places") or 1))
        except (TypeError, ValueError):
            places = 1
        inbox = record.get("inbox") if isinstance(record.get("inbox"), dict) else {}
        seen[str(record.get("id"))] = {
            "id": str(record.get("id")),
            "event": str(record.get("event") or ""),
            "places": places,
            "at": at if at.tzinfo else at.replace(tzinfo=UTC),
            "status": str(inbox.get("status") or "new"),
            "email": normalize_email(record.get("email")),
            "phone": normalize_phone(record.get("phone")),
        }
    return list(seen.values())


# --- the front desk -------------------------------------------------------------------------


def read_front_desk(
    table: Table,
    tz: dt.tzinfo,
    partner_codes: Iterable[str],
    region: str = "US",
    date_order: str = "MDY",
    registry_path: str = "content/partners.yml",
) -> list[Lead]:
    """Leads from the front desk's CSV; every bad cell is reported with its line, then nothing is read."""
    if not table.rows:
        return []
    header = [header_key(h) for h in table.rows[0]]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        name = _FRONT_DESK_ALIASES.get(name, name)
        if name in FRONT_DESK_COLUMNS and name not in columns:
            columns[name] = index
    for name, (required, meaning) in FRONT_DESK_COLUMNS.items():
        if required and name not in columns:
            raise ReportError(
                f"{table.path}: column '{name}' is missing ({meaning}) — the front-desk template's "
                f'first line is: {",".join(FRONT_DESK_COLUMNS)} (see README, "Reports").'
            )
    codes = sorted(set(partner_codes))
    problems: list[str] = []
    leads: list[Lead] = []

    def cell(row: list[str], name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    for row, line in zip(table.rows[1:], table.lines[1:], strict=False):
        if not any(cell(row, c) for c in columns):
            continue
        where = f"{table.path} line {line}"
        raw_date, raw_time = cell(row, "date"), cell(row, "time")
        try:
            moment, has_time = parse_when(raw_date, date_order)
            if raw_time and not has_time:
                moment, has_time = parse_when(f"{moment:%Y-%m-%d} {raw_time}")
        except ValueError:
            value = f"{raw_date} {raw_time}".strip()
            problems.append(
                f"{where}, column 'date': '{value}' is not a date — write it like 2026-11-03 "
                "(and the time like 14:30 in the time column)."
                if value
                else f"{where}, column 'date': is empty — every row needs the day of the inquiry."
            )
            continue
        channel_value = cell(row, "channel")
        channel = channels.front_desk_channel(channel_value) if channel_value else None
        if channel is None:
            problems.append(
                f"{where}, column 'channel': '{channel_value}' is not a channel — use one of "
                f"{', '.join(channels.FRONT_DESK)}."
            )
            continue
        partner = cell(row, "partner").lower() or None
        if partner and partner not in codes:
            close = difflib.get_close_matches(partner, codes, n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else (f"add it to {registry_path} first" if codes else f"create {registry_path} first")
            )
            problems.append(
                f"{where}, column 'partner': '{partner}' is not a partner code in {registry_path} — {hint}"
            )
            continue
        if channel == channels.PARTNER and not partner:
            problems.append(
                f"{where}, column 'partner': a partner referral needs the partner's code — "
                f"use one of {', '.join(codes) or '(none yet)'}."
            )
            continue
        source = cell(row, "source").lower() or (partner or channel_value.lower())
        leads.append(
            Lead(
                id=f"{table.path}:{line}",
                at=localize(moment, tz).astimezone(UTC),
                origin="front-desk",
                channel=channel,
                source=source,
                medium="offline",
                campaign=cell(row, "campaign").lower() or "(none)",
                landing_page="(offline)",
                partner=partner,
                interest=cell(row, "interest"),
                email=normalize_email(cell(row, "email")),
                phone=normalize_phone(cell(row, "phone"), region),
                name=cell(row, "name") or None,
                location=cell(row, "location") or None,
            )
        )
    if problems:
        shown = problems[:20]
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ReportError(
            f"{len(problems)} problem(s) in the front-desk log {table.path}:\n  " + "\n  ".join(shown) + more
        )
    return leads
