"""The one exception of the image area (pipeline, watermark, before/after pairs)."""

from __future__ import annotations

from pipeline.errors import PipelineError


class ImageError(PipelineError):
    """An image or an image setting the coordinator can fix; the message names it and says how.

    A source photo that cannot be used also carries ``what`` (what is wrong with it) and ``fix``
    apart from its name, so the build can say it against the content file that uses the photo.
    """

    def __init__(self, message: str, what: str = "", fix: str = ""):
        super().__init__(message)
        self.what, self.fix = what, fix

    def __reduce__(self):  # raised in worker processes: keep what and fix across the pickle
        return (type(self), (str(self), self.what, self.fix))


def unusable(name: str, what: str, fix: str) -> ImageError:
    """A source photo that cannot be used: ``name: what. fix``."""
    return ImageError(f"{name}: {what}. {fix}", what, fix)
