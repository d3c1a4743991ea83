"""Practice-management exports: Boulevard, Zenoti, Aesthetic Record, or any CSV with a column map.

Each system is declared as a table of file kinds — appointments, invoices (sales), patients —
with the columns each field can come from (the first name is the one the README documents;
the others are spellings seen in other versions of the same export). A file's kind is found
from its header row, which may sit below a report title. A required column that is missing
stops the report with a message naming the file and the column.

None of these systems shares an id with the website (REFERENCE.md, "Practice software
exports"): rows are joined to inquiries on a normalized email or phone, or through the
system's own client id and a patients export.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pipeline.reports.errors import ReportError
from pipeline.reports.normalize import (
    Table,
    header_key,
    localize,
    normalize_email,
    normalize_phone,
    parse_amount,
    parse_when,
)
from pipeline.reports.records import Client, Conversion

log = logging.getLogger(__name__)

KINDS = ("appointments", "invoices", "patients")
FIELDS = (
    "id",
    "date",
    "time",
    "booked_at",
    "state",
    "amount",
    "promo_code",
    "service",
    "email",
    "phone",
    "client_id",
    "first_name",
    "last_name",
    "name",
)
REQUIRED = {
    "appointments": ("id", "date", "state"),
    "invoices": ("id", "date", "amount"),
    "patients": ("client_id",),
}
CONTACT = ("email", "phone", "client_id")

# Each system's words for an appointment's state -> ours (records.STATES).
STATE_WORDS = {
    "booked": "booked",
    "scheduled": "booked",
    "open": "booked",
    "new": "booked",
    "pending": "booked",
    "requested": "booked",
    "unconfirmed": "booked",
    "reserved": "booked",
    "tentative": "booked",
    "confirmed": "confirmed",
    "arrived": "arrived",
    "checkin": "arrived",
    "checkedin": "arrived",
    "inprogress": "arrived",
    "inservice": "arrived",
    "started": "arrived",
    "completed": "completed",
    "complete": "completed",
    "closed": "completed",
    "checkedout": "completed",
    "checkout": "completed",
    "done": "completed",
    "finished": "completed",
    "final": "completed",
    "paid": "completed",
    "canceled": "canceled",
    "cancelled": "canceled",
    "cancel": "canceled",
    "deleted": "canceled",
    "void": "canceled",
    "voided": "canceled",
    "rescheduled": "canceled",
    "latecancel": "canceled",
    "latecancellation": "canceled",
    "noshow": "no-show",
    "missed": "no-show",
    "didnotshow": "no-show",
}


@dataclass(frozen=True)
class FileKind:
    kind: str  # appointments | invoices | patients
    columns: Mapping[str, tuple[str, ...]]  # field -> header names it may have

    def required(self) -> tuple[str, ...]:
        return REQUIRED[self.kind]


@dataclass(frozen=True)
class Format:
    name: str  # as REPORT_EMR_FORMAT writes it
    label: str
    kinds: tuple[FileKind, ...]
    hint: str = ""  # which report to export, for messages


def _cols(**fields: str | tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {k: (v,) if isinstance(v, str) else v for k, v in fields.items()}


FORMATS: dict[str, Format] = {
    "boulevard": Format(
        "boulevard",
        "Boulevard",
        (
            FileKind(
                "appointments",
                _cols(
                    id="Appointment ID",
                    date=("Appointment Date", "Start Time", "Appointment Start", "Start Date", "Date"),
                    time=("Appointment Time",),
                    booked_at=("Created At", "Booked At", "Booking Date"),
                    state=("Appointment State", "State", "Status"),
                    service=("Services", "Service Name", "Service"),
                    email=("Client Email", "Email"),
                    phone=("Client Phone", "Client Mobile Phone", "Mobile Phone", "Phone"),
                    client_id=("Client ID", "Client Id"),
                    first_name=("Client First Name", "First Name"),
                    last_name=("Client Last Name", "Last Name"),
                    name=("Client Name", "Client"),
                    promo_code=("Offer Code", "Promo Code", "Discount Code"),
                    amount=("Appointment Total", "Net Sales"),
                ),
            ),
            FileKind(
                "invoices",
                _cols(
                    id=("Order ID", "Sale ID", "Order Number"),
                    date=("Sale Date", "Closed At", "Order Date", "Date"),
                    amount=("Net Sales", "Total Sales", "Total", "Amount"),
                    promo_code=("Offer Code", "Promo Code", "Discount Code", "Discount Name"),
                    service=("Line Item", "Services", "Item Name", "Service Name"),
                    email=("Client Email", "Email"),
                    phone=("Client Phone", "Client Mobile Phone", "Phone"),
                    client_id=("Client ID", "Client Id"),
                    name=("Client Name", "Client"),
                    first_name=("Client First Name",),
                    last_name=("Client Last Name",),
                ),
            ),
            FileKind(
                "patients",
                _cols(
                    client_id=("Client ID", "Client Id"),
                    email=("Client Email", "Email"),
                    phone=("Client Phone", "Client Mobile Phone", "Mobile Phone", "Phone"),
                    first_name=("Client First Name", "First Name"),
                    last_name=("Client Last Name", "Last Name"),
                    name=("Client Name", "Name"),
                ),
            ),
        ),
        hint="Reports > Appointments (with Appointment ID, Appointment State, Client Email, Client Phone) and "
        "Reports > Sales (Order ID, Sale Date, Net Sales)",
    ),
    "zenoti": Format(
        "zenoti",
        "Zenoti",
        (
            FileKind(
                "appointments",
                _cols(
                    id=("Appointment Id", "Appointment ID", "Appointment No"),
                    date=("Appointment Date", "Start Time", "Scheduled Start", "Date"),
                    time=("Start Time",),
                    booked_at=("Booking Date", "Booked On", "Created Date"),
                    state=("Status", "Appointment Status"),
                    service=("Service Name", "Service"),
                    email=("Email", "Guest Email"),
                    phone=("Mobile Number", "Mobile", "Phone", "Guest Mobile"),
                    client_id=("Guest Code", "Guest Id"),
                    name=("Guest Name", "Guest"),
                    first_name=("Guest First Name",),
                    last_name=("Guest Last Name",),
                ),
            ),
            FileKind(
                "invoices",
                _cols(
                    id=("Invoice No", "Invoice Id", "Invoice Number", "Invoice No."),
                    date=("Invoice Date", "Closed Date", "Sale Date", "Date"),
                    amount=("Net Amount", "Total", "Collected", "Invoice Total", "Sales (Inc. Tax)"),
                    promo_code=("Coupon Code", "Promo Code", "Campaign", "Discount Code"),
                    service=("Item Name", "Service Name", "Item"),
                    email=("Email", "Guest Email"),
                    phone=("Mobile Number", "Mobile", "Phone"),
                    client_id=("Guest Code", "Guest Id"),
                    name=("Guest Name", "Guest"),
                ),
            ),
            FileKind(
                "patients",
                _cols(
                    client_id=("Guest Code", "Guest Id"),
                    email=("Email", "Guest Email"),
                    phone=("Mobile Number", "Mobile", "Phone"),
                    name=("Guest Name", "Name"),
                    first_name=("First Name",),
                    last_name=("Last Name",),
                ),
            ),
        ),
        hint="the Appointments report (Appointment Id, Status, Guest Code, Email, Mobile Number) and the "
        "Sales/Invoices report (Invoice No, Invoice Date, Net Amount)",
    ),
    "aesthetic-record": Format(
        "aesthetic-record",
        "Aesthetic Record",
        (
            FileKind(
                "appointments",
                _cols(
                    id=("Appointment ID", "Appointment Id", "Appointment #"),
                    date=("Appointment Date", "Date", "Start"),
                    time=("Appointment Time", "Time"),
                    booked_at=("Booked On", "Created On"),
                    state=("Status", "Appointment Status"),
                    service=("Services", "Service", "Treatment"),
                    email=("Email", "Patient Email"),
                    phone=("Phone", "Mobile", "Patient Phone", "Phone Number"),
                    client_id=("Patient ID", "Patient Id"),
                    name=("Patient Name", "Patient"),
                    first_name=("First Name",),
                    last_name=("Last Name",),
                ),
            ),
            FileKind(
                "invoices",
                _cols(
                    id=("Invoice #", "Invoice Number", "Invoice No", "Invoice ID"),
                    date=("Invoice Date", "Date", "Paid On"),
                    amount=("Total", "Total Amount", "Grand Total", "Amount Paid", "Net Total"),
                    promo_code=("Discount Code", "Promo Code", "Coupon"),
                    service=("Items", "Item", "Product/Service"),
                    email=("Email", "Patient Email"),
                    phone=("Phone", "Mobile", "Patient Phone"),
                    client_id=("Patient ID", "Patient Id"),
                    name=("Patient Name", "Patient"),
                ),
            ),
            FileKind(
                "patients",
                _cols(
                    client_id=("Patient ID", "Patient Id"),
                    email=("Email", "Email Address"),
                    phone=("Phone", "Mobile", "Phone Number", "Cell"),
                    first_name=("First Name", "Firstname"),
                    last_name=("Last Name", "Lastname"),
                    name=("Patient Name", "Name"),
                ),
            ),
        ),
        hint="Invoices and Patients (saved from Excel as CSV), and Appointments if you use its calendar",
    ),
}
GENERIC = "generic"
NAMES = (*FORMATS, GENERIC)


def generic_format(column_map: Mapping) -> Format:
    """A format from REPORT_COLUMN_MAP: ``{"appointments": {"id": "Booking #", ...}, "invoices": {...}}``."""
    if not isinstance(column_map, Mapping) or not column_map:
        raise ReportError(
            "REPORT_EMR_FORMAT is 'generic' but REPORT_COLUMN_MAP is empty — map your export's "
            'columns, e.g. REPORT_COLUMN_MAP = {"appointments": {"id": "Booking #", "date": '
            '"Date", "state": "Status", "email": "Email", "phone": "Mobile"}} (see README).'
        )
    kinds = []
    for kind, mapping in column_map.items():
        if kind not in KINDS:
            raise ReportError(f"REPORT_COLUMN_MAP: '{kind}' is not a kind of file — use {', '.join(KINDS)}.")
        if not isinstance(mapping, Mapping):
            raise ReportError(
                f"REPORT_COLUMN_MAP['{kind}'] should map our fields to your column names, "
                'e.g. {"id": "Booking #", "date": "Date"}.'
            )
        for name, column in mapping.items():
            if name not in FIELDS:
                raise ReportError(
                    f"REPORT_COLUMN_MAP['{kind}']: '{name}' is not a field — use {', '.join(FIELDS)}."
                )
            if not isinstance(column, (str, list, tuple)) or not column:
                raise ReportError(f"REPORT_COLUMN_MAP['{kind}']['{name}'] should be a column name (text).")
        missing = [f for f in REQUIRED[kind] if f not in mapping]
        if missing:
            raise ReportError(
                f"REPORT_COLUMN_MAP['{kind}'] does not say which column holds "
                f'{", ".join(missing)} — add e.g. "{missing[0]}": "<your column name>".'
            )
        kinds.append(
            FileKind(kind, {k: (v,) if isinstance(v, str) else tuple(v) for k, v in mapping.items()})
        )
    return Format(GENERIC, "generic CSV", tuple(kinds), hint="the columns named in REPORT_COLUMN_MAP")


def get_format(name: str, column_map: Mapping | None = None) -> Format:
    if name == GENERIC:
        return generic_format(column_map or {})
    if name not in FORMATS:
        raise ReportError(f"REPORT_EMR_FORMAT is '{name}': use one of {', '.join(NAMES)}.")
    return FORMATS[name]


# --- reading a file ---------------------------------------------------------------------------


@dataclass
class Parsed:
    conversions: list[Conversion] = field(default_factory=list)
    clients: list[Client] = field(default_factory=list)
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)


def _resolve(kind: FileKind, header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Column index of each field found in ``header``, and the required fields missing."""
    keys = {header_key(h): i for i, h in reversed(list(enumerate(header)))}
    found = {}
    for name, aliases in kind.columns.items():
        for alias in aliases:
            if header_key(alias) in keys:
                found[name] = keys[header_key(alias)]
                break
    return found, [f for f in kind.required() if f not in found]


