"""The base of every domain error in the pipeline.

Each area has one exception (``ContentError``, ``ImageError``, ``DeployError`` ...), all
subclasses of ``PipelineError``. Its message is written for the marketing coordinator:
what is wrong, where, and how to fix it. The command-line layer (``tasks.py``) turns it
into a clean exit with no traceback.
"""


class PipelineError(Exception):
    """A mistake the user can fix; the message says how."""

    exit_code = 1
