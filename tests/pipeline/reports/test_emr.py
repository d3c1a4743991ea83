"""Each practice-management export, read from real files with the quirks real exports have."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pipeline.reports import emr
from pipeline.reports.analysis import link_people
from pipeline.reports.config import load_config
from pipeline.reports.errors import ReportError
from pipeline.reports.normalize import read_table
from pipeline.reports.records import Lead

LA = ZoneInfo("America/Los_Angeles")
UTC = dt.UTC


def read(tmp_path: Path, name: str, text: str, fmt: str, column_map=None, order="MDY", bom=True):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", "\r\n").encode("utf-8"))
    return emr.read_export(read_table(path, name), emr.get_format(fmt, column_map), LA, "US", order)


def local(conversion) -> dt.datetime:
    return conversion.at.astimezone(LA).replace(tzinfo=None)


def test_boulevard_appointments_and_sales(tmp_path):
    appointments = read(
        tmp_path,
        "blvd.csv",
        """Appointments
Appointment ID,Start Time,Appointment State,Client Email,Client Mobile Phone,Client First Name,Client Last Name
A1,11/4/2026 10:30 AM,Completed, MIA@FOX.EXAMPLE,(415) 555-0111,Mia,Fox
A2,2026-11-05 14:00,Canceled,,="4155550112",Leo,Park
A3,"Nov 6, 2026",Confirmed,leo@park.example,,Leo,Park
A4,2026-11-07,Waitlisted,kim@lee.example,,Kim,Lee
""",
        "boulevard",
    )
    rows = {c.id: c for c in appointments.conversions}
    assert [c.kind for c in rows.values()] == ["appointment"] * 4
    assert (rows["A1"].state, rows["A1"].email, rows["A1"].phone, rows["A1"].name) == (
        "completed",
        "mia@fox.example",
        "+14155550111",
        "Mia Fox",
    )
    assert local(rows["A1"]) == dt.datetime(2026, 11, 4, 10, 30)
    assert rows["A1"].at.tzinfo == UTC
    assert (rows["A2"].state, rows["A2"].phone) == ("canceled", "+14155550112")
    assert local(rows["A3"]) == dt.datetime(2026, 11, 6, 23, 59, 59)  # a date alone: the end of that day
    assert rows["A4"].state == "booked"
    assert appointments.warnings == [
        "blvd.csv: 1 appointment(s) with the state 'Waitlisted', which I do not know, were counted as booked."
    ]
    sales = read(
        tmp_path,
        "sales.csv",
        """Order ID,Sale Date,Client Email,Client Phone,Offer Code,Net Sales
O1,11/04/2026,mia@fox.example,,soften11,"$1,050.00"
O2,11/05/2026,,+1 415 555 0112,,(35.00)
Grand total,,,,,"$1,015.00"
""",
        "boulevard",
    )
    assert [(c.kind, c.id, c.amount, c.promo_code) for c in sales.conversions] == [
        ("invoice", "O1", Decimal("1050.00"), "SOFTEN11"),
        ("invoice", "O2", Decimal("-35.00"), None),
    ]
    assert sales.skipped == 1
    assert sales.conversions[0].treated and not sales.conversions[1].treated  # a refund is not a treatment


def test_zenoti_appointments_and_invoices(tmp_path):
    appointments = read(
        tmp_path,
        "zenoti-appointments.csv",
        """Appointment Id,Appointment Date,Start Time,Status,Guest Code,Guest Name,Email,Mobile Number,Service Name
