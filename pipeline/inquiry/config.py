"""Receiver settings: read the INQUIRY_* values once, check them, name the key at fault.

:func:`load_config` takes a plain mapping: Pelican's settings dict (native values) or
``os.environ`` in the Lambda function (strings). It never imports Pelican.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import phonenumbers

from pipeline.inquiry.errors import InquiryError

DEFAULTS: dict[str, Any] = {
    "INQUIRY_RECEIVER_URL": "/api/inquiry",
    "INQUIRY_ORIGINS": (),
    "INQUIRY_STORE": "internal/inquiries",
    "INQUIRY_MIN_FILL_SECONDS": 3,
    "INQUIRY_RATE_LIMIT": "10/hour",
    "INQUIRY_BEACON_RATE_LIMIT": "120/hour",
    "INQUIRY_MAX_BYTES": 65536,
    "INQUIRY_THANK_YOU_URL": "/thank-you/",
    "INQUIRY_ATTRIBUTION_DAYS": 90,
    "INQUIRY_NOTIFY_EMAIL": "",
    "INQUIRY_NOTIFY_FROM": "",
    "INQUIRY_PHONE_REGION": "US",
    "INQUIRY_SSE": "aws:kms",
    "INQUIRY_KMS_KEY_ID": "",
    "INQUIRY_CALL_PHONE": "",
}

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)s?\s*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SSE_MODES = ("AES256", "aws:kms")


@dataclass(frozen=True)
class RateLimit:
    """At most ``count`` requests per ``seconds`` from one client (a token bucket)."""

    count: int
    seconds: int


@dataclass(frozen=True)
class Phone:
    """A number to call: as people write it, and for a ``tel:`` link."""

    display: str
    e164: str


@dataclass(frozen=True)
class ReceiverConfig:
    receiver_url: str
    origins: tuple[str, ...]
    store: str
    min_fill_seconds: float
    rate_limit: RateLimit
    beacon_rate_limit: RateLimit
    max_bytes: int
    thank_you_url: str
    attribution_days: int
    notify_email: str
    notify_from: str
    phone_region: str
    sse: str
    kms_key_id: str
    call_phone: Phone | None = None

    @property
    def beacon_url(self) -> str:
        """The click beacon lives beside the inquiry endpoint: ``/api/inquiry`` -> ``/api/beacon``."""
        return urljoin(self.receiver_url, "beacon")


def load_config(values: Mapping[str, Any] | None = None) -> ReceiverConfig:
    """Read and check the INQUIRY_* settings; missing keys take their defaults."""
    raw = dict(DEFAULTS)
    raw.update({k: v for k, v in (values or {}).items() if k in DEFAULTS and v is not None})
    notify_email = _text(raw, "INQUIRY_NOTIFY_EMAIL")
    notify_from = _text(raw, "INQUIRY_NOTIFY_FROM") or notify_email
    for key, address in (("INQUIRY_NOTIFY_EMAIL", notify_email), ("INQUIRY_NOTIFY_FROM", notify_from)):
        if address and not _EMAIL.match(address):
            raise InquiryError(f"{key} is {address!r}: give one email address (SES must have it verified).")
    region = _region(raw)
    sse = _text(raw, "INQUIRY_SSE")
    if sse not in SSE_MODES:
        raise InquiryError(
            f"INQUIRY_SSE is {sse!r}: use 'aws:kms' (the inquiries bucket's KMS encryption) "
            "or 'AES256' (SSE-S3)."
        )
    return ReceiverConfig(
        receiver_url=_url(raw, "INQUIRY_RECEIVER_URL"),
        origins=_origins(raw["INQUIRY_ORIGINS"]),
        store=_store(raw),
        min_fill_seconds=_number(raw, "INQUIRY_MIN_FILL_SECONDS", 0, 600),
        rate_limit=parse_rate(raw["INQUIRY_RATE_LIMIT"], "INQUIRY_RATE_LIMIT"),
        beacon_rate_limit=parse_rate(raw["INQUIRY_BEACON_RATE_LIMIT"], "INQUIRY_BEACON_RATE_LIMIT"),
        max_bytes=int(_number(raw, "INQUIRY_MAX_BYTES", 4096, 10 * 1024 * 1024, integer=True)),
        thank_you_url=_url(raw, "INQUIRY_THANK_YOU_URL"),
        attribution_days=int(_number(raw, "INQUIRY_ATTRIBUTION_DAYS", 1, 3650, integer=True)),
        notify_email=notify_email,
        notify_from=notify_from,
        phone_region=region,
        sse=sse,
        kms_key_id=_text(raw, "INQUIRY_KMS_KEY_ID") if sse == "aws:kms" else "",
        call_phone=_phone(raw, "INQUIRY_CALL_PHONE", region),
    )


def parse_rate(value: Any, key: str = "INQUIRY_RATE_LIMIT") -> RateLimit:
    """``"10/hour"`` -> RateLimit(10, 3600). Also accepts ``"5/minute"``, ``"100/day"``."""
    match = _RATE.match(str(value))
    if not match or int(match.group(1)) < 1:
        raise InquiryError(
            f"{key} is {value!r}: give a count per period such as '10/hour' "
            "(periods: second, minute, hour, day)."
        )
    return RateLimit(int(match.group(1)), _PERIODS[match.group(2)])


def normalize_origin(origin: str) -> str:
    """``HTTPS://Example.com:443/`` -> ``https://example.com``; '' when it is no http(s) origin."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        return ""
    if parts.query or parts.fragment or parts.username or parts.password:
        return ""
    default = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def _origins(value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple, set, frozenset)):
        raise InquiryError(
            "INQUIRY_ORIGINS must be a list of site origins such as ['https://www.example.com'] "
            "(in the environment: comma-separated)."
        )
    origins = []
    for item in items:
        if not str(item).strip():
            continue
        origin = normalize_origin(str(item))
        if not origin:
            raise InquiryError(
                f"INQUIRY_ORIGINS has {item!r}: give scheme and host only, such as 'https://www.example.com'."
            )
        origins.append(origin)
    return tuple(sorted(set(origins)))


