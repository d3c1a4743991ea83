"""The site-policy area's exception."""

from pipeline.errors import PipelineError


class SitePolicyError(PipelineError):
    """A site-policy setting or a built page breaks a rule; the message names it and the fix."""
