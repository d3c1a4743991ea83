"""What may be posted on the build's day, and the front matter's social: block."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.consent import parse_ledger
from pipeline.content import models
from pipeline.social.items import at_clinics, case_consent, offer_text, skip_reason
from tests.support.sitefactory import FILES


def record(kind: str, **changes):
    model = {"post": models.Post, "special": models.Special, "event": models.Event}[kind]
    rel = {
        "post": "blog/botox-myths.md",
        "special": "specials/botox-november.md",
        "event": "events/open-house.md",
    }[kind]
    return model.model_validate({**FILES[rel], **changes})


@pytest.mark.parametrize(
    ("kind", "phase", "allowed"),
    [
        ("post", "published", True),
        ("post", "scheduled", False),
        ("post", "draft", False),
        ("special", "current", True),
        ("special", "expired", False),
        ("special", "scheduled", False),
        ("event", "upcoming", True),
        ("event", "past", False),
    ],
)
def test_only_published_posts_current_specials_and_upcoming_events(kind, phase, allowed):
    assert (skip_reason(kind, phase, record(kind)) is None) is allowed


def test_social_false_and_cancelled_events_are_left_out():
    assert skip_reason("post", "published", record("post", social=False)) == "marked social: false"
    assert "cancelled" in skip_reason("event", "upcoming", record("event", event_status="cancelled"))


def test_social_block_is_validated_in_front_matter():
    post = record(
        "post",
        social={
            "networks": ["Instagram", "x"],
            "at": "2026-12-01 10:00",
            "caption": {"x": "Short"},
            "hashtags": ["MedSpa"],
            "focus": [0.2, 0.3],
        },
    )
    assert post.social.networks == ["instagram", "x"] and post.social.at == dt.datetime(2026, 12, 1, 10, 0)
    for bad in (
        {"networks": ["myspace"]},
        {"focus": [2, 0]},
        {"hashtags": ["two words"]},
        {"caption": {"tiktok": "x"}},
        {"campaign": "acne-week"},
        {"when": "soon"},
    ):
        with pytest.raises(ValueError):
            record("post", social=bad)


LEDGER = parse_ledger(
    """
- {id: C-WEB, scope: web, granted: 2025-01, expires: 2028-01, revoked: false}
- {id: C-BOTH, scope: both, granted: 2025-01, expires: 2028-01, revoked: false}
- {id: C-SOC, scope: social, granted: 2025-01, expires: 2028-01, revoked: false}
- {id: C-OFF, scope: both, granted: 2025-01, expires: 2028-01, revoked: 2026-02}
""",
    "consent.yml",
)


@pytest.mark.parametrize(
    ("consent", "allowed"), [("C-WEB", False), ("C-BOTH", True), ("C-SOC", True), ("C-OFF", False)]
)
def test_cases_need_a_consent_in_scope_for_social(consent, allowed):
    case = models.GalleryCase.model_validate(
        {
            "procedure": "botox",
            "provider": "kim-park",
            "body_areas": ["forehead"],
            "sessions": 1,
            "time_since_treatment": "2 weeks",
            "age_range": "40-49",
            "description": "Softer lines.",
            "consent": consent,
            "pairs": [
                {"before": {"src": "b.jpg", "alt": "Before"}, "after": {"src": "a.jpg", "alt": "After"}}
            ],
        }
    )
    reason = case_consent(case, LEDGER, dt.date(2026, 11, 22), "content/gallery/x/case.yml")
    assert (reason is None) is allowed
    if consent == "C-WEB":
        assert reason == "consent C-WEB not in scope for social (scope: web)"


def test_offer_text():
    assert (
        offer_text(models.Offer(regular_price=14, price=11, currency="USD", per="unit"))
        == "$11 a unit instead of $14"
    )
    assert (
        offer_text(models.Offer(regular_price=165, percent_off=25, currency="USD"))
        == "25% off (regularly $165)"
    )
    assert (
        offer_text(models.Offer(regular_price=199, amount_off=50, currency="EUR"))
        == "€50 off (regularly €199)"
    )


@pytest.mark.parametrize(
    ("names", "text"),
    [
        (["Harbor District Clinic"], "At our Harbor District Clinic."),
        (["Sorrel Valley Med Spa"], "At our Sorrel Valley Med Spa clinic."),
        (["North", "South"], "At our North and South clinics."),
        (["Clinic on Main", "South"], "At our Clinic on Main and South clinic."),
    ],
)
def test_a_place_that_already_says_clinic_gets_no_second_one(names, text):
    assert at_clinics(names) == text


def test_a_case_is_checked_against_its_consent_on_the_day_each_post_goes_out(photo):
    """Consent valid on the export's day but expired before the post's slot: the post is withheld, and
    the contact sheet says why; a post inside the consent's term goes out."""
    from pipeline.social.config import SocialConfig
    from pipeline.social.export import batch_files, plan_export
    from tests.pipeline.social.conftest import TZ, at, item

    ledger = parse_ledger(
        """
- {id: C-ENDS, scope: both, granted: 2025-01, expires: 2026-12-03, revoked: false}
- {id: C-LONG, scope: both, granted: 2025-01, expires: 2028-01, revoked: false}
""",
        "consent.yml",
    )
    now = at(1, 8)  # 2026-12-01: both consents hold today
    early = item(
        kind="case",
        id="early",
        path="content/gallery/early/case.yml",
        consent="C-ENDS",
        photo=photo,
        at=at(2, 9, 30),
        networks=("instagram",),
    )
    late = item(
        kind="case",
        id="late",
        path="content/gallery/late/case.yml",
        consent="C-ENDS",
        photo=photo,
        at=at(4, 9, 30),
        networks=("instagram",),
    )
    fine = item(
        kind="case",
        id="fine",
        path="content/gallery/fine/case.yml",
        consent="C-LONG",
        photo=photo,
        at=at(9, 9, 30),
        networks=("instagram",),
    )
    config = SocialConfig(site_url="https://www.test-aesthetics.example")
    batch = plan_export(
        [early, late, fine],
        config=config,
        day=now.date(),
        now=now,
        tz=TZ,
        timezone="America/Los_Angeles",
        ledger=ledger,
    )
    assert {p.item.id for p in batch.posts} == {"early", "fine"}
    (why,) = [reason for path, reason in batch.skipped if path == late.path]
    assert why == "withheld: it would be posted 2026-12-04 09:30, when C-ENDS expired 2026-12-03"
    assert "case/late" not in batch.exported
    sheet = batch_files(batch, config)["contact-sheet.html"].decode()
    assert "content/gallery/late/case.yml: withheld: it would be posted 2026-12-04 09:30" in sheet
