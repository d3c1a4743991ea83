"""The one table of social-platform rules: text limits, hashtags, image sizes, bulk-file limits.

Every number comes from REFERENCE.md ("Social platforms", checked 2026-11) unless its comment
names another source. Numbers drift: change them here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class ImageSpec:
    name: str  # what the contact sheet and the JSON call it: "feed", "portrait", "story", "link", "photo"
    size: tuple[int, int]  # exact pixels


@dataclass(frozen=True)
class Network:
    id: str  # what front matter and settings say: social: {networks: [instagram, x]}
    label: str
    utm_source: str  # utm_source of its links
    max_chars: int | None  # None: no limit worth checking
    weighted: bool = False  # X counts weighted characters (pipeline.social.text.weighted_length)
    max_hashtags: int | None = None
    hashtags: bool = True  # False: captions carry no hashtags (they do nothing there)
    link_in_text: bool = True  # False: the link goes in the bulk file's link column, not the caption
    link_note: str = ""  # what the caption says instead of the link when it is not in the text
    link_column: bool = (
        True  # the bulk files' link column: a link preview (Facebook, LinkedIn) or button (GBP)
    )
    # The bulk file's image_url: the post's first image, fetched by the scheduler from the site. Off
    # where the post is a link preview: the preview shows the page's own share image, and a photo
    # attached to the post would replace the preview and drop the link.
    image_url: bool = True
    rejects_phone_numbers: bool = False
    images: tuple[ImageSpec, ...] = ()  # the first is the post's image; the others are alternates
    max_image_bytes: int | None = None
    post_types: bool = False  # Google Business Profile: STANDARD, EVENT or OFFER
    per_location: bool = False  # one profile per clinic (a Google Business Profile is a place)


NETWORKS = MappingProxyType(
    {
        "instagram": Network(
            "instagram",
            "Instagram",
            "instagram",
            max_chars=2200,  # Instagram: 2,200 characters
            max_hashtags=5,  # Instagram: 5 hashtags max (cut from 30 in Dec 2025)
            link_in_text=False,
            link_note="Link in bio.",
            link_column=False,  # captions do not make links clickable
            images=(
                ImageSpec("feed", (1080, 1080)),
                ImageSpec("portrait", (1080, 1350)),
                ImageSpec("story", (1080, 1920)),
            ),  # Instagram: feed 1:1 or 4:5; story/reel 9:16
        ),
        "facebook": Network(
            "facebook",
            "Facebook",
            "facebook",
            max_chars=None,  # REFERENCE.md gives no text limit for Facebook
            link_in_text=False,
            image_url=False,  # the link once, in the link column: it makes the preview
            images=(ImageSpec("link", (1200, 630)),),  # Facebook link share: >= 1200x630 (1.91:1)
            max_image_bytes=8 * 1024 * 1024,  # Facebook: <= 8 MB
        ),
        "x": Network(
            "x",
            "X",
            "x",
            max_chars=280,
            weighted=True,  # X: 280 weighted characters; every URL 23, emoji 2
            link_column=False,  # the link is in the text, where X shows its card
            images=(ImageSpec("link", (1200, 630)),),  # X crops link cards to 1.91:1 like Facebook
        ),
        "linkedin": Network(
            "linkedin",
            "LinkedIn",
            "linkedin",
            max_chars=3000,  # LinkedIn: 3,000 characters
            link_in_text=False,
            image_url=False,  # the link once, in the link column: it makes the preview
            images=(ImageSpec("link", (1200, 627)),),  # LinkedIn: 1200x627
        ),
        "gbp": Network(
            "gbp",
            "Google Business Profile",
            "google-business-profile",
            max_chars=1500,  # Google Business Profile: 1,500 characters
            rejects_phone_numbers=True,  # GBP: posts containing a phone number are rejected
            link_in_text=False,
            link_note="",
            hashtags=False,  # the post's button carries the link
            images=(ImageSpec("photo", (1200, 900)),),  # GBP: 1 image, 4:3 recommended
            max_image_bytes=5 * 1024 * 1024,  # GBP: JPEG/PNG <= 5 MB
            post_types=True,  # GBP: STANDARD, EVENT, OFFER
            per_location=True,  # a Business Profile belongs to one clinic
        ),
    }
)
DEFAULT_NETWORKS = tuple(NETWORKS)

# Bulk-upload files (REFERENCE.md, "Bulk upload formats").
MAX_ROWS_PER_FILE = 350  # Sprout Social and Hootsuite: at most 350 rows per file
MIN_GAP_MINUTES = 10  # Sprout Social: posts at least 10 minutes apart, and 10 minutes after the upload
SPROUT_HEADERS = (
    "date",
    "time_24hr",
    "message_text",
    "link",
    "image_url",
)  # case-sensitive; first three required
# Hootsuite's bulk composer (Hootsuite Help, "Schedule posts in bulk") reads three columns by position,
# date/time, message and an optional link, with no header row, and takes times on 5-minute marks only.
# It has no image column: media is attached to each post in the composer's review step after the
# upload. A fourth column would be read as part of the file's format and the upload refused, so the
# image to attach is named on the contact sheet and in posts.json instead.
HOOTSUITE_COLUMNS = ("date_time", "message", "link")
MINUTE_STEP = 5
# What a Google Business Profile post of each kind of content is (GBP post types).
GBP_POST_TYPES = MappingProxyType({"special": "OFFER", "event": "EVENT"})  # everything else: STANDARD


def network(key: str) -> Network:
    return NETWORKS[key]
