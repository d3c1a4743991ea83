"""The device view and product sales on a fixture whose totals are known, read from generic CSV
exports exactly as `inv equipment` reads them; then the pure view with inquiries and a shared procedure.

Fixture (UTC), device CoolSculpting Elite (cost 10,000, 500 a month, in service January 2026) and
Candela GentleMax Pro (cost 1,000, nothing a month):

- Ann, 10 Jan: body contouring $2,000 and the C E Ferulic serum $150 the same day (an attached sale);
  a completed consultation on 5 Jan and a completed treatment on 10 Jan.
- Ben, 5 Feb: a line naming "CoolSculpting session" $3,000 (the device itself), a completed
  CoolSculpting appointment; 1 Mar: body contouring $9,000.
- Cara, 5 Feb: laser hair removal $400; her appointment was canceled (not a treatment).
- Dee, 20 and 21 Feb: sunscreen $40 and C E Ferulic $150, with no treatment.

CoolSculpting: revenue 2,000 + 3,000 + 9,000 = 14,000; 2 treatments, 1 consultation; running net
1,500 / 4,000 / 12,500 -> paid back in March. Candela: 400 in February, never paid back.
Products: C E Ferulic 2 units $300, sunscreen 1 unit $40; 4 treatment visits, 1 with a product: 25%.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.reports.equipment import Device, view
from pipeline.reports.equipment_run import equipment_from_settings
from pipeline.reports.errors import ReportError
from pipeline.reports.records import Catalogue, Conversion, Lead
from tests.support.sitefactory import ROOT

SALES = """Line ID,Date,Email,Item,Amount
S1,2026-01-10,ann@example.com,Body contouring,"$2,000.00"
S2,2026-01-10,ann@example.com,C E Ferulic serum,$150.00
S3,2026-02-05,ben@example.com,CoolSculpting session,"$3,000.00"
S4,2026-02-05,cara@example.com,Laser hair removal,$400.00
S5,2026-02-20,dee@example.com,Daily sunscreen SPF 50,$40.00
S6,2026-02-21,dee@example.com,C E Ferulic,$150.00
S7,2026-03-01,ben@example.com,Body contouring,"$9,000.00"
"""
APPOINTMENTS = """ID,Date,Status,Email,Service
A1,2026-01-05,Completed,ann@example.com,Body contouring consultation
A2,2026-01-10,Completed,ann@example.com,Body contouring
A3,2026-02-05,Canceled,cara@example.com,Laser hair removal
A4,2026-02-05,Completed,ben@example.com,CoolSculpting
"""
DEVICES = """devices:
  - id: coolsculpting-elite
    in_service: 2026-01
    cost: 10000
    monthly_cost: 500
  - id: candela-gentlemax-pro
    cost: 1000
"""
PRODUCTS = """products:
  - id: ce-ferulic
    name: C E Ferulic
  - id: sunscreen
    name: Daily sunscreen