Z1,11/04/2026,10:30 AM,Closed,G100,Mia Fox,MIA@FOX.EXAMPLE,(415) 555-0111,Botox
Z2,2026-11-05,14:00,No Show,G101,Leo Park,,415.555.0112,Peel
Z3,5-Nov-2026,9:00,Cancelled,G102,Kim Lee,kim@lee.example,,HydraFacial
Z4,11/06/2026,8:15 AM,Checkin,G103,Ola Reed,,4155550113,Filler
Z5,11/07/2026,,Open,G104,Bo Ray,bo@ray.example,,Consult
""",
        "zenoti",
        bom=False,
    )
    rows = {c.id: c for c in appointments.conversions}
    assert {k: v.state for k, v in rows.items()} == {
        "Z1": "completed",
        "Z2": "no-show",
        "Z3": "canceled",
        "Z4": "arrived",
        "Z5": "booked",
    }
    assert local(rows["Z1"]) == dt.datetime(2026, 11, 4, 10, 30) and local(rows["Z3"]) == dt.datetime(
        2026, 11, 5, 9
    )
    assert rows["Z1"].client_id == "G100" and rows["Z4"].phone == "+14155550113"
    assert [c.booked for c in rows.values()] == [True, True, False, True, True]
    assert [c.treated for c in rows.values()] == [True, False, False, True, False]
    invoices = read(
        tmp_path,
        "zenoti-invoices.csv",
        """Invoice No,Invoice Date,Guest Code,Guest Name,Item Name,Coupon Code,Net Amount
INV-9,11/04/2026,G100,Mia Fox,Botox,soften11,"1,050.00"
INV-10,11/06/2026,G103,Ola Reed,Filler,,650
""",
        "zenoti",
    )
    assert [(c.id, c.client_id, c.amount) for c in invoices.conversions] == [
        ("INV-9", "G100", Decimal("1050.00")),
        ("INV-10", "G103", Decimal("650.00")),
    ]


def test_aesthetic_record_invoices_join_patients_by_id(tmp_path):
    invoices = read(
        tmp_path,
        "ar-invoices.csv",
        """Invoice #,Invoice Date,Patient ID,Patient Name,Items,Discount Code,Total
1001,03/11/2026,P-7,Ola Reed,Filler,,"$650.00"
1002,04/11/2026,P-8,Bo Ray,HydraFacial,GLOW,$199.00
""",
        "aesthetic-record",
        order="DMY",
    )
    patients = read(
        tmp_path,
        "ar-patients.csv",
        """Patient ID,First Name,Last Name,Email,Phone
P-7,Ola,Reed,OLA@REED.EXAMPLE,+1 (415) 555-0113
P-8,Bo,Ray,,
""",
        "aesthetic-record",
    )
    assert [local(c).date() for c in invoices.conversions] == [dt.date(2026, 11, 3), dt.date(2026, 11, 4)]
    assert [(c.client_id, c.email, c.phone, c.name) for c in patients.clients] == [
        ("P-7", "ola@reed.example", "+14155550113", "Ola Reed"),
        ("P-8", None, None, "Bo Ray"),
    ]
    lead = Lead("w", dt.datetime(2026, 11, 1, tzinfo=UTC), "web", "Direct", email="ola@reed.example")
    lead_people, conv_people = link_people([lead], invoices.conversions, patients.clients)
    assert conv_people[0] == lead_people[0]  # invoice -> patient P-7 -> email -> the inquiry
    assert conv_people[1] != lead_people[0]


def test_generic_csv_with_a_column_map(tmp_path):
    column_map = {
        "appointments": {
            "id": "Booking Ref",
            "date": "When",
            "state": "Status",
            "email": "E-mail",
            "phone": "Cell",
        },
        "invoices": {"id": "Receipt", "date": "Paid", "amount": "Total", "email": "E-mail"},
    }
    config = load_config({"REPORT_EMR_FORMAT": "generic", "REPORT_COLUMN_MAP": column_map})
    visits = read(
        tmp_path,
        "visits.csv",
        """Booking Ref;When;Status;E-mail;Cell
