"""Turn submitted form fields into an inquiry (or click) record, or say what is wrong.

Pure functions on plain values: a dict of field names to strings in, a :class:`Verdict`
out. No I/O, no clock, no randomness: the caller passes the record id and the time.

Rules:
- A filled honeypot gets a silent "thank you" and is not stored.
- Fields the visitor typed are checked strictly, with a message per field.
- A valid submission faster than the minimum fill time, or without the fields that measure
  it, is refused as too fast (:mod:`pipeline.inquiry.filltime`).
- Attribution fields are filled by the script, not the visitor: a malformed or oversized
  value is dropped (stored as null), never "repaired" and never a reason to lose an
  inquiry. Click ids and UTMs keep their exact case.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from pipeline.inquiry import fields as F
from pipeline.inquiry.filltime import long_enough

SCHEMA_VERSION = 1
MAX_FIELDS = 200  # a real form has ~50; more is junk
# Browsers send UTF-8 from a UTF-8 page; the rest is what old clients label their bytes.
CHARSETS = frozenset(
    {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252"}
)

Outcome = Literal["accepted", "invalid", "honeypot", "too_fast"]


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    record: dict[str, Any] | None = None
    errors: dict[str, str] = field(default_factory=dict)


class BodyError(ValueError):
    """The request body cannot be read as form fields (the caller answers 400/413/415)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code


# --- reading the body ------------------------------------------------------------------


def decode_body(body: bytes, content_type: str, max_bytes: int) -> dict[str, str]:
    """Form fields from an urlencoded or JSON body (text/plain is read as either)."""
    if len(body) > max_bytes:
        raise BodyError(413, "too_large", f"The form is larger than {max_bytes} bytes.")
    mime, params = _parse_content_type(content_type)
    charset = params.get("charset", "utf-8")
    if charset not in CHARSETS:
        raise BodyError(415, "unsupported_charset", "Send the form as UTF-8.")
    try:
        text = body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise BodyError(400, "bad_encoding", "The form data is not valid text; send it as UTF-8.") from None
    if mime == "application/json" or (mime == "text/plain" and text.lstrip().startswith("{")):
        return _fields_from_json(text)
    if mime in ("application/x-www-form-urlencoded", "text/plain", ""):
        return _fields_from_urlencoded(text, charset)
    raise BodyError(415, "unsupported_type", "Send the form as application/x-www-form-urlencoded or JSON.")


def _parse_content_type(value: str) -> tuple[str, dict[str, str]]:
    mime, _, rest = (value or "").partition(";")
    params = {}
    for item in rest.split(";"):
        key, _, val = item.partition("=")
        if key.strip():
            params[key.strip().lower()] = val.strip().strip('"').lower()
    return mime.strip().lower(), params


def _fields_from_urlencoded(text: str, charset: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(
            text, keep_blank_values=True, encoding=charset, errors="strict", max_num_fields=MAX_FIELDS
        )
    except (UnicodeDecodeError, LookupError):
        raise BodyError(400, "bad_encoding", "The form data is not valid UTF-8.") from None
    except ValueError:
        raise BodyError(400, "too_many_fields", "The form has too many fields.") from None
    return dict(pairs)  # a repeated name keeps its last value


def _fields_from_json(text: str) -> dict[str, str]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise BodyError(400, "bad_json", "The form data is not valid JSON.") from None
    if not isinstance(data, dict):
        raise BodyError(400, "bad_json", "The form data must be a JSON object of field names to values.")
    if len(data) > MAX_FIELDS:
        raise BodyError(400, "too_many_fields", "The form has too many fields.")
    out = {}
    for key, value in data.items():
        if isinstance(value, bool):
            out[key] = "true" if value else ""
        elif isinstance(value, str):
            out[key] = value
        elif isinstance(value, (int, float)) and not (isinstance(value, float) and not math.isfinite(value)):
            out[key] = str(value)
        elif value is None:
            out[key] = ""
        else:
            raise BodyError(400, "bad_json", f"The field {key[:40]!r} must be text, a number or true/false.")
    return out


# --- cleaning values -------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def clean_text(value: Any, multiline: bool = False) -> str:
    """NFC, no control characters or lone surrogates, trimmed; one line unless ``multiline``."""
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cs":
            kept.append("\ufffd")
        elif category == "Cc" and not (multiline and ch in "\n\t"):
            kept.append(" ")
        else:
            kept.append(ch)
    text = "".join(kept)
    if multiline:
        return "\n".join(line.rstrip() for line in text.split("\n")).strip()
    return _SPACE.sub(" ", text).strip()


def site_path(value: Any, keep_query: bool = False) -> str | None:
    """A path on our site from a path or URL (no fragment; no query unless ``keep_query``)."""
    text = clean_text(value)
    if not text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith("//") or (not parts.scheme and parts.netloc):
        return None
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if keep_query and parts.query:
        path += "?" + parts.query
    return path


def tracking_query(query: str) -> str:
    """Keep only the tracking parameters of a query string (other parameters may carry health data)."""
    try:
        pairs = parse_qsl(query, keep_blank_values=False, errors="strict", max_num_fields=MAX_FIELDS)
    except (ValueError, UnicodeDecodeError):
        return ""
    return urlencode([(k, v) for k, v in pairs if k in F.TRACKING_PARAMS])


def iso_timestamp(value: Any) -> str | None:
    """An ISO 8601 instant, normalized to ``YYYY-MM-DDTHH:MM:SSZ`` (UTC); None when unreadable."""
    text = clean_text(value)
    if not text or len(text) > F.LIMITS["timestamp"]:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, ValueError):
        return None


