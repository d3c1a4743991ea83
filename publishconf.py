"""Settings for the public site: what CI builds and deploys. Builds on pelicanconf.py."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://www.aurora-aesthetics.example")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# Drafts and scheduled posts are never written for the public site.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
