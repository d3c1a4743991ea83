"""Pelican settings for local work: `inv build`, `inv serve`, `inv check`.

publishconf.py builds on these for the public site. Feature settings use one prefix per
feature (IMAGE_*, WATERMARK_*, INQUIRY_*, SOCIAL_*, S3_* ...).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from plugins import content_model  # noqa: E402

SITENAME = "Aurora Aesthetics"  # shown in the <title>; the practice itself is content/practice.yml
SITEURL = ""
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
THEME_STATIC_DIR = "theme"
TIMEZONE = "America/Los_Angeles"
DEFAULT_LANG = "en"
DELETE_OUTPUT_DIRECTORY = True

PLUGINS = [content_model]

# The day the site is built for (None = today in TIMEZONE). `inv build --as-of 2026-12-01`
# previews the site as it will look on that day.
AS_OF_DATE = os.environ.get("SITE_AS_OF") or None

# Markdown everywhere; our reader takes YAML front matter (see README, "Writing content").
READERS = {"html": None, "rst": None}
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}
FORMATTED_FIELDS = []  # summaries are plain text: meta descriptions, cards and JSON-LD use them
SLUGIFY_SOURCE = "basename"  # a file's name is its id and its URL
STATIC_PATHS = ["images"]

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
INDEX_SAVE_AS = "blog/index.html"
CATEGORY_URL = "blog/category/{slug}/"
CATEGORY_SAVE_AS = "blog/category/{slug}/index.html"
CATEGORIES_SAVE_AS = "blog/categories/index.html"
TAG_URL = "blog/tag/{slug}/"
TAG_SAVE_AS = "blog/tag/{slug}/index.html"
TAGS_SAVE_AS = "blog/tags/index.html"
ARCHIVES_SAVE_AS = "blog/archives/index.html"
AUTHOR_SAVE_AS = ""  # authors are team members, with their own pages
AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "archives", "tags", "categories"]
DEFAULT_PAGINATION = 9
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

JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
RELATIVE_URLS = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# Internal artefacts (manifests, exports, reports) are written here, never to OUTPUT_PATH.
INTERNAL_PATH = "internal"
