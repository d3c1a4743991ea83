"""Export stored records as CSV or JSONL, for the reports and the coordinator's spreadsheet.

Rows come ordered by (received_at, id), so the same store gives the same bytes. CSV
columns are the record's fields with attribution flattened to the form's hidden-field
names (``ft_utm_source`` ... ``lt_timestamp``). JSONL is one stored record per line.

CSV opened in a spreadsheet runs cells that start with ``= + - @`` as formulas; text the
visitor typed is therefore prefixed with ``'`` in CSV (OWASP "CSV injection"). JSONL is
exact.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from typing import Any

from pipeline.files import csv_bytes, write_atomic
from pipeline.inquiry import fields as F
from pipeline.inquiry.errors import InquiryError
from pipeline.inquiry.store import Store

FORMATS = ("csv", "jsonl")
INQUIRY_COLUMNS = (
    "id",
    "received_at",
    "form",
    "form_page",
    *F.VISITOR_FIELDS,
    "kind",
    *F.RSVP_FIELDS,
) + F.attribution_fields()
CLICK_COLUMNS = ("id", "received_at", "kind", "page", "target") + F.attribution_fields()


def export_inquiries(
    store: Store, since: date | datetime | str | None = None, fmt: str = "csv", tz: tzinfo = UTC
) -> str:
    """Every inquiry received on or after the start of ``since`` (a day in ``tz``, the practice's
    time zone), as CSV or JSONL text."""
    return _export(store, "inquiries", INQUIRY_COLUMNS, since, fmt, tz)


def export_clicks(
    store: Store, since: date | datetime | str | None = None, fmt: str = "csv", tz: tzinfo = UTC
) -> str:
    """Every phone/booking/directions click received on or after the start of ``since`` (in ``tz``)."""
    return _export(store, "clicks", CLICK_COLUMNS, since, fmt, tz)


def write_export(path: str | os.PathLike, text: str) -> Path:
    """Write an export whole or not at all, readable by its owner only (it holds personal data)."""
    target = Path(path)
    try:
        return write_atomic(target, text, mode=0o600)
    except OSError as exc:
        raise InquiryError(
            f"Could not write {target}: {exc.strerror}. Choose another --output path."
        ) from None


def parse_since(value: date | datetime | str | None) -> date | None:
    """``"2026-11-01"`` -> date(2026, 11, 1); None or '' -> None (everything)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InquiryError(f"--since {value!r} is not a date: use YYYY-MM-DD, such as 2026-11-01.") from None


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """One CSV row: attribution touches spread into ``ft_*`` / ``lt_*`` columns."""
    row = {k: v for k, v in record.items() if k != "attribution"}
    attribution = record.get("attribution") or {}
    for name, prefix in F.TOUCHES:
        touch = attribution.get(name) or {}
        for key in F.TOUCH_KEYS:
            row[prefix + key] = touch.get(key)
    return row


def to_csv(records: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> str:
    rows = ([row.get(column) for column in columns] for row in map(flatten, records))
    return csv_bytes(columns, rows).decode("utf-8")


def to_jsonl(records: Iterable[dict[str, Any]]) -> str:
    return "".join(
        json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n" for r in records
    )


def _received(record: dict) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(record.get("received_at", "")).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _export(store: Store, kind: str, columns: tuple[str, ...], since, fmt: str, tz: tzinfo = UTC) -> str:
    if fmt not in FORMATS:
        raise InquiryError(f"--format {fmt!r} is not supported: use csv or jsonl.")
    day = parse_since(since)
    # The practice's day starts at its own midnight; the store is filed by UTC day.
    start = datetime.combine(day, time(), tz) if day else None
    records = []
    for key in store.keys(kind, start.astimezone(UTC).date() if start else None):
        try:
            record = json.loads(store.get(key))
        except ValueError:
            raise InquiryError(
                f"{store.where}{'' if store.where.endswith('/') else '/'}{key} is not valid JSON; "
                "move it out of the store and export again."
            ) from None
        if start is None or ((received := _received(record)) is not None and received >= start):
            records.append(record)
    records.sort(key=lambda r: (str(r.get("received_at", "")), str(r.get("id", ""))))
    return to_csv(records, columns) if fmt == "csv" else to_jsonl(records)