def _detect(table: Table, fmt: Format) -> tuple[FileKind, int, dict[str, int]]:
    """The file kind and its header row (within the first rows: exports put titles above it).

    A header with an appointment or invoice id is that kind of file: if it lacks a required
    column that is an error, never a quiet fallback to a patients file.
    """
    best = None  # (score, row index, kind, found, missing)
    patients = None
    for row_index, header in enumerate(table.rows[:15]):
        for kind in fmt.kinds:
            found, missing = _resolve(kind, header)
            if kind.kind == "patients":
                if not missing and patients is None:
                    patients = (kind, row_index, found)
                continue
            if not missing:
                return kind, row_index, found
            score = ("id" in found, len(kind.required()) - len(missing), len(found))
            if best is None or score > best[0]:
                best = (score, row_index, kind, found, missing)
    if best is not None and best[0][0]:
        _, row_index, kind, found, missing = best
        names = " or ".join(f"'{a}'" for a in kind.columns[missing[0]][:2])
        raise ReportError(
            f"{table.path}: column {names} is missing (the {missing[0].replace('_', ' ')} of a {fmt.label} "
            f"{kind.kind} export; header on line {table.lines[row_index]}). Export it again with that column "
            f"({fmt.hint}), or set REPORT_EMR_FORMAT = 'generic' and map your columns in REPORT_COLUMN_MAP."
        )
    if patients is not None:
        return patients
    if not table.rows:
        raise ReportError(f"{table.path}: the file is empty — export it again from {fmt.label}.")
    wanted = "; ".join(
        f"{k.kind}: " + ", ".join(f"'{k.columns[f][0]}'" for f in k.required()) for k in fmt.kinds
    )
    raise ReportError(
        f"{table.path}: this is not a {fmt.label} export I know — expected columns ({wanted}). "
        f"Check REPORT_EMR_FORMAT, or map the columns with REPORT_EMR_FORMAT = 'generic' and "
        'REPORT_COLUMN_MAP (see README, "Reports").'
    )


