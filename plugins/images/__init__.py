"""Image plugin: every image of the site through ``pipeline.images``.

- ``initialized``: the ``IMAGE_*`` settings (:mod:`pipeline.images.settings`) read and checked.
- The run's images are the build's image service (``build.images``, :mod:`sitebuild.images`):
  requested from content, processed once in parallel (cached in ``IMAGE_CACHE_PATH``), looked
  up by the templates' ``img()`` and the JSON-LD.
- ``finalized``: the derivatives the site uses hard-linked into ``output/media/``. Original
  files are never copied to the site.
"""

from __future__ import annotations

from pelican import signals

from pipeline.images.settings import DEFAULTS, RESOLVED, image_settings, read_image_settings
from sitebuild import build_of

__all__ = ["DEFAULTS", "RESOLVED", "configure", "image_settings", "read_image_settings", "register"]


def configure(pelican) -> None:
    pelican.settings[RESOLVED] = read_image_settings(pelican.settings)


def finish(pelican) -> None:
    build_of(pelican).images.publish(pelican.settings["OUTPUT_PATH"])


def register():
    signals.initialized.connect(configure)
    signals.finalized.connect(finish)
