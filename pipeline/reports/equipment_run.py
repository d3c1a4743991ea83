"""`inv equipment`: the device view (with payback charts) and retail product sales, as files.

Reads the same sources as `inv report` (REPORT_SOURCES), the devices the content declares
(content/devices/, and the procedures' ``devices``), what each device cost (data/devices.yml)
and the product catalogue (data/products.yml), and writes ``internal/reports/equipment/``.
"""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from pipeline.files import csv_bytes, write_folder
from pipeline.reports import charts
from pipeline.reports.config import load_config
from pipeline.reports.equipment import Device, Product, View, view
from pipeline.reports.errors import ReportError
from pipeline.reports.run import gather, read_catalogue

DEVICES_FILE = "data/devices.yml"
PRODUCTS_FILE = "data/products.yml"


def _yaml(path: Path, shown: str, top: str) -> list[dict]:
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ReportError(
            f"{shown}: not valid YAML ({exc}) — compare it with the example in the README."
        ) from None
    rows = data.get(top) if isinstance(data, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ReportError(
            f"{shown}: start the file with '{top}:' and list one entry per '- id: ...' under it."
        )
    return rows


def _money(value, shown: str, where: str) -> Decimal:
    try:
        amount = Decimal(str(value if value is not None else 0).replace(",", "").replace("$", ""))
    except InvalidOperation:
        raise ReportError(f"{shown}: {where} is {value!r}; write an amount such as 95000") from None
    if amount < 0:
        raise ReportError(f"{shown}: {where} is negative; write what it cost, e.g. 95000")
    return amount


def _month(value, shown: str, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    text = str(value)
    try:
        return dt.date.fromisoformat(f"{text[:7]}-01")
    except ValueError:
        raise ReportError(
            f"{shown}: {where} is {value!r}; write the month it went into service, e.g. 2026-03"
        ) from None


def load_devices(root: Path, content_root: Path, shown: str = DEVICES_FILE) -> list[Device]:
    """data/devices.yml, each id checked against content/devices/ and joined to the procedures using it."""
    from pipeline.claims import site
    from pipeline.claims.facts import key

    declared = {e.id: e.record for e in site.read_devices(content_root) if e.record is not None}
    procedures = {}
    for path in sorted((content_root / "procedures").glob("*.md")):
        entry = site.read_entry(site.types.PROCEDURE, path, content_root)
        if entry.record is not None:
            procedures[entry.id] = [key(n) for n in entry.record.devices]
    out = []
    for index, row in enumerate(_yaml(root / shown, shown, "devices")):
        device_id = str(row.get("id") or "")
        where = f"devices[{index}]"
        if device_id not in declared:
            raise ReportError(
                f"{shown}: {where}: id {device_id!r} is not a device in content/devices/ — use one of: "
                f"{', '.join(sorted(declared))}"
            )
        record = declared[device_id]
        names = {key(device_id), key(record.name), *(key(a) for a in record.aliases)}
        out.append(
            Device(
                device_id,
                record.name,
                tuple(record.aliases),
                _money(row.get("cost"), shown, f"{where}.cost"),
                _money(row.get("monthly_cost"), shown, f"{where}.monthly_cost"),
                _month(row.get("in_service"), shown, f"{where}.in_service"),
                tuple(pid for pid, used in procedures.items() if names & set(used)),
            )
        )
    return out


def load_products(root: Path, shown: str = PRODUCTS_FILE) -> list[Product]:
    out = []
    for index, row in enumerate(_yaml(root / shown, shown, "products")):
        if not row.get("id") or not row.get("name"):
            raise ReportError(
                f"{shown}: products[{index}] needs an id and a name, e.g. id: ce-ferulic, name: C E Ferulic"
            )
        out.append(Product(str(row["id"]), str(row["name"]), tuple(str(a) for a in row.get("aliases") or ())))
    return out


def _chart(pay, name: str, currency: str) -> dict[str, bytes]:
    import matplotlib

    with matplotlib.rc_context(charts.STYLE):
        fig = Figure(figsize=(9, 3.6), dpi=100, layout="constrained")
        ax = fig.subplots()
        if pay.months:
            xs = range(len(pay.months))
            ax.plot(
                xs,
                [float(v) for v in pay.net],
                color=charts.TEAL,
                marker="o",
                label="revenue less monthly costs",
            )
            ax.axhline(
                float(pay.cost),
                color=charts.ROSE,
                linestyle="--",
                label=f"cost {charts.money(pay.cost, currency)}",
            )
            ax.set_xticks(list(xs), pay.months, rotation=45, ha="right")
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: charts.money(v, currency, compact=True)))
            ax.legend(loc="upper left", frameon=False)
        else:
            ax.text(
                0.5, 0.5, "not in service in this period", ha="center", va="center", transform=ax.transAxes
            )
        ax.set_title(f"Payback: {name}" + (f" (paid back {pay.month})" if pay.month else ""))
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
    return charts.render(fig)


