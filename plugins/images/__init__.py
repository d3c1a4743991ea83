"""Image plugin: every image of the site through ``pipeline.images``.

- ``settings``: the ``IMAGE_*`` settings, read and checked when Pelican starts (``initialized``).
- ``site``: the build's images: requested from content, processed once in parallel (cached in
  ``IMAGE_CACHE_PATH``), looked up by the templates' ``img()`` and the JSON-LD, and hard-linked
  into ``output/media/`` at ``finalized``. Original files are never copied to the site.
"""

from __future__ import annotations

from pelican import signals

from plugins.images import site
from plugins.images.settings import DEFAULTS, RESOLVED, configure, image_settings, read_image_settings

__all__ = ["DEFAULTS", "RESOLVED", "configure", "image_settings", "read_image_settings", "register", "site"]


def register():
    signals.initialized.connect(configure)
    signals.get_generators.connect(site.start)
    signals.finalized.connect(site.finish)
