"""Social-post exports: per-network images, captions and bulk-schedule files from the site's content.

For each post, special, event and gallery case that may be posted (``items.skip_reason``:
published posts, current specials, upcoming events, cases whose consent includes ``social``),
an export writes ``<SOCIAL_EXPORT_PATH>/<day>/`` (default ``internal/social/``: never deployed):

- ``images/<hash>-<w>x<h>.jpg``: each network's sizes (``networks.NETWORKS``), cropped around the
  focus point with the site's Open Graph crop (``pipeline.crop``), metadata scrubbed, watermarked
  where configured; a case becomes a labelled before/after composite (``images``);
- captions with a tracked link, checked against each network's rules (``captions``, ``text``,
  ``links``): an automatic caption is shortened at a word to fit around its fixed parts; the
  coordinator's own words never are, and an item that breaks a rule is left out and listed with
  the file, the field and the fix, while the others are exported;
- the image each scheduler fetches by URL, published by every build under ``media/social/``
  (``public``), and consent checked again on the day each case's post goes out;
- ``sprout/<network>.csv``, ``hootsuite/<network>.csv`` (<= 350 rows each) and ``posts.json``
  (``bulk``), scheduled from front matter or spread automatically (``schedule``);
- ``contact-sheet.html``: every post as it will look (``sheet``).

``run.run_export`` ties it together; ``plugins/social_export`` is the Pelican adapter and
``inv social`` the task. Settings (``SOCIAL_*``) are in ``config.SocialConfig``; platform rules in
``networks``. Front matter (``social:``) is ``pipeline.content.models.Social``.
"""

from pipeline.social.captions import Caption, captions_for
from pipeline.social.config import SocialConfig
from pipeline.social.errors import SocialError
from pipeline.social.items import Context, SocialItem
from pipeline.social.networks import NETWORKS
from pipeline.social.run import Candidate, Result, run_export

__all__ = [
    "NETWORKS",
    "Candidate",
    "Caption",
    "Context",
    "Result",
    "SocialConfig",
    "SocialError",
    "SocialItem",
    "captions_for",
    "run_export",
]