def read_export(
    table: Table, fmt: Format, tz: dt.tzinfo, region: str = "US", date_order: str = "MDY"
) -> Parsed:
    """Conversions (or client rows) from one export file."""
    kind, header_row, columns = _detect(table, fmt)
    if kind.kind != "patients" and not any(c in columns for c in CONTACT):
        names = " or ".join(f"'{kind.columns[c][0]}'" for c in CONTACT if c in kind.columns)
        raise ReportError(
            f"{table.path}: no column to match people by — add {names or 'an email or phone column'} "
            "to the export (nothing in it can be joined to an inquiry otherwise)."
        )
    out = Parsed()
    problems: list[str] = []
    unknown_states: dict[str, int] = {}
    header = table.rows[header_row]

    def where(line: int, name: str) -> str:
        return f"{table.path} line {line}, column '{header[columns[name]]}'"

    # One itemgetter reads every field of a row; a field the file lacks reads the padding cell.
    width = len(header)
    getter = operator.itemgetter(*(columns.get(f, width) for f in FIELDS))
    pad = [""] * (width + 1)
    conversion_kind = "appointment" if kind.kind == "appointments" else "invoice"
    states: dict[str, str | None] = {}
    for row, line in zip(table.rows[header_row + 1 :], table.lines[header_row + 1 :], strict=False):
        values = dict(zip(FIELDS, getter((row + pad)[:width] + [""]), strict=False))
        name = values["name"] or " ".join(p for p in (values["first_name"], values["last_name"]) if p)
        email = normalize_email(values["email"])
        phone = normalize_phone(values["phone"], region)
        client_id = values["client_id"] or None
        if kind.kind == "patients":
            if client_id:
                out.clients.append(Client(client_id, email, phone, name or None))
            else:
                out.skipped += 1
            continue
        record_id, raw_date = values["id"], values["date"]
        if (
            not record_id
            or not raw_date
            or record_id.lower().startswith(("total", "grand total", "subtotal"))
        ):
            out.skipped += 1  # totals, footers and blank lines
            continue
        try:
            when = _moment(raw_date, values["time"], date_order, tz, end_of_day=True)
        except ValueError:
            problems.append(
                f"{where(line, 'date')}: '{raw_date}' is not a date I can read — write dates as "
                "2026-11-03 or 11/03/2026 (for 03/11/2026 meaning 3 November set "
                "REPORT_DATE_ORDER = 'DMY')."
            )
            continue
        booked_at = None
        if values["booked_at"]:
            try:
                booked_at = _moment(values["booked_at"], "", date_order, tz, end_of_day=False)
            except ValueError:
                problems.append(f"{where(line, 'booked_at')}: '{values['booked_at']}' is not a date.")
                continue
        amount = None
        if values["amount"]:
            try:
                amount = parse_amount(values["amount"])
            except ValueError:
                problems.append(
                    f"{where(line, 'amount')}: '{values['amount']}' is not an amount — write it like 1234.50."
                )
                continue
        state = None
        if kind.kind == "appointments":
            raw_state = values["state"]
            if raw_state not in states:
                states[raw_state] = STATE_WORDS.get(header_key(raw_state).replace("#", ""))
            state = states[raw_state]
            if state is None:
                unknown_states[raw_state or "(empty)"] = unknown_states.get(raw_state or "(empty)", 0) + 1
                state = "booked"
        out.conversions.append(
            Conversion(
                kind=conversion_kind,
                id=record_id,
                at=when,
                source=table.path,
                state=state,
                amount=amount,
                booked_at=booked_at,
                promo_code=values["promo_code"].upper() or None,
                service=values["service"] or None,
                email=email,
                phone=phone,
                client_id=client_id,
                name=name or None,
            )
        )
    if problems:
        shown = problems[:20]
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ReportError(f"{len(problems)} problem(s) in {table.path}:\n  " + "\n  ".join(shown) + more)
    for raw, count in sorted(unknown_states.items()):
        out.warnings.append(
            f"{table.path}: {count} appointment(s) with the state '{raw}', which I do not know, "
            "were counted as booked."
        )
    log.info(
        "reports: %s: %d %s rows, %d skipped",
        table.path,
        len(out.conversions) or len(out.clients),
        kind.kind,
        out.skipped,
    )
    return out


@functools.lru_cache(maxsize=65536)
def _moment(raw: str, time_text: str, order: str, tz: dt.tzinfo, end_of_day: bool) -> dt.datetime:
    moment, has_time = parse_when(raw, order)
    if not has_time and time_text:
        clock, with_time = parse_when(f"{moment:%Y-%m-%d} {time_text}", "MDY")
        moment, has_time = clock, with_time
    if not has_time and end_of_day:
        # A date without a time: the end of that day, so an inquiry earlier that day still matches it.
        moment = moment.replace(hour=23, minute=59, second=59)
    # Compared in UTC: aware times sharing one zoneinfo compare by wall clock, wrong across DST.
    return localize(moment, tz).astimezone(dt.UTC)


def dedupe(conversions: Iterable[Conversion]) -> list[Conversion]:
    """One row per (kind, id): overlapping exports list the same appointment twice; the last read wins."""
    latest: dict[tuple[str, str], Conversion] = {}
    for conversion in conversions:
        latest[(conversion.kind, conversion.id)] = conversion
    return list(latest.values())
