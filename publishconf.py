"""Settings for the public site: what CI builds and deploys. Builds on pelicanconf.py."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "https://www.aurora-aesthetics.example")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# The public build stops on any claims-check error (plugins/claims): what CI deploys says only what is true.
CLAIMS_STRICT = True

# Drafts and scheduled posts are never written for the public site.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

# Inquiries (plugins/inquiry_tags): forms post to /api/inquiry on the site's own origin, which
# CloudFront routes to the receiver function (infra/site.yaml); only the site may post (CORS).
INQUIRY_ORIGINS = [SITEURL]

# The public site invites search engines (robots.txt names the sitemap). A pull-request preview
# built with these settings sets SEO_INDEXABLE=0 in its environment to stay out of search results.
EXPIRY_FOLLOWS_AS_OF = False  # offers end on the visitor's real clock (see pelicanconf.py)
SEO_INDEXABLE = os.environ.get("SEO_INDEXABLE", "1").strip().lower() not in ("0", "false", "no", "")

# Deploy (inv deploy; see pipeline/deploy/SETTINGS.md and infra/README.md). AWS credentials come
# from the default chain (CI: the GitHub OIDC role); AWS_ENDPOINT_URL points it at any S3 server.
# CI sets these from the GitHub environment's variables (the infra stack's outputs).
S3_BUCKET = os.environ.get("S3_BUCKET", "")
S3_PREFIX = ""
S3_REGION = os.environ.get("AWS_REGION") or None
CLOUDFRONT_DISTRIBUTION_ID = os.environ.get("CLOUDFRONT_DISTRIBUTION_ID", "")
CLOUDFRONT_FUNCTION_NAME = os.environ.get("CLOUDFRONT_FUNCTION_NAME", "")
S3_REDIRECTS = "cloudfront"  # "website" for an S3 website-endpoint bucket without CloudFront
S3_RULES = []  # e.g. [{"glob": "downloads/*.pdf", "cache_control": "public, max-age=86400"}]
S3_GZIP = False  # CloudFront compresses text itself
S3_WORKERS = 8
S3_MAX_DELETES = 200
S3_KEEP = ["previews/**"]
CLOUDFRONT_MAX_PATHS = 300
DEPLOY_TARGETS = {
    "production": {},
    "staging": {  # pull-request previews go to previews/pr-N/ here
        "S3_BUCKET": os.environ.get("STAGING_S3_BUCKET", ""),
        "CLOUDFRONT_DISTRIBUTION_ID": os.environ.get("STAGING_CLOUDFRONT_DISTRIBUTION_ID", ""),
        "CLOUDFRONT_FUNCTION_NAME": os.environ.get("STAGING_CLOUDFRONT_FUNCTION_NAME", ""),
        "SITEURL": os.environ.get("STAGING_SITEURL", "https://staging.aurora-aesthetics.example"),
    },
}

# The content editor (/admin/): True publishes it with the site, for editing through GitHub with
# review (infra/README.md, "The content editor"); it stays off the public site otherwise.
EDITOR_PUBLIC = os.environ.get("EDITOR_PUBLIC", "").strip().lower() in ("1", "true", "yes")
EDITOR_LOCAL = False
