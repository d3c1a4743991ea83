"""INQUIRY_* settings: defaults, environment strings, and messages that name the key."""

from __future__ import annotations

import pytest

from pipeline.errors import PipelineError
from pipeline.inquiry import InquiryError, load_config
from pipeline.inquiry.config import RateLimit, normalize_origin


def test_defaults_need_no_setup():
    config = load_config({})
    assert config.store == "internal/inquiries"
    assert config.receiver_url == "/api/inquiry" and config.beacon_url == "/api/beacon"
    assert config.rate_limit == RateLimit(10, 3600)
    assert config.origins == () and config.notify_email == ""
    assert config.sse == "aws:kms" and config.phone_region == "US"


def test_environment_strings():
    config = load_config(
        {
            "INQUIRY_ORIGINS": "https://www.example.com, HTTPS://Example.com:443/",
            "INQUIRY_MIN_FILL_SECONDS": "2.5",
            "INQUIRY_MAX_BYTES": "32768",
            "INQUIRY_RATE_LIMIT": "5/minute",
            "INQUIRY_RECEIVER_URL": "https://abc.lambda-url.us-east-1.on.aws/api/inquiry",
            "INQUIRY_NOTIFY_EMAIL": "frontdesk@example.com",
            "PATH": "/usr/bin",  # other variables are ignored
        }
    )
    assert config.origins == ("https://example.com", "https://www.example.com")
    assert config.min_fill_seconds == 2.5 and config.max_bytes == 32768
    assert config.rate_limit == RateLimit(5, 60)
    assert config.beacon_url == "https://abc.lambda-url.us-east-1.on.aws/api/beacon"
    assert config.notify_from == "frontdesk@example.com"


@pytest.mark.parametrize(
    "settings, key",
    [
        ({"INQUIRY_RATE_LIMIT": "ten"}, "INQUIRY_RATE_LIMIT"),
        ({"INQUIRY_RATE_LIMIT": "0/hour"}, "INQUIRY_RATE_LIMIT"),
        ({"INQUIRY_ORIGINS": ["www.example.com"]}, "INQUIRY_ORIGINS"),
        ({"INQUIRY_ORIGINS": ["https://example.com/contact/"]}, "INQUIRY_ORIGINS"),
        ({"INQUIRY_ORIGINS": 5}, "INQUIRY_ORIGINS"),
        ({"INQUIRY_STORE": "s3://Bad_Bucket"}, "INQUIRY_STORE"),
        ({"INQUIRY_STORE": ""}, "INQUIRY_STORE"),
        ({"INQUIRY_MAX_BYTES": "lots"}, "INQUIRY_MAX_BYTES"),
        ({"INQUIRY_MAX_BYTES": 10}, "INQUIRY_MAX_BYTES"),
        ({"INQUIRY_MIN_FILL_SECONDS": True}, "INQUIRY_MIN_FILL_SECONDS"),
        ({"INQUIRY_THANK_YOU_URL": "thank-you"}, "INQUIRY_THANK_YOU_URL"),
        ({"INQUIRY_THANK_YOU_URL": "//evil.example/"}, "INQUIRY_THANK_YOU_URL"),
        ({"INQUIRY_NOTIFY_EMAIL": "front desk"}, "INQUIRY_NOTIFY_EMAIL"),
        ({"INQUIRY_PHONE_REGION": "USA"}, "INQUIRY_PHONE_REGION"),
        ({"INQUIRY_SSE": "none"}, "INQUIRY_SSE"),
        ({"INQUIRY_ATTRIBUTION_DAYS": 0}, "INQUIRY_ATTRIBUTION_DAYS"),
    ],
)
def test_mistakes_name_the_key(settings, key):
    with pytest.raises(InquiryError) as caught:
        load_config(settings)
    assert key in str(caught.value)
    assert isinstance(caught.value, PipelineError)


@pytest.mark.parametrize(
    "raw, origin",
    [
        ("https://Example.com", "https://example.com"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
        ("https://example.com:443", "https://example.com"),
        ("null", ""),
        ("file://", ""),
        ("https://user@example.com", ""),
        ("https://example.com:99999", ""),
    ],
)
def test_normalize_origin(raw, origin):
    assert normalize_origin(raw) == origin
