"""The claims area's one exception."""

from pipeline.errors import PipelineError


class ClaimsError(PipelineError):
    """A claims setting, rule file or report that cannot be used; the message says what to fix."""
