"""Every feature whose settings are declared as a model (:mod:`pipeline.settings`), in the order
docs/settings.md lists them.

``python -m pipeline.settings_catalog`` writes docs/settings.md; a test checks it matches.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.settings import FeatureSettings, settings_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def features() -> list[type[FeatureSettings]]:
    from pipeline.feeds import FeedSettings
    from pipeline.seo import SeoSettings

    return [SeoSettings, FeedSettings]


def main() -> None:
    DOCS.parent.mkdir(exist_ok=True)
    DOCS.write_text(settings_markdown(features()), encoding="utf-8")
    print(f"wrote {DOCS}", file=sys.stderr)


if __name__ == "__main__":
    main()
