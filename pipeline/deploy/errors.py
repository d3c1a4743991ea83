"""The deploy's one domain exception."""

from pipeline.errors import PipelineError


class DeployError(PipelineError):
    """The deploy cannot go on; the message names the bucket, key or file and the fix."""
