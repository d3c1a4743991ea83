"""``INQUIRY_*`` settings for the build: read once when Pelican starts, checked, the key named.

The receiver's own settings (receiver URL, thank-you page, attribution retention, minimum
fill time ...) are checked by :func:`pipeline.inquiry.load_config`; this module adds the
build's: which pages carry forms, the form presets, the tag firewall's allowlist and terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pipeline.inquiry import InquiryError, ReceiverConfig, load_config
from pipeline.inquiry import fields as F
from pipeline.inquiry.config import DEFAULTS as RECEIVER_DEFAULTS
from pipeline.sitepolicy.tags import Declared, Tag, ascii_host, first_party, parse_tags

# What each preset's form says. {title} is the preselected treatment, offer or event.
PRESETS: dict[str, dict[str, str]] = {
    "contact": {
        "heading": "Send us a message",
        "intro": "",
        "interest_label": "What would you like to talk about?",
        "message_label": "Your message",
        "submit": "Send my message",
        "sent": "Thank you. Your message was sent: a patient coordinator will contact you within one business day.",
    },
    "procedure": {
        "heading": "Ask about {title}",
        "intro": "Tell us a little about what you would like, and a patient coordinator will arrange a consultation.",
        "interest_label": "Treatment",
        "message_label": "Anything you would like us to know",
        "submit": "Request a consultation",
        "sent": "Thank you. Your request was sent: a patient coordinator will contact you within one business day.",
    },
    "special": {
        "heading": "Ask about this offer",
        "intro": "Send your details and we will contact you to book your appointment.",
        "interest_label": "Offer or treatment",
        "message_label": "Anything you would like us to know",
        "submit": "Ask about this offer",
        "sent": "Thank you. Your request was sent: we will contact you within one business day to book.",
    },
    "event": {
        "heading": "Reserve a place",
        "intro": "",
        "interest_label": "Event",
        "message_label": "Anything we should know (for example, if you are bringing a guest)",
        "submit": "Reserve my place",
        "sent": "Thank you. We have your reservation and will confirm your place by your chosen contact method.",
    },
}
PRESET_KEYS = tuple(PRESETS["contact"])
PAGE_KINDS = F.FORM_PRESETS  # contact page, procedure pages, special pages, event pages

DEFAULTS: dict[str, Any] = {
    "INQUIRY_FORM_PAGES": PAGE_KINDS,
    "INQUIRY_FORM_PRESETS": {},
    "INQUIRY_THIRD_PARTY_TAGS": [],
    "INQUIRY_SENSITIVE_TERMS": [],
    "INQUIRY_SENSITIVE_EXCEPTIONS": [],
    "INQUIRY_FIRST_PARTY_HOSTS": [],
}
KNOWN = frozenset(RECEIVER_DEFAULTS) | frozenset(DEFAULTS)


@dataclass(frozen=True)
class InquirySettings:
    receiver: ReceiverConfig
    form_pages: frozenset[str]
    presets: dict[str, dict[str, str]]
    tags: tuple[Tag, ...]
    sensitive_terms: tuple[str, ...]
    sensitive_exceptions: tuple[str, ...]
    first_party_hosts: frozenset[str]
    siteurl: str
    declared: Declared  # the site's own hosts, and a notice for each declared one elsewhere

    @property
    def site_prefix(self) -> str:
        """The path the site lives under ('' at a domain's root, '/previews/pr-7' for a preview)."""
        return urlsplit(self.siteurl).path.rstrip("/")

    @property
    def thank_you_path(self) -> str | None:
        """The thank-you page's site path, when this site serves it (None: another site does)."""
        url = self.receiver.thank_you_url
        parts = urlsplit(url)
        if parts.netloc and parts.hostname != urlsplit(self.siteurl).hostname:
            return None
        return parts.path

    @property
    def hosts(self) -> frozenset[str]:
        """Host names that are the practice's own: the site, the receiver, and any declared."""
        return self.declared.hosts


def read_settings(settings: Mapping[str, Any]) -> InquirySettings:
    """Check every INQUIRY_* setting; an unknown or wrong one raises InquiryError naming it."""
    unknown = sorted(k for k in settings if k.startswith("INQUIRY_") and k not in KNOWN)
    if unknown:
        raise InquiryError(
            f"{', '.join(unknown)}: unknown setting(s) in the settings file; the inquiry settings are "
            f"{', '.join(sorted(KNOWN))}. Check the spelling."
        )
    value = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    receiver = load_config(settings)
    tags = parse_tags(value["INQUIRY_THIRD_PARTY_TAGS"])
    listed = _words(value["INQUIRY_FIRST_PARTY_HOSTS"], "INQUIRY_FIRST_PARTY_HOSTS")
    siteurl = str(settings.get("SITEURL") or "")
    declared = first_party(siteurl, receiver.receiver_url, listed, tags)
    return InquirySettings(
        receiver=receiver,
        form_pages=_form_pages(value["INQUIRY_FORM_PAGES"]),
        presets=_presets(value["INQUIRY_FORM_PRESETS"]),
        tags=tags,
        sensitive_terms=_words(value["INQUIRY_SENSITIVE_TERMS"], "INQUIRY_SENSITIVE_TERMS"),
        sensitive_exceptions=_words(value["INQUIRY_SENSITIVE_EXCEPTIONS"], "INQUIRY_SENSITIVE_EXCEPTIONS"),
        first_party_hosts=frozenset(ascii_host(w) for w in listed),
        siteurl=siteurl,
        declared=declared,
    )


def _form_pages(value: Any) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        raise InquiryError(
            f"INQUIRY_FORM_PAGES is {value!r}: give a list of the page kinds that carry a form, "
            f"from {', '.join(PAGE_KINDS)} (e.g. {list(PAGE_KINDS)!r}), or [] for none."
        )
    wrong = sorted(str(v) for v in value if v not in PAGE_KINDS)
    if wrong:
        raise InquiryError(
            f"INQUIRY_FORM_PAGES has {', '.join(wrong)}: the page kinds are {', '.join(PAGE_KINDS)}."
        )
    return frozenset(value)


def _presets(value: Any) -> dict[str, dict[str, str]]:
    if not isinstance(value, Mapping):
        raise InquiryError(
            "INQUIRY_FORM_PRESETS must be a dict of preset -> texts, such as "
            '{"procedure": {"submit": "Book my consultation"}}.'
        )
    presets = {name: dict(texts) for name, texts in PRESETS.items()}
    for name, texts in value.items():
        if name not in PRESETS:
            raise InquiryError(f"INQUIRY_FORM_PRESETS has '{name}': the presets are {', '.join(PRESETS)}.")
        if not isinstance(texts, Mapping):
            raise InquiryError(
                f'INQUIRY_FORM_PRESETS[\'{name}\'] must be a dict of texts, such as {{"submit": "Send"}}.'
            )
        for key, text in texts.items():
            if key not in PRESET_KEYS:
                raise InquiryError(
                    f"INQUIRY_FORM_PRESETS['{name}'] has '{key}': the texts are {', '.join(PRESET_KEYS)}."
                )
            if not isinstance(text, str) or (
                key in ("interest_label", "message_label", "submit", "sent") and not text.strip()
            ):
                raise InquiryError(f"INQUIRY_FORM_PRESETS['{name}']['{key}'] must be a non-empty text.")
            presets[name][key] = text.strip()
    return presets


def _words(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        raise InquiryError(f"{key} must be a list of words or phrases, such as ['melasma', 'hair loss'].")
    words = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise InquiryError(f"{key} has {item!r}: every entry must be a non-empty text.")
        words.append(item.strip())
    return tuple(sorted(set(words)))
