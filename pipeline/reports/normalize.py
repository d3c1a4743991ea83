"""Reading messy spreadsheet exports: encodings, Excel quirks, dates, phones, emails, money.

Real exports come from Excel and practice software: a byte-order mark, Windows-1252 text,
``sep=;`` hints, title lines above the header, ``="0042"`` cells, phone numbers stored as
``8055550142.0``, dates written three different ways in one column. Everything here turns
those into plain values, or says exactly which cell it could not read.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import phonenumbers

from pipeline.reports.errors import ReportError

# Zero-width and no-break spaces Excel and web copy-paste leave behind.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None) | {0xA0: " ", 0x202F: " "}
_EXCEL_TEXT = re.compile(r'^="(.*)"$', re.S)  # ="00123": Excel's "keep this as text"
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


@dataclass
class Table:
    """A CSV file as rows of cells; ``lines[i]`` is the file line of ``rows[i]`` (1-based)."""

    path: str  # as shown in messages
    rows: list[list[str]]
    lines: list[int]


def read_table(path: str | Path, shown: str | None = None) -> Table:
    """Read a CSV (or tab-separated) export whatever its encoding and delimiter."""
    path = Path(path)
    shown = shown or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(
            f"{shown}: cannot be read ({exc.strerror}) — check the path in REPORT_SOURCES."
        ) from None
    return parse_table(data, shown)


def decode(data: bytes, shown: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")  # Excel's "Unicode text"
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # Excel's "CSV" on Windows
    except UnicodeDecodeError:
        raise ReportError(
            f"{shown}: is not a text (CSV) file — export it from the spreadsheet as "
            '"CSV UTF-8 (comma delimited)".'
        ) from None


def parse_table(data: bytes, shown: str) -> Table:
    text = decode(data, shown).translate(_INVISIBLE)
    delimiter = None
    first, _, rest = text.partition("\n")
    hint = re.match(r'^"?sep=(.)"?\s*$', first.strip())
    line_offset = 0
    if hint:  # Excel writes "sep=;" as its first line to say which delimiter follows
        delimiter, text, line_offset = hint.group(1), rest, 1
    if delimiter is None:
        sample = "\n".join(text.splitlines()[:20])
        counts = {d: sample.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, lines = [], []
    try:
        for row in reader:
            cells = [c.strip() if '="' not in c else clean(c) for c in row]  # inlined clean(): 1M cells
            while cells and not cells[-1]:
                cells.pop()  # Excel pads rows with empty trailing cells
            if cells:
                rows.append(cells)
                lines.append(reader.line_num + line_offset)
    except csv.Error as exc:
        raise ReportError(
            f"{shown}: line {reader.line_num + line_offset} cannot be read as CSV ({exc}) — "
            "open the file in a spreadsheet and export it again as CSV."
        ) from None
    return Table(shown, rows, lines)


def clean(cell: str) -> str:
    cell = cell.strip()
    if cell.startswith('="'):
        match = _EXCEL_TEXT.match(cell)
        return match.group(1).strip() if match else cell
    return cell


def header_key(name: str) -> str:
    """How column names are compared: case, spaces and punctuation do not matter."""
    return re.sub(r"[^a-z0-9#]", "", name.lower())


# --- dates ------------------------------------------------------------------------------------

_TIME = r"(?:[ T,]+(?:at\s+)?(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?(?:\.\d+)?\s*([ap]\.?m\.?)?)?\s*(z|utc|[+-]\d{2}:?\d{2})?"
_NUMERIC = re.compile(r"^(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})" + _TIME + "$", re.I)
_MONTHS = {
    m.lower(): i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_NAMED_MDY = re.compile(
    r"^" + _WEEKDAY + r"([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME + "$", re.I
)
_NAMED_DMY = re.compile(
    r"^" + _WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2,4})" + _TIME + "$", re.I
)
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
DATE_ORDERS = ("MDY", "DMY")


@functools.lru_cache(maxsize=65536)  # exports repeat the same days over and over
def parse_when(text: str, order: str = "MDY") -> tuple[dt.datetime, bool]:
    """``(moment, has_time)`` from the ways exports write a date; raise ValueError otherwise.

    A moment without an offset is naive (the practice's local time); one with ``Z`` or an
    offset is aware. ``order`` settles 03/04/2026: MDY (US, the default) or DMY. A year
    first (2026-03-04) and dotted dates (04.03.2026) are never ambiguous.
    """
    text = text.strip()
    if not text:
        raise ValueError("empty")
    if len(text) >= 10 and text[4] == "-" and text[:4].isdigit():
        try:
            moment = dt.datetime.fromisoformat(text.replace(" UTC", "Z"))
        except ValueError:
            pass
        else:
            return moment, len(text) > 10
    if match := _NUMERIC.match(text):
        a, sep, b, c = match.group(1), match.group(2), match.group(3), match.group(4)
        if len(a) == 4:
            year, month, day = int(a), int(b), int(c)
        else:
            year = _year(c)
            month, day = (int(a), int(b)) if order == "MDY" and sep != "." else (int(b), int(a))
        return _combine(year, month, day, match.groups()[4:])
    for pattern, named in ((_NAMED_MDY, "mdy"), (_NAMED_DMY, "dmy")):
        if match := pattern.match(text):
            first, second, year = match.group(1), match.group(2), match.group(3)
            month_name, day = (first, second) if named == "mdy" else (second, first)
            month = _MONTHS.get(month_name.lower()[:3])
            if month is None:
                raise ValueError(f"unknown month {month_name!r}")
            return _combine(_year(year), month, int(day), match.groups()[3:])
    if _SERIAL.match(text) and 20000 < float(text) < 80000:  # an Excel date serial number (1954-2119)
        moment = _EXCEL_EPOCH + dt.timedelta(days=float(text))
        return moment.replace(microsecond=0), "." in text
    raise ValueError("not a date")


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _combine(year: int, month: int, day: int, time_groups) -> tuple[dt.datetime, bool]:
    hour, minute, second, ampm, zone = time_groups
    date = dt.date(year, month, day)  # ValueError for 31/02 etc.
    if hour is None:
        if zone:
            raise ValueError("an offset without a time")
        return dt.datetime.combine(date, dt.time()), False
    h = int(hour)
    if ampm:
        if not 1 <= h <= 12:
            raise ValueError("hour out of range")
        h = h % 12 + (12 if ampm.lower().startswith("p") else 0)
    moment = dt.datetime.combine(date, dt.time(h, int(minute or 0), int(second or 0)))
    if zone:
        if zone.lower() in ("z", "utc"):
            moment = moment.replace(tzinfo=dt.UTC)
        else:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            moment = moment.replace(tzinfo=dt.timezone(sign * offset))
    return moment, True


def localize(moment: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """An aware moment; a naive one is the practice's wall-clock time (DST resolved by zoneinfo)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment


# --- people -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=262144)
def normalize_phone(text: str | None, region: str = "US") -> str | None:
    """E.164 (``+18055550142``) from a phone number in any format, or None if it is not one.

    Numbers need their area code: a 7-digit local number cannot be told apart from others.
    """
    if not text:
        return None
    raw = text.strip()
    if re.fullmatch(r"\d{7,15}\.0+", raw):  # a spreadsheet that read the number as a float
        raw = raw.split(".", 1)[0]
    if not re.search(r"\d{3}", re.sub(r"[^\d]", "", raw)):
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_possible_number_with_reason(number) != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(text: str | None) -> str | None:
    """Trimmed and lower-cased; ``mailto:`` and ``Name <a@b>`` forms unwrapped; None if not an address."""
    if not text:
        return None
    value = text.strip()
    if "<" in value and value.endswith(">"):
        value = value[value.rindex("<") + 1 : -1]
    value = value.removeprefix("mailto:").removeprefix("MAILTO:").strip().strip(".").lower()
    return value if _EMAIL.match(value) else None


# --- money ------------------------------------------------------------------------------------


def parse_amount(text: str) -> Decimal | None:
    """``$1,234.50``, ``1.234,50 €``, ``(25.00)`` (a refund) -> Decimal to the cent; '' -> None."""
    value = text.strip()
    if not value or value in ("-", "—"):
        return None
    negative = value.startswith("(") and value.endswith(")") or value.startswith("-") or value.endswith("-")
    digits = re.sub(r"[^\d.,]", "", value)
    if not digits:
        raise ValueError("not an amount")
    if "," in digits and "." in digits:
        decimal_sep = "," if digits.rindex(",") > digits.rindex(".") else "."
    elif "," in digits:
        decimal_sep = "," if re.search(r",\d{1,2}$", digits) and digits.count(",") == 1 else None
    else:
        decimal_sep = "." if digits.count(".") == 1 else None
    if decimal_sep:
        whole, _, cents = digits.rpartition(decimal_sep)
        number = re.sub(r"[.,]", "", whole) + "." + cents
    else:
        number = re.sub(r"[.,]", "", digits)
    try:
        amount = Decimal(number).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError("not an amount") from None
    return -amount if negative else amount
