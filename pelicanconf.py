"""Pelican settings for local work: `inv build`, `inv serve`, `inv check`.

publishconf.py builds on these for the public site. Feature settings use one prefix per
feature (IMAGE_*, WATERMARK_*, INQUIRY_*, SOCIAL_*, S3_* ...).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sitebuild  # the build's frame (one Build object per run); not a feature
from plugins import content_model

SITENAME = "Aurora Aesthetics & Plastic Surgery"  # Pelican's own; the practice itself is content/practice.yml
SITEURL = ""
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
THEME_STATIC_DIR = "theme"
TIMEZONE = "America/Los_Angeles"
DEFAULT_LANG = "en"
DELETE_OUTPUT_DIRECTORY = True

PLUGINS = [sitebuild, content_model]
# Feeds (Atom/RSS/iCalendar), SEO (sitemap, robots, cards, redirects) and Pagefind search (issue 5).
from plugins import feeds, search, seo  # noqa: E402

PLUGINS += [feeds, seo, search]
# Every image through the image pipeline (IMAGE_*: <picture> derivatives in output/media/, metadata
# stripped, cache in cache/images/) and watermarks (WATERMARK_*) (issue 4).
from plugins import gallery, images, static_files, watermark  # noqa: E402

PLUGINS += [images, watermark, gallery, static_files]
# Files a page links with {static} or {attach} are copied as they are only when their type is listed
# here (PDFs lose their metadata); pictures reach the site only through the image pipeline.
STATIC_FILE_TYPES = ["pdf", "ics"]
# Before/after gallery (plugins/gallery): cases in content/gallery/<case-id>/, consent ledger below.
CONSENT_LEDGER = "gallery/consent.yml"  # inside the content folder
GALLERY_DISCLAIMER = (
    "Individual results vary. These photos show real patients' results with the treatment "
    "named; they are not a promise of your result. A consultation with a provider is required."
)
WATERMARK_TEXT = "Aurora Aesthetics"  # on gallery photos (WATERMARK_APPLIES_TO), in every derivative
WATERMARK_OPACITY = 0.55

# The day the site is built for (None = today in TIMEZONE). `inv build --as-of 2026-12-01`
# previews the site as it will look on that day.
AS_OF_DATE = os.environ.get("SITE_AS_OF") or None
# A local build for another day also runs the pages' expiry script on that day's clock, so an
# offer still valid then is not hidden by today's date. The public site (publishconf.py) always
# follows the visitor's real clock.
EXPIRY_FOLLOWS_AS_OF = True

# Markdown everywhere; our reader takes YAML front matter (see README, "Writing content").
READERS = {"html": None, "rst": None}
MARKDOWN = {
    "extension_configs": {
        # Table alignment as align="..." attributes: the Content-Security-Policy ignores inline styles.
        "markdown.extensions.extra": {"tables": {"use_align_attribute": True}},
        "markdown.extensions.smarty": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}
FORMATTED_FIELDS = []  # summaries are plain text: meta descriptions, cards and JSON-LD use them
SLUGIFY_SOURCE = "basename"  # a file's name is its id and its URL
# No static folders: images reach the site only as derivatives (plugins/images), never as originals.
STATIC_PATHS = []

# Posts (Pelican articles) live under blog/; pages under pages/.
ARTICLE_PATHS = ["blog"]
PAGE_PATHS = ["pages"]
ARTICLE_URL = "blog/{slug}/"
ARTICLE_SAVE_AS = "blog/{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"  # previews only; publishconf.py writes no drafts
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = "drafts/pages/{slug}/index.html"
INDEX_URL = "blog/"
INDEX_SAVE_AS = "blog/index.html"
CATEGORY_URL = "blog/category/{slug}/"
CATEGORY_SAVE_AS = "blog/category/{slug}/index.html"
CATEGORIES_URL = "blog/categories/"
CATEGORIES_SAVE_AS = "blog/categories/index.html"
TAG_URL = "blog/tag/{slug}/"
TAG_SAVE_AS = "blog/tag/{slug}/index.html"
TAGS_URL = "blog/tags/"
TAGS_SAVE_AS = "blog/tags/index.html"
ARCHIVES_URL = "blog/archives/"
ARCHIVES_SAVE_AS = "blog/archives/index.html"
AUTHOR_SAVE_AS = ""  # authors are team members, with their own pages
AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "archives", "tags", "categories"]
DEFAULT_PAGINATION = 10  # one wide card, then rows of three
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
# Newest first; ties broken by slug so the order never depends on the file system.
ARTICLE_ORDER_BY = content_model.newest_first
WITH_FUTURE_DATES = True  # the content model schedules future posts against AS_OF_DATE instead

# One feed implementation comes with the feeds issue; Pelican's own feeds stay off.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# auto_reload off: templates do not change during a build, and every regenerate makes new generators.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "auto_reload": False}
RELATIVE_URLS = False
TEMPLATE_CACHE_PATH = (
    "cache/templates"  # compiled theme templates, kept between builds (plugins/content_model)
)
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# Internal artefacts (manifests, exports, reports) are written here, never to OUTPUT_PATH
# (SITE_INTERNAL_PATH in the environment moves them, e.g. for a throwaway preview build).
INTERNAL_PATH = os.environ.get("SITE_INTERNAL_PATH") or "internal"

# Inquiry forms, first-party attribution and the tag firewall (plugins/inquiry_tags; README,
# "Inquiries and attribution"; every INQUIRY_* setting is listed in pipeline/inquiry/__init__.py).
# `inv serve` runs the receiver beside the site and stores each inquiry in INQUIRY_STORE.
from plugins import inquiry_tags  # noqa: E402

PLUGINS += [inquiry_tags]
INQUIRY_RECEIVER_URL = "/api/inquiry"  # forms post here; click beacons go to /api/beacon
# A folder (relative to the project) or "s3://bucket/prefix"; the environment variable of the same
# name overrides it, as in the Lambda function.
INQUIRY_STORE = os.environ.get("INQUIRY_STORE") or f"{INTERNAL_PATH}/inquiries"
INQUIRY_THANK_YOU_URL = "/thank-you/"  # where a form sent without JavaScript lands (noindex)
INQUIRY_ATTRIBUTION_DAYS = 90  # how long a visitor's browser keeps first and latest touch
INQUIRY_FORM_PAGES = ["contact", "procedure", "special", "event"]  # page kinds that carry a form
INQUIRY_THIRD_PARTY_TAGS = []  # e.g. [{"name": "Plausible", "host": "plausible.io", "pages": "no-forms"}]
INQUIRY_SENSITIVE_TERMS = []  # conditions to keep out of tracking URLs, besides the built-in list

# Privacy (plugins/privacy; README, "What the publish guard refuses"): the practice's private list
# of patients' names, kept outside the repository. When set, no build or deploy publishes any of them.
from plugins import privacy  # noqa: E402

PLUGINS += [privacy]
PUBLISH_GUARD_PATIENT_LIST = os.environ.get("PRIVATE_PATIENT_LIST") or None

# Search engines: only the production site (publishconf.py) invites them; see plugins/seo.
SEO_INDEXABLE = False
SEO_DEFAULT_IMAGE = None  # a picture under content/ for link previews of pages without their own
SEARCH_INDEX = True  # Pagefind indexes every build, so search works in `inv serve` too
FEEDS_PATH = "feeds"

# Referral partners (plugins/partners; `inv partners`) and reports (`inv report`): README, "Referral
# partners" and "Reports". The partner registry's contacts are internal: never published.
from plugins import partners as partners_plugin  # noqa: E402

PLUGINS += [partners_plugin]
PARTNER_REGISTRY = "partners.yml"  # in the content folder
PARTNER_PUBLIC_PAGE = True  # /partners/ lists the active partners with `public: true`
PARTNER_CAMPAIGN = "referral-partners"  # utm_campaign of every tracked link and QR code
REPORT_SOURCES = {
    # The receiver's local store (`inv serve`) and the demo's exports; add "s3://bucket/prefix" in production.
    "inquiries": ["internal/inquiries", "data/inquiries/*.jsonl"],
    "front_desk": ["data/front-desk/*.csv"],
    "emr": ["data/emr/*.csv"],
}
REPORT_EMR_FORMAT = "boulevard"  # boulevard | zenoti | aesthetic-record | generic (with REPORT_COLUMN_MAP)
REPORT_COLUMN_MAP = {}
REPORT_MATCH_WINDOW_DAYS = 90
REPORT_LEAD_LIST = False  # `inv report --lead-list` writes the internal lead list for one run

# Social-post exports (plugins/social_export; README, "Social posts"): `inv social` writes ready-to-schedule
# posts to internal/social/<day>/; with SOCIAL_EXPORT = True every build does. Links use SITEURL
# (publishconf.py) unless SOCIAL_SITEURL is set.
from plugins import social_export  # noqa: E402

PLUGINS += [social_export]
SOCIAL_EXPORT = False
SOCIAL_HASHTAGS = ["#AuroraAesthetics"]  # added to every caption (Instagram allows 5 in all)

# The content editor at /admin/ (plugins/editor; README, "Writing content"): Decap CMS, configured
# from the content model. `inv edit` builds it (EDITOR_LOCAL) and serves it with its local backend;
# the public site has it only with EDITOR_PUBLIC = True (publishconf.py).
from plugins import editor  # noqa: E402

PLUGINS += [editor]
EDITOR_PUBLIC = False
EDITOR_REPO = os.environ.get("EDITOR_REPO", "")  # owner/name: where the GitHub backend saves
EDITOR_BRANCH = "main"  # merging a change into it publishes
EDITOR_OAUTH_URL = os.environ.get("EDITOR_OAUTH_URL", "")  # the GitHub sign-in's OAuth client (README)

# Claims and readability (plugins/claims; README, "Claims and readability"): every page's claims checked
# against the content (devices' FDA status in content/devices/, content/claims.yml, testimonials from
# content/testimonials.yml). Findings are listed; `inv build --strict` / `inv check --strict` and the public
# build (publishconf.py) stop on those of error severity.
from plugins import claims as claims_plugin  # noqa: E402

PLUGINS += [claims_plugin]
CLAIMS_STRICT = False
