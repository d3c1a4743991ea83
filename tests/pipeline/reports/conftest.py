"""A small practice with known answers: every inquiry, booking and sale is listed here.

November 2026 in America/Los_Angeles (DST ended on 1 November). People:

- Ann: web W1 (Google Ads, gclid, campaign nov10) and W2 (direct, first touch the same ad) and
  a walk-in F3 with her phone written 213.555.0101 -> one person, counted once (2 repeats).
  Appointment 5001 completed 8 Nov, sale 9001 $1,200.00 with promo NOV10.
- Ben: W3 via partner oak-pilates; appointment 5003 canceled -> inquiry only.
- Cara: W4, latest touch paid social, first touch partner elm-derm; 5004 arrived, sale $350.
- Dee: W5 at 2026-12-01T07:30Z = 30 Nov 23:30 PST -> November; organic search.
- Eve: W6 at 2026-11-01T06:30Z = 31 Oct 23:30 PDT -> October (the previous period).
- Fay: W7 with a mistyped code oak-pilate -> "Unknown code".
- Gus: F1 phone call; appointment 5002 booked for 15 Nov (phone as ="2135550102").
- Hana: F2 doctor referral from elm-derm; 5005 confirmed for 5 Dec, created 20 Nov -> booked.
- Ivy: F4 phone call at 23:30 on 30 Nov.
- Zed: no inquiry; 5006 completed and sale $99 -> "treated with no inquiry on record".

November: 8 inquiries (10 received, 2 repeats), 4 booked, 2 treated, revenue $1,550.00.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.sitefactory import SiteFactory

GCLID = "AbC_123-xyzXYZ0001"
TZ = "America/Los_Angeles"


def _touch(**values) -> dict:
    keys = (
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
        "timestamp",
    )
    return {k: values.get(k) for k in keys}


def web(record_id: str, received_at: str, latest: dict, first: dict | None = None, **fields) -> dict:
    return {
        "schema": 1,
        "id": record_id,
        "received_at": received_at,
        "form": "contact",
        "form_page": "/contact/",
        "name": fields.get("name"),
        "email": fields.get("email"),
        "phone": fields.get("phone"),
        "preferred_location": None,
        "interest": fields.get("interest"),
        "message": None,
        "contact_method": "email",
        "consent_contact": True,
        "consent_sms": False,
        "attribution": {"first": first or latest, "latest": latest},
    }


ADS = _touch(
    utm_source="google",
    utm_medium="cpc",
    utm_campaign="nov10",
    gclid=GCLID,
    landing_page="/procedures/botox/?utm_source=google",
)
WEB = [
    web(
        "w1",
        "2026-11-03T17:00:00Z",
        ADS,
        email="Ann.Lee@mail.example",
        phone="+12135550101",
        name="Ann Lee",
        interest="Botox",
    ),
    web(
        "w2",
        "2026-11-05T18:00:00Z",
        _touch(landing_page="/"),
        ADS,
        email="ann.lee@mail.example",
        name="Ann Lee",
    ),
    web(
        "w3",
        "2026-11-10T20:00:00Z",
        _touch(
            ref="oak-pilates",
            utm_source="oak-pilates",
            utm_medium="referral",
            utm_campaign="referral-partners",
            landing_page="/",
        ),
        email="ben@post.example",
        name="Ben Oakes",
        interest="HydraFacial",
    ),
    web(
        "w4",
        "2026-11-12T19:00:00Z",
        _touch(
            utm_source="instagram",
            utm_medium="paid-social",
            utm_campaign="glow",
            fbclid="IwAR0xyz",
            landing_page="/procedures/hydrafacial/",
        ),
        _touch(ref="elm-derm", utm_medium="referral", landing_page="/"),
        email="cara@inbox.example",
        name="Cara Voss",
        interest="hydrafacial",
    ),
    web(
        "w5",
        "2026-12-01T07:30:00Z",
        _touch(referrer="https://www.google.com/", landing_page="/blog/"),
        email="dee@mail.example",
        name="Dee Park",
    ),
    web("w6", "2026-11-01T06:30:00Z", _touch(landing_page="/"), email="eve@mail.example", name="Eve Stone"),
    web(
        "w7",
        "2026-11-20T21:00:00Z",
        _touch(ref="oak-pilate", landing_page="/"),
        email="fay@mail.example",
        name="Fay Lind",
    ),
]

FRONT_DESK = (
    "\ufeffdate,time,channel,partner,source,campaign,interest,location,name,email,phone\r\n"
    "2026-11-04,10:15,phone,,google,,botox,north,Gus Hart,,(213) 555-0102\r\n"
    "11/6/2026,2:30 PM,doctor-referral,elm-derm,,,rhinoplasty,,Hana Ruiz,HANA@mail.example,\r\n"
    '2026-11-07,,walk-in,,,,,,Ann Lee,,="213.555.0101"\r\n'
    "2026-11-30,23:30,Phone,,friend,,,,Ivy Moss,,+1 213 555 0103\r\n"
    ",,,,,,,,,,\r\n"
)

APPOINTMENTS = (
    "\ufeffAppointments report (test export)\r\n"
    "Appointment ID,Start Time,Created At,Appointment State,Client Name,Client Email,Client Phone,Services\r\n"
    "5001,11/8/2026 3:00 PM,,Completed,Ann Lee,ANN.LEE@MAIL.EXAMPLE ,,Botox 20 units\r\n"
    '5002,2026-11-15 10:00,,Booked,Gus Hart,,="2135550102",Consultation\r\n'
    '5003,"Nov 20, 2026 9:30 AM",,Canceled,Ben Oakes,ben@post.example,,HydraFacial\r\n'
    "5004,2026-11-25,,Arrived,Cara Voss,cara@inbox.example,,HydraFacial\r\n"
    "5005,2026-12-05 10:00,2026-11-20 12:00,Confirmed,Hana Ruiz,hana@mail.example,,Rhinoplasty consult\r\n"
    "5006,2026-11-10 09:00,,Completed,Zed Quill,zed@mail.example,,Chemical peel\r\n"
    "5001,11/8/2026 3:00 PM,,Completed,Ann Lee,ann.lee@mail.example,,Botox 20 units\r\n"
    "5007,2026-06-01,,Completed,Eve Stone,eve@mail.example,,HydraFacial\r\n"
    ",,,,,,,\r\n"
    "Total,,,,,,,\r\n"
)

SALES = (
    "\ufeffOrder ID,Sale Date,Client Name,Client Email,Client Phone,Line Item,Offer Code,Net Sales\r\n"
    '9001,11/08/2026,Ann Lee,ann.lee@mail.example,,Botox,nov10,"$1,200.00"\r\n'
    "9002,2026-11-25,Cara Voss,,+1 (213) 555-0199,HydraFacial,,350\r\n"
    "9003,2026-11-10,Zed Quill,zed@mail.example,,Chemical peel,,$99.00\r\n"
)
# Cara's sale carries only a phone; her appointment row gives the email: the EMR's client rows
# are joined by the phone she gave on the sale. Tie them: the appointment lists the same phone.
APPOINTMENTS = APPOINTMENTS.replace(
    "5004,2026-11-25,,Arrived,Cara Voss,cara@inbox.example,,",
    "5004,2026-11-25,,Arrived,Cara Voss,cara@inbox.example,(213) 555-0199,",
)


def write_scenario(root: Path) -> dict:
    """The scenario's files under ``root``; returns the settings that read them."""
    site = SiteFactory(root / "site").write_all()
    site.write_partners()
    (root / "inquiries").mkdir(parents=True, exist_ok=True)
    (root / "inquiries" / "2026-11.jsonl").write_text(
        "".join(json.dumps(r, sort_keys=True) + "\n" for r in WEB), encoding="utf-8"
    )
    (root / "front-desk").mkdir(exist_ok=True)
    (root / "front-desk" / "2026-11.csv").write_bytes(FRONT_DESK.encode("utf-8"))
    (root / "emr").mkdir(exist_ok=True)
    (root / "emr" / "boulevard-appointments.csv").write_bytes(APPOINTMENTS.encode("utf-8"))
    (root / "emr" / "boulevard-sales.csv").write_bytes(SALES.encode("utf-8"))
    return {
        "PATH": str(site.content),
        "TIMEZONE": TZ,
        "INTERNAL_PATH": str(root / "internal"),
        "REPORT_SOURCES": {
            "inquiries": ["inquiries/*.jsonl"],
            "front_desk": ["front-desk/*.csv"],
            "emr": ["emr/*.csv"],
        },
        "REPORT_EMR_FORMAT": "boulevard",
    }


@pytest.fixture(scope="session")
def scenario(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("scenario")
    return root, write_scenario(root)


@pytest.fixture(scope="session")
def november(scenario):
    """The November report, built once: (folder, report)."""
    from pipeline.reports.run import report_from_settings

    root, settings = scenario
    return report_from_settings(settings, "month", "2026-11-30", root)