def files(v: View, devices: list[Device], currency: str, practice: str) -> dict[str, bytes]:
    names = {d.id: d.name for d in devices}
    out = {
        "devices-by-month.csv": csv_bytes(
            ["device", "month", "inquiries", "consultations", "treatments", "revenue"],
            [
                [names[d], m, r.inquiries, r.consultations, r.treatments, f"{r.revenue:.2f}"]
                for d, by_month in v.devices.items()
                for m, r in by_month.items()
            ],
        ),
        "payback.csv": csv_bytes(
            ["device", "month", "revenue less monthly costs (running)", "cost", "paid back"],
            [
                [names[d], m, f"{n:.2f}", f"{p.cost:.2f}", "yes" if p.month and m >= p.month else "no"]
                for d, p in v.paybacks.items()
                for m, n in zip(p.months, p.net, strict=True)
            ],
        ),
        "products-by-month.csv": csv_bytes(
            ["product", "month", "units", "revenue"],
            [
                [r.product, m, r.units, f"{r.revenue:.2f}"]
                for by_month in v.products.values()
                for m, r in sorted(by_month.items())
            ],
        ),
        "top-products.csv": csv_bytes(
            ["product", "units", "revenue"], [[r.product, r.units, f"{r.revenue:.2f}"] for r in v.top]
        ),
    }
    for device in devices:
        for fmt, data in _chart(v.paybacks[device.id], device.name, currency).items():
            out[f"charts/payback-{device.id}.{fmt}"] = data
    rows = []
    for device in devices:
        t = v.device_totals(device.id)
        pay = v.paybacks[device.id]
        rows.append(
            f"<tr><th scope=row>{html.escape(device.name)}</th><td>{t.inquiries}</td><td>{t.consultations}</td>"
            f"<td>{t.treatments}</td><td>{html.escape(charts.money(t.revenue, currency))}</td>"
            f"<td>{html.escape(charts.money(device.cost, currency))}</td><td>{html.escape(pay.month or 'not yet')}</td></tr>"
        )
    charts_html = "".join(
        f'<figure><img src="charts/payback-{d.id}.svg" alt="Payback of {html.escape(d.name)}"></figure>'
        for d in devices
    )
    top = "".join(
        f"<tr><th scope=row>{html.escape(r.product)}</th><td>{r.units}</td><td>{html.escape(charts.money(r.revenue, currency))}</td></tr>"
        for r in v.top
    )
    rate = f"{v.attach_rate:.0%}" if v.attach_rate is not None else "no treatment visits"
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in v.notes)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Equipment and products — {html.escape(practice)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#18232b}}table{{border-collapse:collapse}}
td,th{{padding:.3rem .6rem;border-bottom:1px solid #e0d3c2;text-align:right}}th[scope=row]{{text-align:left}}
img{{max-width:100%}}</style></head><body>
<h1>Equipment and products: {html.escape(v.months[0])} to {html.escape(v.months[-1])}</h1>
<h2>Devices</h2>
<table><thead><tr><th scope=col>Device</th><th scope=col>Inquiries</th><th scope=col>Consultations</th>
<th scope=col>Treatments</th><th scope=col>Revenue</th><th scope=col>Cost</th><th scope=col>Paid back</th></tr></thead>
<tbody>{rows and "".join(rows) or "<tr><td colspan=7>No devices in data/devices.yml.</td></tr>"}</tbody></table>
<p>Per month: devices-by-month.csv. Payback is revenue less the declared monthly costs, running from the month in
service (payback.csv).</p>
{charts_html}
<h2>Retail products</h2>
<p>Attach rate: {html.escape(rate)} of treatment visits ({v.visits_with_product} of {v.treatment_visits}) included a product.</p>
<table><thead><tr><th scope=col>Top sellers</th><th scope=col>Units</th><th scope=col>Revenue</th></tr></thead>
<tbody>{top or "<tr><td colspan=3>No product sales.</td></tr>"}</tbody></table>
<p>Per month: products-by-month.csv.</p>
{f"<h2>Notes</h2><ul>{notes}</ul>" if notes else ""}
</body></html>
"""
    out["equipment.html"] = page.encode("utf-8")
    return out


def equipment_from_settings(settings: dict, root: Path, through: dt.date) -> tuple[Path, View, list[Device]]:
    """`inv equipment`: settings in; the folder written, the view and the devices out."""
    from pipeline import partners as partner_registry

    config = load_config(settings)
    root = Path(root)
    content_root = Path(settings.get("PATH") or root / "content")
    devices = load_devices(root, content_root, settings.get("EQUIPMENT_DEVICES") or DEVICES_FILE)
    products = load_products(root, settings.get("EQUIPMENT_PRODUCTS") or PRODUCTS_FILE)
    path, shown = partner_registry.registry_path(settings)
    codes = [p.code for p in partner_registry.load_registry(path, shown).partners]
    inputs = gather(config, root, codes, shown)
    practice = partner_registry.read_practice(content_root)
    result = view(
        inputs.leads,
        inputs.conversions,
        read_catalogue(content_root),
        devices,
        products,
        ZoneInfo(config.timezone),
        through,
    )
    result.notes += inputs.notes
    target = root / config.internal_path / "reports" / "equipment"
    write_folder(target, files(result, devices, config.currency or practice["currency"], practice["name"]))
    return target, result, devices
