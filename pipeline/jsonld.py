"""schema.org JSON-LD for the practice, its clinics, procedures, team and posts.

Pure functions from validated records and absolute URLs to plain dicts. Property choices
follow REFERENCE.md ("Structured data"): MedicalClinic has availableService and
medicalSpecialty; Physician has practicesAt and isAcceptingNewPatients; MedicalProcedure
has bodyLocation, procedureType, howPerformed, preparation and followup.
"""

from __future__ import annotations

import datetime as dt
import json

from pipeline.content.models import DAYS, Location, Post, Practice, Procedure, TeamMember

CONTEXT = "https://schema.org"
_PROCEDURE_TYPE = {
    "noninvasive": "https://schema.org/NoninvasiveProcedure",
    "percutaneous": "https://schema.org/PercutaneousProcedure",
    "surgical": "https://schema.org/SurgicalProcedure",
}


def _prune(node: dict) -> dict:
    return {k: v for k, v in node.items() if v not in (None, "", [], {})}


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def ref(node_id: str) -> dict:
    return {"@id": node_id}


def postal_address(location: Location) -> dict:
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
            groups.setdefault(location.hours[day], []).append(day.capitalize())
    specs = []
    for hours, days in groups.items():
        opens, closes = hours.split("-")
        specs.append({"@type": "OpeningHoursSpecification", "dayOfWeek": days, "opens": opens, "closes": closes})
    return specs


def service(name: str, url: str) -> dict:
    return {"@type": "MedicalProcedure", "@id": url + "#procedure", "name": name, "url": url}


def practice_node(practice: Practice, node_id: str, url: str, logo_url: str | None,
                  clinic_ids: list[str], services: list[dict]) -> dict:
    return _prune({
        "@type": "MedicalClinic",
        "@id": node_id,
        "name": practice.name,
        "description": practice.description,
        "url": url,
        "logo": logo_url,
        "telephone": practice.phone,
        "email": practice.email,
        "medicalSpecialty": practice.specialties,
        "availableService": services,
        "subOrganization": [ref(i) for i in clinic_ids],
    })


def clinic(location: Location, practice: Practice, node_id: str, url: str, practice_id: str,
           services: list[dict]) -> dict:
    return _prune({
        "@type": "MedicalClinic",
        "@id": node_id,
        "name": f"{practice.name} — {location.name}",
        "url": url,
        "telephone": location.phone,
        "email": location.email,
        "address": postal_address(location),
        "geo": {"@type": "GeoCoordinates", "latitude": location.geo.lat, "longitude": location.geo.lng}
        if location.geo else None,
        "hasMap": location.map_url,
        "openingHoursSpecification": opening_hours(location),
        "medicalSpecialty": practice.specialties,
        "availableService": services,
        "parentOrganization": ref(practice_id),
    })


def procedure(record: Procedure, url: str, image_url: str | None) -> dict:
    return _prune({
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
    })


def person(member: TeamMember, node_id: str, url: str, image_url: str | None, practice_id: str,
           clinic_ids: list[str], description: str | None = None) -> dict:
    node = {
        "@id": node_id,
        "name": member.name,
        "url": url,
        "image": image_url,
        "jobTitle": member.role,
        "description": description,
        "honorificSuffix": member.credentials or None,
    }
    if member.is_physician:
        node.update({
            "@type": "Physician",
            "practicesAt": [ref(i) for i in clinic_ids],
            "isAcceptingNewPatients": member.accepting_new_patients,
            "medicalSpecialty": member.specialty,
        })
    else:
        node.update({
            "@type": "Person",
            "worksFor": ref(practice_id),
            "workLocation": [ref(i) for i in clinic_ids],
        })
    return _prune(node)


def blog_posting(post: Post, url: str, image_url: str | None, author: dict, publisher_id: str,
                 published: dt.datetime, modified: dt.datetime | None, about: list[dict]) -> dict:
    return _prune({
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
    })


def graph(nodes: list[dict]) -> dict:
    return {"@context": CONTEXT, "@graph": nodes}


def script_body(data: dict) -> str:
    """JSON safe to put inside <script type="application/ld+json">: no '</script>' breakout."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
