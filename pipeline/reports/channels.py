"""Which channel an inquiry came through, from its attribution touch or the front desk's log.

Web touches follow the usual channel grouping (GA4-like): a partner's ``ref`` code first,
then ad click ids and paid mediums, then UTM mediums, then the referring site, else Direct.
Click ids are matched by name only; their values are never changed (they are case-sensitive).
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

PARTNER = "Referral partner"
PAID_SEARCH = "Paid search"
PAID_SOCIAL = "Paid social"
DISPLAY = "Display"
ORGANIC_SEARCH = "Organic search"
SOCIAL = "Social"
EMAIL = "Email"
SMS = "SMS"
REFERRAL = "Referral"
OTHER_CAMPAIGN = "Other campaign"
DIRECT = "Direct"
# The front desk's channels (column ``channel`` of the template): value -> label.
FRONT_DESK = {
    "phone": "Phone call",
    "walk-in": "Walk-in",
    "doctor-referral": "Doctor referral",
    "partner-referral": PARTNER,
    "event": "Event",
    "other": "Other offline",
}
FRONT_DESK_ALIASES = {
    "call": "phone",
    "phone-call": "phone",
    "telephone": "phone",
    "walkin": "walk-in",
    "walk in": "walk-in",
    "doctor": "doctor-referral",
    "doctor referral": "doctor-referral",
    "physician-referral": "doctor-referral",
    "partner": "partner-referral",
    "partner referral": "partner-referral",
}
# Display order in tables and the stacked chart.
ORDER = (
    PARTNER,
    PAID_SEARCH,
    PAID_SOCIAL,
    DISPLAY,
    ORGANIC_SEARCH,
    SOCIAL,
    EMAIL,
    SMS,
    REFERRAL,
    OTHER_CAMPAIGN,
    DIRECT,
    *(v for v in FRONT_DESK.values() if v != PARTNER),
)

PAID_MEDIUMS = frozenset(
    {
        "cpc",
        "ppc",
        "paid",
        "paidsearch",
        "paid-search",
        "paid_search",
        "sem",
        "paid-social",
        "paid_social",
        "paidsocial",
        "cpm",
        "display",
        "banner",
        "cpv",
        "video",
    }
)
DISPLAY_MEDIUMS = frozenset({"cpm", "display", "banner", "cpv", "video"})
SOCIAL_MEDIUMS = frozenset(
    {
        "social",
        "social-media",
        "social_media",
        "sm",
        "organic-social",
        "organic_social",
        "social-network",
        "social-post",
    }
)
EMAIL_MEDIUMS = frozenset({"email", "e-mail", "e_mail", "newsletter"})
SMS_MEDIUMS = frozenset({"sms", "text", "mms"})
SOCIAL_SOURCES = (
    "facebook",
    "instagram",
    "fb",
    "ig",
    "meta",
    "tiktok",
    "linkedin",
    "pinterest",
    "youtube",
    "twitter",
    "x",
    "threads",
    "reddit",
    "snapchat",
    "nextdoor",
)
SEARCH_HOSTS = (
    "google.",
    "bing.com",
    "duckduckgo.com",
    "yahoo.",
    "ecosia.org",
    "baidu.com",
    "yandex.",
    "search.brave.com",
    "startpage.com",
    "qwant.com",
    "kagi.com",
)
SOCIAL_HOSTS = (
    "facebook.com",
    "fb.com",
    "instagram.com",
    "t.co",
    "x.com",
    "twitter.com",
    "linkedin.com",
    "lnkd.in",
    "tiktok.com",
    "pinterest.",
    "youtube.com",
    "reddit.com",
    "threads.net",
    "nextdoor.com",
    "snapchat.com",
)
CLICK_SOURCES = (
    ("gclid", "google"),
    ("gbraid", "google"),
    ("wbraid", "google"),
    ("msclkid", "bing"),
    ("fbclid", "facebook"),
    ("ttclid", "tiktok"),
    ("li_fat_id", "linkedin"),
)
ATTRIBUTION_KEYS = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_id",
    "ref",
    "referrer",
    "gclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "fbclid",
    "ttclid",
    "li_fat_id",
)


def is_direct(touch: dict | None) -> bool:
    """A visit that says nothing about where it came from."""
    return not touch or not any(touch.get(k) for k in ATTRIBUTION_KEYS)


@functools.lru_cache(maxsize=4096)
def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.").removeprefix("m.").removeprefix("l.").removeprefix("lm.")


def _match(host: str, patterns) -> str | None:
    """The name of the site ``host`` belongs to (``news.google.co.uk`` -> google), or None."""
    for p in patterns:
        if (
            host == p
            or host.endswith("." + p)
            or (p.endswith(".") and (host.startswith(p) or f".{p}" in host))
        ):
            return p.removeprefix("search.").split(".")[0]
    return None


def classify(touch: dict | None) -> tuple[str, str, str, str]:
    """``(channel, source, medium, campaign)`` of one touch (first or latest)."""
    touch = touch or {}
    source = (touch.get("utm_source") or "").strip().lower()
    medium = (touch.get("utm_medium") or "").strip().lower()
    campaign = (
        touch.get("utm_campaign") or ""
    ).strip().lower() or "(none)"  # "Soften11" and "soften11" are one
    clicks = [name for name, _ in CLICK_SOURCES if touch.get(name)]
    click_source = dict(CLICK_SOURCES)[clicks[0]] if clicks else ""
    host = _host(touch.get("referrer"))
    social_source = source in SOCIAL_SOURCES or source.startswith(("facebook", "instagram"))

    if touch.get("ref"):
        channel = PARTNER
        source = source or str(touch["ref"]).strip().lower()
        medium = medium or "referral"
    elif medium in PAID_MEDIUMS or any(c in clicks for c in ("gclid", "gbraid", "wbraid", "msclkid")):
        if medium in DISPLAY_MEDIUMS:
            channel = DISPLAY
        elif social_source or (not source and any(c in clicks for c in ("fbclid", "ttclid", "li_fat_id"))):
            channel = PAID_SOCIAL
        else:
            channel = PAID_SEARCH
        source = source or click_source
        medium = medium or "cpc"
    elif clicks:  # fbclid, ttclid, li_fat_id without a paid medium: a shared link on a social network
        channel, source, medium = SOCIAL, source or click_source, medium or "social"
    elif medium in EMAIL_MEDIUMS:
        channel = EMAIL
    elif medium in SMS_MEDIUMS:
        channel = SMS
    elif medium in SOCIAL_MEDIUMS or social_source:
        channel = SOCIAL
    elif medium == "referral":
        channel = REFERRAL
    elif medium == "organic":
        channel = ORGANIC_SEARCH
    elif source or medium:
        channel = OTHER_CAMPAIGN
    elif host and (site := _match(host, SEARCH_HOSTS)):
        channel, source, medium = ORGANIC_SEARCH, site, "organic"
    elif host and (site := _match(host, SOCIAL_HOSTS)):
        channel, source, medium = (
            SOCIAL,
            {"t": "x", "lnkd": "linkedin", "fb": "facebook"}.get(site, site),
            "social",
        )
    elif host:
        channel, source, medium = REFERRAL, host, "referral"
    else:
        channel = DIRECT
    return channel, source or "(direct)", medium or "(none)", campaign


def front_desk_channel(value: str) -> str | None:
    """The template's channel value (or a common spelling of it) -> its label; None if unknown."""
    text = " ".join(value.strip().lower().split())
    text = FRONT_DESK_ALIASES.get(text, text).replace(" ", "-")
    return FRONT_DESK.get(FRONT_DESK_ALIASES.get(text, text))