"""
COLUMNS = {
    "appointments": {"id": "ID", "date": "Date", "state": "Status", "email": "Email", "service": "Service"},
    "invoices": {"id": "Line ID", "date": "Date", "amount": "Amount", "email": "Email", "service": "Item"},
}


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("*.jpg", "*.png"))
    (tmp_path / "data" / "emr").mkdir(parents=True)
    (tmp_path / "data" / "emr" / "sales.csv").write_text(SALES, encoding="utf-8")
    (tmp_path / "data" / "emr" / "appointments.csv").write_text(APPOINTMENTS, encoding="utf-8")
    (tmp_path / "data" / "devices.yml").write_text(DEVICES, encoding="utf-8")
    (tmp_path / "data" / "products.yml").write_text(PRODUCTS, encoding="utf-8")
    return tmp_path


def _settings(project: Path) -> dict:
    return {
        "PATH": str(project / "content"),
        "TIMEZONE": "UTC",
        "REPORT_SOURCES": {"inquiries": [], "front_desk": [], "emr": ["data/emr/*.csv"]},
        "REPORT_EMR_FORMAT": "generic",
        "REPORT_COLUMN_MAP": COLUMNS,
    }


def _rows(folder: Path, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((folder / name).read_text(encoding="utf-8"))))


def test_device_and_product_totals_on_a_known_fixture(project):
    folder, result, devices = equipment_from_settings(_settings(project), project, dt.date(2026, 3, 31))
    assert result.months == ["2026-01", "2026-02", "2026-03"]
    cool = result.device_totals("coolsculpting-elite")
    assert (cool.consultations, cool.treatments, cool.revenue) == (1, 2, Decimal("14000.00"))
    assert [result.devices["coolsculpting-elite"][m].revenue for m in result.months] == [2000, 3000, 9000]
    assert result.device_totals("candela-gentlemax-pro").revenue == 400
    assert result.device_totals("candela-gentlemax-pro").treatments == 0  # her appointment was canceled
    pay = result.paybacks["coolsculpting-elite"]
    assert pay.net == [Decimal("1500.00"), Decimal("4000.00"), Decimal("12500.00")] and pay.month == "2026-03"
    assert result.paybacks["candela-gentlemax-pro"].month is None
    assert [(r.product, r.units, r.revenue) for r in result.top] == [
        ("C E Ferulic", 2, Decimal("300.00")),
        ("Daily sunscreen", 1, Decimal("40.00")),
    ]
    assert (result.visits_with_product, result.treatment_visits, result.attach_rate) == (1, 4, 0.25)
    # The files say the same.
    by_month = _rows(folder, "devices-by-month.csv")
    assert sum(Decimal(r["revenue"]) for r in by_month if r["device"] == "CoolSculpting Elite") == 14000
    payback = [r for r in _rows(folder, "payback.csv") if r["device"] == "CoolSculpting Elite"]
    assert [r["paid back"] for r in payback] == ["no", "no", "yes"]
    products = _rows(folder, "products-by-month.csv")
    assert {(r["product"], r["month"], r["units"], r["revenue"]) for r in products} == {
        ("C E Ferulic", "2026-01", "1", "150.00"),
        ("C E Ferulic", "2026-02", "1", "150.00"),
        ("Daily sunscreen", "2026-02", "1", "40.00"),
    }
    page = (folder / "equipment.html").read_text(encoding="utf-8")
    assert "25% of treatment visits (1 of 4)" in page
    assert (folder / "charts" / "payback-coolsculpting-elite.svg").read_bytes().startswith(b"<?xml")
    again = equipment_from_settings(_settings(project), project, dt.date(2026, 3, 31))[0]
    assert (again / "payback.csv").read_bytes() == (folder / "payback.csv").read_bytes()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("devices:\n  - id: hydra\n", "id 'hydra' is not a device in content/devices/"),
        ("devices:\n  - id: coolsculpting-elite\n    cost: lots\n", "devices[0].cost is 'lots'"),
        ("devices:\n  - id: coolsculpting-elite\n    in_service: March\n", "devices[0].in_service"),
        ("- coolsculpting-elite\n", "start the file with 'devices:'"),
    ],
)
def test_a_mistake_in_devices_yml_names_the_file_and_the_fix(project, text, message):
    (project / "data" / "devices.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ReportError, match="data/devices.yml") as stopped:
        equipment_from_settings(_settings(project), project, dt.date(2026, 3, 31))
    assert message in str(stopped.value)


def test_inquiries_count_per_device_and_a_shared_procedure_splits_its_revenue():
    utc = dt.UTC
    at = dt.datetime(2026, 5, 3, 12, tzinfo=utc)
    catalogue = Catalogue({"botox": "Botox", "hydrafacial": "HydraFacial"})
    devices = [
        Device("dysport", "Dysport", procedures=("botox",)),
        Device("xeomin", "Xeomin", procedures=("botox",)),
    ]
    leads = [
        Lead("L1", at, "web", "Organic search", interest="botox for forehead lines"),
        Lead("L2", at, "web", "Organic search", interest="HydraFacial"),
    ]
    sales = [
        Conversion("invoice", "1", at, "x", amount=Decimal("300"), service="Botox", email="a@x"),
        Conversion("invoice", "2", at, "x", amount=Decimal("100"), service="Dysport touch-up", email="b@x"),
    ]
    result = view(leads, sales, catalogue, devices, [], utc, dt.date(2026, 5, 31))
    assert result.devices["dysport"]["2026-05"].inquiries == 1
    assert result.devices["xeomin"]["2026-05"].inquiries == 1
    assert result.devices["dysport"]["2026-05"].revenue == Decimal(
        "250"
    )  # half of 300, and the 100 naming it
    assert result.devices["xeomin"]["2026-05"].revenue == Decimal("150")
    assert any("several devices" in n and "botox" in n for n in result.notes)
