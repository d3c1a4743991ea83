"""Every JSON-LD node of the demo build against the schema.org vocabulary itself (release 30.0) and
Google's required properties (tests/support/schemaorg.py says how each is checked)."""

from __future__ import annotations

import json

import pytest
from lxml import html

import runner
from tests.support.schemaorg import VOCABULARY, check_documents, nodes


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, list]:
    output = tmp_path_factory.mktemp("structured") / "output"
    runner.build(
        "publishconf.py",
        {
            "OUTPUT_PATH": str(output),
            "INTERNAL_PATH": str(output.parent / "internal"),
            "AS_OF_DATE": "2026-11-22",
            "SEARCH_INDEX": False,
        },
    )
    found = {}
    for page in sorted(output.rglob("*.html")):
        scripts = html.fromstring(page.read_bytes()).xpath('//script[@type="application/ld+json"]')
        if scripts:
            found[page.relative_to(output).as_posix()] = [json.loads(s.text) for s in scripts]
    return found


def _of_type(documents, kind):
    return [
        n
        for docs in documents.values()
        for n in nodes(docs)
        if kind in ([n["@type"]] if isinstance(n.get("@type"), str) else n.get("@type", []))
    ]


def test_every_node_of_the_demo_site_fits_the_schema_org_vocabulary_and_googles_requirements(documents):
    assert len(documents) > 50
    assert check_documents(documents) == []


def test_the_vocabulary_file_is_the_release_and_small_enough_to_keep():
    assert VOCABULARY.stat().st_size < 2_000_000
    graph = json.loads(VOCABULARY.read_text())["@graph"]
    assert len(graph) > 3000 and any(n["@id"] == "schema:IndividualPhysician" for n in graph)


def test_the_practice_is_an_organisation_whose_clinics_have_their_address(documents):
    (practice,) = {
        n["@id"]: n for n in _of_type(documents, "MedicalOrganization") if "department" in n
    }.values()
    clinics = {n["@id"]: n for n in _of_type(documents, "MedicalClinic") if "address" in n}
    assert {d["@id"] for d in practice["department"]} == set(clinics) and len(clinics) == 2
    assert all(
        c["address"]["streetAddress"] and c["parentOrganization"]["@id"] == practice["@id"]
        for c in clinics.values()
    )
    assert "https://schema.org/PlasticSurgery" in practice["medicalSpecialty"]


def test_clinicians_are_people_and_physicians_individual_physicians(documents):
    people = {n["@id"]: n for n in _of_type(documents, "Person") if "jobTitle" in n}
    physicians = [n for n in people.values() if "IndividualPhysician" in n["@type"]]
    assert physicians and len(physicians) < len(people)
    for node in physicians:
        assert node["practicesAt"] and node["honorificSuffix"] and node["address"]["streetAddress"]
    assert all(n["worksFor"]["@id"].endswith("#practice") for n in people.values())
    assert any(n.get("knowsAbout") for n in people.values())


def test_offers_sell_a_service_and_events_have_offers_status_and_attendance_mode(documents):
    offers = [n for n in _of_type(documents, "Offer") if n.get("itemOffered")]
    assert offers and all(i["@type"] == "Service" and i["name"] for o in offers for i in o["itemOffered"])
    events = {n["@id"]: n for n in _of_type(documents, "Event") if "startDate" in n}
    assert events
    for event in events.values():
        assert event["offers"]["@type"] == "Offer" and event["offers"]["price"] == "0.00"
        assert event["eventStatus"].startswith("https://schema.org/Event")
        assert event["eventAttendanceMode"].endswith("EventAttendanceMode")


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (
            {
                "@type": "Physician",
                "@id": "#a",
                "name": "Dr A",
                "jobTitle": "Surgeon",
                "address": {"@type": "PostalAddress"},
            },
            "jobTitle is not a property of Physician",
        ),
        (
            {"@type": "Offer", "itemOffered": {"@type": "MedicalProcedure", "name": "Botox"}},
            "itemOffered: a MedicalProcedure is not one of",
        ),
        ({"@type": "MedicalClinic", "@id": "#c", "name": "Clinic"}, "Google requires address"),
        (
            {"@type": "Event", "@id": "#e", "name": "Talk", "location": {"@type": "Place", "name": "Hall"}},
            "Google requires startDate",
        ),
        (
            {"@type": "OpeningHoursSpecification", "dayOfWeek": "Monday"},
            "dayOfWeek: 'Monday' is not a value of",
        ),
        ({"@type": "MedicalSpa", "name": "X"}, "@type MedicalSpa is not a schema.org type"),
        (
            {
                "@type": "Event",
                "@id": "#e",
                "name": "Talk",
                "startDate": "next week",
                "location": "https://x.example",
            },
            "startDate: 'next week' is not a value of",
        ),
        (
            {
                "@type": "Event",
                "@id": "#e",
                "name": "Talk",
                "startDate": "2026-12-10T17:30:00-08:00",
                "location": {"@type": "Place", "name": "Hall", "address": {"@type": "PostalAddress"}},
                "eventStatus": "https://schema.org/Monday",
            },
            "eventStatus: Monday is a DayOfWeek",
        ),
    ],
)
def test_the_checker_finds_what_schema_org_and_google_would_reject(node, expected):
    problems = check_documents({"page.html": [{"@context": "https://schema.org", "@graph": [node]}]})
    assert any(expected in p for p in problems), problems
