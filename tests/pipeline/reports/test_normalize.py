"""Messy cells: dates, phones, emails, amounts, and CSV files as Excel writes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pipeline.reports.errors import ReportError
from pipeline.reports.normalize import normalize_email, normalize_phone, parse_amount, parse_when, read_table

D = dt.datetime


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-03", (D(2026, 11, 3), False)),
        ("2026-11-03 14:05", (D(2026, 11, 3, 14, 5), True)),
        ("2026-11-03T14:05:09", (D(2026, 11, 3, 14, 5, 9), True)),
        ("2026-11-03T22:05:00Z", (D(2026, 11, 3, 22, 5, tzinfo=dt.UTC), True)),
        (
            "2026-11-03 14:05:00-08:00",
            (D(2026, 11, 3, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=-8))), True),
        ),
        ("11/3/2026", (D(2026, 11, 3), False)),
        ("11/03/26", (D(2026, 11, 3), False)),
        ("11/3/2026 2:05 PM", (D(2026, 11, 3, 14, 5), True)),
        ("11/3/2026 12:30 am", (D(2026, 11, 3, 0, 30), True)),
        ("11-03-2026 14:05", (D(2026, 11, 3, 14, 5), True)),
        ("03.11.2026", (D(2026, 11, 3), False)),
        ("Nov 3, 2026", (D(2026, 11, 3), False)),
        ("Tue, Nov 3, 2026 9:30 AM", (D(2026, 11, 3, 9, 30), True)),
        ("November 3rd, 2026", (D(2026, 11, 3), False)),
        ("3-Nov-2026", (D(2026, 11, 3), False)),
        ("3 November 2026 17:45", (D(2026, 11, 3, 17, 45), True)),
        ("46329", (D(2026, 11, 3), False)),  # an Excel serial date
        ("46329.5", (D(2026, 11, 3, 12, 0), True)),
    ],
)
def test_dates(text, expected):
    assert parse_when(text) == expected


def test_date_order_settles_ambiguous_dates():
    assert parse_when("03/04/2026")[0].date() == dt.date(2026, 3, 4)
    assert parse_when("03/04/2026", "DMY")[0].date() == dt.date(2026, 4, 3)
    assert parse_when("2026-03-04", "DMY")[0].date() == dt.date(2026, 3, 4)  # year first is never ambiguous


@pytest.mark.parametrize(
    "text",
    ["", "soon", "13/13/2026", "31/31/2026", "2026-02-30", "Smarch 3, 2026", "12345", "11/3/2026 13:00 PM"],
)
def test_not_dates(text):
    with pytest.raises(ValueError):
        parse_when(text)


@pytest.mark.parametrize(
    "text",
    [
        "(213) 555-0142",
        "213.555.0142",
        "+1 213 555 0142",
        "2135550142",
        "1-213-555-0142",
        "2135550142.0",
        " 213-555-0142 ext. 4",
        "+1 (213) 555-0142",
    ],
)
def test_phones_any_format(text):
    assert normalize_phone(text) == "+12135550142"


@pytest.mark.parametrize("text", ["", "n/a", "555-0142", "12", "2.13556E+09", "call me"])
def test_not_phones(text):
    assert normalize_phone(text) is None


def test_phone_regions():
    assert normalize_phone("020 7946 0958", "GB") == "+442079460958"
    assert normalize_phone("+44 20 7946 0958", "US") == "+442079460958"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ann.Lee@Mail.Example", "ann.lee@mail.example"),
        ("  ANN@X.EXAMPLE ", "ann@x.example"),
        ("mailto:ann@x.example", "ann@x.example"),
        ("Ann Lee <ann@x.example>", "ann@x.example"),
        ("not an email", None),
        ("", None),
        ("ann@", None),
    ],
)
def test_emails(text, expected):
    assert normalize_email(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("$1,234.50", Decimal("1234.50")),
        ("1234", Decimal("1234.00")),
        ("(25.00)", Decimal("-25.00")),
        ("-25", Decimal("-25.00")),
        ("1.234,50 €", Decimal("1234.50")),
        ("12,5", Decimal("12.50")),
        ("USD 99.9", Decimal("99.90")),
        ("1,000", Decimal("1000.00")),
        ("", None),
    ],
)
def test_amounts(text, expected):
    assert parse_amount(text) == expected


def test_excel_csv_quirks(tmp_path):
    """BOM, Windows-1252, "sep=;", semicolons, ="..." cells, padded rows, blank lines."""
    path = tmp_path / "export.csv"
    text = 'sep=;\r\nName;Phone;Note\r\nRené;="0042";café\r\n;;\r\n\r\nZoë;="2135550142";ok;;\r\n'
    path.write_bytes(text.encode("cp1252"))
    table = read_table(path, "export.csv")
    assert table.rows == [["Name", "Phone", "Note"], ["René", "0042", "café"], ["Zoë", "2135550142", "ok"]]
    assert table.lines == [2, 3, 6]  # file lines, counting the sep= line


def test_utf16_tab_separated(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("Appointment ID\tClient Email\r\n7\tzoë@x.example\r\n".encode("utf-16"))
    assert read_table(path).rows == [["Appointment ID", "Client Email"], ["7", "zoë@x.example"]]


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    with pytest.raises(ReportError, match="report.xlsx: is not a text"):
        read_table(path, "report.xlsx")
