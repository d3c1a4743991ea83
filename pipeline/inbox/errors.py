"""The inbox area's one exception."""

from pipeline.errors import PipelineError


class InboxError(PipelineError):
    """A mistake in an inbox setting, option or change (the message names it and the fix), or a
    store the inbox cannot work with safely."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field  # the form field at fault, when a change was refused
