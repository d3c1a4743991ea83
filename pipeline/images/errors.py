"""The one exception of the image area (pipeline, watermark, before/after pairs)."""

from __future__ import annotations

from pipeline.errors import PipelineError


class ImageError(PipelineError):
    """An image or an image setting the coordinator can fix; the message names it and says how."""
