"""The pure core: fields in, a verdict out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.inquiry.fields import TOUCH_KEYS, attribution_fields, hidden_fields
from pipeline.inquiry.filltime import TOKEN_MAX_AGE, derive_key, issue_token, token_age
from pipeline.inquiry.validate import BodyError, clean_text, decode_body, parse_click, parse_inquiry
from tests.pipeline.inquiry.conftest import VALID

WHEN = datetime(2026, 11, 5, 14, 3, 22, 987000, tzinfo=UTC)


def check(values, min_fill=3.0):
    return parse_inquiry(
        values, record_id="id-1", received_at=WHEN, min_fill_seconds=min_fill, phone_region="US"
    )


def test_hidden_field_names():
    names = attribution_fields()
    assert names[:3] == ("ft_utm_id", "ft_utm_source", "ft_utm_medium")
    assert "ft_gclid" in names and "lt_li_fat_id" in names and "lt_ref" in names and "lt_timestamp" in names
    assert len(names) == 2 * len(TOUCH_KEYS) == len(set(names))
    assert hidden_fields()[:3] == ("form", "form_page", "fill_ms")


def test_valid_submission_is_normalized():
    verdict = check(VALID)
    assert verdict.outcome == "accepted" and verdict.errors == {}
    record = verdict.record
    assert record["id"] == "id-1" and record["received_at"] == "2026-11-05T14:03:22Z"
    assert record["email"] == "Jane.Doe@example.com"  # domain lower-cased, local part kept
    assert record["phone"] == "+12125550123"
    assert record["contact_method"] == "phone"
    assert (
        record["attribution"]["first"]["landing_page"]
        == "/?utm_source=google&utm_campaign=spring&gclid=AbC-123_xYz"
    )
    assert set(record["attribution"]["latest"]) == set(TOUCH_KEYS)


def test_international_phone_and_region():
    assert check({**VALID, "phone": "+44 20 7946 0958"}).record["phone"] == "+442079460958"
    gb = parse_inquiry(
        {**VALID, "phone": "020 7946 0958"},
        record_id="x",
        received_at=WHEN,
        min_fill_seconds=0,
        phone_region="GB",
    )
    assert gb.record["phone"] == "+442079460958"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"name": "   "}, "name"),
        ({"email": "jane@example"}, "email"),
        ({"phone": "555-1234"}, "phone"),
        ({"phone": "", "contact_method": "phone"}, "phone"),
        ({"email": "", "contact_method": "email"}, "email"),
        ({"contact_method": "pigeon"}, "contact_method"),
        ({"consent_contact": ""}, "consent_contact"),
        ({"contact_method": "sms"}, "consent_sms"),
        ({"form": "giveaway"}, "form"),
        ({"interest": "x" * 201}, "interest"),
    ],
)
def test_each_mistake_names_its_field(changes, field):
    verdict = check({**VALID, **changes})
    assert verdict.outcome == "invalid" and verdict.record is None
    assert field in verdict.errors and verdict.errors[field]


def test_sms_with_consent_is_accepted():
    record = check({**VALID, "contact_method": "sms", "consent_sms": "yes"}).record
    assert record["contact_method"] == "sms" and record["consent_sms"] is True


def test_honeypot_wins_over_everything():
    assert check({"website": "http://x", "email": "bad"}).outcome == "honeypot"


@pytest.mark.parametrize(
    "fill, outcome",
    [
        ("3000", "accepted"),
        ("2999", "too_fast"),
        ("0", "too_fast"),
        ("-5", "too_fast"),
        ("NaN", "too_fast"),
        ("soon", "too_fast"),
        ("inf", "too_fast"),
    ],
)
def test_minimum_fill_time(fill, outcome):
    assert check({**VALID, "fill_ms": fill}).outcome == outcome


def test_missing_fill_time_or_hidden_fields_count_as_too_fast():
    """Only the script measures the fill time, and the form always carries every hidden field: a post
    without ``fill_ms``, or without any hidden field, did not come from it and is refused as too fast,
    whatever it says about attribution."""
    assert check(VALID).outcome == "accepted"
    assert check({k: v for k, v in VALID.items() if k != "fill_ms"}).outcome == "too_fast"
    assert check({**VALID, "fill_ms": ""}).outcome == "too_fast"
    no_attribution = {k: v for k, v in VALID.items() if not k.startswith(("ft_", "lt_"))}
    assert check(no_attribution).outcome == "too_fast"
    for name in hidden_fields():
        assert check({k: v for k, v in VALID.items() if k != name}).outcome == "too_fast", name
    # The fields a form without JavaScript sends: every hidden field, empty.
    assert check({**VALID, **dict.fromkeys(hidden_fields(), ""), "form": "contact"}).outcome == "too_fast"
    assert check({k: v for k, v in VALID.items() if k != "fill_ms"}, min_fill=0).outcome == "accepted"


def test_a_valid_fill_token_measures_the_time_instead():
    no_js = {**VALID, **dict.fromkeys(hidden_fields(), ""), "form": "contact"}

    def with_token(seconds):
        return parse_inquiry(
            no_js,
            record_id="x",
            received_at=WHEN,
            min_fill_seconds=3,
            phone_region="US",
            token_seconds=seconds,
        )

    assert with_token(3.0).outcome == "accepted" and with_token(2.9).outcome == "too_fast"
    # Field mistakes are reported before the fill time: the visitor fixes them first.
    assert check({**no_js, "email": "jane@"}).outcome == "invalid"


def test_fill_tokens_are_signed_and_expire():
    key, other = derive_key("one"), derive_key("two")
    token = issue_token(key, 1000.0)
    assert token_age(token, [key], 1004.5) == pytest.approx(4.5)
    assert token_age(token, [other, key], 1001.0) == pytest.approx(1.0)  # previous keys still verify
    assert token_age(token, [other], 1004.0) is None
    stamp, signature = token.split(".")
    assert token_age(f"{int(stamp) - 60_000}.{signature}", [key], 1004.0) is None  # an older time, forged
    assert token_age(token, [key], 999.0) is None  # from the future
    assert token_age(token, [key], 1000.0 + TOKEN_MAX_AGE + 1) is None
    for junk in ("", ".", "1.", "x.y", "١٠٠٠." + signature, None, "1" * 40 + "." + signature):
        assert token_age(junk, [key], 1004.0) is None


def test_attribution_is_kept_exactly_or_dropped():
    values = {
        **VALID,
        "ft_gclid": "  Cj0KCQ-AbCdEf_gH  ",
        "ft_fbclid": "IwAR" + "x" * 600,  # over the limit: dropped, not cut
        "ft_referrer": "https://www.google.com/search?q=botox+side+effects",
        "lt_referrer": "javascript:alert(1)",
        "ft_landing_page": "https://www.example.com/procedures/?utm_source=fb&condition=rosacea&ref=DRSMITH#top",
        "lt_landing_page": "javascript:alert(1)//x",
        "lt_timestamp": "yesterday",
        "lt_ref": "DrSmith",
    }
    first, latest = (check(values).record["attribution"][k] for k in ("first", "latest"))
    assert first["gclid"] == "Cj0KCQ-AbCdEf_gH"
    assert first["fbclid"] is None
    assert first["referrer"] == "https://www.google.com/search"
    assert latest["referrer"] is None
    assert first["landing_page"] == "/procedures/?utm_source=fb&ref=DRSMITH"
    assert latest["landing_page"] is None
    assert latest["timestamp"] is None
    assert latest["ref"] == "DrSmith"


def test_text_is_cleaned():
    assert clean_text("  Jane\x00\u200b  \t Doe \r\n") == "Jane \u200b Doe"
    assert clean_text("Line 1\r\nLine 2  \r\n\x07", multiline=True) == "Line 1\nLine 2"
    assert clean_text("e\u0301") == "\u00e9"  # NFC
    assert clean_text("\ud800x") == "\ufffdx"  # a lone surrogate cannot reach the store
    assert clean_text(None) == ""


def test_decode_body_formats():
    assert decode_body(b"a=1&b=%C3%A9&a=2", "application/x-www-form-urlencoded", 100) == {"a": "2", "b": "é"}
    assert decode_body(b"b=%E9", "application/x-www-form-urlencoded; charset=ISO-8859-1", 100) == {"b": "é"}
    assert decode_body(b'{"a": true, "b": 3, "c": null}', "application/json", 100) == {
        "a": "true",
        "b": "3",
        "c": "",
    }
    assert decode_body(b'{"kind":"phone"}', "text/plain;charset=UTF-8", 100) == {"kind": "phone"}


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        (b"x" * 101, "application/x-www-form-urlencoded", 413),
        (b"a=%FF", "application/x-www-form-urlencoded", 400),
        (b"\xff\xfe", "application/x-www-form-urlencoded", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"a": {"b": 1}}', "application/json", 400),
        (b"[" * 90 + b"]" * 90, "application/json", 400),
        (b"a=1", "multipart/form-data; boundary=x", 415),
        (b"a=1", "application/x-www-form-urlencoded; charset=utf-7", 415),
        (b"&".join(b"f%d=1" % i for i in range(12)), "application/x-www-form-urlencoded", 400),
    ],
)
def test_decode_body_refusals(body, content_type, status, monkeypatch):
    monkeypatch.setattr("pipeline.inquiry.validate.MAX_FIELDS", 10)
    with pytest.raises(BodyError) as caught:
        decode_body(body, content_type, 100 if status == 413 else 10_000)
    assert caught.value.status == status


def test_click_record():
    verdict = parse_click(
        {
            "kind": "Directions",
            "page": "/locations/x/?q=1",
            "target": "https://maps.example.com/?q=a",
            "name": "Jane",
        },
        record_id="c1",
        received_at=WHEN,
    )
    assert verdict.outcome == "accepted"
    assert verdict.record["kind"] == "directions" and verdict.record["page"] == "/locations/x/"
    assert verdict.record["target"] == "maps.example.com"
    assert "name" not in verdict.record
    assert parse_click({"kind": "lead"}, record_id="c2", received_at=WHEN).outcome == "invalid"