def format_instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- attribution -----------------------------------------------------------------------


def parse_touch(values: Mapping[str, str], prefix: str) -> dict[str, str | None]:
    """One touch from its hidden fields; bad values become None."""
    touch: dict[str, str | None] = {}
    for key in F.TOUCH_KEYS:
        raw = values.get(prefix + key, "")
        if key == "timestamp":
            touch[key] = iso_timestamp(raw)
        elif key == "referrer":
            touch[key] = _referrer(raw)
        elif key == "landing_page":
            touch[key] = _landing_page(raw)
        else:
            text = clean_text(raw)
            touch[key] = text if text and len(text) <= F.PARAM_LIMIT else None
    return touch


def parse_attribution(values: Mapping[str, str]) -> dict[str, dict[str, str | None]]:
    return {name: parse_touch(values, prefix) for name, prefix in F.TOUCHES}


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _referrer(raw: Any) -> str | None:
    text = clean_text(raw)
    if not text or len(text) > F.LIMITS["referrer"]:
        return None
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    # No query: it may hold what someone searched for. No user:password@ either.
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


def _landing_page(raw: Any) -> str | None:
    path = site_path(raw, keep_query=True)
    if not path or len(path) > F.LIMITS["landing_page"]:
        return None
    base, _, query = path.partition("?")
    kept = tracking_query(query)
    return base + ("?" + kept if kept else "")


# --- the inquiry -----------------------------------------------------------------------


def parse_inquiry(
    values: Mapping[str, str],
    *,
    record_id: str,
    received_at: datetime,
    min_fill_seconds: float,
    phone_region: str,
    token_seconds: float | None = None,
) -> Verdict:
    """Check and normalize one submission into an inquiry record.

    ``token_seconds``: the age of a valid ``fill_token`` (the receiver checks its signature).
    """
    if clean_text(values.get(F.HONEYPOT, "")):
        return Verdict("honeypot")

    errors: dict[str, str] = {}
    text = {}
    for name in (F.NAME, F.PREFERRED_LOCATION, F.INTEREST, F.MESSAGE):
        value = clean_text(values.get(name, ""), multiline=name == F.MESSAGE)
        limit = F.LIMITS[name]
        if len(value) > limit:
            errors[name] = f"Please keep this under {limit:,} characters (it has {len(value):,})."
        text[name] = value or None
    if not text[F.NAME]:
        errors[F.NAME] = "Enter your name."

    email, email_error = _email(values.get(F.EMAIL, ""))
    phone, phone_error = _phone(values.get(F.PHONE, ""), phone_region)
    if email_error:
        errors[F.EMAIL] = email_error
    if phone_error:
        errors[F.PHONE] = phone_error

    method = clean_text(values.get(F.CONTACT_METHOD, "")).lower() or (
        "email" if email or not phone else "phone"
    )
    if method not in F.CONTACT_METHODS:
        errors[F.CONTACT_METHOD] = "Choose how we should contact you: email, phone call or text message."
    elif method == "email" and not email and not email_error:
        errors[F.EMAIL] = "Enter your email address so we can reply."
    elif method in ("phone", "sms") and not phone and not phone_error:
        errors[F.PHONE] = "Enter a phone number so we can " + (
            "call you." if method == "phone" else "text you."
        )

    consent_contact = _ticked(values.get(F.CONSENT_CONTACT))
    consent_sms = _ticked(values.get(F.CONSENT_SMS))
    if not consent_contact:
        errors[F.CONSENT_CONTACT] = "Please agree to be contacted about your inquiry; we need it to reply."
    if method == "sms" and not consent_sms:
        errors[F.CONSENT_SMS] = "Tick the box to agree to text messages, or choose email or a phone call."

    form = clean_text(values.get(F.FORM, "")).lower() or "contact"
    if form not in F.FORM_PRESETS:
        errors[F.FORM] = "This form is out of date: reload the page and send it again."

    rsvp = _rsvp(values, errors) if form == "event" else None
    if errors:
        return Verdict("invalid", errors=dict(sorted(errors.items())))
    if not long_enough(values, min_fill_seconds, token_seconds):
        return Verdict("too_fast", errors={"": "too_fast"})

    form_page = site_path(values.get(F.FORM_PAGE, ""))
    record = {
        "schema": SCHEMA_VERSION,
        "id": record_id,
        "received_at": format_instant(received_at),
        "form": form,
        "form_page": form_page if form_page and len(form_page) <= F.LIMITS[F.FORM_PAGE] else None,
        F.NAME: text[F.NAME],
        F.EMAIL: email,
        F.PHONE: phone,
        F.PREFERRED_LOCATION: text[F.PREFERRED_LOCATION],
        F.INTEREST: text[F.INTEREST],
        F.MESSAGE: text[F.MESSAGE],
        F.CONTACT_METHOD: method,
        F.CONSENT_CONTACT: True,
        F.CONSENT_SMS: consent_sms,
        "attribution": parse_attribution(values),
        "kind": "rsvp" if rsvp else "inquiry",
        **(rsvp or {}),
    }
    return Verdict("accepted", record=record)


