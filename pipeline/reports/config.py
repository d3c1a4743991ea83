"""The REPORT_* settings: read once from a plain mapping, checked, with the key at fault named."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.reports import emr, ingest, normalize, periods
from pipeline.reports.errors import ReportError
from pipeline.reports.report import CONVERSION_NAMES

SOURCE_KINDS = ("inquiries", "front_desk", "emr")
DEFAULTS: dict[str, Any] = {
    # Where the report reads from, relative to the project root. "inquiries": the receiver's
    # store (a folder or s3://bucket/prefix) and/or `inv inquiries` exports (.jsonl/.csv, globs).
    "REPORT_SOURCES": {
        "inquiries": ["internal/inquiries"],
        "front_desk": ["data/front-desk/*.csv"],
        "emr": ["data/emr/*.csv"],
    },
    "REPORT_EMR_FORMAT": "boulevard",  # boulevard | zenoti | aesthetic-record | generic
    "REPORT_COLUMN_MAP": {},  # generic: {"appointments": {"id": "...", "date": "...", ...}, "invoices": {...}}
    "REPORT_MATCH_WINDOW_DAYS": 90,
    "REPORT_WEEK_START": "monday",
    "REPORT_ATTRIBUTION": "latest",  # latest (last non-direct touch) | first
    "REPORT_DATE_ORDER": "MDY",  # how 03/04/2026 is read: MDY (US) or DMY
    "REPORT_PHONE_REGION": "US",  # for numbers written without +country
    "REPORT_CURRENCY": None,  # None: the practice's (content/practice.yml)
    "REPORT_CONVERSION_NAMES": dict(CONVERSION_NAMES),  # generic names, as created in Google Ads
    "REPORT_LEAD_LIST": False,  # also write the internal lead list (names, emails, phones)
    "REPORT_DAILY_EMAIL": "",  # SES-verified address sent the day report's counts (no content); "": none
}


@dataclass(frozen=True)
class ReportConfig:
    sources: dict[str, list[str]] = field(default_factory=lambda: dict(DEFAULTS["REPORT_SOURCES"]))
    emr_format: str = "boulevard"
    column_map: Mapping = field(default_factory=dict)
    window_days: int = 90
    week_start: str = "monday"
    attribution: str = "latest"
    date_order: str = "MDY"
    phone_region: str = "US"
    currency: str | None = None
    conversion_names: dict[str, str] = field(default_factory=lambda: dict(CONVERSION_NAMES))
    lead_list: bool = False
    timezone: str = "UTC"
    internal_path: str = "internal"
    daily_email: str = ""

    @property
    def format(self) -> emr.Format:
        return emr.get_format(self.emr_format, self.column_map)


def load_config(settings: Mapping[str, Any]) -> ReportConfig:
    """Check the REPORT_* settings (and TIMEZONE, INTERNAL_PATH) of a settings mapping."""
    unknown = sorted(k for k in settings if k.startswith("REPORT_") and k not in DEFAULTS)
    if unknown:
        hints = []
        for key in unknown:
            close = difflib.get_close_matches(key, DEFAULTS, n=1)
            hints.append(f"{key} (did you mean {close[0]}?)" if close else key)
        raise ReportError(
            f"Unknown report setting(s): {', '.join(hints)} — the settings are {', '.join(DEFAULTS)}."
        )
    raw = {k: settings[k] if settings.get(k) is not None else v for k, v in DEFAULTS.items()}
    sources = raw["REPORT_SOURCES"]
    if not isinstance(sources, Mapping) or not set(sources) <= set(SOURCE_KINDS):
        raise ReportError(
            "REPORT_SOURCES should map " + ", ".join(SOURCE_KINDS) + " to lists of paths, e.g. "
            '{"inquiries": ["internal/inquiries"], "front_desk": ["data/front-desk/*.csv"], '
            '"emr": ["data/emr/*.csv"]}.'
        )
    clean_sources = {}
    for kind in SOURCE_KINDS:
        value = sources.get(kind, [])
        value = [value] if isinstance(value, str) else list(value)
        if not all(isinstance(v, str) and v.strip() for v in value):
            raise ReportError(f"REPORT_SOURCES['{kind}'] should be a list of paths (text).")
        clean_sources[kind] = value
    fmt = str(raw["REPORT_EMR_FORMAT"]).strip().lower()
    if fmt not in emr.NAMES:
        raise ReportError(
            f"REPORT_EMR_FORMAT is {raw['REPORT_EMR_FORMAT']!r}: use one of {', '.join(emr.NAMES)}."
        )
    emr.get_format(fmt, raw["REPORT_COLUMN_MAP"])  # checks the map now, not halfway through a report
    window = raw["REPORT_MATCH_WINDOW_DAYS"]
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 730:
        raise ReportError(f"REPORT_MATCH_WINDOW_DAYS is {window!r}: use a whole number of days, e.g. 90.")
    week_start = str(raw["REPORT_WEEK_START"]).strip().lower()
    if week_start not in periods.WEEK_STARTS:
        raise ReportError(f"REPORT_WEEK_START is {raw['REPORT_WEEK_START']!r}: use 'monday' or 'sunday'.")
    attribution = str(raw["REPORT_ATTRIBUTION"]).strip().lower()
    if attribution not in ingest.ATTRIBUTION_MODELS:
        raise ReportError(f"REPORT_ATTRIBUTION is {raw['REPORT_ATTRIBUTION']!r}: use 'latest' or 'first'.")
    order = str(raw["REPORT_DATE_ORDER"]).strip().upper()
    if order not in normalize.DATE_ORDERS:
        raise ReportError(
            f"REPORT_DATE_ORDER is {raw['REPORT_DATE_ORDER']!r}: use 'MDY' (11/03/2026 is "
            "3 November) or 'DMY' (03/11/2026 is 3 November)."
        )
    currency = raw["REPORT_CURRENCY"]
    if currency is not None and not (isinstance(currency, str) and len(currency) == 3 and currency.isupper()):
        raise ReportError(
            f"REPORT_CURRENCY is {currency!r}: use a three-letter code like 'USD', or None for "
            "the practice's currency."
        )
    names = raw["REPORT_CONVERSION_NAMES"]
    if (
        not isinstance(names, Mapping)
        or set(names) != set(CONVERSION_NAMES)
        or not all(isinstance(v, str) and v.strip() and "," not in v for v in names.values())
    ):
        raise ReportError(
            "REPORT_CONVERSION_NAMES should give a name (no commas) for each of "
            f"{', '.join(CONVERSION_NAMES)}, e.g. {CONVERSION_NAMES} — generic names only, "
            "never a treatment."
        )
    from pipeline.dates import zone

    zone(settings.get("TIMEZONE"))  # an unknown zone is a clear error here
    return ReportConfig(
        sources=clean_sources,
        emr_format=fmt,
        column_map=raw["REPORT_COLUMN_MAP"] or {},
        window_days=window,
        week_start=week_start,
        attribution=attribution,
        date_order=order,
        phone_region=str(raw["REPORT_PHONE_REGION"]).upper(),
        currency=currency,
        conversion_names=dict(names),
        lead_list=bool(raw["REPORT_LEAD_LIST"]),
        timezone=str(settings.get("TIMEZONE") or "UTC"),
        internal_path=str(settings.get("INTERNAL_PATH") or "internal"),
        daily_email=_address(raw["REPORT_DAILY_EMAIL"]),
    )


def _address(value: Any) -> str:
    text = str(value or "").strip()
    if text and ("@" not in text or any(c.isspace() for c in text) or "," in text):
        raise ReportError(f"REPORT_DAILY_EMAIL is {value!r}: give one email address, or leave it empty.")
    return text