B-1;2026-11-04 09:00;done;a@b.example;(415) 555-0114
B-2;2026-11-05 09:00;cancelled;c@d.example;
""",
        config.emr_format,
        config.column_map,
    )
    receipts = read(
        tmp_path,
        "receipts.csv",
        'Receipt,Paid,Total,E-mail\nR-1,2026-11-04,"1,200",A@B.EXAMPLE\n',
        "generic",
        column_map,
    )
    assert [(c.id, c.state, c.phone) for c in visits.conversions] == [
        ("B-1", "completed", "+14155550114"),
        ("B-2", "canceled", None),
    ]
    assert [(c.kind, c.amount, c.email) for c in receipts.conversions] == [
        ("invoice", Decimal("1200.00"), "a@b.example")
    ]


@pytest.mark.parametrize(
    "column_map, message",
    [
        ({}, "REPORT_COLUMN_MAP is empty"),
        ({"visits": {"id": "x"}}, "REPORT_COLUMN_MAP: 'visits' is not a kind of file"),
        ({"appointments": {"id": "x", "date": "y", "state": "z", "mail": "m"}}, "'mail' is not a field"),
        (
            {"invoices": {"id": "x", "date": "y"}},
            "REPORT_COLUMN_MAP['invoices'] does not say which column holds amount",
        ),
    ],
)
def test_generic_map_mistakes_are_named(column_map, message):
    with pytest.raises(ReportError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config({"REPORT_EMR_FORMAT": "generic", "REPORT_COLUMN_MAP": column_map})


def test_missing_required_column_names_file_and_column(tmp_path):
    with pytest.raises(ReportError) as caught:
        read(
            tmp_path,
            "zenoti-appointments.csv",
            "Appointment Id,Appointment Date,Guest Code,Email\nZ1,11/04/2026,G1,a@b.example\n",
            "zenoti",
        )
    message = str(caught.value)
    assert message.startswith("zenoti-appointments.csv: column 'Status' or 'Appointment Status' is missing")
    assert "Zenoti appointments export" in message and "REPORT_COLUMN_MAP" in message


def test_missing_amount_column_in_sales(tmp_path):
    with pytest.raises(ReportError, match=r"sales.csv: column 'Net Sales' or 'Total Sales' is missing"):
        read(
            tmp_path, "sales.csv", "Order ID,Sale Date,Client Email\nO1,2026-11-04,a@b.example\n", "boulevard"
        )


def test_a_file_from_another_system(tmp_path):
    with pytest.raises(
        ReportError,
        match=r"other.csv: this is not a Boulevard export I know — expected columns "
        r"\(appointments: 'Appointment ID', 'Appointment Date', 'Appointment State'",
    ):
        read(tmp_path, "other.csv", "Visit,Day,Outcome\n1,2026-11-04,ok\n", "boulevard")


def test_no_column_to_match_people(tmp_path):
    with pytest.raises(
        ReportError,
        match="blvd.csv: no column to match people by — add 'Client Email' or 'Client Phone' or 'Client ID'",
    ):
        read(
            tmp_path,
            "blvd.csv",
            "Appointment ID,Start Time,Appointment State\nA1,2026-11-04,Booked\n",
            "boulevard",
        )


def test_bad_cells_are_listed_with_their_lines(tmp_path):
    with pytest.raises(ReportError) as caught:
        read(
            tmp_path,
            "sales.csv",
            "Order ID,Sale Date,Client Email,Net Sales\nO1,someday,a@b.example,10\n"
            "O2,2026-11-04,a@b.example,ten dollars\n",
            "boulevard",
        )
    message = str(caught.value)
    assert "2 problem(s) in sales.csv" in message
    assert "sales.csv line 2, column 'Sale Date': 'someday' is not a date" in message
    assert "sales.csv line 3, column 'Net Sales': 'ten dollars' is not an amount" in message


def test_overlapping_exports_count_once(tmp_path):
    first = read(
        tmp_path,
        "oct.csv",
        "Appointment ID,Start Time,Appointment State,Client Email\nA1,2026-10-30,Booked,a@b.example\n",
        "boulevard",
    )
    second = read(
        tmp_path,
        "nov.csv",
        "Appointment ID,Start Time,Appointment State,Client Email\n"
        "A1,2026-10-30,Completed,a@b.example\nA2,2026-11-02,Booked,a@b.example\n",
        "boulevard",
    )
    rows = emr.dedupe(first.conversions + second.conversions)
    assert sorted((c.id, c.state) for c in rows) == [("A1", "completed"), ("A2", "booked")]


def test_unknown_format_is_named():
    with pytest.raises(
        ReportError,
        match="REPORT_EMR_FORMAT is 'mindbody': use one of boulevard, zenoti, aesthetic-record, generic",
    ):
        load_config({"REPORT_EMR_FORMAT": "mindbody"})
