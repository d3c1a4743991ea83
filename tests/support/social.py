"""A practice with posts, specials, events and gallery cases marked for social media, exported for real.

``SocialSite`` is the gallery practice (``tests.support.gallery``) plus a case consented for
social media only, a post with its own ``social:`` block and one marked ``social: false``.
``export(site, root, day)`` runs the whole export as ``inv social`` does (content read and
validated by Pelican, then ``pipeline.social``).
"""

from __future__ import annotations

import copy
from pathlib import Path

from plugins.social_export import export_from_settings
from tests.support.gallery import CASES, GallerySite
from tests.support.sitefactory import FILES

SITEURL = "https://www.test-aesthetics.example"
SOCIAL_ONLY_CASE = "botox-social-05"


class SocialSite(GallerySite):
    def write_all(self) -> SocialSite:
        super().write_all()
        case = copy.deepcopy(CASES["botox-front-01"])
        case.update(consent="C-SOCIAL", title="Softer lines, shared on social media only")
        self.write_case(SOCIAL_ONLY_CASE, case)
        self.write(
            "blog/winter-skin.md",
            {
                **FILES["blog/facial-season.md"],
                "title": "Winter skin, explained",
                "date": "2026-11-02",
                "social": {
                    "networks": ["instagram", "x"],
                    "at": "2026-11-25 08:15",
                    "hashtags": ["#WinterSkin"],
                    "caption": {"x": "Winter skin, explained 🌨️ by our nurse injectors"},
                },
            },
        )
        self.write(
            "blog/private-note.md",
            {**FILES["blog/nose-questions.md"], "title": "Not for social", "social": False},
        )
        return self

    def export(self, root: Path, day: str = "2026-11-22", select_all: bool = False, **overrides):
        settings = {
            **self.settings(),
            "AS_OF_DATE": day,
            "SOCIAL_SITEURL": SITEURL,
            "SOCIAL_EXPORT_PATH": str(root),
            **overrides,
        }
        return export_from_settings("pelicanconf.py", settings, select_all)
