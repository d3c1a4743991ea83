"""schema.org JSON-LD for the practice, its clinics, procedures, team and posts.

Pure functions from validated records and absolute URLs to plain dicts, checked in the tests
against the schema.org vocabulary (types, the properties each type has, their ranges) and
Google's required properties:

- the practice is a ``MedicalOrganization`` whose clinics are its ``department``s; each clinic is
  a ``MedicalClinic`` (a LocalBusiness, so it has its address, as Google requires);
- a clinician is a ``Person`` (``jobTitle``, ``honorificSuffix``, ``worksFor``, ``knowsAbout``);
  a physician is also an ``IndividualPhysician`` (``practicesAt`` their clinics): schema.org's
  ``Physician`` alone is a medical organisation, which has neither a job title nor a suffix;
- a special is an ``Offer`` whose ``itemOffered`` is a ``Service`` naming the procedure
  (schema.org: Product, Service, ... not a MedicalProcedure);
- an event has ``offers`` (free or priced), ``eventStatus`` and ``eventAttendanceMode``;
- enumeration values are schema.org URLs (``https://schema.org/Monday``,
  ``https://schema.org/PlasticSurgery``), never bare words.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from pipeline.content.models import DAYS, Event, Location, Post, Practice, Procedure, Special, TeamMember

CONTEXT = "https://schema.org"
# MedicalProcedureType's members; a surgical procedure says so by its type, SurgicalProcedure.
_PROCEDURE_TYPE = {
    "noninvasive": "https://schema.org/NoninvasiveProcedure",
    "percutaneous": "https://schema.org/PercutaneousProcedure",
    "surgical": None,
}
SCHEMA = "https://schema.org/"


def enum(value: str | None) -> str | None:
    """An enumeration member as schema.org names it: ``PlasticSurgery`` -> its URL."""
    return None if not value else value if value.startswith(SCHEMA) else SCHEMA + value


def specialties(values) -> list[str]:
    return [enum(v) for v in (values or []) if v]


def _prune(node: dict) -> dict:
    return {k: v for k, v in node.items() if v not in (None, "", [], {})}


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def ref(node_id: str) -> dict:
    return {"@id": node_id}


def postal_address(location: Location) -> dict:  # or an event's Venue: both have .address
    a = location.address
    return {
        "@type": "PostalAddress",
        "streetAddress": a.street,
        "addressLocality": a.city,
        "addressRegion": a.region,
        "postalCode": a.postal_code,
        "addressCountry": a.country,
    }


def opening_hours(location: Location) -> list[dict]:
    """One OpeningHoursSpecification per distinct opening time, days grouped."""
    groups: dict[str, list[str]] = {}
    for day in DAYS:
        if day in location.hours:
            groups.setdefault(location.hours[day], []).append(enum(day.capitalize()))
    specs = []
    for hours, days in groups.items():
        opens, closes = hours.split("-")
        specs.append(
            {"@type": "OpeningHoursSpecification", "dayOfWeek": days, "opens": opens, "closes": closes}
        )
    return specs


def service(name: str, url: str) -> dict:
    return {"@type": "MedicalProcedure", "@id": url + "#procedure", "name": name, "url": url}


def practice_node(
    practice: Practice,
    node_id: str,
    url: str,
    logo_url: str | None,
    clinic_ids: list[str],
    services: list[dict] | None = None,
) -> dict:
    """The practice: an organisation whose clinics (each a MedicalClinic with an address) are its departments."""
    return _prune(
        {
            "@type": "MedicalOrganization",
            "@id": node_id,
            "name": practice.name,
            "description": practice.description,
            "url": url,
            "logo": logo_url,
            "telephone": practice.phone,
            "email": practice.email,
            "medicalSpecialty": specialties(practice.specialties),
            "department": [ref(i) for i in clinic_ids],
        }
    )


def clinic(
    location: Location, practice: Practice, node_id: str, url: str, practice_id: str, services: list[dict]
) -> dict:
    return _prune(
        {
            "@type": "MedicalClinic",
            "@id": node_id,
            "name": f"{practice.name} — {location.name}",
            "url": url,
            "telephone": location.phone,
            "email": location.email,
            "address": postal_address(location),
            "geo": {"@type": "GeoCoordinates", "latitude": location.geo.lat, "longitude": location.geo.lng}
            if location.geo
            else None,
            "hasMap": location.map_url,
            "openingHoursSpecification": opening_hours(location),
            "medicalSpecialty": specialties(practice.specialties),
            "availableService": services,
            "parentOrganization": ref(practice_id),
        }
    )


def procedure(record: Procedure, url: str, image_url: str | None) -> dict:
    return _prune(
        {
            "@type": "SurgicalProcedure" if record.procedure_type == "surgical" else "MedicalProcedure",
            "@id": url + "#procedure",
            "name": record.name,
            "description": record.summary,
            "url": url,
            "image": image_url,
            "bodyLocation": ", ".join(record.body_areas),
            "procedureType": _PROCEDURE_TYPE[record.procedure_type],
            "howPerformed": record.how_performed,
            "preparation": record.preparation,
            "followup": record.followup,
        }
    )


def person(
    member: TeamMember,
    node_id: str,
    url: str,
    image_url: str | None,
    practice_id: str,
    clinic_ids: list[str],
    description: str | None = None,
    knows_about: list[dict] | None = None,
    address: dict | None = None,
) -> dict:
    """A clinician as a ``Person``; a physician also as an ``IndividualPhysician`` practising at their
    clinics (whose official address, schema.org says, is ``address``: their main clinic's)."""
    node = {
        "@type": "Person",
        "@id": node_id,
        "name": member.name,
        "url": url,
        "image": image_url,
        "jobTitle": member.role,
        "description": description,
        "honorificSuffix": member.credentials or None,
        "worksFor": ref(practice_id),
        "workLocation": [ref(i) for i in clinic_ids],
        "knowsAbout": knows_about,
    }
    if member.is_physician:
        node.update(
            {
                "@type": ["Person", "IndividualPhysician"],
                "practicesAt": [ref(i) for i in clinic_ids],
                "isAcceptingNewPatients": member.accepting_new_patients,
                "medicalSpecialty": enum(member.specialty),
                "address": address,
            }
        )
    return _prune(node)


def blog_posting(
    post: Post,
    url: str,
    image_url: str | None,
    author: dict,
    publisher_id: str,
    published: dt.datetime,
    modified: dt.datetime | None,
    about: list[dict],
) -> dict:
    return _prune(
        {
            "@type": "BlogPosting",
            "@id": url + "#post",
            "headline": post.title,
            "description": post.summary,
            "url": url,
            "mainEntityOfPage": url,
            "image": image_url,
            "datePublished": _iso(published),
            "dateModified": _iso(modified or published),
            "author": author,
            "publisher": ref(publisher_id),
            "articleSection": post.category,
            "keywords": post.tags,
            "about": about,
        }
    )


def _money(value: Decimal) -> str:
    """schema.org prices: digits and a '.' only, no currency symbol."""
    return f"{value.quantize(Decimal('0.01'))}"


def offered_service(name: str, url: str, provider_id: str) -> dict:
    """What an offer sells: a ``Service`` naming the procedure (an Offer's itemOffered is a Product,
    Service ... in schema.org, not a MedicalProcedure)."""
    return {"@type": "Service", "name": name, "serviceType": name, "url": url, "provider": ref(provider_id)}


def offer(
    special: Special,
    url: str,
    image_url: str | None,
    valid_from: dt.datetime,
    valid_through: dt.datetime,
    items: list[dict],
    practice_id: str,
    clinics: list[dict],
) -> dict:
    """A special as an ``Offer`` with validFrom, validThrough and priceSpecification.

    ``valid_from``/``valid_through`` are the first and last second of the offer in the
    practice's time zone; ``items`` are the services offered (``offered_service``);
    ``clinics`` the eligible clinics as {"@id", "name", "address"} nodes.
    """
    terms = special.offer
    sale = terms.sale_price
    unit = {"unitText": terms.per} if terms.per else {}
    specs = [
        {"@type": "UnitPriceSpecification", "price": _money(sale), "priceCurrency": terms.currency, **unit},
        {
            "@type": "UnitPriceSpecification",
            "priceType": "https://schema.org/StrikethroughPrice",
            "price": _money(terms.regular_price),
            "priceCurrency": terms.currency,
            **unit,
        },
    ]
    cities = []
    for node in clinics:
        address = node.get("address") or {}
        city = {"@type": "City", "name": address.get("addressLocality")}
        if address.get("addressLocality") and city not in cities:
            cities.append(city)
    return _prune(
        {
            "@type": "Offer",
            "@id": url + "#offer",
            "name": special.title,
            "description": special.summary,
            "url": url,
            "image": image_url,
            "price": _money(sale),
            "priceCurrency": terms.currency,
            "priceSpecification": specs,
            "validFrom": _iso(valid_from),
            "validThrough": _iso(valid_through),
            "itemOffered": items,
            "offeredBy": ref(practice_id),
            "availableAtOrFrom": [ref(node["@id"]) for node in clinics],
            "areaServed": cities,
        }
    )


_EVENT_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
    "rescheduled": "https://schema.org/EventRescheduled",
}


