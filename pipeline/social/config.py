"""``SocialConfig``: the ``SOCIAL_*`` settings as one validated plain value.

The adapter (``plugins/social_export``) reads the settings once and builds this; every error
names the setting and the fix. Platform rules are not settings: they are the table in
``pipeline.social.networks``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pipeline.social.errors import SocialError
from pipeline.social.networks import DEFAULT_NETWORKS, MIN_GAP_MINUTES, MINUTE_STEP, NETWORKS

DEFAULT_CTA = MappingProxyType(
    {
        "post": "Read more",
        "special": "Book the offer",
        "event": "Reserve your place",
        "case": "See more results",
    }
)
DEFAULT_POST_TIMES = ("09:30", "12:30", "17:30")
DATE_FORMATS = MappingProxyType({"mm/dd/yyyy": "%m/%d/%Y", "dd/mm/yyyy": "%d/%m/%Y"})
SELECTIONS = ("new", "all")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def _fail(key: str, value, fix: str) -> SocialError:
    return SocialError.setting(key, f"is {value!r}", fix)


@dataclass(frozen=True)
class SocialConfig:
    export_path: str = "internal/social"  # SOCIAL_EXPORT_PATH: outside output/, never deployed
    site_url: str = ""  # SOCIAL_SITEURL (default: SITEURL): links point at the public site
    networks: tuple[str, ...] = (
        DEFAULT_NETWORKS  # SOCIAL_NETWORKS: where items go unless their social.networks says
    )
    hashtags: tuple[str, ...] = ()  # SOCIAL_HASHTAGS: added to every caption (counted in the limits)
    post_times: tuple[str, ...] = DEFAULT_POST_TIMES  # SOCIAL_POST_TIMES: local times of the automatic slots
    select: str = "new"  # SOCIAL_SELECT: "new" since the last export, or "all"
    date_format: str = "mm/dd/yyyy"  # SOCIAL_DATE_FORMAT: as chosen in Sprout's / Hootsuite's import dialog
    image_base_url: str = (
        ""  # SOCIAL_IMAGE_BASE_URL: the folder the images are public in (default: media/social/)
    )
    public_images: bool = True  # SOCIAL_PUBLIC_IMAGES: every build publishes the images schedulers fetch
    cta: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_CTA))  # SOCIAL_CTA: per kind
    phone_region: str = "US"  # SOCIAL_PHONE_REGION: how phone numbers are recognised (GBP rejects them)
    quality: int = 88  # SOCIAL_IMAGE_QUALITY: JPEG quality of the exported images

    def __post_init__(self) -> None:
        if not isinstance(self.export_path, str) or not self.export_path.strip():
            raise _fail(
                "SOCIAL_EXPORT_PATH",
                self.export_path,
                "give a folder outside output/, like 'internal/social'",
            )
        parts = re.split(r"[\\/]+", self.export_path.strip("/"))
        if "output" in parts[:1] or ".." in parts:
            raise _fail(
                "SOCIAL_EXPORT_PATH",
                self.export_path,
                "keep the export outside output/ (it must never be deployed), like 'internal/social'",
            )
        if self.site_url and not re.match(r"^https?://[^/\s]+", str(self.site_url)):
            raise _fail(
                "SOCIAL_SITEURL",
                self.site_url,
                "give the public site's address, like https://www.example.com",
            )
        object.__setattr__(self, "site_url", str(self.site_url or "").rstrip("/"))
        networks = self.networks
        if (
            isinstance(networks, str)
            or not isinstance(networks, (list, tuple))
            or not networks
            or any(n not in NETWORKS for n in networks)
        ):
            raise _fail("SOCIAL_NETWORKS", networks, f"use a list of networks from {', '.join(NETWORKS)}")
        object.__setattr__(self, "networks", tuple(n for n in NETWORKS if n in networks))
        tags = self.hashtags
        if (
            isinstance(tags, str)
            or not isinstance(tags, (list, tuple))
            or any(not isinstance(t, str) or not re.fullmatch(r"#?[^\s#]+", t) for t in tags)
        ):
            raise _fail("SOCIAL_HASHTAGS", tags, "use a list of single words, like ['#AuroraAesthetics']")
        object.__setattr__(self, "hashtags", tuple(t if t.startswith("#") else f"#{t}" for t in tags))
        times = self.post_times
        if isinstance(times, str) or not isinstance(times, (list, tuple)) or not times:
            raise _fail(
                "SOCIAL_POST_TIMES", times, "use a list of local times, like ('09:30', '12:30', '17:30')"
            )
        parsed = []
        for value in times:
            match = _TIME.match(str(value))
            if not match or int(match[1]) > 23 or int(match[2]) > 59 or int(match[2]) % MINUTE_STEP:
                raise _fail(
                    "SOCIAL_POST_TIMES",
                    value,
                    f"write 24-hour times on a {MINUTE_STEP}-minute mark, like '09:30'",
                )
            parsed.append(dt.time(int(match[1]), int(match[2])))
        parsed.sort()
        for a, b in zip(parsed, parsed[1:], strict=False):
            gap = (dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a)).seconds / 60
            if gap < MIN_GAP_MINUTES:
                raise _fail(
                    "SOCIAL_POST_TIMES",
                    times,
                    f"keep the times at least {MIN_GAP_MINUTES} minutes apart (Sprout Social's rule)",
                )
        object.__setattr__(self, "post_times", tuple(t.strftime("%H:%M") for t in parsed))
        if self.select not in SELECTIONS:
            raise _fail(
                "SOCIAL_SELECT", self.select, "use 'new' (only what the last export did not have) or 'all'"
            )
        if self.date_format not in DATE_FORMATS:
            raise _fail("SOCIAL_DATE_FORMAT", self.date_format, f"use one of {', '.join(DATE_FORMATS)}")
        if self.image_base_url and not re.match(r"^https://[^/\s]+", str(self.image_base_url)):
            raise _fail(
                "SOCIAL_IMAGE_BASE_URL",
                self.image_base_url,
                "give the https:// address of the folder that holds the images (the file name is added "
                "to it), or leave it out: the site publishes them at SITEURL/media/social/",
            )
        object.__setattr__(self, "image_base_url", str(self.image_base_url or "").rstrip("/"))
        if not isinstance(self.cta, Mapping) or any(
            k not in DEFAULT_CTA or not isinstance(v, str) or not v.strip() for k, v in self.cta.items()
        ):
            raise _fail(
                "SOCIAL_CTA", self.cta, f"map kinds ({', '.join(DEFAULT_CTA)}) to a short call to action"
            )
        object.__setattr__(self, "cta", {**DEFAULT_CTA, **dict(self.cta)})
        if not isinstance(self.phone_region, str) or not re.fullmatch(r"[A-Z]{2}", self.phone_region):
            raise _fail("SOCIAL_PHONE_REGION", self.phone_region, "use a two-letter country code, like 'US'")
        if not isinstance(self.public_images, bool):
            raise _fail(
                "SOCIAL_PUBLIC_IMAGES",
                self.public_images,
                "use True (the build publishes the images the schedulers fetch) or False",
            )
        if (
            isinstance(self.quality, bool)
            or not isinstance(self.quality, int)
            or not 50 <= self.quality <= 95
        ):
            raise _fail("SOCIAL_IMAGE_QUALITY", self.quality, "use a whole number from 50 to 95")

    @property
    def times(self) -> tuple[dt.time, ...]:
        return tuple(dt.time.fromisoformat(t) for t in self.post_times)

    @property
    def strftime_date(self) -> str:
        return DATE_FORMATS[self.date_format]
