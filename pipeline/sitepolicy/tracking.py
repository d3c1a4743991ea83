"""What a tracking address may carry: never a treatment or a condition.

HHS OCR bulletin on online tracking technologies (Dec 2022, revised Mar 2024): sending
health information to a tracking vendor without authorization is a disclosure. So no
attribution or analytics URL (UTM, click-id or ``ref`` parameters, a declared tag's own URL,
an analytics call) may name a procedure, device, body area or condition.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlsplit

from pipeline.inquiry import fields as F

# Condition words checked in every attribution URL, besides the content model's procedures,
# devices and body areas. INQUIRY_SENSITIVE_TERMS adds to these.
CONDITION_TERMS = (
    "acne",
    "acne scars",
    "alopecia",
    "anxiety",
    "botulism",
    "breast cancer",
    "cancer",
    "cellulite",
    "chronic pain",
    "dandruff",
    "depression",
    "diabetes",
    "eczema",
    "erectile dysfunction",
    "gynecomastia",
    "hair loss",
    "hepatitis",
    "herpes",
    "hiv",
    "hormone",
    "hyperhidrosis",
    "hyperpigmentation",
    "incontinence",
    "infertility",
    "keloid",
    "lipedema",
    "lipoma",
    "lupus",
    "melasma",
    "menopause",
    "migraine",
    "obesity",
    "pregnancy",
    "pregnant",
    "psoriasis",
    "rosacea",
    "scar",
    "scarring",
    "skin cancer",
    "spider veins",
    "stretch marks",
    "tattoo removal",
    "varicose veins",
    "vitiligo",
    "weight loss",
    "wrinkles",
)
MIN_TERM_LENGTH = 3

# A tracking parameter in a query (``&amp;`` ends in ``;``, so ``;`` covers escaped ampersands).
_TRACKING_HINT = re.compile(r"[?&;](?:utm_\w+|" + "|".join(re.escape(p) for p in F.TRACKING_PARAMS) + r")=")
# Substrings the hint cannot match without: a whole page is checked for these first, since a
# regex that starts with a character class crawls through 30 kB pages (most carry none).
# A short name needs its separator: every page's "href=" holds "ref=".
_HINT_WORDS = (
    ("utm_",)
    + tuple(f"{p}=" for p in F.TRACKING_PARAMS if not p.startswith("utm_") and len(p) > 3)
    + tuple(f"{sep}{p}=" for p in F.TRACKING_PARAMS if len(p) <= 3 for sep in "?&;")
)


def tracking_hint(text: str) -> bool:
    """Might ``text`` (a page, or one URL) hold a tracking parameter? False means surely not."""
    return any(word in text for word in _HINT_WORDS) and _TRACKING_HINT.search(text) is not None


def tracking_params(url: str) -> list[tuple[str, str]]:
    """The tracking parameters (UTMs, click ids, ref) in a URL's query, as (name, value)."""
    try:
        query = urlsplit(html.unescape(url)).query
    except ValueError:
        return []
    pairs = parse_qsl(query, keep_blank_values=True)
    return [(k, v) for k, v in pairs if k in F.TRACKING_PARAMS or k.startswith("utm_")]


def terms_table(
    procedures: Iterable[Mapping[str, Any]], extra: Iterable[str] = (), exceptions: Iterable[str] = ()
) -> dict[str, str]:
    """Normalized sensitive term -> what it is, from the content model and the settings.

    ``procedures``: dicts with ``id``, ``name``, ``body_areas`` and ``devices``.
    """
    table: dict[str, str] = {}

    def add(term: str, what: str) -> None:
        key = normalize(term)
        if len(key) >= MIN_TERM_LENGTH and key not in table:
            table[key] = what

    for procedure in procedures:
        name = procedure["name"]
        add(procedure["id"], f"the id of procedure '{name}'")
        add(name, "a procedure")
        for device in procedure.get("devices", ()):
            add(device, f"a device used for {name}")
        for area in procedure.get("body_areas", ()):
            add(area, f"a body area of {name}")
    for term in CONDITION_TERMS:
        add(term, "a condition")
    for term in extra:
        add(term, "a term in INQUIRY_SENSITIVE_TERMS")
    for term in exceptions:
        table.pop(normalize(term), None)
    return dict(sorted(table.items()))


def normalize(text: str) -> str:
    """Lower case, no accents or punctuation, single spaces: ``Crow's-Feet®`` -> ``crows feet``."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = re.sub(r"['’`]", "", plain)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def find_terms(text: str, terms: Mapping[str, str]) -> list[str]:
    """The sensitive terms in ``text`` (URL-decoded twice), whole words, plural -s included."""
    decoded = unquote_plus(unquote_plus(text))
    padded = f" {normalize(decoded)} "
    found = [term for term in terms if f" {term} " in padded or f" {term}s " in padded]
    # "botox cosmetic" found: "botox" inside it is the same finding.
    return [t for t in found if not any(o != t and f" {t} " in f" {o} " for o in found)]