def event(
    record: Event,
    url: str,
    image_url: str | None,
    place: dict | None,
    organizer: dict,
    performers: list[dict],
    about: list[dict],
    currency: str = "USD",
    announced: dt.datetime | None = None,
) -> dict:
    """An ``Event`` with name, startDate and location (Google's required properties for event rich
    results), its status, attendance mode and ``offers``: free (price 0) or its price.

    ``place`` is a Place/MedicalClinic node with an address, or None for an online-only event.
    """
    locations = [place] if place else []
    if record.online_url:
        locations.append({"@type": "VirtualLocation", "url": record.online_url})
    mode = "Mixed" if place and record.online_url else "Online" if record.online_url else "Offline"
    return _prune(
        {
            "@type": "Event",
            "@id": url + "#event",
            "name": record.title,
            "description": record.summary,
            "url": url,
            "image": image_url,
            "startDate": _iso(record.start),
            "endDate": _iso(record.end),
            "eventStatus": _EVENT_STATUS[record.event_status],
            "eventAttendanceMode": f"https://schema.org/{mode}EventAttendanceMode",
            "location": locations[0] if len(locations) == 1 else locations,
            "organizer": organizer,
            "performer": performers,
            "maximumAttendeeCapacity": record.capacity,
            "isAccessibleForFree": not record.price,
            "offers": _prune(
                {
                    "@type": "Offer",
                    "url": url,
                    "price": _money(record.price or Decimal(0)),
                    "priceCurrency": currency,
                    "validFrom": _iso(announced),
                    # Google's event offers: availability InStock while places are open.
                    "availability": "https://schema.org/InStock"
                    if record.event_status != "cancelled"
                    else "https://schema.org/Discontinued",
                }
            ),
            "about": about,
        }
    )


def place(name: str, address: dict, node_id: str | None = None, schema_type: str = "Place") -> dict:
    return _prune({"@type": schema_type, "@id": node_id, "name": name, "address": address})


def breadcrumb_list(trail: list[tuple[str, str]]) -> dict:
    """``BreadcrumbList`` from (name, absolute URL) pairs, home first."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": url}
            for i, (name, url) in enumerate(trail, start=1)
        ],
    }


def graph(nodes: list[dict]) -> dict:
    return {"@context": CONTEXT, "@graph": nodes}


def script_body(data: dict) -> str:
    """JSON safe to put inside <script type="application/ld+json">: no '</script>' breakout."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
