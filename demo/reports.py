"""Invented report inputs: the demo practice's data/ files and the benchmark's large data set.

Everything is fictional: names from short invented lists, emails on ``.example`` domains,
phone numbers in the 555-01xx range reserved for fiction. The same seed gives the same
bytes. ``python -m demo.reports`` rewrites the demo files under data/.

The messiness is deliberate, as real exports are: the Boulevard files have a byte-order
mark, a title line above the header, CRLF line ends, three date styles, phone numbers in
every format and e-mail addresses in capitals.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.files import csv_bytes, write_atomic
from pipeline.reports.ingest import FRONT_DESK_COLUMNS

BOM = b"\xef\xbb\xbf"  # the UTF-8 byte-order mark the Boulevard files start with

FIRST = (
    "Avery",
    "Blair",
    "Camila",
    "Dara",
    "Elio",
    "Farah",
    "Gwen",
    "Hollis",
    "Imani",
    "Jonah",
    "Keiko",
    "Lorne",
    "Maren",
    "Nico",
    "Odile",
    "Pax",
    "Quinn",
    "Rosalind",
    "Soren",
    "Talia",
    "Umi",
    "Vera",
    "Wren",
    "Yusuf",
    "Zelda",
    "Ansel",
    "Brisa",
    "Corin",
    "Delphine",
    "Emrys",
)
LAST = (
    "Ashgrove",
    "Bellweather",
    "Cordova",
    "Dunmore",
    "Everly",
    "Fairbank",
    "Glasswell",
    "Hartigan",
    "Ivesdale",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Merriwether",
    "Northcott",
    "Oakhurst",
    "Pemberly",
    "Quillon",
    "Rowntree",
    "Saltmarsh",
    "Thistlewood",
    "Underhill",
    "Vantongeren",
    "Whitlock",
    "Yarrow",
)
AREA_CODES = (
    "213",
    "310",
    "323",
    "415",
    "424",
    "510",
    "530",
    "559",
    "562",
    "619",
    "626",
    "650",
    "657",
    "661",
    "707",
    "714",
    "747",
    "760",
    "818",
    "831",
    "858",
    "909",
    "916",
    "925",
    "949",
    "951",
)
PROCEDURES = (
    "Botox",
    "Dermal fillers",
    "HydraFacial",
    "Chemical peel",
    "Laser hair removal",
    "Microneedling",
    "IPL photofacial",
    "Body contouring",
    "Rhinoplasty",
    "Blepharoplasty",
)
PRICES = {
    "Botox": (280, 650),
    "Dermal fillers": (650, 1600),
    "HydraFacial": (199, 299),
    "Chemical peel": (150, 350),
    "Laser hair removal": (250, 900),
    "Microneedling": (300, 750),
    "IPL photofacial": (350, 600),
    "Body contouring": (900, 3500),
    "Rhinoplasty": (7500, 11000),
    "Blepharoplasty": (4200, 6800),
}
LANDINGS = {
    "Botox": "/procedures/botox/",
    "Dermal fillers": "/procedures/dermal-fillers/",
    "HydraFacial": "/procedures/hydrafacial/",
    "Chemical peel": "/procedures/chemical-peel/",
    "Laser hair removal": "/procedures/laser-hair-removal/",
    "Microneedling": "/procedures/microneedling/",
    "IPL photofacial": "/procedures/ipl-photofacial/",
    "Body contouring": "/procedures/body-contouring/",
    "Rhinoplasty": "/procedures/rhinoplasty/",
    "Blepharoplasty": "/procedures/blepharoplasty/",
}
PARTNERS = ("hale-derm", "alder-chiro", "willow-pt", "tidewater-yoga", "coreline-pilates", "harbor-wellness")
LOCATIONS = ("harbor-district", "sorrel-valley")
# Web channels and their share of inquiries. Campaign names are generic: never a treatment.
WEB_MIX = (
    ("google-ads", 26),
    ("meta-ads", 14),
    ("organic", 20),
    ("social", 8),
    ("email", 6),
    ("partner", 9),
    ("referral", 4),
    ("direct", 13),
)
CONVERT = {
    "google-ads": (0.45, 0.62),
    "meta-ads": (0.30, 0.55),
    "organic": (0.40, 0.6),
    "social": (0.3, 0.5),
    "email": (0.55, 0.7),
    "partner": (0.62, 0.75),
    "referral": (0.4, 0.6),
    "direct": (0.42, 0.6),
    "phone": (0.58, 0.7),
    "walk-in": (0.5, 0.72),
    "doctor-referral": (0.7, 0.8),
    "partner-referral": (0.6, 0.75),
    "event": (0.45, 0.6),
}


@dataclass
class Person:
    name: str
    email: str
    phone: str  # formatted (805) 555-01xx
    interest: str


@dataclass
class Dataset:
    web: list[dict] = field(default_factory=list)
    front_desk: list[dict] = field(default_factory=list)
    appointments: list[dict] = field(default_factory=list)
    sales: list[dict] = field(default_factory=list)


def _people(rng: random.Random, count: int, offset: int = 0) -> list[Person]:
    """Invented people; the 555-01xx numbers run out after 2,600, so later people have only an email."""
    out = []
    for i in range(offset, offset + count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        area, line = AREA_CODES[i % len(AREA_CODES)], 100 + i // len(AREA_CODES)
        email = f"{first}.{last}{i}@{rng.choice(('mail', 'inbox', 'post'))}.example".lower()
        phone = f"({area}) 555-{line:04d}" if line < 200 else ""
        out.append(Person(f"{first} {last}", email, phone, rng.choice(PROCEDURES)))
    return out


def _gclid(rng: random.Random, prefix: str = "Cj0KCQiA") -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return prefix + "".join(rng.choice(alphabet) for _ in range(60))


def _touch(rng: random.Random, kind: str, person: Person, at: dt.datetime, month: int) -> dict:
    touch = dict.fromkeys(
        (
            "utm_id",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_source_platform",
            "utm_term",
            "utm_content",
            "gclid",
            "gbraid",
            "wbraid",
            "fbclid",
            "msclkid",
            "ttclid",
            "li_fat_id",
            "referrer",
            "landing_page",
            "ref",
        )
    )
    promo = "soften11" if month == 11 else "fall-refresh"
    landing = LANDINGS[person.interest]
    if kind == "google-ads":
        touch.update(
            utm_source="google",
            utm_medium="cpc",
            utm_campaign=rng.choice(("brand-search", promo, promo)),
            gclid=_gclid(rng),
        )
        if rng.random() < 0.06:
            touch.update(gclid=None, gbraid=_gclid(rng, "0AAAAA"))
    elif kind == "meta-ads":
        touch.update(
            utm_source=rng.choice(("instagram", "facebook")),
            utm_medium="paid-social",
            utm_campaign=promo,
            fbclid="IwAR" + _gclid(rng, "")[:40],
        )
    elif kind == "organic":
        touch.update(
            referrer=rng.choice(
                ("https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/")
            )
        )
    elif kind == "social":
        touch.update(referrer=rng.choice(("https://l.instagram.com/", "https://m.facebook.com/")))
        landing = "/blog/"
    elif kind == "email":
        touch.update(utm_source="newsletter", utm_medium="email", utm_campaign=f"{at:%b}-newsletter".lower())
        landing = "/specials/"
    elif kind == "partner":
        code = rng.choice(PARTNERS)
        touch.update(
            ref=code,
            utm_source=code,
            utm_medium="referral",
            utm_campaign="referral-partners",
            utm_content=rng.choice(("card", None)),
        )
        landing = "/"
    elif kind == "referral":
        touch.update(
            referrer=rng.choice(
                ("https://brightwater-living.example/best-of-2026", "https://www.yelp.example/biz/aurora")
            )
        )
    else:
        landing = rng.choice(("/", "/contact/", landing))
    touch["landing_page"] = landing + (f"?utm_source={touch['utm_source']}" if touch["utm_source"] else "")
    touch["timestamp"] = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return touch


def _web_record(rng: random.Random, person: Person, at: dt.datetime, kind: str) -> dict:
    latest = _touch(rng, kind, person, at - dt.timedelta(minutes=rng.randint(2, 40)), at.month)
    if rng.random() < 0.3:  # an earlier visit from elsewhere: the first touch differs
        first_kind = rng.choice(("organic", "partner", "social", "direct"))
        first = _touch(rng, first_kind, person, at - dt.timedelta(days=rng.randint(1, 30)), at.month)
    else:
        first = dict(latest)
    if kind == "direct" and rng.random() < 0.5:  # came back directly after a partner's card
        first = _touch(rng, "partner", person, at - dt.timedelta(days=rng.randint(1, 20)), at.month)
    use_phone = bool(person.phone) and rng.random() < 0.6
    return {
        "schema": 1,
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "received_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "form": rng.choice(("contact", "procedure", "procedure", "special")),
        "form_page": latest["landing_page"].split("?")[0],
        "name": person.name,
        "email": person.email,
        "phone": _e164(person.phone) if use_phone else None,
        "preferred_location": rng.choice(LOCATIONS),
        "interest": person.interest if rng.random() < 0.85 else None,
        "message": None,
        "contact_method": "phone" if use_phone and rng.random() < 0.4 else "email",
        "consent_contact": True,
        "consent_sms": False,
        "attribution": {"first": first, "latest": latest},
    }


def _e164(phone: str) -> str:
    return "+1" + "".join(c for c in phone if c.isdigit())


def _weighted(rng: random.Random, mix: Sequence[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in mix], weights=[w for _, w in mix])[0]


def _moment(rng: random.Random, start: dt.date, end: dt.date, tz) -> dt.datetime:
    day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    local = dt.datetime.combine(day, dt.time(rng.randint(7, 21), rng.randint(0, 59)), tzinfo=tz)
    return local.astimezone(dt.UTC)


def synthetic(
    seed: int,
    start: dt.date,
    end: dt.date,
    inquiries: int,
    tz_name: str = "America/Los_Angeles",
    front_desk_share: float = 0.22,
    repeat_share: float = 0.08,
    appointments: int | None = None,
) -> Dataset:
    """A practice's inquiries and what came of them, between ``start`` and ``end`` (local days).

    ``inquiries`` is the number of people who get in touch (repeats come on top);
    ``appointments`` tops the appointments up to that many with regulars who made no inquiry.
    """
    rng = random.Random(seed)
    tz = ZoneInfo(tz_name)
    data = Dataset()
    people = _people(rng, inquiries)
    appointment_no, order_no = 81000, 52000
    for person in people:
        at = _moment(rng, start, end, tz)
        offline = rng.random() < front_desk_share
        if offline:
            kind = _weighted(
                rng,
                (
                    ("phone", 60),
                    ("walk-in", 15),
                    ("doctor-referral", 12),
                    ("partner-referral", 8),
                    ("event", 5),
                ),
            )
            local = at.astimezone(tz)
            partner = (
                rng.choice(("hale-derm", "willow-pt"))
                if kind == "doctor-referral"
                else rng.choice(PARTNERS)
                if kind == "partner-referral"
                else ""
            )
            data.front_desk.append(
                {
                    "date": local.strftime("%Y-%m-%d")
                    if rng.random() < 0.7
                    else f"{local.month}/{local.day}/{local.year}",
                    "time": local.strftime("%H:%M")
                    if rng.random() < 0.5
                    else local.strftime("%I:%M %p").lstrip("0"),
                    "channel": kind,
                    "partner": partner,
                    "source": rng.choice(("google", "friend", "instagram", "drove by", ""))
                    if kind in ("phone", "walk-in")
                    else "",
                    "campaign": "SOFTEN11" if local.month == 11 and rng.random() < 0.2 else "",
                    "interest": person.interest.lower(),
                    "location": rng.choice(LOCATIONS),
                    "name": person.name,
                    "email": person.email if rng.random() < 0.5 or not person.phone else "",
                    "phone": person.phone,
                }
            )
        else:
            kind = _weighted(rng, WEB_MIX)
            data.web.append(_web_record(rng, person, at, kind))
            if rng.random() < repeat_share:  # the same person writes again a few days later
                again = at + dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 8))
                if again.astimezone(tz).date() <= end:
                    data.web.append(_web_record(rng, person, again, kind))
        p_booked, p_treated = CONVERT[kind]
        if rng.random() >= p_booked:
            continue
        booked_at = at + dt.timedelta(hours=rng.randint(1, 72))
        visit = (booked_at + dt.timedelta(days=rng.randint(2, 24))).astimezone(tz)
        visit = visit.replace(hour=rng.randint(8, 17), minute=rng.choice((0, 15, 30, 45)))
        treated = rng.random() < p_treated
        visit_past = visit.date() <= end
        state = (
            ("completed" if treated else rng.choice(("canceled", "no-show", "completed")))
            if visit_past
            else rng.choice(("booked", "confirmed"))
        )
        appointment_no += rng.randint(1, 7)
        data.appointments.append(
            {
                "id": str(appointment_no),
                "visit": visit,
                "created": booked_at.astimezone(tz),
                "state": state,
                "person": person,
                "service": person.interest + " consultation",
            }
        )
        if state == "completed" and treated:
            low, high = PRICES[person.interest]
            order_no += rng.randint(1, 5)
            promo = (
                "SOFTEN11" if visit.month == 11 and person.interest == "Botox" and rng.random() < 0.5 else ""
            )
            data.sales.append(
                {
                    "id": str(order_no),
                    "date": visit,
                    "amount": rng.randint(low, high),
                    "promo": promo,
                    "person": person,
                    "service": person.interest,
                }
            )
    regulars = max(0, appointments - len(data.appointments)) if appointments else max(3, inquiries // 25)
    for person in _people(random.Random(seed + 1), regulars, offset=inquiries):
        visit = _moment(rng, start, end, tz).astimezone(tz)  # regulars: treated, no inquiry on record
        appointment_no += 1
        data.appointments.append(
            {
                "id": str(appointment_no),
                "visit": visit,
                "created": visit - dt.timedelta(days=9),
                "state": "completed",
                "person": person,
                "service": person.interest,
            }
        )
    data.web.sort(key=lambda r: (r["received_at"], r["id"]))
    return data


# --- writers --------------------------------------------------------------------------------------


def web_jsonl(records: Sequence[dict]) -> bytes:
    """As `inv inquiries --format jsonl` writes them."""
    return "".join(
        json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n" for r in records
    ).encode("utf-8")


def front_desk_csv(rows: Sequence[dict]) -> bytes:
    columns = list(FRONT_DESK_COLUMNS)
    return csv_bytes(columns, ([row.get(c, "") for c in columns] for row in rows), guard=False)


def _messy_phone(rng: random.Random, phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    style = rng.randint(0, 5)
    if not digits:
        return ""
    return (
        phone,
        f"{digits[:3]}.{digits[3:6]}.{digits[6:]}",
        f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}",
        digits,
        f'="{digits}"',
        f"1-{digits[:3]}-{digits[3:6]}-{digits[6:]}",
    )[style]


def _messy_date(rng: random.Random, moment: dt.datetime, with_time: bool = True) -> str:
    style = rng.randint(0, 2)
    if style == 0:
        return moment.strftime("%Y-%m-%d %H:%M") if with_time else moment.strftime("%Y-%m-%d")
    if style == 1:
        clock = f" {moment.strftime('%I:%M %p').lstrip('0')}" if with_time else ""
        return f"{moment.month}/{moment.day}/{moment.year}{clock}"
    return f"{moment:%b} {moment.day}, {moment.year}" + (
        f" {moment.strftime('%I:%M %p').lstrip('0')}" if with_time else ""
    )


def boulevard_appointments_csv(data: Dataset, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    header = [
        "Appointment ID",
        "Location",
        "Start Time",
        "Created At",
        "Appointment State",
        "Client Name",
        "Client Email",
        "Client Phone",
        "Services",
    ]
    rows = []
    for row in data.appointments:
        person = row["person"]
        email = (
            person.email.upper()
            if rng.random() < 0.2
            else (f" {person.email} " if rng.random() < 0.1 else person.email)
        )
        rows.append(
            [
                row["id"],
                rng.choice(LOCATIONS),
                _messy_date(rng, row["visit"]),
                row["created"].strftime("%Y-%m-%d %H:%M"),
                row["state"].replace("-", " ").title(),
                person.name,
                email if rng.random() < 0.85 else "",
                _messy_phone(rng, person.phone),
                row["service"],
            ]
        )
    rows += [[""] * len(header), [f"Total: {len(data.appointments)} appointments"]]
    title = "Appointments report — Aurora Aesthetics (demo export)"
    return BOM + csv_bytes(header, rows, preamble=[title], guard=False)


def boulevard_sales_csv(data: Dataset, seed: int = 8) -> bytes:
    rng = random.Random(seed)
    header = [
        "Order ID",
        "Sale Date",
        "Client Name",
        "Client Email",
        "Client Phone",
        "Line Item",
        "Offer Code",
        "Net Sales",
    ]
    rows = []
    for row in data.sales:
        person = row["person"]
        rows.append(
            [
                row["id"],
                _messy_date(rng, row["date"], with_time=False),
                person.name,
                person.email if rng.random() < 0.7 else "",
                _messy_phone(rng, person.phone),
                row["service"],
                row["promo"],
                f"${row['amount']:,.2f}",
            ]
        )
    return BOM + csv_bytes(header, rows, guard=False)


DEMO_START, DEMO_END = dt.date(2026, 7, 1), dt.date(2026, 11, 30)


def demo_files(seed: int = 2026) -> dict[str, bytes]:
    """The demo practice's report inputs, by path under data/."""
    data = synthetic(seed, DEMO_START, DEMO_END, inquiries=900)
    files: dict[str, bytes] = {}
    by_month: dict[str, list[dict]] = {}
    tz = ZoneInfo("America/Los_Angeles")
    for record in data.web:  # by the practice's month, as the coordinator would file them
        received = dt.datetime.fromisoformat(record["received_at"].replace("Z", "+00:00")).astimezone(tz)
        by_month.setdefault(f"{received:%Y-%m}", []).append(record)
    for month, records in sorted(by_month.items()):
        files[f"inquiries/{month}.jsonl"] = web_jsonl(records)
    desk: dict[str, list[dict]] = {}
    for row in data.front_desk:
        month = row["date"][:7] if "-" in row["date"] else "{2}-{0:0>2}".format(*row["date"].split("/"))
        desk.setdefault(month, []).append(row)
    for month, rows in sorted(desk.items()):
        files[f"front-desk/{month}.csv"] = front_desk_csv(rows)
    files["front-desk/TEMPLATE.csv"] = front_desk_csv([])
    files["emr/boulevard-appointments.csv"] = boulevard_appointments_csv(data)
    files["emr/boulevard-sales.csv"] = boulevard_sales_csv(data)
    return files


def write_demo(root: Path) -> list[Path]:
    return [write_atomic(root / rel, data) for rel, data in sorted(demo_files().items())]


if __name__ == "__main__":
    for path in write_demo(Path(__file__).resolve().parents[1] / "data"):
        print(path)