def _store(raw: Mapping[str, Any]) -> str:
    store = _text(raw, "INQUIRY_STORE")
    if not store:
        raise InquiryError(
            "INQUIRY_STORE is empty: give a folder such as 'internal/inquiries' or 's3://bucket/prefix'."
        )
    if store.startswith("s3://"):
        bucket = store[5:].split("/", 1)[0]
        if not re.match(r"^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]$", bucket):
            raise InquiryError(f"INQUIRY_STORE is {store!r}: '{bucket}' is no valid S3 bucket name.")
    return store


def _url(raw: Mapping[str, Any], key: str) -> str:
    value = _text(raw, key)
    parts = urlsplit(value)
    if value.startswith("/") and not value.startswith("//"):
        return value
    if parts.scheme in ("http", "https") and parts.netloc:
        return value
    raise InquiryError(f"{key} is {value!r}: give a site path such as '/thank-you/' or a full https:// URL.")


def _number(raw: Mapping[str, Any], key: str, low: float, high: float, integer: bool = False) -> float:
    value = raw[key]
    try:
        number = int(str(value)) if integer else float(str(value))
    except ValueError:
        number = None
    if number is None or isinstance(value, bool) or not low <= number <= high:
        kind = "a whole number" if integer else "a number"
        raise InquiryError(f"{key} is {value!r}: give {kind} from {low:g} to {high:g}.")
    return number


def _phone(raw: Mapping[str, Any], key: str, region: str) -> Phone | None:
    text = _text(raw, key)
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InquiryError(
            f"{key} is {text!r}: give the practice's phone number with its area code, "
            "such as '(805) 555-0100'."
        )
    return Phone(text, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _region(raw: Mapping[str, Any]) -> str:
    region = _text(raw, "INQUIRY_PHONE_REGION").upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise InquiryError(
            f"INQUIRY_PHONE_REGION is {region!r}: give the practice's two-letter country code, such as 'US'."
        )
    return region


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw[key]
    if not isinstance(value, str):
        raise InquiryError(f"{key} must be text, not {type(value).__name__} ({value!r}).")
    return value.strip()
