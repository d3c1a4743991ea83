"""The reports area's one exception."""

from pipeline.errors import PipelineError


class ReportError(PipelineError):
    """An input file or a REPORT_* setting cannot be used.

    The message names the file (and line, column or setting) and the fix, e.g. a missing
    required column in an export, an unknown partner code in the front-desk log, or a
    date the importer cannot read.
    """
