"""The inquiry area's one exception."""

from pipeline.errors import PipelineError


class InquiryError(PipelineError):
    """A configuration or usage mistake in the inquiry receiver, store or export.

    The message names the setting (or store, or option) at fault and the fix. The receiver
    also raises it when the store cannot take a record; it answers the visitor with an
    error and reports nothing as stored.
    """
