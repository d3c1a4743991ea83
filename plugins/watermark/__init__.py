"""Watermark plugin: reads and checks the ``WATERMARK_*`` settings when Pelican starts.

The settings are documented in :mod:`pipeline.watermark_settings`; the image service
(:mod:`sitebuild.images`) asks it for the mark of each kind of image.
"""

from __future__ import annotations

from pelican import signals

from pipeline.watermark_settings import DEFAULTS, KINDS, RESOLVED, read_watermark_settings, spec_for

__all__ = ["DEFAULTS", "KINDS", "RESOLVED", "configure", "read_watermark_settings", "register", "spec_for"]


def configure(pelican) -> None:
    """Read and check the settings once, before any content is read."""
    pelican.settings[RESOLVED] = read_watermark_settings(pelican.settings)


def register():
    signals.initialized.connect(configure)
