import json

from pipeline import jsonld
from pipeline.content.models import Location


def test_script_body_cannot_close_the_script_element():
    data = {"name": "</script><script>alert(1)</script> & more"}
    body = jsonld.script_body(data)
    assert "</script>" not in body and "<" not in body and "&" not in body
    assert json.loads(body) == data


def test_opening_hours_group_days_with_the_same_times():
    location = Location.model_validate(
        {
            "name": "X",
            "address": {"street": "1 A St", "city": "B", "region": "C", "postal_code": "1"},
            "phone": "(555) 555-0100",
            "map_url": "https://example.org",
            "hours": {
                "saturday": "10:00-14:00",
                "monday": "9:00-17:00",
                "tuesday": "09:00 - 17:00",
                "sunday": "closed",
            },
        }
    )
    assert jsonld.opening_hours(location) == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Monday", "https://schema.org/Tuesday"],
            "opens": "09:00",
            "closes": "17:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Saturday"],
            "opens": "10:00",
            "closes": "14:00",
        },
    ]
