"""Equipment and product revenue: what each device brings in against what it cost, and retail sales.

Pure functions on the reports' plain records (:mod:`pipeline.reports.records`):

- **devices**, per device and month: inquiries (a lead whose interest names a procedure that uses
  the device), consultations (a booked appointment whose service is a consultation for such a
  procedure), treatments (an appointment that took place, not a consultation) and revenue (the
  sales lines of such a procedure). A procedure that uses several declared devices gives each its
  counts, and its revenue split equally, unless the line names the device itself.
- **payback**: from the month a device went into service, the running total of its revenue less
  its declared monthly costs, against what it cost; the month it passes the cost is its payback.
  This is gross revenue: supplies and staff time count only where ``monthly_cost`` includes them.
- **products**: sales lines whose item is a product of the catalogue: units (one per line; the
  exports read here carry no quantity column) and revenue by product and month, top sellers, and
  the attach rate (the share of treatment visits — a client's treatment sales on one day — on
  which the same client bought a product).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.reports.records import Catalogue, Conversion, Lead, key

CONSULTATION = "consult"


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    cost: Decimal = Decimal(0)
    monthly_cost: Decimal = Decimal(0)
    in_service: dt.date | None = None  # first day of the month it went into service
    procedures: tuple[str, ...] = ()  # ids of the procedures that use it


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class DeviceMonth:
    inquiries: int = 0
    consultations: int = 0
    treatments: int = 0
    revenue: Decimal = Decimal(0)


@dataclass
class Payback:
    device: str
    months: list[str] = field(default_factory=list)  # YYYY-MM from the month in service
    net: list[Decimal] = field(default_factory=list)  # running revenue less monthly costs
    cost: Decimal = Decimal(0)
    month: str | None = None  # the first month the running total reaches the cost


@dataclass
class ProductRow:
    product: str
    units: int = 0
    revenue: Decimal = Decimal(0)


@dataclass
class View:
    months: list[str]
    devices: dict[str, dict[str, DeviceMonth]]  # device id -> month -> counts
    paybacks: dict[str, Payback]
    products: dict[str, dict[str, ProductRow]]  # product id -> month -> units and revenue
    top: list[ProductRow]
    treatment_visits: int = 0
    visits_with_product: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def attach_rate(self) -> float | None:
        return self.visits_with_product / self.treatment_visits if self.treatment_visits else None

    def device_totals(self, device_id: str) -> DeviceMonth:
        total = DeviceMonth()
        for row in self.devices.get(device_id, {}).values():
            total.inquiries += row.inquiries
            total.consultations += row.consultations
            total.treatments += row.treatments
            total.revenue += row.revenue
        return total


def month(when: dt.datetime | dt.date) -> str:
    return f"{when.year:04d}-{when.month:02d}"


def _months(first: str, last: str) -> list[str]:
    out, (y, m) = [], map(int, first.split("-"))
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _matcher(names: dict[str, Iterable[str]]):
    """text -> id, by the longest name or alias the text contains (compared as records.key does)."""
    keyed = sorted(
        ((key(n), i) for i, aliases in names.items() for n in aliases if key(n)),
        key=lambda kv: (-len(kv[0]), kv[1]),
    )

    def find(text: str | None) -> str | None:
        k = key(text or "")
        return next((i for alias, i in keyed if alias in k), None) if k else None

    return find


def _client(c: Conversion) -> str | None:
    return c.email or c.phone or c.client_id or c.name


def view(
    leads: Sequence[Lead],
    conversions: Sequence[Conversion],
    catalogue: Catalogue,
    devices: Sequence[Device],
    products: Sequence[Product],
    tz: dt.tzinfo,
    through: dt.date,
) -> View:
    """Every month from the first record (or device in service) through ``through``."""
    procedure_id = _matcher({pid: (pid, name) for pid, name in catalogue.procedures.items()})
    device_named = _matcher({d.id: (d.id, d.name, *d.aliases) for d in devices})
    product_named = _matcher({p.id: (p.id, p.name, *p.aliases) for p in products})
    using: dict[str, list[str]] = defaultdict(list)
    for device in devices:
        for pid in device.procedures:
            using[pid].append(device.id)
    names = {p.id: p.name for p in products}
    stamps = [month(c.at.astimezone(tz)) for c in conversions] + [
        month(lead.at.astimezone(tz)) for lead in leads
    ]
    stamps += [month(d.in_service) for d in devices if d.in_service]
    last = month(through)
    months = _months(min(stamps), last) if stamps and min(stamps) <= last else [last]
    per_device = {d.id: {m: DeviceMonth() for m in months} for d in devices}
    per_product = {p.id: {} for p in products}
    notes: list[str] = []

    for lead in leads:
        m = month(lead.at.astimezone(tz))
        if m in months:
            for device_id in using.get(procedure_id(lead.interest) or "", ()):
                per_device[device_id][m].inquiries += 1

    treatment_visits: set[tuple] = set()
    product_visits: set[tuple] = set()
    for c in conversions:
        local = c.at.astimezone(tz)
        m = month(local)
        if m not in months:
            continue
        product = product_named(c.service) if c.kind == "invoice" else None
        if product is not None:
            row = per_product[product].setdefault(m, ProductRow(names[product]))
            row.units += 1
            row.revenue += c.revenue
            product_visits.add((_client(c), local.date()))
            continue
        pid = procedure_id(c.service)
        named = device_named(c.service)
        targets = [named] if named in per_device else using.get(pid or "", [])
        if c.kind == "invoice":
            if c.revenue and targets:
                treatment_visits.add((_client(c), local.date()))
            for device_id in targets:
                per_device[device_id][m].revenue += c.revenue / len(targets)
        elif CONSULTATION in (c.service or "").lower():
            if c.booked:
                for device_id in targets:
                    per_device[device_id][m].consultations += 1
        elif c.treated:
            for device_id in targets:
                per_device[device_id][m].treatments += 1
    shared = sorted(pid for pid, ids in using.items() if len(ids) > 1)
    if shared:
        notes.append(
            "Procedures that use several devices give each device their counts and an equal share of their "
            f"revenue (unless a sales line names the device): {', '.join(shared)}."
        )

    paybacks = {}
    for device in devices:
        pay = Payback(device.id, cost=device.cost)
        running = Decimal(0)
        start = month(device.in_service) if device.in_service else months[0]
        for m in months:
            if m < start:
                continue
            running += per_device[device.id][m].revenue - device.monthly_cost
            pay.months.append(m)
            pay.net.append(running.quantize(Decimal("0.01")))
            if pay.month is None and device.cost and running >= device.cost:
                pay.month = m
        paybacks[device.id] = pay

    totals: dict[str, ProductRow] = {}
    for pid, by_month in per_product.items():
        for row in by_month.values():
            total = totals.setdefault(pid, ProductRow(row.product))
            total.units += row.units
            total.revenue += row.revenue
    top = sorted(totals.values(), key=lambda r: (-r.revenue, -r.units, r.product))
    if products and not totals:
        notes.append("No sales line names a product of the catalogue: the exports carry no product lines.")
    visits = {v for v in treatment_visits if v[0]}
    return View(
        months=months,
        devices=per_device,
        paybacks=paybacks,
        products=per_product,
        top=top,
        treatment_visits=len(visits),
        visits_with_product=len(visits & product_visits),
        notes=notes,
    )
