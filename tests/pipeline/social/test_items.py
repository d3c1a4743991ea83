"""What may be posted on the build's day, and the front matter's social: block."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.consent import parse_ledger
from pipeline.content import models
from pipeline.social.items import case_consent, offer_text, skip_reason
from tests.support.sitefactory import FILES


def record(kind: str, **changes):
    model = {"post": models.Post, "special": models.Special, "event": models.Event}[kind]
    rel = {"post": "blog/botox-myths.md", "special": "specials/botox-november.md", "event": "events/open-house.md"}[kind]
    return model.model_validate({**FILES[rel], **changes})


@pytest.mark.parametrize(("kind", "phase", "allowed"), [
    ("post", "published", True), ("post", "scheduled", False), ("post", "draft", False),
    ("special", "current", True), ("special", "expired", False), ("special", "scheduled", False),
    ("event", "upcoming", True), ("event", "past", False),
])
def test_only_published_posts_current_specials_and_upcoming_events(kind, phase, allowed):
    assert (skip_reason(kind, phase, record(kind)) is None) is allowed


def test_social_false_and_cancelled_events_are_left_out():
    assert skip_reason("post", "published", record("post", social=False)) == "marked social: false"
    assert "cancelled" in skip_reason("event", "upcoming", record("event", event_status="cancelled"))


def test_social_block_is_validated_in_front_matter():
    post = record("post", social={"networks": ["Instagram", "x"], "at": "2026-12-01 10:00",
                                  "caption": {"x": "Short"}, "hashtags": ["MedSpa"], "focus": [0.2, 0.3]})
    assert post.social.networks == ["instagram", "x"] and post.social.at == dt.datetime(2026, 12, 1, 10, 0)
    for bad in ({"networks": ["myspace"]}, {"focus": [2, 0]}, {"hashtags": ["two words"]},
                {"caption": {"tiktok": "x"}}, {"campaign": "acne-week"}, {"when": "soon"}):
        with pytest.raises(ValueError):
            record("post", social=bad)


LEDGER = parse_ledger("""
- {id: C-WEB, scope: web, granted: 2025-01, expires: 2028-01, revoked: false}
- {id: C-BOTH, scope: both, granted: 2025-01, expires: 2028-01, revoked: false}
- {id: C-SOC, scope: social, granted: 2025-01, expires: 2028-01, revoked: false}
- {id: C-OFF, scope: both, granted: 2025-01, expires: 2028-01, revoked: 2026-02}
""", "consent.yml")


@pytest.mark.parametrize(("consent", "allowed"), [("C-WEB", False), ("C-BOTH", True), ("C-SOC", True), ("C-OFF", False)])
def test_cases_need_a_consent_in_scope_for_social(consent, allowed):
    case = models.GalleryCase.model_validate({
        "procedure": "botox", "provider": "kim-park", "body_areas": ["forehead"], "sessions": 1,
        "time_since_treatment": "2 weeks", "age_range": "40-49", "description": "Softer lines.", "consent": consent,
        "pairs": [{"before": {"src": "b.jpg", "alt": "Before"}, "after": {"src": "a.jpg", "alt": "After"}}]})
    reason = case_consent(case, LEDGER, dt.date(2026, 11, 22), "content/gallery/x/case.yml")
    assert (reason is None) is allowed
    if consent == "C-WEB":
        assert reason == "consent C-WEB not in scope for social (scope: web)"


def test_offer_text():
    assert offer_text(models.Offer(regular_price=14, price=11, currency="USD", per="unit")) == "$11 a unit instead of $14"
    assert offer_text(models.Offer(regular_price=165, percent_off=25, currency="USD")) == "25% off (regularly $165)"
    assert offer_text(models.Offer(regular_price=199, amount_off=50, currency="EUR")) == "€50 off (regularly €199)"
