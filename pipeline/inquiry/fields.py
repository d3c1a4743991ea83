"""The names every inquiry form, the attribution script and the receiver agree on.

This module is the single source of truth for field names: the templates render these
names, ``plugins/inquiry_tags/static/attribution.js`` fills them (a test checks that its
lists match the ones here) and the receiver reads them.

Attribution parameters (REFERENCE.md, "Tracking without leaking health data") are kept
exactly as received: click ids are case-sensitive.
"""

from __future__ import annotations

# UTM parameters GA4 reads (REFERENCE.md, "Tracking without leaking health data").
UTM_PARAMS = (
    "utm_id",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_source_platform",
    "utm_term",
    "utm_content",
    "utm_creative_format",
    "utm_marketing_tactic",
)
# Ad click ids: Google, Meta, Microsoft, TikTok, LinkedIn.
CLICK_IDS = ("gclid", "gbraid", "wbraid", "fbclid", "msclkid", "ttclid", "li_fat_id")
# The referral partner code, from ``?ref=CODE`` on a landing URL.
REF_PARAM = "ref"
# What a page URL may carry that makes a visit a new campaign touch.
TRACKING_PARAMS = UTM_PARAMS + CLICK_IDS + (REF_PARAM,)
# One touch: the parameters, plus where the visitor came from and landed, and when.
TOUCH_KEYS = UTM_PARAMS + CLICK_IDS + ("referrer", "landing_page", REF_PARAM, "timestamp")

FIRST_TOUCH_PREFIX = "ft_"
LATEST_TOUCH_PREFIX = "lt_"
TOUCHES = (("first", FIRST_TOUCH_PREFIX), ("latest", LATEST_TOUCH_PREFIX))

# Fields the visitor fills in.
NAME = "name"
EMAIL = "email"
PHONE = "phone"
PREFERRED_LOCATION = "preferred_location"
INTEREST = "interest"
MESSAGE = "message"
CONTACT_METHOD = "contact_method"
CONSENT_CONTACT = "consent_contact"
CONSENT_SMS = "consent_sms"
VISITOR_FIELDS = (
    NAME,
    EMAIL,
    PHONE,
    PREFERRED_LOCATION,
    INTEREST,
    MESSAGE,
    CONTACT_METHOD,
    CONSENT_CONTACT,
    CONSENT_SMS,
)

# Hidden fields the build (or the script) fills in.
FORM = "form"  # the preset id
FORM_PAGE = "form_page"  # path of the page the form was sent from
FILL_MS = "fill_ms"  # milliseconds the visitor spent on the form, measured by the script
# Without the script: the receiver's own signed clock, on the one-step confirmation page it answers.
FILL_TOKEN = "fill_token"
HONEYPOT = "website"  # hidden from people; bots fill it in

# An event reply (RSVP): which event (its id, a hidden field of the event's form) and how many places.
EVENT = "event"
PLACES = "places"
RSVP_FIELDS = (EVENT, PLACES)
MAX_PLACES = 10

CONTACT_METHODS = ("email", "phone", "sms")
FORM_PRESETS = ("contact", "procedure", "special", "event")
CLICK_KINDS = ("phone", "booking", "directions")

# Beacon (click) fields, besides the attribution fields.
CLICK_KIND = "kind"
CLICK_PAGE = "page"
CLICK_TARGET = "target"

# Longest accepted value, in characters after normalization. Visitor fields get a message
# when too long; a machine-filled attribution value that is too long is dropped instead.
LIMITS = {
    NAME: 200,
    EMAIL: 254,  # RFC 5321 path limit
    PHONE: 40,
    PREFERRED_LOCATION: 200,
    INTEREST: 200,
    MESSAGE: 4000,
    FORM_PAGE: 512,
    CLICK_TARGET: 200,
    "referrer": 1024,
    "landing_page": 2048,
    "timestamp": 40,
}
PARAM_LIMIT = 512  # any UTM, click id or ref value

# Checkbox values that mean "ticked" (a plain form sends "on" unless the template sets one).
TRUE_VALUES = frozenset({"1", "true", "yes", "on"})


def touch_fields(prefix: str) -> tuple[str, ...]:
    """Hidden field names of one touch, e.g. ``ft_utm_source``."""
    return tuple(prefix + key for key in TOUCH_KEYS)


def attribution_fields() -> tuple[str, ...]:
    """Every hidden attribution field name: first touch (``ft_*``) then latest touch (``lt_*``)."""
    return touch_fields(FIRST_TOUCH_PREFIX) + touch_fields(LATEST_TOUCH_PREFIX)


def hidden_fields() -> tuple[str, ...]:
    """Every hidden input an inquiry form carries (the honeypot is a text input hidden by CSS, not listed)."""
    return (FORM, FORM_PAGE, FILL_MS) + attribution_fields()