_EVENT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _rsvp(values: Mapping[str, str], errors: dict[str, str]) -> dict[str, Any] | None:
    """An event form's reply: the event's id (the form's hidden field) and the places asked for."""
    event = clean_text(values.get(F.EVENT, "")).lower()
    if not _EVENT_ID.match(event) or len(event) > 100:
        errors[F.EVENT] = "This form is out of date: reload the page and send it again."
        return None
    raw = clean_text(values.get(F.PLACES, "")) or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= F.MAX_PLACES:
        errors[F.PLACES] = f"Choose how many places, from 1 to {F.MAX_PLACES}."
        return None
    return {F.EVENT: event, F.PLACES: int(raw)}


def _ticked(raw: Any) -> bool:
    return clean_text(raw).lower() in F.TRUE_VALUES


def _email(raw: Any) -> tuple[str | None, str | None]:
    text = clean_text(raw)
    if not text:
        return None, None
    if len(text) > F.LIMITS[F.EMAIL]:
        return None, "This email address is too long; check it."
    try:
        return validate_email(text, check_deliverability=False).normalized, None
    except EmailNotValidError as exc:
        return None, f"Check the email address: {exc}"


def _phone(raw: Any, region: str) -> tuple[str | None, str | None]:
    text = clean_text(raw)
    if not text:
        return None, None
    message = "Enter a phone number with its area code (start a number from another country with +)."
    if len(text) > F.LIMITS[F.PHONE]:
        return None, message
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None, message
    if not phonenumbers.is_valid_number(number):
        return None, message
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


# --- the click beacon ------------------------------------------------------------------


def parse_click(values: Mapping[str, str], *, record_id: str, received_at: datetime) -> Verdict:
    """A phone, booking or directions click: page, target and attribution, nothing personal."""
    kind = clean_text(values.get(F.CLICK_KIND, "")).lower()
    if kind not in F.CLICK_KINDS:
        return Verdict("invalid", errors={F.CLICK_KIND: "kind must be one of: " + ", ".join(F.CLICK_KINDS)})
    target = clean_text(values.get(F.CLICK_TARGET, ""))
    if kind == "phone":
        target = re.sub(r"[^0-9+]", "", target)
    elif "://" in target:
        target = _host(target)  # which booking or maps site, never the full URL
    page = site_path(values.get(F.CLICK_PAGE, ""))
    record = {
        "schema": SCHEMA_VERSION,
        "id": record_id,
        "received_at": format_instant(received_at),
        "kind": kind,
        "page": page if page and len(page) <= F.LIMITS[F.FORM_PAGE] else None,
        "target": target if target and len(target) <= F.LIMITS[F.CLICK_TARGET] else None,
        "attribution": parse_attribution(values),
    }
    return Verdict("accepted", record=record)
